//! The list of workloads: what each compares and its target ratio (DESIGN.md).

use crate::fixture::{BResult, Fixture, RawDb};
use crate::{w1_insert, w2_load, w3_lookup, w4_update, w5_eager, w5_joined};
use orm_core::Engine;
use std::time::Duration;

/// One run of the ORM side; returns the timed part's duration.
pub type OrmRun = fn(&mut Fixture, &Engine) -> BResult<Duration>;

/// One run of the raw side; returns the timed part's duration.
pub type RawRun = fn(&mut Fixture, &mut RawDb) -> BResult<Duration>;

/// A workload: the ORM and the hand-written raw code doing the same work.
#[derive(Clone, Copy)]
pub struct Workload {
    /// Short id (`W1`..).
    pub id: &'static str,
    /// What it does.
    pub label: &'static str,
    /// Target ORM/raw ratio, if any (`None`: for information).
    pub target: Option<f64>,
    /// The ORM side.
    pub orm: OrmRun,
    /// The raw side.
    pub raw: RawRun,
}

/// Every workload, in order, with the targets of issue 15 (ratio to raw
/// `postgres`, in both CPU layouts).
pub fn all() -> Vec<Workload> {
    vec![
        Workload {
            id: "W1",
            label: "insert authors + articles, one commit, ids back",
            target: Some(1.15),
            orm: w1_insert::orm,
            raw: w1_insert::raw,
        },
        Workload {
            id: "W2",
            label: "load all articles as objects",
            target: Some(1.05),
            orm: w2_load::orm,
            raw: w2_load::raw,
        },
        Workload {
            id: "W3",
            label: "lookups by unique slug",
            target: Some(1.0),
            orm: w3_lookup::orm,
            raw: w3_lookup::raw,
        },
        Workload {
            id: "W4",
            label: "load, change title of each, commit (raw: per-row UPDATE)",
            target: Some(0.3),
            orm: w4_update::orm,
            raw: w4_update::raw,
        },
        Workload {
            id: "W4b",
            label: "W4 against raw batched UPDATE .. FROM unnest (reference)",
            target: None,
            orm: w4_update::orm,
            raw: w4_update::raw_batched,
        },
        Workload {
            id: "W5",
            label: w5_eager::LABEL,
            target: Some(0.95),
            orm: w5_eager::orm,
            raw: w5_eager::raw,
        },
        Workload {
            id: "W5j",
            label: w5_joined::LABEL,
            target: Some(1.3),
            orm: w5_joined::orm,
            raw: w5_joined::raw,
        },
    ]
}
