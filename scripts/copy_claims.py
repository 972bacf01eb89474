#!/usr/bin/env python3
"""Fill an office with N claim files for the read benchmarks: copies of the office's own open
and closed claims (not denied ones, whose letters stay behind), spread over the months they came
from, each with a new id of its own (40 deterministic bits, Crockford base32) in a file of that
name, so `claims check` finds the copies as valid as the originals.
Usage: copy_claims.py OFFICE N"""
import os
import re
import sys

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

office, n = sys.argv[1], int(sys.argv[2])
samples = []
for year in sorted(os.listdir(os.path.join(office, "claims"))):
    for month in sorted(os.listdir(os.path.join(office, "claims", year))):
        folder = os.path.join(office, "claims", year, month)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".yaml"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text = f.read()
            if re.search(r"^status: (denied|merged)$", text, re.M):
                continue
            samples.append((folder, name[:-5], text))
existing = sum(1 for _, _, files in os.walk(os.path.join(office, "claims")) for f in files if f.endswith(".yaml"))
for i in range(max(0, n - existing)):
    folder, old_id, text = samples[i % len(samples)]
    x = (i * 2654435761 + 12345) % (1 << 40)
    chars = "".join(CROCKFORD[(x >> (5 * k)) & 31] for k in range(8))
    new_id = f"{old_id[:9]}{chars[:4]}-{chars[4:]}"
    with open(os.path.join(folder, new_id + ".yaml"), "w", encoding="utf-8") as f:
        f.write(text.replace(old_id, new_id))
