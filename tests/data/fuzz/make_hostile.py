#!/usr/bin/env python3
"""Writes the hostile inputs of issue 18 into the fuzz corpus (tests/data/fuzz/<target>/).

Each target's folder also holds the crashers and slow inputs the fuzz targets found
(`make fuzz`); the test suite replays every file through the real parsers and the CLI.
Run from this folder: python3 make_hostile.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..", "..")


def put(target, name, data):
    os.makedirs(os.path.join(HERE, target), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(HERE, target, name), mode) as f:
        f.write(data)


sample = open(os.path.join(ROOT, "claims/2026/11/CLM-2611-YFNF-X1DT.yaml"), "rb").read()

# Claim files: 100,000 levels of flow nesting in 200 KB (20 s to refuse before the bounds),
# 20,000 levels of flow mappings (quadratic in the reader), compact block nesting, bytes
# that are not UTF-8, a NUL.
put("claim_yaml", "deep-flow-seq-100000.yaml", "[" * 100_000 + "]" * 100_000 + "\n")
put("claim_yaml", "deep-flow-map-20000.yaml", '{"a":' * 20_000 + "1" + "}" * 20_000 + "\n")
put("claim_yaml", "deep-block-compact-5000.yaml", "- " * 5_000 + "x\n")
put("claim_yaml", "not-utf8.yaml", sample.replace(b"Sandra", b"Sandr\xe9", 1))
put("claim_yaml", "nul.yaml", sample.replace(b"Sandra", b"San\x00dra", 1))

# CSV batches: a cell that is not UTF-8 (Latin-1 from an old export), a NUL, a cell past the
# field bound, a header that is not UTF-8.
good = open(os.path.join(ROOT, "tests/data/intake/batch-good.csv"), "rb").read()
header, first = good.split(b"\n")[:2]
put("csv", "not-utf8-cell.csv", header + b"\n" + first.replace(b"Laura", b"L\xe0ura", 1) + b"\n")
put("csv", "nul-cell.csv", header + b"\n" + first.replace(b"Laura", b"La\x00ura", 1) + b"\n")
put("csv", "long-cell.csv",
    header + b"\n" + first.replace(b"front end", b"x" * 70_000, 1) + b"\n")
put("csv", "not-utf8-header.csv", b"lob,l\xffoss_date\npersonal_auto,2026-11-05\n")

# Email: an attachment named with 300 bytes (a commit with it could not be checked out), two
# long names that differ only past the cut, a NUL, a message of 8-bit Latin-1 text (valid:
# not UTF-8 is not an error in a message that names its charset).
def message(parts, body="Our car was hit in the lot at 3pm yesterday."):
    out = [
        "From: Laura Novak <laura@example.com>",
        "To: claims@harborpoint.example",
        "Subject: New claim, policy PAU-IL-2026-20931",
        "Date: Wed, 18 Nov 2026 09:14:00 -0600",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="b1"',
        "",
        "--b1",
        "Content-Type: text/plain; charset=utf-8",
        "",
        body,
    ]
    for name in parts:
        out += [
            "--b1",
            "Content-Type: application/pdf",
            f'Content-Disposition: attachment; filename="{name}"',
            "Content-Transfer-Encoding: base64",
            "",
            "JVBERi0xLjQK",
        ]
    out.append("--b1--")
    return "\r\n".join(out) + "\r\n"


put("email", "name-300-bytes.eml", message(["p" * 296 + ".pdf"]))
put("email", "two-long-names.eml",
    message(["police report " + "x" * 280 + " page 1.pdf", "police report " + "x" * 280 + " page 2.pdf"]))
put("email", "nul.eml", message([]).replace("yesterday", "yester\0day").encode())
latin1 = message([]).replace("charset=utf-8", "charset=iso-8859-1").replace("Content-Type: text/plain", "Content-Transfer-Encoding: 8bit\r\nContent-Type: text/plain")
put("email", "latin1-8bit.eml", latin1.replace("lot", "lot near the caf\u00e9").encode("latin-1"))

# Web payloads: 100,000 levels, a NUL in an escape, bytes that are not UTF-8, a field past the
# bound.
web = json.load(open(os.path.join(ROOT, "tests/data/intake/web-auto.json")))
put("payload", "deep.json", "[" * 100_000 + "]" * 100_000)
put("payload", "deep.yaml", "[" * 100_000 + "]" * 100_000)
nul = dict(web, loss=dict(web["loss"], description="Merged\u0000into us"))
put("payload", "nul-escape.json", json.dumps(nul))
put("payload", "not-utf8.json", json.dumps(web).encode().replace(b"Maria", b"Mar\xeda", 1))
long = dict(web, loss=dict(web["loss"], description="x" * 70_000))
put("payload", "long-field.json", json.dumps(long))
