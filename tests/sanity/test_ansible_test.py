"""``ansible-test sanity`` over the collection as it ships: the tarball ``ansible-galaxy
collection build`` makes, installed into a fresh collections path. Any error fails the test.

ansible-test runs each sanity test in its own virtual environment (``--venv``), which it fills
from the package index; those environments are cached below ``PEERWISE_CACHE`` (default
``~/.cache/peerwise``), used as ansible-test's HOME so that nothing else of the user's is
touched. Its pip bootstrap script normally comes from ci-files.testing.ansible.com; get_pip.py
here stands in for it (ensurepip, then pip from the ordinary index).

The bundled speaker (``speaker/``) is a Python project of its own, linted by the repository's
ruff and mypy; sanity covers the Ansible content: plugins, roles, playbooks, meta, tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
CACHE = Path(os.environ.get("PEERWISE_CACHE", Path.home() / ".cache" / "peerwise"))
HOME = CACHE / f"ansible-test-{version('ansible-core')}"
TARGETS = ["plugins/", "roles/", "playbooks/", "meta/", "tests/"]
PIP_BOOTSTRAP = "24.2"  # the get-pip version ansible-test asks for (ansible-core 2.19)


def run(argv, **kw):
    done = subprocess.run(argv, capture_output=True, text=True, check=False, **kw)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    root = tmp_path_factory.mktemp("sanity")
    galaxy = [str(BIN / "ansible-galaxy"), "collection"]
    rc, out = run([*galaxy, "build", "--output-path", str(root), str(REPO)], cwd=root)
    assert rc == 0, out
    (tarball,) = root.glob("peerwise-bgp-*.tar.gz")
    rc, out = run([*galaxy, "install", "--force", "-p", str(root / "c"), str(tarball)], cwd=root)
    assert rc == 0, out
    return root / "c" / "ansible_collections" / "peerwise" / "bgp"


def test_ansible_test_sanity_passes(installed):
    cache = HOME / ".ansible" / "test" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    bootstrap = cache / f"get_pip_{PIP_BOOTSTRAP.replace('.', '_')}.py"
    shutil.copyfile(Path(__file__).with_name("get_pip.py"), bootstrap)
    env = dict(os.environ, HOME=str(HOME), ANSIBLE_TEST_PREFER_PODMAN="0")
    argv = [str(BIN / "ansible-test"), "sanity", "--venv", "--python", PYTHON, "--color", "no"]
    rc, out = run([*argv, *TARGETS], cwd=installed, env=env, timeout=900)
    errors = [line for line in out.splitlines() if line.startswith(("ERROR", "FATAL"))]
    assert rc == 0 and not errors, "\n".join(errors) or out[-4000:]
