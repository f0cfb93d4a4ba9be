# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""bgp_neighbor on the controller: the options are one entry of bgp/neighbors/neighbor."""

from __future__ import annotations

from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_payload
from ansible_collections.peerwise.bgp.plugins.modules.bgp_neighbor import ARGUMENT_SPEC
from ansible_collections.peerwise.bgp.plugins.plugin_utils import model_check
from ansible_collections.peerwise.bgp.plugins.plugin_utils.action import ModelAction, model_part


class ActionModule(ModelAction):
    MODULE = "peerwise.bgp.bgp_neighbor"
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def model_options(self, args):
        options = model_part(args, ARGUMENT_SPEC)
        if args.get("state") == "absent":
            options = {"neighbor_address": options.get("neighbor_address")}
        return model_check.schema()["properties"]["neighbors"]["items"], options

    def rename(self, path):
        return model_check.option_path(path, {"neighbors[0]": ""})

    def whole(self, tree):
        return {"neighbors": [tree]}

    def payload(self, params, tree):
        families = "afi-safis" in tree
        return peerwise_payload.neighbor_payload(tree, params["state"], families)
