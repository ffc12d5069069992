#!/usr/bin/env bash
# The project's test command: installs what is missing, then runs every check
# (format, clippy with -D warnings, docs without broken links, all tests, the
# committed RTL up to date and lint-clean). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

echo "== cargo doc (broken links are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --workspace -q

echo "== cargo test"
cargo test --workspace --release 2>&1 | tee target/test.log
grep -E "^test result:" target/test.log | awk '{p+=$4; f+=$6; i+=$8} END {print "workspace:", p, "passed,", f, "failed"}'

# The committed RTL (rtl/) must be what the generator writes now, and lint-clean.
echo "== lauberhorn diff --check (rtl/ up to date)"
cargo build --release -q -p generators --bin lauberhorn
target/release/lauberhorn diff --check
echo "== lauberhorn lint rtl"
target/release/lauberhorn lint rtl
