"""Runs a command and ends it (with its whole process group) when the process that started us is gone.

The test support module starts the moto server through this, so that even a test run killed with
SIGKILL, which runs no exit handler, leaves no emulator behind. SIGTERM, SIGINT and SIGHUP end the
command too. Exits with the command's status.

Usage: tethered.py [--log FILE] -- COMMAND...   (--log: the command's output goes there, appended)
"""
import os
import signal
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    output = None
    if args[:1] == ["--log"] and len(args) > 1:
        output = open(args[1], "ab")
        args = args[2:]
    if len(args) < 2 or args[0] != "--":
        sys.exit(__doc__)
    parent = os.getppid()
    child = subprocess.Popen(args[1:], start_new_session=True, stdout=output, stderr=output)

    def end(*_):
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        child.wait()
        sys.exit(128 + signal.SIGTERM)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, end)
    while child.poll() is None:
        if os.getppid() != parent:
            end()
        time.sleep(0.5)
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
