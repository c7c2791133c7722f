//! `echo`: each statement and its parameters, for people reading along.
//!
//! With `EngineOptions::default().echo(true)` every statement is an INFO event on the
//! `tracing` target `orm::sql`. When the program has no `tracing` subscriber at all
//! (nothing would receive the event), the statement is printed to stderr instead, as
//! SQLAlchemy's `echo=True` prints without any logging set-up. A program that
//! installs a subscriber gets the events only, filtered and formatted its way.

use super::routing::ServerRole;
use crate::value::Value;
use std::fmt::Write as _;
use std::io::Write as _;

/// Parameters shown per statement; a multi-row INSERT may have thousands.
const MAX_PARAMS: usize = 20;
/// Characters shown of a long text parameter.
const MAX_TEXT: usize = 60;

/// Echoes one statement: to `tracing` when a subscriber is installed (for this
/// thread or globally), else to stderr. Never fails: a closed stderr is ignored.
/// A statement a replica ran is marked `[replica N]`.
pub(crate) fn statement(sql: &str, params: &[Value], server: ServerRole) {
    if has_subscriber() {
        tracing::info!(target: "orm::sql", params = ?params, server = ?server, "{sql}");
        return;
    }
    let text = render(sql, params, server);
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// True when a `tracing` subscriber would receive the event.
fn has_subscriber() -> bool {
    tracing::dispatcher::get_default(|d| !d.is::<tracing::subscriber::NoSubscriber>())
}

/// The lines printed for a statement: `orm::sql: <sql>`, then its parameters.
fn render(sql: &str, params: &[Value], server: ServerRole) -> String {
    let mut out = match server {
        ServerRole::Primary => format!("orm::sql: {sql}\n"),
        ServerRole::Replica(i) => format!("orm::sql: [replica {i}] {sql}\n"),
    };
    if !params.is_empty() {
        let shown: Vec<String> = params.iter().take(MAX_PARAMS).map(param).collect();
        let _ = write!(out, "orm::sql:   params: [{}", shown.join(", "));
        if params.len() > MAX_PARAMS {
            let _ = write!(out, ", ... {} more", params.len() - MAX_PARAMS);
        }
        out.push_str("]\n");
    }
    out
}

/// One parameter, short: text and times quoted, long text cut, bytes counted.
fn param(value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_owned(),
        Value::Text(s) => quoted_text(s),
        Value::Bytes(b) => format!("<{} bytes>", b.len()),
        Value::Bool(v) => v.to_string(),
        Value::SmallInt(v) => v.to_string(),
        Value::Int(v) => v.to_string(),
        Value::BigInt(v) => v.to_string(),
        Value::Real(v) => v.to_string(),
        Value::Double(v) => v.to_string(),
        #[cfg(feature = "rust_decimal")]
        Value::Numeric(v) => v.to_string(),
        #[cfg(feature = "chrono")]
        Value::Timestamp(v) => quoted(v),
        #[cfg(feature = "chrono")]
        Value::TimestampTz(v) => quoted(v),
        #[cfg(feature = "chrono")]
        Value::Date(v) => quoted(v),
        #[cfg(feature = "chrono")]
        Value::Time(v) => quoted(v),
        #[cfg(feature = "time")]
        Value::TimeTimestamp(v) => quoted(v),
        #[cfg(feature = "time")]
        Value::TimeTimestampTz(v) => quoted(v),
        #[cfg(feature = "time")]
        Value::TimeDate(v) => quoted(v),
        #[cfg(feature = "time")]
        Value::TimeTime(v) => quoted(v),
        #[cfg(feature = "uuid")]
        Value::Uuid(v) => quoted(v),
        #[cfg(feature = "serde_json")]
        Value::Json(v) => quoted_text(&v.to_string()),
        Value::Array(items) => format!("<array of {}>", items.len()),
    }
}

#[cfg(any(feature = "chrono", feature = "time", feature = "uuid"))]
fn quoted(v: &dyn std::fmt::Display) -> String {
    format!("'{v}'")
}

fn quoted_text(s: &str) -> String {
    let total = s.chars().count();
    if total <= MAX_TEXT {
        return format!("{s:?}");
    }
    let head: String = s.chars().take(MAX_TEXT).collect();
    format!("{head:?}... ({} more characters)", total - MAX_TEXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_without_parameters_is_one_line() {
        assert_eq!(
            render("BEGIN", &[], ServerRole::Primary),
            "orm::sql: BEGIN\n"
        );
    }

    #[test]
    fn a_replica_statement_is_marked() {
        assert_eq!(
            render("SELECT 1", &[], ServerRole::Replica(0)),
            "orm::sql: [replica 0] SELECT 1\n"
        );
    }

    #[test]
    fn parameters_follow_on_a_second_line() {
        let text = render(
            "SELECT $1, $2, $3, $4",
            &[
                Value::Text("it's".into()),
                Value::Null,
                Value::Int(7),
                Value::Bytes(vec![1, 2, 3]),
            ],
            ServerRole::Primary,
        );
        assert_eq!(
            text,
            "orm::sql: SELECT $1, $2, $3, $4\norm::sql:   params: [\"it's\", NULL, 7, <3 bytes>]\n"
        );
    }

    #[test]
    fn long_texts_and_long_lists_are_cut() {
        let long = "x".repeat(100);
        assert_eq!(
            param(&Value::Text(long)),
            format!("{:?}... (40 more characters)", "x".repeat(60))
        );
        let many: Vec<Value> = (0..25).map(Value::Int).collect();
        let text = render("INSERT", &many, ServerRole::Primary);
        assert!(text.ends_with(", 19, ... 5 more]\n"), "{text}");
    }

    #[test]
    fn without_a_subscriber_nothing_receives_events() {
        assert!(!has_subscriber());
        let subscriber = tracing::subscriber::NoSubscriber::new();
        // NoSubscriber is "none" too; any real subscriber counts.
        tracing::subscriber::with_default(subscriber, || assert!(!has_subscriber()));
    }
}
