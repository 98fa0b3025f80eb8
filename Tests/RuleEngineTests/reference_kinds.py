#!/usr/bin/env python3
"""The benchmark rules across record kinds (shared/bench/RULEPACK.md, R10-R13), computed the plain way.

An oracle for backup-audit's evaluator, written separately and as directly as the table in
RULEPACK.md reads: plain Python over plain dicts, exact millisecond arithmetic, no shared code.

  reference_kinds.py NOW PATH...   prints {"rule-id": [failing subjects, sorted], ...}

Each PATH is a listing of backup, copy or restore jobs (an API document, or JSON Lines), told
apart by its member (BackupJobs, CopyJobs, RestoreJobs) or, in JSON Lines, by the id member.
"""
import json, re, sys
from decimal import Decimal

from reference_rulepack import ms  # epoch milliseconds of a timestamp, as the nine rules' oracle reads them

HOUR, DAY = 3_600_000, 86_400_000
MEMBERS = {"BackupJobs": "backup", "CopyJobs": "copy", "RestoreJobs": "restore"}
IDS = {"BackupJobId": "backup", "CopyJobId": "copy", "RestoreJobId": "restore"}


def load(paths):
    records = {"backup": [], "copy": [], "restore": []}
    for path in paths:
        text = open(path).read()
        if path.endswith(".jsonl"):
            for line in text.splitlines():
                if line.strip():
                    record = json.loads(line, parse_float=Decimal)
                    kind = next(IDS[key] for key in IDS if key in record)
                    records[kind].append(record)
            continue
        decoder, index = json.JSONDecoder(parse_float=Decimal), 0
        while index < len(text):
            while index < len(text) and text[index].isspace():
                index += 1
            if index == len(text):
                break
            document, index = decoder.raw_decode(text, index)
            for member, kind in MEMBERS.items():
                records[kind] += document.get(member, [])
    return records


def within(t, now, window):
    return t is not None and now - window <= t <= now


REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]+")
PARTITION = re.compile(r"aws(-[a-z]+)*")


def region(arn):
    """The Region of a well-formed ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE); None
    when it has none, or is truncated or damaged."""
    parts = arn.split(":", 5) if isinstance(arn, str) else []
    if len(parts) != 6 or parts[0] != "arn" or not PARTITION.fullmatch(parts[1]) or not parts[2] or not parts[5]:
        return None
    return parts[3] if REGION.fullmatch(parts[3]) else None


def evaluate(records, now):
    backups, copies, restores = records["backup"], records["copy"], records["restore"]
    failing = {"cross-region-copy": [], "copy-vault-locked": [], "restore-tested": [], "restore-time-target": []}

    def completed_this_week(job):
        return job.get("State") == "COMPLETED" and within(ms(job.get("CompletionDate")), now, 7 * DAY)

    # R10: databases backed up this week, by ResourceArn, need a completed cross-Region copy.
    databases = {j["ResourceArn"] for j in backups
                 if j.get("ResourceArn") is not None and j.get("ResourceType") in ("RDS", "Aurora", "DynamoDB")}
    backed_up = {j["ResourceArn"] for j in backups if j.get("ResourceArn") is not None and completed_this_week(j)}
    copied = set()
    for c in copies:
        source, destination = region(c.get("SourceBackupVaultArn")), region(c.get("DestinationBackupVaultArn"))
        if (c.get("State") == "COMPLETED" and within(ms(c.get("CompletionDate")), now, 7 * DAY)
                and source is not None and destination is not None and source != destination):
            copied.add(c.get("ResourceArn"))
    failing["cross-region-copy"] = sorted(arn for arn in databases & backed_up if arn not in copied)

    # R11: completed copies of the last 7 days went to a locked vault.
    failing["copy-vault-locked"] = sorted(
        c["CopyJobId"] for c in copies
        if c.get("State") == "COMPLETED" and within(ms(c.get("CreationDate")), now, 7 * DAY)
        and c.get("DestinationVaultLockState") != "LOCKED")

    # R12: every resource type backed up this week had a validated restore test within 14 days.
    types = {j["ResourceType"] for j in backups if j.get("ResourceType") is not None and completed_this_week(j)}
    tested = {r.get("ResourceType") for r in restores
              if r.get("Status") == "COMPLETED" and r.get("ValidationStatus") == "SUCCESSFUL"
              and (r.get("CreatedBy") or {}).get("RestoreTestingPlanArn") is not None
              and within(ms(r.get("CreationDate")), now, 14 * DAY)}
    failing["restore-tested"] = sorted(types - tested)

    # R13: completed restores of the last 14 days took at most 4h; a missing time fails.
    for r in restores:
        created, completed = ms(r.get("CreationDate")), ms(r.get("CompletionDate"))
        if r.get("Status") == "COMPLETED" and within(created, now, 14 * DAY):
            # A completion before the creation is no duration at all: it fails too.
            if completed is None or completed < created or completed - created > 4 * HOUR:
                failing["restore-time-target"].append(r["RestoreJobId"])
    failing["restore-time-target"].sort()
    return failing


if __name__ == "__main__":
    print(json.dumps(evaluate(load(sys.argv[2:]), ms(sys.argv[1]))))
