//! Columns of a table that exists on both sides: added, dropped, and altered (type,
//! default, nullability, identity), each property its own step.

use super::tables::quoted_list;
use super::{Compare, Phase, Phases};
use crate::ops::{widens, Operation};
use crate::plan::Step;
use orm_core::statement::ColumnChange;
use orm_core::{Column, SqlType, Table};

pub(super) fn diff(model: &Table, db: &Table, compare: &dyn Compare, phases: &mut Phases) {
    let added: Vec<&Column> = model
        .columns
        .iter()
        .filter(|c| db.column(&c.name).is_none())
        .collect();
    let added_names: Vec<&str> = added.iter().map(|c| c.name.as_str()).collect();
    for d in db
        .columns
        .iter()
        .filter(|d| model.column(&d.name).is_none())
    {
        phases.push(Phase::DropColumn, drop_step(&db.name, d, &added_names));
    }
    for m in added {
        let op = Operation::AddColumn {
            table: model.name.clone(),
            column: m.clone(),
        };
        phases.push(Phase::AddColumn, Step::new(op));
    }
    for m in &model.columns {
        if let Some(d) = db.column(&m.name) {
            for step in alter_steps(&model.name, m, d, compare) {
                phases.push(Phase::AlterColumn, step);
            }
        }
    }
}

fn drop_step(table: &str, column: &Column, added: &[&str]) -> Step {
    let op = Operation::DropColumn {
        table: table.to_owned(),
        column: column.clone(),
    };
    let step = Step::new(op).warn(format!(
        "drops \"{table}\".\"{}\" and the values in it",
        column.name
    ));
    if added.is_empty() {
        return step;
    }
    step.warn(format!(
        "if \"{}\" was renamed to one of {}, declare the rename \
         (--rename-column {table}.{}=NEW) to keep its values",
        column.name,
        quoted_list(added),
        column.name
    ))
}

/// An identity column is NOT NULL whatever the model says, and has no default.
fn effective(c: &Column) -> (bool, Option<&str>) {
    if c.autoincrement {
        (false, None)
    } else {
        (c.nullable, c.server_default.as_deref())
    }
}

/// The changes of one column, in an order each statement accepts: defaults and
/// identity removed before the type changes, NOT NULL before an identity is added,
/// the new default last. `down` runs their inverses in reverse, which is valid too.
fn alter_steps(table: &str, m: &Column, d: &Column, compare: &dyn Compare) -> Vec<Step> {
    let alter = |change: ColumnChange, undo: ColumnChange| {
        Step::new(Operation::AlterColumn {
            table: table.to_owned(),
            column: m.name.clone(),
            change,
            undo,
        })
    };
    let (m_nullable, m_default) = effective(m);
    let (d_nullable, d_default) = effective(d);
    let undo_default = || match d_default {
        Some(old) => ColumnChange::SetDefault(old.to_owned()),
        None => ColumnChange::DropDefault,
    };
    let default_changed = match (m_default, d_default) {
        (None, None) => false,
        (Some(_), Some(_)) => !compare.same_default(table, m, d),
        _ => true,
    };
    let mut steps = Vec::new();
    if default_changed && m_default.is_none() {
        steps.push(alter(ColumnChange::DropDefault, undo_default()));
    }
    if d.autoincrement && !m.autoincrement {
        steps.push(alter(ColumnChange::DropIdentity, ColumnChange::AddIdentity));
    }
    if !same_type(compare, &m.sql_type, &d.sql_type) {
        let step = alter(
            ColumnChange::SetType(m.sql_type.clone()),
            ColumnChange::SetType(d.sql_type.clone()),
        );
        steps.push(warn_narrowing(step, m, d));
    }
    if m_nullable != d_nullable {
        steps.push(if m_nullable {
            alter(ColumnChange::DropNotNull, ColumnChange::SetNotNull)
        } else {
            alter(ColumnChange::SetNotNull, ColumnChange::DropNotNull)
        });
    }
    if m.autoincrement && !d.autoincrement {
        steps.push(alter(ColumnChange::AddIdentity, ColumnChange::DropIdentity));
    }
    if let (true, Some(new)) = (default_changed, m_default) {
        steps.push(alter(
            ColumnChange::SetDefault(new.to_owned()),
            undo_default(),
        ));
    }
    steps
}

/// Enum types are compared by name (their labels are the enum diff's business),
/// arrays by element; the rest through `compare`.
fn same_type(compare: &dyn Compare, model: &SqlType, database: &SqlType) -> bool {
    match (model, database) {
        (SqlType::Enum(m), SqlType::Enum(d)) => m.name == d.name,
        (SqlType::Array(m), SqlType::Array(d)) => same_type(compare, m, d),
        _ => compare.same_type(model, database),
    }
}

/// A type change that does not only widen may be refused or may not fit.
fn warn_narrowing(step: Step, m: &Column, d: &Column) -> Step {
    if widens(&d.sql_type, &m.sql_type) {
        return step;
    }
    step.warn(format!(
        "existing values must convert from {} to {}: the database may refuse \
         (edit the statement to add a conversion) or values may not fit",
        d.sql_type, m.sql_type
    ))
}

/// A changed primary key is reported, not migrated.
pub(super) fn primary_key_note(model: &Table, db: &Table) -> Option<String> {
    let names =
        |t: &Table| -> Vec<String> { t.primary_key_columns().map(|c| c.name.clone()).collect() };
    let (m, d) = (names(model), names(db));
    (m != d).then(|| {
        format!(
            "the primary key of \"{}\" is ({}) in the models and ({}) in the database; \
             this migration does not change it",
            model.name,
            m.join(", "),
            d.join(", ")
        )
    })
}
