"""Faults a test can inject into the simulated fleet, to exercise the controller's recovery paths.

A plan is JSON, given at start (--faults FILE) or replaced at run time (PUT /_runner/faults):

    {"launchFaults": [{"launchIndex": 1, "action": "terminate", "times": 1},
                      {"launchIndex": 0, "action": "delay", "seconds": 3}]}

Each entry applies to the next `times` instances (default 1; 0 means every one) that boot with that
launch index, in order:
- "terminate": the instance is terminated in the emulator before its user-data runs, as when an
  instance fails to start;
- "hang": the instance stays running but its user-data never runs (a wedged boot);
- "delay": the user-data runs `seconds` later than it would (a slow boot).
Crashing a running instance's processes is a separate, immediate action:
POST /_runner/instances/<id>/kill.
"""
import threading

ACTIONS = ("terminate", "hang", "delay")


class FaultPlan:
    def __init__(self, spec=None):
        self._lock = threading.Lock()
        self._entries = self._validate(spec or {})

    @staticmethod
    def _validate(spec):
        if not isinstance(spec, dict) or set(spec) - {"launchFaults"}:
            raise ValueError('a fault plan is an object with one key, "launchFaults"')
        entries = []
        for raw in spec.get("launchFaults", []):
            if not isinstance(raw, dict):
                raise ValueError(f"a launch fault is an object: {raw!r}")
            entry = {"launchIndex": raw.get("launchIndex"), "action": raw.get("action"),
                     "seconds": float(raw.get("seconds", 0)), "times": int(raw.get("times", 1))}
            if not isinstance(entry["launchIndex"], int) or entry["launchIndex"] < 0:
                raise ValueError(f"launchIndex must be a non-negative integer: {raw}")
            if entry["action"] not in ACTIONS:
                raise ValueError(f"action must be one of {', '.join(ACTIONS)}: {raw}")
            if entry["times"] < 0 or entry["seconds"] < 0:
                raise ValueError(f"times and seconds must not be negative: {raw}")
            entries.append(entry)
        return entries

    def replace(self, spec):
        entries = self._validate(spec)
        with self._lock:
            self._entries = entries

    def take(self, launch_index):
        """The fault for an instance booting with this launch index, or None; uses one of its times."""
        with self._lock:
            for entry in self._entries:
                if entry["launchIndex"] == launch_index:
                    if entry["times"] == 1:
                        self._entries.remove(entry)
                    elif entry["times"] > 1:
                        entry["times"] -= 1
                    return dict(entry)
        return None

    def to_json(self):
        with self._lock:
            return {"launchFaults": [dict(e) for e in self._entries]}
