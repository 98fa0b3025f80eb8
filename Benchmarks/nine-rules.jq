# The nine benchmark rules (shared/bench/RULEPACK.md) in jq, for Benchmarks/check.sh: the peer that
# backup-audit is measured against. Run on the API form (epoch-second timestamps):
#   jq --argjson now 1795867200 -f Benchmarks/nine-rules.jq jobs.json
# Prints {"rule-id": [failing subjects, sorted], ...}. Times are compared in whole milliseconds.
def ms: if . == null then null else . * 1000 | round end;
def finished: .State == "COMPLETED" or .State == "FAILED" or .State == "ABORTED" or .State == "EXPIRED" or .State == "PARTIAL";
def inflight: .State == "CREATED" or .State == "PENDING" or .State == "RUNNING";
def within($t; $window): ($t | ms) as $m | $m != null and $m >= ($now * 1000 - $window) and $m <= $now * 1000;

[.BackupJobs[]] as $jobs
| ($jobs | map(select(.ResourceArn != null)) | group_by(.ResourceArn)) as $resources
| ($jobs | map(select(.AccountId != null)) | group_by(.AccountId)) as $accounts
| {
    "ebs-daily": [$resources[]
      | select(any(.[]; .ResourceType == "EBS"))
      | select(any(.[]; .State == "COMPLETED" and within(.CompletionDate; 86400000)) | not)
      | .[0].ResourceArn] | sort,
    "iam-role-name": [$jobs[]
      | select((.IamRoleArn != null and ((.IamRoleArn | contains("AWSBackup")) or (.IamRoleArn | contains("AwsBackup")))) | not)
      | .BackupJobId] | sort,
    "no-stuck-jobs": [$jobs[]
      | select(inflight and .CreationDate != null and (.CreationDate | ms) < $now * 1000 - 86400000)
      | .BackupJobId] | sort,
    "failure-rate": [$accounts[]
      | [.[] | select(finished and within(.CreationDate; 604800000))] as $recent
      | select(($recent | length) > 0 and ([$recent[] | select(.State != "COMPLETED")] | length) * 100 > 5 * ($recent | length))
      | .[0].AccountId] | sort,
    "db-latest-completed": [$resources[]
      | select(any(.[]; .ResourceType == "RDS" or .ResourceType == "Aurora"))
      | [.[] | select(finished and .CreationDate != null)] as $done
      | select(($done | length) == 0 or (($done | map(.CreationDate | ms) | max) as $latest | any($done[]; (.CreationDate | ms) == $latest and .State != "COMPLETED")))
      | .[0].ResourceArn] | sort,
    "windows-vss": [$jobs[]
      | select(.ResourceType == "EC2" and .BackupOptions.WindowsVSS != null and .BackupOptions.WindowsVSS != "enabled")
      | .BackupJobId] | sort,
    "backup-duration": [$jobs[]
      | select(.State == "COMPLETED")
      | select(.CompletionDate == null or .CreationDate == null or ((.CompletionDate | ms) - (.CreationDate | ms)) > 28800000)
      | .BackupJobId] | sort,
    "plan-coverage": [$resources[]
      | select(any(.[]; .CreatedBy.BackupPlanId != null) | not)
      | .[0].ResourceArn] | sort,
    "dynamodb-weekly-count": [$resources[]
      | select(any(.[]; .ResourceType == "DynamoDB"))
      | select(([.[] | select(.State == "COMPLETED" and within(.CreationDate; 604800000))] | length) < 7)
      | .[0].ResourceArn] | sort
  }
