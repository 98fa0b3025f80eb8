#!/usr/bin/env python3
"""Extract the AWS Backup listing operations from botocore's service model.

Writes, verbatim (documentation strings kept), from the installed botocore package:

  model/aws-backup/backup-listings.service-model.json   metadata, the operations below, and every
                                                        shape reachable from their inputs, outputs
                                                        and errors
  model/aws-backup/backup-listings.paginators.json      the operations' paginators

  Scripts/extract-model.py           rewrite both files (botocore must be the version below)
  Scripts/extract-model.py --check   exit 1 if either file differs from what botocore holds

The files are data: Scripts/generate-schema.py turns them into the record schemas. See
model/aws-backup/SOURCES.md.
"""
import gzip, json, os, sys

BOTOCORE_VERSION = "1.43.11"
API_VERSION = "2018-11-15"
# The List operations whose records backup-audit reads (or will: issue 11), in this order.
OPERATIONS = [
    "ListBackupJobs", "ListCopyJobs", "ListRestoreJobs", "ListProtectedResources", "ListRecoveryPointsByBackupVault",
]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL_OUT = os.path.join(ROOT, "model/aws-backup/backup-listings.service-model.json")
PAGINATORS_OUT = os.path.join(ROOT, "model/aws-backup/backup-listings.paginators.json")


def provenance(sources):
    return {
        "botocore_version": BOTOCORE_VERSION,
        "service": "backup",
        "api_version": API_VERSION,
        "source_files": [f"botocore/data/backup/{API_VERSION}/{name}" for name in sources],
        "operations": OPERATIONS,
        "note": "Extracted verbatim from the installed botocore package by Scripts/extract-model.py; "
                "documentation strings kept as-is.",
    }


def reachable(shapes, roots):
    """Shape names reachable from `roots`, breadth first, in the order first met."""
    order, queue = [], list(roots)
    while queue:
        name = queue.pop(0)
        if name in order:
            continue
        order.append(name)
        shape = shapes[name]
        refs = [m["shape"] for m in shape.get("members", {}).values()]
        refs += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]
        queue += [r for r in refs if r not in order]
    return order


def extract():
    import botocore
    if botocore.__version__ != BOTOCORE_VERSION:
        sys.exit(f"botocore {botocore.__version__} is installed; the model is extracted from {BOTOCORE_VERSION}")
    data = os.path.join(os.path.dirname(botocore.__file__), "data/backup", API_VERSION)
    with gzip.open(os.path.join(data, "service-2.json.gz")) as f:
        service = json.load(f)
    with open(os.path.join(data, "paginators-1.json")) as f:
        paginators = json.load(f)
    operations = {name: service["operations"][name] for name in OPERATIONS}
    roots = []
    for operation in operations.values():
        roots += [operation["input"]["shape"], operation["output"]["shape"]]
        roots += [error["shape"] for error in operation.get("errors", [])]
    model = {
        "_provenance": provenance(["service-2.json.gz"]),
        "metadata": service["metadata"],
        "operations": operations,
        "shapes": {name: service["shapes"][name] for name in reachable(service["shapes"], roots)},
    }
    pages = {
        "_provenance": provenance(["paginators-1.json"]),
        "pagination": {name: paginators["pagination"][name] for name in OPERATIONS},
    }
    return model, pages


def text(value):
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def main():
    check = "--check" in sys.argv[1:]
    model, pages = extract()
    stale = []
    for path, value in ((MODEL_OUT, model), (PAGINATORS_OUT, pages)):
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current == text(value):
            continue
        if check:
            stale.append(os.path.relpath(path, ROOT))
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text(value))
    if stale:
        sys.exit("differs from botocore " + BOTOCORE_VERSION + ": " + ", ".join(stale) + " (run Scripts/extract-model.py)")


if __name__ == "__main__":
    main()
