#!/usr/bin/python
# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Peerwise speaker's whole BGP configuration, with the resource-module states."""

from __future__ import annotations

DOCUMENTATION = r"""
module: bgp_config
short_description: Manage the Peerwise speaker's whole BGP configuration
description:
  - The whole YANG model (global settings, neighbors, originated routes) as one resource, with
    the resource-module states. Each state is one NETCONF C(edit-config) of the speaker's
    candidate datastore, then a commit (check mode - validate, then discard).
  - C(merged) merges O(config) into the running configuration.
  - C(replaced) replaces each neighbor and route given (and the global settings, if given);
    others are kept.
  - C(overridden) makes the configuration exactly O(config) - neighbors and routes not given
    are removed (their sessions end with a Cease).
  - C(deleted) removes the neighbors and routes given (by key), or every neighbor and route
    when O(config) is omitted. The global settings are mandatory and stay.
  - C(gathered) returns the running configuration in option shape; changes nothing.
  - C(rendered) returns the payload O(config) would send (merged), offline - no host is
    contacted.
  - C(parsed) turns O(running_config) (NETCONF XML holding a C(<bgp>) element, such as a
    get-config reply) into option shape, offline.
version_added: 0.1.0
author: Peerwise engineers (@peerwise)
extends_documentation_fragment:
  - peerwise.bgp.api
  - peerwise.bgp.api.payload
  - peerwise.bgp.model.config
options:
  state:
    description: The resource-module state (see the description).
    type: str
    choices: [merged, replaced, overridden, deleted, gathered, rendered, parsed]
    default: merged
  running_config:
    description: For C(parsed) - NETCONF XML holding the speaker's C(<bgp>) element.
    type: str
"""

EXAMPLES = r"""
- name: Exactly these two neighbors and one route
  peerwise.bgp.bgp_config:
    state: overridden
    config:
      global: {as: 65001, router_id: 198.18.0.11}
      neighbors:
        - {neighbor_address: 198.18.0.12, peer_as: 65002}
        - neighbor_address: 198.18.0.13
          peer_as: 65003
          timers: {hold_time: 9, keepalive_interval: 3}
      rib:
        routes:
          - {prefix: 203.0.113.0/24, next_hop: 198.18.0.11}

- name: What the speaker has, in the shape of the options
  peerwise.bgp.bgp_config:
    state: gathered
  register: have

- name: The payload, without a host
  peerwise.bgp.bgp_config:
    state: rendered
    config:
      neighbors: [{neighbor_address: 198.18.0.12, description: node2}]
  delegate_to: localhost
"""

RETURN = r"""
before:
  description: The configuration before the task, in option shape.
  returned: when state is merged, replaced, overridden or deleted
  type: dict
after:
  description: The configuration after the task, in option shape; in check mode, the speaker's
    prediction.
  returned: when state is merged, replaced, overridden or deleted
  type: dict
changes:
  description: The leaves that differ, by file-shape path, with their values before and after.
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
impact:
  description: What the change costs, as the speaker declares it (see M(peerwise.bgp.bgp_neighbor)).
  returned: when state is merged, replaced, overridden or deleted
  type: dict
reset_sessions:
  description: The neighbors whose session the change resets (in check mode, would reset).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: str
commands:
  description: The NETCONF edit-config payload sent (none when nothing changes).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: str
gathered:
  description: The running configuration in option shape.
  returned: when state is gathered
  type: dict
rendered:
  description: The payload O(config) renders to.
  returned: when state is rendered
  type: list
  elements: str
parsed:
  description: O(running_config) in option shape.
  returned: when state is parsed
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_api
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_bgp as bgp
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_spec as spec

STATES = ["merged", "replaced", "overridden", "deleted", "gathered", "rendered", "parsed"]
ARGUMENT_SPEC = dict(
    spec.CONFIG,
    api_socket=dict(type="path", default=peerwise_api.DEFAULT_SOCKET),
    payload=dict(type="str"),
    state=dict(type="str", choices=STATES, default="merged"),
    running_config=dict(type="str"),
)
REQUIRED_IF = [
    ("state", "merged", ["config"]),
    ("state", "replaced", ["config"]),
    ("state", "overridden", ["config"]),
    ("state", "rendered", ["config"]),
    ("state", "parsed", ["running_config"]),
]


def in_option_shape(result):
    """before, after and the diff in option shape (the resource-module convention)."""
    for name in ("before", "after"):
        result[name] = bgp.to_options(result[name])
        if "diff" in result:
            result["diff"][name] = result[name]
    return result


def main():
    module = AnsibleModule(
        argument_spec=ARGUMENT_SPEC, required_if=REQUIRED_IF, supports_check_mode=True
    )
    state = module.params["state"]
    if state in ("rendered", "parsed"):
        module.fail_json(msg=f"state {state} is answered by the action plugin, offline")
    with peerwise_api.connect(module) as api:
        if state == "gathered":
            tree = api.config("running")
            module.exit_json(changed=False, gathered=bgp.to_options(bgp.mask_secrets(tree)))
        outcome = api.apply(peerwise_api.payload_or_fail(module), module.check_mode)
    module.exit_json(**in_option_shape(outcome.module_result(module, lambda tree: tree)))


if __name__ == "__main__":
    main()
