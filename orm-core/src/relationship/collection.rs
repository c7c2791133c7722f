//! Relationship state in the session: many-to-one links and loaded collections, and
//! the operations that keep both directions in step (the handle accessors that call
//! them are in `accessors.rs`).

use super::def::{RelationKind, RelationshipDef};
use super::loading::load_children;
use crate::error::{Error, Result};
use crate::session::{
    AnyInstance, AssociationOp, CollectionKey, InstanceState, Link, SessionShared, SessionState,
};
use crate::value::Value;
use std::collections::hash_map::Entry;
use std::sync::Arc;

impl SessionState {
    /// The collection key of `parent`'s `def` collection.
    pub(crate) fn key_for(
        parent: &Arc<dyn AnyInstance>,
        def: &RelationshipDef,
    ) -> Result<CollectionKey> {
        Self::collection_key(parent, def)
    }

    /// Clears `child`'s foreign key along `def` (its parent is going away).
    pub(crate) fn unset_parent(
        &mut self,
        shared: &Arc<SessionShared>,
        def: &RelationshipDef,
        child: &Arc<dyn AnyInstance>,
    ) -> Result<()> {
        self.set_parent(shared, def, child, None)
    }

    fn collection_key(
        parent: &Arc<dyn AnyInstance>,
        def: &RelationshipDef,
    ) -> Result<CollectionKey> {
        let r = def.resolved()?;
        Ok(match &r.secondary {
            Some(sec) => CollectionKey {
                parent: parent.id(),
                table: sec.table.name.as_str(),
                columns: sec.source_columns.clone(),
            },
            None => CollectionKey {
                parent: parent.id(),
                table: r.child_table.name.as_str(),
                columns: r.child_columns.clone(),
            },
        })
    }

    /// Sets (or clears) the parent of `child` along the foreign key of `def`.
    pub(crate) fn set_parent(
        &mut self,
        shared: &Arc<SessionShared>,
        def: &RelationshipDef,
        child: &Arc<dyn AnyInstance>,
        parent: Option<&Arc<dyn AnyInstance>>,
    ) -> Result<()> {
        self.set_parent_along(shared, def.resolved()?, def.parent_type(), child, parent)
    }

    /// Sets (or clears) the parent of `child` along the foreign key `r`: the link is
    /// recorded, the key copied now if the parent has one (else at flush), and loaded
    /// collections of the old and new parent are kept in step.
    pub(crate) fn set_parent_along(
        &mut self,
        shared: &Arc<SessionShared>,
        r: &super::Resolved,
        parent_type: std::any::TypeId,
        child: &Arc<dyn AnyInstance>,
        parent: Option<&Arc<dyn AnyInstance>>,
    ) -> Result<()> {
        let old = self.parent_along(r, parent_type, child)?;
        if let Some(old) = &old {
            if let Some(list) = self.collections.get_mut(&fk_key(old, r)) {
                list.retain(|c| c.id() != child.id());
            }
        }
        self.links.remove(child.id(), &r.child_columns);
        let values: Vec<Value> = match parent {
            Some(p) => p.values_at(&r.parent_columns)?,
            None => vec![Value::Null; r.child_columns.len()],
        };
        if values.iter().all(|v| !v.is_null()) || parent.is_none() {
            for (&c, v) in r.child_columns.iter().zip(values) {
                if child.value(c)? != v {
                    if child.touch()? {
                        shared.note_modified(Arc::clone(child));
                    }
                    child.set_value(c, v)?;
                }
            }
        }
        if let Some(p) = parent {
            self.links.insert(Link {
                child: Arc::clone(child),
                child_columns: r.child_columns.clone(),
                parent: Arc::clone(p),
                parent_columns: r.parent_columns.clone(),
            });
            // A new parent's collection is known whole: keep it, in link order. The
            // child cannot be in it already (it would have been linked, and was just
            // taken out above), so only a loaded collection is searched.
            let fresh = p.state() != InstanceState::Persistent;
            let list = match self.collections.entry(fk_key(p, r)) {
                Entry::Occupied(e) => Some(e.into_mut()),
                Entry::Vacant(e) if fresh => Some(e.insert(Vec::new())),
                Entry::Vacant(_) => None,
            };
            if let Some(list) = list {
                if fresh || !list.iter().any(|c| c.id() == child.id()) {
                    list.push(Arc::clone(child));
                }
            }
        }
        Ok(())
    }

    /// The parent `child` is linked to in memory, or the loaded instance its foreign key names.
    pub(crate) fn current_parent(
        &self,
        def: &RelationshipDef,
        child: &Arc<dyn AnyInstance>,
    ) -> Result<Option<Arc<dyn AnyInstance>>> {
        self.parent_along(def.resolved()?, def.parent_type(), child)
    }

    fn parent_along(
        &self,
        r: &super::Resolved,
        parent_type: std::any::TypeId,
        child: &Arc<dyn AnyInstance>,
    ) -> Result<Option<Arc<dyn AnyInstance>>> {
        if let Some(l) = self.links.get(child.id(), &r.child_columns) {
            return Ok(Some(Arc::clone(&l.parent)));
        }
        if *r.parent_columns != *r.parent_table.primary_key_indices() {
            return Ok(None);
        }
        let fk = child.values_at(&r.child_columns)?;
        Ok(self.lookup_key(parent_type, &fk))
    }

    /// The children of `parent` along `def`, loading and caching them on first use.
    pub(crate) async fn children(
        &mut self,
        shared: &Arc<SessionShared>,
        def: &'static RelationshipDef,
        parent: &Arc<dyn AnyInstance>,
    ) -> Result<Vec<Arc<dyn AnyInstance>>> {
        let key = Self::collection_key(parent, def)?;
        if let Some(list) = self.collections.get(&key) {
            return Ok(list.clone());
        }
        if def.loading == super::Loading::Raise {
            return Err(Error::InvalidRequest(format!(
                "relationship `{}.{}` is not loaded and is set to raise instead of querying; \
                 load it with .options(selectin(..)) or joined(..)",
                (def.source)().name,
                def.name
            )));
        }
        let list = if parent.state() == InstanceState::Persistent {
            self.autoflush(shared).await?;
            load_children(self, shared, def, std::slice::from_ref(parent))
                .await?
                .remove(0)
        } else {
            self.links
                .iter()
                .filter(|l| l.parent.id() == parent.id() && l.child_columns == key.columns)
                .map(|l| Arc::clone(&l.child))
                .collect()
        };
        self.collections.insert(key, list.clone());
        Ok(list)
    }

    pub(crate) async fn append_child(
        &mut self,
        shared: &Arc<SessionShared>,
        def: &'static RelationshipDef,
        parent: &Arc<dyn AnyInstance>,
        child: &Arc<dyn AnyInstance>,
    ) -> Result<()> {
        if def.kind != RelationKind::ManyToMany {
            return self.set_parent(shared, def, child, Some(parent));
        }
        let mut list = self.children(shared, def, parent).await?;
        if list.iter().any(|c| c.id() == child.id()) {
            return Ok(());
        }
        list.push(Arc::clone(child));
        self.change_association(def, parent, child, list, true)
    }

    /// Stores `parent`'s new many-to-many collection `list`, keeps the reverse side in
    /// step, and records the association row to insert (`add`) or delete at flush.
    fn change_association(
        &mut self,
        def: &'static RelationshipDef,
        parent: &Arc<dyn AnyInstance>,
        child: &Arc<dyn AnyInstance>,
        list: Vec<Arc<dyn AnyInstance>>,
        add: bool,
    ) -> Result<()> {
        self.collections
            .insert(Self::collection_key(parent, def)?, list);
        self.sync_reverse_m2m(def, parent, child, add)?;
        self.association_ops.push(AssociationOp {
            add,
            def,
            parent: Arc::clone(parent),
            child: Arc::clone(child),
        });
        Ok(())
    }

    pub(crate) async fn remove_child(
        &mut self,
        shared: &Arc<SessionShared>,
        def: &'static RelationshipDef,
        parent: &Arc<dyn AnyInstance>,
        child: &Arc<dyn AnyInstance>,
    ) -> Result<()> {
        if def.kind == RelationKind::ManyToMany {
            let mut list = self.children(shared, def, parent).await?;
            list.retain(|c| c.id() != child.id());
            return self.change_association(def, parent, child, list, false);
        }
        let is_child = self
            .current_parent(def, child)?
            .is_some_and(|p| p.id() == parent.id());
        if !is_child {
            return Err(Error::InvalidRequest(format!(
                "this `{}` is not in the `{}` collection of that `{}`",
                child.table().name,
                def.name,
                parent.table().name
            )));
        }
        if def.cascade.delete_orphan {
            if let Some(list) = self
                .collections
                .get_mut(&Self::collection_key(parent, def)?)
            {
                list.retain(|c| c.id() != child.id());
            }
            self.links.retain(|l| l.child.id() != child.id());
            return self.delete_boxed(shared, Arc::clone(child)).await;
        }
        self.set_parent(shared, def, child, None)
    }

    /// Replaces `parent`'s `def` collection with `new`, in that order: children not in
    /// it are removed (delete-orphan applies), the others appended.
    pub(crate) async fn replace_children(
        &mut self,
        shared: &Arc<SessionShared>,
        def: &'static RelationshipDef,
        parent: &Arc<dyn AnyInstance>,
        new: &[Arc<dyn AnyInstance>],
    ) -> Result<()> {
        let current = self.children(shared, def, parent).await?;
        let has = |list: &[Arc<dyn AnyInstance>], c: &Arc<dyn AnyInstance>| {
            list.iter().any(|x| x.id() == c.id())
        };
        for old in &current {
            if !has(new, old) {
                self.remove_child(shared, def, parent, old).await?;
            }
        }
        for c in new {
            if !has(&current, c) {
                self.append_child(shared, def, parent, c).await?;
            }
        }
        self.collections
            .insert(Self::collection_key(parent, def)?, new.to_vec());
        Ok(())
    }

    /// Keeps a loaded reverse many-to-many collection in step.
    fn sync_reverse_m2m(
        &mut self,
        def: &RelationshipDef,
        parent: &Arc<dyn AnyInstance>,
        child: &Arc<dyn AnyInstance>,
        add: bool,
    ) -> Result<()> {
        let sec = def
            .resolved()?
            .secondary
            .as_ref()
            .expect("many-to-many has an association table");
        let key = CollectionKey {
            parent: child.id(),
            table: sec.table.name.as_str(),
            columns: sec.target_columns.clone(),
        };
        let list = match self.collections.entry(key) {
            Entry::Occupied(e) => Some(e.into_mut()),
            Entry::Vacant(e) if child.state() != InstanceState::Persistent => {
                Some(e.insert(Vec::new()))
            }
            Entry::Vacant(_) => None,
        };
        if let Some(list) = list {
            list.retain(|c| c.id() != parent.id());
            if add {
                list.push(Arc::clone(parent));
            }
        }
        Ok(())
    }
}

pub(crate) fn fk_key(parent: &Arc<dyn AnyInstance>, r: &super::Resolved) -> CollectionKey {
    CollectionKey {
        parent: parent.id(),
        table: r.child_table.name.as_str(),
        columns: r.child_columns.clone(),
    }
}
