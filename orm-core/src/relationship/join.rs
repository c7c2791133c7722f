//! Relationship changes between instances in no session, recorded in their
//! [`TransientGraph`], and a graph joining a session (its members attached, its
//! operations replayed, so that both sides of every relationship are in step).

use super::def::{RelationKind, RelationshipDef};
use super::resolve::{Resolved, Side};
use super::transient::{GraphOp, TransientGraph};
use crate::error::{Error, Result};
use crate::session::{AnyInstance, InstanceState, SessionShared, SessionState};
use crate::value::Value;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// The graph of `inst`, or `None` for a transient one that was never linked. An
/// instance that has (or had) a row but no session cannot know its relationships.
fn graph_of(inst: &Arc<dyn AnyInstance>) -> Result<Option<Arc<TransientGraph>>> {
    match inst.graph() {
        Some(g) => Ok(Some(g)),
        None if matches!(
            inst.state(),
            InstanceState::Transient | InstanceState::Pending
        ) =>
        {
            Ok(None)
        }
        None => Err(Error::Detached(format!(
            "this `{}` is not in a session, so its relationships cannot be loaded",
            inst.table().name
        ))),
    }
}

/// The object a to-one relationship of `me` points at.
pub(crate) fn related(
    def: &RelationshipDef,
    me: &Arc<dyn AnyInstance>,
) -> Result<Option<Arc<dyn AnyInstance>>> {
    let Some(graph) = graph_of(me)? else {
        return Ok(None);
    };
    let r = def.resolved()?;
    if r.holder == Side::Target {
        return Ok(graph.children_of(r, me)?.into_iter().next());
    }
    graph.parent_of(r, me)
}

/// The objects of a to-many relationship of `me`, in the order they were added.
pub(crate) fn children(
    def: &RelationshipDef,
    me: &Arc<dyn AnyInstance>,
) -> Result<Vec<Arc<dyn AnyInstance>>> {
    let Some(graph) = graph_of(me)? else {
        return Ok(Vec::new());
    };
    if def.kind == RelationKind::ManyToMany {
        return graph.associated(def, me);
    }
    graph.children_of(def.resolved()?, me)
}

/// Points `child` at `parent` (or at nothing) along `def`'s foreign key: recorded in
/// the graph, and the key copied now when the parent has one (as in a session).
fn set_parent(
    def: &'static RelationshipDef,
    child: &Arc<dyn AnyInstance>,
    parent: Option<&Arc<dyn AnyInstance>>,
) -> Result<()> {
    let op = GraphOp::Parent {
        def,
        child: child.id(),
        parent: parent.map(|p| p.id()),
    };
    match parent {
        Some(p) => TransientGraph::record(child, p, op),
        None => TransientGraph::record_on(child, op),
    }
    copy_key_now(def.resolved()?, child, parent)
}

/// Fills (or clears) `child`'s foreign key from `parent`'s key, if it has one.
fn copy_key_now(
    r: &Resolved,
    child: &Arc<dyn AnyInstance>,
    parent: Option<&Arc<dyn AnyInstance>>,
) -> Result<()> {
    let values = match parent {
        Some(p) => p.values_at(&r.parent_columns)?,
        None => vec![Value::Null; r.child_columns.len()],
    };
    if parent.is_some() && values.iter().any(Value::is_null) {
        return Ok(());
    }
    for (&c, v) in r.child_columns.iter().zip(values) {
        if child.value(c)? != v {
            child.touch()?;
            child.set_value(c, v)?;
        }
    }
    Ok(())
}

/// `me.set_related(def, other)` with neither in a session.
pub(crate) fn set_related(
    def: &'static RelationshipDef,
    me: &Arc<dyn AnyInstance>,
    other: Option<&Arc<dyn AnyInstance>>,
) -> Result<()> {
    if def.resolved()?.holder == Side::Source {
        return set_parent(def, me, other);
    }
    // One-to-one seen from the parent: the previous child lets go.
    for old in children(def, me)? {
        if other.is_none_or(|o| o.id() != old.id()) {
            set_parent(def, &old, None)?;
        }
    }
    match other {
        Some(o) => set_parent(def, o, Some(me)),
        None => Ok(()),
    }
}

/// `me.append(def, child)` with neither in a session.
pub(crate) fn append(
    def: &'static RelationshipDef,
    me: &Arc<dyn AnyInstance>,
    child: &Arc<dyn AnyInstance>,
) -> Result<()> {
    if def.kind != RelationKind::ManyToMany {
        return set_parent(def, child, Some(me));
    }
    if children(def, me)?.iter().any(|c| c.id() == child.id()) {
        return Ok(());
    }
    let op = GraphOp::Assoc {
        def,
        parent: me.id(),
        child: child.id(),
        add: true,
    };
    TransientGraph::record(me, child, op);
    Ok(())
}

/// `me.remove(def, child)` with `me` in no session.
pub(crate) fn remove(
    def: &'static RelationshipDef,
    me: &Arc<dyn AnyInstance>,
    child: &Arc<dyn AnyInstance>,
) -> Result<()> {
    if !children(def, me)?.iter().any(|c| c.id() == child.id()) {
        return Err(Error::InvalidRequest(format!(
            "this `{}` is not in the `{}` collection of that `{}`",
            child.table().name,
            def.name,
            me.table().name
        )));
    }
    if def.kind != RelationKind::ManyToMany {
        return set_parent(def, child, None);
    }
    let op = GraphOp::Assoc {
        def,
        parent: me.id(),
        child: child.id(),
        add: false,
    };
    TransientGraph::record_on(me, op);
    Ok(())
}

/// `me.set_collection(def, new)` with none of them in a session.
pub(crate) fn replace(
    def: &'static RelationshipDef,
    me: &Arc<dyn AnyInstance>,
    new: &[Arc<dyn AnyInstance>],
) -> Result<()> {
    let kept = |c: &Arc<dyn AnyInstance>| new.iter().any(|n| n.id() == c.id());
    for old in children(def, me)? {
        if !kept(&old) {
            remove(def, me, &old)?;
        }
    }
    for c in new {
        // A foreign key is pointed again even if unchanged: the view then follows
        // `new`'s order. An association row already there stays where it is.
        match def.kind {
            RelationKind::ManyToMany => append(def, me, c)?,
            _ => set_parent(def, c, Some(me))?,
        }
    }
    Ok(())
}

impl SessionState {
    /// Brings `start` and every member of `graph` linked to it into this session
    /// (transient ones pending, detached ones persistent again) and replays their
    /// relationship operations here.
    pub(crate) async fn join_graph(
        &mut self,
        shared: &Arc<SessionShared>,
        graph: &Arc<TransientGraph>,
        start: &Arc<dyn AnyInstance>,
    ) -> Result<()> {
        let members = graph.component(start.id())?;
        for m in &members {
            self.check_attachable(m)?;
        }
        let parts = graph.split_off(&members);
        for m in &parts.members {
            self.attach_one(shared, Arc::clone(m))?;
        }
        let by_id: HashMap<u64, Arc<dyn AnyInstance>> = parts
            .members
            .iter()
            .map(|m| (m.id(), Arc::clone(m)))
            .collect();
        for op in parts.ops {
            self.replay(shared, op, &by_id).await?;
        }
        Ok(())
    }

    async fn replay(
        &mut self,
        shared: &Arc<SessionShared>,
        op: GraphOp,
        by_id: &HashMap<u64, Arc<dyn AnyInstance>>,
    ) -> Result<()> {
        match op {
            GraphOp::Parent { def, child, parent } => {
                let Some(child) = by_id.get(&child) else {
                    return Ok(());
                };
                let parent = parent.and_then(|p| by_id.get(&p));
                self.set_parent(shared, def, child, parent)
            }
            GraphOp::Assoc {
                def,
                parent,
                child,
                add,
            } => {
                let (Some(p), Some(c)) = (by_id.get(&parent), by_id.get(&child)) else {
                    return Ok(());
                };
                match add {
                    true => self.append_child(shared, def, p, c).await,
                    false => self.remove_child(shared, def, p, c).await,
                }
            }
        }
    }
}
