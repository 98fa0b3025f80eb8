#!/usr/bin/env bash
# Decoder benchmark: `backup-audit jobs summary` against `jq '.BackupJobs | length'` on the
# generator's medium and large presets, API and CLI formats. Builds a release binary first.
#
#   Benchmarks/decode.sh [--presets medium,large] [--runs 3] [--data DIR] [--kinds backup,copy,restore]
#
# Data is generated once into .build-bench/data (about 4 GB for both presets) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product backup-audit >&2
exec python3 Benchmarks/decode.py --binary "$(swift build -c release --show-bin-path)/backup-audit" "$@"
