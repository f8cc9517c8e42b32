"""The library exports exactly the CND_API functions of cndhash.h, nothing internal.

usage: test_exports.py PATH_TO_LIBRARY PATH_TO_cndhash.h OBJDUMP
libcndhash.so is read with `nm -D`; cndhash.dll's export table with OBJDUMP (a PE-aware one,
e.g. x86_64-w64-mingw32-objdump).
"""
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


def main():
    lib, header, objdump = sys.argv[1], sys.argv[2], sys.argv[3]
    declared = set(re.findall(r"CND_API\s+[\w\s\*]+?\b(cnd_\w+)\s*\(", open(header).read()))
    exported = dll_exports(lib, objdump) if lib.lower().endswith(".dll") else elf_exports(lib)
    ok = len(declared) >= 10 and exported == declared
    if not ok:
        print("declared but not exported:", sorted(declared - exported))
        print("exported but not declared:", sorted(exported - declared))
    print(f"test_exports: {len(exported)} exported, {len(declared)} declared: {'passed' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
