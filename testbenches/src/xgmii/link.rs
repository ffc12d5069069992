//! An XGMII link across two clock domains, with idle insertion and deletion.

use super::{chars_word, word_chars, Char, START, TERM};
use crate::{Agent, Error, Result};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use verilator::{Model, PortHandle};

type Column = [Char; 4];

#[derive(Default)]
struct Shared {
    columns: VecDeque<Column>,
    /// Columns in the queue that hold a terminate.
    terminates: usize,
    inserted: u64,
    deleted: u64,
}

fn has(col: &Column, ctrl: u8) -> bool {
    col.contains(&Char::Ctrl(ctrl))
}

/// Builds the two halves of a link: [`XgmiiLinkTx`] samples an XGMII output
/// on the sender's clock, [`XgmiiLinkRx`] drives an XGMII input on the
/// receiver's clock.
///
/// Characters travel in columns of four (lanes 0..=3 and 4..=7), so starts
/// stay on lane 0 or 4. Like a PHY's clock compensation, the receiving half
/// inserts an idle column when it would otherwise have to start a frame that
/// has not fully arrived (the receiver's clock is faster), and deletes idle
/// columns between frames when more than `backlog` columns wait (the
/// receiver's clock is slower). A frame is never split by either.
pub struct XgmiiLink;

impl XgmiiLink {
    /// The sender half on `<tx_prefix>d/c` of `m`, the receiver
    /// half on `<rx_prefix>d/c`; idle columns are deleted above `backlog`.
    pub fn pair(
        m: &Model,
        tx_prefix: &str,
        rx_prefix: &str,
        backlog: usize,
    ) -> Result<(XgmiiLinkTx, XgmiiLinkRx)> {
        let shared = Rc::new(RefCell::new(Shared::default()));
        Ok((
            XgmiiLinkTx {
                d: m.port(&format!("{tx_prefix}d"))?,
                c: m.port(&format!("{tx_prefix}c"))?,
                shared: shared.clone(),
            },
            XgmiiLinkRx {
                d: m.port(&format!("{rx_prefix}d"))?,
                c: m.port(&format!("{rx_prefix}c"))?,
                shared,
                backlog,
                in_frame: false,
            },
        ))
    }
}

/// The sending half of an [`XgmiiLink`] (attach it to the sender's clock).
pub struct XgmiiLinkTx {
    d: PortHandle,
    c: PortHandle,
    shared: Rc<RefCell<Shared>>,
}

impl Agent for XgmiiLinkTx {
    fn sample(&mut self, m: &Model, _cycle: u64) -> Result<()> {
        let chars = word_chars(m.get_u64(self.d)?, m.get_u64(self.c)?);
        let mut s = self.shared.borrow_mut();
        for half in chars.chunks(4) {
            let col: Column = half.try_into().expect("four lanes");
            if has(&col, TERM) {
                s.terminates += 1;
            }
            s.columns.push_back(col);
        }
        Ok(())
    }

    fn drive(&mut self, _m: &mut Model, _cycle: u64) -> Result<()> {
        Ok(())
    }
}

/// The receiving half of an [`XgmiiLink`] (attach it to the receiver's clock).
pub struct XgmiiLinkRx {
    d: PortHandle,
    c: PortHandle,
    shared: Rc<RefCell<Shared>>,
    backlog: usize,
    in_frame: bool,
}

impl XgmiiLinkRx {
    /// Idle columns inserted and deleted so far.
    pub fn compensation(&self) -> (u64, u64) {
        let s = self.shared.borrow();
        (s.inserted, s.deleted)
    }

    fn next_column(&mut self, cycle: u64) -> Result<Column> {
        let mut s = self.shared.borrow_mut();
        loop {
            let Some(head) = s.columns.front().copied() else {
                if self.in_frame {
                    return Err(Error::Protocol {
                        agent: "xgmii link".into(),
                        cycle,
                        message: "ran dry inside a frame".into(),
                    });
                }
                s.inserted += 1;
                return Ok([Char::IDLE; 4]);
            };
            let starts = has(&head, START);
            if !self.in_frame && starts && s.terminates == 0 {
                // The frame has not fully arrived: insert an idle column.
                s.inserted += 1;
                return Ok([Char::IDLE; 4]);
            }
            if !self.in_frame && head.iter().all(|c| c.is_idle()) && s.columns.len() > self.backlog {
                s.columns.pop_front();
                s.deleted += 1;
                continue;
            }
            s.columns.pop_front();
            if starts {
                self.in_frame = true;
            }
            if has(&head, TERM) {
                s.terminates -= 1;
                self.in_frame = false;
            }
            return Ok(head);
        }
    }
}

impl Agent for XgmiiLinkRx {
    fn sample(&mut self, _m: &Model, _cycle: u64) -> Result<()> {
        Ok(())
    }

    fn drive(&mut self, m: &mut Model, cycle: u64) -> Result<()> {
        let lo = self.next_column(cycle)?;
        let hi = self.next_column(cycle)?;
        let chars: Vec<Char> = lo.iter().chain(hi.iter()).copied().collect();
        let (d, c) = chars_word(&chars);
        m.set_u64(self.d, d)?;
        m.set_u64(self.c, c)?;
        Ok(())
    }

    fn is_idle(&self) -> bool {
        let s = self.shared.borrow();
        !self.in_frame && s.columns.iter().all(|c| c.iter().all(|x| x.is_idle()))
    }
}
