"""cnd-scan's command-line contract, which the EC2 worker scripts depend on.

usage: test_cli.py [EMULATOR ...] PATH_TO_cnd-scan
(a cross-built cnd-scan runs under the emulator CMake names, e.g. Wine)
"""
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

SCAN = sys.argv[1:]
# Windows has no SIGTERM: there Ctrl-C (SIGINT to Wine, which passes it on as Ctrl-C) cancels.
STOP_SIGNAL = signal.SIGINT if SCAN[-1].endswith(".exe") else signal.SIGTERM
CLOUD_HEX = b"COMSM0010cloud".hex()
GENESIS_HEX = ("01000000" + "00" * 32
               + "3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a"
               + "29ab5f49" + "ffff001d" + "1dac2b7c")
GENESIS_NONCE = 2083236893
RESULT_KEYS = {"type", "status", "found", "nonce", "hash", "hashes", "seconds", "rate", "kernel",
               "threads", "start", "end", "difficulty", "next_nonce"}
PROGRESS_KEYS = {"type", "next_nonce", "hashes", "seconds", "rate"}
failures = []


def check(cond, message):
    if not cond:
        failures.append(message)
        print("FAIL", message)


def run(*args, timeout=30):
    return subprocess.run([*SCAN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout, text=True)


def json_lines(stdout):
    return [json.loads(line) for line in stdout.splitlines()]


def sha256d(data):
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def leading_zero_bits(digest):
    return 256 - int.from_bytes(digest, "big").bit_length()


def test_append_result():
    proc = run("--block-hex", CLOUD_HEX, "--difficulty", "12", "--start", "0x100", "--end", "200000",
               "--threads", "2", "--kernel", "auto")
    check(proc.returncode == 0, f"append scan exit {proc.returncode}: {proc.stderr}")
    lines = json_lines(proc.stdout)
    check(len(lines) == 1, f"expected one result line, got {len(lines)}")
    r = lines[-1]
    check(set(r) == RESULT_KEYS, f"result keys {sorted(r)}")
    check(r["type"] == "result" and r["status"] == "found" and r["found"] is True, f"result {r}")
    check(r["start"] == 256 and r["end"] == 200000 and r["difficulty"] == 12, f"echoed range {r}")
    check(r["next_nonce"] == r["nonce"] + 1 and r["threads"] >= 1 and r["hashes"] >= 1, f"counts {r}")
    block = b"COMSM0010cloud"
    digest = sha256d(block + r["nonce"].to_bytes(4, "big"))
    check(digest.hex() == r["hash"], "hash is not the nonce's sha256d")
    check(leading_zero_bits(digest) >= 12, "reported nonce is not golden")
    lower = [n for n in range(256, r["nonce"]) if leading_zero_bits(sha256d(block + n.to_bytes(4, "big"))) >= 12]
    check(not lower, f"a lower golden nonce exists: {lower[:3]}")


def test_exhausted_and_kernels():
    for kernel in ("scalar", "auto"):
        proc = run("--block-hex", CLOUD_HEX, "--difficulty", "256", "--start", "4294967000",
                   "--kernel", kernel)
        r = json_lines(proc.stdout)[-1]
        check(proc.returncode == 0 and r["status"] == "exhausted" and r["found"] is False
              and r["nonce"] is None and r["hash"] is None and r["hashes"] == 296
              and r["next_nonce"] == 2 ** 32 and r["end"] == 2 ** 32 - 1,
              f"{kernel}: exhausted result {r}")
        check(kernel == "auto" or r["kernel"] == kernel, f"kernel reported {r['kernel']}")


def test_bitcoin_mode():
    start = GENESIS_NONCE - 5000
    for extra in ([], ["--bits", "1d00ffff"], ["--bits", "0x1d00ffff"]):
        proc = run("--block-hex", GENESIS_HEX, "--mode", "bitcoin", "--start", hex(start),
                   "--end", str(GENESIS_NONCE + 10), *extra)
        r = json_lines(proc.stdout)[-1]
        check(proc.returncode == 0 and r["nonce"] == GENESIS_NONCE and r["difficulty"] is None
              and r["hash"] == "6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000",
              f"genesis {extra}: {r} {proc.stderr}")
    # A target of 2^224 - 1 is easier than nBits 1d00ffff but still met by the real nonce.
    proc = run("--block-hex", GENESIS_HEX, "--mode", "bitcoin", "--difficulty", "32",
               "--start", str(GENESIS_NONCE), "--end", str(GENESIS_NONCE))
    r = json_lines(proc.stdout)[-1]
    check(r["found"] is True and r["difficulty"] == 32, f"bitcoin with --difficulty: {r}")


def test_block_file():
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(b"COMSM0010cloud")
        path = f.name
    try:
        a = json_lines(run("--block-file", path, "--difficulty", "10", "--end", "100000").stdout)[-1]
        b = json_lines(run("--block-hex", CLOUD_HEX, "--difficulty", "10", "--end", "100000").stdout)[-1]
        check(a["nonce"] == b["nonce"] and a["hash"] == b["hash"], f"--block-file {a} vs --block-hex {b}")
    finally:
        os.unlink(path)


def test_progress_and_time_limit():
    proc = run("--block-hex", CLOUD_HEX, "--difficulty", "256", "--kernel", "scalar",
               "--time-limit", "0.6", "--progress-interval", "0.1")
    lines = json_lines(proc.stdout)
    progress = [line for line in lines if line["type"] == "progress"]
    check(proc.returncode == 0 and lines[-1]["status"] == "time_limit", f"time-limited result {lines[-1:]}")
    check(3 <= len(progress) <= 7, f"{len(progress)} progress lines in 0.6 s at 0.1 s")
    check(all(set(p) == PROGRESS_KEYS for p in progress), "progress keys")
    nexts = [p["next_nonce"] for p in progress]
    check(nexts == sorted(nexts) and nexts[-1] <= lines[-1]["next_nonce"], f"checkpoints {nexts}")
    check(all(p["next_nonce"] <= p["hashes"] for p in progress), "checkpoint ahead of hashes")


def test_stop_signal_cancels():
    proc = subprocess.Popen([*SCAN, "--block-hex", CLOUD_HEX, "--difficulty", "256", "--threads", "2",
                             "--progress-interval", "0.1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The first progress line means the scan (and its handler) is running, however slowly the
    # process started (Wine takes a while).
    first = proc.stdout.readline()
    check(json.loads(first)["type"] == "progress", f"first line {first!r}")
    sent = time.monotonic()
    proc.send_signal(STOP_SIGNAL)
    out, err = proc.communicate(timeout=10)
    took = time.monotonic() - sent
    check(proc.returncode == 0, f"{STOP_SIGNAL.name} exit {proc.returncode}: {err}")
    r = json_lines(out)[-1]
    check(r["status"] == "cancelled" and r["found"] is False and r["hashes"] > 0, f"cancelled result {r}")
    check(took < 1.0, f"{STOP_SIGNAL.name} took {took:.2f} s")


BAD_ARGS = [
    ([], "--block-hex"),
    (["--block-hex", CLOUD_HEX], "--difficulty"),
    (["--block-hex", CLOUD_HEX, "--block-file", "/etc/hostname", "--difficulty", "1"], "--block-hex"),
    (["--block-hex", "abc", "--difficulty", "1"], "--block-hex"),
    (["--block-hex", "zz", "--difficulty", "1"], "--block-hex"),
    (["--block-file", "/nonexistent/block", "--difficulty", "1"], "--block-file"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "257"], "--difficulty"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "-1"], "--difficulty"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "ten"], "--difficulty"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "1", "--start", "4294967296"], "--start"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "1", "--start", "0x"], "--start"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "1", "--end", "1e3"], "--end"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "1", "--start", "10", "--end", "9"], "--start"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "1", "--threads", "0"], "--threads"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "1", "--threads", "5000"], "--threads"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "1", "--kernel", "sse2"], "--kernel"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "1", "--mode", "litecoin"], "--mode"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "1", "--time-limit", "-3"], "--time-limit"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "1", "--progress-interval", "soon"], "--progress-interval"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "1", "--bits", "1d00ffff"], "--bits"),
    (["--block-hex", CLOUD_HEX, "--mode", "bitcoin"], "--mode bitcoin"),
    (["--block-hex", GENESIS_HEX, "--mode", "bitcoin", "--bits", "xyz"], "--bits"),
    (["--block-hex", GENESIS_HEX, "--mode", "bitcoin", "--bits", "04923456"], "nBits"),
    (["--block-hex", CLOUD_HEX, "--difficulty", "1", "--frobnicate", "1"], "--frobnicate"),
    (["--block-hex", CLOUD_HEX, "--difficulty"], "--difficulty"),
]


def test_bad_arguments():
    for args, mentions in BAD_ARGS:
        proc = run(*args)
        err = proc.stderr.strip()
        check(proc.returncode == 2, f"{args}: exit {proc.returncode}, want 2")
        check(proc.stdout == "", f"{args}: printed on stdout")
        check(len(err.splitlines()) == 1 and mentions in err, f"{args}: stderr {err!r} should name {mentions}")


def test_help():
    proc = run("--help")
    check(proc.returncode == 0 and "--block-hex" in proc.stdout and "--progress-interval" in proc.stdout,
          "--help")


def main():
    for name, test in list(globals().items()):
        if name.startswith("test_") and callable(test):
            started = time.monotonic()
            test()
            print(f"{name}: {time.monotonic() - started:.2f} s")
    print(f"test_cli: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
