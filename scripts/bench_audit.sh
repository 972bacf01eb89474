#!/usr/bin/env bash
# Benchmark of `claims audit` over a long history (issue 16): ≥ 2,000 commits/s on 2 cores; and
# the history-based reports over it (issue 21: a 100,000-commit history).
#
#   scripts/bench_audit.sh                           23 months of 1,650 first notices each (about 100,000 commits)
#   BENCH_AUDIT_MONTHS=6 BENCH_AUDIT_ROWS=300 scripts/bench_audit.sh   a quicker run
#
# Builds nothing: `make bench` builds first. Uses target/release/claims, or $CLAIMS_BIN, in a
# temporary folder removed on exit (scripts/hermetic.sh).
#
# The history is the tool's own work, month by month from January 2025, in an example office:
#   - its founding (`claims init office --example`, dated 2025-01-02), then the two policy
#     terms before each sample policy's current one, written by the manager by hand and
#     signed (policies are hand-edited files; manage_policies entitles the manager);
#   - each month, with the clock on the 20th: `claims intake --csv` of the month's first
#     notices (scripts/gen_intake_csv.py --month), `claims triage --pending` by a supervisor
#     (duplicates merge), `claims assign --pending` (routed, or escalated past capacity).
# Then `claims audit --full --no-checkpoint` over all of it (every tool commit replayed), and
# `claims audit` twice: the first records a checkpoint, the second — after one more month of
# work — audits only what came after it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/hermetic.sh
source "$ROOT/scripts/hermetic.sh"
BIN="$(claims_bin bench "$ROOT")"
MONTHS="${BENCH_AUDIT_MONTHS:-23}"
ROWS="${BENCH_AUDIT_ROWS:-1650}"
for v in MONTHS ROWS; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "bench-audit: BENCH_AUDIT_$v must be a positive integer" >&2; exit 2; }
done
(( MONTHS <= 23 )) || { echo "bench-audit: at most 23 months (January 2025 to November 2026)" >&2; exit 2; }
TARGET_RATE=2000

hermetic bench-audit "$BIN"
# BENCH_KEEP=1 keeps the work folder (to look at the office afterwards).
if [[ -n "${BENCH_KEEP:-}" ]]; then trap - EXIT; fi
die() {
    echo "bench-audit: FAILED: $*" >&2
    exit 1
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

echo "bench-audit: $MONTHS months of $ROWS first notices, claims at $BIN, work folder $WORK"
CLAIMS_NOW=2025-01-02T08:00:00-06:00 claims init office --example > init.log 2>&1 ||
    { cat init.log >&2; die "claims init"; }
cd office
CSR="$(person_with_role csr)"
SUPERVISOR="$(person_with_role supervisor)"
MANAGER="$(person_with_role manager)"
[[ -n "$CSR" && -n "$SUPERVISOR" && -n "$MANAGER" ]] || die "the example office lacks a csr, supervisor or manager"

# The two terms before each policy's current one: the same file, its number's year and its
# period a year (two years) earlier.
python3 - <<'EOF'
import pathlib, re
for path in sorted(pathlib.Path("policies").glob("*.yaml")):
    text = path.read_text()
    number = re.search(r"^number: (\S+)$", text, re.M).group(1)
    year = int(re.search(r"-(\d{4})-", number).group(1))
    for back in (1, 2):
        earlier = number.replace(f"-{year}-", f"-{year - back}-", 1)
        term = text.replace(number, earlier)
        term = re.sub(r"^(effective|expires): (\d{4})",
                      lambda m: f"{m.group(1)}: {int(m.group(2)) - back}", term, flags=re.M)
        term = term.replace("status: cancelled", "status: active")
        (path.parent / f"{earlier}.yaml").write_text(term)
EOF
git add policies
GIT_AUTHOR_DATE=2025-01-02T08:30:00-06:00 GIT_COMMITTER_DATE=2025-01-02T08:30:00-06:00 \
    git -c user.email="$MANAGER" -c user.signingkey="$(git config "claims.$MANAGER.signingkey")" \
    commit -q -S -m "Policies: the two terms before each current one" ||
    die "the manager's commit of earlier policy terms"
claims check > ../check.log 2>&1 || { tail -5 ../check.log >&2; die "claims check after adding earlier terms"; }

# One month of work: first notices on the 20th, triage at noon, assignment in the afternoon.
# Exit 1 (some rows or claims refused) is allowed; worse fails the benchmark.
month_of_work() {
    local month="$1" seed="$2" code=0
    python3 "$ROOT/scripts/gen_intake_csv.py" "$ROWS" --month "$month" --seed "$seed" > ../rows.csv
    CLAIMS_NOW="$month-20T09:00:00-06:00" claims --as "$CSR" --quiet intake --csv ../rows.csv \
        > /dev/null 2>> ../work.err || code=$?
    (( code <= 1 )) || { tail -5 ../work.err >&2; die "intake of $month exited $code"; }
    for step in "triage 12" "assign 15"; do
        set -- $step
        code=0
        CLAIMS_NOW="$month-20T$2:00:00-06:00" claims --as "$SUPERVISOR" --quiet "$1" --pending \
            > /dev/null 2>> ../work.err || code=$?
        (( code <= 1 )) || { tail -5 ../work.err >&2; die "$1 --pending of $month exited $code"; }
    done
}

MONTH_LIST=()
for i in $(seq 0 $(( MONTHS - 1 ))); do
    MONTH_LIST+=("$(date -u -d "2025-01-01 +$i month" +%Y-%m)")
done
LAST="${MONTH_LIST[-1]}"
T0="$(now)"
for i in "${!MONTH_LIST[@]}"; do
    m="${MONTH_LIST[$i]}"
    [[ "$m" == "$LAST" ]] && break
    month_of_work "$m" $(( 2025000 + i ))
done
BUILD_S="$(elapsed "$T0" "$(now)")"
COMMITS="$(git rev-list --count HEAD)"
CLAIM_FILES="$(find claims -name '*.yaml' | wc -l)"
BIGGEST_MONTH="$(find claims -mindepth 3 -maxdepth 3 -name '*.yaml' | cut -d/ -f2-3 | sort | uniq -c | sort -rn | head -1 | awk '{ print $1 " in " $2 }')"

# --- the whole history, every tool commit replayed ----------------------------------------------
T0="$(now)"
code=0
claims --format json audit --full --no-checkpoint > ../full.json 2> ../full.err || code=$?
FULL_S="$(elapsed "$T0" "$(now)")"
(( code == 0 )) || { head -c 2000 ../full.json >&2; tail -5 ../full.err >&2; die "claims audit --full exited $code"; }
read -r AUDITED REPLAYED < <(python3 - ../full.json <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["errors"] == 0, r["findings"][:5]
print(r["commits"], sum(v["verdict"] == "replayed" for v in r["verdicts"]))
EOF
) || die "the audit's report"
(( AUDITED == COMMITS )) || die "the audit judged $AUDITED commits, the history has $COMMITS"
FULL_RATE="$(rate "$AUDITED" "$FULL_S")"

# --- the history-based reports (issue 21) over the same history -----------------------------
T0="$(now)"
claims report productivity --from 2025-01-01 --to 2026-12-31 --format csv > ../productivity.csv ||
    die "claims report productivity"
PROD_S="$(elapsed "$T0" "$(now)")"
T0="$(now)"
claims report errors --source check --from 2025-01-01 --to 2026-12-31 --format csv > ../errors-check.csv ||
    die "claims report errors --source check"
ERRC_S="$(elapsed "$T0" "$(now)")"
T0="$(now)"
claims report errors --from 2025-01-01 --to 2026-12-31 --format csv > ../errors.csv ||
    die "claims report errors"
ERRS_S="$(elapsed "$T0" "$(now)")"

# --- from the last checkpoint ---------------------------------------------------------------
claims audit > ../checkpoint.out 2>&1 || { tail -5 ../checkpoint.out >&2; die "claims audit (recording a checkpoint)"; }
BEFORE="$(git rev-list --count HEAD)"
month_of_work "$LAST" $(( 2025000 + MONTHS ))
AFTER="$(git rev-list --count HEAD)"
T0="$(now)"
claims audit > ../since.out 2>&1 || { tail -5 ../since.out >&2; die "claims audit after the checkpoint"; }
SINCE_S="$(elapsed "$T0" "$(now)")"
SINCE_N="$(grep -oE 'audited [0-9]+ commit' ../since.out | grep -oE '[0-9]+')"
(( SINCE_N == AFTER - BEFORE )) || die "the audit after the checkpoint judged $SINCE_N commits, $(( AFTER - BEFORE )) came after it"
git verify-commit HEAD > /dev/null 2>&1 || die "git verify-commit HEAD failed"
cd "$WORK"

if awk -v r="$FULL_RATE" -v t="$TARGET_RATE" 'BEGIN { exit !(r >= t) }'; then OK=MET; else OK="NOT MET"; fi
echo
echo "claims audit bench — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cpu(s)"
echo "history: $COMMITS commits over $(( MONTHS - 1 )) months ($CLAIM_FILES claim files, the largest month $BIGGEST_MONTH), made in ${BUILD_S} s"
echo
fmt='%-44s %-14s %s\n'
printf "$fmt" measure value target
printf "$fmt" "--------------------------------------------" "--------------" "------------------------------"
printf "$fmt" "audit --full, commits/s" "$FULL_RATE/s" "≥ ${TARGET_RATE}/s: $OK"
printf "$fmt" "audit --full, wall time" "${FULL_S} s" "($AUDITED commits, $REPLAYED replayed)"
printf "$fmt" "report productivity (touches), commits/s" "$(rate "$COMMITS" "$PROD_S")/s" "(${PROD_S} s over $COMMITS commits)"
printf "$fmt" "report errors --source check, commits/s" "$(rate "$COMMITS" "$ERRC_S")/s" "(${ERRC_S} s: the claim rules on every version)"
printf "$fmt" "report errors (check and audit), commits/s" "$(rate "$COMMITS" "$ERRS_S")/s" "(${ERRS_S} s)"
printf "$fmt" "audit from the checkpoint, one month later" "${SINCE_S} s" "($SINCE_N commits after it, of $AFTER)"
echo
echo "verified: the full audit found no errors and judged every commit; the audit after the checkpoint judged only the commits after it."
