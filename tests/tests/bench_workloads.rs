//! Keeps the benchmark's workloads compiling and correct (untimed): each runs once
//! with tiny sizes through the counting proxy, and the statements it sends on the
//! wire are checked. The workload code is the `bench` binary's own, included by path
//! (it is not part of the `tests` library: its `#[derive(Model)]` registrations
//! would join `MetaData::registered()` in every test that links the library).
#![allow(dead_code)]

#[path = "../src/bin/bench/count.rs"]
mod count;
#[path = "../src/bin/bench/fixture.rs"]
mod fixture;
#[path = "../src/bin/bench/model.rs"]
mod model;
#[path = "../src/bin/bench/report.rs"]
mod report;
#[path = "../src/bin/bench/w1_insert.rs"]
mod w1_insert;
#[path = "../src/bin/bench/w2_load.rs"]
mod w2_load;
#[path = "../src/bin/bench/w3_lookup.rs"]
mod w3_lookup;
#[path = "../src/bin/bench/w4_update.rs"]
mod w4_update;
#[path = "../src/bin/bench/w5_eager.rs"]
mod w5_eager;
#[path = "../src/bin/bench/w5_joined.rs"]
mod w5_joined;
#[path = "../src/bin/bench/workload.rs"]
mod workload;

use fixture::{Fixture, Sizes};
use report::WireRow;

const TINY: Sizes = Sizes {
    authors: 2,
    articles: 20,
    lookups: 5,
    updates: 10,
};

/// Expected (Execute, simple Query, round trips) of the warm run of one side.
type Expect = (u64, u64, u64);

fn check(row: &WireRow, orm: Expect, raw: Expect) {
    let got = |w: &report::SideWire| (w.warm.execute, w.warm.query, w.warm.round_trips);
    assert_eq!(
        got(&row.orm),
        orm,
        "{} ORM (Execute, Query, round trips): {row:?}",
        row.id
    );
    assert_eq!(
        got(&row.raw),
        raw,
        "{} raw (Execute, Query, round trips): {row:?}",
        row.id
    );
    assert_eq!(
        row.orm.logged,
        Some(row.orm.warm.statements()),
        "{}: the StatementLog and the wire disagree: {row:?}",
        row.id
    );
    for side in [&row.orm, &row.raw] {
        assert_eq!(
            side.warm.parse, 0,
            "{}: the warm run parsed a statement: {row:?}",
            row.id
        );
    }
    // The first run on a fresh connection: the ORM's new statements go out
    // unprepared, one round trip each, so it takes no more round trips than warm.
    assert_eq!(
        row.orm.first.round_trips, row.orm.warm.round_trips,
        "{}: the first run took extra round trips: {row:?}",
        row.id
    );
}

#[test]
fn every_workload_sends_the_expected_statements() {
    let mut fx = Fixture::create(TINY).expect("bench fixture");
    let mut counter = count::Counter::start(&fx).expect("counting proxy");
    let rows: Vec<WireRow> = workload::all()
        .iter()
        .map(|w| {
            counter
                .count(&mut fx, w)
                .unwrap_or_else(|e| panic!("{}: {e}", w.id))
        })
        .collect();
    let ids: Vec<&str> = rows.iter().map(|r| r.id).collect();
    assert_eq!(ids, ["W1", "W2", "W3", "W4", "W4b", "W5", "W5j"]);

    // W1: one INSERT for the authors, one for the 20 articles; BEGIN/COMMIT. The
    // ORM's BEGIN travels with its first INSERT.
    check(&rows[0], (2, 2, 3), (2, 2, 4));
    // W2: one SELECT; the session's BEGIN travels with it, its ROLLBACK when dropped
    // is written without waiting for the answer (a flight no one waits for).
    check(&rows[1], (1, 2, 2), (1, 0, 1));
    // W3: one SELECT per lookup (+ the ROLLBACK of the dropped session).
    check(&rows[2], (5, 2, 6), (5, 0, 5));
    // W4: SELECT + one batched UPDATE + COMMIT; raw: BEGIN, SELECT, one UPDATE per
    // row, COMMIT.
    check(&rows[3], (2, 2, 3), (1 + 10, 2, 13));
    // W4b: raw batched: SELECT + one UPDATE .. FROM unnest.
    check(&rows[4], (2, 2, 3), (2, 2, 4));
    // W5: two SELECTs each (+ the ORM's ROLLBACK).
    check(&rows[5], (2, 2, 3), (2, 0, 2));
    // W5j: one SELECT with a LEFT JOIN each (+ the ORM's ROLLBACK).
    check(&rows[6], (1, 2, 2), (1, 0, 1));

    let (wire, log) = counter.get_of_loaded(&mut fx).expect("get check");
    assert_eq!(
        (wire, log),
        (0, 0),
        "get of a loaded article sent statements"
    );
}
