#!/usr/bin/env python3
"""Measure `backup-audit check` with the rules across record kinds (R10-R13,
examples/benchmark/kinds.rules) over the backup, copy and restore listings of one estate, against
the slow reference implementation (Tests/RuleEngineTests/reference_kinds.py, plain Python) on the
presets small enough for it. Both must fail the same subjects.
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile

from bench_common import DATA, GENERATOR, ROOT, median_run, table
from check import failing_subjects

NOW = "2026-11-28T12:00:00Z"
PACK = os.path.join(ROOT, "examples", "benchmark", "kinds.rules")
REFERENCE = os.path.join(ROOT, "Tests", "RuleEngineTests", "reference_kinds.py")


def listing(preset, kind):
    """The generator's listing of one kind of the preset's estate (API format), written once."""
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, f"{preset}-api.json" if kind == "backup" else f"{preset}-{kind}-api.json")
    if not os.path.exists(path):
        print(f"generating {path} ...", file=sys.stderr)
        subprocess.run([sys.executable, GENERATOR, "--preset", preset, "--kind", kind, "--format", "api", "--out", path + ".partial"], check=True)
        os.rename(path + ".partial", path)
    subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--presets", default="medium,large")
    ap.add_argument("--reference-presets", default="small,medium", help="presets the Python reference also runs on")
    ap.add_argument("--runs", type=int, default=1)
    a = ap.parse_args()
    header = ("preset", "MB", "backup", "copy", "restore", "ours s", "load s", "eval s", "RSS MB", "RSS/in", "reference s", "ref RSS MB", "speed-up")
    rows = []
    out = tempfile.mkdtemp(prefix="backup-audit-kinds-")
    for preset in a.presets.split(","):
        paths = [listing(preset, kind) for kind in ("backup", "copy", "restore")]
        size = sum(os.path.getsize(p) for p in paths)
        evidence = os.path.join(out, f"{preset}.json")
        ours_s, ours_rss, _, err = median_run(
            [a.binary, "check", "--rules", PACK, "--jobs", *paths, "--now", NOW, "--timings", "--report", f"json={evidence}"],
            a.runs, allowed=(0, 1))
        phases = dict((name, float(seconds)) for name, seconds in re.findall(r"(\w+) ([0-9.]+) s", err.decode()))
        records = json.load(open(evidence))["summary"]["records"]
        ref_s = ref_rss = None
        if preset in a.reference_presets.split(","):
            ref_s, ref_rss, ref_out, _ = median_run([sys.executable, REFERENCE, NOW, *paths], a.runs)
            ours, theirs = failing_subjects(evidence), json.loads(ref_out)
            for rule in theirs:
                if ours.get(rule) != theirs[rule]:
                    sys.exit(f"{preset}: rule {rule} differs: backup-audit fails {len(ours.get(rule, []))} subjects, the reference {len(theirs[rule])}")
        rows.append((preset, f"{size / 1e6:.0f}", f"{records.get('backupJob', 0):,}", f"{records.get('copyJob', 0):,}", f"{records.get('restoreJob', 0):,}",
                     f"{ours_s:.2f}", f"{phases.get('jobs', 0):.2f}", f"{phases.get('evaluation', 0):.3f}", f"{ours_rss / 1e6:.0f}",
                     f"{ours_rss / size:.2f}x", "-" if ref_s is None else f"{ref_s:.2f}", "-" if ref_rss is None else f"{ref_rss / 1e6:.0f}",
                     "-" if ref_s is None else f"{ref_s / ours_s:.1f}x"))
    table(header, rows)
    print("\nsame failing subjects as the reference for R10-R13 where it ran; load/eval from --timings")
    shutil.rmtree(out)


if __name__ == "__main__":
    main()
