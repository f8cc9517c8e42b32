"""cnd-bench --sweep-lengths: one measurement per kernel and length, ratios to the kernel's best
length, and a refusal of malformed ranges.

usage: test_bench_sweep.py [EMULATOR ...] CND_BENCH
(a cross-built cnd-bench runs under the emulator CMake names, e.g. Wine)
"""
import json
import subprocess
import sys


def run(bench, *args):
    return subprocess.run([*bench, *args], capture_output=True, text=True, timeout=60)


def main():
    bench = sys.argv[1:]
    failures = []
    # Each point is the best of four slices. Under an emulator a slice that ends before its thread
    # has started counts nothing (qemu, Wine on a busy machine start threads slowly), and Windows
    # counts process CPU time in timer ticks (15.6 ms; 10 ms under Wine): slices must last longer.
    seconds = "0.05" if len(bench) == 1 else "1.0"

    done = run(bench, "--sweep-lengths", "52-55", "--seconds", seconds, "--kernel", "scalar", "--json")
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0:
        failures.append(f"sweep exited {done.returncode}: {done.stderr}")
    if [r["block_len"] for r in rows] != [52, 53, 54, 55] or any(r["kernel"] != "scalar" for r in rows):
        failures.append(f"expected scalar at lengths 52..55, got {rows}")
    ratios = [r["ratio_to_best"] for r in rows]
    if rows and (max(ratios) != 1.0 or min(ratios) <= 0 or any(r["mnonces_per_cpu_second"] <= 0 for r in rows)):
        failures.append(f"ratios must be in (0, 1] with the best at 1: {ratios}")

    table = run(bench, "--sweep-lengths", "62-63", "--seconds", seconds, "--kernel", "scalar")
    if table.returncode != 0 or "| scalar | " not in table.stdout or "|     63 |     63 |      2 |" not in table.stdout:
        failures.append(f"the Markdown sweep lacks its rows or summary:\n{table.stdout}")

    for bad in ("9-3", "0-5000", "7", "1-2x"):
        refused = run(bench, "--sweep-lengths", bad, "--kernel", "scalar")
        if refused.returncode != 2:
            failures.append(f"--sweep-lengths {bad} exited {refused.returncode}, expected 2")

    for f in failures:
        print("FAIL", f)
    print("test_bench_sweep:", "passed" if not failures else f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
