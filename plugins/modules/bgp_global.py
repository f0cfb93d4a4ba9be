#!/usr/bin/python
# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Set the Peerwise speaker's global BGP settings."""

from __future__ import annotations

DOCUMENTATION = r"""
module: bgp_global
short_description: Manage the Peerwise speaker's global BGP settings
description:
  - Sets the local AS, router ID, listen addresses and port (bgp/global/config) with one
    NETCONF C(edit-config) on the local API socket, changing only the leaves given.
  - Changing the AS or router ID makes every session send a new OPEN.
version_added: 0.1.0
author: Peerwise
extends_documentation_fragment:
  - peerwise.bgp.api
options:
  as:
    description: Local AS (global/config/as); 4-octet ASNs are supported (RFC 6793).
    type: int
  router_id:
    description: BGP identifier, a dotted quad (global/config/router-id).
    type: str
  listen_addresses:
    description: Addresses to listen on (global/config/local-address-list).
    type: list
    elements: str
  port:
    description: TCP port to listen on (global/config/port); 0 disables listening.
    type: int
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
"""

EXAMPLES = r"""
- name: Be AS 65001
  peerwise.bgp.bgp_global:
    as: 65001
    router_id: 198.18.0.11
    listen_addresses: [198.18.0.11]
"""

RETURN = r"""
before:
  description: global/config before the task.
  returned: always
  type: dict
after:
  description: global/config after the task (predicted in check mode).
  returned: always
  type: dict
changes:
  description: The leaves changed, as path, before and after.
  returned: always
  type: list
  elements: dict
commands:
  description: The NETCONF edit-config payload sent (or that would be sent in check mode).
  returned: when changed
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_api
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_bgp as bgp

ARGUMENT_SPEC = {
    "api_socket": dict(type="path", default=peerwise_api.DEFAULT_SOCKET),
    "as": dict(type="int"),
    "router_id": dict(type="str"),
    "listen_addresses": dict(type="list", elements="str"),
    "port": dict(type="int"),
}


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    with peerwise_api.connect(module) as api:
        glob = api.running().get("global") or {}
        changes = bgp.global_plan(module.params, {"global": glob})
        before = glob.get("config") or {}
        after = bgp.apply_changes(glob, changes).get("config") or {}
        result = dict(
            changed=bool(changes),
            before=before,
            after=after,
            changes=peerwise_api.describe(changes),
        )
        if changes:
            result["commands"] = bgp.to_string(bgp.global_payload(changes))
            if not module.check_mode:
                api.edit(result["commands"])
    if module._diff:
        result["diff"] = dict(before=before, after=after)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
