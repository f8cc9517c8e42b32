"""PID 1 of a simulated instance: its own PID and mount namespaces, set up so that nothing the
user-data does can power off or reboot the host.

instance_runner.py starts this through `unshare --pid --fork --mount-proc`. Before it starts the
user-data it
- binds the instance's power shim over the real file behind every power command, so even an absolute
  `/sbin/poweroff` or `/usr/bin/systemctl poweroff` ends only this instance;
- hides the init system's control interfaces (systemd and D-Bus sockets, initctl, sysrq);
- runs the user-data through `setpriv` without CAP_SYS_BOOT (no reboot(2), no kexec) and without
  CAP_SYS_ADMIN (the covers above cannot be unmounted).
Being in a PID namespace, the user-data cannot signal the host's init either. Like a real init it
stays until the last process of the instance is gone (the worker's scheduled power-off outlives the
script), reaping orphans, and exits with the user-data's status. If any cover cannot be put in place
it refuses to run the user-data.

With --relay PORT:SOCKET it is also in a network namespace of its own (the instance has no route to
S3): it brings up loopback and relays 127.0.0.1:PORT (the runner's metadata and power endpoint) to
the runner through the Unix socket SOCKET (loopback_relay.py); nothing else is reachable.

Usage: ns_init.py [--relay PORT:SOCKET] SHIM -- COMMAND...
"""
import os
import subprocess
import sys

import loopback_relay

POWER_COMMANDS = ("poweroff", "halt", "reboot", "shutdown", "systemctl", "telinit")
COMMAND_DIRS = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
INIT_SOCKET_DIRS = ("/run/systemd", "/run/dbus")
INIT_FILES = ("/run/initctl", "/dev/initctl", "/proc/sysrq-trigger")
DROPPED_CAPS = "-sys_boot,-sys_admin"


def mount(*args):
    subprocess.run(["mount", *args], check=True)


def cover_power_commands(shim):
    covered = set()
    for name in POWER_COMMANDS:
        for directory in COMMAND_DIRS:
            path = os.path.join(directory, name)
            if os.path.lexists(path):
                real = os.path.realpath(path)
                if os.path.isfile(real) and real not in covered:
                    mount("--bind", shim, real)
                    covered.add(real)


def hide_init_interfaces():
    for directory in INIT_SOCKET_DIRS:
        if os.path.isdir(directory):
            mount("-t", "tmpfs", "-o", "size=64k,mode=0755", "cnd-hidden", directory)
    for path in INIT_FILES:
        if os.path.exists(path):
            mount("--bind", "/dev/null", path)


def run_as_init(command):
    """Starts the command and reaps every process of the namespace; returns the command's status."""
    argv = ["setpriv", "--bounding-set", DROPPED_CAPS, "--inh-caps", DROPPED_CAPS, "--", *command]
    child = os.posix_spawnp(argv[0], argv, os.environ)
    status = 0
    while True:
        try:
            pid, wait_status = os.wait()
        except ChildProcessError:
            return status
        if pid == child:
            code = os.waitstatus_to_exitcode(wait_status)
            status = code if code >= 0 else 128 - code  # a signal, as a shell reports it


def relay_runner(spec):
    port, path = spec.split(":", 1)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    loopback_relay.tcp_to_unix(int(port), path)


def main():
    arguments = sys.argv[1:]
    relay = None
    if arguments[:1] == ["--relay"]:
        relay, arguments = arguments[1], arguments[2:]
    shim, separator, *command = arguments
    if separator != "--" or not command:
        sys.exit(__doc__)
    try:
        cover_power_commands(shim)
        hide_init_interfaces()
        if relay:
            relay_runner(relay)
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"ns_init: refusing to run user-data without its sandbox: {e}")
    sys.exit(run_as_init(command))


if __name__ == "__main__":
    main()
