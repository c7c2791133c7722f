//! Relationships between objects that are in no session yet (SQLAlchemy's
//! `Article(author=ezz)` before `session.add`).
//!
//! Linked transient instances share one [`TransientGraph`]: the instances (held once
//! each) and the relationship operations in the order they were made. Reading a
//! relationship of a transient instance is a view of those operations; when any
//! member joins a session, every member joins it and the operations are replayed
//! there, so both sides of every relationship end up in sync.
//!
//! Ownership: the graph holds its members and each member holds the graph, a cycle
//! that [`Handle`](crate::Handle)'s `Drop` breaks once no user handle to any member
//! is left (see [`TransientGraph::release_if_unreachable`]). A graph is meant to be
//! built by one thread.

use super::def::RelationshipDef;
use super::resolve::Resolved;
use crate::error::Result;
use crate::session::AnyInstance;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// One relationship operation between members, by instance id.
#[derive(Clone, Copy)]
pub(crate) enum GraphOp {
    /// `child`'s foreign key along `def` points at `parent` (`None`: at nothing).
    Parent {
        def: &'static RelationshipDef,
        child: u64,
        parent: Option<u64>,
    },
    /// A row of `def`'s association table between `parent` and `child`, added or removed.
    Assoc {
        def: &'static RelationshipDef,
        parent: u64,
        child: u64,
        add: bool,
    },
}

/// The members and operations of a graph, taken out when it joins a session.
#[derive(Default)]
pub(crate) struct GraphParts {
    pub(crate) members: Vec<Arc<dyn AnyInstance>>,
    pub(crate) ops: Vec<GraphOp>,
}

/// The relationships made between instances in no session (see the module docs).
#[derive(Default)]
pub(crate) struct TransientGraph {
    parts: Mutex<GraphParts>,
}

impl std::fmt::Debug for TransientGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TransientGraph({} members)", self.lock().members.len())
    }
}

impl TransientGraph {
    fn lock(&self) -> MutexGuard<'_, GraphParts> {
        self.parts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records `op` between `a` and `b` (neither in a session): their graphs become
    /// one (created if neither has one).
    pub(crate) fn record(a: &Arc<dyn AnyInstance>, b: &Arc<dyn AnyInstance>, op: GraphOp) {
        let graph = match (a.graph(), b.graph()) {
            (Some(g), Some(h)) if Arc::ptr_eq(&g, &h) => g,
            (Some(g), Some(h)) => {
                g.absorb(&h);
                g
            }
            (Some(g), None) | (None, Some(g)) => g,
            (None, None) => Arc::new(TransientGraph::default()),
        };
        graph.adopt(a);
        graph.adopt(b);
        graph.lock().ops.push(op);
    }

    /// Records `op` about `a` alone (an unlink); nothing to do if it has no graph.
    pub(crate) fn record_on(a: &Arc<dyn AnyInstance>, op: GraphOp) {
        if let Some(g) = a.graph() {
            g.lock().ops.push(op);
        }
    }

    /// Makes `inst` a member (once).
    fn adopt(self: &Arc<Self>, inst: &Arc<dyn AnyInstance>) {
        if inst.graph().is_some_and(|g| Arc::ptr_eq(&g, self)) {
            return;
        }
        self.lock().members.push(Arc::clone(inst));
        inst.set_graph(Some(Arc::clone(self)));
    }

    /// Moves the members and operations of `other` into this graph.
    fn absorb(self: &Arc<Self>, other: &Arc<TransientGraph>) {
        let taken = std::mem::take(&mut *other.lock());
        for m in &taken.members {
            m.set_graph(Some(Arc::clone(self)));
        }
        let mut mine = self.lock();
        mine.members.extend(taken.members);
        mine.ops.extend(taken.ops);
    }

    /// The members linked to `start` now, directly or through others (SQLAlchemy's
    /// save-update cascade follows the current links, not earlier ones).
    pub(crate) fn component(&self, start: u64) -> Result<Vec<Arc<dyn AnyInstance>>> {
        let edges = self.current_edges()?;
        let mut reached = vec![start];
        let mut i = 0;
        while i < reached.len() {
            let at = reached[i];
            for &(a, b) in &edges {
                let next = if a == at {
                    b
                } else if b == at {
                    a
                } else {
                    continue;
                };
                if !reached.contains(&next) {
                    reached.push(next);
                }
            }
            i += 1;
        }
        let parts = self.lock();
        Ok(parts
            .members
            .iter()
            .filter(|m| reached.contains(&m.id()))
            .cloned()
            .collect())
    }

    /// The links between members as the operations leave them, as id pairs.
    fn current_edges(&self) -> Result<Vec<(u64, u64)>> {
        type FkKey = (u64, String, Arc<[usize]>);
        let mut parents: Vec<(FkKey, u64)> = Vec::new();
        let mut rows: Vec<(String, u64, u64)> = Vec::new();
        for op in self.lock().ops.iter() {
            match *op {
                GraphOp::Parent { def, child, parent } => {
                    let r = def.resolved()?;
                    let key = (child, r.child_table.name.clone(), r.child_columns.clone());
                    parents.retain(|(k, _)| *k != key);
                    parents.extend(parent.map(|p| (key, p)));
                }
                GraphOp::Assoc {
                    def,
                    parent,
                    child,
                    add,
                } => {
                    let table = def
                        .resolved()?
                        .secondary
                        .as_ref()
                        .map(|s| s.table.name.clone());
                    let row = (
                        table.unwrap_or_default(),
                        parent.min(child),
                        parent.max(child),
                    );
                    rows.retain(|r| *r != row);
                    if add {
                        rows.push(row);
                    }
                }
            }
        }
        let mut edges: Vec<(u64, u64)> = parents.into_iter().map(|((c, ..), p)| (c, p)).collect();
        edges.extend(rows.into_iter().map(|(_, a, b)| (a, b)));
        Ok(edges)
    }

    /// Takes `members` out of the graph for a session to take in, with a copy of the
    /// operations (replaying one that names a member left behind does nothing). The
    /// members left keep the graph, which is freed now if nobody holds them.
    pub(crate) fn split_off(&self, members: &[Arc<dyn AnyInstance>]) -> GraphParts {
        let taken = {
            let mut parts = self.lock();
            parts
                .members
                .retain(|m| !members.iter().any(|t| t.id() == m.id()));
            GraphParts {
                members: members.to_vec(),
                ops: parts.ops.clone(),
            }
        };
        for m in &taken.members {
            m.set_graph(None);
        }
        self.release_if_unreachable(0);
        taken
    }

    /// Called as a handle to member `dropping` goes: if no member is held by anything
    /// but the graph (and that last handle), the graph lets them all go. Skipped while
    /// another call holds the graph; the next drop checks again.
    pub(crate) fn release_if_unreachable(&self, dropping: u64) {
        let Ok(mut parts) = self.parts.try_lock() else {
            return;
        };
        let held = parts.members.iter().any(|m| {
            let own = if m.id() == dropping { 2 } else { 1 };
            Arc::strong_count(m) > own
        });
        if held {
            return;
        }
        let members = std::mem::take(&mut parts.members);
        parts.ops.clear();
        drop(parts);
        for m in &members {
            m.set_graph(None);
        }
    }

    fn member(&self, id: u64) -> Option<Arc<dyn AnyInstance>> {
        self.lock().members.iter().find(|m| m.id() == id).cloned()
    }

    /// The parent `child` points at along the foreign key of `r` (many-to-one view).
    pub(crate) fn parent_of(
        &self,
        r: &Resolved,
        child: &Arc<dyn AnyInstance>,
    ) -> Result<Option<Arc<dyn AnyInstance>>> {
        let mut found = None;
        for op in self.lock().ops.iter() {
            if let GraphOp::Parent {
                def,
                child: c,
                parent,
            } = *op
            {
                if c == child.id() && same_foreign_key(def.resolved()?, r) {
                    found = parent;
                }
            }
        }
        Ok(found.and_then(|id| self.member(id)))
    }

    /// The children pointing at `parent` along `r`'s foreign key, in the order they
    /// were linked (one-to-many view).
    pub(crate) fn children_of(
        &self,
        r: &Resolved,
        parent: &Arc<dyn AnyInstance>,
    ) -> Result<Vec<Arc<dyn AnyInstance>>> {
        // For each child, its latest parent along this foreign key.
        let mut latest: Vec<(u64, Option<u64>)> = Vec::new();
        for op in self.lock().ops.iter() {
            if let GraphOp::Parent { def, child, parent } = *op {
                if same_foreign_key(def.resolved()?, r) {
                    latest.retain(|(c, _)| *c != child);
                    latest.push((child, parent));
                }
            }
        }
        Ok(latest
            .into_iter()
            .filter(|(_, p)| *p == Some(parent.id()))
            .filter_map(|(c, _)| self.member(c))
            .collect())
    }

    /// The instances linked to `parent` through `def`'s association table, in the
    /// order the rows were added (many-to-many view, either direction).
    pub(crate) fn associated(
        &self,
        def: &RelationshipDef,
        parent: &Arc<dyn AnyInstance>,
    ) -> Result<Vec<Arc<dyn AnyInstance>>> {
        let sec = def.resolved()?.secondary.clone().expect("many-to-many");
        let mut rows: Vec<u64> = Vec::new();
        for op in self.lock().ops.iter() {
            let GraphOp::Assoc {
                def: d,
                parent: p,
                child: c,
                add,
            } = *op
            else {
                continue;
            };
            let s = d.resolved()?.secondary.clone().expect("many-to-many");
            if s.table.name != sec.table.name {
                continue;
            }
            // The row's end on `parent`'s side, and the other end.
            let other = if s.source_columns == sec.source_columns && p == parent.id() {
                c
            } else if s.target_columns == sec.source_columns && c == parent.id() {
                p
            } else {
                continue;
            };
            rows.retain(|o| *o != other);
            if add {
                rows.push(other);
            }
        }
        Ok(rows.into_iter().filter_map(|id| self.member(id)).collect())
    }
}

/// Whether two resolved relationships go through the same foreign key.
fn same_foreign_key(a: &Resolved, b: &Resolved) -> bool {
    a.child_table.name == b.child_table.name && a.child_columns == b.child_columns
}
