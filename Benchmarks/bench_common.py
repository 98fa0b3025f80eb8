"""What the benchmark drivers share: generated data, and timing a command with GNU time."""
import os, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("BACKUP_AUDIT_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
GENERATOR = os.path.join(SHARED, "bench", "gen_backup_jobs.py")
DATA = os.path.join(ROOT, ".build-bench", "data")
FORMATS = {"api": ["--format", "api"], "cli": ["--format", "cli", "--utc-offset", "-7"]}


def generate(preset, fmt, data_dir=DATA):
    """The generator's listing for a preset and format, written once and reused."""
    if not os.path.exists(GENERATOR):
        sys.exit(f"generator not found: {GENERATOR} (set BACKUP_AUDIT_SHARED)")
    os.makedirs(data_dir, exist_ok=True)
    path = os.path.join(data_dir, f"{preset}-{fmt}.json")
    if not os.path.exists(path):
        print(f"generating {path} ...", file=sys.stderr)
        partial = path + ".partial"
        subprocess.run([sys.executable, GENERATOR, "--preset", preset, *FORMATS[fmt], "--out", partial], check=True)
        os.rename(partial, path)
    subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
    return path


def measure(command, allowed=(0,)):
    """Wall seconds, peak RSS in bytes, stdout and stderr of one run, via GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", report.name, *command],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if result.returncode not in allowed:
            sys.exit(f"{command[0]} failed ({result.returncode}): {result.stderr.decode()[-800:]}")
        seconds, kilobytes = report.read().split()[-2:]
        return float(seconds), int(kilobytes) * 1024, result.stdout, result.stderr


def median_run(command, runs, allowed=(0,)):
    samples = [measure(command, allowed) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples), samples[-1][2], samples[-1][3]


def table(header, rows):
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths))))
