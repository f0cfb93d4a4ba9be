#!/usr/bin/python
# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Add, change or remove one BGP neighbor of the Peerwise speaker."""

from __future__ import annotations

DOCUMENTATION = r"""
module: bgp_neighbor
short_description: Manage one BGP neighbor of the Peerwise speaker
description:
  - Merges the options given into one neighbor (bgp/neighbors/neighbor) of the speaker's
    configuration, through its candidate datastore on the local API socket; options left
    unset keep the speaker's value (or the model's default for a new neighbor).
  - The speaker applies the change to that neighbor only. A change that needs a new OPEN (peer
    AS, timers, families, transport) resets that session alone; a description resets nothing.
    The result's C(reset_sessions) says which sessions were (in check mode, would be) reset.
  - Every option is a leaf of the YANG model, named as the model names it. O(afi_safis), when
    given, replaces the neighbor's families.
version_added: 0.1.0
author: Peerwise engineers (@peerwise)
extends_documentation_fragment:
  - peerwise.bgp.api
  - peerwise.bgp.api.payload
  - peerwise.bgp.model.neighbor
options:
  state:
    description:
      - C(present) creates or updates the neighbor; C(absent) removes it (the speaker sends
        the peer a Cease, Peer De-configured, RFC 4486).
      - With C(absent) only O(neighbor_address) is used.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Peer with the top-of-rack switch
  peerwise.bgp.bgp_neighbor:
    neighbor_address: 198.18.0.1
    peer_as: 65100
    description: tor1
    timers: {hold_time: 9, keepalive_interval: 3}
    afi_safis:
      - afi_safi_name: ipv4-unicast
      - afi_safi_name: ipv6-unicast

- name: What would a new hold time cost? (check mode predicts it; nothing changes)
  peerwise.bgp.bgp_neighbor:
    neighbor_address: 198.18.0.1
    timers: {hold_time: 30}
  check_mode: true
  register: predicted
  # predicted.reset_sessions == ['198.18.0.1']

- name: Remove a neighbor
  peerwise.bgp.bgp_neighbor:
    neighbor_address: 198.18.0.13
    state: absent
"""

RETURN = r"""
before:
  description: The neighbor's configuration before the task (model file shape), or null.
  returned: always
  type: dict
  sample: {"config": {"neighbor-address": "198.18.0.12", "peer-as": 65002}}
after:
  description:
    - The neighbor's configuration after the task, or null once removed. In check mode, the
      speaker's prediction (its candidate datastore).
  returned: always
  type: dict
changes:
  description: The leaves that differ, by file-shape path, with their values before and after.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "neighbors[198.18.0.12].timers.config.hold-time", "before": 90, "after": 9}]
impact:
  description:
    - What the change costs, as the speaker declares it (docs/IMPACT.md) - neighbors per kind
      (session-reset, soft, added, removed, started, stopped) and C(change), one
      "neighbor path impact" string per changed leaf.
  returned: always
  type: dict
  sample:
    session-reset: ["198.18.0.12"]
    change: ["198.18.0.12 timers.config.hold-time session-reset"]
reset_sessions:
  description: The neighbors whose session the change resets (in check mode, would reset).
  returned: always
  type: list
  elements: str
  sample: ["198.18.0.12"]
commands:
  description: The NETCONF edit-config payload sent to the candidate datastore (none when
    nothing changes).
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_api
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_bgp as bgp
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_spec as spec

ARGUMENT_SPEC = dict(
    spec.NEIGHBOR,
    api_socket=dict(type="path", default=peerwise_api.DEFAULT_SOCKET),
    payload=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    address = module.params["neighbor_address"]
    payload = peerwise_api.payload_or_fail(module)
    with peerwise_api.connect(module) as api:
        outcome = api.apply(payload, module.check_mode)
    module.exit_json(**outcome.module_result(module, lambda t: bgp.find_neighbor(t, address)))


if __name__ == "__main__":
    main()
