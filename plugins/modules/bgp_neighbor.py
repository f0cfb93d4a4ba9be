#!/usr/bin/python
# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Add, change or remove one BGP neighbor of the Peerwise speaker."""

from __future__ import annotations

DOCUMENTATION = r"""
module: bgp_neighbor
short_description: Manage one BGP neighbor of the Peerwise speaker
description:
  - Reads the speaker's running configuration, changes only the leaves given, and writes
    the difference with one NETCONF C(edit-config) on the local API socket.
  - Options left unset keep the speaker's current value (or its default for a new
    neighbor). The speaker applies the change to that neighbor only; a change that needs a
    new OPEN (peer AS, timers, families) resets that session alone.
version_added: 0.1.0
author: Peerwise
extends_documentation_fragment:
  - peerwise.bgp.api
options:
  neighbor_address:
    description: The neighbor's address, the list key (bgp/neighbors/neighbor/neighbor-address).
    type: str
    required: true
  peer_as:
    description: The neighbor's AS (config/peer-as); required to create a neighbor.
    type: int
  description:
    description: Free text (config/description); changing it resets nothing.
    type: str
  enabled:
    description: Administrative state (config/enabled); C(false) stops the session.
    type: bool
  timers:
    description: Session timers (timers/config).
    type: dict
    suboptions:
      connect_retry:
        description: ConnectRetry time in seconds (RFC 4271 §10).
        type: int
      hold_time:
        description: Proposed hold time in seconds, 0 or at least 3 (RFC 4271 §4.2).
        type: int
      keepalive_interval:
        description: Keepalive interval in seconds.
        type: int
  transport:
    description: TCP transport (transport/config).
    type: dict
    suboptions:
      local_address:
        description: Source address of the session.
        type: str
      passive_mode:
        description: Only accept connections; never connect.
        type: bool
      remote_port:
        description: The neighbor's TCP port.
        type: int
  ebgp_multihop:
    description: eBGP multihop (ebgp-multihop/config).
    type: dict
    suboptions:
      enabled:
        description: Allow a neighbor more than one hop away.
        type: bool
      multihop_ttl:
        description: TTL of the session's packets.
        type: int
  afi_safis:
    description:
      - Address families to negotiate (afi-safis/afi-safi-name), e.g. C(ipv4-unicast),
        C(ipv6-unicast). The list replaces the neighbor's families.
    type: list
    elements: str
  auth_password:
    description:
      - TCP MD5 signature password (RFC 2385) (config/auth-password). Never logged.
    type: str
  state:
    description: C(present) creates or updates the neighbor; C(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
"""

EXAMPLES = r"""
- name: Peer with the top-of-rack switch
  peerwise.bgp.bgp_neighbor:
    neighbor_address: 198.18.0.1
    peer_as: 65100
    description: tor1
    timers: {hold_time: 9, keepalive_interval: 3}
    afi_safis: [ipv4-unicast, ipv6-unicast]

- name: Remove a neighbor
  peerwise.bgp.bgp_neighbor:
    neighbor_address: 198.18.0.13
    state: absent
"""

RETURN = r"""
before:
  description: The neighbor's running configuration before the task (file shape), or null.
  returned: always
  type: dict
after:
  description: The neighbor's configuration after the task (predicted in check mode), or null.
  returned: always
  type: dict
changes:
  description: The leaves changed, as path, before and after.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "timers/config/hold-time", "before": 90, "after": 9}]
commands:
  description: The NETCONF edit-config payload sent (or that would be sent in check mode).
  returned: when changed
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_api
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_bgp as bgp

ARGUMENT_SPEC = dict(
    api_socket=dict(type="path", default=peerwise_api.DEFAULT_SOCKET),
    neighbor_address=dict(type="str", required=True),
    peer_as=dict(type="int"),
    description=dict(type="str"),
    enabled=dict(type="bool"),
    timers=dict(
        type="dict",
        options=dict(
            connect_retry=dict(type="int"),
            hold_time=dict(type="int"),
            keepalive_interval=dict(type="int"),
        ),
    ),
    transport=dict(
        type="dict",
        options=dict(
            local_address=dict(type="str"),
            passive_mode=dict(type="bool"),
            remote_port=dict(type="int"),
        ),
    ),
    ebgp_multihop=dict(
        type="dict", options=dict(enabled=dict(type="bool"), multihop_ttl=dict(type="int"))
    ),
    afi_safis=dict(type="list", elements="str"),
    auth_password=dict(type="str", no_log=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    address = module.params["neighbor_address"]
    with peerwise_api.connect(module) as api:
        running = api.running()
        try:
            action, changes = bgp.neighbor_plan(module.params, running)
        except ValueError as exc:
            module.fail_json(msg=str(exc))
        before = bgp.find_neighbor(running, address)
        after = None if action == "delete" else bgp.apply_changes(before, changes)
        result = dict(
            changed=action != "none",
            before=bgp.mask_secrets(before) if before else None,
            after=bgp.mask_secrets(after) if after else None,
            changes=peerwise_api.describe(changes),
        )
        if action != "none":
            payload = bgp.to_string(bgp.neighbor_payload(address, action, changes))
            result["commands"] = payload if module.params["auth_password"] is None else "(hidden)"
            if not module.check_mode:
                api.edit(payload)
    if module._diff:
        result["diff"] = dict(before=result["before"] or {}, after=result["after"] or {})
    module.exit_json(**result)


if __name__ == "__main__":
    main()
