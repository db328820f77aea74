"""Where the collection's checkout is, and its inventories and tenant registry."""

import importlib
import json
import os
import sys
from pathlib import Path

import yaml

from odoo_saas_cli.errors import ValidationError

DEFAULT_INVENTORY = "inventories/lab/hosts.yml"


def is_project(path):
    galaxy = path / "galaxy.yml"
    return galaxy.is_file() and "namespace: odoo_saas" in galaxy.read_text(encoding="utf-8")


def find_root(explicit=None):
    """--project-dir, then $ODOO_SAAS_PROJECT_DIR, then the cwd upwards, then the checkout this package sits in."""
    explicit = explicit or os.environ.get("ODOO_SAAS_PROJECT_DIR")
    if explicit:
        root = Path(explicit).resolve()
        if not is_project(root):
            raise ValidationError(f"--project-dir {root}: no odoo_saas galaxy.yml there")
        return root
    here = Path(__file__).resolve()
    for candidate in [Path.cwd(), *Path.cwd().parents, *here.parents]:
        if is_project(candidate):
            return candidate
    raise ValidationError("cannot find the odoo_saas.platform checkout: run inside it or pass --project-dir")


class Project:
    """A checkout of the collection: playbooks, an inventory and the tenant registry beside it."""

    def __init__(self, root, inventory=None):
        self.root = Path(root)
        self.inventory = Path(inventory).resolve() if inventory else self.root / DEFAULT_INVENTORY
        if not self.inventory.exists():
            raise ValidationError(f"--inventory {self.inventory}: no such file or directory")
        inventory_dir = self.inventory if self.inventory.is_dir() else self.inventory.parent
        self.registry = inventory_dir / "tenants"
        self.runs = Path(os.environ.get("ODOO_SAAS_RUNS_DIR", self.root / "runs"))

    def playbook(self, name):
        return self.root / "playbooks" / f"{name}.yml"

    def tenant_utils(self):
        """The collection's own tenant checks (plugin_utils/tenant.py), so the CLI refuses what the playbooks refuse."""
        collections = str(self.root / "collections")
        if collections not in sys.path:
            sys.path.insert(0, collections)
        return importlib.import_module("ansible_collections.odoo_saas.platform.plugins.plugin_utils.tenant")

    def tenant_names(self):
        return sorted(p.stem for p in self.registry.glob("*.yml")) if self.registry.is_dir() else []

    def inventory_context(self):
        """What the playbooks check tenants against: environment, tiers, groups, port base, default image."""
        from ansible.inventory.manager import InventoryManager
        from ansible.parsing.dataloader import DataLoader
        from ansible.template import Templar
        from ansible.vars.manager import VariableManager

        loader = DataLoader()
        inventory = InventoryManager(loader=loader, sources=[str(self.inventory)])
        hosts = inventory.get_hosts("app") or inventory.get_hosts("all")
        host_vars = VariableManager(loader=loader, inventory=inventory).get_vars(host=hosts[0]) if hosts else {}
        templar = Templar(loader=loader, variables=host_vars)

        def var(name, default):
            return templar.template(host_vars[name]) if name in host_vars else default

        # Through JSON: plain str/dict/list instead of Ansible's tagged types.
        return json.loads(json.dumps({
            "environment": var("platform_environment", "production"),
            "groups": list(inventory.groups),
            "tiers": var("tenant_tiers", {}),
            "port_base": int(var("tenant_port_base", 20000)),
            "default_image": var("odoo_image", "odoo:17.0"),
            "runtime": var("platform_runtime", "docker"),
            "shared_pool": var("tenant_shared_pool", "shared"),
        }, default=str))

    def tenants(self, names, extra_file=None):
        """Registry entries by name (plus one from extra_file), after checking all of them as the playbooks do."""
        utils = self.tenant_utils()
        for name in names:
            if not isinstance(name, str) or not utils.NAME_RE.match(name):
                raise ValidationError(f"tenant name '{name}': use 2-30 of a-z, 0-9 and '-', starting with a letter")
        known = self.tenant_names()
        entries = [yaml.safe_load((self.registry / f"{name}.yml").read_text(encoding="utf-8")) for name in known]
        if extra_file:
            path = Path(extra_file)
            if not path.is_file():
                raise ValidationError(f"--file {path}: no such file")
            entries.append(yaml.safe_load(path.read_text(encoding="utf-8")))
            known.append(entries[-1].get("name") if isinstance(entries[-1], dict) else None)
        missing = [name for name in names if name not in known]
        if missing:
            raise ValidationError(f"tenant(s) {', '.join(missing)} not in the registry {self.registry} "
                                  f"(known: {', '.join(n for n in known if n) or 'none'})")
        try:
            checked = utils.check_registry(entries, self.inventory_context())
        except utils.TenantError as exc:
            raise ValidationError(str(exc)) from None
        return [tenant for tenant in checked if tenant["name"] in names]
