//! Autogenerate against a live database: reflect it, let the database normalise
//! the models' defaults, compare, then add the warnings that depend on the rows.

use crate::diff::{diff, Compare, Renames};
use crate::history::HISTORY_TABLE;
use crate::plan::{Hint, Plan};
use crate::Operation;
use orm_core::statement::{AlterTable, AlterTableAction, ColumnChange, Select};
use orm_core::{
    Column, Dialect, Engine, EngineConnection, Error, Expr, Inspector, MetaData, Result, SqlType,
};
use std::collections::HashMap;

/// The dialect's inspector, or an error naming the dialect.
pub(crate) fn inspector_of(dialect: &dyn Dialect) -> Result<&dyn Inspector> {
    dialect.inspector().ok_or_else(|| {
        Error::Migration(format!(
            "the {} dialect cannot reflect a schema, so it cannot run migrations",
            dialect.name()
        ))
    })
}

/// The tables of the connection's current schema, without the migration history.
pub fn reflect(engine: &Engine) -> Result<MetaData> {
    let inspector = inspector_of(engine.dialect())?;
    let mut conn = engine.connect()?;
    reflect_with(inspector, &mut conn)
}

fn reflect_with(inspector: &dyn Inspector, conn: &mut EngineConnection) -> Result<MetaData> {
    let all = inspector.reflect(conn, None)?;
    let mut md = MetaData::new();
    for t in all.tables().iter().filter(|t| t.name != HISTORY_TABLE) {
        md.add_table(t.clone());
    }
    Ok(md)
}

/// The plan that brings the database `engine` connects to (its current schema) to
/// `models`: an empty plan when they agree.
pub fn autogenerate(engine: &Engine, models: &MetaData, renames: &Renames) -> Result<Plan> {
    let inspector = inspector_of(engine.dialect())?;
    let mut conn = engine.connect()?;
    let database = reflect_with(inspector, &mut conn)?;
    let compare = ServerCompare::new(inspector, &mut conn, models, &database)?;
    let mut plan = diff(models, &database, &compare, renames)?;
    annotate_rows(&mut plan, |table| match database.table(table) {
        Some(t) => has_rows(&mut conn, &t.name),
        None => Ok(false),
    })?;
    Ok(plan)
}

/// `SELECT TRUE FROM "t" LIMIT 1`.
fn has_rows(conn: &mut EngineConnection, table: &str) -> Result<bool> {
    let mut s = Select::from(table.to_owned());
    s.item(Expr::Bool(true));
    s.limit = Some(1);
    let compiled = conn.dialect().compile(&s.into());
    Ok(!conn.query_compiled(&compiled)?.is_empty())
}

/// Compares through the inspector: types in their canonical form; defaults, CHECK
/// conditions and partial-index conditions as the database stores them.
struct ServerCompare<'i> {
    inspector: &'i dyn Inspector,
    defaults: HashMap<(String, String), String>,
    /// `(table, condition as written)` to the condition as stored, for the model
    /// tables that exist in the database.
    checks: HashMap<(String, String), String>,
    predicates: HashMap<(String, String), String>,
}

impl<'i> ServerCompare<'i> {
    fn new(
        inspector: &'i dyn Inspector,
        conn: &mut EngineConnection,
        models: &MetaData,
        database: &MetaData,
    ) -> Result<Self> {
        let mut keys = Vec::new();
        let mut inputs: Vec<(SqlType, String)> = Vec::new();
        for t in models.tables() {
            for c in &t.columns {
                if let Some(d) = &c.server_default {
                    keys.push((t.name.clone(), c.name.clone()));
                    inputs.push((c.sql_type.clone(), d.clone()));
                }
            }
        }
        let normalized = inspector.normalize_defaults(conn, &inputs)?;
        let mut checks = HashMap::new();
        let mut predicates = HashMap::new();
        for t in models.tables() {
            if database.table(&t.name).is_none() {
                continue;
            }
            let written: Vec<String> = t.checks.iter().map(|c| c.expr.clone()).collect();
            let stored = inspector.normalize_checks(conn, t, &written)?;
            checks.extend(keyed(&t.name, written, stored));
            let written: Vec<String> = t
                .indexes
                .iter()
                .filter_map(|i| i.predicate.clone())
                .collect();
            let stored = inspector.normalize_index_predicates(conn, t, &written)?;
            predicates.extend(keyed(&t.name, written, stored));
        }
        Ok(ServerCompare {
            inspector,
            defaults: keys.into_iter().zip(normalized).collect(),
            checks,
            predicates,
        })
    }

    /// Whether a model condition (normalised through `stored` when it could be) and
    /// a reflected one are the same.
    fn same_condition(
        &self,
        stored: &HashMap<(String, String), String>,
        table: &str,
        model: &str,
        database: &str,
    ) -> bool {
        let key = (table.to_owned(), model.to_owned());
        let model = stored.get(&key).map_or(model, String::as_str);
        self.inspector.same_default(model, database)
    }
}

/// `((table, written), stored)` pairs.
fn keyed(
    table: &str,
    written: Vec<String>,
    stored: Vec<String>,
) -> impl Iterator<Item = ((String, String), String)> + '_ {
    written
        .into_iter()
        .zip(stored)
        .map(move |(w, s)| ((table.to_owned(), w), s))
}

impl Compare for ServerCompare<'_> {
    fn same_type(&self, model: &SqlType, database: &SqlType) -> bool {
        self.inspector.canonical_type(model) == self.inspector.canonical_type(database)
    }

    fn same_default(&self, table: &str, model: &Column, database: &Column) -> bool {
        let key = (table.to_owned(), model.name.clone());
        let model = self.defaults.get(&key).or(model.server_default.as_ref());
        match (model, &database.server_default) {
            (Some(m), Some(d)) => self.inspector.same_default(m, d),
            (m, d) => m == d.as_ref(),
        }
    }

    fn same_check(&self, table: &str, model: &str, database: &str) -> bool {
        self.same_condition(&self.checks, table, model, database)
    }

    fn same_predicate(&self, table: &str, model: &str, database: &str) -> bool {
        self.same_condition(&self.predicates, table, model, database)
    }
}

/// Adds the warnings that depend on the data: a NOT NULL column without a default
/// added to a table that has rows (with a commented hint), and a column made NOT
/// NULL on such a table. `has_rows` answers for a table of the database.
pub fn annotate_rows(
    plan: &mut Plan,
    mut has_rows: impl FnMut(&str) -> Result<bool>,
) -> Result<()> {
    for step in &mut plan.steps {
        match &step.operation {
            Operation::AddColumn { table, column }
                if !column.nullable && !column.server_generated() && has_rows(table)? =>
            {
                step.warnings.push(format!(
                    "\"{table}\" has rows: adding NOT NULL column \"{}\" without a default fails",
                    column.name
                ));
                step.hint = Some(not_null_hint(table, column));
            }
            Operation::AlterColumn {
                table,
                column,
                change: ColumnChange::SetNotNull,
                ..
            } if has_rows(table)? => step.warnings.push(format!(
                "\"{table}\" has rows: this fails if any of them holds NULL in \"{column}\"; fill those first"
            )),
            _ => {}
        }
    }
    Ok(())
}

/// Add the column NULL-able, fill it, then make it NOT NULL (or give it a default).
fn not_null_hint(table: &str, column: &Column) -> Hint {
    let mut nullable = column.clone();
    nullable.nullable = true;
    let alter = |action| Some(AlterTable::new(table, action).into());
    Hint {
        text: format!(
            "replace the statement below with: add the column NULL-able, fill \"{}\" for the \
             existing rows (an UPDATE), then make it NOT NULL; or give it a server_default",
            column.name
        ),
        statements: vec![
            alter(AlterTableAction::AddColumn(nullable)),
            None,
            alter(AlterTableAction::AlterColumn {
                column: column.name.clone(),
                change: ColumnChange::SetNotNull,
            }),
        ],
    }
}
