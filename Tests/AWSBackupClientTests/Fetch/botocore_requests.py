#!/usr/bin/env python3
"""The List requests botocore sends, for the differential test of our client.

Reads {"time": "...Z", "accessKey": ..., "secretKey": ..., "sessionToken": ..., "region": ...,
"cases": [{"operation": "ListCopyJobs", "params": {...kwargs; datetimes as ISO strings...}}]} on
stdin and prints,
for each case, the path and query botocore put on the wire and the canonical request and
Authorization header of that request signed at `time` with only the headers SDKs must sign (host,
x-amz-date, x-amz-security-token): botocore's serializer and signer, no network.
"""
import datetime, json, sys
from unittest import mock
from urllib.parse import urlsplit

import botocore.session
from botocore import xform_name
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials

spec = json.load(sys.stdin)
time = datetime.datetime.strptime(spec["time"], "%Y-%m-%dT%H:%M:%SZ")
session = botocore.session.get_session()
client = session.create_client(
    "backup", region_name=spec["region"], endpoint_url=f"https://backup.{spec['region']}.amazonaws.com",
    aws_access_key_id=spec["accessKey"], aws_secret_access_key=spec["secretKey"], aws_session_token=spec.get("sessionToken"))
captured = []


class Raw:
    def stream(self, **_):
        yield b'{}'


def capture(request, **_):
    captured.append(request)
    return AWSResponse(request.url, 200, {}, Raw())


client.meta.events.register("before-send.backup", capture)
credentials = Credentials(spec["accessKey"], spec["secretKey"], spec.get("sessionToken"))
results = []
for case in spec["cases"]:
    params = dict(case["params"])
    operation = client.meta.service_model.operation_model(case["operation"])
    for name, shape in operation.input_shape.members.items():
        if name in params and shape.type_name == "timestamp":
            params[name] = datetime.datetime.fromisoformat(params[name].replace("Z", "+00:00"))
    getattr(client, xform_name(case["operation"]))(**params)
    sent = captured[-1]
    parts = urlsplit(sent.url)
    request = AWSRequest(method=sent.method, url=sent.url, headers={})
    with mock.patch("botocore.auth.get_current_datetime", return_value=time):
        signer = SigV4Auth(credentials, "backup", spec["region"])
        signer.add_auth(request)
    authorization = request.headers["Authorization"]
    del request.headers["Authorization"]  # what was signed had none
    results.append({
        "path": parts.path, "query": parts.query,
        "canonicalRequest": signer.canonical_request(request),
        "authorization": authorization,
    })
json.dump(results, sys.stdout)
