//! The intelligence a cockpit keeps between computations: the gather, the listed
//! assessments and today's queue, brought up to date after a write by redoing only what the
//! changed customers decide. A full recompute gives the same (tests/intel_refresh.rs).
//!
//! What a customer's assessment reads is its own bundle and, for the concentration rule
//! only, the portfolio total; what its part of the queue reads is its bundle, its assessment
//! and the date of the newest bank data (the stale-data gate). So after a refresh:
//! - customers whose bundle changed are assessed again, and so are those the concentration
//!   rule concerns before or after when the portfolio total moved;
//! - their queue lines are built again if their bundle or their assessment changed (call
//!   scripts are written for those lines only); the gate and the stale flags are mended;
//! - the key figures' and the forecast's own kept parts (`kept`) are read again for the
//!   changed customers.

use super::gather::{gather_marked, refresh_touched};
use super::kept::Kept;
use super::queue::queue_part;
use super::signals::{shown, sort_assessments};
use super::{Gathered, Marks, Params, Refreshed};
use crate::domain::dunning::queue::Queue;
use crate::domain::model::CustomerId;
use crate::domain::signals::{Assessment, SignalKind, assess, concentrated};
use crate::store::StoreResult;
use crate::store::bank_sums::BankSums;
use chrono::NaiveDate;
use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap};

pub struct Live {
    pub gathered: Gathered,
    /// The listed assessments (something to say or something owed), riskiest first.
    pub assessments: Vec<Assessment>,
    pub queue: Queue,
    /// What the key figures and the forecast read beyond the gather; read on first use.
    pub(super) kept: Option<Kept>,
    /// Bank lines summed per account and day, for the net cash and the forecast's opening.
    bank: Option<BankSums>,
}

impl Live {
    /// A whole computation, remembering where the change log stood.
    pub fn new(conn: &Connection, p: &Params, as_of: NaiveDate) -> StoreResult<Live> {
        let g = gather_marked(conn, p, as_of, Marks::read(conn)?)?;
        Ok(Live::from_gathered(g, p))
    }

    fn from_gathered(gathered: Gathered, p: &Params) -> Live {
        let g = &gathered;
        let all: Vec<Assessment> = g
            .bundles
            .values()
            .map(|b| assess(&b.facts, &g.portfolio, p.signals, g.as_of))
            .collect();
        let queue = queue_part(g, p, g.bundles.values().zip(all.iter()));
        let mut assessments: Vec<Assessment> = all.into_iter().filter(shown).collect();
        sort_assessments(&mut assessments);
        Live {
            gathered,
            assessments,
            queue,
            kept: None,
            bank: None,
        }
    }

    /// Brings everything up to date with the database as of `as_of` (the same `Params` as
    /// before must be given).
    pub fn refresh(
        &mut self,
        conn: &Connection,
        p: &Params,
        as_of: NaiveDate,
    ) -> StoreResult<Refreshed> {
        let old_total = self.gathered.portfolio.total_exposure;
        let (done, touched) = refresh_touched(conn, p, as_of, &mut self.gathered)?;
        match done {
            Refreshed::Unchanged => return Ok(done),
            Refreshed::Everything => {
                let wanted = self.kept.is_some();
                let g = std::mem::replace(&mut self.gathered, empty(as_of));
                // The sums mend themselves on use (they check the newest line id).
                let bank = self.bank.take();
                *self = Live::from_gathered(g, p);
                self.bank = bank;
                if wanted {
                    self.kept = Some(Kept::read(conn, p, &self.gathered)?);
                }
                return Ok(done);
            }
            Refreshed::Customers(_) => {}
        }
        let g = &self.gathered;
        let mut again = touched.clone();
        if g.portfolio.total_exposure != old_total {
            again.extend(
                self.assessments
                    .iter()
                    .filter(|a| a.has(SignalKind::Concentration))
                    .map(|a| a.customer_id),
            );
            again.extend(
                g.bundles
                    .iter()
                    .filter(|(_, b)| concentrated(&b.facts, &g.portfolio, p.signals))
                    .map(|(id, _)| *id),
            );
        }
        let fresh: BTreeMap<CustomerId, Assessment> = again
            .iter()
            .filter_map(|id| {
                let b = g.bundles.get(id)?;
                Some((*id, assess(&b.facts, &g.portfolio, p.signals, g.as_of)))
            })
            .collect();
        let before: HashMap<CustomerId, &Assessment> = self
            .assessments
            .iter()
            .map(|a| (a.customer_id, a))
            .collect();
        // An unlisted assessment has no signal and a score of 0: the queue reads the same
        // from it whatever it was, so "unlisted before and after" is "unchanged".
        let mut requeue = touched;
        for (id, a) in &fresh {
            if before.get(id).copied() != shown(a).then_some(a) {
                requeue.insert(*id);
            }
        }
        let part = queue_part(
            g,
            p,
            requeue
                .iter()
                .filter_map(|id| Some((g.bundles.get(id)?, fresh.get(id)?))),
        );
        self.queue
            .set_bank_data(g.newest_bank_data, p.stale_after_days);
        self.queue.replace_customers(&requeue, part);

        self.assessments.retain(|a| !again.contains(&a.customer_id));
        self.assessments.extend(fresh.into_values().filter(shown));
        sort_assessments(&mut self.assessments);

        if let Some(k) = &mut self.kept {
            k.refresh(conn, p, &self.gathered)?;
            self.gathered.last_refresh.delays_added = k.delay_paths.added;
            self.gathered.last_refresh.delays_read = k.delay_paths.read;
        }
        Ok(done)
    }

    /// The forecast's delay table over `history_months`, kept and refreshed from then on.
    pub fn delays(
        &mut self,
        conn: &Connection,
        p: &Params,
        history_months: u32,
    ) -> StoreResult<&crate::domain::forecast::DelayTable> {
        let k = match self.kept.take() {
            Some(k) => k,
            None => Kept::read(conn, p, &self.gathered)?,
        };
        self.kept.insert(k).delays(conn, p, history_months)
    }

    /// The bank lines summed per account and day, read on first use and brought up to date
    /// with the lines written since on every use.
    pub fn bank_sums(&mut self, conn: &Connection) -> StoreResult<&BankSums> {
        match &mut self.bank {
            Some(b) => b.refresh(conn)?,
            None => self.bank = Some(BankSums::read(conn)?),
        }
        Ok(self.bank.get_or_insert_default())
    }

    /// The kept parts of the key figures and the forecast, read now if they were not yet.
    pub(super) fn kept(&mut self, conn: &Connection, p: &Params) -> StoreResult<&Kept> {
        let k = match self.kept.take() {
            Some(k) => k,
            None => Kept::read(conn, p, &self.gathered)?,
        };
        Ok(self.kept.insert(k))
    }
}

fn empty(as_of: NaiveDate) -> Gathered {
    Gathered {
        as_of,
        bundles: BTreeMap::new(),
        portfolio: Default::default(),
        newest_bank_data: None,
        lateness: Default::default(),
        dir: None,
        marks: None,
        last_refresh: Default::default(),
    }
}
