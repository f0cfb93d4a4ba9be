#!/usr/bin/python
# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Gather the Peerwise speaker's global settings and per-neighbor session state."""

from __future__ import annotations

DOCUMENTATION = r"""
module: bgp_facts
short_description: Gather BGP session state from the Peerwise speaker
description:
  - Reads the speaker's state over its local NETCONF socket and returns it as
    C(ansible_facts.bgp).
  - Read-only; runs the same in check mode.
version_added: 0.1.0
author: Peerwise engineers (@peerwise)
extends_documentation_fragment:
  - peerwise.bgp.api
options:
  neighbor:
    description: Only this neighbor's address (all neighbors when omitted).
    type: str
attributes:
  check_mode:
    support: full
    description: Read-only; runs the same in check mode.
  diff_mode:
    support: none
    description: Changes nothing, so there is no diff.
  facts:
    support: full
    description: Sets C(ansible_facts.bgp).
"""

EXAMPLES = r"""
- name: Wait until every session is up
  peerwise.bgp.bgp_facts:
  register: bgp
  until: bgp.ansible_facts.bgp.established | length == bgp.ansible_facts.bgp.neighbors | length
  retries: 30
  delay: 2

- name: Show one neighbor
  ansible.builtin.debug:
    var: ansible_facts.bgp.neighbors['198.18.0.12'].session_state
"""

RETURN = r"""
ansible_facts:
  description: Facts to add to ansible_facts.
  returned: always
  type: dict
  contains:
    bgp:
      description: The speaker's global settings and neighbors.
      type: dict
      contains:
        global:
          description: Global config and state (as, router_id, port, local_address_list,
            total_paths, total_prefixes).
          type: dict
          sample: {"as": 65001, "router_id": "198.18.0.11", "port": 179}
        established:
          description: Addresses of the neighbors in state ESTABLISHED.
          type: list
          elements: str
          sample: ["198.18.0.12"]
        neighbors:
          description:
            - Per neighbor address - session_state (IDLE, CONNECT, ACTIVE, OPENSENT,
              OPENCONFIRM, ESTABLISHED), admin_state, peer_as, local_as, remote_router_id,
              uptime and last_established (seconds), established_transitions, flaps,
              hold_time and keepalive_interval (configured and negotiated), capabilities
              (advertised, received and negotiated names, plus detail), afi_safis
              (configured and negotiated), four_octet_as, route_refresh, messages (sent and
              received counters per type), prefixes (received, accepted, advertised),
              transport, last_error, last_notification_sent, last_notification_received.
          type: dict
          sample:
            198.18.0.12:
              session_state: ESTABLISHED
              peer_as: 65002
              uptime: 42
              hold_time: {configured: 90, negotiated: 90}
              capabilities: {negotiated: [ASN32, MPBGP, ROUTE_REFRESH]}
              afi_safis: {configured: [ipv4-unicast], negotiated: [ipv4-unicast]}
              four_octet_as: true
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_api
from ansible_collections.peerwise.bgp.plugins.module_utils.peerwise_bgp import bgp_facts


def main():
    module = AnsibleModule(
        argument_spec=dict(
            api_socket=dict(type="path", default=peerwise_api.DEFAULT_SOCKET),
            neighbor=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    with peerwise_api.connect(module) as api:
        facts = bgp_facts(api.state())
    if module.params["neighbor"]:
        wanted = module.params["neighbor"]
        facts["neighbors"] = {a: n for a, n in facts["neighbors"].items() if a == wanted}
        facts["established"] = [a for a in facts["established"] if a == wanted]
    module.exit_json(changed=False, ansible_facts={"bgp": facts})


if __name__ == "__main__":
    main()
