//! [`Links`]: the session's many-to-one links (child → parent), indexed by child.

use super::state::Link;
use std::collections::HashMap;

/// Many-to-one links, at most one per child instance and foreign key.
#[derive(Default)]
pub(crate) struct Links {
    by_child: HashMap<(u64, Vec<usize>), Link>,
}

impl Links {
    /// Records `link`, replacing the child's previous link along the same foreign key.
    pub(crate) fn insert(&mut self, link: Link) {
        self.by_child
            .insert((link.child.id(), link.child_columns.clone()), link);
    }

    /// The link of child `child` along the foreign-key columns `columns`.
    pub(crate) fn get(&self, child: u64, columns: &[usize]) -> Option<&Link> {
        self.by_child.get(&(child, columns.to_vec()))
    }

    /// Forgets the link of child `child` along `columns`.
    pub(crate) fn remove(&mut self, child: u64, columns: &[usize]) {
        self.by_child.remove(&(child, columns.to_vec()));
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
