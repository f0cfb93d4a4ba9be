# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""bgp_route on the controller: the options are one entry of bgp/rib/routes/route."""

from __future__ import annotations

from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_payload
from ansible_collections.peerwise.bgp.plugins.modules.bgp_route import ARGUMENT_SPEC
from ansible_collections.peerwise.bgp.plugins.plugin_utils import model_check
from ansible_collections.peerwise.bgp.plugins.plugin_utils.action import ModelAction, model_part


class ActionModule(ModelAction):
    MODULE = "peerwise.bgp.bgp_route"
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def model_options(self, args):
        options = model_part(args, ARGUMENT_SPEC)
        if args.get("state") == "absent":
            options = {"prefix": options.get("prefix")}
        routes = model_check.schema()["properties"]["rib"]["properties"]["routes"]
        return routes["items"], options

    def rename(self, path):
        return model_check.option_path(path, {"rib.routes[0]": ""})

    def whole(self, tree):
        return {"rib": {"routes": [tree]}}

    def payload(self, params, tree):
        return peerwise_payload.route_payload(tree, params["state"])
