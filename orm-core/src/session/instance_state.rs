//! [`InstanceState`]: where an instance is in its life cycle.

use std::sync::atomic::{AtomicU8, Ordering};

/// The life-cycle state of a managed instance, as in SQLAlchemy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstanceState {
    /// Not attached to any session and never persisted (or rolled back out of existence).
    Transient,
    /// Added to a session, not yet inserted.
    Pending,
    /// Has a row in the database and is in the session's identity map.
    Persistent,
    /// Marked for deletion (before flush) or deleted by a flush (until commit).
    Deleted,
    /// Was persistent, but is no longer attached to a session.
    Detached,
}

impl InstanceState {
    fn to_u8(self) -> u8 {
        match self {
            Self::Transient => 0,
            Self::Pending => 1,
            Self::Persistent => 2,
            Self::Deleted => 3,
            Self::Detached => 4,
        }
    }

    fn from_u8(v: u8) -> Self {
        match v {
            0 => Self::Transient,
            1 => Self::Pending,
            2 => Self::Persistent,
            3 => Self::Deleted,
            _ => Self::Detached,
        }
    }
}

/// An atomically readable [`InstanceState`].
#[derive(Debug)]
pub(crate) struct StateCell(AtomicU8);

impl StateCell {
    pub(crate) fn new(s: InstanceState) -> Self {
        StateCell(AtomicU8::new(s.to_u8()))
    }

    pub(crate) fn get(&self) -> InstanceState {
        InstanceState::from_u8(self.0.load(Ordering::Acquire))
    }

    pub(crate) fn set(&self, s: InstanceState) {
        self.0.store(s.to_u8(), Ordering::Release);
    }
}
