//! Row locks on queries (`.with_for_update().skip_locked()`, `FOR SHARE`, ...) and
//! [`Session::get_for_update`].
//!
//! A locked read is classified as a write by the engine's routing (its SQL has a
//! `FOR UPDATE`/`FOR SHARE` clause), so with read replicas it goes to the primary,
//! and the rest of the transaction with it. Locked rows become handles through the
//! identity map like any others.
//!
//! ```no_run
//! # use orm_core::{Col, Model, Session};
//! # fn demo<Job: Model>(session: &Session, done: Col<Job, bool>,
//! #     id: Col<Job, Option<i32>>) -> orm_core::Result<()> {
//! // A job queue: take up to 10 jobs no other worker holds.
//! let jobs = session
//!     .query::<Job>()
//!     .filter(done.eq(false))
//!     .order_by(id)
//!     .limit(10)
//!     .with_for_update()
//!     .skip_locked()
//!     .all()?;
//! # Ok(()) }
//! ```

use super::base::Core;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::session::{Handle, PrimaryKey, Session};
use crate::statement::{key_filter, Lock, LockStrength};

impl Core<'_> {
    /// The query's lock, `FOR UPDATE` if it had none.
    pub(crate) fn lock_mut(&mut self) -> &mut Lock {
        self.select.lock.get_or_insert_with(Lock::default)
    }

    pub(crate) fn set_lock_strength(&mut self, strength: LockStrength) {
        self.lock_mut().strength = strength;
    }
}

/// `with_for_update`, `for_no_key_update`, `for_share`, `for_key_share`,
/// `skip_locked`, `nowait`, `of`.
macro_rules! lock_methods {
    () => {
        /// `FOR UPDATE`: lock the selected rows until the transaction ends; others
        /// wait to change or lock them. Combine with [`skip_locked`](Self::skip_locked)
        /// or [`nowait`](Self::nowait), and [`of`](Self::of).
        pub fn with_for_update(mut self) -> Self {
            self.core
                .set_lock_strength($crate::statement::LockStrength::Update);
            self
        }

        /// `FOR NO KEY UPDATE`: as `FOR UPDATE`, but inserting rows that reference
        /// the locked ones does not wait.
        pub fn for_no_key_update(mut self) -> Self {
            self.core
                .set_lock_strength($crate::statement::LockStrength::NoKeyUpdate);
            self
        }

        /// `FOR SHARE`: others may also share-lock the rows, nobody may change them.
        pub fn for_share(mut self) -> Self {
            self.core
                .set_lock_strength($crate::statement::LockStrength::Share);
            self
        }

        /// `FOR KEY SHARE`: only deleting the rows or changing their keys waits.
        pub fn for_key_share(mut self) -> Self {
            self.core
                .set_lock_strength($crate::statement::LockStrength::KeyShare);
            self
        }

        /// `SKIP LOCKED`: rows another transaction holds are left out instead of
        /// waited for (a job queue). Implies `FOR UPDATE` if no lock was chosen.
        pub fn skip_locked(mut self) -> Self {
            self.core.lock_mut().wait = $crate::statement::LockWait::SkipLocked;
            self
        }

        /// `NOWAIT`: fail with [`Error::LockNotAvailable`](crate::Error::LockNotAvailable)
        /// instead of waiting for a row another transaction holds. Implies
        /// `FOR UPDATE` if no lock was chosen.
        pub fn nowait(mut self) -> Self {
            self.core.lock_mut().wait = $crate::statement::LockWait::NoWait;
            self
        }

        /// `OF "t"`: lock only the rows of `N`'s table (not those of joined tables);
        /// call again to add tables. Implies `FOR UPDATE` if no lock was chosen.
        pub fn of<N: $crate::Model>(mut self) -> Self {
            let name = N::table().name.clone();
            self.core.lock_mut().of.push(name.into());
            self
        }

        /// `OF "alias"`: lock only the rows read through `source` (an alias).
        pub fn of_source(mut self, source: impl $crate::query::FromSource) -> Self {
            let item = source.table_ref();
            let name = item.visible_name().clone();
            self.core.lock_mut().of.push(name);
            self
        }
    };
}

pub(crate) use lock_methods;

impl Session {
    /// The instance with primary key `pk`, its row locked `FOR UPDATE` until the
    /// transaction ends (SQLAlchemy's `get(.., with_for_update=True)`). Always one
    /// SELECT, even when the instance is loaded (the lock must be taken); a loaded
    /// instance without unflushed changes is refreshed from the locked row, and the
    /// same handle is returned. `None` when no such row exists.
    pub fn get_for_update<M: Model>(&self, pk: impl PrimaryKey) -> Result<Option<Handle<M>>> {
        self.get_with_lock::<M>(pk, Lock::default())
    }

    /// Like [`get_for_update`](Self::get_for_update) with any lock: a strength
    /// (`FOR SHARE`, ...) and a waiting policy (`NOWAIT`, `SKIP LOCKED`).
    pub fn get_with_lock<M: Model>(
        &self,
        pk: impl PrimaryKey,
        lock: Lock,
    ) -> Result<Option<Handle<M>>> {
        let pk = pk.into_values();
        let table = M::table();
        let columns = table.primary_key_indices().len();
        if pk.len() != columns || pk.iter().any(|v| v.is_null()) {
            return Err(Error::InvalidRequest(format!(
                "table `{}` has {columns} primary-key column(s), got {} non-NULL value(s)",
                table.name,
                pk.iter().filter(|v| !v.is_null()).count()
            )));
        }
        let mut q = self
            .query::<M>()
            .filter(key_filter(table, &pk))
            .populate_existing();
        q.core.select.lock = Some(lock);
        q.one_or_none()
    }
}
