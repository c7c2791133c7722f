//! Tables created and dropped, in foreign-key order.

use super::constraints::named_foreign_key;
use super::{Phase, Phases};
use crate::ops::Operation;
use crate::plan::Step;
use orm_core::{MetaData, Result, Table};

/// New tables parents first (a foreign key closing a cycle is added afterwards);
/// tables gone children first (a foreign key closing a cycle is dropped before).
pub(super) fn diff(models: &MetaData, database: &MetaData, phases: &mut Phases) -> Result<()> {
    let new = subset(models, |t| database.table(&t.name).is_none());
    let gone = subset(database, |t| models.table(&t.name).is_none());
    create(&new, phases)?;
    drop(&gone, &new, phases)
}

fn subset(md: &MetaData, keep: impl Fn(&Table) -> bool) -> MetaData {
    let mut out = MetaData::new();
    for t in md.tables().iter().filter(|t| keep(t)) {
        out.add_table(t.clone());
    }
    out
}

fn create(new: &MetaData, phases: &mut Phases) -> Result<()> {
    let order = new.table_order()?;
    for table in &order.tables {
        let omit = order
            .deferred
            .iter()
            .filter(|(t, _)| t.name == table.name)
            .map(|(_, fk)| (*fk).clone())
            .collect();
        let create = Operation::CreateTable {
            table: (*table).clone(),
            omit_foreign_keys: omit,
        };
        phases.push(Phase::CreateTable, Step::new(create));
        for index in &table.indexes {
            let op = Operation::CreateIndex {
                table: table.name.clone(),
                index: index.clone(),
            };
            phases.push(Phase::CreateTable, Step::new(op));
        }
    }
    for (table, fk) in &order.deferred {
        let op = Operation::AddForeignKey {
            table: table.name.clone(),
            foreign_key: named_foreign_key(&table.name, fk),
        };
        phases.push(Phase::AddForeignKey, Step::new(op));
    }
    Ok(())
}

fn drop(gone: &MetaData, new: &MetaData, phases: &mut Phases) -> Result<()> {
    let order = gone.table_order()?;
    for (table, fk) in &order.deferred {
        let op = Operation::DropForeignKey {
            table: table.name.clone(),
            foreign_key: named_foreign_key(&table.name, fk),
        };
        phases.push(Phase::DropForeignKey, Step::new(op));
    }
    let created: Vec<&str> = new.tables().iter().map(|t| t.name.as_str()).collect();
    for table in order.tables.iter().rev() {
        let omit = order
            .deferred
            .iter()
            .filter(|(t, _)| t.name == table.name)
            .map(|(_, fk)| named_foreign_key(&table.name, fk))
            .collect();
        let mut step = Step::new(Operation::DropTable {
            table: (*table).clone(),
            omit_foreign_keys: omit,
        })
        .warn(format!(
            "drops table \"{}\" and every row in it",
            table.name
        ));
        if !created.is_empty() {
            step = step.warn(format!(
                "if \"{}\" was renamed to one of {}, declare the rename \
                 (--rename-table {}=NEW) to keep its rows",
                table.name,
                quoted_list(&created),
                table.name
            ));
        }
        phases.push(Phase::DropTable, step);
    }
    Ok(())
}

/// `"a", "b"`.
pub(super) fn quoted_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    quoted.join(", ")
}
