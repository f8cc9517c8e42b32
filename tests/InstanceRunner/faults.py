"""Faults a test can inject into the simulated fleet, to exercise the controller's recovery paths.

A plan is JSON, given at start (--faults FILE) or replaced at run time (PUT /_runner/faults):

    {"launchFaults": [{"launchIndex": 1, "action": "terminate", "times": 1},
                      {"launchIndex": 0, "action": "delay", "seconds": 3}],
     "apiFaults": [{"on": "RunInstances", "error": "InsufficientInstanceCapacity", "allow": 2},
                   {"on": "RunInstances", "market": "spot", "error": "InsufficientInstanceCapacity"},
                   {"on": "progress", "slot": 1, "attempt": 0, "action": "kill"}]}

Each entry applies to the next `times` matching events (default 1; 0 means every one), in order.

launchFaults, for instances booting with that launch index:
- "terminate": the instance is terminated in the emulator before its user-data runs, as when an
  instance fails to start;
- "hang": the instance stays running but its user-data never runs (a wedged boot);
- "delay": the user-data runs `seconds` later than it would (a slow boot).

apiFaults act in the runner's API proxy (api_proxy.py), which sits between clients and the emulator:
- "RunInstances": calls for the `market` ("spot", "on-demand"; default any) are answered with the EC2
  error `error` instead of reaching the emulator. With `allow` N, calls first go through until N
  instances were started (MaxCount is cut to what is left, as EC2 does when capacity runs short),
  and only then fail;
- "progress": when the worker of `slot` (and `attempt`, default any) uploads a progress object,
  the upload is stored and then the worker is hit: "kill" crashes its processes (the instance stays
  running, silent), "interrupt" terminates its instance as a spot interruption does.
Crashing or interrupting a running instance at once: POST /_runner/instances/<id>/kill | interrupt.

"aws" makes the proxy (aws_strict.py) and the runner as strict as AWS documents where the emulator
forgives; each key is off unless set (see README.md for what each reproduces):
    {"aws": {"consistencySeconds": 2, "terminatedExpirySeconds": 3, "securityGroupDependency": true,
             "shuttingDownSeconds": 2, "consoleOutput": true, "foreignBuckets": ["name"],
             "expiredTokens": {"<session token>": <unix seconds>}, "vcpuQuota": 4, "s3Reachability": true,
             "zoneOfferings": true}}
"""
import threading

ACTIONS = ("terminate", "hang", "delay")
API_EVENTS = ("RunInstances", "progress")
WORKER_ACTIONS = ("kill", "interrupt")
MARKETS = ("spot", "on-demand", None)
AWS_SECONDS = ("consistencySeconds", "terminatedExpirySeconds", "shuttingDownSeconds")
AWS_SWITCHES = ("securityGroupDependency", "consoleOutput", "s3Reachability", "zoneOfferings")
AWS_KEYS = (*AWS_SECONDS, *AWS_SWITCHES, "foreignBuckets", "expiredTokens", "vcpuQuota")


def _times(raw):
    times = int(raw.get("times", 1))
    if times < 0:
        raise ValueError(f"times must not be negative: {raw}")
    return times


def _use(entries, entry):
    """Counts one use of an entry; removes it after its last."""
    if entry["times"] == 1:
        entries.remove(entry)
    elif entry["times"] > 1:
        entry["times"] -= 1


class FaultPlan:
    def __init__(self, spec=None):
        self._lock = threading.Lock()
        self._entries, self._api, self._aws = self._validate(spec or {})

    @staticmethod
    def _validate(spec):
        if not isinstance(spec, dict) or set(spec) - {"launchFaults", "apiFaults", "aws"}:
            raise ValueError('a fault plan is an object with the keys "launchFaults", "apiFaults" and "aws"')
        entries = []
        for raw in spec.get("launchFaults", []):
            if not isinstance(raw, dict):
                raise ValueError(f"a launch fault is an object: {raw!r}")
            entry = {"launchIndex": raw.get("launchIndex"), "action": raw.get("action"),
                     "seconds": float(raw.get("seconds", 0)), "times": _times(raw)}
            if not isinstance(entry["launchIndex"], int) or entry["launchIndex"] < 0:
                raise ValueError(f"launchIndex must be a non-negative integer: {raw}")
            if entry["action"] not in ACTIONS:
                raise ValueError(f"action must be one of {', '.join(ACTIONS)}: {raw}")
            if entry["seconds"] < 0:
                raise ValueError(f"seconds must not be negative: {raw}")
            entries.append(entry)
        api = []
        for raw in spec.get("apiFaults", []):
            if not isinstance(raw, dict) or raw.get("on") not in API_EVENTS:
                raise ValueError(f"an API fault is an object whose \"on\" is one of {', '.join(API_EVENTS)}: {raw!r}")
            if raw["on"] == "RunInstances":
                entry = {"on": "RunInstances", "error": raw.get("error"), "market": raw.get("market"),
                         "allow": raw.get("allow"), "times": _times(raw)}
                if not isinstance(entry["error"], str) or not entry["error"]:
                    raise ValueError(f"a RunInstances fault needs an error code: {raw}")
                if entry["market"] not in MARKETS:
                    raise ValueError(f"market must be spot or on-demand: {raw}")
                if entry["allow"] is not None and (not isinstance(entry["allow"], int) or entry["allow"] < 0):
                    raise ValueError(f"allow must be a non-negative integer: {raw}")
            else:
                entry = {"on": "progress", "slot": raw.get("slot"), "attempt": raw.get("attempt"),
                         "action": raw.get("action"), "times": _times(raw)}
                if not isinstance(entry["slot"], int) or entry["slot"] < 0:
                    raise ValueError(f"slot must be a non-negative integer: {raw}")
                if entry["attempt"] is not None and (not isinstance(entry["attempt"], int) or entry["attempt"] < 0):
                    raise ValueError(f"attempt must be a non-negative integer: {raw}")
                if entry["action"] not in WORKER_ACTIONS:
                    raise ValueError(f"action must be one of {', '.join(WORKER_ACTIONS)}: {raw}")
            api.append(entry)
        return entries, api, _validate_aws(spec.get("aws", {}))

    def replace(self, spec):
        entries, api, aws = self._validate(spec)
        with self._lock:
            self._entries, self._api, self._aws = entries, api, aws

    @property
    def aws(self):
        """The strict-AWS settings in force (a copy; keys that are off are absent)."""
        with self._lock:
            return dict(self._aws)

    def take(self, launch_index):
        """The fault for an instance booting with this launch index, or None; uses one of its times."""
        with self._lock:
            for entry in self._entries:
                if entry["launchIndex"] == launch_index:
                    _use(self._entries, entry)
                    return dict(entry)
        return None

    def run_instances(self, market, min_count, max_count):
        """What the proxy does with a RunInstances call: None (pass it on), ("launch", n) (pass it on
        with MaxCount n) or ("error", code)."""
        with self._lock:
            for entry in self._api:
                if entry["on"] != "RunInstances" or entry["market"] not in (None, market):
                    continue
                if entry["allow"]:
                    count = min(max_count, entry["allow"])
                    if count >= min_count:
                        entry["allow"] -= count
                        return ("launch", count)
                _use(self._api, entry)
                return ("error", entry["error"])
        return None

    def progress(self, slot, attempt):
        """The action ("kill", "interrupt") for the worker that just reported progress, or None."""
        with self._lock:
            for entry in self._api:
                if entry["on"] == "progress" and entry["slot"] == slot and entry["attempt"] in (None, attempt):
                    _use(self._api, entry)
                    return entry["action"]
        return None

    def to_json(self):
        with self._lock:
            return {"launchFaults": [dict(e) for e in self._entries], "apiFaults": [dict(e) for e in self._api],
                    "aws": dict(self._aws)}


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _validate_aws(raw):
    if not isinstance(raw, dict) or set(raw) - set(AWS_KEYS):
        raise ValueError(f"\"aws\" is an object with the keys {', '.join(AWS_KEYS)}: {raw!r}")
    for key in AWS_SECONDS:
        if key in raw and (not _number(raw[key]) or raw[key] < 0):
            raise ValueError(f"aws.{key} must be a non-negative number of seconds: {raw[key]!r}")
    for key in AWS_SWITCHES:
        if key in raw and not isinstance(raw[key], bool):
            raise ValueError(f"aws.{key} must be true or false: {raw[key]!r}")
    buckets = raw.get("foreignBuckets", [])
    if not isinstance(buckets, list) or not all(isinstance(b, str) and b for b in buckets):
        raise ValueError(f"aws.foreignBuckets must be a list of bucket names: {buckets!r}")
    tokens = raw.get("expiredTokens", {})
    if not isinstance(tokens, dict) or not all(isinstance(t, str) and t and _number(at) for t, at in tokens.items()):
        raise ValueError(f"aws.expiredTokens must map session tokens to unix seconds: {tokens!r}")
    quota = raw.get("vcpuQuota")
    if quota is not None and (not isinstance(quota, int) or isinstance(quota, bool) or quota < 0):
        raise ValueError(f"aws.vcpuQuota must be a non-negative integer: {quota!r}")
    # Zero, false and empty mean off: the rest of the runner only asks whether a key is present.
    return {key: value for key, value in raw.items() if value not in (0, False, [], {}, None)}
