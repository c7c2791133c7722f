//! The one error type of the ORM, with variants a caller can match on.

use std::fmt;

/// Result alias used across the ORM.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Details a database attaches to a constraint violation or other server error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbErrorInfo {
    /// The SQLSTATE code, e.g. `23505`.
    pub code: String,
    /// The server's primary message.
    pub message: String,
    /// The constraint involved, when the server names one.
    pub constraint: Option<String>,
    /// The table involved, when the server names one.
    pub table: Option<String>,
    /// The column involved, when the server names one.
    pub column: Option<String>,
    /// The server's detail line, when it gives one.
    pub detail: Option<String>,
}

impl fmt::Display for DbErrorInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(table) = &self.table {
            write!(f, " (table `{table}`")?;
            if let Some(c) = &self.constraint {
                write!(f, ", constraint `{c}`")?;
            }
            if let Some(c) = &self.column {
                write!(f, ", column `{c}`")?;
            }
            write!(f, ")")?;
        } else if let Some(c) = &self.constraint {
            write!(f, " (constraint `{c}`)")?;
        }
        if let Some(d) = &self.detail {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

/// Every error the ORM returns.
///
/// The server's details are boxed so that `Result<T>` stays small on the hot paths
/// (every value conversion returns one); fields read through the box as usual.
///
/// Database constraint violations have their own variants so callers can
/// match them:
///
/// ```
/// use orm_core::{DbErrorInfo, Error};
/// let err = Error::UniqueViolation(Box::new(DbErrorInfo {
///     constraint: Some("articles_slug_key".into()),
///     ..Default::default()
/// }));
/// assert!(matches!(err, Error::UniqueViolation(ref i) if i.constraint.as_deref() == Some("articles_slug_key")));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A UNIQUE or PRIMARY KEY constraint was violated (SQLSTATE 23505).
    #[error("unique violation: {0}")]
    UniqueViolation(Box<DbErrorInfo>),
    /// A FOREIGN KEY constraint was violated (SQLSTATE 23503).
    #[error("foreign key violation: {0}")]
    ForeignKeyViolation(Box<DbErrorInfo>),
    /// A NOT NULL constraint was violated (SQLSTATE 23502).
    #[error("not null violation: {0}")]
    NotNullViolation(Box<DbErrorInfo>),
    /// A CHECK constraint was violated (SQLSTATE 23514).
    #[error("check violation: {0}")]
    CheckViolation(Box<DbErrorInfo>),
    /// The transaction could not be serialized or deadlocked (SQLSTATE 40001/40P01).
    #[error("serialization failure: {0}")]
    SerializationFailure(Box<DbErrorInfo>),
    /// Any other error reported by the database server.
    #[error("database error: {0}")]
    Database(Box<DbErrorInfo>),
    /// `one()` or `get()` expected a row and found none.
    #[error("no result found: {0}")]
    NoResultFound(String),
    /// `one()` or `one_or_none()` expected at most one row and found several.
    #[error("multiple results found: {0}")]
    MultipleResultsFound(String),
    /// An UPDATE or DELETE matched a different number of rows than expected
    /// (the row was changed or deleted concurrently, or a version check failed).
    #[error("stale data: {0}")]
    StaleData(String),
    /// A previous flush failed; call `rollback()` before using the session again.
    #[error("this session's transaction has been rolled back due to a previous error during flush; call rollback() before using the session again (original error: {0})")]
    PendingRollback(String),
    /// The operation needs a session, but the instance is not (or no longer) attached to one.
    #[error("detached instance: {0}")]
    Detached(String),
    /// The operation is not valid for the instance or session in its current state.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The URL could not be parsed.
    #[error("invalid database url: {0}")]
    InvalidUrl(String),
    /// Connecting to the server failed (unreachable host, refused login, missing database).
    #[error("could not connect to {target}: {reason}")]
    Connect {
        /// `host:port/database` (never the password).
        target: String,
        /// What went wrong, as the driver reported it (never the password).
        reason: String,
    },
    /// The connection to the server was lost or closed.
    #[error("connection lost: {0}")]
    ConnectionLost(String),
    /// Schema metadata is inconsistent (unknown foreign-key target, ambiguous relationship, ...).
    #[error("schema error: {0}")]
    Schema(String),
    /// A value could not be converted between its SQL and Rust types.
    #[error("type conversion error: {0}")]
    Conversion(String),
    /// A NULL came back for a field whose Rust type cannot hold it.
    #[error("unexpected NULL in column `{0}`")]
    UnexpectedNull(String),
    /// A pool or driver error without a more specific variant.
    #[error("driver error: {0}")]
    Driver(String),
    /// An applied migration's `up.sql` was edited after it was applied (its checksum
    /// no longer matches the one recorded in the migration history).
    #[error("migration {version}_{name} was edited after it was applied (checksum mismatch: recorded {recorded}, file now {found}); restore the file and put the change in a new migration")]
    MigrationChecksumMismatch {
        /// The migration's version (its UTC timestamp).
        version: String,
        /// The migration's name.
        name: String,
        /// The checksum recorded when it was applied.
        recorded: String,
        /// The checksum of the file now.
        found: String,
    },
    /// A migration failed; its transaction was rolled back, so the database and the
    /// migration history are as they were before it.
    #[error("migration {version}_{name} failed and was rolled back: {source}")]
    MigrationFailed {
        /// The migration's version.
        version: String,
        /// The migration's name.
        name: String,
        /// What the database reported.
        #[source]
        source: Box<Error>,
    },
    /// Migration files or history cannot be used as they are (a missing folder or
    /// file, a badly named folder, a database behind its migrations, ...).
    #[error("migration error: {0}")]
    Migration(String),
    /// A value has more characters than its `VARCHAR(n)` column holds. Refused before
    /// any SQL is sent (PostgreSQL would raise an error, or silently trim trailing
    /// spaces, so the object would no longer equal its row).
    #[error(
        "value too long for `{table}.{column}`: {len} characters, the column holds at most {max}"
    )]
    ValueTooLong {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The column's length, in characters.
        max: u32,
        /// The value's length, in characters.
        len: usize,
    },
    /// A value its column cannot store exactly (`-0.0` in a JSONB document: PostgreSQL's
    /// numbers have no negative zero). Refused before any SQL is sent.
    #[error("`{table}.{column}` cannot store this value exactly: {reason}")]
    UnstorableValue {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// What the column cannot hold.
        reason: String,
    },
    /// A statement carries more bind parameters than the database accepts in one
    /// statement (65,535 for PostgreSQL). Refused; nothing is sent.
    #[error("a statement with {count} bind parameters exceeds the limit of {max}; nothing was sent (bind lists as arrays, or split the statement)")]
    TooManyParameters {
        /// Bind parameters in the statement.
        count: usize,
        /// The most the dialect allows.
        max: usize,
    },
    /// TLS could not be set up with the server: the server refused it, its
    /// certificate was not trusted or not valid for the host, or a certificate or key
    /// file could not be read. One line, without the password.
    #[error("TLS error with {target}: {reason}")]
    Tls {
        /// `host:port/database` (never the password).
        target: String,
        /// What failed, in one line.
        reason: String,
    },
    /// The server did not answer within a configured bound (`connect_timeout`,
    /// `query_timeout`); the connection is discarded.
    #[error("timed out after {after:?} {waiting_for}")]
    Timeout {
        /// What was awaited, e.g. `connecting to 127.0.0.1:5432/test`.
        waiting_for: String,
        /// The configured bound that ran out.
        after: std::time::Duration,
    },
    /// Every pooled connection stayed in use for the engine's checkout timeout.
    #[error(
        "no pooled connection became free within {waited:?} (pool of {pool_size}, all in use)"
    )]
    PoolTimeout {
        /// How long the checkout waited.
        waited: std::time::Duration,
        /// The pool's size.
        pool_size: u32,
    },
    /// A `read()` or `write()` guard on an instance is alive while a session call
    /// (flush, commit, rollback, refresh, a query, a relationship change) needs that
    /// instance: the call is refused instead of waiting for a guard this thread holds.
    #[error("the `{model}` instance with key {key} is borrowed by a read() or write() guard that is still alive; drop the guard (end its scope, or use Handle::with / Handle::update for a short access) before calling the session")]
    InstanceBorrowed {
        /// The model's type name, e.g. `Article`.
        model: String,
        /// The primary key, e.g. `(1)` or `("NZ")`; `(new)` when not assigned yet.
        key: String,
    },
    /// Deleting a parent would set a NOT NULL foreign key of its children to NULL: the
    /// relationship has neither a delete cascade nor `passive_deletes`. Raised by
    /// `Session::delete` before any SQL.
    #[error("cannot delete a `{parent}` row: relationship `{relationship}` would set the NOT NULL column `{column}` of its children to NULL; add cascade = \"all\" (delete the children), passive_deletes (the foreign key's ON DELETE handles them), or make the column nullable")]
    OrphanedChildren {
        /// The parent's table.
        parent: String,
        /// The relationship, as `table.name`.
        relationship: String,
        /// The children's foreign-key column, as `table.column`.
        column: String,
    },
    /// A lock could not be taken: `FOR UPDATE NOWAIT` met a row another transaction
    /// holds, or `lock_timeout` ran out (SQLSTATE 55P03).
    #[error("lock not available: {0}")]
    LockNotAvailable(Box<DbErrorInfo>),
    /// A blocking call met an I/O step that could not complete at once: the engine's
    /// connections are asynchronous, so this call needs the async API. Nothing waits
    /// or spins; the step was abandoned (a connection in an unknown state is not
    /// reused).
    #[error("would block: {0} (the engine's connections are asynchronous; use the async API)")]
    WouldBlock(String),
}

impl Error {
    /// The database details carried by a server-side error, if this is one.
    pub fn db_info(&self) -> Option<&DbErrorInfo> {
        match self {
            Error::UniqueViolation(i)
            | Error::ForeignKeyViolation(i)
            | Error::NotNullViolation(i)
            | Error::CheckViolation(i)
            | Error::SerializationFailure(i)
            | Error::LockNotAvailable(i)
            | Error::Database(i) => Some(i),
            _ => None,
        }
    }
}
