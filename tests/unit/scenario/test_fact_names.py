"""The platform scenario's verify plays run in one ansible-playbook process, so a fact one play sets
outlives it and outranks a later play's `vars` of the same name. That once turned a later play's
CA path into a tenant's secrets (stop 16's CI failure). No fact may share a name with a play var."""

from pathlib import Path

import yaml

SCENARIO = Path(__file__).resolve().parents[3] / "molecule" / "platform"


class Loader(yaml.SafeLoader):
    pass


Loader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def facts_of(tasks, found):
    """Names a task list registers or sets with set_fact, blocks included."""
    for task in tasks or []:
        if not isinstance(task, dict):
            continue
        if "register" in task:
            found.add(task["register"])
        set_fact = task.get("ansible.builtin.set_fact")
        if isinstance(set_fact, dict):
            found.update(name for name in set_fact if name != "cacheable")
        for section in ("block", "rescue", "always"):
            facts_of(task.get(section), found)
    return found


def scan():
    facts, play_vars = {}, {}
    for path in sorted(SCENARIO.glob("*.yml")) + sorted(SCENARIO.glob("tasks/*.yml")):
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        if not isinstance(document, list):
            continue
        plays = [item for item in document if isinstance(item, dict) and "hosts" in item]
        task_file = not plays
        for play in plays:
            for name in play.get("vars") or {}:
                play_vars.setdefault(name, []).append(path.name)
        tasks = document if task_file else [t for play in plays for t in (play.get("pre_tasks") or []) + (play.get("tasks") or [])]
        for name in facts_of(tasks, set()):
            facts.setdefault(name, []).append(path.name)
    return facts, play_vars


def test_the_scan_sees_facts_and_play_vars():
    facts, play_vars = scan()
    assert "isolation_secrets" in facts and "repo" in play_vars


def test_no_fact_shares_a_name_with_a_play_var():
    facts, play_vars = scan()
    clashes = {name: {"set in": facts[name], "play var in": play_vars[name]} for name in set(facts) & set(play_vars)}
    assert clashes == {}
