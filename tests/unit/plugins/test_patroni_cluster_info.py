"""patroni_cluster_info, run as Ansible runs a module, against no Patroni at all."""

import json
import subprocess
import sys
from pathlib import Path

MODULE = Path(__file__).resolve().parents[3] / "plugins" / "modules" / "patroni_cluster_info.py"
COLLECTIONS = Path(__file__).resolve().parents[3] / "collections"


def test_no_member_answering_fails_with_the_keys_of_an_empty_cluster(tmp_path):
    """So that `until: cluster.leader is not none` retries while Patroni is away, instead of erroring."""
    args_file = tmp_path / "args.json"
    args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {"api_url": ["https://127.0.0.1:9/"], "timeout": 1}}))
    proc = subprocess.run([sys.executable, str(MODULE), str(args_file)], capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(COLLECTIONS)})
    result = json.loads(proc.stdout)
    assert result["failed"] and "no Patroni member answered" in result["msg"]
    assert (result["leader"], result["members"], result["healthy_replicas"], result["pending_restart"]) == (None, [], [], [])
