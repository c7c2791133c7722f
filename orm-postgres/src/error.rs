//! `postgres::Error` -> `orm_core::Error`: SQLSTATE codes become typed variants that
//! carry the server's constraint, table and column names.

use crate::value::BindError;
use orm_core::{DbErrorInfo, Error, Url};
use postgres::error::{DbError, SqlState};
use std::error::Error as _;

fn info(db: &DbError) -> DbErrorInfo {
    DbErrorInfo {
        code: db.code().code().to_owned(),
        message: db.message().to_owned(),
        constraint: db.constraint().map(str::to_owned),
        table: db.table().map(str::to_owned),
        column: db.column().map(str::to_owned),
        detail: db.detail().map(str::to_owned),
    }
}

/// SQLSTATEs meaning the session is gone: class 08 (connection exception) and the
/// shutdown codes a terminated backend reports (57P01..57P03).
fn is_session_gone(code: &SqlState) -> bool {
    code.code().starts_with("08")
        || *code == SqlState::ADMIN_SHUTDOWN
        || *code == SqlState::CRASH_SHUTDOWN
        || *code == SqlState::CANNOT_CONNECT_NOW
}

fn from_db_error(db: &DbError) -> Error {
    let code = db.code();
    if is_session_gone(code) {
        return Error::ConnectionLost(format!("{} ({})", db.message(), code.code()));
    }
    let i = Box::new(info(db));
    match *code {
        SqlState::UNIQUE_VIOLATION => Error::UniqueViolation(i),
        SqlState::FOREIGN_KEY_VIOLATION => Error::ForeignKeyViolation(i),
        SqlState::NOT_NULL_VIOLATION => Error::NotNullViolation(i),
        SqlState::CHECK_VIOLATION => Error::CheckViolation(i),
        SqlState::T_R_SERIALIZATION_FAILURE | SqlState::T_R_DEADLOCK_DETECTED => {
            Error::SerializationFailure(i)
        }
        SqlState::LOCK_NOT_AVAILABLE => Error::LockNotAvailable(i),
        _ => Error::Database(i),
    }
}

/// The driver's message followed by its causes (`postgres::Error`'s `Display`
/// shows only its own kind, e.g. "error connecting to server", not why).
pub(crate) fn describe(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// Maps an error from a statement on an open connection.
///
/// Server errors become typed variants; a closed connection or an I/O failure is
/// [`Error::ConnectionLost`]; a parameter that does not fit its inferred type is
/// [`Error::Conversion`]; anything else is [`Error::Driver`].
pub(crate) fn map_error(e: postgres::Error) -> Error {
    if let Some(db) = e.as_db_error() {
        return from_db_error(db);
    }
    if e.is_closed() {
        return Error::ConnectionLost(describe(&e));
    }
    match e.source() {
        Some(s) if s.is::<std::io::Error>() => Error::ConnectionLost(describe(&e)),
        Some(s) if s.is::<BindError>() => Error::Conversion(describe(&e)),
        _ => Error::Driver(describe(&e)),
    }
}

/// Maps a failure to open a connection to [`Error::Connect`], naming
/// `host:port/database` and never the password.
pub(crate) fn connect_error(url: &Url, e: &postgres::Error) -> Error {
    let reason = match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => describe(e),
    };
    let reason = match url.password() {
        Some(p) if !p.is_empty() => reason.replace(p, "***"),
        _ => reason,
    };
    Error::Connect {
        target: url.target(),
        reason,
    }
}
