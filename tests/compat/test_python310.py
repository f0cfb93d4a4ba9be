"""The speaker runs on Python 3.10, the oldest it supports (speaker/pyproject.toml).

The suite itself runs on the development venv's Python (3.11 here); this test installs the
speaker, as `pip install ./speaker` would, into a fresh Python 3.10 virtual environment and
runs the speaker's unit tests there. A missing Python 3.10 fails the test (it does not skip).
"""

from __future__ import annotations

import glob
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
UNIT = ["wire", "fsm", "rib", "model", "mgmt", "cli"]
TEST_DEPS = ["pytest", "hypothesis", "ncclient", "pyang"]


def python310() -> str:
    """A Python 3.10 that really runs (a pyenv shim may exist and refuse)."""
    candidates = sorted(glob.glob("/root/.pyenv/versions/3.10.*/bin/python3.10"))
    candidates += [p for p in [shutil.which("python3.10")] if p]
    for path in candidates:
        if run([path, "-c", "import venv"]).returncode == 0:
            return path
    raise AssertionError("no Python 3.10 on this machine (pyenv 3.10 or Debian's python3.10)")


def run(argv: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=600, **kw)


def test_speaker_unit_tests_pass_on_python_310(tmp_path: Path) -> None:
    venv = tmp_path / "py310"
    done = run([python310(), "-m", "venv", str(venv)])
    assert done.returncode == 0, done.stderr
    py = str(venv / "bin" / "python")
    done = run([py, "-m", "pip", "install", "-q", *TEST_DEPS, str(REPO / "speaker")])
    assert done.returncode == 0, done.stderr[-3000:]
    version = run([py, "-c", "import sys; print(sys.version_info[:2])"]).stdout.strip()
    assert version == "(3, 10)", version
    tests = [str(REPO / "tests" / "unit" / part) for part in UNIT]
    done = run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1], done.stdout[-500:]
