"""Generated and packed files: the module_utils copy of the speaker's client is never stale,
its imports are rewritten to collection names, and the speaker archive is reproducible."""

from __future__ import annotations

import importlib.util
import io
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


sync = load("sync_module_utils", REPO / "tools" / "sync_module_utils.py")
pack = load("pack_speaker", REPO / "roles" / "speaker" / "files" / "pack_speaker.py")


@pytest.mark.parametrize("item", sync.generate(), ids=lambda g: g.target.name)
def test_module_utils_copy_is_current(item):
    assert item.target.exists(), f"run tools/sync_module_utils.py: {item.target} is missing"
    assert item.target.read_text(encoding="utf-8") == item.text, (
        f"{item.target.relative_to(REPO)} is stale: run tools/sync_module_utils.py"
    )


REWRITES = [
    (
        "peerwise.mgmt.client",
        "from peerwise.mgmt.framing import Framer\n",
        "from ansible_collections.peerwise.bgp.plugins.module_utils.peerwise_mgmt_framing"
        " import Framer\n",
    ),
    (
        "peerwise.mgmt.client",
        "    from .framing import Framer, Framing, FramingError, hello_capabilities\n",
        "    from ansible_collections.peerwise.bgp.plugins.module_utils.peerwise_mgmt_framing"
        " import (\n        Framer,\n        Framing,\n        FramingError,\n"
        "        hello_capabilities,\n    )\n",
    ),
    ("peerwise.mgmt.client", "import socket\n", "import socket\n"),
]


@pytest.mark.parametrize(("dotted", "source", "expected"), REWRITES)
def test_imports_are_rewritten(dotted, source, expected):
    deps = []
    assert sync.rewrite(dotted, source, deps) == expected
    assert deps == (["peerwise.mgmt.framing"] if "framing" in source else [])


@pytest.mark.parametrize("source", ["import xmltodict\n", "from yaml import safe_load\n"])
def test_non_stdlib_imports_are_refused(source):
    with pytest.raises(SystemExit, match="not in the standard library"):
        sync.check_stdlib("peerwise.mgmt.client", source)


def test_speaker_archive_is_reproducible_and_clean(tmp_path):
    source = tmp_path / "speaker"
    (source / "peerwise" / "__pycache__").mkdir(parents=True)
    (source / "pyproject.toml").write_text('[project]\nname = "peerwise"\nversion = "9.8.7"\n')
    (source / "peerwise" / "__init__.py").write_text("")
    (source / "peerwise" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (source / "peerwise.egg-info").mkdir()
    first = pack.archive_bytes(source, "peerwise-9.8.7")
    (source / "peerwise" / "__pycache__" / "y.pyc").write_bytes(b"\1")
    assert pack.archive_bytes(source, "peerwise-9.8.7") == first
    assert pack.project_version(source) == "9.8.7"
    with tarfile.open(fileobj=io.BytesIO(first)) as tar:
        names = tar.getnames()
    assert names == ["peerwise-9.8.7/peerwise/__init__.py", "peerwise-9.8.7/pyproject.toml"]
