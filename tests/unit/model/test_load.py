"""Loading config files: the seed's GoBGP TOML as is, YAML and JSON alike, GoBGP spellings."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerwise.model import ConfigInvalid, load_file, load_text

DATA = Path(__file__).parent / "data"

SEEDS = [
    # file, as, router-id, neighbor, peer-as
    ("node1.toml", 65001, "192.168.33.10", "192.168.33.11", 65002),
    ("node2.toml", 65002, "192.168.33.11", "192.168.33.10", 65001),
]


@pytest.mark.parametrize(("name", "asn", "router_id", "neighbor", "peer_as"), SEEDS)
def test_seed_toml_loads(name: str, asn: int, router_id: str, neighbor: str, peer_as: int) -> None:
    cfg = load_file(DATA / name)
    assert cfg["global"]["config"] == {"as": asn, "router-id": router_id, "port": 179}
    [peer] = cfg["neighbors"]
    assert peer["config"] == {"neighbor-address": neighbor, "peer-as": peer_as, "enabled": True}


def test_defaults_are_filled() -> None:
    [peer] = load_file(DATA / "node1.toml")["neighbors"]
    assert peer["timers"]["config"] == {
        "connect-retry": 30,
        "hold-time": 90,
        "keepalive-interval": 30,
    }
    assert peer["transport"]["config"] == {"passive-mode": False, "remote-port": 179}
    assert peer["ebgp-multihop"]["config"] == {"enabled": False}
    assert peer["afi-safis"] == [{"config": {"afi-safi-name": "ipv4-unicast", "enabled": True}}]


@pytest.mark.parametrize("name", ["node1.yaml", "node1.json"])
def test_yaml_and_json_load_like_toml(name: str) -> None:
    assert load_file(DATA / name) == load_file(DATA / "node1.toml")


@pytest.mark.parametrize("fmt", ["toml", "TOML", ".toml"])
def test_format_given_explicitly(fmt: str) -> None:
    text = (DATA / "node1.toml").read_text(encoding="utf-8")
    assert load_text(text, fmt) == load_file(DATA / "node1.toml")


def test_ipv6_neighbor_defaults_to_ipv6_unicast() -> None:
    text = (
        '{"global": {"config": {"as": 1, "router-id": "192.0.2.1"}},'
        ' "neighbors": [{"config": {"neighbor-address": "2001:db8::1", "peer-as": 2}}]}'
    )
    [peer] = load_text(text, "json")["neighbors"]
    assert peer["afi-safis"] == [{"config": {"afi-safi-name": "ipv6-unicast", "enabled": True}}]


def test_gobgp_spellings_are_accepted() -> None:
    [peer] = load_file(DATA / "gobgp-full.toml")["neighbors"]
    assert peer["config"]["enabled"] is False  # admin-down = true
    assert "peer-group" not in peer["config"] and "route-reflector" not in peer
    assert "mtu-discovery" not in peer["transport"]["config"]
    names = [(f["config"]["afi-safi-name"], f["config"]["enabled"]) for f in peer["afi-safis"]]
    assert names == [("ipv4-unicast", True), ("ipv6-unicast", False)]


GOBGP_REFUSED = [
    # a GoBGP setting with a value that does something is named, never dropped
    (
        "[neighbors.route-reflector.config]\nroute-reflector-client = true\n",
        "neighbors[0].route-reflector: unknown setting 'route-reflector'"
        " (a GoBGP setting Peerwise does not support yet)",
    ),
    (
        "[neighbors.apply-policy.config]\nimport-policy-list = ['p']\n",
        "neighbors[0].apply-policy.config.import-policy-list: unknown setting"
        " 'import-policy-list' (a GoBGP setting Peerwise does not support yet)",
    ),
    (
        "[neighbors.config.frobnicate]\n",
        "neighbors[0].config.frobnicate: unknown setting 'frobnicate'",
    ),
]


@pytest.mark.parametrize(("extra", "error"), GOBGP_REFUSED)
def test_unmodelled_gobgp_settings_are_named(extra: str, error: str) -> None:
    text = (DATA / "node1.toml").read_text(encoding="utf-8") + extra
    with pytest.raises(ConfigInvalid) as caught:
        load_text(text, "toml")
    assert [str(e) for e in caught.value.errors] == [error]


UNREADABLE = [
    ("as = ", "toml", "not valid TOML: "),
    ("[1, 2]", "json", "a config is a table of settings at the top"),
    ("a: [", "yaml", "not valid YAML: "),
    ("", "ini", "unknown config format 'ini' (use toml, yaml, yml, json)"),
    ("", "yaml", "global: missing mandatory setting 'global'"),
]


@pytest.mark.parametrize(("text", "fmt", "error"), UNREADABLE)
def test_unreadable_files(text: str, fmt: str, error: str) -> None:
    with pytest.raises(ConfigInvalid) as caught:
        load_text(text, fmt)
    assert str(caught.value.errors[0]).startswith(error)


def test_file_without_suffix_needs_a_format(tmp_path: Path) -> None:
    path = tmp_path / "bgp"
    path.write_text((DATA / "node1.toml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigInvalid, match="say the format"):
        load_file(path)
    assert load_file(path, "toml") == load_file(DATA / "node1.toml")
