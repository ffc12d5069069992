//! Compares what a design produced with what a reference predicted.

use crate::hexdump::first_difference;
use crate::{Error, Result};
use std::collections::VecDeque;
use std::fmt::Debug;

/// Items that can describe how they differ from one another (byte frames
/// show a hex dump around the first differing byte).
pub trait Compare: PartialEq + Debug {
    /// A readable description of how `got` differs from `self`.
    fn describe_difference(&self, got: &Self) -> String {
        format!("expected {self:?}\n     got {got:?}")
    }
}

impl Compare for Vec<u8> {
    fn describe_difference(&self, got: &Self) -> String {
        first_difference(self, got).unwrap_or_default()
    }
}

impl Compare for u64 {}
impl Compare for u32 {}
impl<A: Compare, B: Compare> Compare for (A, B) {}

/// An in-order scoreboard: expected items are queued by the reference, items
/// seen on the design's output are checked against the oldest expected one.
/// The first mismatch is an error that shows both items and the items
/// matched just before it.
#[derive(Debug)]
pub struct Scoreboard<T: Compare> {
    name: String,
    expected: VecDeque<T>,
    matched: u64,
    recent: VecDeque<T>,
}

impl<T: Compare> Scoreboard<T> {
    /// An empty scoreboard; `name` appears in every message.
    pub fn new(name: &str) -> Scoreboard<T> {
        Scoreboard {
            name: name.to_string(),
            expected: VecDeque::new(),
            matched: 0,
            recent: VecDeque::new(),
        }
    }

    /// Queues an item the design should produce next after the ones queued.
    pub fn expect(&mut self, item: T) {
        self.expected.push_back(item);
    }

    /// Checks an item the design produced.
    pub fn observe(&mut self, got: T) -> Result<()> {
        let Some(want) = self.expected.pop_front() else {
            return Err(Error::Mismatch(format!(
                "{}: unexpected item #{} (nothing more was expected): {got:?}",
                self.name, self.matched
            )));
        };
        if want != got {
            let context: Vec<String> = self.recent.iter().map(|r| format!("  {r:?}")).collect();
            return Err(Error::Mismatch(format!(
                "{}: item #{} differs\n{}\nmatched just before it:\n{}",
                self.name,
                self.matched,
                want.describe_difference(&got),
                if context.is_empty() {
                    "  (none)".to_string()
                } else {
                    context.join("\n")
                }
            )));
        }
        self.matched += 1;
        self.recent.push_back(got);
        if self.recent.len() > 3 {
            self.recent.pop_front();
        }
        Ok(())
    }

    /// Checks several items in order.
    pub fn observe_all(&mut self, items: impl IntoIterator<Item = T>) -> Result<()> {
        items.into_iter().try_for_each(|i| self.observe(i))
    }

    /// Items matched so far.
    pub fn matched(&self) -> u64 {
        self.matched
    }

    /// Items expected and not yet seen.
    pub fn outstanding(&self) -> usize {
        self.expected.len()
    }

    /// Succeeds when everything expected was seen.
    pub fn finish(&self) -> Result<()> {
        match self.expected.front() {
            None => Ok(()),
            Some(next) => Err(Error::Mismatch(format!(
                "{}: {} matched, {} expected items never came; the next one: {next:?}",
                self.name,
                self.matched,
                self.expected.len()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_first_mismatch_with_context() {
        let mut s = Scoreboard::new("frames");
        for f in [vec![1u8, 2], vec![3, 4], vec![5, 6]] {
            s.expect(f);
        }
        s.observe(vec![1, 2]).unwrap();
        let e = s.observe(vec![3, 9]).unwrap_err().to_string();
        assert!(
            e.contains("item #1 differs") && e.contains("first difference at byte 1"),
            "{e}"
        );
        assert!(e.contains("[1, 2]"), "context shows the item matched before: {e}");
    }

    #[test]
    fn extra_and_missing_items_are_errors() {
        let mut s = Scoreboard::new("words");
        s.expect(1u64);
        s.observe(1).unwrap();
        assert!(s
            .observe(2)
            .unwrap_err()
            .to_string()
            .contains("unexpected item #1"));
        s.expect(7);
        let e = s.finish().unwrap_err().to_string();
        assert!(e.contains("never came") && e.contains('7'), "{e}");
    }
}
