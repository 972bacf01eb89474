# Sourced by demo.sh, bench.sh and bench_audit.sh: a throw-away folder holding HOME, the
# signing keys and git's configuration, so the user's own git setup is never read or touched;
# removed on exit. And the small helpers the three scripts share.
#
#   claims_bin NAME ROOT   → prints the absolute path of $CLAIMS_BIN or ROOT/target/release/claims
#   hermetic NAME BIN      → sets WORK, puts BIN on PATH as `claims`, cd "$WORK"
#   person_with_role ROLE  → the email of the first active person with ROLE in ./authority.yaml
#   now, elapsed A B       → a timestamp; seconds from A to B
#   peak FILE CMD...       → runs CMD, its peak memory (GNU time, KB) into FILE ("-" without it)
claims_bin() {
    local name="$1" root="$2"
    local bin="${CLAIMS_BIN:-$root/target/release/claims}"
    if [[ ! -x "$bin" ]]; then
        echo "$name: no claims binary at $bin (run \`make $name\`, or set CLAIMS_BIN)" >&2
        exit 3
    fi
    echo "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
}

hermetic() {
    local name="$1" bin="$2"
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/claims-$name.XXXXXX")"
    # shellcheck disable=SC2064  # expand WORK now: the trap must remove this very folder
    # (A second try: a `git gc --auto` a batch left running in the background may still be
    # writing into an office for a moment.)
    trap "rm -rf '$WORK' 2>/dev/null || { sleep 3; rm -rf '$WORK'; }" EXIT
    mkdir -p "$WORK/home" "$WORK/bin"
    ln -s "$bin" "$WORK/bin/claims"
    export PATH="$WORK/bin:$PATH"
    export HOME="$WORK/home"
    export CLAIMS_KEY_DIR="$WORK/keys"
    export GIT_CONFIG_GLOBAL=/dev/null
    export GIT_CONFIG_NOSYSTEM=1
    # A fixed clock, so records and commits carry the same times on every run.
    export CLAIMS_NOW="${CLAIMS_NOW:-2026-11-20T10:00:00-06:00}"
    unset CLAIMS_REPO CLAIMS_AS XDG_CONFIG_HOME GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
    export GIT_PAGER=cat PAGER=cat
    cd "$WORK"
}

# The email of the first active person with this role in authority.yaml.
person_with_role() {
    awk -v want="$1" '
        function flush() { if (email != "" && role == want && active != "false") { print email; found = 1; exit } }
        /^[[:space:]]*- email:/ { flush(); email = $3; role = ""; active = "" }
        /^[[:space:]]+role:/    { role = $2 }
        /^[[:space:]]+active:/  { active = $2 }
        END { if (!found) flush() }
    ' authority.yaml | tr -d "\"'"
}

# Seconds since the epoch, with microseconds (bash 5), and the seconds between two of them.
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# peak FILE CMD...: runs CMD, keeping its peak memory (GNU time's maximum resident set, in KB)
# in FILE ("-" where GNU time is missing); the exit code is CMD's.
peak() {
    local file="$1"
    shift
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f '%M' -o "$file" "$@"
    else
        echo - > "$file"
        "$@"
    fi
}
