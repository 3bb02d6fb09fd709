"""
Run a command that gets SIGTERM when its parent process dies, however it dies (SIGKILL included).

    python3 pdeathsig.py PARENT_PID COMMAND [ARG ...]

Linux's prctl(PR_SET_PDEATHSIG, SIGTERM) survives the exec into COMMAND (java, python, sh), so the kernel ends the
sandbox's DynamoDB Local and moto even when nothing is left to poll for the parent. PARENT_PID is the parent that
spawned us: if it died before prctl took effect, COMMAND is not started at all. Elsewhere (no prctl) it only execs;
the sandbox's watchdog shell still polls the parent there.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def main() -> None:
    parent = int(sys.argv[1])
    command = sys.argv[2:]
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: no parent-death signal
    if os.getppid() != parent:
        sys.exit(0)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
