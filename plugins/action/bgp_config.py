# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""bgp_config on the controller: ``config`` is the whole model; rendered and parsed stay here."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ansible.errors import AnsibleActionFail
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_api, peerwise_payload
from ansible_collections.peerwise.bgp.plugins.module_utils import peerwise_bgp as bgp
from ansible_collections.peerwise.bgp.plugins.modules.bgp_config import (
    ARGUMENT_SPEC,
    REQUIRED_IF,
)
from ansible_collections.peerwise.bgp.plugins.plugin_utils import model_check
from ansible_collections.peerwise.bgp.plugins.plugin_utils.action import ModelAction


class ActionModule(ModelAction):
    MODULE = "peerwise.bgp.bgp_config"
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def model_options(self, args):
        state = args.get("state", "merged")
        for _option, value, needed in REQUIRED_IF:
            missing = [n for n in needed if args.get(n) is None]
            if state == value and missing:
                raise AnsibleActionFail(f"state is {state} but missing: {', '.join(missing)}")
        options = {} if state in ("gathered", "parsed") else args.get("config") or {}
        return model_check.schema(), options

    def check(self, args):
        tree, problems = super().check(args)
        return tree, [f"config.{p}" for p in problems]

    def rename(self, path):
        return model_check.option_path(path, {})

    def whole(self, tree):
        return tree

    def payload(self, params, tree):
        state = params["state"]
        if state in ("gathered", "parsed"):
            return ""
        return peerwise_payload.state_payload("merged" if state == "rendered" else state, tree)

    def offline(self, params, tree):
        if params["state"] == "rendered":
            return {"changed": False, "rendered": [self.payload(params, tree)]}
        if params["state"] == "parsed":
            try:
                parsed = peerwise_api.reply_tree(params["running_config"])
            except ET.ParseError as exc:
                raise AnsibleActionFail(f"running_config is not XML: {exc}") from exc
            return {"changed": False, "parsed": bgp.to_options(parsed)}
        return None
