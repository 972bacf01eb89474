# claims — build, test and demo.
#
#   make build   release binary at target/release/claims
#   make test    the whole suite: formatting, clippy (warnings are errors), cargo test (first
#                installing chromium and a Python venv with pandas and chainladder where missing)
#   make demo    build, then walk through the workflow in a throw-away office
#   make bench   build, then benchmarks (intake, triage and assign of BENCH_ROWS=N rows, default
#                2000; reads over a generated office of BENCH_READ_CLAIMS=N claims, default 50000;
#                installs check-jsonschema into .bench/venv the first time); then the audit of
#                a 100,000-commit history and the history-based reports over it
#                (BENCH_AUDIT_MONTHS, BENCH_AUDIT_ROWS); then the flatness runs: intake and
#                triage of 1,000 and 10,000 claims in one month, by month and by shard
#                (BENCH_FLAT_SIZES="1000 10000 50000" for a catastrophe month)
#   make fuzz    each fuzz target (claim YAML, CSV, email, web payload) for FUZZ_SECONDS
#                (default 60; FUZZ_TARGET=csv for one); what fails goes into tests/data/fuzz/
#   make install the binary into $(PREFIX)/bin, a manual page per command into
#                $(PREFIX)/share/man/man1, and bash, zsh and fish completions where those shells
#                look under $(PREFIX)/share (PREFIX defaults to /usr/local; DESTDIR is honored)
#   make clean   remove build output
#
# Needs only the Rust toolchain (with rustfmt and clippy), git, ssh-keygen and gpg.

CARGO ?= cargo
CLAIMS_BIN ?= target/release/claims

.DEFAULT_GOAL := build
.PHONY: build test test-tools fmt-check clippy unit demo bench bench-audit bench-flat fuzz install clean

build:
	$(CARGO) build --release

test: fmt-check clippy test-tools unit

# What the report tests check their figures with, installed where missing: Debian's chromium
# (renders the dashboard) and a virtual environment with PyYAML, pandas and chainladder (a
# second computation of the reports, and the loss triangle loaded as actuaries load it). A
# test whose tool could not be installed says SKIPPED and why.
TEST_VENV := .test-tools/venv
test-tools:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "test-tools: installing chromium (Debian's package)"; \
	    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium || \
	      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }; } >/dev/null 2>&1 || \
	    echo "test-tools: chromium could not be installed; the dashboard test will say SKIPPED"; \
	  else echo "test-tools: no chromium and no root to install it; the dashboard test will say SKIPPED"; fi
	@$(TEST_VENV)/bin/python -c "import yaml, pandas, chainladder" 2>/dev/null || { \
	  echo "test-tools: making $(TEST_VENV) (PyYAML, pandas, chainladder)"; \
	  python3 -m venv $(TEST_VENV) && $(TEST_VENV)/bin/pip install --quiet pyyaml pandas chainladder || \
	  echo "test-tools: the Python tools could not be installed; their tests will say SKIPPED"; }

fmt-check:
	$(CARGO) fmt --check

clippy:
	$(CARGO) clippy --all-targets -- -D warnings

unit:
	$(CARGO) test

demo: build
	CLAIMS_BIN="$(abspath $(CLAIMS_BIN))" bash scripts/demo.sh

# BENCH_ROWS=10000 make bench for the issue's target size (default 2000 rows).
BENCH_VENV := .bench/venv

bench: build $(BENCH_VENV)/bin/check-jsonschema
	$(CARGO) build --release --example parse_floor
	CLAIMS_BIN="$(abspath $(CLAIMS_BIN))" CHECK_JSONSCHEMA="$(abspath $(BENCH_VENV))/bin/check-jsonschema" bash scripts/bench.sh
	CLAIMS_BIN="$(abspath $(CLAIMS_BIN))" bash scripts/bench_audit.sh
	CLAIMS_BIN="$(abspath $(CLAIMS_BIN))" bash scripts/bench_flat.sh

# The flatness runs alone (about 3 minutes; BENCH_FLAT_SIZES, BENCH_FLAT_LAYOUTS, BENCH_FLAT_OFFICE).
bench-flat: build
	CLAIMS_BIN="$(abspath $(CLAIMS_BIN))" bash scripts/bench_flat.sh

# The audit benchmark alone (about 5 minutes: the history is made first).
bench-audit: build
	CLAIMS_BIN="$(abspath $(CLAIMS_BIN))" bash scripts/bench_audit.sh

# Python tools for the benchmark, in a virtual environment of their own.
$(BENCH_VENV)/bin/check-jsonschema:
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet check-jsonschema pyyaml

# Fuzzing with proptest (tests/cli/fuzz.rs): a release build, FUZZ_SECONDS per target.
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGET=$(FUZZ_TARGET) $(CARGO) test --release --test cli fuzz::fuzz_for_a_while -- --ignored --nocapture

PREFIX ?= /usr/local
BINDIR := $(DESTDIR)$(PREFIX)/bin
MANDIR := $(DESTDIR)$(PREFIX)/share/man/man1
BASH_COMPLETIONS := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSH_COMPLETIONS := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISH_COMPLETIONS := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

# The manual pages and completions come from the binary itself (`claims man`, `claims
# completions`), so they always say what that binary accepts.
install: build
	install -d "$(BINDIR)" "$(MANDIR)" "$(BASH_COMPLETIONS)" "$(ZSH_COMPLETIONS)" "$(FISH_COMPLETIONS)"
	install -m 755 $(CLAIMS_BIN) "$(BINDIR)/claims"
	"$(BINDIR)/claims" --quiet man --out "$(MANDIR)"
	"$(BINDIR)/claims" completions bash > "$(BASH_COMPLETIONS)/claims"
	"$(BINDIR)/claims" completions zsh > "$(ZSH_COMPLETIONS)/_claims"
	"$(BINDIR)/claims" completions fish > "$(FISH_COMPLETIONS)/claims.fish"
	@echo "installed claims into $(BINDIR), its manual pages into $(MANDIR)"

clean:
	$(CARGO) clean
