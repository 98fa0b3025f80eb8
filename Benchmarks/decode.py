#!/usr/bin/env python3
"""Measure decode throughput and peak memory of `backup-audit jobs summary` against jq.

Both tools read the same files in the same run; the ratio is what matters, since absolute
times vary between machines. Targets (issue: foundation): at least 4x jq's throughput on both
formats, and peak RSS at most 1x the input file size. `--kinds copy,restore` also measures the
copy and restore listings of the same estate (API format; issue 10: they decode at the bytes per
second of backup jobs).
"""
import argparse, json, os, shutil, subprocess, sys

from bench_common import DATA, generate, median_run, table
from kinds import listing

MEMBERS = {"backup": "BackupJobs", "copy": "CopyJobs", "restore": "RestoreJobs"}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--presets", default="medium,large")
    ap.add_argument("--formats", default="api,cli")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--kinds", default="backup", help="backup,copy,restore: listings of each kind (copy and restore in API format)")
    a = ap.parse_args()
    if not shutil.which("jq"):
        sys.exit("jq is missing (Debian: apt-get install jq)")
    jq_version = subprocess.run(["jq", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"backup-audit {a.binary}\npeer         {jq_version} ('.BackupJobs | length', '.CopyJobs | length', ...)\nruns         {a.runs}, median time, max RSS\n")
    header = ("file", "MB", "jobs", "ours s", "MB/s", "jobs/s", "RSS MB", "RSS/in", "jq s", "jq MB/s", "jq RSS MB", "speed-up", "targets")
    rows, failures = [], []
    kinds = a.kinds.split(",")
    for preset in a.presets.split(","):
        files = [(generate(preset, fmt, a.data), "backup") for fmt in a.formats.split(",")] if "backup" in kinds else []
        files += [(listing(preset, kind), kind) for kind in kinds if kind != "backup"]
        for path, kind in files:
            size = os.path.getsize(path)
            ours_s, ours_rss, out, _ = median_run([a.binary, "jobs", "summary", "--format", "json", "--jobs", path], a.runs)
            jobs = json.loads(out)["jobs"]
            jq_s, jq_rss, jq_out, _ = median_run(["jq", f".{MEMBERS[kind]} | length", path], a.runs)
            if int(jq_out) != jobs:
                sys.exit(f"{path}: jq counts {int(jq_out)} jobs, backup-audit {jobs}")
            speedup = jq_s / ours_s
            rss_ratio = ours_rss / size
            ok = speedup >= 4 and rss_ratio <= 1
            if not ok:
                failures.append(os.path.basename(path))
            mb = size / 1e6
            rows.append((os.path.basename(path), f"{mb:.0f}", f"{jobs:,}", f"{ours_s:.2f}", f"{mb / ours_s:.0f}",
                         f"{jobs / ours_s / 1e6:.2f}M", f"{ours_rss / 1e6:.0f}", f"{rss_ratio:.2f}x",
                         f"{jq_s:.2f}", f"{mb / jq_s:.0f}", f"{jq_rss / 1e6:.0f}", f"{speedup:.1f}x",
                         "met" if ok else "MISSED"))
    table(header, rows)
    print("\ntargets: throughput >= 4x jq's, peak RSS <= 1x the input file")
    if failures:
        sys.exit("missed on: " + ", ".join(failures))


if __name__ == "__main__":
    main()
