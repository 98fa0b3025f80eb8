#!/usr/bin/env bash
# Fuzzes backup-audit with libFuzzer + AddressSanitizer. Four targets, each a harness in Fuzz/
# with a reviewed seed corpus and a dictionary:
#
#   rules     Fuzz/RuleLanguageFuzzer.swift  the rule language: lexer, parser, checker,
#             diagnostic renderer, formatter (corpus Fuzz/corpus, dictionary Fuzz/rules.dict)
#   listings  Fuzz/ListingFuzzer.swift       the job listing decoder (JobLoader), whole, in tiny
#             chunks and gzip-compressed, and the listing writer (corpus Fuzz/corpus-listings,
#             dictionary Fuzz/listings.dict)
#   reports   Fuzz/ReportsFuzzer.swift       the CSV, JSON, JUnit, SARIF, Markdown and text
#             reporters (corpus Fuzz/corpus-reports, dictionary Fuzz/reports.dict)
#   selections Fuzz/SelectionsFuzzer.swift   the plan and selection decoder, the selection
#             matcher and schedule intervals (corpus Fuzz/corpus-selections, dictionary
#             Fuzz/selections.dict)
#
# The build goes straight through swiftc into .build-fuzz/ (git-ignored), so Package.swift and
# the normal .build are untouched.
#
# Usage:
#   Scripts/fuzz.sh TARGET [SECONDS] [extra libFuzzer flags...]     # default 60 seconds; 0: no limit
#
# A fixed number of inputs (what docs/development.md reports), one process:
#   nice -n 15 Scripts/fuzz.sh listings 0 -runs=10000000
# Run it longer (the working corpus in .build-fuzz/TARGET/corpus keeps growing across runs):
#   Scripts/fuzz.sh reports 3600
# Several processes in parallel (each logs to .build-fuzz/TARGET/fuzz-N.log):
#   Scripts/fuzz.sh rules 3600 -jobs=4 -workers=4
# Keep going past a known, not yet fixed crash (each new crash is still saved as an artifact):
#   Scripts/fuzz.sh rules 3600 -fork=1 -ignore_crashes=1
#
# A crash or broken invariant is saved as .build-fuzz/TARGET/artifacts/crash-<sha1> (a hang as
# timeout-<sha1>, memory blow-up as oom-<sha1>) and the script exits non-zero. Reproduce one
# (runs that single input and prints the fatalError message, which shows the input and what broke,
# and the stack trace; `| swift demangle` makes the Swift frames readable):
#   SWIFT_BACKTRACE=enable=no .build-fuzz/TARGET-fuzzer .build-fuzz/TARGET/artifacts/crash-<sha1> 2>&1 | swift demangle
# Shrink it to a minimal input (the smallest crashing input ends up in .build-fuzz/TARGET/artifacts/minimized):
#   SWIFT_BACKTRACE=enable=no .build-fuzz/TARGET-fuzzer -minimize_crash=1 -runs=20000 \
#       -exact_artifact_path=.build-fuzz/TARGET/artifacts/minimized .build-fuzz/TARGET/artifacts/crash-<sha1>
# Only rebuild (no fuzzing): FUZZ_BUILD_ONLY=1 Scripts/fuzz.sh TARGET
# Debug build instead of -O (slower, better traces): FUZZ_OPT=-Onone Scripts/fuzz.sh TARGET
# Without AddressSanitizer (several times the inputs per second; Swift's own checks still trap
# on overflow, bad indices and force-unwrapped nils, but unsafe-pointer reads go unchecked):
#   FUZZ_SANITIZE=none Scripts/fuzz.sh TARGET
# Only type-check the harness against modules SwiftPM built (what `swift test` does, so the
# harnesses, which SwiftPM does not build, cannot fall behind the libraries unnoticed):
#   FUZZ_TYPECHECK_MODULES=.build/debug/Modules Scripts/fuzz.sh TARGET
# The reports target validates JUnit against ../shared/junit/JUnit.xsd (BACKUP_AUDIT_SHARED points
# elsewhere); without it, that one check is skipped and the harness says so once.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"

usage() {
    echo "usage: $0 rules|listings|reports|selections [SECONDS] [libFuzzer flags...]" >&2
    exit 2
}

TARGET="${1:-}"
if [[ $# -gt 0 ]]; then shift; fi
# What each target builds (in dependency order), its harness, seeds and dictionary.
case "$TARGET" in
    rules)
        MODULES_TO_BUILD=(BackupJobs RuleLanguage)
        HARNESS=RuleLanguageFuzzer; SEEDS=corpus; DICTIONARY=rules.dict; MAX_LEN=4096 ;;
    listings)
        MODULES_TO_BUILD=(BackupJobs)
        HARNESS=ListingFuzzer; SEEDS=corpus-listings; DICTIONARY=listings.dict; MAX_LEN=4096 ;;
    reports)
        MODULES_TO_BUILD=(BackupJobs RuleLanguage RuleEngine Reports)
        HARNESS=ReportsFuzzer; SEEDS=corpus-reports; DICTIONARY=reports.dict; MAX_LEN=4096 ;;
    selections)
        MODULES_TO_BUILD=(BackupJobs BackupSelections)
        HARNESS=SelectionsFuzzer; SEEDS=corpus-selections; DICTIONARY=selections.dict; MAX_LEN=4096 ;;
    *) usage ;;
esac

SECONDS_TO_RUN="${1:-60}"
if [[ $# -gt 0 ]]; then shift; fi
if ! [[ "$SECONDS_TO_RUN" =~ ^[0-9]+$ ]]; then usage; fi

SWIFTC="${SWIFTC:-swiftc}"
# The C++ compiler of the same toolchain (for the RE2 shim), else the system's.
CXX="${CXX:-$(command -v "$(dirname "$(command -v "$SWIFTC")")/clang++" || command -v clang++ || echo c++)}"
OPT="${FUZZ_OPT:--O}"
case "${FUZZ_SANITIZE:-address}" in
    address) SANITIZE=fuzzer,address; SANITIZE_CXX=fuzzer-no-link,address ;;
    none) SANITIZE=fuzzer; SANITIZE_CXX=fuzzer-no-link ;;
    *) echo "FUZZ_SANITIZE is address or none" >&2; exit 2 ;;
esac
if [[ "$OPT" == "-Onone" ]]; then OPT_CXX=-O0; else OPT_CXX=-O2; fi
OUT="$ROOT/.build-fuzz"
MODULES="$OUT/modules"
WORK="$OUT/$TARGET"
mkdir -p "$OUT" "$MODULES" "$WORK/artifacts" "$WORK/corpus"

# How the harness and the modules are compiled, whatever the build.
LANGUAGE=(
    -swift-version 6
    -enable-upcoming-feature ExistentialAny
    -enable-upcoming-feature InternalImportsByDefault
    -enable-upcoming-feature MemberImportVisibility
    -package-name backup_audit
    -parse-as-library
    -I "$ROOT/Sources/CZlib"
    -I "$ROOT/Sources/CRE2/include"
    -I "$ROOT/Sources/CLibXML2"
)
if [[ " ${MODULES_TO_BUILD[*]} " == *" Reports "* ]]; then
    # libxml2's headers live in their own folder (Debian: /usr/include/libxml2).
    for flag in $(pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2); do LANGUAGE+=(-Xcc "$flag"); done
fi

if [[ -n "${FUZZ_TYPECHECK_MODULES:-}" ]]; then
    exec "$SWIFTC" -typecheck "${LANGUAGE[@]}" -I "$FUZZ_TYPECHECK_MODULES" "$ROOT/Fuzz/$HARNESS.swift"
fi

COMMON=(
    "${LANGUAGE[@]}"
    -sanitize="$SANITIZE"
    "$OPT" -g
    -I "$MODULES"
    -module-cache-path "$OUT/module-cache"
)
LINK_INPUTS=(-lz -lpthread)
uses() { [[ " ${MODULES_TO_BUILD[*]} " == *" $1 "* ]]; }
if uses RuleLanguage; then LINK_INPUTS+=(-lre2 -lstdc++); fi
if uses Reports; then LINK_INPUTS+=(-lxml2); fi

# Modules the fuzzed modules import that this script does not build itself: products of
# package dependencies (swift-crypto's Crypto, used by BackupJobs for SHA-256). SwiftPM builds
# those (uninstrumented, release) once, in its own scratch folder .build-fuzz/spm: the normal
# .build is not touched, and the versions pinned in Package.resolved are used without
# changing it.
LOCAL_MODULES=" BackupJobs BackupSelections RuleLanguage RuleEngine Reports CZlib CRE2 CLibXML2 Glibc Darwin Musl Android WinSDK Foundation FoundationEssentials Dispatch Synchronization Swift _Concurrency _StringProcessing "
SOURCE_DIRS=()
for module in "${MODULES_TO_BUILD[@]}"; do SOURCE_DIRS+=("$ROOT/Sources/$module"); done
EXTERNAL=()
while read -r module; do
    [[ "$LOCAL_MODULES" == *" $module "* ]] || EXTERNAL+=("$module")
done < <(grep -rhoE '^[[:space:]]*(@[_A-Za-z]+[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]+(class|struct|enum|protocol|func|var|let|typealias)?[[:space:]]*[A-Za-z_][A-Za-z0-9_]*' \
    "${SOURCE_DIRS[@]}" --include='*.swift' \
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

# Compiles one library module to a single object file plus its .swiftmodule, unless the object
# is newer than its sources, this script, and the modules compiled before it (its dependencies).
build_module() {
    local name="$1"
    local sources=()
    while IFS= read -r -d '' file; do sources+=("$file"); done \
        < <(find "$ROOT/Sources/$name" -name '*.swift' -print0 | sort -z)
    local object="$OUT/$name.o"
    if [[ -f "$object" && -f "$MODULES/$name.swiftmodule" ]] \
        && [[ -z "$(find "${sources[@]}" "$ROOT/Scripts/fuzz.sh" "${OBJECTS[@]}" -newer "$object" -print -quit)" ]]; then
        echo "==> $name is up to date"
        return
    fi
    echo "==> compiling $name (${#sources[@]} files)"
    "$SWIFTC" "${COMMON[@]}" -wmo -c \
        -module-name "$name" \
        -emit-module -emit-module-path "$MODULES/$name.swiftmodule" \
        -o "$object" \
        "${sources[@]}"
    # The compiler leaves an unchanged object's time alone; the check above needs the build's.
    touch "$object"
}

# Objects built with other flags (FUZZ_OPT) are not reused.
if [[ "$(cat "$OUT/flags" 2>/dev/null)" != "$OPT $SANITIZE" ]]; then
    rm -f "$OUT"/*.o
    echo "$OPT $SANITIZE" > "$OUT/flags"
fi

if uses RuleLanguage; then
    # RuleLanguage's C++ shim over RE2 (libre2-dev), instrumented like the Swift code.
    echo "==> compiling CRE2"
    "$CXX" -std=c++14 "$OPT_CXX" -g -fsanitize="$SANITIZE_CXX" -I "$ROOT/Sources/CRE2/include" \
        -c "$ROOT/Sources/CRE2/cre2.cc" -o "$OUT/CRE2.o"
    LINK_INPUTS+=("$OUT/CRE2.o")
fi

OBJECTS=()
for module in "${MODULES_TO_BUILD[@]}"; do
    build_module "$module"
    OBJECTS+=("$OUT/$module.o")
done

# lld, when the toolchain has it: gold warns about every ASan helper symbol.
LINKER=()
if command -v ld.lld >/dev/null 2>&1 || [[ -x "$(dirname "$(command -v "$SWIFTC")")/ld.lld" ]]; then
    LINKER=(-use-ld=lld)
fi

FUZZER="$OUT/$TARGET-fuzzer"
echo "==> linking .build-fuzz/$TARGET-fuzzer"
"$SWIFTC" "${COMMON[@]}" \
    -module-name "$HARNESS" \
    "$ROOT/Fuzz/$HARNESS.swift" \
    "${OBJECTS[@]}" \
    "${LINK_INPUTS[@]}" \
    "${LINKER[@]}" \
    -o "$FUZZER"

if [[ -n "${FUZZ_BUILD_ONLY:-}" ]]; then
    echo "built $FUZZER"
    exit 0
fi

# Fuzz a working copy of the seeds so the reviewed corpus in Fuzz/ stays small.
cp -n "$ROOT/Fuzz/$SEEDS"/* "$WORK/corpus/" 2>/dev/null || true

# Swift's runtime keeps metadata caches alive for the process's lifetime; LeakSanitizer
# reports them, so leak detection is off.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}"
# Let libFuzzer print the stack trace: Swift's own backtracer is slow under ASan and can keep
# the terminal waiting for ~30 s after a crash.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
export BACKUP_AUDIT_ROOT="$ROOT"

echo "==> fuzzing $TARGET for ${SECONDS_TO_RUN}s (0: no time limit)"
status=0
cd "$WORK"  # -jobs=N writes fuzz-N.log into the current directory
"$FUZZER" \
    -max_total_time="$SECONDS_TO_RUN" \
    -max_len="$MAX_LEN" \
    -dict="$ROOT/Fuzz/$DICTIONARY" \
    -timeout=10 \
    -detect_leaks=0 \
    -print_final_stats=1 \
    -artifact_prefix="$WORK/artifacts/" \
    "$@" \
    "$WORK/corpus" || status=$?

if [[ $status -ne 0 ]]; then
    echo "==> the fuzzer found a problem (exit status $status); inputs saved in .build-fuzz/$TARGET/artifacts/:" >&2
    ls -1t "$WORK/artifacts" >&2 || true
    echo "reproduce with: SWIFT_BACKTRACE=enable=no .build-fuzz/$TARGET-fuzzer .build-fuzz/$TARGET/artifacts/<file>" >&2
    exit "$status"
fi
echo "==> no crash found"
