"""The tenant playbooks' secrets tasks (playbooks/tasks/tenant_secrets.yml), run by ansible-playbook on
the controller: new tenants get every key, a file written by an older version gets admin_user_password
once and keeps the rest, what the run uses is what the file holds, and a rerun changes nothing."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from ansible.parsing.vault import VaultLib, VaultSecret

REPO = Path(__file__).resolve().parents[3]
PLAYBOOK = Path(__file__).parent / "secrets.yml"
KEYS = ["admin_password", "admin_salt", "admin_user_password", "db_password", "redis_password"]
OLD = {"db_password": "old-db", "redis_password": "old-redis", "admin_password": "old-master", "admin_salt": "old-salt"}


def vault(password):
    return VaultLib([("tenants", VaultSecret(password.encode()))])


def play(tmp_path, tenants):
    extra = {"tenant_secrets_for": [{"name": name} for name in tenants], "tenant_secrets_dir": str(tmp_path / "secrets"),
             "tenant_vault_password_file": str(tmp_path / "vault-password"), "secrets_out": str(tmp_path / "used.json"),
             "ansible_python_interpreter": sys.executable}
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    result = subprocess.run(["ansible-playbook", "-i", "localhost,", str(PLAYBOOK), "-e", json.dumps(extra)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    return result, json.loads((tmp_path / "used.json").read_text())


def stored(tmp_path, name):
    data = (tmp_path / "secrets" / ("%s.vault.yml" % name)).read_bytes()
    return yaml.safe_load(vault("test-vault-password").decrypt(data))


def test_old_secrets_get_the_admin_users_password_once_and_keep_the_rest(tmp_path):
    (tmp_path / "vault-password").write_text("test-vault-password")
    (tmp_path / "secrets").mkdir()
    old = vault("test-vault-password").encrypt(yaml.safe_dump(OLD), vault_id="tenants")
    (tmp_path / "secrets" / "acme.vault.yml").write_bytes(old)

    first, used = play(tmp_path, ["acme", "newco"])
    acme, newco = stored(tmp_path, "acme"), stored(tmp_path, "newco")
    assert sorted(acme) == KEYS and sorted(newco) == KEYS
    assert {key: acme[key] for key in OLD} == OLD
    assert len(acme["admin_user_password"]) == 24 and acme["admin_user_password"] != newco["admin_user_password"]
    # The run sets the admin user's password from the value it keeps, not from another draw.
    assert used == {"acme": acme, "newco": newco}
    assert "old-db" not in first.stdout and acme["admin_user_password"] not in first.stdout

    files = {name: (tmp_path / "secrets" / ("%s.vault.yml" % name)).read_bytes() for name in ("acme", "newco")}
    again, used_again = play(tmp_path, ["acme", "newco"])
    assert re.search(r"localhost\s+:.*changed=0", again.stdout), again.stdout[-2000:]
    assert used_again == used
    assert files == {name: (tmp_path / "secrets" / ("%s.vault.yml" % name)).read_bytes() for name in ("acme", "newco")}
