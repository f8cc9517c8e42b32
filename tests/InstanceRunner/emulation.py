"""Making a simulated arm64 instance run aarch64 programs on this x86-64 host, the way a Debian host
with qemu-user-static does: binfmt_misc hands every aarch64 ELF executable to qemu-aarch64-static,
with QEMU_CPU=max (the `-cpu max` model, which has the ARMv8 SHA-2 extension).

The handler is registered in a binfmt_misc of the instance's own user namespace (Linux 6.7 and later
let each user namespace mount one), never in the host's: only that instance's processes see it. So an
arm64 instance runs the aarch64 scanner its manifest names, and an x86_64 instance refuses one with
"Exec format error", as a real x86_64 instance would.

The runner starts an arm64 instance's user-data as
    unshare --user --map-root-user --mount -- python3 emulation.py QEMU -- COMMAND...
(COMMAND being the usual sandbox, instance_process.py); this file, run so, mounts the namespace's
binfmt_misc, registers the handler, checks it took, and executes COMMAND.
"""
import os
import shutil
import subprocess
import sys

QEMU = "qemu-aarch64-static"
BINFMT_DIR = "/proc/sys/fs/binfmt_misc"
HANDLER = "qemu-aarch64"
# The ELF header of a 64-bit little-endian aarch64 executable (e_machine 0xb7), static or PIE: the
# registration Debian's qemu-user-static package makes. Written as text; the kernel decodes the \x.
MAGIC = r"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00"
MASK = r"\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff"
USERNS_PREFIX = ("unshare", "--user", "--map-root-user", "--mount", "--")
CPU_ENVIRONMENT = {"QEMU_CPU": "max"}


class Emulation:
    """Whether this host can give arm64 instances their emulator, decided once per runner."""

    def __init__(self):
        self.qemu = shutil.which(QEMU)
        self.problem = None
        if self.qemu is None:
            self.problem = f"{QEMU} is not installed (Debian: apt-get install qemu-user-static)"
            return
        probe = subprocess.run(self.command(["true"]), capture_output=True, text=True)
        if probe.returncode != 0:
            self.problem = ("cannot register an aarch64 handler in a binfmt_misc of the instance's own user namespace "
                            f"(needs Linux 6.7 or later and user namespaces): {probe.stderr.strip()}")

    @property
    def available(self):
        return self.problem is None

    def describe(self):
        """For the runner's status: how arm64 instances run their aarch64 programs, or why they cannot."""
        if self.available:
            return {"arm64": f"{self.qemu} with QEMU_CPU=max, through binfmt_misc in the instance's user namespace"}
        return {"arm64": None, "problem": self.problem}

    def command(self, command):
        """COMMAND, run where aarch64 executables start through the emulator."""
        return [*USERNS_PREFIX, sys.executable, os.path.abspath(__file__), self.qemu, "--", *command]


def register(qemu):
    subprocess.run(["mount", "-t", "binfmt_misc", "cnd-binfmt", BINFMT_DIR], check=True)
    # F: the kernel opens the emulator now, so it is found whatever the instance's mounts become.
    with open(os.path.join(BINFMT_DIR, "register"), "w") as f:
        f.write(f":{HANDLER}:M::{MAGIC}:{MASK}:{qemu}:F")
    with open(os.path.join(BINFMT_DIR, HANDLER)) as f:
        if f.readline().strip() != "enabled":
            raise OSError(f"the {HANDLER} handler was registered but is not enabled")


def main():
    qemu, separator, *command = sys.argv[1:]
    if separator != "--" or not command:
        sys.exit("usage: emulation.py QEMU -- COMMAND...")
    try:
        register(qemu)
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"emulation: cannot make aarch64 programs run here: {e}")
    os.execvpe(command[0], command, {**os.environ, **CPU_ENVIRONMENT})


if __name__ == "__main__":
    main()
