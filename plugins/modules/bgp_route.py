#!/usr/bin/python
# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Announce or withdraw one route the Peerwise speaker originates."""

from __future__ import annotations

DOCUMENTATION = r"""
module: bgp_route
short_description: Announce or withdraw a route originated by the Peerwise speaker
description:
  - Manages one entry of the speaker's originated routes (bgp/rib/routes/route), through its
    candidate datastore on the local API socket. The speaker advertises it to every
    established neighbor of the prefix's family (a C(soft) change, docs/IMPACT.md - no
    session is reset).
  - With C(state=present) the route's attributes are exactly the options given, as the entry
    is replaced; an attribute left out is no longer sent.
  - C(state=absent) withdraws the route; only O(prefix) is used.
version_added: 0.1.0
author: Peerwise engineers (@peerwise)
extends_documentation_fragment:
  - peerwise.bgp.api
  - peerwise.bgp.api.payload
  - peerwise.bgp.model.route
options:
  state:
    description: C(present) announces the route; C(absent) withdraws it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Announce the anycast service prefix
  peerwise.bgp.bgp_route:
    prefix: 203.0.113.0/24
    next_hop: 198.18.0.11
    communities: ["65001:100"]

- name: Withdraw it
  peerwise.bgp.bgp_route:
    prefix: 203.0.113.0/24
    state: absent
"""

RETURN = r"""
before:
  description: The route entry before the task (model file shape), or null.
  returned: always
  type: dict
  sample: {"config": {"prefix": "203.0.113.0/24", "next-hop": "198.18.0.11"}}
after:
  description: The route entry after the task, or null once withdrawn; in check mode, the
    speaker's prediction.
  returned: always
  type: dict
changes:
  description: The leaves that differ, by file-shape path, with their values before and after.
  returned: always
  type: list
  elements: dict
impact:
  description: What the change costs, as the speaker declares it (see M(peerwise.bgp.bgp_neighbor)).
  returned: always
  type: dict
reset_sessions:
  description: Sessions the change resets - none for a route.
  returned: always
  type: list
  elements: str
commands:
  description: The NETCONF edit-config payload sent (none when nothing changes).
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_api
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_bgp as bgp
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_spec as spec

ARGUMENT_SPEC = dict(
    spec.ROUTE,
    api_socket=dict(type="path", default=peerwise_api.DEFAULT_SOCKET),
    payload=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    prefix = module.params["prefix"]
    payload = peerwise_api.payload_or_fail(module)
    with peerwise_api.connect(module) as api:
        outcome = api.apply(payload, module.check_mode)
    module.exit_json(**outcome.module_result(module, lambda t: bgp.find_route(t, prefix)))


if __name__ == "__main__":
    main()
