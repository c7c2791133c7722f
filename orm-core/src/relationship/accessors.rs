//! The relationship accessors on handles (`related`, `set_related`, `collection`,
//! `append`, `remove`, `set_collection`) and `Session::link`. In a session they
//! change the session's state (`collection.rs`); between instances in no session,
//! their transient graph (`join.rs`).

use super::def::{ToMany, ToOne};
use super::join;
use super::resolve::Side;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::session::{downcast, AnyInstance, Handle, Session, SessionShared};
use crate::value::Value;
use std::sync::Arc;

/// Where a relationship change between `a` and `b` happens: the session of either
/// (the other joins it, with its whole transient graph, as SQLAlchemy's save-update
/// cascade does), or `None` when neither is in a session.
fn session_of(
    a: &Arc<dyn AnyInstance>,
    b: &Arc<dyn AnyInstance>,
) -> Result<Option<Arc<SessionShared>>> {
    match (a.session(), b.session()) {
        (Some(x), Some(y)) if Arc::ptr_eq(&x, &y) => Ok(Some(x)),
        (Some(_), Some(_)) => Err(Error::InvalidRequest(format!(
            "cannot relate a `{}` and a `{}` from different sessions; expunge one and attach it to the other's session",
            a.table().name,
            b.table().name
        ))),
        (Some(s), None) => {
            s.run(async |st, s| st.attach(s, Arc::clone(b)).await)?;
            Ok(Some(s))
        }
        (None, Some(s)) => {
            s.run(async |st, s| st.attach(s, Arc::clone(a)).await)?;
            Ok(Some(s))
        }
        (None, None) => Ok(None),
    }
}

fn typed<T: Model>(list: Vec<Arc<dyn AnyInstance>>) -> Result<Vec<Handle<T>>> {
    list.into_iter()
        .map(|i| downcast::<T>(i).map(Handle::from_instance))
        .collect()
}

impl<S: Model> Handle<S> {
    /// The related object of a to-one relationship (`article.related(Article::author)`):
    /// from the session when linked or loaded, else one SELECT by key. For an object
    /// in no session, what it was linked to.
    pub fn related<T: Model>(&self, rel: ToOne<S, T>) -> Result<Option<Handle<T>>> {
        let me = self.erased();
        let def = rel.def();
        let Some(shared) = me.session() else {
            return Ok(typed::<T>(join::related(def, &me)?.into_iter().collect())?.pop());
        };
        shared.run(async |st, shared| {
            let r = def.resolved()?;
            if r.holder == Side::Target {
                let list = st.children(shared, def, &me).await?;
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
            st.get::<T>(shared, fk).await
        })
    }

    /// Sets (or, with `None`, clears) a to-one relationship. The other object joins this
    /// one's session if it has none; the foreign key is filled now if the parent has a
    /// key, else at flush from its generated key. Between two objects in no session
    /// (`Article(author=ezz)`), the link waits for either to join a session.
    pub fn set_related<T: Model>(
        &self,
        rel: ToOne<S, T>,
        target: Option<&Handle<T>>,
    ) -> Result<()> {
        let me = self.erased();
        let other = target.map(Handle::erased);
        let def = rel.def();
        let shared = match &other {
            Some(o) => session_of(&me, o)?,
            None => me.session(),
        };
        let Some(shared) = shared else {
            return join::set_related(def, &me, other.as_ref());
        };
        shared.run(async |st, shared| {
            st.tx.check_usable()?;
            if def.resolved()?.holder == Side::Source {
                return st.set_parent(shared, def, &me, other.as_ref());
            }
            for old in st.children(shared, def, &me).await? {
                if other.as_ref().is_none_or(|o| o.id() != old.id()) {
                    st.remove_child(shared, def, &me, &old).await?;
                }
            }
            match other {
                Some(o) => st.set_parent(shared, def, &o, Some(&me)),
                None => Ok(()),
            }
        })
    }

    /// The objects of a to-many relationship (`author.collection(Author::articles)`),
    /// loaded by one SELECT on first use and cached in the session. For an object in
    /// no session, the objects appended to it.
    pub fn collection<T: Model>(&self, rel: ToMany<S, T>) -> Result<Vec<Handle<T>>> {
        let me = self.erased();
        let Some(shared) = me.session() else {
            return typed(join::children(rel.def(), &me)?);
        };
        let list = shared.run(async |st, shared| st.children(shared, rel.def(), &me).await)?;
        typed(list)
    }

    /// Adds `child` to a to-many relationship (setting its foreign key, or adding an
    /// association row at flush). Either object joins the other's session.
    pub fn append<T: Model>(&self, rel: ToMany<S, T>, child: &Handle<T>) -> Result<()> {
        let (me, other) = (self.erased(), child.erased());
        let Some(shared) = session_of(&me, &other)? else {
            return join::append(rel.def(), &me, &other);
        };
        shared.run(async |st, shared| {
            st.tx.check_usable()?;
            st.append_child(shared, rel.def(), &me, &other).await
        })
    }

    /// Removes `child` from a to-many relationship: its foreign key becomes NULL (or,
    /// with `delete_orphan`, it is deleted), or its association row is deleted at flush.
    pub fn remove<T: Model>(&self, rel: ToMany<S, T>, child: &Handle<T>) -> Result<()> {
        let me = self.erased();
        let Some(shared) = me.session() else {
            return join::remove(rel.def(), &me, &child.erased());
        };
        let child = child.erased();
        shared.run(async |st, shared| {
            st.tx.check_usable()?;
            st.remove_child(shared, rel.def(), &me, &child).await
        })
    }

    /// Replaces a to-many relationship with `children`, in that order (SQLAlchemy's
    /// `author.articles = [..]`): those no longer in it are removed as by
    /// [`remove`](Handle::remove), the new ones appended. Objects in no session join
    /// this one's session (or the session of one of `children`).
    pub fn set_collection<T: Model>(
        &self,
        rel: ToMany<S, T>,
        children: &[Handle<T>],
    ) -> Result<()> {
        let me = self.erased();
        let new: Vec<Arc<dyn AnyInstance>> = children.iter().map(Handle::erased).collect();
        let mut shared = me.session();
        for c in &new {
            if let Some(s) = session_of(&me, c)? {
                shared = Some(s);
            }
        }
        let Some(shared) = shared else {
            return join::replace(rel.def(), &me, &new);
        };
        shared.run(async |st, shared| {
            st.tx.check_usable()?;
            st.replace_children(shared, rel.def(), &me, &new).await
        })
    }
}

impl Session {
    /// Links `child` to `parent` through the foreign-key column `fk` of the child: the
    /// column takes the parent's key now, or at flush when the parent is still pending
    /// (the parent is inserted first). Relationships use the same mechanism. Objects in
    /// no session join this one.
    pub fn link<C: Model, P: Model, V>(
        &self,
        child: &Handle<C>,
        fk: crate::expr::Col<C, V>,
        parent: &Handle<P>,
    ) -> Result<()> {
        let (c, p) = (child.erased(), parent.erased());
        if c.session().is_none() {
            self.attach(child)?;
        }
        let shared = session_of(&c, &p)?.expect("the child is in a session");
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
