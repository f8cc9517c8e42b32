#!/usr/bin/env python3
"""Drives the EC2 worker end to end without the C# controller: this script plays the controller
with boto3 (bucket, scanner upload, manifest, presigned URLs, RunInstances with the rendered
worker/bootstrap.sh) against moto, while the instance runner makes the instances real.
tests/Pester/Worker.Tests.ps1 starts moto and the runner, runs the cases through this script and
holds every expectation: this script judges nothing, it reports what it saw.

Usage: worker_scenarios.py --endpoint URL --runner URL --scanner PATH --json FILE CASE...
The cases run at the same time (each has its own bucket and instances), as a fleet would.
--json writes {case: {...what the case observed..., "error": null or why the driving itself failed,
"seconds": float, "consoles": {instance id: the tail of its console}}}. A wait that runs out leaves
what it waited for null (or false) in the observation, and the case goes on.
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

# The original tool's block, and two slots that each hold a known lowest golden nonce at difficulty 24
# about ten million nonces in (Worker.Tests.ps1 names them), so each scan lasts long enough to report
# progress: 43983181 is golden, the slot starts after it; 91621577 likewise for the second slot.
BLOCK = b"COMSM0010cloud"
DIFFICULTY = 24
GOLDEN_SLOTS = [(43_983_182, 57_999_999), (91_621_578, 100_999_999)]
THREADS = 1  # per worker: the test machine is small and shared
NEVER = 256  # a difficulty no nonce meets: the scan runs until stopped


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
        if len(user_data.encode()) >= 16 * 1024:
            raise ValueError("user-data must stay under 16 KB (EC2's limit)")
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


def wait_until(predicate, timeout):
    """The predicate's first truthy value within the timeout, else its last (falsy) one."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def wait_terminated(c, instance_ids, timeout):
    """Each instance's state once all are terminated, or as they are when the timeout runs out."""
    states = {}

    def all_terminated():
        states.update(c.states(instance_ids))
        return all(s == "terminated" for s in states.values())
    wait_until(all_terminated, timeout)
    return states


def wait_processes_gone(c, instance_id, timeout):
    def gone():
        sim = c.runner_instance(instance_id)
        return sim is not None and sim["status"] not in ("booting", "running") and not sim["pids"]
    return bool(wait_until(gone, timeout))


# --- the cases: each launches, drives and returns what it saw ------------------------------------

def case_golden(c):
    """Two workers from one launch scan a slot each; their results and progress as PUT to S3."""
    search = c.new_search()
    now = time.time()
    ids = c.launch(search, GOLDEN_SLOTS, DIFFICULTY, now + 60, now + 90)

    def both_results():
        results = [c.read(search, f"result-{i}.json") for i in (0, 1)]
        return results if all(results) else None

    results = wait_until(both_results, 40) or [c.read(search, f"result-{i}.json") for i in (0, 1)]
    return {"searchId": search, "instanceIds": ids, "blockHex": BLOCK.hex(), "difficulty": DIFFICULTY,
            "slots": [{"start": s, "end": e} for s, e in GOLDEN_SLOTS], "results": results,
            "progress": [c.read(search, f"progress-{i}.json") for i in (0, 1)],
            "states": wait_terminated(c, ids, 15)}


def case_corrupt_scanner(c):
    """The scanner object is a script that leaves a marker file if run, not the checksummed scanner."""
    marker = os.path.join(tempfile.mkdtemp(prefix="cnd-e2e-"), "scanner-ran")
    impostor = f"#!/bin/sh\ntouch '{marker}'\n".encode()
    search = c.new_search(scanner_bytes=impostor)
    now = time.time()
    ids = c.launch(search, [(0, 1000)], DIFFICULTY, now + 60, now + 90)
    result = wait_until(lambda: c.read(search, "result-0.json"), 30)
    states = wait_terminated(c, ids, 15)
    return {"instanceIds": ids, "result": result, "states": states, "scannerRan": os.path.exists(marker),
            "progress": c.read(search, "progress-0.json")}


def case_terminated_mid_scan(c):
    """An endless scan, terminated through EC2 once it has reported progress."""
    search = c.new_search()
    now = time.time()
    ids = c.launch(search, [(0, 0xFFFFFFFF)], NEVER, now + 60, now + 90)
    progress = wait_until(lambda: c.read(search, "progress-0.json"), 30)
    pids_while_scanning = c.runner_instance(ids[0])["pids"]
    c.ec2.terminate_instances(InstanceIds=ids)
    processes_gone = wait_processes_gone(c, ids[0], 10)
    time.sleep(1)  # time for a result a surviving process might still PUT
    return {"instanceIds": ids, "progress": progress, "pidsWhileScanning": pids_while_scanning,
            "processesGone": processes_gone, "result": c.read(search, "result-0.json"),
            "runner": c.runner_instance(ids[0])}


def case_self_shutdown(c):
    """An endless scan with SHUTDOWN_AT 12 s away (time to boot and start scanning on a busy machine)."""
    search = c.new_search()
    now = time.time()
    shutdown_at = now + 12
    ids = c.launch(search, [(0, 0xFFFFFFFF)], NEVER, now + 60, shutdown_at)
    progress = wait_until(lambda: c.read(search, "progress-0.json"), shutdown_at - time.time())
    states = wait_terminated(c, ids, shutdown_at - time.time() + 10)
    terminated_at = time.time()
    return {"instanceIds": ids, "shutdownAt": shutdown_at, "progressBeforeShutdown": progress, "states": states,
            "terminatedAt": terminated_at, "processesGone": wait_processes_gone(c, ids[0], 10),
            "runner": c.runner_instance(ids[0]), "result": c.read(search, "result-0.json")}


def case_boot_fault(c):
    """Three workers; the runner's fault plan terminates launch index 2 at boot. (No other case
    launches three instances, so the fault cannot hit them.)"""
    c.set_faults({"launchFaults": [{"launchIndex": 2, "action": "terminate"}]})
    search = c.new_search()
    now = time.time()
    ids = c.launch(search, [(0, 1000), (1001, 2000), (2001, 3000)], 8, now + 60, now + 90)
    results = [wait_until(lambda i=i: c.read(search, f"result-{i}.json"), 30) for i in (0, 1)]
    states = wait_terminated(c, ids, 15)
    return {"instanceIds": ids, "results": results + [c.read(search, "result-2.json")], "states": states,
            "runner": [c.runner_instance(i) for i in ids], "faultsLeft": c.runner_status()["faults"]}


def case_long_scan(c):
    """Leaves one worker scanning, for the tests of the runner itself."""
    search = c.new_search()
    now = time.time()
    ids = c.launch(search, [(0, 0xFFFFFFFF)], NEVER, now + 120, now + 150)
    return {"instanceIds": ids, "progress": wait_until(lambda: c.read(search, "progress-0.json"), 30)}


CASES = {"golden": case_golden, "corrupt-scanner": case_corrupt_scanner,
         "terminated-mid-scan": case_terminated_mid_scan, "self-shutdown": case_self_shutdown,
         "boot-fault": case_boot_fault, "long-scan": case_long_scan}


def run_case(name, controller):
    started = time.monotonic()
    try:
        observed, error = CASES[name](controller), None
    except Exception as e:  # an emulator or runner error ends this case, not the whole run
        observed, error = {}, f"{type(e).__name__}: {e}"
    ids = observed.get("instanceIds", [])
    return {**observed, "error": error, "seconds": round(time.monotonic() - started, 1),
            "consoles": {i: controller.console(i) for i in ids}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--runner", required=True, help="the instance runner's URL")
    parser.add_argument("--scanner", required=True, help="the cnd-scan binary to upload")
    parser.add_argument("--region", default="eu-west-2")
    parser.add_argument("--json", required=True, help="where to write the observations")
    parser.add_argument("cases", nargs="+", choices=sorted(CASES))
    args = parser.parse_args()
    controller = Controller(args.endpoint, args.runner, args.scanner, args.region)
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(args.cases)) as pool:
        observations = dict(zip(args.cases, pool.map(lambda name: run_case(name, controller), args.cases)))
    with open(args.json, "w") as f:
        json.dump(observations, f, indent=1)
    for name, seen in observations.items():
        print(f"{name} ({seen['seconds']} s){': ' + seen['error'] if seen['error'] else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
