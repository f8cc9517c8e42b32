"""cndhash.dll needs only DLLs every Windows has: the MinGW runtime (libgcc, winpthreads) is
linked in, so a user installs nothing beside it.

usage: test_dll_imports.py OBJDUMP PATH_TO_DLL_OR_EXE ...
"""
import re
import subprocess
import sys

# Part of Windows itself: the kernel API and the C runtimes (msvcrt, or the UCRT and its API sets).
SYSTEM = re.compile(r"(kernel32|msvcrt|ucrtbase|api-ms-win-[\w-]+)\.dll", re.IGNORECASE)


def main():
    objdump, files = sys.argv[1], sys.argv[2:]
    failures = 0
    for path in files:
        out = subprocess.run([objdump, "-p", path], stdout=subprocess.PIPE, check=True, text=True).stdout
        imports = re.findall(r"DLL Name:\s*(\S+)", out)
        foreign = [name for name in imports if not SYSTEM.fullmatch(name)]
        # An empty list would mean the table was not read, not that nothing is imported.
        if not imports or foreign:
            failures += 1
        print(f"{path}: imports {imports}; not part of Windows: {foreign}")
    print(f"test_dll_imports: {len(files)} files, {failures} failures")
    return 1 if failures or not files else 0


if __name__ == "__main__":
    sys.exit(main())
