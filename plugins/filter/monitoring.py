# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.odoo_saas.platform.plugins.plugin_utils.monitoring import (
    MonitoringError,
    check_receivers,
    scrape_configs,
)


def monitoring_scrape_configs(jobs, groups, addresses, tls_ca_file=None):
    """Prometheus scrape_configs for jobs that name inventory groups."""
    try:
        return scrape_configs(jobs, groups, addresses, tls_ca_file)
    except MonitoringError as exc:
        raise AnsibleFilterError("monitoring_scrape_configs: %s" % exc)


def monitoring_check_receivers(receivers, routes, default_receiver):
    """True, or an error naming the receiver or route that is wrong."""
    try:
        return check_receivers(receivers, routes, default_receiver)
    except MonitoringError as exc:
        raise AnsibleFilterError("monitoring_check_receivers: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {
            "monitoring_scrape_configs": monitoring_scrape_configs,
            "monitoring_check_receivers": monitoring_check_receivers,
        }
