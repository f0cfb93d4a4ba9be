"""ExaBGP API helper: append every JSON event ExaBGP writes to our stdin to the file in argv[1].

It writes its own PID to ``argv[1] + ".pid"`` so that the harness can stop it by PID should
ExaBGP exit without stopping it.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    path = sys.argv[1]
    with open(path + ".pid", "w") as pid_file:
        pid_file.write(str(os.getpid()))
    with open(path, "a", buffering=1) as out:
        for line in sys.stdin:
            out.write(line)


if __name__ == "__main__":
    main()
