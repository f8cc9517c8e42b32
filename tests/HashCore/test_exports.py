"""libcndhash.so exports exactly the CND_API functions of cndhash.h, nothing internal, and
cnd_version() returns the release the build was given (CND_VERSION).

usage: test_exports.py PATH_TO_libcndhash.so PATH_TO_cndhash.h [EXPECTED_VERSION]
"""
import ctypes
import re
import subprocess
import sys


def version_is_stamped(lib, expected):
    try:
        cnd_version = ctypes.CDLL(lib).cnd_version
    except OSError:
        # A cross build (another architecture or a Windows DLL) cannot be loaded here: the
        # string must at least be in the file, NUL-terminated as the C literal is.
        return expected.encode() + b"\0" in open(lib, "rb").read()
    cnd_version.restype = ctypes.c_char_p
    actual = cnd_version().decode()
    if actual != expected:
        print(f"cnd_version() is {actual!r}, expected {expected!r}")
    return actual == expected


def main():
    lib, header = sys.argv[1], sys.argv[2]
    declared = set(re.findall(r"CND_API\s+[\w\s\*]+?\b(cnd_\w+)\s*\(", open(header).read()))
    out = subprocess.run(["nm", "-D", "--defined-only", lib], stdout=subprocess.PIPE, check=True,
                         text=True).stdout
    exported = {fields[2] for fields in (line.split() for line in out.splitlines())
                if len(fields) == 3 and fields[1] in "TtWw"}
    ok = len(declared) >= 10 and exported == declared
    if len(sys.argv) > 3 and not version_is_stamped(lib, sys.argv[3]):
        print(f"the library is not stamped with version {sys.argv[3]}")
        ok = False
    if not ok:
        print("declared but not exported:", sorted(declared - exported))
        print("exported but not declared:", sorted(exported - declared))
    print(f"test_exports: {len(exported)} exported, {len(declared)} declared: {'passed' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
