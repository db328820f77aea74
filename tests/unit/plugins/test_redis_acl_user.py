"""redis_acl_user's input checks and the rules it sends."""

import pytest

from ansible_collections.odoo_saas.platform.plugins.modules.redis_acl_user import validate, wanted_rules


def params(**changes):
    base = dict(
        name="tenant-acme", state="present", password="s3cret", enabled=True,
        key_patterns=["tenant:acme:*"], channel_patterns=["tenant:acme:*"],
        commands=["+@all", "-@dangerous"], allow_all_keys=False,
    )
    base.update(changes)
    return base


def test_a_tenant_user_is_accepted():
    assert validate(params()) == []


def test_rules_start_from_a_reset():
    assert wanted_rules(params()) == ["reset", "on", ">s3cret", "~tenant:acme:*", "&tenant:acme:*", "+@all", "-@dangerous"]
    assert wanted_rules(params(enabled=False, password=None))[:2] == ["reset", "off"]


@pytest.mark.parametrize("pattern", ["*", "allkeys", "*acme*", "%RW~*", "?", "[a-z]*"])
def test_patterns_covering_every_key_are_refused(pattern):
    errors = validate(params(key_patterns=[pattern]))
    assert errors and "would cover every key" in errors[0] and "tenant-acme" in errors[0]


def test_platform_users_may_cover_every_key():
    assert validate(params(key_patterns=["*"], allow_all_keys=True)) == []


def test_enabled_user_needs_a_password():
    assert "needs a password" in validate(params(password=None))[0]
    assert validate(params(password=None, enabled=False)) == []


def test_command_rules_need_a_sign():
    assert "must start with + or -" in validate(params(commands=["flushall"]))[0]
