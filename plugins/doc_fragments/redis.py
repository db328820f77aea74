# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # How the Redis modules connect: TLS and timeouts, to servers and Sentinels alike.
    DOCUMENTATION = r"""
options:
  tls:
    description: Connect over TLS, to servers and Sentinels alike.
    type: bool
    default: true
  ca_certs:
    description: CA bundle that signed the servers' certificates.
    type: path
  validate_certs:
    description: Verify the servers' certificates.
    type: bool
    default: true
  connect_timeout:
    description: Seconds to wait for a connection or a reply.
    type: float
    default: 3.0
requirements:
  - redis (Python library, 4.x or later) on the host that runs the module
"""
