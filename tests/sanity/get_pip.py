"""A stand-in for ansible-test's pip bootstrap script (get-pip.py), for machines that reach
PyPI but not ci-files.testing.ansible.com: the standard library's ensurepip puts the bundled
pip into the new virtual environment, which then installs what ansible-test asked for (the
same arguments get-pip.py takes) from the ordinary package index."""

from __future__ import annotations

import ensurepip
import os
import subprocess
import sys

# get-pip.py's own options: pip install does not know them.
GET_PIP_ONLY = frozenset({"--no-setuptools", "--no-wheel"})

if __name__ == "__main__":
    environ = dict(os.environ)  # ensurepip sets PIP_CONFIG_FILE=/dev/null for itself
    ensurepip.bootstrap(upgrade=True)
    args = [a for a in sys.argv[1:] if a not in GET_PIP_ONLY]
    sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", *args], env=environ))
