//! Indexes of a table that exists on both sides, matched by name (the models name
//! them: `ix_<table>_<column>` for `#[orm(index)]`).

use super::{Phase, Phases};
use crate::ops::Operation;
use crate::plan::Step;
use orm_core::Table;

pub(super) fn diff(model: &Table, db: &Table, phases: &mut Phases) {
    for d in &db.indexes {
        if !model.indexes.contains(d) {
            let op = Operation::DropIndex {
                table: db.name.clone(),
                index: d.clone(),
            };
            phases.push(Phase::DropConstraint, Step::new(op));
        }
    }
    for m in &model.indexes {
        if !db.indexes.contains(m) {
            let op = Operation::CreateIndex {
                table: model.name.clone(),
                index: m.clone(),
            };
            phases.push(Phase::AddConstraint, Step::new(op));
        }
    }
}
