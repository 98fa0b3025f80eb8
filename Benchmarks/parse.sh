#!/usr/bin/env bash
# Rule-file benchmark: how fast a 10 MB rule file is parsed and checked (`lint`) and parsed and
# formatted (`fmt --check`). Target (issue: rule language): well under a second for 10 MB.
#
#   Benchmarks/parse.sh [MEGABYTES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
megabytes=${1:-10}
runs=${2:-3}
swift build -c release --product backup-audit >&2
binary="$(swift build -c release --show-bin-path)/backup-audit"
mkdir -p .build-bench
file=.build-bench/rules-${megabytes}mb.rules
python3 - "$file" "$megabytes" <<'PY'
import sys
path, megabytes = sys.argv[1], int(sys.argv[2])
parts, size, i = [], 0, 0
while size < megabytes * 1_000_000:
    rule = f'''rule r{i} {{
  title "Rule {i}: every EBS volume of team {i % 97} has a completed backup"
  severity high
  controls "SOC2 CC7.4", "ISO27001 A.8.13"

  every resource where ResourceType == "EBS" and ResourceName starts with "team-{i % 97}-"
    has job where State == COMPLETED and CompletionDate within 24h and IamRoleArn contains "AWSBackup"
}}
'''
    parts.append(rule); size += len(rule) + 1; i += 1
open(path, "w").write("\n".join(parts))
print(f"{path}: {i} rules, {size / 1e6:.1f} MB", file=sys.stderr)
PY
measure() {
    local best=""
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s.%N)
        "$@" > /dev/null || true
        end=$(date +%s.%N)
        best=$(python3 -c "a='$best'; d=$end-$start; print(d if not a else min(float(a), d))")
    done
    echo "$best"
}
bytes=$(stat -c %s "$file")
for command in "lint" "fmt --check"; do
    # shellcheck disable=SC2086
    seconds=$(measure "$binary" $command "$file")
    python3 -c "s=$seconds; mb=$bytes/1e6; print(f'{\"$command\":12} {mb:6.1f} MB  {s:6.3f} s  {mb/s:7.1f} MB/s  target <1 s: {\"met\" if s < 1 else \"MISSED\"}')"
done
