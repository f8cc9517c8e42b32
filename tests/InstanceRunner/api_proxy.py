"""An HTTP proxy on 127.0.0.1 in front of the AWS emulator, through which a test points the module
(its endpoint URL, and so the workers' presigned S3 URLs), so that the fault plan (faults.py) can
refuse launches the way EC2 does when capacity or limits run out, hit a worker at the moment its
progress reaches S3, and answer as strictly as AWS documents where the emulator forgives (the plan's
"aws" key, aws_strict.py). Everything else is passed on unchanged.
"""
import http.client
import json
import logging
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

from aws_strict import Request, StrictAws, ec2_error

PROGRESS_KEY = re.compile(r"/slot-(\d+)/attempt-(\d+)/progress\.json$")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "proxy-connection"}
# EC2 answers capacity shortages as server errors and throttling as 503; limits are client errors,
# and a permission the caller lacks is 403.
STATUS_BY_ERROR = {"InsufficientInstanceCapacity": 500, "InsufficientCapacity": 500, "InsufficientHostCapacity": 500,
                   "Unavailable": 503, "RequestLimitExceeded": 503,
                   "AuthFailure.ServiceLinkedRoleCreationNotPermitted": 403}

log = logging.getLogger("runner.proxy")


class ApiProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, runner, upstream, port=0):
        super().__init__(("127.0.0.1", port), ProxyHandler)
        self.runner = runner
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname, parts.port or 80)
        self.refusals = []  # (market, error) of every launch refused, for the status endpoint
        self.strict = StrictAws(runner)


def launch_error(code, market):
    message = {
        "InsufficientInstanceCapacity": f"We currently do not have sufficient {market} capacity for the instance type requested.",
        "VcpuLimitExceeded": "You have requested more vCPU capacity than your current vCPU limit allows for the instance bucket.",
        "InstanceLimitExceeded": "You have requested more instances than your current instance limit allows.",
        "RequestLimitExceeded": "Request limit exceeded.",
        "AuthFailure.ServiceLinkedRoleCreationNotPermitted":
            "The provided credentials do not have permission to create the service-linked role for EC2 Spot Instances.",
    }.get(code, f"{code} (injected by the test runner)")
    return ec2_error(STATUS_BY_ERROR.get(code, 400), code, message)


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        log.debug("%s %s", self.address_string(), fmt % args)

    def do_GET(self): self._forward()
    def do_HEAD(self): self._forward()
    def do_PUT(self): self._forward()
    def do_POST(self): self._forward()
    def do_DELETE(self): self._forward()

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _reply(self, status, headers, body):
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _forward(self):
        body = self._read_body()
        request = self._request(body)
        answer = self._strictly("before", request)
        if answer is not None:
            return self._reply(*answer)
        if self.command == "POST" and b"Action=RunInstances" in body:
            body, refusal = self._launch_faults(body)
            if refusal is not None:
                return self._reply(*refusal)
        connection = http.client.HTTPConnection(*self.server.upstream, timeout=60)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["Host"] = self.headers.get("Host", "")
            headers["Content-Length"] = str(len(body))
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            status, reply_headers = response.status, response.getheaders()
        finally:
            connection.close()
        status, reply_headers, data = self._strictly("after", request, status, reply_headers, data) or (status, reply_headers, data)
        if self.command == "PUT" and 200 <= status < 300:
            self._progress_faults(body)
        try:
            self._reply(status, reply_headers, data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a worker hit by a fault is gone before its answer

    def _strictly(self, stage, request, *answer):
        """The strict-AWS rules; a rule that fails (the emulator unreachable, an answer it cannot parse)
        must not cost the client its answer: the request then passes as the emulator gives it."""
        try:
            return getattr(self.server.strict, stage)(request, *answer)
        except Exception:
            log.exception("strict-AWS rules failed %s %s %s", stage, request.action or "", self.path[:200])
            return None

    def _request(self, body):
        parts = urlsplit(self.path)
        query = parse_qsl(parts.query, keep_blank_values=True)
        form = self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded")
        params = query + (parse_qsl(body.decode(errors="replace"), keep_blank_values=True) if form else [])
        return Request(self.command, parts.path, query, self.headers, params)

    def _launch_faults(self, body):
        params = parse_qsl(body.decode(), keep_blank_values=True)
        values = dict(params)
        market = "spot" if values.get("InstanceMarketOptions.MarketType") == "spot" else "on-demand"
        decision = self.server.runner.faults.run_instances(market, int(values.get("MinCount", 1)), int(values.get("MaxCount", 1)))
        if decision is None:
            return body, None
        kind, value = decision
        if kind == "error":
            self.server.refusals.append({"market": market, "error": value})
            log.info("RunInstances (%s) refused: %s", market, value)
            return body, launch_error(value, market)
        # EC2 starts as many as it can up to MaxCount; moto always starts MinCount, so both say it.
        log.info("RunInstances (%s): cut to %s instance(s)", market, value)
        cut = [(k, str(value) if k in ("MinCount", "MaxCount") else v) for k, v in params]
        return urlencode(cut).encode(), None

    def _progress_faults(self, body):
        match = PROGRESS_KEY.search(urlsplit(self.path).path)
        if not match:
            return
        action = self.server.runner.faults.progress(int(match[1]), int(match[2]))
        if action is None:
            return
        try:
            instance_id = json.loads(body)["instanceId"]
        except (ValueError, KeyError, TypeError):
            log.warning("progress fault for slot %s: the object names no instance", match[1])
            return
        log.info("progress of slot %s attempt %s from %s: %s", match[1], match[2], instance_id, action)
        self.server.runner.act(instance_id, action)
