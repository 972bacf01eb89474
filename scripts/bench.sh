#!/usr/bin/env bash
# Benchmarks for `claims` (issue 10): batch intake, triage and assignment, and reads at scale.
#
#   scripts/bench.sh                 N = 2000 CSV rows
#   BENCH_ROWS=10000 scripts/bench.sh  the issue's target size
#
# Builds nothing: `make bench` builds first. Uses target/release/claims, or $CLAIMS_BIN.
# Everything happens in a temporary folder removed on exit, with HOME, the signing keys and
# git's configuration kept inside it (as scripts/demo.sh does), so your git setup is untouched.
#
# 1. `claims init office --example`, a deterministic CSV of N valid claims for its policies
#    (scripts/gen_intake_csv.py), then `claims --as CSR --quiet intake --csv`: one signed
#    commit per claim. Verified: HEAD moved by N commits and `git verify-commit HEAD` passes.
# 2. Baseline: a second fresh example office; the same claim files the tool wrote, each
#    copied in and committed by `git add F && git commit -q -S -m "intake ID"` (SSH signing,
#    the CSR's key, as configured by `claims init`).
# 3. `claims check` and `claims list --format csv` on the first office after the intake, then
#    (after the baseline) `claims triage --pending` on it: one signed commit per claim, two for
#    a duplicate that merges; then `claims assign --pending`.
# 4. Reads over a generated office of BENCH_READ_CLAIMS claims: sla-report and check beside the
#    parse floor, check beside check-jsonschema, and `claims show` of single claims.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/hermetic.sh
source "$ROOT/scripts/hermetic.sh"
BIN="$(claims_bin bench "$ROOT")"
ROWS="${BENCH_ROWS:-2000}"
if ! [[ "$ROWS" =~ ^[1-9][0-9]*$ ]]; then
    echo "bench: BENCH_ROWS must be a positive integer, not '$ROWS'" >&2
    exit 2
fi
TARGET_RATE=500
TARGET_RATIO=60  # issue 22 (issue 10 asked 20x)

# --- a hermetic environment (shared with scripts/demo.sh) ---------------------------------
hermetic bench "$BIN"

die() {
    echo "bench: FAILED: $*" >&2
    exit 1
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }'; }


echo "bench: $ROWS CSV rows, claims at $BIN, work folder $WORK"

# --- 1. claims intake --csv -----------------------------------------------------------------
claims init office --example > init1.log 2>&1 || { cat init1.log >&2; die "claims init"; }
python3 "$ROOT/scripts/gen_intake_csv.py" "$ROWS" > rows.csv
cd office
CSR="$(person_with_role csr)"
[[ -n "$CSR" ]] || die "authority.yaml lists no active csr"
BEFORE_COUNT="$(git rev-list --count HEAD)"
BEFORE_HEAD="$(git rev-parse HEAD)"

# peak_kb NAME CMD...: `peak` (scripts/hermetic.sh) into ../NAME.peak.
peak_kb() {
    local name="$1"
    shift
    peak "../$name.peak" "$@"
}
peak_of() { tail -1 "$WORK/$1.peak" | grep -E '^[0-9]+$' || echo -; }

# A dry run first: the CSV read, every row checked, nothing written (issue 18: parsing in
# memory proportional to the input).
# Beside it, the same of the CSV's first row alone: the process's own floor (the office read).
head -2 ../rows.csv > ../one-row.csv
peak_kb dry-run-floor claims --as "$CSR" --quiet --dry-run intake --csv ../one-row.csv > /dev/null 2>&1 ||
    die "claims --dry-run intake of one row"
peak_kb dry-run claims --as "$CSR" --quiet --dry-run intake --csv ../rows.csv > /dev/null 2> ../dry-run.err ||
    { tail -20 ../dry-run.err >&2; die "claims --dry-run intake --csv exited $?"; }
T0="$(now)"
peak_kb intake claims --as "$CSR" --quiet intake --csv ../rows.csv > ../intake.out 2> ../intake.err ||
    { tail -20 ../intake.err >&2; die "claims intake --csv exited $?"; }
T1="$(now)"
INTAKE_S="$(elapsed "$T0" "$T1")"

AFTER_COUNT="$(git rev-list --count HEAD)"
(( AFTER_COUNT - BEFORE_COUNT == ROWS )) ||
    die "HEAD moved by $((AFTER_COUNT - BEFORE_COUNT)) commits, expected $ROWS"
git verify-commit HEAD > /dev/null 2>&1 || die "git verify-commit HEAD failed"
WARNINGS="$(grep -c '^warning:' ../intake.err || true)"

# The files the intake wrote, in commit order, with their claim ids.
git log --reverse --format= --name-only --diff-filter=A "$BEFORE_HEAD..HEAD" -- claims/2026/11/ \
    | grep -v '^$' > ../new-files.txt
NEW_FILES="$(wc -l < ../new-files.txt)"
(( NEW_FILES == ROWS )) || die "the intake added $NEW_FILES files under claims/2026/11/, expected $ROWS"

T0="$(now)"
claims check > ../check.out 2>&1 || { tail -20 ../check.out >&2; die "claims check failed after the intake"; }
T1="$(now)"
CHECK_S="$(elapsed "$T0" "$T1")"

T0="$(now)"
claims list --format csv > /dev/null 2> ../list.err || die "claims list failed"
T1="$(now)"
LIST_S="$(elapsed "$T0" "$T1")"
CLAIM_FILES="$(find claims -name '*.yaml' | wc -l)"
cd "$WORK"

# --- 2. baseline: git add + git commit -S per file ------------------------------------------
mkdir second
(cd second && claims init office --example > ../init2.log 2>&1) || { cat init2.log >&2; die "second claims init"; }
cd second/office
# The same signer as the intake (claims init already set gpg.format=ssh and commit signing).
CSR_KEY="$(git config --get "claims.$CSR.signingkey")"
git config user.email "$CSR"
git config user.signingkey "$CSR_KEY"
LOOP_BEFORE="$(git rev-list --count HEAD)"

T0="$(now)"
while IFS= read -r f; do
    mkdir -p "$(dirname "$f")"
    cp "$WORK/office/$f" "$f"
    id="$(basename "$f" .yaml)"
    git add "$f" && git commit -q -S -m "intake $id"
done < "$WORK/new-files.txt"
T1="$(now)"
LOOP_S="$(elapsed "$T0" "$T1")"
(( $(git rev-list --count HEAD) - LOOP_BEFORE == ROWS )) || die "the baseline loop did not make $ROWS commits"
git verify-commit HEAD > /dev/null 2>&1 || die "git verify-commit HEAD failed in the baseline office"
cd "$WORK"

# --- 3. claims triage --pending on the intake office -----------------------------------------
# Every claim the intake made is waiting for triage (with the sample office's own reported
# claim). Duplicates (the sample office has few policies, so many) merge: two commits each.
cd "$WORK/office"
SUPERVISOR="$(person_with_role supervisor)"
[[ -n "$SUPERVISOR" ]] || die "authority.yaml lists no active supervisor"
# pending_batch NAME: `claims --as SUPERVISOR --quiet --format csv NAME --pending` into
# ../NAME.csv and ../NAME.err; sets SECONDS_TAKEN and COMMITS_MADE. Exit 1 (some claims
# refused) is allowed; worse fails the benchmark.
pending_batch() {
    local name="$1" before t0 code=0
    before="$(git rev-list --count HEAD)"
    t0="$(now)"
    peak_kb "$name" claims --as "$SUPERVISOR" --quiet --format csv "$name" --pending > "../$name.csv" 2> "../$name.err" ||
        code=$?
    SECONDS_TAKEN="$(elapsed "$t0" "$(now)")"
    (( code <= 1 )) || { tail -20 "../$name.err" >&2; die "claims $name --pending exited $code"; }
    COMMITS_MADE=$(( $(git rev-list --count HEAD) - before ))
    git verify-commit HEAD > /dev/null 2>&1 || die "git verify-commit HEAD failed after $name"
}
pending_batch triage
TRIAGE_S="$SECONDS_TAKEN"
TRIAGE_COMMITS="$COMMITS_MADE"
TRIAGED=$(( $(wc -l < ../triage.csv) - 1 ))
TRIAGE_REFUSED="$(grep -c '^error:' ../triage.err || true)"
MERGED="$(grep -c ',duplicate,' ../triage.csv || true)"
(( TRIAGED >= ROWS - TRIAGE_REFUSED )) || die "triage reported $TRIAGED claims, expected at least $ROWS"

# --- 3b. claims assign --pending on the triaged claims ---------------------------------------
# Routing, balancing and notices (letters in the commit, .eml files after it). The sample office
# has about ten adjusters with max_open_claims, so past their capacity claims are escalated —
# also one signed commit each, with the supervisor's notice.
pending_batch assign
ASSIGN_S="$SECONDS_TAKEN"
ASSIGN_COMMITS="$COMMITS_MADE"
ASSIGNED="$(grep -c ',assigned,' ../assign.csv || true)"
ESCALATED="$(grep -c ',escalated,' ../assign.csv || true)"
NOTICES="$(find outbox -name '*.eml' | wc -l)"
cd "$WORK"

# --- 4. reads over a synthetic office ---------------------------------------------------
# `claims generate-office` (seeded): BENCH_READ_CLAIMS claims (default 50,000) over two years,
# every line and stage, 5,000 policies, 40 people with keys. Beside each read: the parse floor
# (target/release/examples/parse_floor: read and parse every claim file in parallel with the
# same YAML crate and record type, nothing else) and check-jsonschema (PyPI, in a virtual
# environment make bench keeps under .bench/) validating the same claim files against the
# schema `claims schema` exports. Wall time and peak memory of each.
READ_N="${BENCH_READ_CLAIMS:-50000}"
POLICIES_N="${BENCH_POLICIES:-5000}"
FLOOR_BIN="${PARSE_FLOOR_BIN:-$ROOT/target/release/examples/parse_floor}"
[[ -x "$FLOOR_BIN" ]] || die "no parse floor at $FLOOR_BIN (make bench builds it)"
CHECK_JSONSCHEMA="${CHECK_JSONSCHEMA:-$ROOT/.bench/venv/bin/check-jsonschema}"
[[ -x "$CHECK_JSONSCHEMA" ]] || die "no check-jsonschema at $CHECK_JSONSCHEMA (make bench installs it)"
T0="$(now)"
claims generate-office third --seed 2026 --claims "$READ_N" --policies "$POLICIES_N" --people 40 \
    > gen.log 2>&1 || { cat gen.log >&2; die "claims generate-office"; }
GEN_S="$(elapsed "$T0" "$(now)")"
READ_FILES="$(find third/claims -name '*.yaml' | wc -l)"
# time_and_peak CMD... : prints "SECONDS PEAK_KB EXIT" (GNU time), output of CMD discarded.
time_and_peak() {
    local t0 t1 kb code=0
    t0="$(now)"
    if [[ -x /usr/bin/time ]]; then
        kb="$( { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -1)"
    else
        "$@" > /dev/null 2>&1 || code=$?
        kb="-"
    fi
    t1="$(now)"
    echo "$(elapsed "$t0" "$t1") $kb $code"
}
cd third
read -r FLOOR_S FLOOR_KB _ < <(time_and_peak "$FLOOR_BIN" .)
# Each read three ways (issue 22): without the read cache (CLAIMS_READ_CACHE=off: every file
# parsed, as before the cache), cold (the cache just deleted: every file parsed and its record
# kept under .git/claims/read-cache) and warm (run again, nothing changed).
off() { CLAIMS_READ_CACHE=off time_and_peak "$@"; }
cold() { rm -rf .git/claims/read-cache; time_and_peak "$@"; }
read -r SLA_S SLA_KB _ < <(off claims sla-report --all --as-of 2026-11-20 --format csv)
read -r SLA_COLD_S _ _ < <(cold claims sla-report --all --as-of 2026-11-20 --format csv)
read -r SLA_WARM_S SLA_WARM_KB _ < <(time_and_peak claims sla-report --all --as-of 2026-11-20 --format csv)
read -r CHECKR_S CHECKR_KB _ < <(off claims check)
read -r CHECK_COLD_S _ _ < <(cold claims check)
read -r CHECK_WARM_S _ _ < <(time_and_peak claims check)
read -r LIST_S _ _ < <(off claims list --format csv)
read -r LIST_COLD_S _ _ < <(cold claims list --format csv)
read -r LIST_WARM_S _ _ < <(time_and_peak claims list --format csv)
claims check > ../check.out 2>&1 || { tail -5 ../check.out >&2; die "claims check found problems in the generated office"; }
# Each record-based report of `claims report` (issue 21), CSV, beside the parse floor: without
# the cache, and warm.
REPORT_KINDS=(inventory lags closing reserves activity triangles)
declare -A REPORT_S REPORT_KB REPORT_WARM_S
for kind in "${REPORT_KINDS[@]}"; do
    read -r s kb code < <(off claims report "$kind" --as-of 2026-11-20 --format csv)
    (( code == 0 )) || die "claims report $kind exited $code"
    REPORT_S[$kind]="$s"
    REPORT_KB[$kind]="$kb"
    read -r s _ _ < <(time_and_peak claims report "$kind" --as-of 2026-11-20 --format csv)
    REPORT_WARM_S[$kind]="$s"
done
# The analyst's alternative: PyYAML's C loader on every CPU, counting open claims by line and
# status (scripts/pyyaml_peer.py).
PEER_PYTHON="${PEER_PYTHON:-$ROOT/.bench/venv/bin/python}"
read -r PEER_S _ PEER_CODE < <(time_and_peak "$PEER_PYTHON" "$ROOT/scripts/pyyaml_peer.py" .)
(( PEER_CODE == 0 )) || die "the PyYAML peer failed (is PyYAML in $PEER_PYTHON?)"
# check-jsonschema over the same claim files, in chunks (one command line cannot hold 50,000
# paths) run on every CPU, as claims check uses every CPU.
claims schema claim > ../claim.schema.json
T0="$(now)"
find claims -name '*.yaml' -print0 |
    xargs -0 -n 2000 -P "$(nproc)" "$CHECK_JSONSCHEMA" --schemafile ../claim.schema.json > ../cjs.out 2>&1 ||
    { tail -5 ../cjs.out >&2; die "check-jsonschema rejected generated claim files"; }
CJS_S="$(elapsed "$T0" "$(now)")"
# claims show on 200 claims spread over the office, one process each: the slowest and the median.
find claims -name '*.yaml' | sort | awk 'NR % int('"$READ_FILES"' / 200 + 1) == 0' | head -200 |
    xargs -n1 basename | sed 's/\.yaml$//' > ../show.ids
SHOW_TIMES=()
while read -r id; do
    t0="$(now)"
    claims show "$id" > /dev/null
    SHOW_TIMES+=("$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", (b - a) * 1000 }')")
done < ../show.ids
SHOW_N="${#SHOW_TIMES[@]}"
SHOW_MEDIAN="$(printf '%s\n' "${SHOW_TIMES[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
SHOW_MAX="$(printf '%s\n' "${SHOW_TIMES[@]}" | sort -n | tail -1)"
cd "$WORK"

# --- the table ------------------------------------------------------------------------------
INTAKE_RATE="$(rate "$ROWS" "$INTAKE_S")"
LOOP_RATE="$(rate "$ROWS" "$LOOP_S")"
RATIO="$(awk -v a="$INTAKE_RATE" -v b="$LOOP_RATE" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
if awk -v r="$INTAKE_RATE" -v t="$TARGET_RATE" 'BEGIN { exit !(r >= t) }'; then RATE_OK=MET; else RATE_OK="NOT MET"; fi
if awk -v r="$RATIO" -v t="$TARGET_RATIO" 'BEGIN { exit !(r >= t) }'; then RATIO_OK=MET; else RATIO_OK="NOT MET"; fi

echo
echo "claims bench — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cpu(s), $ROWS rows, $CLAIM_FILES claim files after intake"
echo
fmt='%-40s %-16s %-16s %-8s %s\n'
printf "$fmt" measure value baseline ratio target
printf "$fmt" "----------------------------------------" "----------------" "----------------" "--------" "------------------------------"
printf "$fmt" "intake --csv, signed commits/s" "$INTAKE_RATE/s" "$LOOP_RATE/s" "${RATIO}x" "≥ ${TARGET_RATE}/s: $RATE_OK"
printf "$fmt" "  vs git add + git commit -S loop" "${RATIO}x" "1x" "${RATIO}x" "≥ ${TARGET_RATIO}x: $RATIO_OK"
printf "$fmt" "intake --csv, wall time" "${INTAKE_S} s" "${LOOP_S} s" "" ""
TRIAGE_RATE="$(rate "$TRIAGE_COMMITS" "$TRIAGE_S")"
TRIAGE_CLAIMS_RATE="$(rate "$TRIAGED" "$TRIAGE_S")"
TRIAGE_RATIO="$(awk -v a="$TRIAGE_RATE" -v b="$LOOP_RATE" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
if awk -v r="$TRIAGE_RATE" -v t="$TARGET_RATE" 'BEGIN { exit !(r >= t) }'; then T_RATE_OK=MET; else T_RATE_OK="NOT MET"; fi
if awk -v r="$TRIAGE_RATIO" -v t="$TARGET_RATIO" 'BEGIN { exit !(r >= t) }'; then T_RATIO_OK=MET; else T_RATIO_OK="NOT MET"; fi
printf "$fmt" "triage --pending, signed commits/s" "$TRIAGE_RATE/s" "$LOOP_RATE/s" "${TRIAGE_RATIO}x" "≥ ${TARGET_RATE}/s: $T_RATE_OK"
printf "$fmt" "  vs git add + git commit -S loop" "${TRIAGE_RATIO}x" "1x" "${TRIAGE_RATIO}x" "≥ ${TARGET_RATIO}x: $T_RATIO_OK"
printf "$fmt" "triage --pending, claims/s" "$TRIAGE_CLAIMS_RATE/s" "" "" "($TRIAGED claims, $TRIAGE_COMMITS commits, $MERGED merged)"
printf "$fmt" "triage --pending, wall time" "${TRIAGE_S} s" "" "" ""
ASSIGN_RATE="$(rate "$ASSIGN_COMMITS" "$ASSIGN_S")"
ASSIGN_RATIO="$(awk -v a="$ASSIGN_RATE" -v b="$LOOP_RATE" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
printf "$fmt" "assign --pending, signed commits/s" "$ASSIGN_RATE/s" "$LOOP_RATE/s" "${ASSIGN_RATIO}x" "($ASSIGNED assigned, $ESCALATED escalated, $NOTICES .eml)"
printf "$fmt" "assign --pending, wall time" "${ASSIGN_S} s" "" "" ""
SLA_RATIO="$(awk -v a="$SLA_S" -v b="$FLOOR_S" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
if awk -v r="$SLA_RATIO" 'BEGIN { exit !(r <= 1.5) }'; then SLA_OK=MET; else SLA_OK="NOT MET"; fi
if [[ "$SLA_KB" =~ ^[0-9]+$ ]] && (( SLA_KB < 300 * 1024 )); then SLA_MEM_OK=MET; else SLA_MEM_OK="NOT MET"; fi
CHECKR_RATIO="$(awk -v a="$CHECKR_S" -v b="$FLOOR_S" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
if awk -v r="$CHECKR_RATIO" 'BEGIN { exit !(r <= 1.5) }'; then CHECKR_OK=MET; else CHECKR_OK="NOT MET"; fi
if [[ "$CHECKR_KB" =~ ^[0-9]+$ ]] && (( CHECKR_KB < 300 * 1024 )); then CHECKR_MEM_OK=MET; else CHECKR_MEM_OK="NOT MET"; fi
printf "$fmt" "sla-report --all --format csv" "${SLA_S} s" "${FLOOR_S} s" "${SLA_RATIO}x" "≤ 1.5x the parse floor: $SLA_OK"
printf "$fmt" "  peak memory" "$((SLA_KB / 1024)) MB" "$((FLOOR_KB / 1024)) MB" "" "< 300 MB: $SLA_MEM_OK"
printf "$fmt" "claims check" "${CHECKR_S} s" "${FLOOR_S} s" "${CHECKR_RATIO}x" "≤ 1.5x the parse floor: $CHECKR_OK"
printf "$fmt" "  peak memory" "$((CHECKR_KB / 1024)) MB" "" "" "< 300 MB: $CHECKR_MEM_OK"
for kind in "${REPORT_KINDS[@]}"; do
    r="$(awk -v a="${REPORT_S[$kind]}" -v b="$FLOOR_S" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
    if awk -v r="$r" 'BEGIN { exit !(r <= 1.5) }'; then ok=MET; else ok="NOT MET"; fi
    kb="${REPORT_KB[$kind]}"
    [[ "$kb" =~ ^[0-9]+$ ]] && mb="$((kb / 1024)) MB" || mb="-"
    printf "$fmt" "report $kind --format csv" "${REPORT_S[$kind]} s" "${FLOOR_S} s" "${r}x" "≤ 1.5x the parse floor: $ok ($mb)"
done
# ratio A B: A / B to two places.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# verdict R OP T: MET when R OP T holds.
verdict() { if awk -v r="$1" -v t="$3" "BEGIN { exit !(r $2 t) }"; then echo MET; else echo "NOT MET"; fi; }
echo
echo "reads with the read cache (.git/claims/read-cache): warm beside without, cold beside the floor"
for pair in "sla-report:$SLA_S:$SLA_COLD_S:$SLA_WARM_S" "check:$CHECKR_S:$CHECK_COLD_S:$CHECK_WARM_S" "list:$LIST_S:$LIST_COLD_S:$LIST_WARM_S"; do
    IFS=: read -r name without cold_s warm <<< "$pair"
    r="$(ratio "$without" "$warm")"
    printf "$fmt" "$name, warm" "${warm} s" "${without} s" "${r}x" "≥ 20x faster than without: $(verdict "$r" '>=' 20)"
    r="$(ratio "$cold_s" "$FLOOR_S")"
    printf "$fmt" "$name, cold" "${cold_s} s" "${FLOOR_S} s" "${r}x" "≤ 1.1x the parse floor: $(verdict "$r" '<=' 1.1)"
done
for kind in "${REPORT_KINDS[@]}"; do
    r="$(ratio "${REPORT_S[$kind]}" "${REPORT_WARM_S[$kind]}")"
    printf "$fmt" "report $kind, warm" "${REPORT_WARM_S[$kind]} s" "${REPORT_S[$kind]} s" "${r}x" "≥ 20x faster than without: $(verdict "$r" '>=' 20)"
done
r="$(ratio "$PEER_S" "${REPORT_WARM_S[inventory]}")"
printf "$fmt" "  report inventory vs PyYAML peer" "${REPORT_WARM_S[inventory]} s" "${PEER_S} s" "${r}x" "≥ 100x faster: $(verdict "$r" '>=' 100)"
r="$(ratio "$PEER_S" "$SLA_WARM_S")"
printf "$fmt" "  sla-report vs PyYAML peer" "${SLA_WARM_S} s" "${PEER_S} s" "${r}x" "≥ 100x faster: $(verdict "$r" '>=' 100)"
r="$(ratio "$CJS_S" "$CHECK_WARM_S")"
printf "$fmt" "  check (warm) vs check-jsonschema" "${CHECK_WARM_S} s" "${CJS_S} s" "${r}x" "≥ 100x faster: $(verdict "$r" '>=' 100)"
printf "$fmt" "  sla-report warm, peak memory" "$((SLA_WARM_KB / 1024)) MB" "" "" ""
echo
CJS_RATIO="$(awk -v a="$CJS_S" -v b="$CHECKR_S" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
if awk -v r="$CJS_RATIO" 'BEGIN { exit !(r >= 10) }'; then CJS_OK=MET; else CJS_OK="NOT MET"; fi
printf "$fmt" "  vs check-jsonschema (same claims)" "${CHECKR_S} s" "${CJS_S} s" "${CJS_RATIO}x" "≥ 10x faster: $CJS_OK"
if awk -v m="$SHOW_MAX" 'BEGIN { exit !(m < 20) }'; then SHOW_OK=MET; else SHOW_OK="NOT MET"; fi
printf "$fmt" "claims show ID (slowest of $SHOW_N)" "${SHOW_MAX} ms" "" "" "< 20 ms: $SHOW_OK"
printf "$fmt" "  median" "${SHOW_MEDIAN} ms" "" "" ""
printf "$fmt" "  (claim files read)" "$READ_FILES" "" "" "generated in ${GEN_S} s"
# Peak memory of each batch (issue 22: at most 200 MB for a batch of 10,000), and of the dry
# run beside the CSV's size (issue 18: about 5x the input, above the process's own floor).
CSV_KB=$(( $(wc -c < "$WORK/rows.csv") / 1024 ))
for b in intake triage assign; do
    kb="$(peak_of "$b")"
    if [[ "$kb" =~ ^[0-9]+$ ]]; then
        mb="$((kb / 1024)) MB"
        if (( ROWS < 10000 )); then ok="(at 10,000 rows: ≤ 200 MB)"
        elif (( kb <= 200 * 1024 )); then ok="≤ 200 MB: MET"; else ok="≤ 200 MB: NOT MET"; fi
    else mb="-"; ok=""; fi
    printf "$fmt" "$b, peak memory ($ROWS rows)" "$mb" "" "" "$ok"
done
DRY_KB="$(peak_of dry-run)"
FLOOR_RUN_KB="$(peak_of dry-run-floor)"
if [[ "$DRY_KB" =~ ^[0-9]+$ && "$FLOOR_RUN_KB" =~ ^[0-9]+$ ]]; then
    DRY_RATIO="$(awk -v a="$DRY_KB" -v f="$FLOOR_RUN_KB" -v i="$CSV_KB" 'BEGIN { printf "%.1f", (i > 0 ? (a - f) / i : 0) }')"
    if awk -v r="$DRY_RATIO" 'BEGIN { exit !(r <= 5) }'; then DRY_OK=MET; else DRY_OK="NOT MET"; fi
    printf "$fmt" "--dry-run intake --csv, peak memory" "$((DRY_KB / 1024)) MB" "$((CSV_KB / 1024)) MB csv" "${DRY_RATIO}x" "≤ 5x the CSV above one row's $((FLOOR_RUN_KB / 1024)) MB: $DRY_OK"
fi
printf "$fmt" "claims check (after intake)" "${CHECK_S} s" "-" "-" "-"
printf "$fmt" "claims list --format csv" "${LIST_S} s" "-" "-" "-"
echo
echo "verified: HEAD moved by $ROWS commits; git verify-commit HEAD passes (both offices, after triage and after assign)."
(( TRIAGE_REFUSED == 0 )) || echo "triage left $TRIAGE_REFUSED claim(s) untriaged (see the messages above the table)."
echo "intake printed $WARNINGS warning line(s) (possible duplicates: the sample office has few policies)."
