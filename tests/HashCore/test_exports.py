"""The library exports exactly the CND_API functions of cndhash.h, nothing internal, and
cnd_version() returns the release the build was given (CND_VERSION).

usage: test_exports.py PATH_TO_LIBRARY PATH_TO_cndhash.h OBJDUMP EXPECTED_VERSION
libcndhash.so is read with `nm -D`; cndhash.dll's export table with OBJDUMP (a PE-aware one,
e.g. x86_64-w64-mingw32-objdump).
"""
import ctypes
import re
import subprocess
import sys


def elf_exports(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], stdout=subprocess.PIPE, check=True,
                         text=True).stdout
    return {fields[2] for fields in (line.split() for line in out.splitlines())
            if len(fields) == 3 and fields[1] in "TtWw"}


def dll_exports(lib, objdump):
    # `objdump -p` lists the export names after "[Ordinal/Name Pointer] Table", one "[  n] name" a line.
    out = subprocess.run([objdump, "-p", lib], stdout=subprocess.PIPE, check=True, text=True).stdout
    _, found, table = out.partition("[Ordinal/Name Pointer] Table")
    if not found:
        return set()
    names = set()
    for line in table.splitlines()[1:]:
        match = re.match(r"\s*\[\s*\d+\]\s+(\S+)$", line)
        if not match:
            break
        names.add(match.group(1))
    return names


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
    lib, header, objdump, version = sys.argv[1:5]
    declared = set(re.findall(r"CND_API\s+[\w\s\*]+?\b(cnd_\w+)\s*\(", open(header).read()))
    exported = dll_exports(lib, objdump) if lib.lower().endswith(".dll") else elf_exports(lib)
    ok = len(declared) >= 10 and exported == declared
    if not ok:
        print("declared but not exported:", sorted(declared - exported))
        print("exported but not declared:", sorted(exported - declared))
    if not version_is_stamped(lib, version):
        print(f"the library is not stamped with version {version}")
        ok = False
    print(f"test_exports: {len(exported)} exported, {len(declared)} declared: {'passed' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
