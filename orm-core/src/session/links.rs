//! [`Links`]: the session's many-to-one links (child → parent), indexed by child.

use super::state::Link;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Many-to-one links, at most one per child instance and foreign key.
#[derive(Default)]
pub(crate) struct Links {
    by_child: FxHashMap<(u64, Arc<[usize]>), Link>,
}

impl Links {
    /// Records `link`, replacing the child's previous link along the same foreign key.
    pub(crate) fn insert(&mut self, link: Link) {
        self.by_child
            .insert((link.child.id(), Arc::clone(&link.child_columns)), link);
    }

    /// The link of child `child` along the foreign-key columns `columns`.
    pub(crate) fn get(&self, child: u64, columns: &Arc<[usize]>) -> Option<&Link> {
        self.by_child.get(&(child, Arc::clone(columns)))
    }

    /// Forgets the link of child `child` along `columns`.
    pub(crate) fn remove(&mut self, child: u64, columns: &Arc<[usize]>) {
        self.by_child.remove(&(child, Arc::clone(columns)));
    }

    /// Keeps only the links for which `keep` is true.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&Link) -> bool) {
        self.by_child.retain(|_, l| keep(l));
    }

    /// Every link, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Link> {
        self.by_child.values()
    }

    /// Forgets every link.
    pub(crate) fn clear(&mut self) {
        self.by_child.clear();
    }
}
