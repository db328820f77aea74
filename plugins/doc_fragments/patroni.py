# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - Base URL of a Patroni member's REST API, such as C(https://db1.example.net:8008).
      - Any member answers for the whole cluster. Give several members' URLs to keep working
        when one is down; they are tried in order.
    type: list
    elements: str
    required: true
  api_username:
    description: User for the REST API's unsafe endpoints (C(restapi.authentication.username)).
    type: str
  api_password:
    description: Password for I(api_username).
    type: str
  ca_path:
    description: CA bundle that signed the REST API's certificate.
    type: path
  validate_certs:
    description: Verify the REST API's TLS certificate.
    type: bool
    default: true
  timeout:
    description: Seconds to wait for one REST API answer.
    type: float
    default: 5.0
"""
