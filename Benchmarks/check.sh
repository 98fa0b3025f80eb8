#!/usr/bin/env bash
# End-to-end benchmark of the gate: `backup-audit check` with the nine benchmark rules
# (examples/benchmark/pack.rules) writing JUnit and JSON, against jq 1.6 running the same nine rules
# (Benchmarks/nine-rules.jq), on the generator's medium and large presets. Both must fail the same
# subjects. Builds a release binary first.
#
#   Benchmarks/check.sh [--presets medium,large] [--runs 3]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product backup-audit >&2
exec python3 Benchmarks/check.py --binary "$(swift build -c release --show-bin-path)/backup-audit" "$@"
