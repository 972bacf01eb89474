#!/usr/bin/env python3
"""The analyst's alternative to `claims` for a read (issue 22's PyYAML peer): parse every claim
file of an office with PyYAML's C loader (libyaml) on every CPU, and count the open claims by
line of business and status -- `claims report inventory` without its ages and reserves.

    python3 scripts/pyyaml_peer.py OFFICE_DIR
"""
import os
import sys
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

import yaml

CLOSED = {"closed", "denied", "withdrawn", "merged"}


def tally(paths):
    counts = Counter()
    for p in paths:
        with open(p, "rb") as f:
            c = yaml.load(f, Loader=yaml.CSafeLoader)
        if c.get("status") not in CLOSED:
            counts[(c.get("lob"), c.get("status"))] += 1
    return counts


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    # By month (claims/YYYY/MM/ID.yaml) or by shard (claims/YYYY/MM/XX/ID.yaml).
    paths = sorted(
        str(p)
        for p in list(root.glob("claims/*/*/*.yaml")) + list(root.glob("claims/*/*/??/*.yaml"))
    )
    cpus = os.cpu_count() or 1
    chunks = [paths[i::cpus * 4] for i in range(cpus * 4)]
    total = Counter()
    with Pool(cpus) as pool:
        for c in pool.map(tally, chunks):
            total.update(c)
    for (lob, status), n in sorted(total.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        print(f"{lob},{status},{n}")
    print(f"{len(paths)} claim files", file=sys.stderr)


if __name__ == "__main__":
    main()
