#!/usr/bin/env bash
# A guided tour of `claims` in a throw-away office.
#
# Builds nothing: `make demo` builds first. Uses target/release/claims, or $CLAIMS_BIN.
# Everything happens in a temporary folder that is removed on exit, with HOME, the signing
# keys and git's configuration kept inside it, so your own git setup is never touched.
#
# Each section is one stage of the workflow; later stages (triage, assign, reserve, settle,
# deny, approve, audit, log) get their own sections as they land.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/hermetic.sh
source "$ROOT/scripts/hermetic.sh"
BIN="$(claims_bin demo "$ROOT")"

# --- a hermetic environment ---------------------------------------------------------------
hermetic demo "$BIN"
DEMO="$WORK"

# --- helpers ------------------------------------------------------------------------------
section() {
    printf '\n== %s ==\n\n' "$*"
}

# Shows a command line as a user would type it, then runs it (stdout and stderr both shown).
run() {
    printf '$ %s\n' "$1"
    eval "$1"
    echo
}


# The first claim id (first csv column) of `claims list --status S --format csv`.
first_claim() {
    claims list --quiet --status "$1" --format csv | awk -F, 'NR > 1 && $1 != "" { print $1; exit }'
}

# --- the tour -----------------------------------------------------------------------------
section "1. A new office"
run 'claims init office --example'
run 'cd office'
run 'ls'

section "2. First notice of loss: every channel becomes a claim"
# Sample notices, as a web form, a mobile app and a batch upload would send them.
mkdir -p ../fnol/inbox && cp "$ROOT"/tests/data/intake/{web-auto.json,photo-front.jpg,photo-side.jpg,batch-good.csv} ../fnol/
cp "$ROOT"/tests/data/email/{auto-plain.eml,property-html-qp.eml} ../fnol/inbox/
# A phone call, as a CSR's answers to the script (typed live with `--interactive` in a terminal).
cat > ../fnol/call.txt <<'ANSWERS'
Ann Smith
(312) 555-0134
insured
PAU-IL-2026-20931
IL
11/18/2026
5:30 pm
N Clark St & W Division St, Chicago, IL
Rear-ended at a red light
CPD-26-118877
1
2010
Toyota
Camry
4T1BB3EK5AU118081
Rear bumper and trunk crushed
n
n
y
1
Bob Jones
bob@example.com
Acme Mutual
AM-555
2015 Honda Civic
y
1
Ann Smith
312-555-0134
Whiplash, neck pain
n
n
yes
1
Carl Diaz
773 555 0199

y
ANSWERS
CSR="$(person_with_role csr)"
if [[ -z "$CSR" ]]; then
    echo "demo: authority.yaml lists no active csr" >&2
    exit 1
fi
run "claims --as $CSR intake --file ../fnol/web-auto.json --attach ../fnol/photo-front.jpg --attach ../fnol/photo-side.jpg"
run "claims --as $CSR intake --csv ../fnol/batch-good.csv"
run "claims --as $CSR intake --email ../fnol/inbox"
run "claims --as $CSR intake --interactive --lob personal_auto < ../fnol/call.txt 2>&1 | tail -25"
run "claims queue"
WAITING="$(claims queue --quiet --format csv | awk -F, 'NR > 1 && $4 == "property" { print $1; exit }')"
if [[ -n "$WAITING" ]]; then
    run "claims --as $CSR complete $WAITING --set property.emergency_repairs_needed=no --set property.public_adjuster=no --set property.mortgagee=none"
fi

section "3. Validate the records"
run 'claims check'

section "4. Read claims"
run 'claims list'
run 'claims list --status open --format csv | head -5'

ID="$(first_claim investigating)"
[[ -n "$ID" ]] || ID="$(first_claim open)"
if [[ -z "$ID" ]]; then
    echo "demo: the sample office has no open claim to work on" >&2
    exit 1
fi
run "claims show $ID"

section "5. Change a claim: one signed commit per change"
run 'git config user.email'
run "claims note $ID \"Called the insured; photos promised by Friday\""

run "claims --as $CSR update $ID --set insured.phone=\"+1 312 555 0199\" --reason \"Insured gave a new number on the call\""
run "claims --as $CSR update $ID --set insured.email=\"insured@example.com\" --reason \"Insured asked for letters by email\" --dry-run"

section "6. SLA clocks in business days"
run "claims sla-report --as-of 2026-11-20 | tail -22"
run "claims sla-report --as-of 2026-11-20 --format csv | head -4"
NEW="$(first_claim reported)"
run "claims --as $CSR acknowledge $NEW --how \"Letter emailed to the insured\""
run "claims sla-report --as-of 2026-11-20 --fail-on breach > /dev/null || echo \"exit \$? (a nightly CI job fails here)\""

section "7. Triage and assignment: routing, workload, notices, the investigation"
SUPERVISOR="$(person_with_role supervisor)"
STAFF="$(person_with_role staff_adjuster)"
SENIOR="$(person_with_role senior_adjuster)"
# Two reports of one fleet truck the same morning, the places worded differently: a
# possible duplicate, for a person to judge (a likely one would merge at triage).
for n in 1 2; do
    place="I-35 at exit 240, Austin, TX"; said="Rear-ended a van at the light"; at="08:00"
    if [[ $n == 2 ]]; then place="IH-35 northbound, Austin, TX"; said="Our F-150 hit a van from behind"; at="10:30"; fi
    cat > "../fnol/truck-$n.json" <<JSON
{ "lob": "commercial_auto", "policy_number": "CAU-TX-2026-50017", "received_at": "2026-11-19T$at:00-06:00",
  "reporter": { "name": "Dale Ortiz", "relationship": "fleet manager", "phone": "(817) 555-0104" },
  "loss": { "date": "2026-11-18", "time": "07:40", "location": "$place", "description": "$said", "cause": "collision" },
  "auto": { "vehicles": [ { "year": 2023, "make": "Ford", "model": "F-150", "vin": "1FTFW1SJ8PL000001", "damage": "front end" } ] } }
JSON
done
run "claims --as $CSR intake --file ../fnol/truck-1.json"
run "claims --as $CSR intake --file ../fnol/truck-2.json 2>&1"
run "claims --as $SUPERVISOR triage --pending"
run 'claims queue manual-lookup'
run 'claims --format csv queue duplicates'
TRUCK2="$(claims --quiet --format csv queue duplicates | awk -F, 'NR == 2 { print $1 }')"
TRUCK1="$(claims --quiet --format csv queue duplicates | awk 'NR == 2' | grep -oE 'possible duplicate of CLM-[0-9A-Z-]+' | head -1 | awk '{ print $4 }')"
run "claims --as $SUPERVISOR merge $TRUCK2 --into $TRUCK1 --note \"Same van, same stop: the dashcam shows one impact\""
run "claims show $TRUCK2 | grep -E '^(status|merged into)'"
run "claims --as $SUPERVISOR assign --pending"
run 'claims workload --by-specialty'
run 'ls outbox | head -6'
# A property claim routed in house: its file, its letters, its checklist.
ASSIGNED="$(grep -l '^  rule: property_other$' claims/*/*/*.yaml | xargs grep -l '^status: assigned$' | head -1 | xargs basename | sed 's/\.yaml$//')"
ADJUSTER="$(awk '/^  adjuster:/ { print $2; exit }' claims/*/*/"$ASSIGNED".yaml)"
run "sed -n '1,5p' outbox/$ASSIGNED-acknowledgment.eml"
run "sed -n '/^Dear/,/^How to send/p' claims/*/*/$ASSIGNED/letters/acknowledgment.txt"
run "claims task $ASSIGNED"
run "claims --as $ADJUSTER task $ASSIGNED \"insured contacted\" --done"
run "claims --as $ADJUSTER document $ASSIGNED photos --received --file ../fnol/photo-front.jpg"
run "claims document $ASSIGNED"
run 'claims overdue --as-of 2026-12-15 | head -8'

section "8. Coverage accepted, reserves within authority, a release, a regulated denial"
# The Texas commercial auto claim: accepting coverage starts Texas's five-business-day
# payment clock (Tex. Ins. Code §542.057(a)).
TX="$(claims list --quiet --format csv | awk -F, 'NR > 1 && $3 == "commercial_auto" && $4 == "TX" { print $1; exit }')"
run "claims --as $SENIOR accept $TX --at \"2026-11-20 09:30\""
run "claims sla-report --as-of 2026-11-20 --format csv | grep -E '^claim,|^$TX,.*,payment,' | cut -d, -f1,6-11"
AUTO="$(first_claim settlement_pending)"
run "claims --as $STAFF reserve $AUTO --amount 45000.00 --reason new_information --note \"Rental and storage invoices through 11/30\""
run 'claims queue approvals'
run "claims --as $SENIOR approve $AUTO --note \"Storage and rental invoices seen\""
run "claims --as $SENIOR approve $AUTO --note \"Repair estimate and rental within the policy\""
# The insured gives the first-party release (releasing the insurer); one of two named
# insureds alone is not the releasor.
run "claims --as $STAFF release $AUTO"
run "sed -n '4,8p' claims/*/*/$AUTO/letters/release_first_party.txt"
INSURED="$(awk '/^insured:/ { i = 1 } i && /^  name:/ { sub(/^  name: /, ""); print; exit }' claims/*/*/"$AUTO".yaml)"
SECOND="${INSURED##* and }"
run "claims --as $STAFF release $AUTO --signed-by \"$SECOND\" --on 2026-11-20 || echo \"exit \$?\""
run "claims --as $STAFF release $AUTO --signed-by \"$INSURED\" --on 2026-11-20"
DENIAL="$(first_claim denial_recommended)"
run "claims --as $SUPERVISOR deny approve $DENIAL"
run "claims deny letter $DENIAL --method certified-mail"
run "sed -n '16,24p' claims/*/*/$DENIAL/letters/denial.txt"
run "claims deny deliver $DENIAL --to insured --tracking 9407111899562481759999"
run "claims deny deliver $DENIAL --to agent --message-id \"<$DENIAL.denial@harborpoint.example>\""

section "9. Keeping everyone informed: status letters, the agent's desk, diaries"
# A status letter to the insured of the Texas truck claim (what happened, what comes next,
# the documents still needed), filed on the claim and queued as email.
run "claims --as $SENIOR status-update $TX --to insured --note \"The inspection is set for Monday.\""
run "sed -n '/^Status:/,/^Please contact/p' claims/*/*/$TX/letters/status_update.txt"
# The periodic status-letter clock (the office's 30 days; CA 10 CCR 2695.7(c)(1) in
# California): every claim it asks a letter for, written in one go.
run "claims sla-report --as-of 2026-11-20 --format json | python3 -c 'import json,sys; [print(r[\"claim\"], r[\"jurisdiction\"], r[\"due\"], r[\"status\"], r[\"rule\"]) for r in json.load(sys.stdin) if r[\"clock\"] == \"status_letter\" and r[\"status\"] == \"breached\"]'"
run "claims --as $SENIOR status-update --due --format csv"
# The agent's desk: their clients' claims, in the letters' words.
AGENT="$(awk '/^agent:/ { a = 1 } a && /^  name:/ { sub(/^  name: /, ""); print; exit }' claims/*/*/"$TX".yaml)"
run "claims agent-report \"$AGENT\" --format csv"
# Diaries: a follow-up that repeats, what is due, and the files nobody has a follow-up on.
run "claims --as $SENIOR diary add $TX --what \"Review the file\" --in 14 --every 14"
run "claims diary --as-of 2026-12-04"
run "claims diary --no-diary --format csv | head -4"
run "claims letter undelivered --format csv | head -4"

section "10. The history is the audit trail"
run "git log --format='%h %an %s%n%(trailers)' -3"
run 'git verify-commit HEAD 2>&1'
run "claims log $DENIAL"
run 'claims audit'
run 'claims spec authority | head -20'

section "11. Reports, quality control and the examiner's file"
# Every figure comes from the records and the history: open inventory by age, cycle times,
# each adjuster's months (touches are their commits), the NAIC-shaped annual activity, and the
# loss triangle a chainladder script loads.
run "claims report inventory --as-of 2026-11-20"
run "claims report lags --from 2026-11-01 --to 2026-11-30"
run "claims report productivity --from 2026-11-01 --to 2026-11-30"
run "claims report activity --year 2026 --format csv | head -4"
run "claims report triangles | head -4"
run "claims report errors --from 2026-11-01 --to 2026-11-30"
run "claims report dashboard --as-of 2026-11-20 --html ../dashboard.html && grep -c '<svg' ../dashboard.html"
# A reproducible QC sample: the same seed and filters draw the same claims on any desk. The
# lead reviews one (a signed commit; never the file's own handler), and the summary gives the
# error rate with its confidence interval.
QC_LEAD="$(person_with_role manager)"
run "claims sample --size 3 --seed 7 --status open"
SAMPLED="$(claims sample --quiet --size 3 --seed 7 --status open --format csv | awk -F, 'NR == 2 { print $1 }')"
run "claims --as $QC_LEAD review $SAMPLED --pass --note \"Coverage and contact documented\" --sample \"seed=7 size=3 status=open\""
run "claims review --summary"
# The examiner's claim file: the record, letters and attachments, a dated timeline and the
# signed history with each signature checked.
run "claims export $DENIAL --to ../examiner && ls ../examiner/$DENIAL"

section "12. Governing the office, and what the audit catches"
MANAGER="$(person_with_role manager)"
COMMITTEE="$(person_with_role committee)"
CSR="$(person_with_role csr)"
# The manager edits authority.yaml (a CSR licensed as an adjuster) and proposes it; a second
# manager approves it. Nobody changes their own entry.
awk -v who="$CSR" '$0 ~ "- email: " who { mine = 1 } mine && /role: csr/ { sub("role: csr", "role: staff_adjuster"); mine = 0 } { print }' \
    authority.yaml > ../authority.edited && cp ../authority.edited authority.yaml
run "claims authority propose --reason \"Licensed as an adjuster\""
run 'claims authority proposals'
PROPOSAL="$(claims authority proposals --format csv | awk -F, 'NR == 2 { print $1 }')"
run "claims authority approve $PROPOSAL || echo \"exit \$?\""
run "claims --as $COMMITTEE authority approve $PROPOSAL"
# A person replaces their own key; the old one is kept as retired, so earlier commits verify.
run "claims --as $CSR keys rotate --generate"
run "claims --as $CSR note $AUTO \"Signed with my new key\""
run 'git verify-commit HEAD 2>&1'
run 'claims audit'
# A forgery made with plain git and the adjuster's own valid key: the tool's last commit
# made again with the amount raised past what the adjuster may set. It verifies; it does not
# replay.
run "claims --as $STAFF reserve $AUTO --amount 46000.00 --reason new_information --note \"Storage invoices through 11/30\""
git log -1 --format=%B > ../message.txt
STAFF_NAME="$(git log -1 --format=%an)"
export GIT_AUTHOR_DATE="$CLAIMS_NOW" GIT_COMMITTER_DATE="$CLAIMS_NOW"
git reset -q --soft HEAD~1
sed -i 's/46000.00/96000.00/' claims/*/*/"$AUTO".yaml
git add -A
run "git -c user.name=\"$STAFF_NAME\" -c user.email=$STAFF -c user.signingkey=\"\$(git config claims.$STAFF.signingkey)\" commit -q -S -F ../message.txt"
run 'git verify-commit HEAD 2>&1'
run "claims audit || echo \"exit \$?\""

section "13. One office, many desks: two clones sync through a shared remote"
# The forgery above goes; the office is pushed to a bare repository (a server's, over ssh, in
# real life), and two people each clone it to their own desk.
run 'git reset -q --hard HEAD~1 && git clone -q --bare . ../office.git'
run "claims clone ../office.git ../desk-staff --email $STAFF"
run "claims -q clone ../office.git ../desk-supervisor --email $SUPERVISOR > /dev/null"
run 'cd ../desk-staff'
run "claims note $AUTO \"Body shop: parts on order\""
run 'claims sync'
run 'cd ../desk-supervisor'
# Offline meanwhile: the supervisor's note was made before the adjuster's reached the remote.
run "claims note $AUTO \"Storage charges to be watched\""
run 'claims sync'
run "git log --format='%h %an: %s' -3"
run 'git verify-commit HEAD 2>&1'
run 'cd ../desk-staff && claims sync && claims audit'

section "14. A busy office files its claims by shard"
# A month folder holding thousands of claims makes every commit cost more (BENCHMARKS.md); a
# manager refiles the office in one signed commit, and the audit replays it.
run "claims -q clone ../office.git ../desk-manager --email $QC_LEAD > /dev/null && cd ../desk-manager"
run 'claims --dry-run migrate --to shard'
run 'claims migrate --to shard && claims sync'
run "git show --stat --format='%h %an: %s' HEAD | tail -3"
run "git ls-files \"claims/*/$AUTO.yaml\""
run 'claims check && claims audit'

section "15. Finding codes"
run 'claims explain N001'

echo "demo: done (the office in $DEMO is removed now)"
