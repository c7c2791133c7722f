//! [`StatementCache`]: which statements a connection has prepared (named on the
//! server), and how often it has run the others.
//!
//! A statement seen for the first time is not worth a round trip of its own to
//! prepare: it runs as the unnamed statement (parsed, bound and executed in one
//! round trip). Only a statement that keeps coming back is prepared, once it has run
//! `prepare_threshold` times, so that from then on the server skips parsing and
//! planning it and the client binds its parameters in binary (psycopg 3 decides the
//! same way). The preparation travels with that run, in the same round trip.

use crate::decode::{decoders, Decoder};
use orm_core::Result;
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::hash::BuildHasher;
use std::sync::Arc;
use tokio_postgres::Statement;

/// Runs after which a statement is prepared, by default.
pub const DEFAULT_PREPARE_THRESHOLD: u32 = 5;

/// A prepared statement and the decoders of its result columns.
#[derive(Clone)]
pub(crate) struct Prepared {
    /// The driver's handle on the named statement.
    pub(crate) statement: Statement,
    /// How each result column is read.
    pub(crate) decoders: Arc<[Decoder]>,
}

/// How the next run of a statement goes out.
pub(crate) enum Plan {
    /// Bound to the statement prepared earlier.
    Prepared(Prepared),
    /// As the unnamed statement, parameters as text.
    Unnamed,
    /// As the unnamed statement, with the statement prepared in the same round trip
    /// (it has run often enough).
    PrepareAlongside,
}

/// A statement whose preparation failed is never tried again.
const NEVER: u32 = u32::MAX;

/// The prepared statements of one connection and the run counts of the others.
pub(crate) struct StatementCache {
    prepared: FxHashMap<String, Prepared>,
    /// Runs so far of statements not prepared, by a hash of their text (a collision
    /// only moves the moment one of them is prepared).
    runs: FxHashMap<u64, u32>,
    capacity: usize,
    threshold: u32,
}

impl StatementCache {
    /// A cache of at most `capacity` prepared statements (0: never prepare), each
    /// prepared after `threshold` unprepared runs.
    pub(crate) fn new(capacity: usize, threshold: u32) -> StatementCache {
        StatementCache {
            prepared: FxHashMap::default(),
            runs: FxHashMap::default(),
            capacity,
            threshold,
        }
    }

    /// Number of prepared statements held.
    pub(crate) fn len(&self) -> usize {
        self.prepared.len()
    }

    /// How `sql` goes out this time (and counts the run).
    pub(crate) fn plan(&mut self, sql: &str) -> Plan {
        if self.capacity == 0 {
            return Plan::Unnamed;
        }
        if let Some(p) = self.prepared.get(sql) {
            return Plan::Prepared(p.clone());
        }
        if self.runs.len() >= self.counted_max() {
            self.runs.clear();
        }
        let runs = self.runs.entry(FxBuildHasher.hash_one(sql)).or_insert(0);
        match *runs {
            NEVER => Plan::Unnamed,
            n if n < self.threshold => {
                *runs = n + 1;
                Plan::Unnamed
            }
            _ => Plan::PrepareAlongside,
        }
    }

    /// How many statements' runs are counted at most (then the counts start over).
    fn counted_max(&self) -> usize {
        self.capacity.saturating_mul(4).max(64)
    }

    /// Keeps `statement`, prepared for `sql`; one whose result columns cannot be read
    /// is not kept, and `sql` is never prepared again.
    pub(crate) fn insert(&mut self, sql: &str, statement: Statement) -> Result<Prepared> {
        let decoders = match decoders(statement.columns()) {
            Ok(d) => d,
            Err(e) => {
                self.never_prepare(sql);
                return Err(e);
            }
        };
        self.runs.remove(&FxBuildHasher.hash_one(sql));
        if self.prepared.len() >= self.capacity {
            // Dropping the handles deallocates the statements on the server.
            self.prepared.clear();
        }
        let prepared = Prepared {
            statement,
            decoders: decoders.into(),
        };
        self.prepared.insert(sql.to_owned(), prepared.clone());
        Ok(prepared)
    }

    /// Runs `sql` unprepared from now on (its preparation failed).
    pub(crate) fn never_prepare(&mut self, sql: &str) {
        self.runs.insert(FxBuildHasher.hash_one(sql), NEVER);
    }

    /// Forgets the prepared statement for `sql` (the server no longer accepts it).
    pub(crate) fn evict(&mut self, sql: &str) {
        self.prepared.remove(sql);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(cache: &mut StatementCache, sql: &str, n: usize) -> String {
        (0..n)
            .map(|_| match cache.plan(sql) {
                Plan::Prepared(_) => 'P',
                Plan::Unnamed => 'u',
                Plan::PrepareAlongside => 'A',
            })
            .collect()
    }

    #[test]
    fn prepared_after_the_threshold_never_without_capacity() {
        let mut cache = StatementCache::new(10, 2);
        assert_eq!(kinds(&mut cache, "SELECT 1", 4), "uuAA");
        let mut cache = StatementCache::new(10, 0);
        assert_eq!(kinds(&mut cache, "SELECT 1", 2), "AA");
        let mut cache = StatementCache::new(0, 0);
        assert_eq!(kinds(&mut cache, "SELECT 1", 3), "uuu");
        let mut cache = StatementCache::new(10, 1);
        cache.never_prepare("SELECT 2");
        assert_eq!(kinds(&mut cache, "SELECT 2", 3), "uuu");
    }

    #[test]
    fn counts_are_bounded() {
        let mut cache = StatementCache::new(2, 1);
        for i in 0..1000 {
            assert_eq!(kinds(&mut cache, &format!("SELECT {i}"), 1), "u");
            assert!(cache.runs.len() <= cache.counted_max());
        }
        assert_eq!(kinds(&mut cache, "SELECT 999", 1), "A");
    }
}
