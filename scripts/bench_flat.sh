#!/usr/bin/env bash
# Flatness benchmark (issue 22): does a signed commit cost the same whether the month holds
# 1,000 claims or 50,000? For each size N (BENCH_FLAT_SIZES, default "1000 10000"; add 50000
# for a catastrophe month, about 10 minutes more per layout) and each claim-folder layout
# (BENCH_FLAT_LAYOUTS, default "month shard"):
#
#   - a fresh office: by default `claims generate-office` with 5,000 policies and 40 people
#     and no claims but the sample's (BENCH_FLAT_OFFICE=example: `claims init --example`, its
#     ten policies, which make most of a large batch possible duplicates of each other); for
#     shard, `claims migrate --to shard` first; one row taken in with --dry-run, untimed, so
#     the policies are parsed once into the read cache, as any earlier command leaves them;
#   - N first notices of November 2026 for the office's policies (scripts/gen_intake_csv.py N
#     --policies), `claims intake --csv`: one signed commit per claim, all in one month;
#   - `claims triage --pending` by a supervisor over them (duplicates merge: two commits).
#
# Prints signed commits/s of each, the ratio to the same layout's rate at the smallest size
# (target ≥ 0.8x: flat) and the absolute targets (intake ≥ 3,000/s, triage ≥ 2,000/s), and
# peak memory. Builds nothing: `make bench` builds first. Hermetic (scripts/hermetic.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/hermetic.sh
source "$ROOT/scripts/hermetic.sh"
BIN="$(claims_bin bench "$ROOT")"
read -r -a SIZES <<< "${BENCH_FLAT_SIZES:-1000 10000}"
read -r -a LAYOUTS <<< "${BENCH_FLAT_LAYOUTS:-month shard}"
OFFICE="${BENCH_FLAT_OFFICE:-generated}"
[[ "$OFFICE" == generated || "$OFFICE" == example ]] ||
    { echo "bench-flat: BENCH_FLAT_OFFICE is '$OFFICE', not generated or example" >&2; exit 2; }
for n in "${SIZES[@]}"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "bench-flat: BENCH_FLAT_SIZES holds '$n', not a positive integer" >&2; exit 2; }
done
for l in "${LAYOUTS[@]}"; do
    [[ "$l" == month || "$l" == shard ]] || { echo "bench-flat: BENCH_FLAT_LAYOUTS holds '$l', not month or shard" >&2; exit 2; }
done
INTAKE_TARGET=3000
TRIAGE_TARGET=2000
FLAT_TARGET=0.8

hermetic bench-flat "$BIN"
die() {
    echo "bench-flat: FAILED: $*" >&2
    exit 1
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
mb() { local kb; kb="$(tail -1 "$1")"; [[ "$kb" =~ ^[0-9]+$ ]] && echo "$((kb / 1024)) MB" || echo -; }
verdict() { if awk -v r="$1" -v t="$3" "BEGIN { exit !(r $2 t) }"; then echo MET; else echo "NOT MET"; fi; }

echo "bench-flat: sizes ${SIZES[*]}, layouts ${LAYOUTS[*]}, $OFFICE office, claims at $BIN, work folder $WORK"
declare -A RESULT
for layout in "${LAYOUTS[@]}"; do
    for n in "${SIZES[@]}"; do
        dir="$WORK/$layout-$n"
        mkdir -p "$dir" && cd "$dir"
        if [[ "$OFFICE" == generated ]]; then
            claims generate-office office --seed 2026 --claims 1 --policies 5000 --people 40 > init.log 2>&1 ||
                { cat init.log >&2; die "claims generate-office ($layout, $n)"; }
            python3 "$ROOT/scripts/gen_intake_csv.py" "$n" --policies office/policies > rows.csv
            python3 "$ROOT/scripts/gen_intake_csv.py" 1 --seed 1 --policies office/policies > warm.csv
        else
            claims init office --example > init.log 2>&1 || { cat init.log >&2; die "claims init ($layout, $n)"; }
            python3 "$ROOT/scripts/gen_intake_csv.py" "$n" > rows.csv
            python3 "$ROOT/scripts/gen_intake_csv.py" 1 --seed 1 > warm.csv
        fi
        cd office
        CSR="$(person_with_role csr)"
        SUPERVISOR="$(person_with_role supervisor)"
        MANAGER="$(person_with_role manager)"
        if [[ "$layout" == shard ]]; then
            claims --as "$MANAGER" --quiet migrate --to shard > ../migrate.log 2>&1 ||
                { cat ../migrate.log >&2; die "claims migrate --to shard"; }
        fi
        claims --as "$CSR" --quiet --dry-run intake --csv ../warm.csv > /dev/null 2>&1 ||
            die "claims --dry-run intake of one row ($layout, $n)"
        before="$(git rev-list --count HEAD)"
        t0="$(now)"
        peak ../intake.peak claims --as "$CSR" --quiet intake --csv ../rows.csv > ../intake.out 2> ../intake.err ||
            { tail -20 ../intake.err >&2; die "claims intake --csv ($layout, $n)"; }
        intake_s="$(elapsed "$t0" "$(now)")"
        intake_commits=$(( $(git rev-list --count HEAD) - before ))
        (( intake_commits == n )) || die "intake made $intake_commits commits, expected $n ($layout)"
        git verify-commit HEAD > /dev/null 2>&1 || die "git verify-commit HEAD failed after intake ($layout, $n)"
        before="$(git rev-list --count HEAD)"
        t0="$(now)"
        code=0
        peak ../triage.peak claims --as "$SUPERVISOR" --quiet --format csv triage --pending > ../triage.csv 2> ../triage.err ||
            code=$?
        triage_s="$(elapsed "$t0" "$(now)")"
        (( code <= 1 )) || { tail -20 ../triage.err >&2; die "claims triage --pending exited $code ($layout, $n)"; }
        triage_commits=$(( $(git rev-list --count HEAD) - before ))
        git verify-commit HEAD > /dev/null 2>&1 || die "git verify-commit HEAD failed after triage ($layout, $n)"
        (( triage_commits >= n )) || die "triage made $triage_commits commits for $n claims ($layout)"
        RESULT[$layout,$n]="$(rate "$intake_commits" "$intake_s") $intake_s $(mb ../intake.peak | tr ' ' _) $(rate "$triage_commits" "$triage_s") $triage_s $(mb ../triage.peak | tr ' ' _)"
        echo "bench-flat: $layout, $n claims: intake ${intake_s} s, triage ${triage_s} s ($triage_commits commits)"
        # Kept until the end: removing thousands of files just before the next run makes
        # the file system's inode allocation slower for it (see BENCHMARKS.md).
        cd "$WORK"
    done
done

echo
echo "claims bench-flat — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cpu(s), one month of N first notices, $OFFICE office"
echo
fmt="%-34s %-12s %-10s %-9s %s\n"
printf "$fmt" measure "commits/s" "vs first" peak target
printf "$fmt" "----------------------------------" "------------" "----------" "---------" "--------------------------------------"
for layout in "${LAYOUTS[@]}"; do
    read -r base_i _ _ base_t _ _ <<< "${RESULT[$layout,${SIZES[0]}]}"
    for n in "${SIZES[@]}"; do
        read -r ir is im tr ts tm <<< "${RESULT[$layout,$n]}"
        ri="$(awk -v a="$ir" -v b="$base_i" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
        rt="$(awk -v a="$tr" -v b="$base_t" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
        flat_i="" flat_t=""
        if [[ "$n" != "${SIZES[0]}" ]]; then
            flat_i="≥ ${FLAT_TARGET}x: $(verdict "$ri" '>=' "$FLAT_TARGET"); "
            flat_t="≥ ${FLAT_TARGET}x: $(verdict "$rt" '>=' "$FLAT_TARGET"); "
        fi
        printf "$fmt" "intake, $layout, $n ($is s)" "$ir/s" "${ri}x" "${im//_/ }" \
            "${flat_i}≥ $INTAKE_TARGET/s: $(verdict "$ir" '>=' "$INTAKE_TARGET")"
        printf "$fmt" "triage, $layout, $n ($ts s)" "$tr/s" "${rt}x" "${tm//_/ }" \
            "${flat_t}≥ $TRIAGE_TARGET/s: $(verdict "$tr" '>=' "$TRIAGE_TARGET")"
    done
done
