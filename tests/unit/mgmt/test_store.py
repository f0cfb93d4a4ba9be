"""The -f file as the persistent store: writers per format, atomic replace, FILE.prev."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from peerwise.mgmt.impact import impact_markdown
from peerwise.model import ConfigInvalid, normalize, parse
from peerwise.store import ConfigFile, dump_toml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATA = Path(__file__).parents[1] / "model" / "data"
REPO = Path(__file__).parents[3]
ODD: dict[str, Any] = {
    "global": {"config": {"as": 65001, "router-id": "192.0.2.1", "local-address-list": []}},
    "neighbors": [
        {
            "config": {
                "neighbor-address": "192.0.2.2",
                "peer-as": 65002,
                "description": 'quote " back\\slash \t tab \x7f del é 😀 \n',
            },
            "afi-safis": [{"config": {"afi-safi-name": "ipv4-unicast", "enabled": True}}],
        }
    ],
}
READERS = {"toml": tomllib.loads, "yaml": yaml.safe_load, "json": json.loads}


@pytest.mark.parametrize("source", ["node1.toml", "gobgp-full.toml", "node1.yaml", "node1.json"])
def test_toml_writer_round_trips_the_model_files(source: str) -> None:
    config = normalize(parse((DATA / source).read_text(), source.rsplit(".", 1)[1]))
    assert tomllib.loads(dump_toml(config)) == config


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_write_then_read_each_format(tmp_path: Path, fmt: str) -> None:
    store = ConfigFile.of(tmp_path / f"bgp.{fmt}")
    store.write(ODD)
    assert READERS[fmt](store.path.read_text()) == ODD
    assert store.read() == ODD


def test_previous_version_kept_and_mode_preserved(tmp_path: Path) -> None:
    path = tmp_path / "bgp.toml"
    path.write_text('# hand written\n[global.config]\nas = 65001\nrouter-id = "192.0.2.1"\n')
    path.chmod(0o640)
    store = ConfigFile.of(path)
    store.write(ODD)
    assert (tmp_path / "bgp.toml.prev").read_text().startswith("# hand written")
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bgp.toml", "bgp.toml.prev"]


def test_stale_temporary_files_are_cleaned(tmp_path: Path) -> None:
    (tmp_path / ".bgp.json.abc123.tmp").write_text("{")
    store = ConfigFile.of(tmp_path / "bgp.json")
    store.clean()
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigInvalid, match="unknown config format"):
        ConfigFile.of(tmp_path / "bgp.ini")


def test_impact_doc_is_generated_from_the_model() -> None:
    """docs/IMPACT.md is `python -m peerwise.mgmt.impact` output; regenerate when this fails."""
    assert (REPO / "docs" / "IMPACT.md").read_text() == impact_markdown()
