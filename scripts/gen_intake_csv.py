#!/usr/bin/env python3
"""Writes a CSV batch of N valid, varied FNOL rows for `claims intake --csv`.

The rows are for the sample office of `claims init --example` (its active policies, their
vehicles' VINs and insured locations) and use the columns of tests/data/intake/batch-good.csv.
Deterministic: the same N and seed give the same file, byte for byte; no two rows are the
same (intake would take a repeated row in once). Standard library only.

    python3 scripts/gen_intake_csv.py N [--seed S] [--month YYYY-MM] [--policies DIR] > rows.csv

Losses fall on days 1-19 of --month (default 2026-11). Before a policy's current term, a row
names the term before it (the same number with the year before: PAU-IL-2025-20931), or the
one before that, as scripts/bench_audit.sh writes them into the office.

With --policies DIR (an office's policies/, such as `claims generate-office` writes), the rows
name that office's personal auto, property, liability and workers' compensation policies in
force on days 1-19 of --month instead, their vehicles and insured locations: thousands of
policies, so that few notices are of one loss (the sample office's ten make most of a large
batch possible duplicates of each other).
"""

import argparse
import csv
import datetime
import pathlib
import random
import re
import sys

COLUMNS = (
    "lob,jurisdiction,channel,policy_number,insured_name,reporter_name,reporter_phone,"
    "loss_date,loss_time,loss_location,loss_description,loss_cause,police_report,"
    "vehicle1_year,vehicle1_make,vehicle1_model,vehicle1_vin,vehicle1_damage,"
    "injured1_name,injured1_contact,injured1_description,witness1_name,witness1_contact,"
    "discovered_on,loss_type,property_address,damage_description,emergency_repairs_needed,"
    "public_adjuster,mortgagee,estimated_loss,claim_received_on,claimant_name,claimant_phone,"
    "allegation,represented,prior_notice,employee_name,employee_id,job_title,how_it_happened,"
    "body_parts,medical_treatment,treatment_facility,treating_physician,return_to_work_expected"
).split(",")

# Active policies of the sample office whose period covers 2026-11-01..19.
AUTO = [
    ("PAU-IL-2026-20931", "IL", "Naperville, IL", "630",
     [("2010", "Toyota", "Camry", "4T1BB3EK5AU118081"),
      ("2013", "Kia", "Sorento LX", "5XYKTCA62DG346197")]),
    ("PAU-TX-2026-10482", "TX", "Plano, TX", "972",
     [("2013", "Hyundai", "Sonata GLS", "5NPEB4AC9DH571382"),
      ("2013", "Jeep", "Wrangler Sport", "1C4GJWAG3DL544796")]),
    ("PAU-FL-2026-41288", "FL", "Tampa, FL", "813",
     [("2018", "Kia", "Stinger GT2", "KNAE55LC7J6018811")]),
]
PROPERTY = [
    ("HO-TX-2026-60254", "11842 Coldwater Creek Lane, Frisco, TX 75035",
     "Wells Fargo Home Mortgage"),
    ("HO-FL-2026-61720", "1564 Sunset Point Road, Clearwater, FL 33755", "Truist Bank"),
    ("CPP-IL-2026-70344", "2300 Channahon Road, Joliet, IL 60436", "Old National Bank"),
]
LIABILITY = [("GL-NY-2026-80412", "914"), ("GL-CA-2025-81109", "916")]
WORKERS_COMP = [("WC-TX-2026-30118", "Fort Worth, TX"), ("WC-CA-2026-31402", "Fresno, CA")]

# When each policy's current term began: a loss before it falls in an earlier term.
EFFECTIVE = {
    "PAU-IL-2026-20931": "2026-06-15", "PAU-TX-2026-10482": "2026-03-01",
    "PAU-FL-2026-41288": "2026-04-01", "HO-TX-2026-60254": "2026-02-01",
    "HO-FL-2026-61720": "2026-05-20", "CPP-IL-2026-70344": "2026-04-01",
    "GL-NY-2026-80412": "2026-03-15", "GL-CA-2025-81109": "2025-12-01",
    "WC-TX-2026-30118": "2026-01-01", "WC-CA-2026-31402": "2026-07-01",
}


def term_of(policy, loss_date):
    """The number of the policy's term the loss falls in (its current one, or an earlier)."""
    start = datetime.date.fromisoformat(EFFECTIVE[policy])
    back = 0
    while start.replace(year=start.year - back) > loss_date:
        back += 1
    year = int(re.search(r"-(\d{4})-", policy).group(1))
    return policy.replace(f"-{year}-", f"-{year - back}-", 1)


FIRST = ["Laura", "Sam", "Dana", "Jorge", "Priya", "Marcus", "Elena", "Tom", "Aisha", "Ken",
         "Rosa", "Victor", "Mei", "Omar", "Grace", "Luis", "Hannah", "Derek", "Nina", "Paul"]
LAST = ["Novak", "Ortiz", "Kim", "Ruiz", "Shah", "Bell", "Petrova", "Nguyen", "Khan", "Sato",
        "Diaz", "Hale", "Chen", "Farah", "Lopez", "Moreno", "Weiss", "Grant", "Ivanova", "Cole"]
STREETS = ["Route 59 and 75th St", "Main St and 3rd Ave", "Preston Rd and Park Blvd",
           "Dale Mabry Hwy", "I-88 eastbound near exit 123", "Ogden Ave parking lot",
           "Legacy Dr and Coit Rd", "Kennedy Blvd and Westshore"]
AUTO_EVENTS = [
    ("Hit by a car running the light", "collision", "front end"),
    ("Rear-ended while stopped in traffic", "collision", "rear bumper and trunk"),
    ("Side-swiped while changing lanes", "collision", "driver side doors"),
    ("Hail storm dented the hood and roof", "hail", "hood and roof dents"),
    ("Windshield cracked by a rock from a truck", "glass", "windshield"),
    ("Struck a deer on the highway", "animal", "grille and headlight"),
    ("Car broken into overnight, window smashed", "vandalism", "rear passenger window"),
]
PROPERTY_EVENTS = [
    ("Hail damaged the roof", "hail", "wind", "Missing shingles, leak in attic"),
    ("Wind tore siding off the north wall", "wind", "wind", "Siding and gutter torn off"),
    ("Kitchen fire spread to the cabinets", "fire", "fire", "Cabinets burned, smoke damage"),
    ("Pipe burst under the upstairs bathroom", "water", "water", "Ceiling and drywall soaked"),
    ("Burglary while the owner was away", "theft", "theft", "Back door forced, items taken"),
    ("Graffiti and broken windows at the front", "vandalism", "vandalism",
     "Two windows broken, paint on walls"),
]
GL_EVENTS = [
    ("Member slipped near the pool", "slip_and_fall", "Wet floor without a sign; broken wrist"),
    ("Customer tripped on a loose mat", "slip_and_fall", "Loose entrance mat; sprained ankle"),
    ("Shelf fell on a shopper", "falling_object", "Unsecured shelf; head laceration"),
    ("Visitor fell on icy steps", "slip_and_fall", "Steps not salted; fractured hip"),
]
WC_EVENTS = [
    ("Fell from a ladder", "Ladder slipped on a wet floor", "left wrist; lower back",
     "HVAC technician"),
    ("Strained back lifting a crate", "Lifted a 60 lb crate alone", "lower back",
     "Warehouse associate"),
    ("Cut hand on sheet metal", "Glove tore while handling sheet metal", "right hand",
     "Fabricator"),
    ("Twisted knee stepping off a truck", "Missed the last step of the cab", "right knee",
     "Delivery driver"),
]
FACILITIES = [("Baylor Scott & White, Frisco", "Dr. Amy Chen"),
              ("Community Regional, Fresno", "Dr. Raj Patel"),
              ("Texas Health, Fort Worth", "Dr. Lena Ford")]


def person(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def phone(rng, area):
    return f"({area}) 555-{rng.randint(100, 199):04d}"


def row(rng, i, month):
    r = dict.fromkeys(COLUMNS, "")
    day = rng.randint(1, 19)
    r["loss_date"] = f"{month}-{day:02d}"
    kind = i % 4  # an even mix of the four lines
    if kind == 0:
        policy, state, city, area, vehicles = rng.choice(AUTO)
        year, make, model, vin = rng.choice(vehicles)
        what, cause, damage = rng.choice(AUTO_EVENTS)
        reporter = person(rng)
        r.update(lob="personal_auto", policy_number=policy, reporter_name=reporter,
                 reporter_phone=phone(rng, area),
                 loss_time=f"{rng.randint(6, 22):02d}:{rng.choice((0, 15, 30, 45)):02d}",
                 loss_location=f"{rng.choice(STREETS)}, {city}", loss_description=what,
                 loss_cause=cause, police_report=f"PD-26-{rng.randint(1000, 99999)}",
                 vehicle1_year=year, vehicle1_make=make, vehicle1_model=model,
                 vehicle1_vin=vin, vehicle1_damage=damage)
        if cause == "collision" and rng.random() < 0.4:
            r.update(injured1_name=reporter, injured1_contact=r["reporter_phone"],
                     injured1_description=rng.choice(("neck pain", "bruised shoulder",
                                                       "headache")))
        if rng.random() < 0.5:
            r.update(witness1_name=person(rng), witness1_contact=phone(rng, area))
    elif kind == 1:
        policy, address, mortgagee = rng.choice(PROPERTY)
        what, cause, loss_type, damage = rng.choice(PROPERTY_EVENTS)
        r.update(lob="property", policy_number=policy, loss_description=what, loss_cause=cause,
                 discovered_on=r["loss_date"], loss_type=loss_type, property_address=address,
                 damage_description=damage, emergency_repairs_needed=rng.choice("YN"),
                 public_adjuster=rng.choice(("N", "N", "N", "Y")), mortgagee=mortgagee,
                 estimated_loss=f"{rng.randint(15, 900) * 100}.00")
    elif kind == 2:
        policy, area = rng.choice(LIABILITY)
        what, cause, allegation = rng.choice(GL_EVENTS)
        received = min(19, day + rng.randint(0, 10))
        r.update(lob="general_liability", policy_number=policy, loss_description=what,
                 loss_cause=cause, claim_received_on=f"{month}-{received:02d}",
                 claimant_name=person(rng), claimant_phone=phone(rng, area),
                 allegation=allegation, represented=rng.choice(("no", "no", "yes")),
                 prior_notice="false")
    else:
        policy, _city = rng.choice(WORKERS_COMP)
        what, how, parts, job = rng.choice(WC_EVENTS)
        facility, physician = rng.choice(FACILITIES)
        r.update(lob="workers_comp", policy_number=policy,
                 loss_time=f"{rng.randint(6, 18):02d}:{rng.choice((0, 10, 20, 40)):02d}",
                 loss_description=what, employee_name=person(rng),
                 employee_id=f"E-{1000 + i}", job_title=job, how_it_happened=how,
                 body_parts=parts, medical_treatment="yes", treatment_facility=facility,
                 treating_physician=physician, return_to_work_expected=rng.choice("YN"))
    return r


def office_policies(folder, month):
    """The policies in `folder` in force on days 1-19 of `month`, by line, in the shapes of
    AUTO, PROPERTY, LIABILITY and WORKERS_COMP above."""
    first = datetime.date.fromisoformat(f"{month}-01")
    last = datetime.date.fromisoformat(f"{month}-19")
    auto, prop, liab, wc = [], [], [], []
    for path in sorted(pathlib.Path(folder).glob("*.yaml")):
        text = path.read_text()

        def field(name, where=text):
            m = re.search(rf"^{name}: *(.+?) *$", where, re.M)
            return m.group(1).strip("'\"") if m else ""

        try:
            effective = datetime.date.fromisoformat(field("effective"))
            expires = datetime.date.fromisoformat(field("expires"))
        except ValueError:
            continue
        if field("status") != "active" or not (effective <= first and last < expires):
            continue
        number, lob, state = field("number"), field("lob"), field("jurisdiction")
        insured = text.split("\ninsured:\n", 1)[-1]
        address = field("  address", insured)
        city = ", ".join(p.strip() for p in address.split(",")[-2:-1]) + f", {state}"
        m = re.search(r"^  phone: *\((\d{3})\)", insured, re.M)
        area = m.group(1) if m else "555"
        if lob == "personal_auto":
            vehicles = [(y, mk, md, v) for y, mk, md, v in re.findall(
                r"^  - year: *(\d{4})\n    make: *(.+)\n    model: *(.+)\n    vin: *(\w{17})$",
                text, re.M)]
            if vehicles:
                auto.append((number, state, city, area, vehicles))
        elif lob == "property":
            m = re.search(r"^locations:\n  - address: *(.+)$", text, re.M)
            mortgagee = re.search(r"^    mortgagee: *(.+)$", text, re.M)
            if m:
                prop.append((number, m.group(1), mortgagee.group(1) if mortgagee else ""))
        elif lob == "general_liability":
            liab.append((number, area))
        elif lob == "workers_comp":
            wc.append((number, city))
    if not (auto and prop and liab and wc):
        sys.exit(f"gen_intake_csv: {folder} has no policy in force in {month} of some line "
                 "(personal auto, property, general liability, workers' compensation)")
    return auto, prop, liab, wc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", type=int)
    ap.add_argument("--seed", type=int, default=20261120)
    ap.add_argument("--month", default="2026-11", help="YYYY-MM of the losses")
    ap.add_argument("--policies", help="an office's policies folder to draw the rows from")
    args = ap.parse_args()
    global AUTO, PROPERTY, LIABILITY, WORKERS_COMP
    if args.policies:
        AUTO, PROPERTY, LIABILITY, WORKERS_COMP = office_policies(args.policies, args.month)
    rng = random.Random(args.seed)
    out = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    out.writeheader()
    seen = set()
    for i in range(args.rows):
        while True:
            r = row(rng, i, args.month)
            if not args.policies:
                r["policy_number"] = term_of(r["policy_number"],
                                             datetime.date.fromisoformat(r["loss_date"]))
            # No row twice: intake takes a repeated row in once (it is the same notice).
            key = tuple(r.values())
            if key not in seen:
                seen.add(key)
                break
        out.writerow(r)


if __name__ == "__main__":
    main()
