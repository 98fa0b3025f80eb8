#!/usr/bin/env bash
# Scripts/repeat-tests.sh [--stop-at-failure] N [FILTER]
#
# Finds flaky tests: builds the tests once, runs `swift test` (with --filter FILTER if given) N
# times, and lists the runs that failed with the tests that failed in each. A test that fails in
# some runs only is a flake; fix it at its cause (a port, a clock, an order, a shared file), never
# with a retry or a sleep. The exit status is 1 if any run failed.
#
# Each run's whole log is kept in a temporary directory, named at the end.
set -uo pipefail
cd "$(dirname "$0")/.."

stop_at_failure=0
if [ "${1:-}" = "--stop-at-failure" ]; then
    stop_at_failure=1
    shift
fi
runs=${1:-}
filter=${2:-}
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: Scripts/repeat-tests.sh [--stop-at-failure] N [FILTER]" >&2
    exit 2
fi

logs=$(mktemp -d "${TMPDIR:-/tmp}/repeat-tests.XXXXXX")
if ! swift build --build-tests >"$logs/build.log" 2>&1; then
    grep -E 'error:' "$logs/build.log" | head -20 >&2
    echo "repeat-tests: the build failed ($logs/build.log)" >&2
    exit 2
fi
failed_runs=()
for run in $(seq 1 "$runs"); do
    log="$logs/run-$run.log"
    if swift test --skip-build ${filter:+--filter "$filter"} >"$log" 2>&1; then
        echo "run $run of $runs: passed"
        continue
    fi
    failed_runs+=("$run")
    echo "run $run of $runs: FAILED ($log)"
    # Swift Testing's failures (✘ Test ... failed / recorded an issue) and XCTest's.
    grep -E '(✘|􀢄) Test .*(failed|recorded an issue)|Test Case .* failed|error: ' "$log" | sed 's/^/    /' | head -40
    [ "$stop_at_failure" = 1 ] && break
done

if [ ${#failed_runs[@]} -eq 0 ]; then
    echo "all $runs runs passed${filter:+ (filter: $filter)}; logs in $logs"
    exit 0
fi
echo "failed runs: ${failed_runs[*]}${filter:+ (filter: $filter)}; logs in $logs"
exit 1
