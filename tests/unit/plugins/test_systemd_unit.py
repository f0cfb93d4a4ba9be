"""The role's systemd unit, rendered as the role renders it, passes `systemd-analyze verify`.

The lab has no systemd as PID 1, so the role's systemd path cannot run there; this checks the
unit file itself with systemd's own verifier (Debian's systemd package, installed by .ci/run).
A deliberately broken copy must fail, so the check is known to bite.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = REPO / "roles" / "speaker" / "templates" / "peerwised.service.j2"
VENV = Path(sys.executable).parent.parent  # has bin/peerwised, as the role's venv would


def render(tmp_path: Path, text: str) -> Path:
    unit = tmp_path / "peerwised.service"
    unit.write_text(
        jinja2.Template(text).render(
            ansible_managed="managed by test",
            peerwise_run_dir="/run/peerwise",
            peerwise_venv=str(VENV),
            peerwise_config_dir="/etc/peerwise",
            peerwise_api_socket="/run/peerwise/api.sock",
        )
    )
    return unit


def verify(unit: Path) -> subprocess.CompletedProcess[str]:
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: apt-get install systemd"
    return subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, check=False, timeout=60
    )


def test_rendered_unit_verifies(tmp_path: Path) -> None:
    done = verify(render(tmp_path, TEMPLATE.read_text()))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.strip() == "", done.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [("ExecStart=", "ExecStart=relative/"), ("Type=simple", "Type=sometimes")],
)
def test_a_broken_unit_is_caught(tmp_path: Path, old: str, new: str) -> None:
    done = verify(render(tmp_path, TEMPLATE.read_text().replace(old, new, 1)))
    assert done.returncode != 0 or done.stderr.strip(), "systemd-analyze accepted a broken unit"
