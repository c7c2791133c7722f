//! Reading and changing relationships through handles; the state they change lives in
//! the session (links and loaded collections).

use super::def::{RelationKind, RelationshipDef, ToMany, ToOne};
use super::loading::load_children;
use super::resolve::Side;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::session::{
    downcast, AnyInstance, AssociationOp, CollectionKey, Handle, InstanceState, Link,
    SessionShared, SessionState,
};
use crate::value::Value;
use std::sync::Arc;

/// The session both instances belong to (attaching the one that has none, as
/// SQLAlchemy's save-update cascade does).
fn common_session(
    a: &Arc<dyn AnyInstance>,
    b: &Arc<dyn AnyInstance>,
) -> Result<Arc<SessionShared>> {
    match (a.session(), b.session()) {
        (Some(x), Some(y)) if Arc::ptr_eq(&x, &y) => Ok(x),
        (Some(_), Some(_)) => Err(Error::InvalidRequest(format!(
            "cannot relate a `{}` and a `{}` from different sessions; expunge one and attach it to the other's session",
            a.table().name,
            b.table().name
        ))),
        (Some(s), None) => {
            s.lock().attach(&s, Arc::clone(b))?;
            Ok(s)
        }
        (None, Some(s)) => {
            s.lock().attach(&s, Arc::clone(a))?;
            Ok(s)
        }
        (None, None) => Err(Error::Detached(format!(
            "neither the `{}` nor the `{}` is in a session; add one of them first",
            a.table().name,
            b.table().name
        ))),
    }
}

fn own_session(inst: &Arc<dyn AnyInstance>) -> Result<Arc<SessionShared>> {
    inst.session().ok_or_else(|| {
        Error::Detached(format!(
            "this `{}` is not in a session, so its relationships cannot be loaded",
            inst.table().name
        ))
    })
}

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
    fn set_parent(
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
            if let Some(list) = self.collections.get_mut(&fk_key(p, r)) {
                if !list.iter().any(|c| c.id() == child.id()) {
                    list.push(Arc::clone(child));
                }
            }
        }
        Ok(())
    }

    /// The parent `child` is linked to in memory, or the loaded instance its foreign key names.
    fn current_parent(
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
    pub(crate) fn children(
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
            self.autoflush(shared)?;
            load_children(self, shared, def, std::slice::from_ref(parent))?.remove(0)
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

    fn append_child(
        &mut self,
        shared: &Arc<SessionShared>,
        def: &'static RelationshipDef,
        parent: &Arc<dyn AnyInstance>,
        child: &Arc<dyn AnyInstance>,
    ) -> Result<()> {
        if def.kind != RelationKind::ManyToMany {
            return self.set_parent(shared, def, child, Some(parent));
        }
        let mut list = self.children(shared, def, parent)?;
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

    fn remove_child(
        &mut self,
        shared: &Arc<SessionShared>,
        def: &'static RelationshipDef,
        parent: &Arc<dyn AnyInstance>,
        child: &Arc<dyn AnyInstance>,
    ) -> Result<()> {
        if def.kind == RelationKind::ManyToMany {
            let mut list = self.children(shared, def, parent)?;
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
            return self.delete(shared, Arc::clone(child));
        }
        self.set_parent(shared, def, child, None)
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
        if let Some(list) = self.collections.get_mut(&key) {
            list.retain(|c| c.id() != parent.id());
            if add {
                list.push(Arc::clone(parent));
            }
        }
        Ok(())
    }
}

fn fk_key(parent: &Arc<dyn AnyInstance>, r: &super::Resolved) -> CollectionKey {
    CollectionKey {
        parent: parent.id(),
        table: r.child_table.name.as_str(),
        columns: r.child_columns.clone(),
    }
}

fn typed<T: Model>(list: Vec<Arc<dyn AnyInstance>>) -> Result<Vec<Handle<T>>> {
    list.into_iter()
        .map(|i| downcast::<T>(i).map(Handle::from_instance))
        .collect()
}

impl<S: Model> Handle<S> {
    /// The related object of a to-one relationship (`article.related(Article::author)`):
    /// from the session when linked or loaded, else one SELECT by key.
    pub fn related<T: Model>(&self, rel: ToOne<S, T>) -> Result<Option<Handle<T>>> {
        let me = self.erased();
        let shared = own_session(&me)?;
        let mut st = shared.lock();
        let def = rel.def();
        let r = def.resolved()?;
        if r.holder == Side::Target {
            let list = st.children(&shared, def, &me)?;
            return Ok(typed::<T>(list)?.into_iter().next());
        }
        if let Some(p) = st.current_parent(def, &me)? {
            return Ok(Some(Handle::from_instance(downcast::<T>(p)?)));
        }
        let fk = me.values_at(&r.child_columns)?;
        if fk.iter().any(Value::is_null) {
            return Ok(None);
        }
        if def.loading == super::Loading::Raise {
            return Err(Error::InvalidRequest(format!(
                "relationship `{}.{}` is not loaded and is set to raise instead of querying",
                S::table().name,
                def.name
            )));
        }
        st.get::<T>(&shared, fk)
    }

    /// Sets (or, with `None`, clears) a to-one relationship. The other object joins this
    /// one's session if it has none; the foreign key is filled now if the parent has a
    /// key, else at flush from its generated key.
    pub fn set_related<T: Model>(
        &self,
        rel: ToOne<S, T>,
        target: Option<&Handle<T>>,
    ) -> Result<()> {
        let me = self.erased();
        let other = target.map(Handle::erased);
        let shared = match &other {
            Some(o) => common_session(&me, o)?,
            None => own_session(&me)?,
        };
        let mut st = shared.lock();
        st.tx.check_usable()?;
        let def = rel.def();
        if def.resolved()?.holder == Side::Source {
            return st.set_parent(&shared, def, &me, other.as_ref());
        }
        for old in st.children(&shared, def, &me)? {
            if other.as_ref().is_none_or(|o| o.id() != old.id()) {
                st.remove_child(&shared, def, &me, &old)?;
            }
        }
        match other {
            Some(o) => st.set_parent(&shared, def, &o, Some(&me)),
            None => Ok(()),
        }
    }

    /// The objects of a to-many relationship (`author.collection(Author::articles)`),
    /// loaded by one SELECT on first use and cached in the session.
    pub fn collection<T: Model>(&self, rel: ToMany<S, T>) -> Result<Vec<Handle<T>>> {
        let me = self.erased();
        let shared = own_session(&me)?;
        let mut st = shared.lock();
        let list = st.children(&shared, rel.def(), &me)?;
        typed(list)
    }

    /// Adds `child` to a to-many relationship (setting its foreign key, or adding an
    /// association row at flush).
    pub fn append<T: Model>(&self, rel: ToMany<S, T>, child: &Handle<T>) -> Result<()> {
        let (me, other) = (self.erased(), child.erased());
        let shared = common_session(&me, &other)?;
        let mut st = shared.lock();
        st.tx.check_usable()?;
        st.append_child(&shared, rel.def(), &me, &other)
    }

    /// Removes `child` from a to-many relationship: its foreign key becomes NULL (or,
    /// with `delete_orphan`, it is deleted), or its association row is deleted at flush.
    pub fn remove<T: Model>(&self, rel: ToMany<S, T>, child: &Handle<T>) -> Result<()> {
        let me = self.erased();
        let shared = own_session(&me)?;
        let mut st = shared.lock();
        st.tx.check_usable()?;
        st.remove_child(&shared, rel.def(), &me, &child.erased())
    }
}

impl crate::session::Session {
    /// Links `child` to `parent` through the foreign-key column `fk` of the child: the
    /// column takes the parent's key now, or at flush when the parent is still pending
    /// (the parent is inserted first). Relationships use the same mechanism.
    pub fn link<C: Model, P: Model, V>(
        &self,
        child: &Handle<C>,
        fk: crate::expr::Col<C, V>,
        parent: &Handle<P>,
    ) -> Result<()> {
        let (c, p) = (child.erased(), parent.erased());
        let shared = common_session(&c, &p)?;
        let r = column_link::<C, P>(fk.name())?;
        let mut st = shared.lock();
        st.tx.check_usable()?;
        st.set_parent_along(&shared, &r, std::any::TypeId::of::<P>(), &c, Some(&p))
    }
}

/// The foreign key of `C` in column `column` that points at `P`'s table.
fn column_link<C: Model, P: Model>(column: &str) -> Result<super::Resolved> {
    let (child, parent) = (C::table(), P::table());
    let fk = child
        .foreign_keys
        .iter()
        .find(|fk| fk.target_table == parent.name && fk.columns.iter().any(|c| c == column))
        .ok_or_else(|| {
            Error::Schema(format!(
                "column `{}.{column}` has no foreign key to `{}`",
                child.name, parent.name
            ))
        })?;
    let idx = |t: &crate::schema::Table, names: &[String]| -> Result<Vec<usize>> {
        names
            .iter()
            .map(|n| {
                t.column_index(n)
                    .ok_or_else(|| Error::Schema(format!("table `{}` has no column `{n}`", t.name)))
            })
            .collect()
    };
    Ok(super::Resolved {
        holder: Side::Source,
        child_table: child,
        child_columns: idx(child, &fk.columns)?.into(),
        parent_table: parent,
        parent_columns: idx(parent, &fk.target_columns)?.into(),
        secondary: None,
        on_delete: fk.on_delete,
    })
}
