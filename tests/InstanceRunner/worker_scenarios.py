#!/usr/bin/env python3
"""End-to-end scenarios of the EC2 worker without the C# controller: this script plays the controller
with boto3 (bucket, scanner upload, manifest, presigned URLs, RunInstances with the rendered
worker/bootstrap.sh) against moto, while the instance runner makes the instances real.
tests/Pester/Worker.Tests.ps1 starts moto and the runner and calls one case per test.

Usage: worker_scenarios.py --endpoint URL --runner URL --scanner PATH [--json FILE] CASE...
The cases run at the same time (each has its own bucket and instances), as a fleet would.
Prints one PASS/FAIL line per case and a closing "N passed, N failed"; exits 1 on any failure.
--json writes {case: {"passed": bool, "detail": str, "seconds": float}} for a test framework to read.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import sys
import tempfile
import time
import urllib.request
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BOOTSTRAP = os.path.join(ROOT, "worker", "bootstrap.sh")
AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"

# The original tool's block. Its golden nonces at difficulty 24 were found with cnd-scan and are
# re-checked with hashlib below: 56157711 is the lowest in the first slot (43983181 is golden, the
# next below), 100579335 the lowest in the second (91621577 before it). Each lies about ten million
# nonces into its slot, so each scan lasts long enough to report progress.
BLOCK = b"COMSM0010cloud"
DIFFICULTY = 24
GOLDEN_SLOTS = [(43_983_182, 57_999_999, 56_157_711), (91_621_578, 100_999_999, 100_579_335)]
THREADS = 1  # per worker: the test machine is small and shared
NEVER = 256  # a difficulty no nonce meets: the scan runs until stopped


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def leading_zero_bits(digest):
    value = int.from_bytes(digest, "big")
    return 256 - value.bit_length()


def sha256d(data):
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


class Controller:
    """Just enough of the EC2 controller to drive workers: one bucket per search."""

    def __init__(self, endpoint, runner_url, scanner_path, region):
        common = dict(endpoint_url=endpoint, region_name=region,
                      aws_access_key_id="testing", aws_secret_access_key="testing")
        self.ec2 = boto3.client("ec2", **common)
        self.ssm = boto3.client("ssm", **common)
        self.s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"),
                               **common)
        self.region = region
        self.runner_url = runner_url
        with open(scanner_path, "rb") as f:
            self.scanner = f.read()
        self.scanner_sha = hashlib.sha256(self.scanner).hexdigest()
        with open(BOOTSTRAP) as f:
            self.bootstrap = f.read()

    def new_search(self, scanner_bytes=None):
        search_id = f"cnd-e2e-{uuid.uuid4().hex[:10]}"
        self.s3.create_bucket(Bucket=search_id, CreateBucketConfiguration={"LocationConstraint": self.region})
        self.s3.put_object(Bucket=search_id, Key=f"scanner/{self.scanner_sha}",
                           Body=self.scanner if scanner_bytes is None else scanner_bytes)
        return search_id

    def url(self, method, bucket, key, expires=600):
        return self.s3.generate_presigned_url(method, Params={"Bucket": bucket, "Key": key}, ExpiresIn=expires)

    def launch(self, search_id, slots, difficulty, deadline, shutdown_at, progress_interval=0.2):
        """Writes the manifest and starts one instance per slot in a single RunInstances call."""
        manifest = {
            "searchId": search_id, "blockHex": BLOCK.hex(), "difficulty": difficulty,
            "scannerUrl": self.url("get_object", search_id, f"scanner/{self.scanner_sha}"),
            "scannerSha256": self.scanner_sha, "deadline": int(deadline),
            "progressIntervalSeconds": progress_interval, "threads": THREADS,
            "slots": [{"launchIndex": i, "slot": i, "start": start, "end": end,
                       "progressUrl": self.url("put_object", search_id, f"searches/{search_id}/progress-{i}.json"),
                       "resultUrl": self.url("put_object", search_id, f"searches/{search_id}/result-{i}.json")}
                      for i, (start, end) in enumerate(slots)],
        }
        manifest_key = f"searches/{search_id}/launch-0.json"
        # Escaped the way .NET's serializer writes URLs, which the bootstrap must read back.
        text = json.dumps(manifest, indent=2).replace("&", "\\u0026").replace("/", "\\/")
        self.s3.put_object(Bucket=search_id, Key=manifest_key, Body=text.encode())
        user_data = (self.bootstrap.replace("@MANIFEST_URL@", self.url("get_object", search_id, manifest_key))
                     .replace("@SHUTDOWN_AT@", str(int(shutdown_at))))
        check(len(user_data.encode()) < 16 * 1024, "user-data must stay under 16 KB")
        image = self.ssm.get_parameter(Name=AMI_PARAMETER)["Parameter"]["Value"]
        reservation = self.ec2.run_instances(
            ImageId=image, InstanceType="c7i.large", MinCount=len(slots), MaxCount=len(slots),
            UserData=user_data, InstanceInitiatedShutdownBehavior="terminate",
            MetadataOptions={"HttpTokens": "required"})
        by_index = sorted(reservation["Instances"], key=lambda i: i["AmiLaunchIndex"])
        return [i["InstanceId"] for i in by_index]

    def read(self, search_id, name):
        try:
            body = self.s3.get_object(Bucket=search_id, Key=f"searches/{search_id}/{name}")["Body"].read()
        except ClientError as e:
            if e.response["Error"]["Code"] in ("NoSuchKey", "404"):
                return None
            raise
        return json.loads(body)

    def states(self, instance_ids):
        reservations = self.ec2.describe_instances(InstanceIds=instance_ids)["Reservations"]
        return {i["InstanceId"]: i["State"]["Name"] for r in reservations for i in r["Instances"]}

    def runner_status(self):
        with urllib.request.urlopen(f"{self.runner_url}/_runner/status", timeout=10) as response:
            return json.load(response)

    def runner_instance(self, instance_id):
        return next((i for i in self.runner_status()["instances"] if i["instanceId"] == instance_id), None)

    def set_faults(self, plan):
        request = urllib.request.Request(f"{self.runner_url}/_runner/faults", data=json.dumps(plan).encode(),
                                         method="PUT", headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=10).close()

    def console(self, instance_id):
        sim = self.runner_instance(instance_id)
        if sim is None or not os.path.exists(sim["console"]):
            return "(no console log)"
        with open(sim["console"], errors="replace") as f:
            return f.read()[-3000:]


def wait_for(what, predicate, timeout, controller=None, instance_ids=()):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            consoles = "".join(f"\n--- console of {i} ---\n{controller.console(i)}" for i in instance_ids)
            raise Failure(f"timed out after {timeout} s waiting for {what}{consoles}")
        time.sleep(0.2)


def all_terminated(controller, instance_ids):
    return lambda: all(s == "terminated" for s in controller.states(instance_ids).values())


def processes_gone(controller, instance_id):
    def gone():
        sim = controller.runner_instance(instance_id)
        return sim is not None and sim["status"] not in ("booting", "running") and not sim["pids"]
    return gone


# --- the cases ------------------------------------------------------------------------------------

def case_golden(c):
    """Two workers from one launch each find their slot's known golden nonce, report progress on the
    way, PUT results the controller can verify, and power off: their instances end terminated."""
    for _, _, nonce in GOLDEN_SLOTS:
        check(leading_zero_bits(sha256d(BLOCK + nonce.to_bytes(4, "big"))) >= DIFFICULTY,
              f"test data: {nonce} is not golden")
    search = c.new_search()
    now = time.time()
    ids = c.launch(search, [(s, e) for s, e, _ in GOLDEN_SLOTS], DIFFICULTY, now + 60, now + 90)

    def both_results():
        results = [c.read(search, f"result-{i}.json") for i in (0, 1)]
        return results if all(results) else None

    results = wait_for("both results", both_results, 40, c, ids)
    for i, result in enumerate(results):
        start, end, known = GOLDEN_SLOTS[i]
        check(result["error"] is None, f"slot {i}: unexpected error {result['error']}")
        check(result["searchId"] == search and result["instanceId"] == ids[i] and result["launchIndex"] == i,
              f"slot {i}: wrong identity in {result}")
        scan = result["scan"]
        check(scan["status"] == "found" and scan["nonce"] == known,
              f"slot {i}: expected nonce {known}, got {scan}")
        digest = sha256d(BLOCK + scan["nonce"].to_bytes(4, "big"))
        check(scan["hash"] == digest.hex() and leading_zero_bits(digest) >= DIFFICULTY,
              f"slot {i}: hashlib disagrees with the reported hash {scan['hash']}")
    progress = [c.read(search, f"progress-{i}.json") for i in (0, 1)]
    check(any(progress), "no progress object was PUT")
    for i, p in enumerate(progress):
        if p:
            start, end, known = GOLDEN_SLOTS[i]
            check(p["slot"] == i and p["instanceId"] == ids[i] and start <= p["nextNonce"] <= end
                  and p["hashes"] > 0 and p["rate"] > 0, f"slot {i}: malformed progress {p}")
    wait_for("both instances terminated", all_terminated(c, ids), 15, c, ids)
    return f"nonces {[r['scan']['nonce'] for r in results]} verified; progress from slots " \
           f"{[i for i, p in enumerate(progress) if p]}"


def case_corrupt_scanner(c):
    """A scanner object that does not match scannerSha256 is refused: an error result, never run."""
    marker = os.path.join(tempfile.mkdtemp(prefix="cnd-e2e-"), "scanner-ran")
    impostor = f"#!/bin/sh\ntouch '{marker}'\n".encode()
    search = c.new_search(scanner_bytes=impostor)
    now = time.time()
    ids = c.launch(search, [(0, 1000)], DIFFICULTY, now + 60, now + 90)
    result = wait_for("the error result", lambda: c.read(search, "result-0.json"), 30, c, ids)
    check(result["scan"] is None and "checksum mismatch" in (result["error"] or ""),
          f"expected a checksum error, got {result}")
    wait_for("the instance terminated", all_terminated(c, ids), 15, c, ids)
    check(not os.path.exists(marker), "the corrupted scanner was executed")
    check(c.read(search, "progress-0.json") is None, "a refused scanner must not report progress")
    return result["error"]


def case_terminated_mid_scan(c):
    """Terminating an instance while it scans kills its processes; it reports no result."""
    search = c.new_search()
    now = time.time()
    ids = c.launch(search, [(0, 0xFFFFFFFF)], NEVER, now + 60, now + 90)
    wait_for("progress", lambda: c.read(search, "progress-0.json"), 30, c, ids)
    check(c.runner_instance(ids[0])["pids"], "the scan should be running")
    c.ec2.terminate_instances(InstanceIds=ids)
    wait_for("its processes to die", processes_gone(c, ids[0]), 10, c, ids)
    time.sleep(1)
    check(c.read(search, "result-0.json") is None, "a killed worker cannot have PUT a result")
    return f"runner: {c.runner_instance(ids[0])['reason']}"


def case_self_shutdown(c):
    """A scan that outlives SHUTDOWN_AT is ended by the worker's own scheduled power-off."""
    search = c.new_search()
    now = time.time()
    shutdown_at = now + 12  # time to boot and start scanning on a busy machine
    ids = c.launch(search, [(0, 0xFFFFFFFF)], NEVER, now + 60, shutdown_at)
    wait_for("progress before SHUTDOWN_AT", lambda: c.read(search, "progress-0.json"),
             shutdown_at - time.time(), c, ids)
    wait_for("the instance terminated", all_terminated(c, ids), shutdown_at - time.time() + 10, c, ids)
    ended = time.time()
    wait_for("its processes to die", processes_gone(c, ids[0]), 10, c, ids)
    sim = c.runner_instance(ids[0])
    check(sim["status"] == "powered-off", f"expected the instance to power itself off, got {sim['status']}")
    check(ended >= shutdown_at - 1, f"powered off {shutdown_at - ended:.1f} s before SHUTDOWN_AT")
    check(c.read(search, "result-0.json") is None, "the scan was cut short: no result expected")
    return f"terminated {ended - shutdown_at:+.1f} s after SHUTDOWN_AT"


def case_boot_fault(c):
    """The runner's fault plan: launch index 2 is terminated at boot, so only slots 0 and 1 report.
    (No other case launches three instances, so the fault cannot hit them.)"""
    c.set_faults({"launchFaults": [{"launchIndex": 2, "action": "terminate"}]})
    search = c.new_search()
    now = time.time()
    ids = c.launch(search, [(0, 1000), (1001, 2000), (2001, 3000)], 8, now + 60, now + 90)
    for i in (0, 1):
        wait_for(f"slot {i}'s result", lambda: c.read(search, f"result-{i}.json"), 30, c, ids)
    wait_for("all instances terminated", all_terminated(c, ids), 15, c, ids)
    check(c.runner_instance(ids[2])["status"] == "failed-to-boot", "launch index 2 should have failed to boot")
    check(c.read(search, "result-2.json") is None, "an instance that never booted cannot report")
    check(c.runner_status()["faults"]["launchFaults"] == [], "a one-time fault should be used up")
    return "launch index 2 failed to boot as planned"


def case_long_scan(c):
    """Leaves one worker scanning (for tests of the runner itself); prints its instance id."""
    search = c.new_search()
    now = time.time()
    ids = c.launch(search, [(0, 0xFFFFFFFF)], NEVER, now + 120, now + 150)
    wait_for("progress", lambda: c.read(search, "progress-0.json"), 30, c, ids)
    return ids[0]


CASES = {"golden": case_golden, "corrupt-scanner": case_corrupt_scanner,
         "terminated-mid-scan": case_terminated_mid_scan, "self-shutdown": case_self_shutdown,
         "boot-fault": case_boot_fault, "long-scan": case_long_scan}


def run_case(name, controller):
    started = time.monotonic()
    try:
        passed, detail = True, str(CASES[name](controller))
    except Failure as e:
        passed, detail = False, str(e)
    except Exception as e:  # an emulator or runner error fails this case, not the whole run
        passed, detail = False, f"{type(e).__name__}: {e}"
    return {"passed": passed, "detail": detail, "seconds": round(time.monotonic() - started, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--runner", required=True, help="the instance runner's URL")
    parser.add_argument("--scanner", required=True, help="the cnd-scan binary to upload")
    parser.add_argument("--region", default="eu-west-2")
    parser.add_argument("--json", help="also write the verdicts here")
    parser.add_argument("cases", nargs="+", choices=sorted(CASES))
    args = parser.parse_args()
    controller = Controller(args.endpoint, args.runner, args.scanner, args.region)
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(args.cases)) as pool:
        verdicts = dict(zip(args.cases, pool.map(lambda name: run_case(name, controller), args.cases)))
    for name, verdict in verdicts.items():
        print(f"{'PASS' if verdict['passed'] else 'FAIL'} {name} ({verdict['seconds']} s): {verdict['detail']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(verdicts, f, indent=1)
    failed = sum(not v["passed"] for v in verdicts.values())
    print(f"{len(verdicts) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
