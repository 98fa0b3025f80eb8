#!/usr/bin/env bash
# Live-fetch benchmark: `backup-audit fetch` serial and --parallel 8 against the local
# ListBackupJobs emulator adding 50 ms per page, 200k jobs at page size 1000, against botocore's
# paginator on the same server. Checks identical job sets; prints CPU per 1000 jobs.
#
#   Benchmarks/fetch.sh [--parallel 1,4,8] [--runs 3] [--latency-ms 50] [--resources 6300]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product backup-audit >&2
swift build -c release --product aws-backup-emulator >&2
bin="$(swift build -c release --show-bin-path)"
exec python3 Benchmarks/fetch.py --binary "$bin/backup-audit" --emulator "$bin/aws-backup-emulator" "$@"
