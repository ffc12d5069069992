mod support;

use hdl::prelude::*;

bundle! {
    /// Counter ports.
    pub struct CounterIo {
        #[input]
        pub en: Bool,
        pub count: UInt,
        pub wrapped: Bool,
    }
}

#[derive(Debug)]
struct Counter {
    width: u32,
}

impl Component for Counter {
    type Io = CounterIo;
    fn name(&self) -> String {
        format!("counter_w{}", self.width)
    }
    fn io(&self) -> CounterIo {
        CounterIo {
            en: Bool::ty(),
            count: UInt::ty(self.width),
            wrapped: Bool::ty(),
        }
    }
    fn build(&self, io: &CounterIo) {
        let value = reg("value", UInt::ty(self.width)).init(0);
        when(io.en, || value.set(value + 1));
        io.count.set(value);
        io.wrapped.set(value.all());
    }
}

#[derive(Debug)]
struct Top;
bundle! {
    pub struct TopIo {
        #[input] pub go: Bool,
        pub a: UInt,
        pub b: UInt,
    }
}
impl Component for Top {
    type Io = TopIo;
    fn name(&self) -> String {
        "top".into()
    }
    fn io(&self) -> TopIo {
        TopIo {
            go: Bool::ty(),
            a: UInt::ty(8),
            b: UInt::ty(8),
        }
    }
    fn build(&self, io: &TopIo) {
        let c1 = instance("u_c1", &Counter { width: 8 });
        let c2 = instance("u_c2", &Counter { width: 8 });
        c1.io.en.set(io.go);
        c2.io.en.set(!io.go);
        io.a.set(c1.io.count);
        io.b.set(c2.io.count + c1.io.count);
    }
}

#[test]
fn counter_prints() {
    let e = hdl::elaborate(&Top).unwrap_or_else(|d| panic!("{d}"));
    support::check_rtl(&e, "smoke_counter");
    assert!(e.verilog().contains("module counter_w8"));
}
