#!/usr/bin/env bash
# Fuzzes the RuleLanguage module (lexer, parser, checker, diagnostic renderer, formatter) with
# libFuzzer + AddressSanitizer. The harness is Fuzz/RuleLanguageFuzzer.swift; the seed corpus is
# Fuzz/corpus/. The build goes straight through swiftc into .build-fuzz/ (git-ignored), so
# Package.swift and the normal .build are untouched.
#
# Usage:
#   Scripts/fuzz-rules.sh [SECONDS] [extra libFuzzer flags...]     # default 60 seconds
#
# Run it longer (an hour; the working corpus in .build-fuzz/corpus keeps growing across runs):
#   Scripts/fuzz-rules.sh 3600
# Several processes in parallel (each logs to .build-fuzz/fuzz-N.log):
#   Scripts/fuzz-rules.sh 3600 -jobs=4 -workers=4
# Keep going past a known, not yet fixed crash (each new crash is still saved as an artifact):
#   Scripts/fuzz-rules.sh 3600 -fork=1 -ignore_crashes=1
#
# A crash or broken invariant is saved as .build-fuzz/artifacts/crash-<sha1> (a hang as
# timeout-<sha1>, memory blow-up as oom-<sha1>) and the script exits non-zero. Reproduce one
# (runs that single input and prints the fatalError message, which shows the input as an escaped
# string, and the stack trace; `| swift demangle` makes the Swift frames readable):
#   SWIFT_BACKTRACE=enable=no .build-fuzz/rule-language-fuzzer .build-fuzz/artifacts/crash-<sha1> 2>&1 | swift demangle
# Shrink it to a minimal input (the smallest crashing input ends up in .build-fuzz/artifacts/minimized):
#   SWIFT_BACKTRACE=enable=no .build-fuzz/rule-language-fuzzer -minimize_crash=1 -runs=20000 \
#       -exact_artifact_path=.build-fuzz/artifacts/minimized .build-fuzz/artifacts/crash-<sha1>
# Only rebuild (no fuzzing): FUZZ_BUILD_ONLY=1 Scripts/fuzz-rules.sh
# Debug build instead of -O (slower, better traces): FUZZ_OPT=-Onone Scripts/fuzz-rules.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"

SECONDS_TO_RUN="${1:-60}"
if [[ $# -gt 0 ]]; then shift; fi
if ! [[ "$SECONDS_TO_RUN" =~ ^[0-9]+$ ]]; then
    echo "usage: $0 [SECONDS] [libFuzzer flags...]" >&2
    exit 2
fi

SWIFTC="${SWIFTC:-swiftc}"
# The C++ compiler of the same toolchain (for the RE2 shim), else the system's.
CXX="${CXX:-$(command -v "$(dirname "$(command -v "$SWIFTC")")/clang++" || command -v clang++ || echo c++)}"
OPT="${FUZZ_OPT:--O}"
if [[ "$OPT" == "-Onone" ]]; then OPT_CXX=-O0; else OPT_CXX=-O2; fi
OUT="$ROOT/.build-fuzz"
MODULES="$OUT/modules"
mkdir -p "$OUT" "$MODULES" "$OUT/artifacts" "$OUT/corpus"

COMMON=(
    -swift-version 6
    -enable-upcoming-feature ExistentialAny
    -enable-upcoming-feature InternalImportsByDefault
    -enable-upcoming-feature MemberImportVisibility
    -package-name backup_audit
    -parse-as-library
    -sanitize=fuzzer,address
    "$OPT" -g
    -I "$ROOT/Sources/CZlib"
    -I "$ROOT/Sources/CRE2/include"
    -I "$MODULES"
    -module-cache-path "$OUT/module-cache"
)
LINK_INPUTS=(-lz -lre2 -lstdc++ -lpthread)

# Modules the two fuzzed modules import that this script does not build itself: products of
# package dependencies (swift-crypto's Crypto, used by BackupJobs for SHA-256). SwiftPM builds
# those (uninstrumented, release) once, in its own scratch folder .build-fuzz/spm: the normal
# .build is not touched, and the versions pinned in Package.resolved are used without
# changing it.
LOCAL_MODULES=" BackupJobs RuleLanguage CZlib CRE2 Glibc Darwin Musl Android WinSDK Foundation FoundationEssentials Dispatch Synchronization Swift _Concurrency _StringProcessing "
EXTERNAL=()
while read -r module; do
    [[ "$LOCAL_MODULES" == *" $module "* ]] || EXTERNAL+=("$module")
done < <(grep -rhoE '^[[:space:]]*(@[_A-Za-z]+[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]+(class|struct|enum|protocol|func|var|let|typealias)?[[:space:]]*[A-Za-z_][A-Za-z0-9_]*' \
    "$ROOT/Sources/BackupJobs" "$ROOT/Sources/RuleLanguage" --include='*.swift' \
    | awk '{print $NF}' | sort -u)

if [[ ${#EXTERNAL[@]} -gt 0 ]]; then
    echo "==> building package dependencies with SwiftPM in .build-fuzz/spm (for: ${EXTERNAL[*]})"
    SPM_FLAGS=(--package-path "$ROOT" --scratch-path "$OUT/spm" -c release)
    # Never rewrite the developer's pins; without a Package.resolved SwiftPM resolves afresh.
    if [[ -f "$ROOT/Package.resolved" ]]; then SPM_FLAGS+=(--only-use-versions-from-resolved-file); fi
    swift build "${SPM_FLAGS[@]}" --target BackupJobs
    SPM_BIN="$(swift build "${SPM_FLAGS[@]}" --show-bin-path)"
    COMMON+=(-I "$SPM_BIN/Modules")
    # Link the objects of the targets BackupJobs depends on, as listed in SwiftPM's build
    # description; BackupJobs itself is compiled below by swiftc, with instrumentation.
    DEPENDENCIES=$(awk '
        /"targetDependencyMap"/ { inMap = 1; next }
        inMap && /^[[:space:]]*"BackupJobs"[[:space:]]*:[[:space:]]*\[/ { inList = 1; next }
        inList && /\]/ { exit }
        inList { gsub(/[",[:space:]]/, ""); if ($0 != "") print }
    ' "$SPM_BIN/description.json")
    needs_cxx=false
    for target in $DEPENDENCIES; do
        [[ -d "$SPM_BIN/$target.build" ]] || continue
        while IFS= read -r -d '' object; do
            LINK_INPUTS+=("$object")
            if [[ "$object" == *.cc.o || "$object" == *.cpp.o ]]; then needs_cxx=true; fi
        done < <(find "$SPM_BIN/$target.build" -name '*.o' -print0 | sort -z)
    done
    if $needs_cxx; then LINK_INPUTS+=(-lstdc++); fi
fi

# Compiles one library module to a single object file plus its .swiftmodule.
build_module() {
    local name="$1"
    local sources=()
    while IFS= read -r -d '' file; do sources+=("$file"); done \
        < <(find "$ROOT/Sources/$name" -name '*.swift' -print0 | sort -z)
    echo "==> compiling $name (${#sources[@]} files)"
    "$SWIFTC" "${COMMON[@]}" -wmo -c \
        -module-name "$name" \
        -emit-module -emit-module-path "$MODULES/$name.swiftmodule" \
        -o "$OUT/$name.o" \
        "${sources[@]}"
}

# RuleLanguage's C++ shim over RE2 (libre2-dev), instrumented like the Swift code.
echo "==> compiling CRE2"
"$CXX" -std=c++14 "$OPT_CXX" -g -fsanitize=fuzzer-no-link,address -I "$ROOT/Sources/CRE2/include" \
    -c "$ROOT/Sources/CRE2/cre2.cc" -o "$OUT/CRE2.o"
LINK_INPUTS+=("$OUT/CRE2.o")

build_module BackupJobs
build_module RuleLanguage

# lld, when the toolchain has it: gold warns about every ASan helper symbol.
LINKER=()
if command -v ld.lld >/dev/null 2>&1 || [[ -x "$(dirname "$(command -v "$SWIFTC")")/ld.lld" ]]; then
    LINKER=(-use-ld=lld)
fi

echo "==> linking .build-fuzz/rule-language-fuzzer"
"$SWIFTC" "${COMMON[@]}" \
    -module-name RuleLanguageFuzzer \
    "$ROOT/Fuzz/RuleLanguageFuzzer.swift" \
    "$OUT/BackupJobs.o" "$OUT/RuleLanguage.o" \
    "${LINK_INPUTS[@]}" \
    "${LINKER[@]}" \
    -o "$OUT/rule-language-fuzzer"

if [[ -n "${FUZZ_BUILD_ONLY:-}" ]]; then
    echo "built $OUT/rule-language-fuzzer"
    exit 0
fi

# Fuzz a working copy of the seeds so Fuzz/corpus stays small and reviewed.
cp -n "$ROOT"/Fuzz/corpus/* "$OUT/corpus/" 2>/dev/null || true

# Swift's runtime keeps metadata caches alive for the process's lifetime; LeakSanitizer
# reports them, so leak detection is off.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}"
# Let libFuzzer print the stack trace: Swift's own backtracer is slow under ASan and can keep
# the terminal waiting for ~30 s after a crash.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"

echo "==> fuzzing for ${SECONDS_TO_RUN}s"
status=0
cd "$OUT"  # -jobs=N writes fuzz-N.log into the current directory
"$OUT/rule-language-fuzzer" \
    -max_total_time="$SECONDS_TO_RUN" \
    -max_len=4096 \
    -dict="$ROOT/Fuzz/rules.dict" \
    -timeout=10 \
    -detect_leaks=0 \
    -print_final_stats=1 \
    -artifact_prefix="$OUT/artifacts/" \
    "$@" \
    "$OUT/corpus" || status=$?

if [[ $status -ne 0 ]]; then
    echo "==> the fuzzer found a problem (exit status $status); inputs saved in .build-fuzz/artifacts/:" >&2
    ls -1t "$OUT/artifacts" >&2 || true
    echo "reproduce with: SWIFT_BACKTRACE=enable=no .build-fuzz/rule-language-fuzzer .build-fuzz/artifacts/<file>" >&2
    exit "$status"
fi
echo "==> no crash found"
