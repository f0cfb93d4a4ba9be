# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""bgp_global on the controller: the options are the leaves of bgp/global/config."""

from __future__ import annotations

from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_payload
from ansible_collections.peerwise.bgp.plugins.modules.bgp_global import ARGUMENT_SPEC
from ansible_collections.peerwise.bgp.plugins.plugin_utils import model_check
from ansible_collections.peerwise.bgp.plugins.plugin_utils.action import ModelAction, model_part


class ActionModule(ModelAction):
    MODULE = "peerwise.bgp.bgp_global"
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def model_options(self, args):
        return model_check.schema()["properties"]["global"], model_part(args, ARGUMENT_SPEC)

    def rename(self, path):
        return model_check.option_path(path, {"global": ""})

    def whole(self, tree):
        return {"global": tree}

    def payload(self, params, tree):
        return peerwise_payload.global_payload(tree)
