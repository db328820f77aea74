"""Offline replacement for the get-pip.py script that ansible-test downloads.

ansible-test bootstraps pip in each sanity venv from a script on a host that is not always
reachable. This one uses the interpreter's bundled pip (ensurepip), then installs what
ansible-test asked for from the configured package index.
"""
import ensurepip
import os
import subprocess
import sys

GET_PIP_ONLY_FLAGS = {"--no-setuptools", "--no-wheel"}

ensurepip.bootstrap(upgrade=True)
# ensurepip points PIP_CONFIG_FILE at /dev/null; drop it so the machine's pip.conf (CA, index) applies.
os.environ.pop("PIP_CONFIG_FILE", None)
subprocess.check_call([sys.executable, "-m", "pip", "install", *[a for a in sys.argv[1:] if a not in GET_PIP_ONLY_FLAGS]])
