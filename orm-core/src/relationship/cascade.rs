//! Delete cascades: what deleting a parent does to its children.
//!
//! For each one-to-many or one-to-one relationship of the parent:
//! - with a delete cascade, the children are deleted (loaded first if need be);
//! - without one, their foreign keys become NULL: the collection is loaded (one
//!   SELECT, as SQLAlchemy does) and the flush sends one batched UPDATE;
//! - with `passive_deletes`, children not in memory are left to the foreign key's
//!   `ON DELETE` (nothing is loaded), and those in memory get what the database
//!   does to their rows (deleted, or their key set to NULL);
//! - a NOT NULL foreign key without either option is refused before any SQL.

use super::def::{RelationKind, RelationshipDef, RelationshipRegistration};
use crate::error::{Error, Result};
use crate::schema::ReferentialAction;
use crate::session::{AnyInstance, InstanceState, SessionShared, SessionState};
use std::any::TypeId;
use std::sync::Arc;

/// The one-to-many and one-to-one relationships declared on the model `source`
/// (by type, not table name: two models may map tables of the same name).
fn child_relationships(source: TypeId) -> Vec<&'static RelationshipDef> {
    inventory::iter::<RelationshipRegistration>
        .into_iter()
        .map(|r| (r.def)())
        .filter(|d| {
            (d.source_type)() == source
                && matches!(d.kind, RelationKind::OneToMany | RelationKind::OneToOne)
        })
        .collect()
}

/// Refuses a relationship that would have to NULL a NOT NULL foreign key.
fn check_can_orphan(def: &RelationshipDef) -> Result<()> {
    if def.cascade.delete || def.passive_deletes {
        return Ok(());
    }
    let r = def.resolved()?;
    let table = r.child_table;
    match r
        .child_columns
        .iter()
        .find(|&&c| !table.columns[c].nullable)
    {
        Some(&c) => Err(Error::OrphanedChildren {
            parent: r.parent_table.name.clone(),
            relationship: format!("{}.{}", (def.source)().name, def.name),
            column: format!("{}.{}", table.name, table.columns[c].name),
        }),
        None => Ok(()),
    }
}

impl SessionState {
    /// Before `inst` is marked deleted: deletes or detaches its children along every
    /// one-to-many and one-to-one relationship (see the module docs).
    pub(crate) async fn cascade_delete(
        &mut self,
        shared: &Arc<SessionShared>,
        inst: &Arc<dyn AnyInstance>,
    ) -> Result<()> {
        let defs = child_relationships(inst.model_type());
        for def in &defs {
            check_can_orphan(def)?;
        }
        for def in defs {
            if def.passive_deletes {
                self.mirror_on_delete(shared, def, inst).await?;
            } else if def.cascade.delete {
                for child in self.children(shared, def, inst).await? {
                    self.delete_boxed(shared, child).await?;
                }
            } else {
                for child in self.children(shared, def, inst).await? {
                    if child.state() == InstanceState::Persistent {
                        self.unset_parent(shared, def, &child)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// `passive_deletes`: the children in memory get what the foreign key's
    /// `ON DELETE` will do to their rows; the others are the database's business.
    async fn mirror_on_delete(
        &mut self,
        shared: &Arc<SessionShared>,
        def: &'static RelationshipDef,
        parent: &Arc<dyn AnyInstance>,
    ) -> Result<()> {
        let on_delete = def.resolved()?.on_delete;
        for child in self.children_in_memory(def, parent)? {
            if child.state() != InstanceState::Persistent {
                continue;
            }
            match on_delete {
                Some(ReferentialAction::Cascade) => self.delete_boxed(shared, child).await?,
                _ => self.unset_parent(shared, def, &child)?,
            }
        }
        Ok(())
    }

    /// The children of `parent` along `def` that are in memory: its loaded collection,
    /// else the loaded instances whose foreign key holds its key. No SQL.
    fn children_in_memory(
        &self,
        def: &'static RelationshipDef,
        parent: &Arc<dyn AnyInstance>,
    ) -> Result<Vec<Arc<dyn AnyInstance>>> {
        if let Some(list) = self.collections.get(&Self::key_for(parent, def)?) {
            return Ok(list.clone());
        }
        let r = def.resolved()?;
        let key = parent.values_at(&r.parent_columns)?;
        let mut found = Vec::new();
        for child in self.identity.instances_of((def.target_type)()) {
            if child.values_at(&r.child_columns)? == key {
                found.push(child);
            }
        }
        Ok(found)
    }
}
