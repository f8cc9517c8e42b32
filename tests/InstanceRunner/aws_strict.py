"""What the API proxy does to be as strict as AWS documents where the emulator forgives (the fault
plan's "aws" key, faults.py; README.md names the AWS page behind each rule).

The proxy hands every request to `StrictAws.before` (an answer of its own, or None to pass it on) and
every answer from the emulator to `StrictAws.after` (which records what was created and may rewrite
listings). What the emulator holds is read straight from it (the runner's client), never through the
proxy, so these rules never apply to themselves.
"""
import base64
import logging
import re
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from botocore.exceptions import BotoCoreError, ClientError

log = logging.getLogger("runner.strict")

FOREIGN_ACCOUNT = "111122223333"  # the owner of aws.foreignBuckets
CONSOLE_BYTES = 64 * 1024  # GetConsoleOutput gives the last 64 KB, as EC2 does
WITHOUT_OWNER_CAP = 200
INSTANCE_PARAM = re.compile(r"(?:InstanceId|ResourceId)(?:\.\d+)?")
GROUP_PARAM = re.compile(r"(?:.*\.)?(?:GroupId|SecurityGroupId|ResourceId)(?:\.\d+)?")
CREDENTIAL_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/[^/]+/([^/]+)/aws4_request")
ALIVE_FOR_QUOTA = ("pending", "running")
# How each protocol says that the session token expired (ExpiredToken in S3's error list; RequestExpired
# in EC2's, "can also occur if the credentials have expired"; ExpiredToken(Exception) in STS and SSM).
EXPIRED = {
    "s3": (400, "ExpiredToken", "The provided token has expired."),
    "ec2": (400, "RequestExpired", "Request has expired."),
    "sts": (403, "ExpiredToken", "The security token included in the request is expired"),
    "ssm": (403, "ExpiredTokenException", "The security token included in the request is expired"),
}


def ec2_error(status, code, message):
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>{code}</Code>'
            f"<Message>{message}</Message></Error></Errors><RequestID>{uuid.uuid4()}</RequestID></Response>")
    return status, [("Content-Type", "text/xml")], body.encode()


def s3_error(status, code, message):
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
            f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>")
    return status, [("Content-Type", "application/xml")], body.encode()


def expired_answer(service):
    status, code, message = EXPIRED.get(service, EXPIRED["ec2"])
    if service == "s3":
        return s3_error(status, code, message)
    if service == "ssm":
        body = f'{{"__type":"{code}","message":"{message}"}}'.encode()
        return status, [("Content-Type", "application/x-amz-json-1.1")], body
    if service == "sts":
        body = (f'<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>'
                f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>").encode()
        return status, [("Content-Type", "text/xml")], body
    return ec2_error(status, code, message)


def not_found(kind, ids):
    ids = sorted(ids)
    if kind == "instance":
        code = "InvalidInstanceID.NotFound"
        message = (f"The instance ID '{ids[0]}' does not exist" if len(ids) == 1
                   else f"The instance IDs '{', '.join(ids)}' do not exist")
    else:
        code = "InvalidGroup.NotFound"
        message = f"The security group '{ids[0]}' does not exist"
    return ec2_error(400, code, message)


class Request:
    """One request as the rules see it: method, path, query and form parameters, headers."""

    def __init__(self, method, path, query, headers, params):
        self.method, self.path, self.query, self.headers, self.params = method, path, query, headers, params
        self.values = dict(params)
        self.action = self.values.get("Action")
        scope = CREDENTIAL_SCOPE.search(headers.get("Authorization", "") or "")
        if scope is None:
            credential = dict(query).get("X-Amz-Credential", "")
            parts = credential.split("/")
            self.service = parts[3] if len(parts) >= 5 else None
        else:
            self.service = scope[1]
        if self.service is None:
            self.service = "ec2" if self.action else "s3"
        self.presigned = any(name == "X-Amz-Signature" for name, _ in query)

    @property
    def token(self):
        return self.headers.get("X-Amz-Security-Token") or dict(self.query).get("X-Amz-Security-Token")

    def named(self, pattern, prefix):
        return {value for key, value in self.params if pattern.fullmatch(key) and value.startswith(prefix)}

    @property
    def bucket_and_key(self):
        parts = self.path.lstrip("/").split("/", 1)
        return parts[0], (parts[1] if len(parts) > 1 else "")


class StrictAws:
    def __init__(self, runner):
        self.runner = runner
        self._lock = threading.Lock()
        self._new_groups = {}  # group id -> when the proxy relayed its creation (monotonic)
        self._new_instances = {}  # instance id -> when the proxy relayed its launch
        self._launched_groups = {}  # instance id -> the groups its RunInstances named
        self._vcpus = {}  # instance type -> vCPUs
        self.without_owner = []  # header-signed S3 requests to a bucket without x-amz-expected-bucket-owner

    def requests_without_owner(self, clear=False):
        with self._lock:
            entries = list(self.without_owner)
            if clear:
                self.without_owner.clear()
            return entries

    # --- before the emulator sees a request -------------------------------------------------------

    def before(self, request):
        rules = self.runner.faults.aws
        expiry = rules.get("expiredTokens", {}).get(request.token) if request.token else None
        if expiry is not None and time.time() >= expiry:
            log.info("%s %s: session token expired at %s", request.service, request.action or request.path, expiry)
            return expired_answer(request.service)
        if request.service == "s3":
            return self._s3(request, rules)
        if request.service != "ec2" or not request.action:
            return None
        for check in (self._no_default_vpc, self._not_yet_consistent, self._expired_instances,
                      self._group_dependency, self._console_output, self._vcpu_quota, self._zone_offering):
            answer = check(request, rules)
            if answer is not None:
                log.info("%s answered by the harness: %s", request.action, answer[2][:200])
                return answer
        return None

    def _s3(self, request, rules):
        bucket, key = request.bucket_and_key
        if not bucket:
            return None  # ListBuckets: nothing to own
        owner = request.headers.get("x-amz-expected-bucket-owner") or dict(request.query).get("x-amz-expected-bucket-owner")
        creating = request.method == "PUT" and not key and not request.query
        if owner is None and not creating and not request.presigned and request.headers.get("Authorization"):
            names = "&".join(sorted({name for name, _ in request.query}))
            entry = f"{request.method} /{bucket}{'/' + key if key else ''}{'?' + names if names else ''}"
            with self._lock:
                if entry not in self.without_owner and len(self.without_owner) < WITHOUT_OWNER_CAP:
                    self.without_owner.append(entry)
        if bucket in rules.get("foreignBuckets", []) and owner is not None and owner != FOREIGN_ACCOUNT:
            return s3_error(403, "AccessDenied", "Access Denied")
        return None

    def _no_default_vpc(self, request, rules):
        # Not a fault-plan key: only an account whose default VPC a test deleted gets here, and moto
        # would create the group in no VPC at all.
        if request.action != "CreateSecurityGroup" or request.values.get("VpcId"):
            return None
        vpcs = self.runner.ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
        return None if vpcs else ec2_error(400, "VPCIdNotSpecified", "No default VPC for this user")

    def _not_yet_consistent(self, request, rules):
        seconds = rules.get("consistencySeconds")
        if not seconds:
            return None
        instances = self._recent(self._new_instances, request.named(INSTANCE_PARAM, "i-"), seconds)
        if instances:
            return not_found("instance", instances)
        groups = self._recent(self._new_groups, request.named(GROUP_PARAM, "sg-"), seconds)
        return not_found("group", groups) if groups else None

    def _recent(self, created, names, seconds):
        now = time.monotonic()
        with self._lock:
            return {name for name in names if name in created and now - created[name] < seconds}

    def _expired_instances(self, request, rules):
        seconds = rules.get("terminatedExpirySeconds")
        if not seconds:
            return None
        gone = {i for i in request.named(INSTANCE_PARAM, "i-") if self._expired(i, seconds)}
        return not_found("instance", gone) if gone else None

    def _expired(self, instance_id, seconds):
        ended = self.runner.observed(instance_id).get("endedAt")
        return ended is not None and time.time() - ended > seconds

    def _group_dependency(self, request, rules):
        if request.action != "DeleteSecurityGroup" or not rules.get("securityGroupDependency"):
            return None
        group = request.values.get("GroupId")
        linger = rules.get("shuttingDownSeconds", 0)
        with self._lock:
            launched = {i for i, groups in self._launched_groups.items() if group in groups}
        users = launched | self.runner.instances_in_group(group)
        for instance_id in sorted(users):
            if self._state(instance_id, linger) != "terminated":
                return ec2_error(400, "DependencyViolation", f"resource {group} has a dependent object")
        return None

    def _state(self, instance_id, linger):
        """The instance's state as EC2 would report it: one the runner has not yet seen is pending, and a
        terminated one is shutting-down for `linger` seconds (moto goes straight to terminated)."""
        seen = self.runner.observed(instance_id)
        state = seen.get("state", "pending")
        if state == "terminated" and linger and time.time() - seen["endedAt"] < linger:
            return "shutting-down"
        return state

    def _console_output(self, request, rules):
        if request.action != "GetConsoleOutput" or not rules.get("consoleOutput"):
            return None
        instance_id = request.values.get("InstanceId", "")
        path = self.runner.console_path(instance_id)
        if path is None:
            return None
        try:
            with open(path, "rb") as f:
                f.seek(0, 2)
                f.seek(max(0, f.tell() - CONSOLE_BYTES))
                text = f.read()
        except FileNotFoundError:
            text = b""
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<GetConsoleOutputResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
                f"<requestId>{uuid.uuid4()}</requestId><instanceId>{instance_id}</instanceId><timestamp>{stamp}</timestamp>"
                f"<output>{base64.b64encode(text).decode()}</output></GetConsoleOutputResponse>")
        return 200, [("Content-Type", "text/xml")], body.encode()

    def _vcpu_quota(self, request, rules):
        quota = rules.get("vcpuQuota")
        if request.action != "RunInstances" or quota is None:
            return None
        ec2 = self.runner.ec2
        in_use = 0
        for page in ec2.get_paginator("describe_instances").paginate(
                Filters=[{"Name": "instance-state-name", "Values": list(ALIVE_FOR_QUOTA)}]):
            for reservation in page["Reservations"]:
                in_use += sum(self._type_vcpus(i["InstanceType"]) for i in reservation["Instances"])
        asked = int(request.values.get("MaxCount", 1)) * self._type_vcpus(request.values.get("InstanceType", "m1.small"))
        if in_use + asked <= quota:
            return None
        return ec2_error(400, "VcpuLimitExceeded",
                         f"You have requested more vCPU capacity than your current vCPU limit of {quota} allows for the "
                         "instance bucket that the specified instance type belongs to. Please visit "
                         "http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.")

    def _zone_offering(self, request, rules):
        # moto launches any type into any zone; EC2 refuses a zone that does not offer the type.
        if request.action != "RunInstances" or not rules.get("zoneOfferings"):
            return None
        instance_type = request.values.get("InstanceType", "m1.small")
        zone = request.values.get("Placement.AvailabilityZone")
        subnet_id = request.values.get("SubnetId") or request.values.get("NetworkInterface.1.SubnetId")
        if zone is None and subnet_id:
            subnets = self.runner.ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"]
            zone = subnets[0]["AvailabilityZone"] if subnets else None
        if zone is None:
            return None  # EC2 chooses a zone that offers the type
        offerings = self.runner.ec2.describe_instance_type_offerings(
            LocationType="availability-zone", Filters=[{"Name": "instance-type", "Values": [instance_type]}])["InstanceTypeOfferings"]
        zones = sorted({o["Location"] for o in offerings})
        if zone in zones:
            return None
        return ec2_error(400, "Unsupported",
                         f"Your requested instance type ({instance_type}) is not supported in your requested Availability Zone "
                         f"({zone}). Please retry your request by not specifying an Availability Zone or choosing {', '.join(zones)}.")

    def _type_vcpus(self, instance_type):
        if instance_type not in self._vcpus:
            try:
                described = self.runner.ec2.describe_instance_types(InstanceTypes=[instance_type])["InstanceTypes"]
                self._vcpus[instance_type] = described[0]["VCpuInfo"]["DefaultVCpus"]
            except (BotoCoreError, ClientError, IndexError, KeyError):
                self._vcpus[instance_type] = 1
        return self._vcpus[instance_type]

    # --- after the emulator answered --------------------------------------------------------------

    def after(self, request, status, headers, data):
        if request.service != "ec2" or not 200 <= status < 300:
            return status, headers, data
        if request.action == "CreateSecurityGroup":
            self._remember(self._new_groups, re.findall(rb"<groupId>(sg-[0-9a-z]+)</groupId>", data))
        elif request.action == "RunInstances":
            self._remember_launch(request, data)
        elif request.action == "DescribeInstances":
            data = self._rewrite_listing(request, data)
        return status, headers, data

    def _remember(self, created, ids):
        now = time.monotonic()
        with self._lock:
            for raw in ids:
                created[raw.decode()] = now

    def _remember_launch(self, request, data):
        root = ET.fromstring(data)
        q = _qualifier(root)
        groups = request.named(GROUP_PARAM, "sg-")
        ids = []
        for item in root.iter(q("instancesSet")):
            for instance in item:
                instance_id = instance.findtext(q("instanceId"))
                ids.append(instance_id.encode())
                with self._lock:
                    self._launched_groups[instance_id] = set(groups)
        self._remember(self._new_instances, ids)

    def _rewrite_listing(self, request, data):
        rules = self.runner.faults.aws
        window, expiry, linger = (rules.get(k) for k in ("consistencySeconds", "terminatedExpirySeconds", "shuttingDownSeconds"))
        if not (window or expiry or linger):
            return data
        # Named instances were checked before the call; a listing by filters leaves out what EC2 would
        # not show yet (just launched) or any more (terminated long ago).
        by_filter = not request.named(INSTANCE_PARAM, "i-")
        root = ET.fromstring(data)
        q = _qualifier(root)
        reservations = root.find(q("reservationSet"))
        if reservations is None:
            return data
        now = time.monotonic()
        for reservation in list(reservations):
            instances = reservation.find(q("instancesSet"))
            for instance in list(instances):
                instance_id = instance.findtext(q("instanceId"))
                with self._lock:
                    young = window and now - self._new_instances.get(instance_id, -1e9) < window
                if by_filter and (young or (expiry and self._expired(instance_id, expiry))):
                    instances.remove(instance)
                elif linger and self._state(instance_id, linger) == "shutting-down":
                    state = instance.find(q("instanceState"))
                    state.find(q("code")).text, state.find(q("name")).text = "32", "shutting-down"
            if len(instances) == 0:
                reservations.remove(reservation)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _qualifier(root):
    namespace = root.tag[1:root.tag.index("}")] if root.tag.startswith("{") else ""
    if namespace:
        ET.register_namespace("", namespace)
    return lambda name: f"{{{namespace}}}{name}" if namespace else name
