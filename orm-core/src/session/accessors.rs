//! Field accessors on handles: `article.title()` and `article.set_title(..)`.
//!
//! A handle cannot get inherent methods from the user's crate, so `#[derive(Model)]`
//! generates a small type per model holding the handle's [`HandleCore`], with one
//! getter and one setter per mapped field, and names it as the model's
//! [`Model::Accessors`]. [`Handle`](super::Handle) stores that type and dereferences
//! to it, so the accessors need no import and cost nothing (the type is the handle's
//! only field, a pointer).

use super::handle::{Ref, RefMut};
use super::instance::{AnyInstance, Instance};
use crate::model::Model;
use std::sync::Arc;

/// The shared instance behind a [`Handle`](super::Handle), as the generated accessors
/// see it. Not a public API: use the handle's own methods.
#[doc(hidden)]
pub struct HandleCore<M: Model> {
    pub(super) inst: Arc<Instance<M>>,
}

impl<M: Model> HandleCore<M> {
    /// Borrows the data for reading (what [`Handle::read`](super::Handle::read) does).
    ///
    /// An expired instance is reloaded first; if that fails this panics (see
    /// [`Handle::load`](super::Handle::load) for the fallible form).
    pub fn read(&self) -> Ref<'_, M> {
        self.reload_if_expired();
        Ref(self.inst.read())
    }

    /// Borrows the data for writing and marks the instance as changed (what
    /// [`Handle::write`](super::Handle::write) does).
    pub fn write(&self) -> RefMut<'_, M> {
        self.reload_if_expired();
        let guard = self.inst.write();
        if self.inst.touch_with(&guard) {
            if let Some(session) = self.inst.session() {
                session.note_modified(Arc::clone(&self.inst) as Arc<dyn AnyInstance>);
            }
        }
        RefMut(guard)
    }

    /// Reloads an expired instance, for the infallible accessors.
    fn reload_if_expired(&self) {
        // Through the typed instance: no reference count is touched on this hot path.
        if AnyInstance::is_expired(&*self.inst) {
            let inst = Arc::clone(&self.inst) as Arc<dyn AnyInstance>;
            if let Err(e) = super::expire::reload_expired(&inst) {
                panic!("the expired instance could not be reloaded: {e} (call Handle::load() first to handle this error)");
            }
        }
    }
}

/// The type `#[derive(Model)]` generates for a model's field accessors (one getter
/// and one `set_` method per mapped field); a [`Handle`](super::Handle) dereferences
/// to it.
///
/// ```
/// use orm_core::prelude::*;
///
/// #[derive(Model, Clone, Debug, Default)]
/// struct Tag {
///     #[orm(primary_key)]
///     id: Option<i32>,
///     name: String,
/// }
///
/// let tag = Handle::new(Tag { name: "rust".into(), ..Default::default() });
/// assert_eq!(tag.name(), "rust");
/// tag.set_name("orm");
/// assert_eq!(tag.read().name, "orm");
/// assert!(tag.is_modified());
/// ```
pub trait Accessors<M: Model>: Send + Sync + Sized + 'static {
    /// Wraps a handle's core (called by [`Handle`](super::Handle) only).
    #[doc(hidden)]
    fn from_core(core: HandleCore<M>) -> Self;

    /// The handle's core (the generated methods read and write through it).
    #[doc(hidden)]
    fn core(&self) -> &HandleCore<M>;
}
