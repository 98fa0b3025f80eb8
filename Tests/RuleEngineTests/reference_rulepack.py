#!/usr/bin/env python3
"""The nine benchmark rules (shared/bench/RULEPACK.md), computed the plain way.

An oracle for backup-audit's evaluator, written separately and as directly as the table in
RULEPACK.md reads: plain Python over plain dicts, exact millisecond arithmetic, no shared code.

  reference_rulepack.py NOW PATH...   prints {"rule-id": [failing subjects, sorted], ...}

PATH is a ListBackupJobs document (API or CLI form), a directory of page files, or JSON Lines.
"""
import json, os, sys
from datetime import datetime, timezone
from decimal import Decimal, ROUND_FLOOR

FINISHED = {"COMPLETED", "FAILED", "ABORTED", "EXPIRED", "PARTIAL"}
IN_FLIGHT = {"CREATED", "PENDING", "RUNNING"}
HOUR, DAY = 3_600_000, 86_400_000


def ms(value):
    """Epoch milliseconds of a timestamp, or None when missing."""
    if value is None:
        return None
    if isinstance(value, str):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return int(moment.replace(microsecond=0).timestamp()) * 1000 + moment.microsecond // 1000
    return int((Decimal(str(value)) * 1000).to_integral_value(rounding=ROUND_FLOOR))


def load(paths):
    jobs = []
    for path in paths:
        files = sorted(os.path.join(path, f) for f in os.listdir(path)) if os.path.isdir(path) else [path]
        for name in files:
            text = open(name).read()
            if name.endswith(".jsonl"):
                jobs += [json.loads(line, parse_float=Decimal) for line in text.splitlines() if line.strip()]
            else:
                decoder, index = json.JSONDecoder(parse_float=Decimal), 0
                while index < len(text):
                    while index < len(text) and text[index].isspace():
                        index += 1
                    if index == len(text):
                        break
                    document, index = decoder.raw_decode(text, index)
                    jobs += document["BackupJobs"]
    return jobs


def within(t, now, window):
    return t is not None and now - window <= t <= now


def evaluate(jobs, now):
    failing = {rule: [] for rule in [
        "ebs-daily", "iam-role-name", "no-stuck-jobs", "failure-rate", "db-latest-completed",
        "windows-vss", "backup-duration", "plan-coverage", "dynamodb-weekly-count"]}
    by_resource, by_account = {}, {}
    for job in jobs:
        if job.get("ResourceArn") is not None:
            by_resource.setdefault(job["ResourceArn"], []).append(job)
        if job.get("AccountId") is not None:
            by_account.setdefault(job["AccountId"], []).append(job)

    for job in jobs:
        role = job.get("IamRoleArn")
        if not (role is not None and ("AWSBackup" in role or "AwsBackup" in role)):
            failing["iam-role-name"].append(job["BackupJobId"])
        created = ms(job.get("CreationDate"))
        if job.get("State") in IN_FLIGHT and created is not None and created < now - 24 * HOUR:
            failing["no-stuck-jobs"].append(job["BackupJobId"])
        options = job.get("BackupOptions") or {}
        if job.get("ResourceType") == "EC2" and options.get("WindowsVSS") is not None:
            if options["WindowsVSS"] != "enabled":
                failing["windows-vss"].append(job["BackupJobId"])
        if job.get("State") == "COMPLETED":
            completed = ms(job.get("CompletionDate"))
            if created is None or completed is None or completed - created > 8 * HOUR:
                failing["backup-duration"].append(job["BackupJobId"])

    for arn, group in by_resource.items():
        types = {job.get("ResourceType") for job in group}
        if "EBS" in types:
            if not any(job.get("State") == "COMPLETED" and within(ms(job.get("CompletionDate")), now, 24 * HOUR) for job in group):
                failing["ebs-daily"].append(arn)
        if types & {"RDS", "Aurora"}:
            finished = [job for job in group if job.get("State") in FINISHED and ms(job.get("CreationDate")) is not None]
            if not finished:
                failing["db-latest-completed"].append(arn)
            else:
                latest = max(ms(job["CreationDate"]) for job in finished)
                if any(job["State"] != "COMPLETED" for job in finished if ms(job["CreationDate"]) == latest):
                    failing["db-latest-completed"].append(arn)
        if not any((job.get("CreatedBy") or {}).get("BackupPlanId") is not None for job in group):
            failing["plan-coverage"].append(arn)
        if "DynamoDB" in types:
            count = sum(1 for job in group if job.get("State") == "COMPLETED" and within(ms(job.get("CreationDate")), now, 7 * DAY))
            if count < 7:
                failing["dynamodb-weekly-count"].append(arn)

    for account, group in by_account.items():
        recent = [job for job in group if job.get("State") in FINISHED and within(ms(job.get("CreationDate")), now, 7 * DAY)]
        bad = sum(1 for job in recent if job["State"] != "COMPLETED")
        if recent and bad * 100 > 5 * len(recent):
            failing["failure-rate"].append(account)

    return {rule: sorted(subjects) for rule, subjects in failing.items()}


if __name__ == "__main__":
    now = ms(sys.argv[1])
    print(json.dumps(evaluate(load(sys.argv[2:]), now), indent=1, sort_keys=True))
