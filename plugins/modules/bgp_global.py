#!/usr/bin/python
# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Set the Peerwise speaker's global BGP settings."""

from __future__ import annotations

DOCUMENTATION = r"""
module: bgp_global
short_description: Manage the Peerwise speaker's global BGP settings
description:
  - Merges the options given into the speaker's global settings (bgp/global/config) through
    its candidate datastore on the local API socket, changing only the leaves given.
  - Changing the AS or router ID resets every session (each sends a new OPEN); the result's
    C(reset_sessions) lists them. Listen addresses and port reset nothing.
version_added: 0.1.0
author: Peerwise engineers (@peerwise)
extends_documentation_fragment:
  - peerwise.bgp.api
  - peerwise.bgp.api.payload
  - peerwise.bgp.model.global
"""

EXAMPLES = r"""
- name: Be AS 65001
  peerwise.bgp.bgp_global:
    as: 65001
    router_id: 198.18.0.11
    local_address_list: [198.18.0.11]
"""

RETURN = r"""
before:
  description: global/config before the task (model file shape).
  returned: always
  type: dict
  sample: {"as": 65001, "router-id": "198.18.0.11"}
after:
  description: global/config after the task; in check mode, the speaker's prediction.
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
  description: The neighbors whose session the change resets (in check mode, would reset).
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
    spec.GLOBAL,
    api_socket=dict(type="path", default=peerwise_api.DEFAULT_SOCKET),
    payload=dict(type="str"),
)


def global_config(tree):
    return bgp.dig(tree, ("global", "config"), {})


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    payload = peerwise_api.payload_or_fail(module)
    with peerwise_api.connect(module) as api:
        outcome = api.apply(payload, module.check_mode)
    module.exit_json(**outcome.module_result(module, global_config))


if __name__ == "__main__":
    main()
