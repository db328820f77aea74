"""The lab's Odoo stand-in picks a request's database by Odoo's rules: dbfilter (%h, %d), then db_name."""

import pytest


@pytest.mark.parametrize("options, host, database", [
    # a shared pool: the first label picks the database, www. skipped, port ignored
    ({"dbfilter": "^%d$"}, "hooli.lab.test", "hooli"),
    ({"dbfilter": "^%d$"}, "www.hooli.lab.test:443", "hooli"),
    ({"dbfilter": "^%d$"}, "hooli-eu.lab.test", "hooli-eu"),
    # an isolated tenant: pinned, and the filter must agree
    ({"db_name": "acme", "dbfilter": "^acme$"}, "anything.lab.test", "acme"),
    ({"db_name": "acme", "dbfilter": "^globex$"}, "acme.lab.test", None),
    # a pool's list: the filter picks one of them, or none
    ({"db_name": "hooli,umbrella", "dbfilter": "^%d$"}, "umbrella.lab.test", "umbrella"),
    ({"db_name": "hooli,umbrella", "dbfilter": "^%d$"}, "acme.lab.test", None),
    ({"db_name": "hooli,umbrella"}, "hooli.lab.test", None),  # two left: Odoo would ask which
])
def test_the_database_of_a_request(standin, options, host, database):
    assert standin.database_for(options, host) == database
