//! Delete cascades: what deleting a parent does to its children.

use super::def::{RelationKind, RelationshipRegistration};
use crate::error::Result;
use crate::session::{AnyInstance, SessionShared, SessionState};
use std::sync::Arc;

impl SessionState {
    /// Before `inst` is marked deleted: children of relationships with a delete cascade
    /// are deleted too (loading them if needed); loaded children of other one-to-many
    /// relationships are detached from it (their foreign key set to NULL).
    pub(crate) fn cascade_delete(
        &mut self,
        shared: &Arc<SessionShared>,
        inst: &Arc<dyn AnyInstance>,
    ) -> Result<()> {
        let table = &inst.table().name;
        let defs = inventory::iter::<RelationshipRegistration>
            .into_iter()
            .map(|r| (r.def)())
            .filter(|d| {
                (d.source)().name == *table
                    && matches!(d.kind, RelationKind::OneToMany | RelationKind::OneToOne)
            });
        for def in defs {
            if def.cascade.delete {
                for child in self.children(shared, def, inst)? {
                    self.delete(shared, child)?;
                }
            } else if let Some(children) = self.collections.get(&Self::key_for(inst, def)?).cloned()
            {
                for child in children {
                    if child.state() == crate::session::InstanceState::Persistent {
                        self.unset_parent(shared, def, &child)?;
                    }
                }
            }
        }
        Ok(())
    }
}
