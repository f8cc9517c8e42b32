"""Running one simulated instance's user-data as a local process, the way cloud-init would run it,
inside a sandbox that keeps it from powering off or rebooting the host."""
import os
import shutil
import subprocess
import sys

import process_tree

HERE = os.path.dirname(os.path.abspath(__file__))
SHIM_TEMPLATE = os.path.join(HERE, "power_shim.sh")
NS_INIT = os.path.join(HERE, "ns_init.py")
SHIM_NAMES = ("poweroff", "halt", "reboot", "shutdown", "systemctl", "telinit")
SANDBOX_PREFIX = ("unshare", "--pid", "--fork", "--kill-child=SIGKILL", "--mount-proc", "--")


class Sandbox:
    """How user-data is isolated from the host, decided once per runner.

    As root, user-data runs under ns_init.py in its own PID and mount namespaces (see there); when that
    is impossible the runner refuses to start, because a root script could otherwise reach the host's
    power controls. Without root the script cannot power off the host anyway, so the PATH shims suffice.
    """

    def __init__(self):
        if os.geteuid() != 0:
            self.isolated = False
            self.defenses = ["path-shims"]
            return
        missing = [tool for tool in ("unshare", "setpriv", "mount") if shutil.which(tool) is None]
        if missing:
            raise RuntimeError(f"running user-data as root needs {', '.join(missing)} (util-linux, mount)")
        probe = subprocess.run([*SANDBOX_PREFIX, "setpriv", "--bounding-set", "-sys_boot", "--", "true"],
                               capture_output=True, text=True)
        if probe.returncode != 0:
            raise RuntimeError("cannot create PID and mount namespaces for user-data "
                               f"(unshare/setpriv: {probe.stderr.strip()}); refusing to run it as root unsandboxed")
        self.isolated = True
        self.defenses = ["path-shims", "pid-namespace", "power-commands-covered", "init-interfaces-hidden",
                         "no-cap-sys-boot", "no-cap-sys-admin"]

    def command(self, shim, script, relay=None):
        """relay (port, Unix socket): the instance gets a network namespace of its own with only the
        runner's port relayed into it (no route to S3)."""
        if not self.isolated:
            return [script]
        if relay is None:
            return [*SANDBOX_PREFIX, sys.executable, NS_INIT, shim, "--", script]
        unshare, *options = SANDBOX_PREFIX
        return [unshare, "--net", *options, sys.executable, NS_INIT, "--relay", f"{relay[0]}:{relay[1]}", shim, "--", script]


def install_shims(directory, runner_url, instance_id):
    """Writes the instance's power shim and the command names that lead to it; returns the shim."""
    os.makedirs(directory, exist_ok=True)
    with open(SHIM_TEMPLATE) as f:
        text = f.read().replace("@RUNNER_URL@", runner_url).replace("@INSTANCE_ID@", instance_id)
    shim = os.path.join(directory, "cnd-power")
    with open(shim, "w") as f:
        f.write(text)
    os.chmod(shim, 0o755)
    for name in SHIM_NAMES:
        os.symlink("cnd-power", os.path.join(directory, name))
    return shim


def start(sandbox, work_dir, user_data, runner_url, runner_tag, instance_id, niceness, relay=None, emulation=None):
    """Starts the user-data in its own session; returns the Popen, or None when it is not a script.

    emulation (emulation.Emulation), for an arm64 instance: its aarch64 programs run through qemu.

    relay (port, Unix socket) keeps the instance off the network but for the runner (no route to S3):
    as root by a network namespace; without root, where none can be made, by sending curl (what the
    bootstrap uses) to a proxy that does not exist, the runner being reached as "localhost" past it.

    niceness lowers the simulated fleet's priority, so that scans do not starve the emulator, the
    runner and the test driving them on a small machine.
    """
    if not user_data.startswith(b"#!"):
        return None
    os.makedirs(os.path.join(work_dir, "tmp"), exist_ok=True)
    script = os.path.join(work_dir, "user-data")
    with open(script, "wb") as f:
        f.write(user_data)
    os.chmod(script, 0o700)
    offline_without_namespace = relay is not None and not sandbox.isolated
    if offline_without_namespace:
        runner_url = runner_url.replace("127.0.0.1", "localhost")
    shim_dir = os.path.join(work_dir, "shim")
    shim = install_shims(shim_dir, runner_url, instance_id)
    # A clean environment, as on a fresh instance: in particular no AWS credentials or endpoints.
    env = {
        "PATH": f"{shim_dir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": work_dir,
        "TMPDIR": os.path.join(work_dir, "tmp"),
        "LANG": "C.UTF-8",
        "CND_IMDS_ENDPOINT": f"{runner_url}/{instance_id}",
        process_tree.MARKER: process_tree.marker_value(runner_tag, instance_id),
    }
    if offline_without_namespace:
        for name in ("http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
            env[name] = "http://127.0.0.1:9"  # the discard port: nothing listens
        env["no_proxy"] = env["NO_PROXY"] = "localhost"
    command = sandbox.command(shim, script, relay)
    if emulation is not None:
        command = emulation.command(command)
    with open(os.path.join(work_dir, "console.log"), "ab") as console:
        return subprocess.Popen(["nice", "-n", str(niceness), *command], cwd=work_dir, env=env, stdin=subprocess.DEVNULL,
                                stdout=console, stderr=subprocess.STDOUT, start_new_session=True)
