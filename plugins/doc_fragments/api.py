# Copyright: Peerwise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The option every peerwise.bgp module shares: where the speaker's API socket is."""

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
