"""Finding and ending every process of a simulated instance, however it was started.

Each instance runs in its own session, so killing its process group is the usual way. A process that
left the group (setsid, a daemonising tool) still carries the marker variable in the environment it
was started with, so a sweep of /proc by marker catches it too.
"""
import os
import signal

MARKER = "CND_RUNNER_INSTANCE"


def marker_value(runner_tag, instance_id):
    return f"{runner_tag}/{instance_id}"


def _marked_pids(matches):
    me = os.getpid()
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as f:
                entries = f.read().split(b"\0")
        except OSError:  # gone, or a kernel thread
            continue
        prefix = MARKER.encode() + b"="
        if any(e.startswith(prefix) and matches(e[len(prefix):].decode(errors="replace")) for e in entries):
            yield int(name)


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def kill_instance(pgid, runner_tag, instance_id):
    """Ends the instance's process group and any of its processes that escaped the group."""
    if pgid:
        kill_group(pgid)
    wanted = marker_value(runner_tag, instance_id)
    for pid in _marked_pids(lambda value: value == wanted):
        _kill(pid)


def kill_runner_instances(runner_tag):
    """Ends every process of every instance a runner started."""
    prefix = marker_value(runner_tag, "")
    for pid in _marked_pids(lambda value: value.startswith(prefix)):
        _kill(pid)


def instance_pids(runner_tag, instance_id):
    """The live processes of one instance (for status reports and tests)."""
    wanted = marker_value(runner_tag, instance_id)
    return sorted(_marked_pids(lambda value: value == wanted))
