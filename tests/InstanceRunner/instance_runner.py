#!/usr/bin/env python3
"""Makes the instances of an EC2 emulator (moto) real for tests: runs each new instance's user-data as a
local process, serves it instance metadata, ends it when the instance ends, and ends the instance
when the user-data powers the "machine" off. See README.md in this folder.

Usage: instance_runner.py --endpoint http://127.0.0.1:PORT [--region eu-west-2] [--work-dir DIR]
                          [--port 0] [--proxy-port 0] [--ready-file FILE] [--faults FILE] [--watch-pid PID] [--log FILE]
"""
import argparse
import base64
import json
import logging
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

import instance_process
import loopback_relay
from emulation import Emulation
import process_tree
import s3_route
from faults import FaultPlan
from api_proxy import ApiProxy
from runner_http import RunnerServer

HERE = os.path.dirname(os.path.abspath(__file__))
BOOTABLE_STATES = ("pending", "running")
ENDED_STATES = ("shutting-down", "terminated")
LIVE_STATUSES = ("booting", "running")

log = logging.getLogger("runner")


@dataclass
class SimInstance:
    """One emulator instance as the runner sees it.

    status: booting (waiting for a delayed boot), running (its processes live), exited (they all ended
    by themselves; the instance stays running, as on EC2), killed (ended because the instance was
    terminated, stopped or removed, or by a test), interrupted (a spot interruption), powered-off, rebooted, failed-to-boot, hung,
    no-user-data, not-booted (already stopped or terminated when first seen).
    """
    instance_id: str
    launch_index: int
    metadata: dict
    work_dir: str
    architecture: str = "x86_64"  # the emulator's (moto's: its image's); arm64 runs aarch64 programs through qemu
    status: str = "booting"
    reason: str = ""
    boot_at: float = 0.0
    shutdown_behavior: str = "stop"
    proc: subprocess.Popen = None
    exit_code: int = None
    network: dict = field(default_factory=dict)  # SubnetId, VpcId, PublicIpAddress at first sight
    s3_route: str = None  # the verdict of aws.s3Reachability at boot (s3_route.py), if it was asked
    events: list = field(default_factory=list)

    @property
    def alive(self):
        return self.status in LIVE_STATUSES

    def set_status(self, status, reason=""):
        self.status, self.reason = status, reason
        self.events.append({"time": time.time(), "status": status, "reason": reason})
        log.info("%s (launch index %s): %s%s", self.instance_id, self.launch_index, status,
                 f" ({reason})" if reason else "")


class Runner:
    def __init__(self, ec2, region, work_dir, poll_seconds, faults, sandbox, niceness, emulation):
        self.ec2 = ec2
        self.emulation = emulation
        self.region = region
        self.work_dir = work_dir
        self.poll_seconds = poll_seconds
        self.faults = faults
        self.sandbox = sandbox
        self.niceness = niceness
        self.tag = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.url = None
        self.relay_socket = None  # the runner's port for instances kept off the network (loopback_relay.py)
        self.proxy = None
        self.stopping = threading.Event()
        self._lock = threading.RLock()
        self._instances = {}
        self._observed = {}  # every instance in the emulator: state, endedAt (unix), groups
        self._guardian = subprocess.Popen([sys.executable, os.path.join(HERE, "guardian.py"), self.tag],
                                          stdin=subprocess.PIPE, text=True, start_new_session=True)

    # --- the watch loop -------------------------------------------------------------------------

    def run(self):
        while not self.stopping.wait(self.poll_seconds):
            try:
                self.poll_once()
            except Exception:  # one bad instance must not stop the whole fleet's simulation
                log.exception("poll failed")

    def poll_once(self):
        try:
            described = self._describe()
        except (BotoCoreError, ClientError) as e:
            log.warning("DescribeInstances failed: %s", e)
            return
        with self._lock:
            for instance in described.values():
                self._observe(instance)
                self._track(instance)
            for sim in list(self._instances.values()):
                if sim.instance_id not in described and sim.alive:
                    self._end(sim, "killed", "the instance no longer exists in the emulator")
                elif sim.status == "booting" and time.monotonic() >= sim.boot_at:
                    self._start(sim)
                elif sim.status == "running" and sim.proc.poll() is not None:
                    sim.exit_code = sim.proc.returncode
                    sim.set_status("exited", f"user-data exited {sim.exit_code}")

    def _describe(self):
        instances = {}
        for page in self.ec2.get_paginator("describe_instances").paginate():
            for reservation in page["Reservations"]:
                for instance in reservation["Instances"]:
                    instances[instance["InstanceId"]] = instance
        return instances

    def _observe(self, instance):
        """Remembers what the strict proxy asks about: the state, when the instance first went
        shutting-down or terminated (EC2 forgets it about an hour later), and its security groups."""
        seen = self._observed.setdefault(instance["InstanceId"], {"endedAt": None})
        seen["state"] = instance["State"]["Name"]
        if seen["state"] in ENDED_STATES and seen["endedAt"] is None:
            seen["endedAt"] = time.time()
        seen["groups"] = {g["GroupId"] for g in instance.get("SecurityGroups", [])} | {
            g["GroupId"] for interface in instance.get("NetworkInterfaces", []) for g in interface.get("Groups", [])}

    def _track(self, instance):
        sim = self._instances.get(instance["InstanceId"])
        state = instance["State"]["Name"]
        if sim is None:
            self._boot(instance, state)
        elif state not in BOOTABLE_STATES and sim.alive:
            self._end(sim, "killed", f"the instance is {state}")

    # --- one instance's life --------------------------------------------------------------------

    def _boot(self, instance, state):
        instance_id = instance["InstanceId"]
        launch_index = int(instance.get("AmiLaunchIndex", 0))
        metadata = {
            "instance-id": instance_id,
            "ami-launch-index": launch_index,
            "ami-id": instance.get("ImageId", ""),
            "instance-type": instance.get("InstanceType", ""),
            "placement/availability-zone": instance.get("Placement", {}).get("AvailabilityZone", ""),
            "placement/region": self.region,
        }
        sim = SimInstance(instance_id, launch_index, metadata, os.path.join(self.work_dir, instance_id),
                          architecture=instance.get("Architecture", "x86_64"))
        sim.network = {k: instance[k] for k in ("SubnetId", "VpcId", "PublicIpAddress") if instance.get(k)}
        self._instances[instance_id] = sim
        if state not in BOOTABLE_STATES:
            sim.set_status("not-booted", f"first seen {state}")
            return
        os.makedirs(sim.work_dir, exist_ok=True)
        fault = self.faults.take(launch_index)
        if fault is None:
            sim.set_status("booting")
            self._start(sim)
        elif fault["action"] == "terminate":
            sim.set_status("failed-to-boot", "fault injected: terminate at boot")
            self._emulator_call(self.ec2.terminate_instances, instance_id)
        elif fault["action"] == "hang":
            sim.set_status("hung", "fault injected: user-data never runs")
        else:
            sim.boot_at = time.monotonic() + fault["seconds"]
            sim.set_status("booting", f"fault injected: boot delayed {fault['seconds']} s")

    def _start(self, sim):
        try:
            encoded = self.ec2.describe_instance_attribute(InstanceId=sim.instance_id, Attribute="userData")
            user_data = encoded.get("UserData", {}).get("Value")
            behavior = self.ec2.describe_instance_attribute(InstanceId=sim.instance_id,
                                                            Attribute="instanceInitiatedShutdownBehavior")
            sim.shutdown_behavior = behavior.get("InstanceInitiatedShutdownBehavior", {}).get("Value", "stop")
        except (BotoCoreError, ClientError) as e:
            log.warning("%s: cannot read its attributes yet: %s", sim.instance_id, e)
            return  # still booting: the next poll retries
        script = base64.b64decode(user_data) if user_data else b""
        emulation = None
        if sim.architecture == "arm64":
            if not self.emulation.available:
                sim.set_status("failed-to-boot", f"an arm64 instance, and this host cannot emulate one: {self.emulation.problem}")
                self._emulator_call(self.ec2.terminate_instances, sim.instance_id)
                return
            emulation = self.emulation
        relay = None
        if self.faults.aws.get("s3Reachability"):
            sim.s3_route = s3_route.verdict(self.ec2, self.region, sim.network)
            if sim.s3_route.startswith("none"):
                relay = (int(self.url.rsplit(":", 1)[1]), self.relay_socket)
            log.info("%s: route to S3: %s", sim.instance_id, sim.s3_route)
        sim.proc = instance_process.start(self.sandbox, sim.work_dir, script, self.url, self.tag, sim.instance_id,
                                          self.niceness, relay, emulation)
        if sim.proc is None:
            sim.set_status("no-user-data", "user-data is empty or not a script")
            return
        self._guardian.stdin.write(f"{sim.proc.pid}\n")
        self._guardian.stdin.flush()
        sim.set_status("running", f"pid {sim.proc.pid}, log {os.path.join(sim.work_dir, 'console.log')}")

    def _end(self, sim, status, reason):
        if sim.proc is not None:
            process_tree.kill_instance(sim.proc.pid, self.tag, sim.instance_id)
            try:
                sim.exit_code = sim.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                log.error("%s: process %s survived SIGKILL", sim.instance_id, sim.proc.pid)
        sim.set_status(status, reason)

    def _emulator_call(self, call, instance_id):
        try:
            call(InstanceIds=[instance_id])
        except (BotoCoreError, ClientError) as e:
            log.error("%s: %s failed: %s", instance_id, call.__name__, e)

    # --- called from the HTTP endpoint ---------------------------------------------------------

    def observed(self, instance_id):
        with self._lock:
            return dict(self._observed.get(instance_id, {}))

    def instances_in_group(self, group_id):
        with self._lock:
            return {i for i, seen in self._observed.items() if group_id in seen.get("groups", ())}

    def console_path(self, instance_id):
        """The console log of an instance whose user-data the runner ran, else None."""
        with self._lock:
            sim = self._instances.get(instance_id)
            return os.path.join(sim.work_dir, "console.log") if sim and sim.events and sim.proc else None

    def metadata(self, instance_id):
        with self._lock:
            sim = self._instances.get(instance_id)
            return dict(sim.metadata) if sim else None

    def act(self, instance_id, action):
        """poweroff/reboot from the instance's shims; kill (a crash) and interrupt (a spot interruption)
        from a test."""
        with self._lock:
            sim = self._instances[instance_id]
            if not sim.alive:
                return
            if action == "kill":
                self._end(sim, "killed", "crash injected by a test")
                return
            if action == "reboot":
                # User-data runs once per instance, so after a reboot nothing of ours runs.
                self._end(sim, "rebooted", "the instance rebooted itself")
                return
            if action == "interrupt":
                # EC2 reclaims the instance: terminated, whatever its shutdown behaviour says.
                self._end(sim, "interrupted", "spot interruption injected by a test")
                call = self.ec2.terminate_instances
            else:
                self._end(sim, "powered-off", f"the instance powered itself off ({sim.shutdown_behavior})")
                call = self.ec2.terminate_instances if sim.shutdown_behavior == "terminate" else self.ec2.stop_instances
        self._emulator_call(call, instance_id)

    def replace_faults(self, spec):
        """A new fault plan (PUT /_runner/faults); the proxy's audit of S3 requests starts afresh with it."""
        self.faults.replace(spec)
        if self.proxy:
            self.proxy.strict.requests_without_owner(clear=True)

    def status(self):
        with self._lock:
            instances = [{
                "instanceId": sim.instance_id, "launchIndex": sim.launch_index, "architecture": sim.architecture, "status": sim.status,
                "reason": sim.reason, "exitCode": sim.exit_code, "workDir": sim.work_dir,
                "console": os.path.join(sim.work_dir, "console.log"),
                "pids": process_tree.instance_pids(self.tag, sim.instance_id), "events": sim.events,
                "s3Route": sim.s3_route,
            } for sim in self._instances.values()]
        proxy = {"url": self.proxy_url, "refusals": list(self.proxy.refusals),
                 "s3WithoutExpectedOwner": self.proxy.strict.requests_without_owner()} if self.proxy else None
        return {"pid": os.getpid(), "url": self.url, "proxy": proxy, "sandbox": self.sandbox.defenses,
                "emulation": self.emulation.describe(),
                "faults": self.faults.to_json(), "instances": instances}

    @property
    def proxy_url(self):
        return f"http://127.0.0.1:{self.proxy.server_port}" if self.proxy else None

    # --- the end --------------------------------------------------------------------------------

    def shutdown(self):
        with self._lock:
            for sim in self._instances.values():
                if sim.alive:
                    self._end(sim, "killed", "the runner stopped")
        self._guardian.stdin.close()  # the guardian sweeps once more and exits
        self._guardian.wait(timeout=10)


def ec2_client(endpoint, region):
    session = boto3.session.Session(region_name=region)
    credentials = {}
    if session.get_credentials() is None:
        # The emulator ignores signatures; tests need not set credentials for the runner.
        credentials = {"aws_access_key_id": "cnd-runner", "aws_secret_access_key": "cnd-runner"}
    config = Config(retries={"max_attempts": 2}, connect_timeout=2, read_timeout=15)
    return session.client("ec2", endpoint_url=endpoint, config=config, **credentials)


def wait_for_emulator(ec2, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            ec2.describe_instances(MaxResults=5)
            return
        except (BotoCoreError, ClientError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def watch_parent(runner, watch_pid):
    """Stops the runner when the process that started it (or --watch-pid) is gone."""
    original_parent = os.getppid()
    while not runner.stopping.wait(0.5):
        if watch_pid:
            try:
                os.kill(watch_pid, 0)
            except ProcessLookupError:
                log.info("process %s is gone; stopping", watch_pid)
                runner.stopping.set()
        elif os.getppid() != original_parent:
            log.info("parent process %s is gone; stopping", original_parent)
            runner.stopping.set()


def write_ready_file(path, runner):
    temporary = f"{path}.tmp"
    with open(temporary, "w") as f:
        json.dump({"pid": os.getpid(), "url": runner.url, "proxyUrl": runner.proxy_url, "workDir": runner.work_dir,
                   "sandbox": runner.sandbox.defenses, "emulation": runner.emulation.describe()}, f)
    os.replace(temporary, path)


def redirect_output(path):
    """Sends stdout and stderr, tracebacks and the guardian's included, to the log file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True, help="the emulator's EC2 endpoint URL")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "eu-west-2"))
    parser.add_argument("--work-dir", help="where each instance gets its folder (default: a new temp dir)")
    parser.add_argument("--port", type=int, default=0, help="port for metadata and control (default: any free)")
    parser.add_argument("--proxy-port", type=int, default=0, help="port of the API proxy with launch faults (default: any free)")
    parser.add_argument("--ready-file", help="written (JSON: pid, url, proxyUrl, workDir, sandbox) once serving")
    parser.add_argument("--faults", help="a JSON fault plan to start with (see faults.py)")
    parser.add_argument("--poll-seconds", type=float, default=0.2)
    parser.add_argument("--nice", type=int, default=10, help="niceness of the instances' processes")
    parser.add_argument("--watch-pid", type=int, help="stop when this process is gone (default: the parent)")
    parser.add_argument("--log", help="append the runner's output here instead of stderr")
    parser.add_argument("--verbose", action="store_true")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.log:
        redirect_output(args.log)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        sandbox = instance_process.Sandbox()
    except RuntimeError as e:
        log.error("%s", e)
        return 2
    faults = FaultPlan()
    if args.faults:
        with open(args.faults) as f:
            faults.replace(json.load(f))
    work_dir = os.path.abspath(args.work_dir or tempfile.mkdtemp(prefix="cnd-runner-"))
    os.makedirs(work_dir, exist_ok=True)
    ec2 = ec2_client(args.endpoint, args.region)
    wait_for_emulator(ec2, 60)

    runner = Runner(ec2, args.region, work_dir, args.poll_seconds, faults, sandbox, args.nice, Emulation())
    server = RunnerServer(runner, args.port)
    runner.url = f"http://127.0.0.1:{server.server_port}"
    runner.relay_socket = os.path.join(work_dir, "runner.sock")
    loopback_relay.unix_to_tcp(runner.relay_socket, server.server_port)
    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
    runner.proxy = ApiProxy(runner, args.endpoint, args.proxy_port)
    threading.Thread(target=runner.proxy.serve_forever, name="proxy", daemon=True).start()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: runner.stopping.set())
    threading.Thread(target=watch_parent, args=(runner, args.watch_pid), name="parent", daemon=True).start()
    log.info("serving %s for %s (%s); sandbox: %s; arm64: %s", runner.url, args.endpoint, args.region,
             ", ".join(sandbox.defenses), runner.emulation.describe())
    if args.ready_file:
        write_ready_file(args.ready_file, runner)
    try:
        runner.run()
    finally:
        runner.shutdown()
        server.shutdown()
        runner.proxy.shutdown()
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
