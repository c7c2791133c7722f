//! [`Lock`]: the row-locking clause of a SELECT (`FOR UPDATE SKIP LOCKED`, ...).

use std::borrow::Cow;

/// How strongly the selected rows are locked (PostgreSQL's four row-lock modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LockStrength {
    /// `FOR UPDATE`: blocks every other lock and every change of the rows.
    #[default]
    Update,
    /// `FOR NO KEY UPDATE`: like `FOR UPDATE`, but lets others take `FOR KEY SHARE`
    /// (a foreign key check of a new child row does not wait).
    NoKeyUpdate,
    /// `FOR SHARE`: others may read-lock the rows too, nobody may change them.
    Share,
    /// `FOR KEY SHARE`: only blocks deleting the rows or changing their keys.
    KeyShare,
}

/// What to do about rows another transaction has locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LockWait {
    /// Wait for the other transaction (the default).
    #[default]
    Wait,
    /// `NOWAIT`: fail at once
    /// ([`Error::LockNotAvailable`](crate::Error::LockNotAvailable)).
    NoWait,
    /// `SKIP LOCKED`: leave those rows out of the result (a job queue).
    SkipLocked,
}

/// `FOR <strength> [OF "t", ..] [NOWAIT | SKIP LOCKED]`.
///
/// ```
/// use orm_core::dialect::GenericDialect;
/// use orm_core::statement::{Lock, LockWait, Select};
/// use orm_core::Dialect;
///
/// let mut s = Select::from("jobs");
/// s.lock = Some(Lock { wait: LockWait::SkipLocked, ..Lock::default() });
/// assert_eq!(
///     GenericDialect.compile(&s.into()).sql,
///     r#"SELECT * FROM "jobs" FOR UPDATE SKIP LOCKED"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lock {
    /// The lock mode.
    pub strength: LockStrength,
    /// Lock only the rows of these tables (names or aliases); empty locks every table's.
    pub of: Vec<Cow<'static, str>>,
    /// Waiting policy.
    pub wait: LockWait,
}
