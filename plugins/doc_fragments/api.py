# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options every peerwise.bgp module shares: where the speaker's API socket is, and the
payload the config modules' action plugins hand to the module."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  api_socket:
    description:
      - Path of the speaker's NETCONF API socket on the host (C(peerwised --api-socket)).
      - Set it once for all modules with C(module_defaults) and the group
        C(group/peerwise.bgp.all).
    type: path
    default: /run/peerwise/api.sock
requirements:
  - A running C(peerwised) on the host (role M(peerwise.bgp.speaker)); only the Python
    standard library is needed by the module itself.
"""

    PAYLOAD = r"""
options:
  payload:
    description:
      - Internal. The NETCONF C(edit-config) content the module's action plugin rendered on
        the controller from the other options, after checking them against the model.
      - Set by the action plugin; a task that sets it fails.
    type: str
notes:
  - The action plugin checks every option against the YANG model before anything is sent
    (type, range, pattern, choices, and the model's rules such as hold time 0 or at least 3,
    RFC 4271 §4.2). The module then edits the speaker's candidate datastore, reads back the
    result, and commits it; in check mode it asks the speaker to validate the candidate (which
    reports the sessions the change would reset) and discards it. Running is never touched in
    check mode.
  - A change the speaker refuses fails the task with the speaker's message and error path;
    nothing changes.
attributes:
  check_mode:
    support: full
    description: Predicted by the speaker on its candidate datastore, then discarded.
  diff_mode:
    support: full
    description: The diff header names the sessions the change resets.
"""
