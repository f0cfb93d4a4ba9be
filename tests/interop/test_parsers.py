"""The harness's readers of peer output, on outputs captured from the real daemons (no daemons)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found]

from .conftest import AddressAllocator
from .peer_base import canonical_error, empty_state, notification_text
from .peer_bird import neighbor_capabilities
from .peer_exabgp import fold_event
from .peer_frr import received_capabilities
from .peer_gobgp import decode_capability
from .peers import Neighbor
from .speaker import find_neighbor, render_toml


@pytest.mark.parametrize(
    ("code", "subcode", "text"),
    [
        (6, 2, "Cease / Administrative Shutdown"),
        (2, 2, "OPEN Message Error / Bad Peer AS"),
        (4, 0, "Hold Timer Expired / subcode 0"),
        (9, 1, "error code 9 / subcode 1"),
    ],
)
def test_notification_text(code: int, subcode: int, text: str) -> None:
    assert notification_text(code, subcode) == text


@pytest.mark.parametrize(
    ("peer_text", "contains"),
    [
        ("Received: Bad peer AS", "OPEN Message Error / Bad Peer AS"),  # BIRD
        ("Received: Administrative shutdown", "Cease / Administrative Shutdown"),  # BIRD
        ("Cease/Peer De-configured", "Cease / Peer De-configured"),  # FRR
        ("Socket: Connection refused", "Socket: Connection refused"),  # not a NOTIFICATION
    ],
)
def test_canonical_error(peer_text: str, contains: str) -> None:
    assert contains in canonical_error(peer_text)


# gobgp neighbor -j "remote_cap" entries as GoBGP 3.10 printed them for an FRR neighbor
GOBGP_CAPS = [
    ("MultiProtocolCapability", "CgQIARAB", {"multiprotocol:ipv4-unicast"}),
    ("MultiProtocolCapability", "CgQIAhAB", {"multiprotocol:ipv6-unicast"}),
    ("FourOctetASNCapability", "COr7Aw==", {"4-octet-as"}),
    ("RouteRefreshCapability", "", {"route-refresh"}),
    ("EnhancedRouteRefreshCapability", "", {"enhanced-route-refresh"}),
    ("UnknownCapability", "CAY=", {"extended-message"}),  # code 6, unknown to GoBGP
    ("FqdnCapability", "CgdmcnJ0ZXN0", {"fqdn"}),
    ("GracefulRestartCapability", "CAwQeA==", {"graceful-restart"}),
    ("ExtendedNexthopCapability", "CgwKBAgBEAESBAgCEAE=", {"extended-nexthop"}),
    ("AddPathCapability", "CggKBAgBEAEQAQ==", set()),
    ("RouteRefreshCiscoCapability", "", set()),
]


@pytest.mark.parametrize(("kind", "value", "names"), GOBGP_CAPS)
def test_gobgp_capability(kind: str, value: str, names: set[str]) -> None:
    blob = {"type_url": f"type.googleapis.com/apipb.{kind}", "value": value}
    assert decode_capability(blob) == names


FRR_CAPS: dict[str, Any] = {
    "4byteAs": "advertisedAndReceived",
    "extendedMessage": "advertised",
    "extendedNexthop": "received",
    "routeRefresh": "advertisedAndReceivedNew",
    "enhancedRouteRefresh": "advertised",
    "multiprotocolExtensions": {
        "ipv4Unicast": {"advertisedAndReceived": True},
        "ipv6Unicast": {"advertised": True},
    },
    "hostName": {"advHostName": "frrtest", "rcvHostName": "vm"},
    "gracefulRestartCapability": "advertised",
    "gracefulRestart": "advertisedAndReceived",
}


def test_frr_capabilities() -> None:
    assert received_capabilities(FRR_CAPS) == {
        "4-octet-as",
        "extended-nexthop",
        "route-refresh",
        "multiprotocol:ipv4-unicast",
        "fqdn",
        "graceful-restart",
    }


BIRD_SHOW = """\
    Local capabilities
      Multiprotocol
        AF announced: ipv4 ipv6
      Route refresh
      Extended next hop
        IPv6 nexthop: ipv4
    Neighbor capabilities
      Multiprotocol
        AF announced: ipv4
      Route refresh
      Extended message
      Graceful restart
      4-octet AS numbers
      ADD-PATH
        RX: ipv4
      Enhanced refresh
      Hostname: frrtest
    Session:          external multihop AS4
"""


def test_bird_capabilities() -> None:
    assert neighbor_capabilities(BIRD_SHOW) == {
        "multiprotocol:ipv4-unicast",
        "route-refresh",
        "extended-message",
        "graceful-restart",
        "4-octet-as",
        "enhanced-route-refresh",
        "fqdn",
    }


def exa(kind: str, **body: Any) -> dict[str, Any]:
    return {"type": kind, "neighbor": {"address": {"peer": "127.0.20.2"}, **body}}


OPEN_CAPABILITIES = {"1": {"families": ["ipv4/unicast"]}, "65": {}, "2": {}, "71": {}}
EXABGP_EVENTS = [
    exa("state", state="connected"),
    exa(
        "open",
        direction="receive",
        open={"capabilities": {"1": {"families": ["ipv4/unicast"]}, "65": {}, "2": {}, "71": {}}},
    ),
    exa("keepalive", direction="receive"),
    exa("state", state="up"),
    exa("notification", direction="receive", notification={"code": 6, "subcode": 2}),
    exa("state", state="down", reason="peer reset"),
]


def test_exabgp_fold() -> None:
    state = empty_state()
    seen = []
    for event in EXABGP_EVENTS:
        fold_event(state, event)
        seen.append(state["state"])
    assert seen == ["opensent", "opensent", "opensent", "established", "established", "idle"]
    assert state["received_capabilities"] == {
        "multiprotocol:ipv4-unicast",
        "4-octet-as",
        "route-refresh",
    }
    assert state["messages_received"] == 3
    assert state["last_error"] == "Cease / Administrative Shutdown"


ENTRY = {"config": {"neighbor-address": "127.0.20.2"}, "state": {"session-state": "IDLE"}}


@pytest.mark.parametrize(
    ("doc", "found"),
    [
        ({"neighbors": [ENTRY]}, ENTRY),
        ([ENTRY], ENTRY),
        (ENTRY, ENTRY),
        ({"neighbors": []}, None),
        ({"neighbors": [{"config": {"neighbor-address": "127.0.20.3"}}]}, None),
    ],
)
def test_find_neighbor(doc: Any, found: Any) -> None:
    assert find_neighbor(doc, "127.0.20.2") == found


SCHEMA = Path(__file__).parents[2] / "speaker/peerwise/model/peerwise-bgp.schema.json"


@pytest.mark.parametrize(
    "neighbors",
    [
        [],
        [Neighbor("127.0.20.2", 65002)],
        [Neighbor("127.0.20.2", 65002, passive=True, ipv6=True, hold_time=6)],
    ],
)
def test_rendered_config_fits_the_model(neighbors: list[Neighbor]) -> None:
    config = tomllib.loads(render_toml("127.0.20.1", 65001, "127.0.20.1", neighbors))
    jsonschema.validate(config, json.loads(SCHEMA.read_text()))
    assert len(config.get("neighbors", [])) == len(neighbors)


def test_addresses_stay_in_range() -> None:
    allocate = AddressAllocator(first="127.0.20.254")
    assert [allocate() for _ in range(3)] == ["127.0.20.254", "127.0.21.1", "127.0.21.2"]
