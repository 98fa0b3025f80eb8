#!/usr/bin/env python3
"""Pages through ListBackupJobs with botocore's paginator (what `aws backup list-backup-jobs`
runs), for the test that our resume tokens and botocore's are interchangeable.

Reads {"endpoint", "region", "accessKey", "secretKey", "maxItems", "pageSize", "startingToken"} on
stdin; prints {"ids": [BackupJobId, ...], "resumeToken": token or null}.
"""
import json, sys

import botocore.session

spec = json.load(sys.stdin)
client = botocore.session.get_session().create_client(
    "backup", region_name=spec["region"], endpoint_url=spec["endpoint"],
    aws_access_key_id=spec["accessKey"], aws_secret_access_key=spec["secretKey"])
config = {key: spec[name] for key, name in (("MaxItems", "maxItems"), ("PageSize", "pageSize"), ("StartingToken", "startingToken"))
          if spec.get(name) is not None}
result = client.get_paginator("list_backup_jobs").paginate(PaginationConfig=config).build_full_result()
json.dump({"ids": [job["BackupJobId"] for job in result.get("BackupJobs", [])], "resumeToken": result.get("NextToken")}, sys.stdout)
