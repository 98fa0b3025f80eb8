#!/usr/bin/env python3
"""Measure decode throughput and peak memory of `backup-audit jobs summary` against jq.

Both tools read the same files in the same run; the ratio is what matters, since absolute
times vary between machines. Targets (issue: foundation): at least 4x jq's throughput on both
formats, and peak RSS at most 1x the input file size.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("BACKUP_AUDIT_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
GENERATOR = os.path.join(SHARED, "bench", "gen_backup_jobs.py")
FORMATS = {"api": ["--format", "api"], "cli": ["--format", "cli", "--utc-offset", "-7"]}


def generate(data_dir, preset, fmt):
    path = os.path.join(data_dir, f"{preset}-{fmt}.json")
    if not os.path.exists(path):
        print(f"generating {path} ...", file=sys.stderr)
        partial = path + ".partial"
        subprocess.run([sys.executable, GENERATOR, "--preset", preset, *FORMATS[fmt], "--out", partial], check=True)
        os.rename(partial, path)
    return path


def measure(command):
    """Wall seconds and peak RSS (bytes) of one run, via GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", report.name, *command],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if result.returncode != 0:
            sys.exit(f"{command[0]} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
        seconds, kilobytes = report.read().split()[-2:]
        return float(seconds), int(kilobytes) * 1024, result.stdout


def median_run(command, runs):
    samples = [measure(command) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples), samples[-1][2]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--presets", default="medium,large")
    ap.add_argument("--formats", default="api,cli")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", default=os.path.join(ROOT, ".build-bench", "data"))
    a = ap.parse_args()
    if not shutil.which("jq"):
        sys.exit("jq is missing (Debian: apt-get install jq)")
    if not os.path.exists(GENERATOR):
        sys.exit(f"generator not found: {GENERATOR} (set BACKUP_AUDIT_SHARED)")
    os.makedirs(a.data, exist_ok=True)
    jq_version = subprocess.run(["jq", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"backup-audit {a.binary}\npeer         {jq_version} ('.BackupJobs | length')\nruns         {a.runs}, median time, max RSS\n")
    header = ("file", "MB", "jobs", "ours s", "MB/s", "jobs/s", "RSS MB", "RSS/in", "jq s", "jq MB/s", "jq RSS MB", "speed-up", "targets")
    rows, failures = [], []
    for preset in a.presets.split(","):
        for fmt in a.formats.split(","):
            path = generate(a.data, preset, fmt)
            size = os.path.getsize(path)
            subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
            ours_s, ours_rss, out = median_run([a.binary, "jobs", "summary", "--format", "json", "--jobs", path], a.runs)
            jobs = json.loads(out)["jobs"]
            jq_s, jq_rss, jq_out = median_run(["jq", ".BackupJobs | length", path], a.runs)
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
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths))))
    print("\ntargets: throughput >= 4x jq's, peak RSS <= 1x the input file")
    if failures:
        sys.exit("missed on: " + ", ".join(failures))


if __name__ == "__main__":
    main()
