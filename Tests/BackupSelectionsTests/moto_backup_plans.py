"""Creates backup plans (and selections, where moto has them) in a moto server through boto3,
and prints what the service answered: the raw response bodies of GetBackupPlan and
ListBackupPlans (the API's JSON, epoch timestamps) and the same responses as the AWS CLI prints
them (botocore's parsed values, timestamps in ISO 8601). Reads the plans to create as JSON on
standard input: {"plans": [BackupPlan, ...], "selection": BackupSelection}."""
import datetime
import json
import sys

import boto3
from moto.server import ThreadedMotoServer

spec = json.load(sys.stdin)
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
try:
    port = server.get_host_and_port()[1]
    client = boto3.client("backup", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    raw = {}

    def keep(http_response, model, **_):
        raw[model.name] = http_response.content.decode("utf-8")

    client.meta.events.register("after-call.backup.*", keep)

    def cli(response):
        # The AWS CLI's JSON output: the parsed response without its metadata, datetimes in ISO 8601.
        response = {k: v for k, v in response.items() if k != "ResponseMetadata"}
        return json.dumps(response, indent=4, default=lambda v: v.isoformat() if isinstance(v, datetime.datetime) else str(v))

    result = {"plans": [], "selections": [], "selectionsImplemented": True}
    for plan in spec["plans"]:
        created = client.create_backup_plan(BackupPlan=plan)
        got = client.get_backup_plan(BackupPlanId=created["BackupPlanId"])
        result["plans"].append({"id": created["BackupPlanId"], "raw": raw["GetBackupPlan"], "cli": cli(got)})
    listed = client.list_backup_plans()
    result["list"] = {"raw": raw["ListBackupPlans"], "cli": cli(listed)}

    plan_id = result["plans"][0]["id"]
    try:
        created = client.create_backup_selection(BackupPlanId=plan_id, BackupSelection=spec["selection"])
        got = client.get_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
        result["selections"].append({"raw": raw["GetBackupSelection"], "cli": cli(got)})
        listed = client.list_backup_selections(BackupPlanId=plan_id)
        result["selectionList"] = {"raw": raw["ListBackupSelections"], "cli": cli(listed)}
    except Exception as error:  # moto 5.2 has no CreateBackupSelection: say so, do not hide it
        if "not been implemented" not in str(error) and "500" not in str(error):
            raise
        result["selectionsImplemented"] = False
    print(json.dumps(result))
finally:
    server.stop()
