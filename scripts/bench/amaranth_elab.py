#!/usr/bin/env python3
"""Amaranth counterpart of `hdl/benches/elaborate.rs`.

Builds the same design as the Rust benchmark -- `modules` unique pipeline
stages of `depth` add/xor/shift/mux/register steps each, every stage with a
shared `mixer` child, chained in a top module -- converts it to Verilog with
`amaranth.back.verilog.convert` and reports the wall time and the peak RSS of
this process (resource.getrusage), as one line:

    RESULT <seconds> <peak_rss_kib> <verilog_bytes>

Run by `cargo bench -p hdl --bench elaborate`; exits with status 3 and a message
when Amaranth is not installed.
"""
import argparse
import resource
import sys
import time

try:
    from amaranth.hdl import Elaboratable, Module, Mux, Signal
    from amaranth.back import verilog
except ImportError as e:  # pragma: no cover - environment dependent
    print(f"amaranth is not installed ({e}); pip install amaranth", file=sys.stderr)
    sys.exit(3)


class Mixer(Elaboratable):
    def __init__(self, width):
        self.a = Signal(width)
        self.b = Signal(width)
        self.y = Signal(width)

    def elaborate(self, platform):
        m = Module()
        m.d.comb += self.y.eq(((self.a ^ self.b) + (self.a & self.b))[: len(self.y)])
        return m


def stage_const(ident, i, width):
    return (ident * 7919 + i * 104729 + 1) & ((1 << width) - 1)


class Stage(Elaboratable):
    def __init__(self, ident, depth, width):
        self.ident, self.depth, self.width = ident, depth, width
        self.din = Signal(width)
        self.sel = Signal(width)
        self.dout = Signal(width)
        self.flag = Signal()

    def elaborate(self, platform):
        m = Module()
        w = self.width
        x = self.din
        for i in range(self.depth):
            s = (x + stage_const(self.ident, i, w))[:w]
            t = s ^ (x >> (1 + i % 7))
            r = Signal(w, name=f"stage{i}")
            m.d.sync += r.eq(Mux(self.sel[i % w], t, s))
            x = r
        m.submodules.u_mix = mix = Mixer(w)
        m.d.comb += [mix.a.eq(x), mix.b.eq(self.din), self.dout.eq(mix.y), self.flag.eq(x == 0)]
        return m


class Top(Elaboratable):
    def __init__(self, modules, depth, width):
        self.modules, self.depth, self.width = modules, depth, width
        self.din = Signal(width)
        self.sel = Signal(width)
        self.dout = Signal(width)
        self.flags = Signal(modules)

    def elaborate(self, platform):
        m = Module()
        prev = self.din
        for j in range(self.modules):
            st = Stage(j, self.depth, self.width)
            m.submodules[f"u_stage{j}"] = st
            m.d.comb += [st.din.eq(prev), st.sel.eq(self.sel ^ j), self.flags[j].eq(st.flag)]
            prev = st.dout
        m.d.comb += self.dout.eq(prev)
        return m


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--modules", type=int, required=True)
    ap.add_argument("--depth", type=int, required=True)
    ap.add_argument("--width", type=int, default=32)
    a = ap.parse_args()
    t0 = time.perf_counter()
    top = Top(a.modules, a.depth, a.width)
    text = verilog.convert(top, name="bench_top", ports=[top.din, top.sel, top.dout, top.flags])
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"RESULT {dt:.4f} {rss} {len(text)}")


if __name__ == "__main__":
    main()
