//! Unique constraints and foreign keys of a table that exists on both sides.
//!
//! Both are matched by what they constrain (columns, target, actions), not by name:
//! a model rarely names them and the database then chose the name. A constraint
//! added by a migration is always named (PostgreSQL's own convention,
//! `<table>_<columns>_key` / `_fkey`, which `create_all` gets too), so that `down`
//! can drop it by name.

use super::{Phase, Phases};
use crate::ops::Operation;
use crate::plan::Step;
use orm_core::{ForeignKey, Table, UniqueConstraint};

pub(super) fn diff(model: &Table, db: &Table, phases: &mut Phases) {
    uniques(model, db, phases);
    foreign_keys(model, db, phases);
}

/// The model's unique constraints, single-column `unique` columns included.
pub(crate) fn model_uniques(table: &Table) -> Vec<UniqueConstraint> {
    let single = table
        .columns
        .iter()
        .filter(|c| c.unique)
        .map(|c| UniqueConstraint {
            name: None,
            columns: vec![c.name.clone()],
        });
    single
        .chain(table.unique_constraints.iter().cloned())
        .collect()
}

fn same_name(model: &Option<String>, db: &Option<String>) -> bool {
    model.is_none() || model == db
}

fn uniques(model: &Table, db: &Table, phases: &mut Phases) {
    let wanted = model_uniques(model);
    let same = |m: &UniqueConstraint, d: &UniqueConstraint| {
        m.columns == d.columns && same_name(&m.name, &d.name)
    };
    for d in db.unique_constraints.iter() {
        if !wanted.iter().any(|m| same(m, d)) {
            let op = Operation::DropUnique {
                table: db.name.clone(),
                constraint: named_unique(&db.name, d),
            };
            phases.push(Phase::DropConstraint, Step::new(op));
        }
    }
    for m in &wanted {
        if !db.unique_constraints.iter().any(|d| same(m, d)) {
            let op = Operation::AddUnique {
                table: model.name.clone(),
                constraint: named_unique(&model.name, m),
            };
            phases.push(Phase::AddConstraint, Step::new(op));
        }
    }
}

fn same_foreign_key(m: &ForeignKey, d: &ForeignKey) -> bool {
    m.columns == d.columns
        && m.target_table == d.target_table
        && m.target_columns == d.target_columns
        && m.delete_action() == d.delete_action()
        && m.update_action() == d.update_action()
        && same_name(&m.name, &d.name)
}

fn foreign_keys(model: &Table, db: &Table, phases: &mut Phases) {
    for d in &db.foreign_keys {
        if !model.foreign_keys.iter().any(|m| same_foreign_key(m, d)) {
            let op = Operation::DropForeignKey {
                table: db.name.clone(),
                foreign_key: named_foreign_key(&db.name, d),
            };
            phases.push(Phase::DropForeignKey, Step::new(op));
        }
    }
    for m in &model.foreign_keys {
        if !db.foreign_keys.iter().any(|d| same_foreign_key(m, d)) {
            let op = Operation::AddForeignKey {
                table: model.name.clone(),
                foreign_key: named_foreign_key(&model.name, m),
            };
            phases.push(Phase::AddForeignKey, Step::new(op));
        }
    }
}

/// The constraint with its name, or the conventional `<table>_<columns>_key`.
pub(crate) fn named_unique(table: &str, u: &UniqueConstraint) -> UniqueConstraint {
    let mut u = u.clone();
    if u.name.is_none() {
        u.name = Some(format!("{table}_{}_key", u.columns.join("_")));
    }
    u
}

/// The foreign key with its name, or the conventional `<table>_<columns>_fkey`.
pub(crate) fn named_foreign_key(table: &str, fk: &ForeignKey) -> ForeignKey {
    let mut fk = fk.clone();
    if fk.name.is_none() {
        fk.name = Some(format!("{table}_{}_fkey", fk.columns.join("_")));
    }
    fk
}
