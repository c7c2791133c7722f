//! The tutorial's flow on the wire: the blog-example binary runs through a counting
//! proxy, with `--echo` listing the statements it sends, and every statement costs
//! one round trip at most: a `BEGIN` travels with the statement after it, a cursor's
//! `DECLARE` with its first `FETCH`, its `CLOSE` with the next request.
//!
//! SQLAlchemy takes 31 round trips for this flow; before issue 15 we took 56 (each
//! new statement prepared first, each BEGIN on its own); now 25 (see
//! docs/BENCHMARKS.md for what the target of 20 still needs).

use std::process::Command;
use tests::wire::{CountingProxy, WireCounts};
use tests::TestDb;

/// The most round trips the tutorial's flow takes on an empty schema.
const MAX_ROUND_TRIPS: u64 = 25;

/// Runs the tutorial once through `proxy`; returns what went over the wire and the
/// statements it echoed.
fn tutorial_through(proxy: &CountingProxy, db: &TestDb) -> (WireCounts, Vec<String>) {
    let url = tests::url_via(db.url(), proxy.addr()).with_param("sslmode", "disable");
    let (counts, out) = proxy.measure(|| {
        Command::new(env!("CARGO_BIN_EXE_blog-example"))
            .arg("--echo")
            .env("DATABASE_URL", url.to_string())
            .output()
            .expect("blog-example runs")
    });
    let echo = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the tutorial failed: {echo}");
    let statements = echo
        .lines()
        .filter_map(|l| l.strip_prefix("orm::sql: "))
        .filter(|l| !l.starts_with("  params:"))
        .map(str::to_owned)
        .collect();
    (counts, statements)
}

#[test]
fn every_statement_of_the_tutorial_costs_at_most_one_round_trip() {
    let db = TestDb::new("blog_round_trips");
    let proxy = CountingProxy::start(tests::server_addr(db.url())).expect("counting proxy");
    // First on an empty schema, then again over the tables the first run left.
    for run in ["empty schema", "second run"] {
        let (counts, statements) = tutorial_through(&proxy, &db);
        let riding = statements
            .iter()
            .filter(|s| {
                ["BEGIN", "DECLARE ", "CLOSE "]
                    .iter()
                    .any(|w| s.starts_with(w))
            })
            .count();
        eprintln!(
            "tutorial, {run}: {} statements, {} round trips: {counts:?}",
            statements.len(),
            counts.round_trips
        );
        assert_eq!(
            counts.round_trips as usize,
            statements.len() - riding,
            "{run}: one round trip per statement, none for BEGIN, DECLARE, CLOSE: {statements:#?}"
        );
        assert_eq!(counts.connections, 1, "{run}: one pooled connection");
        if run == "empty schema" {
            assert!(counts.round_trips <= MAX_ROUND_TRIPS, "{counts:?}");
        }
    }
}
