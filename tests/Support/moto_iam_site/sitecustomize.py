"""Put on PYTHONPATH of the moto that tests/Pester/IamPolicy.Tests.ps1 starts; inert elsewhere.

Two gaps in moto 5.2.1's IAM enforcement, closed here so that it checks what AWS checks:
- It recomputes each SigV4 signature over the query string as its web server hands it over, with
  '%2F' already decoded to '/', so every signed request whose query holds a '/' fails with
  SignatureDoesNotMatch, whatever the SDK (ListObjectsV2 with Prefix="searches/<id>/", from boto3
  as from AWSSDK.S3). The test is about authorisation, not signatures: the signature check is off.
- It cannot authorise a presigned S3 request (no Authorization header: it fails with a server
  error). AWS authorises one as the identity that signed it, which is how the workers' downloads and
  reports depend on the controller's s3:GetObject and s3:PutObject; here such a request is checked
  as the access key named in its X-Amz-Credential.
Everything else is moto's own: the caller is identified by its access key id and each call is
checked against that user's IAM policies.
"""
import importlib.abc
import importlib.util
import sys
from urllib.parse import parse_qs, urlparse

_TARGET = "moto.iam.access_control"


def _patch(module):
    request_base = module.IAMRequestBase
    initialise = request_base.__init__

    def initialise_presigned_as_signer(self, account_id, method, path, data, body, headers, action):
        credential = parse_qs(urlparse(path).query).get("X-Amz-Credential")
        if "Authorization" not in headers and credential:
            headers = dict(headers)
            headers["Authorization"] = f"AWS4-HMAC-SHA256 Credential={credential[0]}, SignedHeaders=host, Signature=presigned"
        initialise(self, account_id, method, path, data, body, headers, action)

    request_base.__init__ = initialise_presigned_as_signer
    request_base.check_signature = lambda self: None


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Patches the module right after its first import, and imports nothing itself until then."""

    def find_spec(self, name, path, target=None):
        if name != _TARGET:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run_module = spec.loader.exec_module

        def run_and_patch(module):
            run_module(module)
            _patch(module)

        spec.loader.exec_module = run_and_patch
        return spec


sys.meta_path.insert(0, _PatchOnImport())
