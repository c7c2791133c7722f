//! `echo: true` prints each statement and its parameters to stderr when the program
//! has no `tracing` subscriber, and only sends `tracing` events when it has one.
//!
//! What reaches stderr is seen from outside: each case re-runs this test binary
//! with one `child_*` test selected and reads the child's output. A child does its
//! work only when `ORM_ECHO_CHILD` is set (otherwise it passes at once).

use orm_core::{EngineOptions, Value};
use std::process::Command;
use tests::TestDb;

const CHILD: &str = "ORM_ECHO_CHILD";

/// Runs the test `name` of this binary in a process of its own: (stdout, stderr).
fn run_child(name: &str) -> (String, String) {
    let out = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .expect("the child runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "child {name} failed:\n{stdout}\n{stderr}"
    );
    (stdout, stderr)
}

/// A table, an INSERT with one text parameter and a SELECT, through an engine with
/// `echo` as given.
fn some_statements(name: &str, echo: bool) {
    let options = EngineOptions::default().echo(echo);
    let db = TestDb::with_options(name, options);
    let mut conn = db.engine.connect().unwrap();
    conn.batch_execute("CREATE TABLE notes (body text)")
        .unwrap();
    let n = conn
        .execute(
            "INSERT INTO notes (body) VALUES ($1)",
            &[Value::from("hello")],
        )
        .unwrap();
    assert_eq!(n, 1);
    let rows = conn.query("SELECT body FROM notes", &[]).unwrap();
    assert_eq!(rows.len(), 1);
}

fn in_child() -> bool {
    std::env::var_os(CHILD).is_some()
}

#[test]
fn child_echo_without_subscriber() {
    if in_child() {
        some_statements("echo_plain", true);
    }
}

#[test]
fn child_echo_with_subscriber() {
    if in_child() {
        tracing_subscriber::fmt()
            .with_writer(std::io::stdout)
            .with_ansi(false)
            .init();
        some_statements("echo_subscriber", true);
    }
}

#[test]
fn child_no_echo() {
    if in_child() {
        some_statements("echo_off", false);
    }
}

#[test]
fn echo_prints_statements_and_parameters_to_stderr_without_a_subscriber() {
    let (stdout, stderr) = run_child("child_echo_without_subscriber");
    let echoed: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("orm::sql:"))
        .collect();
    assert_eq!(
        echoed,
        [
            "orm::sql: CREATE TABLE notes (body text)",
            "orm::sql: INSERT INTO notes (body) VALUES ($1)",
            "orm::sql:   params: [\"hello\"]",
            "orm::sql: SELECT body FROM notes",
        ]
    );
    assert!(!stdout.contains("orm::sql"), "{stdout}");
}

#[test]
fn echo_goes_to_the_subscriber_when_the_program_has_one() {
    let (stdout, stderr) = run_child("child_echo_with_subscriber");
    assert!(
        !stderr.contains("orm::sql"),
        "nothing printed besides the events: {stderr}"
    );
    let events: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(" orm::sql: "))
        .collect();
    assert_eq!(events.len(), 3, "{stdout}");
    assert!(events[0].contains("INFO"), "{}", events[0]);
    assert!(
        events[1].ends_with(
            "INSERT INTO notes (body) VALUES ($1) params=[Text(\"hello\")] server=Primary"
        ),
        "{}",
        events[1]
    );
}

#[test]
fn without_echo_nothing_is_printed() {
    let (stdout, stderr) = run_child("child_no_echo");
    assert!(!stderr.contains("orm::sql"), "{stderr}");
    assert!(!stdout.contains("orm::sql"), "{stdout}");
}
