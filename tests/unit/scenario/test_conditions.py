"""Every assert condition of the platform scenario is a string. An unquoted `x == 'a: b'` is a YAML
mapping, which Ansible 2.19 refuses only when the task runs, late in a long CI run."""

from pathlib import Path

import yaml

from test_fact_names import SCENARIO, Loader


def tasks_of(node):
    """Every task mapping in a playbook or task file, blocks included."""
    if isinstance(node, list):
        for item in node:
            yield from tasks_of(item)
    elif isinstance(node, dict):
        yield node
        for key in ("tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always"):
            yield from tasks_of(node.get(key))


def non_string_conditions():
    found = []
    for path in sorted(SCENARIO.glob("*.yml")) + sorted(SCENARIO.glob("tasks/*.yml")):
        for task in tasks_of(yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)):
            conditions = []
            assertion = task.get("ansible.builtin.assert")
            if isinstance(assertion, dict):
                that = assertion.get("that")
                conditions += that if isinstance(that, list) else [that]
            for key in ("when", "failed_when", "changed_when", "until"):
                value = task.get(key)
                conditions += value if isinstance(value, list) else [value] if value is not None else []
            found += ["%s: %r" % (Path(path).name, c) for c in conditions if not isinstance(c, (str, bool))]
    return found


def test_every_condition_is_a_string():
    assert non_string_conditions() == []
