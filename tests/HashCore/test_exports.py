"""libcndhash.so exports exactly the CND_API functions of cndhash.h, nothing internal.

usage: test_exports.py PATH_TO_libcndhash.so PATH_TO_cndhash.h
"""
import re
import subprocess
import sys


def main():
    lib, header = sys.argv[1], sys.argv[2]
    declared = set(re.findall(r"CND_API\s+[\w\s\*]+?\b(cnd_\w+)\s*\(", open(header).read()))
    out = subprocess.run(["nm", "-D", "--defined-only", lib], stdout=subprocess.PIPE, check=True,
                         text=True).stdout
    exported = {fields[2] for fields in (line.split() for line in out.splitlines())
                if len(fields) == 3 and fields[1] in "TtWw"}
    ok = len(declared) >= 10 and exported == declared
    if not ok:
        print("declared but not exported:", sorted(declared - exported))
        print("exported but not declared:", sorted(exported - declared))
    print(f"test_exports: {len(exported)} exported, {len(declared)} declared: {'passed' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
