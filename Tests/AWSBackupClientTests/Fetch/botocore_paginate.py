#!/usr/bin/env python3
"""Pages through a List operation with botocore's paginator (what `aws backup list-backup-jobs`,
`list-copy-jobs` and `list-restore-jobs` run), for the test that our resume tokens and
botocore's are interchangeable.

Reads {"endpoint", "region", "accessKey", "secretKey", "maxItems", "pageSize", "startingToken",
"operation" (default ListBackupJobs), "member", "idMember"} on stdin; prints {"ids": [id, ...],
"resumeToken": token or null}.
"""
import json, sys

import botocore.session
from botocore import xform_name

spec = json.load(sys.stdin)
client = botocore.session.get_session().create_client(
    "backup", region_name=spec["region"], endpoint_url=spec["endpoint"],
    aws_access_key_id=spec["accessKey"], aws_secret_access_key=spec["secretKey"])
config = {key: spec[name] for key, name in (("MaxItems", "maxItems"), ("PageSize", "pageSize"), ("StartingToken", "startingToken"))
          if spec.get(name) is not None}
operation = spec.get("operation", "ListBackupJobs")
member, id_member = spec.get("member", "BackupJobs"), spec.get("idMember", "BackupJobId")
result = client.get_paginator(xform_name(operation)).paginate(PaginationConfig=config).build_full_result()
json.dump({"ids": [job[id_member] for job in result.get(member, [])], "resumeToken": result.get("NextToken")}, sys.stdout)
