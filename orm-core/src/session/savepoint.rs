//! [`Savepoint`]: a nested transaction guard.

use super::Session;
use crate::error::Result;

/// An open SAVEPOINT. [`commit`](Savepoint::commit) releases it; [`rollback`](Savepoint::rollback)
/// (or dropping the guard) rolls the database back to it and undoes, in memory, what was
/// flushed since it began.
#[must_use = "a savepoint is rolled back when dropped; call commit() to keep its changes"]
pub struct Savepoint<'s> {
    session: &'s Session,
    name: String,
    done: bool,
}

impl<'s> Savepoint<'s> {
    pub(crate) fn new(session: &'s Session, name: String) -> Self {
        Savepoint {
            session,
            name,
            done: false,
        }
    }

    /// Flushes and releases the savepoint, keeping its changes in the transaction.
    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        let name = &self.name;
        self.session
            .shared()
            .run(async |st, shared| st.release_savepoint(shared, name).await)
    }

    /// Rolls back to the savepoint.
    pub fn rollback(mut self) -> Result<()> {
        self.done = true;
        self.rollback_now()
    }

    fn rollback_now(&self) -> Result<()> {
        let name = &self.name;
        self.session
            .shared()
            .run(async |st, shared| st.rollback_to_savepoint(shared, name).await)
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.rollback_now();
        }
    }
}
