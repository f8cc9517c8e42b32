"""Ends every process of an instance runner's simulated instances once the runner is gone.

The runner starts this with a pipe on stdin and writes each instance's process-group id to it. When
the runner exits for any reason, SIGKILL included, the kernel closes the pipe: this process reads
end-of-file and kills what the runner can no longer kill. It lives in its own session, so a signal
sent to the runner's process group does not take it down first.

Usage: guardian.py RUNNER_TAG
"""
import signal
import sys

import process_tree


def main():
    runner_tag = sys.argv[1]
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    groups = set()
    for line in sys.stdin:
        if line.strip().isdigit():
            groups.add(int(line))
    for pgid in groups:
        process_tree.kill_group(pgid)
    process_tree.kill_runner_instances(runner_tag)


if __name__ == "__main__":
    main()
