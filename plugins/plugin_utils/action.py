# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The config modules' action plugins: check against the model, render, then run the module.

Theory of operation. A task ``peerwise.bgp.bgp_neighbor: {...}`` runs this on the controller:

1. the options that are model leaves are found in the model's JSON Schema and checked (type,
   range, pattern, choices, unknown names), then the speaker's semantic rules a partial config
   can answer run on them (plugin_utils/model_check.py). A problem fails the task here, naming
   the option and the model's rule: nothing reaches the host;
2. the other options (``state``, ``api_socket``) are checked by the module's argument spec;
3. the options become the NETCONF payload (module_utils/peerwise_payload.py), and the module
   runs on the host with ``payload`` added: it only pushes it through the speaker's candidate
   datastore, commits or (check mode) discards, and reports before, after and the impact.

Offline states (``bgp_config`` rendered and parsed) end after step 3 without a connection.
"""

from __future__ import annotations

from typing import ClassVar

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible_collections.peerwise.bgp.plugins.plugin_utils import model_check

NOT_MODEL = frozenset({"api_socket", "state", "payload", "running_config"})


class ModelAction(ActionBase):
    """Base of the config modules' action plugins; subclasses say where the options sit."""

    MODULE = ""
    ARGUMENT_SPEC: ClassVar[dict] = {}
    TRANSFERS_FILES = False

    # -- what a subclass provides -------------------------------------------------------------

    def model_options(self, args):
        """(schema node, options) of the model part of the task's arguments."""
        raise NotImplementedError

    def rename(self, path):
        """The option name of a file-shape path found by a semantic rule."""
        raise NotImplementedError

    def whole(self, tree):
        """``tree`` (the options' file shape) placed in a whole config, for the rules."""
        raise NotImplementedError

    def payload(self, params, tree):
        """The NETCONF payload text for the validated ``params`` and their file shape."""
        raise NotImplementedError

    def offline(self, params, tree):
        """A result that needs no host (rendered, parsed), or None."""
        return None

    # -- the flow -----------------------------------------------------------------------------

    def check(self, args):
        """[problem] with the model part of ``args``; the file-shape tree."""
        node, options = self.model_options(args)
        tree, problems = model_check.to_tree(node, options)
        if not problems:
            problems = model_check.rule_problems(self.whole(tree), self.rename)
        return tree, problems

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        args = dict(self._task.args)
        if "payload" in args:
            raise AnsibleActionFail("payload is rendered from the other options; do not set it")
        tree, problems = self.check(args)
        if problems:
            result.update(failed=True, problems=problems)
            result["msg"] = "invalid arguments, nothing was sent: " + "; ".join(problems)
            return result
        spec = {k: v for k, v in self.ARGUMENT_SPEC.items() if k != "payload"}
        _validated, params = self.validate_argument_spec(argument_spec=spec)
        offline = self.offline(params, tree)
        if offline is not None:
            result.update(offline)
            return result
        module_args = dict(args, payload=self.payload(params, tree))
        result.update(
            self._execute_module(
                module_name=self.MODULE, module_args=module_args, task_vars=task_vars
            )
        )
        return result


def model_part(args, spec):
    """The arguments that are model leaves (everything the spec has but NOT_MODEL); unknown
    names stay in, so that the model check names them."""
    return {k: v for k, v in args.items() if k not in NOT_MODEL or k not in spec}
