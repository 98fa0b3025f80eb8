#!/usr/bin/env bash
# The rules across record kinds (R10-R13, examples/benchmark/kinds.rules): `backup-audit check`
# over the backup, copy and restore listings of one generated estate, against the Python reference
# (Tests/RuleEngineTests/reference_kinds.py) where it fits in memory. Builds a release binary first.
#
#   Benchmarks/kinds.sh [--presets medium,large] [--reference-presets small,medium] [--runs 1]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product backup-audit >&2
exec python3 Benchmarks/kinds.py --binary "$(swift build -c release --show-bin-path)/backup-audit" "$@"
