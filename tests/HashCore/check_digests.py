"""Recomputes every digest gen_digests writes with hashlib, an independent SHA-256.

usage: check_digests.py [EMULATOR ...] PATH_TO_gen_digests
(a cross-built generator runs under the emulator CMake names, e.g. Wine)
Fails when any digest differs, when the generator fails, or when records are missing
(so a generator that prints nothing cannot pass).
"""
import hashlib
import subprocess
import sys

PER_LENGTH = 25
MAX_SHORT = 200


def sha256d(data):
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def expected(kind, fields):
    data = bytes.fromhex(fields[0])
    if kind == "S":
        return hashlib.sha256(data).hexdigest()
    if kind == "D":
        return sha256d(data).hex()
    nonce = int(fields[1])
    if kind in ("N", "A"):
        return sha256d(data + nonce.to_bytes(4, "big")).hex()
    if kind == "B":
        return sha256d(data[:76] + nonce.to_bytes(4, "little")).hex()
    raise ValueError("unknown record kind " + kind)


def main():
    out = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, check=True).stdout.decode()
    counts = {}
    lengths = set()
    failures = 0
    for line in out.splitlines():
        kind, *fields = line.split(" ")
        counts[kind] = counts.get(kind, 0) + 1
        lengths.add(len(fields[0]) // 2)
        got = fields[-1]
        want = expected(kind, fields[:-1])
        if got != want:
            failures += 1
            if failures <= 10:
                print(f"MISMATCH {kind} len={len(fields[0]) // 2} {' '.join(fields[1:-1])}: "
                      f"got {got} want {want}")
    short = (MAX_SHORT + 1) * PER_LENGTH
    for kind in "SDNA":
        if counts.get(kind, 0) < short:
            failures += 1
            print(f"only {counts.get(kind, 0)} {kind} records, want at least {short}")
    if counts.get("B", 0) < PER_LENGTH:
        failures += 1
        print(f"only {counts.get('B', 0)} B records")
    if not set(range(MAX_SHORT + 1)) <= lengths or max(lengths) < 1 << 20:
        failures += 1
        print("some input lengths are missing")
    total = sum(counts.values())
    print(f"check_digests: {total} records ({counts}), {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
