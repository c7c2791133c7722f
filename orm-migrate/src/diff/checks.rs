//! CHECK constraints of a table that exists on both sides, matched by condition
//! (compared as the database stores it), not by name. An added one is named
//! `<table>_check`, `<table>_check1`, ... (PostgreSQL's own choice for an unnamed
//! one), skipping names the table already has, so that `down` can drop it.

use super::{Compare, Phase, Phases};
use crate::ops::Operation;
use crate::plan::Step;
use orm_core::{CheckConstraint, Table};

pub(super) fn diff(model: &Table, db: &Table, compare: &dyn Compare, phases: &mut Phases) {
    let same = |m: &CheckConstraint, d: &CheckConstraint| {
        compare.same_check(&model.name, &m.expr, &d.expr)
    };
    for d in &db.checks {
        if !model.checks.iter().any(|m| same(m, d)) {
            let op = Operation::DropCheck {
                table: db.name.clone(),
                check: d.clone(),
            };
            phases.push(Phase::DropConstraint, Step::new(op));
        }
    }
    let mut taken: Vec<String> = db.checks.iter().filter_map(|c| c.name.clone()).collect();
    for m in &model.checks {
        if db.checks.iter().any(|d| same(m, d)) {
            continue;
        }
        let mut check = m.clone();
        let name = check
            .name
            .get_or_insert_with(|| free_name(&model.name, &taken));
        taken.push(name.clone());
        let op = Operation::AddCheck {
            table: model.name.clone(),
            check,
        };
        phases.push(Phase::AddConstraint, Step::new(op));
    }
}

/// `<table>_check`, then `<table>_check1`, `<table>_check2`, ...: the first not taken.
fn free_name(table: &str, taken: &[String]) -> String {
    (0..)
        .map(|n| match n {
            0 => format!("{table}_check"),
            n => format!("{table}_check{n}"),
        })
        .find(|name| !taken.contains(name))
        .unwrap_or_default()
}
