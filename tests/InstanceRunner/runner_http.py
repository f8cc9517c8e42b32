"""The instance runner's HTTP endpoint on 127.0.0.1.

- IMDSv2 for every simulated instance, under the instance's id: /<instance-id>/latest/api/token (PUT)
  and /<instance-id>/latest/meta-data/<key> (GET, token required). A worker finds it through
  CND_IMDS_ENDPOINT=http://127.0.0.1:<port>/<instance-id>.
- The power shims' calls: POST /_runner/instances/<instance-id>/poweroff | reboot.
- The test control API: GET /_runner/status, PUT /_runner/faults (see faults.py; it also clears the
  proxy's list of S3 requests without x-amz-expected-bucket-owner) and
  POST /_runner/instances/<instance-id>/kill (crash the instance's processes; it stays running) and
  .../interrupt (a spot interruption: the instance is terminated).
"""
import json
import logging
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

IMDS_PATH = re.compile(r"^/(i-[0-9A-Za-z]+)/latest/(api/token|meta-data/(.*))$")
ACTION_PATH = re.compile(r"^/_runner/instances/(i-[0-9A-Za-z]+)/(poweroff|reboot|kill|interrupt)$")
MAX_TOKEN_TTL = 21600  # seconds, as on EC2

log = logging.getLogger("runner.http")


class TokenStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._tokens = {}

    def issue(self, instance_id, ttl):
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = (instance_id, time.monotonic() + ttl)
        return token

    def valid(self, instance_id, token):
        with self._lock:
            owner, expires = self._tokens.get(token, (None, 0.0))
        return owner == instance_id and time.monotonic() < expires


class RunnerServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, runner, port=0):
        super().__init__(("127.0.0.1", port), Handler)
        self.runner = runner
        self.tokens = TokenStore()


class Handler(BaseHTTPRequestHandler):
    server_version = "cnd-instance-runner"
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        log.debug("%s %s", self.address_string(), fmt % args)

    def _reply(self, code, body="", content_type="text/plain"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _reply_json(self, code, value):
        self._reply(code, json.dumps(value, indent=1), "application/json")

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_PUT(self):
        path = urlsplit(self.path).path
        if path == "/_runner/faults":
            try:
                self.server.runner.replace_faults(json.loads(self._body() or b"{}"))
            except ValueError as e:
                return self._reply(400, f"{e}\n")
            return self._reply_json(200, self.server.runner.faults.to_json())
        match = IMDS_PATH.match(path)
        if not match or match[2] != "api/token":
            return self._reply(404, "not found\n")
        if self.server.runner.metadata(match[1]) is None:
            return self._reply(404, "unknown instance\n")
        ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds", "")
        if not ttl.isdigit() or not 1 <= int(ttl) <= MAX_TOKEN_TTL:
            return self._reply(400, "missing or invalid X-aws-ec2-metadata-token-ttl-seconds\n")
        self._reply(200, self.server.tokens.issue(match[1], int(ttl)))

    def do_GET(self):
        path = urlsplit(self.path).path
        if path == "/_runner/status":
            return self._reply_json(200, self.server.runner.status())
        match = IMDS_PATH.match(path)
        if not match or match[3] is None:
            return self._reply(404, "not found\n")
        metadata = self.server.runner.metadata(match[1])
        if metadata is None:
            return self._reply(404, "unknown instance\n")
        if not self.server.tokens.valid(match[1], self.headers.get("X-aws-ec2-metadata-token", "")):
            return self._reply(401, "IMDSv2 token required\n")
        key = match[3].rstrip("/")
        if key == "":
            return self._reply(200, "\n".join(sorted(metadata)))
        if key not in metadata:
            return self._reply(404, "not found\n")
        self._reply(200, str(metadata[key]))

    def do_POST(self):
        match = ACTION_PATH.match(urlsplit(self.path).path)
        if not match:
            return self._reply(404, "not found\n")
        instance_id, action = match[1], match[2]
        if self.server.runner.metadata(instance_id) is None:
            return self._reply(404, "unknown instance\n")
        # Answer first: a shim asking for power-off is itself one of the processes about to die.
        self._reply(202, f"{action} {instance_id}\n")
        self.server.runner.act(instance_id, action)
