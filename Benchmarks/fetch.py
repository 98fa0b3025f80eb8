#!/usr/bin/env python3
"""Measure `backup-audit fetch` against the local ListBackupJobs emulator adding a fixed latency
per page (50 ms: a page from AWS), serial and with --parallel, against botocore's paginator (what
`aws backup list-backup-jobs` runs) fetching the same jobs in the same run.

Target (issue: fetch live): 200k jobs at page size 1000, `--parallel 8` at least 5x faster than
serial, with identical job sets; client CPU per 1000 jobs reported.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time

from bench_common import DATA, GENERATOR, table

KEY = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
BOTOCORE = """
import json, sys, botocore.session
client = botocore.session.get_session().create_client("backup", region_name="us-east-1", endpoint_url=sys.argv[1])
ids = [job["BackupJobId"] for page in client.get_paginator("list_backup_jobs").paginate(PaginationConfig={"PageSize": 1000})
       for job in page["BackupJobs"]]
json.dump(ids, open(sys.argv[2], "w"))
"""


def listing(resources):
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, f"fetch-{resources}-api.json")
    if not os.path.exists(path):
        print(f"generating {path} ...", file=sys.stderr)
        subprocess.run([sys.executable, GENERATOR, "--resources", str(resources), "--days", "30", "--format", "api",
                        "--out", path + ".partial"], check=True)
        os.rename(path + ".partial", path)
    return path


def timed(command, env):
    """Wall seconds and the child's CPU seconds (user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{command[0]} failed ({result.returncode}): {result.stderr.decode()[-800:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def saved_ids(path):
    return sorted(job["BackupJobId"] for job in json.load(open(path))["BackupJobs"])


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--emulator", required=True)
    ap.add_argument("--resources", type=int, default=6300, help="generator resources (30 days each; 6300 give about 200k jobs)")
    ap.add_argument("--latency-ms", type=int, default=50)
    ap.add_argument("--parallel", default="1,8")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    data = listing(a.resources)
    emulator = subprocess.Popen([a.emulator, "--jobs", data, "--latency-ms", str(a.latency_ms)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        endpoint = emulator.stdout.readline().strip()
        if not endpoint.startswith("http"):
            sys.exit("the emulator did not start")
        out = tempfile.mkdtemp(prefix="backup-audit-fetch-bench-")
        # No profile of the machine's may change what is measured (an empty file, not /dev/null,
        # which some sandboxes replace with a plain file).
        empty = os.path.join(out, "empty-aws-config")
        open(empty, "w").close()
        env = {k: v for k, v in os.environ.items() if k != "AWS_PROFILE"}
        env.update(KEY, AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE=empty,
                   AWS_SHARED_CREDENTIALS_FILE=empty)
        expected = sorted(json.loads(line)["BackupJobId"] for line in subprocess.run(
            [sys.executable, "-c", "import json,sys\nfor j in json.load(open(sys.argv[1]))['BackupJobs']: print(json.dumps(j))", data],
            capture_output=True, text=True, check=True).stdout.splitlines())
        jobs = len(expected)
        print(f"backup-audit {a.binary}\nemulator     {endpoint}, {a.latency_ms} ms per page, {jobs:,} jobs, page size 1000"
              f"\npeer         botocore paginator (the AWS CLI's), serial\nruns         {a.runs}, median\n")
        rows, results = [], {}
        for parallel in [int(p) for p in a.parallel.split(",")]:
            path = os.path.join(out, f"parallel-{parallel}.json")
            samples = [timed([a.binary, "fetch", "--endpoint-url", endpoint, "--region", "us-east-1", "--page-size", "1000",
                              "--parallel", str(parallel), "--quiet", "--out", path], env) for _ in range(a.runs)]
            wall = sorted(s[0] for s in samples)[len(samples) // 2]
            cpu = sorted(s[1] for s in samples)[len(samples) // 2]
            ids = saved_ids(path)
            if ids != expected:
                sys.exit(f"--parallel {parallel}: {len(ids)} jobs fetched, {len(set(ids) ^ set(expected))} differ from the {jobs} served")
            results[parallel] = wall
            rows.append((f"backup-audit --parallel {parallel}", f"{wall:.2f}", f"{cpu:.2f}", f"{cpu / jobs * 1e6:.2f}"))
        peer_path = os.path.join(out, "botocore.json")
        samples = [timed([sys.executable, "-c", BOTOCORE, endpoint, peer_path], env) for _ in range(a.runs)]
        peer_wall = sorted(s[0] for s in samples)[len(samples) // 2]
        peer_cpu = sorted(s[1] for s in samples)[len(samples) // 2]
        if sorted(json.load(open(peer_path))) != expected:
            sys.exit("botocore fetched a different job set")
        rows.append(("botocore paginator", f"{peer_wall:.2f}", f"{peer_cpu:.2f}", f"{peer_cpu / jobs * 1e6:.2f}"))
        rows = [row + (f"{peer_wall / float(row[1]):.1f}x",) for row in rows]
        table(("client", "wall s", "CPU s", "CPU ms/1000 jobs", "vs botocore"), rows)
        serial, widest = results.get(1), max(results)
        print(f"\nidentical job sets ({jobs:,} jobs) for every run and for botocore")
        if serial and widest > 1:
            ratio = serial / results[widest]
            print(f"--parallel {widest} is {ratio:.1f}x serial (target: >= 5x at --parallel 8)")
            if widest == 8 and ratio < 5:
                sys.exit("target missed")
    finally:
        emulator.terminate()
        emulator.wait()


if __name__ == "__main__":
    main()
