//! Autogenerate's comparison: two [`MetaData`] (the models, and the database as
//! reflected) in, an ordered [`Plan`] out. Pure: no I/O; what needs the database
//! (how it spells types and defaults) comes in through [`Compare`].
//!
//! Each kind of schema object has its own module (`tables`, `columns`,
//! `constraints`, `indexes`) that pushes steps into a [`Phase`]; the phases fix the
//! order in which the steps run, so a new kind of object is a new module and,
//! where it needs one, a new phase.

mod checks;
mod columns;
mod constraints;
mod enums;
mod indexes;
mod renames;
mod tables;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod type_tests;

pub use renames::Renames;

use crate::plan::{Plan, Step};
use orm_core::{Column, MetaData, Result, SqlType};
use std::collections::BTreeMap;

/// How types and defaults are compared: the database may spell them differently
/// from the models (`int4` for `INTEGER`, `'x'::character varying` for `'x'`).
pub trait Compare {
    /// Whether a model's type and a reflected type are the same.
    fn same_type(&self, model: &SqlType, database: &SqlType) -> bool;

    /// Whether a model column's server default and a reflected column's are the
    /// same expression (both present).
    fn same_default(&self, table: &str, model: &Column, database: &Column) -> bool;

    /// Whether a CHECK condition of the model table `table` and a reflected one are
    /// the same condition. Default: equal text.
    fn same_check(&self, table: &str, model: &str, database: &str) -> bool {
        let _ = table;
        model == database
    }

    /// Whether a partial-index condition of the model table `table` and a reflected
    /// one are the same condition. Default: equal text.
    fn same_predicate(&self, table: &str, model: &str, database: &str) -> bool {
        let _ = table;
        model == database
    }
}

/// Compares by equality: for metadata that both come from models (tests, or two
/// versions of the models).
#[derive(Debug, Clone, Copy, Default)]
pub struct ExactCompare;

impl Compare for ExactCompare {
    fn same_type(&self, model: &SqlType, database: &SqlType) -> bool {
        model == database
    }

    fn same_default(&self, _table: &str, model: &Column, database: &Column) -> bool {
        model.server_default == database.server_default
    }
}

/// When a step runs: drops that free names and references first, then creations,
/// then the constraints that need the new columns and tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    /// Declared renames, before anything refers to the new names.
    Rename,
    /// Foreign keys that go away (before the tables and columns they join).
    DropForeignKey,
    /// Indexes and unique constraints that go away.
    DropConstraint,
    /// Columns that go away.
    DropColumn,
    /// Tables that go away, children before parents.
    DropTable,
    /// New enum types and new labels of existing ones (before the tables and
    /// columns that use them).
    CreateEnum,
    /// New tables, parents before children, each with its indexes.
    CreateTable,
    /// New columns.
    AddColumn,
    /// Changed columns.
    AlterColumn,
    /// New indexes and unique constraints.
    AddConstraint,
    /// New foreign keys (their tables, columns and unique keys now exist).
    AddForeignKey,
    /// Enum types that go away (last: no column uses them any more).
    DropEnum,
}

/// Steps collected per phase, in the order each module pushed them.
#[derive(Debug, Default)]
pub(crate) struct Phases {
    steps: BTreeMap<Phase, Vec<Step>>,
}

impl Phases {
    pub(crate) fn push(&mut self, phase: Phase, step: Step) {
        self.steps.entry(phase).or_default().push(step);
    }

    fn into_steps(self) -> Vec<Step> {
        self.steps.into_values().flatten().collect()
    }
}

/// The plan that turns `database` into `models`.
///
/// `renames` declares tables and columns that were renamed (autogenerate never
/// guesses: an undeclared rename is a drop and an add, with a warning).
///
/// # Examples
///
/// ```
/// use orm_core::{Column, MetaData, SqlType, Table};
/// use orm_migrate::{diff, ExactCompare, Operation, Renames};
///
/// let mut old = MetaData::new();
/// old.add_table(Table::new("tags", vec![Column::new("id", SqlType::Integer).primary_key()]));
/// let mut new = old.clone();
/// new.add_table(Table::new("tags", vec![
///     Column::new("id", SqlType::Integer).primary_key(),
///     Column::new("label", SqlType::Text),
/// ]));
/// let plan = diff(&new, &old, &ExactCompare, &Renames::default())?;
/// assert!(matches!(
///     plan.operations().collect::<Vec<_>>()[..],
///     [Operation::AddColumn { ref table, ref column }] if table == "tags" && column.name == "label"
/// ));
/// # Ok::<(), orm_core::Error>(())
/// ```
pub fn diff(
    models: &MetaData,
    database: &MetaData,
    compare: &dyn Compare,
    renames: &Renames,
) -> Result<Plan> {
    let mut phases = Phases::default();
    let database = renames.apply(models, database, &mut phases)?;
    let mut notes = Vec::new();
    enums::diff(models, &database, &mut phases, &mut notes);
    tables::diff(models, &database, &mut phases)?;
    for model in models.table_order()?.tables {
        let Some(db) = database.table(&model.name) else {
            continue;
        };
        columns::diff(model, db, compare, &mut phases);
        constraints::diff(model, db, &mut phases);
        checks::diff(model, db, compare, &mut phases);
        indexes::diff(model, db, compare, &mut phases);
        notes.extend(columns::primary_key_note(model, db));
    }
    Ok(Plan {
        steps: phases.into_steps(),
        notes,
    })
}
