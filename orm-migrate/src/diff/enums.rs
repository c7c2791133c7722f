//! Enum types: created before the tables that use them, dropped after the columns
//! that used them, and grown label by label (`ALTER TYPE .. ADD VALUE`). PostgreSQL
//! cannot drop, rename or reorder labels; such a difference is a note, not a step.

use super::{Phase, Phases};
use crate::ops::Operation;
use crate::plan::Step;
use orm_core::statement::LabelPosition;
use orm_core::{EnumType, MetaData};

pub(super) fn diff(
    models: &MetaData,
    database: &MetaData,
    phases: &mut Phases,
    notes: &mut Vec<String>,
) {
    let db_enums = database.enum_types();
    let model_enums = models.enum_types();
    for m in &model_enums {
        match db_enums.iter().find(|d| d.name == m.name) {
            None => {
                let op = Operation::CreateEnum {
                    enum_type: m.clone(),
                };
                phases.push(Phase::CreateEnum, Step::new(op));
            }
            Some(d) => labels(m, d, phases, notes),
        }
    }
    for d in db_enums
        .iter()
        .filter(|d| !model_enums.iter().any(|m| m.name == d.name))
    {
        let op = Operation::DropEnum {
            enum_type: d.clone(),
        };
        phases.push(Phase::DropEnum, Step::new(op));
    }
}

/// New labels, each placed after its predecessor in the model (before the first
/// existing label when it comes first); a note when the database's labels are not
/// all in the model in the same order.
fn labels(m: &EnumType, d: &EnumType, phases: &mut Phases, notes: &mut Vec<String>) {
    let kept: Vec<&String> = m.labels.iter().filter(|l| d.labels.contains(l)).collect();
    if !kept.iter().copied().eq(d.labels.iter()) {
        notes.push(format!(
            "enum type \"{}\" has labels ({}) in the database and ({}) in the models; PostgreSQL \
             can only add labels, so this migration changes none of them: rename one with \
             ALTER TYPE .. RENAME VALUE, or convert the columns to a new type by hand",
            m.name,
            d.labels.join(", "),
            m.labels.join(", ")
        ));
        return;
    }
    for (i, label) in m.labels.iter().enumerate() {
        if d.labels.contains(label) {
            continue;
        }
        let position = match (i.checked_sub(1), d.labels.first()) {
            (Some(prev), _) => LabelPosition::After(m.labels[prev].clone()),
            (None, Some(first)) => LabelPosition::Before(first.clone()),
            (None, None) => LabelPosition::Last,
        };
        let op = Operation::AddEnumValue {
            name: m.name.clone(),
            label: label.clone(),
            position,
        };
        let step = Step::new(op).warn(format!(
            "'{label}' can be stored only once this migration has committed \
             (PostgreSQL 12 and later add it inside the migration's transaction; older servers refuse)"
        ));
        phases.push(Phase::CreateEnum, step);
    }
}
