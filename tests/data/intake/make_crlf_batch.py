#!/usr/bin/env python3
"""Writes batch-crlf.csv the way Python's csv module (and Excel's "CSV UTF-8") writes a file:
CRLF line endings, a UTF-8 byte-order mark, quotes only where a cell needs them. Rows 4 and 5
are bad (an impossible date, a mistyped VIN) so that the tests can check the row numbers the
errors name. The output is committed; run this again only to change it:

    python3 tests/data/intake/make_crlf_batch.py
"""

import csv
from pathlib import Path

HEADER = [
    "lob", "policy_number", "reporter_name", "reporter_phone", "loss_date", "loss_time",
    "loss_location", "loss_description", "loss_cause", "vehicle1_year", "vehicle1_make",
    "vehicle1_model", "vehicle1_vin", "vehicle1_damage",
]
ROWS = [
    ["personal_auto", "PAU-IL-2026-20931", "Laura Novak", "(630) 555-0122", "2026-11-12",
     "07:45", "Ogden Ave and Washington St, Naperville, IL", "Rear-ended at a light",
     "collision", "2010", "Toyota", "Camry", "4T1BB3EK5AU118081", "rear bumper"],
    ["personal_auto", "PAU-TX-2026-10482", "Sandra Whitaker", "(972) 555-0186", "2026-11-13",
     "18:05", "Preston Rd, Plano, TX", "Backed into a post, bent the tailgate", "collision",
     "2013", "Jeep", "Wrangler Sport", "1C4GJWAG3DL544796", "tailgate"],
    ["personal_auto", "PAU-FL-2026-41288", "Tanya Brooks", "(305) 555-0144", "11/31/2026",
     "09:10", "Biscayne Blvd, Miami, FL", "Side-swiped, parked", "collision", "2019", "Honda",
     "Civic", "", "driver door"],
    ["personal_auto", "PAU-IL-2026-20931", "Kevin Novak", "(630) 555-0121", "2026-11-14",
     "16:30", "Route 59, Naperville, IL", "Hail dented the hood", "hail", "2013", "Kia",
     "Sorento LX", "5XYKTCA62DG346198", "hood, roof"],
]

with open(Path(__file__).with_name("batch-crlf.csv"), "w", newline="", encoding="utf-8-sig") as f:
    writer = csv.writer(f)
    writer.writerow(HEADER)
    writer.writerows(ROWS)
