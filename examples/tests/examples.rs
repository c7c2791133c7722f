//! Runs every example against the real server: each must finish without error
//! (the examples assert what they show), and leave no schema behind.
//!
//! The examples are included as modules (`#[path]`), so `cargo test` runs them
//! without needing their binaries; quickstart's echo goes to a `tracing` subscriber
//! here, which also lets the test check what it echoed.

#[path = "../bulk_and_streaming.rs"]
mod bulk_and_streaming;
#[path = "../quickstart.rs"]
mod quickstart;
#[path = "../relationships.rs"]
mod relationships;
#[path = "../transactions.rs"]
mod transactions;

use std::io::Write;
use std::sync::{Arc, Mutex};

/// The example schemas this process has left on the server.
fn leftover_schemas() -> Vec<String> {
    let mut client = tests::raw_client(&tests::database_url());
    let pattern = format!("example\\_%\\_{}\\_%", std::process::id());
    client
        .query(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1",
            &[&pattern],
        )
        .expect("pg_namespace")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn run(name: &str, example: fn() -> orm_core::Result<()>) {
    if let Err(e) = example() {
        panic!("example {name} failed: {e}");
    }
    let left: Vec<String> = leftover_schemas()
        .into_iter()
        .filter(|s| s.starts_with(&format!("example_{name}_")))
        .collect();
    assert_eq!(left, Vec::<String>::new(), "{name} left its schema behind");
}

/// Collects what a `tracing` subscriber formats.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn quickstart_echoes_its_statements() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, || run("quickstart", quickstart::main));
    let echoed = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for sql in [
        "CREATE TABLE \"authors\"",
        "INSERT INTO \"articles\" (\"slug\", \"title\", \"author_id\") VALUES ($1, $2, $3)",
        "UPDATE \"articles\" SET \"title\" = $1 WHERE",
        "DELETE FROM \"articles\"",
    ] {
        assert!(echoed.contains(sql), "{sql} not echoed in:\n{echoed}");
    }
    assert!(echoed.contains("Text(\"Clean Python\")"), "{echoed}");
}

#[test]
fn relationships() {
    run("relationships", relationships::main);
}

#[test]
fn bulk_and_streaming() {
    run("bulk", bulk_and_streaming::main);
}

#[test]
fn transactions() {
    run("transactions", transactions::main);
}
