//! Indexes of a table that exists on both sides, matched by name (the models name
//! them: `ix_<table>_<columns>` for `#[orm(index)]` and `index(..)`), then compared
//! by columns, uniqueness, method and partial-index condition; a changed index is
//! dropped and created again.

use super::{Compare, Phase, Phases};
use crate::ops::Operation;
use crate::plan::Step;
use orm_core::{Index, Table};

pub(super) fn diff(model: &Table, db: &Table, compare: &dyn Compare, phases: &mut Phases) {
    let same = |m: &Index, d: &Index| {
        m.name == d.name
            && m.columns == d.columns
            && m.unique == d.unique
            && m.method() == d.method()
            && match (&m.predicate, &d.predicate) {
                (Some(mp), Some(dp)) => compare.same_predicate(&model.name, mp, dp),
                (mp, dp) => mp == dp,
            }
    };
    for d in &db.indexes {
        if !model.indexes.iter().any(|m| same(m, d)) {
            let op = Operation::DropIndex {
                table: db.name.clone(),
                index: d.clone(),
            };
            phases.push(Phase::DropConstraint, Step::new(op));
        }
    }
    for m in &model.indexes {
        if !db.indexes.iter().any(|d| same(m, d)) {
            let op = Operation::CreateIndex {
                table: model.name.clone(),
                index: m.clone(),
            };
            phases.push(Phase::AddConstraint, Step::new(op));
        }
    }
}
