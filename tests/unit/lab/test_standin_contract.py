"""Pieces of Odoo's contract the lab's stand-in keeps, checked without a database (the platform
scenario runs the rest against PostgreSQL): password hashes, addons paths, module order."""

from ansible_collections.odoo_saas.platform.plugins.plugin_utils.tenant import USER_PASSWORD_ROUNDS, admin_passwd_hash


def test_the_admin_users_hash_the_platform_writes_logs_in(standin):
    stored = admin_passwd_hash("from-the-secrets", "salt1234salt1234", USER_PASSWORD_ROUNDS)
    assert standin.verify_password("from-the-secrets", stored)
    assert not standin.verify_password("admin", stored)


def test_odoos_initial_admin_password_is_admin(standin):
    stored = standin.hash_password("admin", rounds=1000)
    assert stored.startswith("$pbkdf2-sha512$1000$")
    assert standin.verify_password("admin", stored) and not standin.verify_password("Admin", stored)
    # Odoo's context also verifies plaintext values (deprecated, but accepted)
    assert standin.verify_password("admin", "admin") and not standin.verify_password("admin", "")


def write_module(path, name, depends, version="1.0"):
    (path / name).mkdir(parents=True)
    (path / name / "__manifest__.py").write_text("{'name': %r, 'version': %r, 'depends': %r}" % (name, version, depends))


def test_a_config_without_extra_addons_loses_their_modules(standin, tmp_path, monkeypatch):
    root, extra = tmp_path / "odoo-addons", tmp_path / "extra-addons"
    write_module(root, "base", [], "17.0.1")
    write_module(root, "stock", ["base"])
    write_module(extra, "queue_job", ["base"])
    monkeypatch.setattr(standin, "ROOT_ADDONS", str(root))
    with_extra = standin.available_modules({"addons_path": str(extra)})
    assert sorted(with_extra) == ["base", "queue_job", "stock"]
    assert with_extra["stock"]["version"] == "17.0.1.0" and with_extra["base"]["version"] == "17.0.1"
    # Odoo's own directory is always there; the extra one only when odoo.conf names it
    assert sorted(standin.available_modules({"addons_path": ""})) == ["base", "stock"]


def test_modules_load_after_their_dependencies(standin):
    modules = {"base": {"depends": []}, "product": {"depends": ["base"]}, "stock": {"depends": ["product"]},
               "sale": {"depends": ["product"]}, "delivery": {"depends": ["sale", "stock"]}}
    order = standin.closure(["delivery"], modules)
    assert order.index("base") < order.index("product") < order.index("stock") < order.index("delivery")
    assert order.index("sale") < order.index("delivery") and len(order) == 5
    assert standin.closure(["nosuch"], modules) == []
