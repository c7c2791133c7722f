//! The tutorial's flow on the wire: the blog-example binary runs through a counting
//! proxy, and its round trips are counted (SQLAlchemy needs 31 for the same flow;
//! the target is at most 20).

use std::process::Command;
use tests::wire::{CountingProxy, WireCounts};
use tests::TestDb;

/// The most round trips the tutorial's flow may take.
const MAX_ROUND_TRIPS: u64 = 20;

/// Runs the tutorial once through `proxy`; returns what it sent.
fn tutorial_through(proxy: &CountingProxy, db: &TestDb) -> WireCounts {
    let url = tests::url_via(db.url(), proxy.addr()).with_param("sslmode", "disable");
    let (counts, out) = proxy.measure(|| {
        Command::new(env!("CARGO_BIN_EXE_blog-example"))
            .env("DATABASE_URL", url.to_string())
            .output()
            .expect("blog-example runs")
    });
    assert!(
        out.status.success(),
        "the tutorial failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    counts
}

#[test]
fn the_tutorial_takes_at_most_20_round_trips() {
    let db = TestDb::new("blog_round_trips");
    let proxy = CountingProxy::start(tests::server_addr(db.url())).expect("counting proxy");
    // First on an empty schema, then again over the tables the first run left.
    for run in ["empty schema", "second run"] {
        let counts = tutorial_through(&proxy, &db);
        eprintln!("tutorial, {run}: {counts:?}");
        assert!(
            counts.round_trips <= MAX_ROUND_TRIPS,
            "{run}: {} round trips (at most {MAX_ROUND_TRIPS}): {counts:?}",
            counts.round_trips
        );
        assert_eq!(counts.connections, 1, "{run}: one pooled connection");
    }
}
