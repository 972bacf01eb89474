"""A second computation of `claims report` figures, written apart from the Rust code: reads
every claim YAML with PyYAML and computes aging, the closing ratio and the annual claims
activity with pandas. Prints JSON; the test compares it with `claims report --format json`.

usage: independent.py OFFICE AS_OF YEAR
"""
import json
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import yaml

office, as_of, year = Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), int(sys.argv[3])
tz = ZoneInfo("America/Chicago")
FINAL = {"closed", "denied"}


def local(t):
    if isinstance(t, str):
        t = datetime.fromisoformat(t)
    return t.astimezone(tz).date()


rows = []
for path in sorted(office.glob("claims/*/*/*.yaml")):
    c = yaml.safe_load(path.read_text())
    if c["status"] == "merged" or c.get("merged_into"):
        continue
    history = c.get("history") or []
    reopened = any(
        a["status"] in FINAL and b["status"] not in FINAL for a, b in zip(history, history[1:])
    )
    if reopened:
        raise SystemExit(f"{path}: reopened claims are not modelled here")
    closed_at = next((e["at"] for e in history if e["status"] in FINAL), None)
    if c["status"] not in FINAL:
        closed_at = None
    pays = [
        p["at"] for p in (c.get("payments") or []) if p["state"] == "effective"
    ]
    pays = [datetime.fromisoformat(p) if isinstance(p, str) else p for p in pays]
    closed_t = (
        datetime.fromisoformat(closed_at) if isinstance(closed_at, str) else closed_at
    )
    paid_by_close = [p for p in pays if closed_t is not None and p <= closed_t]
    rows.append(
        {
            "claim": c["id"],
            "state": c["jurisdiction"],
            "line": c["lob"],
            "reported": local(c["received_at"]),
            "closed": local(closed_t) if closed_t is not None else None,
            "with_payment": bool(paid_by_close),
            "last_payment": local(max(paid_by_close)) if paid_by_close else None,
        }
    )

df = pd.DataFrame(rows)
df["closed"] = df["closed"].astype("object")


def open_on(d):
    return (df["reported"] <= d) & (df["closed"].isna() | (df["closed"].map(lambda x: x is not None and x > d)))


# Aging as of AS_OF: bands of days since notice.
is_open = open_on(as_of)
age = df.loc[is_open, "reported"].map(lambda r: (as_of - r).days)
bounds = [30, 60, 90, 180, 365]
names = ["0-30", "31-60", "61-90", "91-180", "181-365", "over 365"]
band = age.map(lambda a: next((i for i, b in enumerate(bounds) if a <= b), len(bounds)))
aging = {n: int((band == i).sum()) for i, n in enumerate(names)}
aging["open"] = int(is_open.sum())
aging["median_age_days"] = round(float(age.median()), 1) if len(age) else None

# Closing ratio over the year up to AS_OF.
start, end = date(year, 1, 1), as_of
in_period = lambda d: d is not None and start <= d <= end
opened = df["reported"].map(in_period)
closed = df["closed"].map(in_period)
closing = {
    "opened": int(opened.sum()),
    "closed": int(closed.sum()),
    "closed_with_payment": int((closed & df["with_payment"]).sum()),
    "closed_without_payment": int((closed & ~df["with_payment"]).sum()),
}

# Annual activity for the whole year, by state and line.
ys, ye = date(year, 1, 1), date(year, 12, 31)
activity = []
for (state, line), g in df.groupby(["state", "line"]):
    before = date(year - 1, 12, 31)
    o_start = (g["reported"] <= before) & (g["closed"].isna() | g["closed"].map(lambda x: x is not None and x > before))
    o_end = (g["reported"] <= ye) & (g["closed"].isna() | g["closed"].map(lambda x: x is not None and x > ye))
    c_in = g["closed"].map(lambda d: d is not None and ys <= d <= ye)
    paid = g[c_in & g["with_payment"]]
    to_pay = [(lp - r).days for lp, r in zip(paid["last_payment"], paid["reported"])]
    activity.append(
        {
            "state": state,
            "line": line,
            "open_at_start": int(o_start.sum()),
            "opened": int(g["reported"].map(lambda d: ys <= d <= ye).sum()),
            "closed_with_payment": int((c_in & g["with_payment"]).sum()),
            "closed_without_payment": int((c_in & ~g["with_payment"]).sum()),
            "median_days_to_final_payment": round(float(pd.Series(to_pay).median()), 1) if to_pay else None,
            "open_at_end": int(o_end.sum()),
        }
    )

print(json.dumps({"aging": aging, "closing": closing, "activity": activity}))
