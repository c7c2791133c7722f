//! Reflection: the live schema read back from `pg_catalog` into the same
//! [`Table`]/[`MetaData`] structures the models produce, for migrations.

mod catalog;
mod defaults;
mod types;

use orm_core::{
    Column, Compiled, EngineConnection, ForeignKey, Index, Inspector, MetaData, ReferentialAction,
    Result, Row, SqlType, Table, UniqueConstraint, Value,
};
use std::collections::BTreeMap;

/// The first key of the advisory lock that serialises migration runs; the second is
/// `hashtext(current_schema())`, so runs on different schemas do not wait for each
/// other.
pub const MIGRATION_LOCK_KEY: i32 = 0x6f72_6d6d; // "ormm"

/// PostgreSQL's [`Inspector`], reached through
/// [`PgDialect::inspector`](orm_core::Dialect::inspector).
///
/// Reads `pg_catalog` (not `information_schema`, which hides tables the role does
/// not own). Identity and serial columns both read as autoincrement; the defaults
/// of serial columns are left out, as the models never spell them.
#[derive(Debug, Clone, Copy, Default)]
pub struct PgInspector;

impl Inspector for PgInspector {
    fn reflect(&self, conn: &mut EngineConnection, schema: Option<&str>) -> Result<MetaData> {
        let mut tables: BTreeMap<String, TableParts> = BTreeMap::new();
        for row in conn.query_compiled(&catalog::columns(schema))? {
            let (table, column) = read_column(row)?;
            tables.entry(table).or_default().columns.push(column);
        }
        for row in conn.query_compiled(&catalog::constraints(schema))? {
            let c = ConstraintRow::read(row)?;
            if let Some(parts) = tables.get_mut(&c.table) {
                parts.add_constraint(c);
            }
        }
        for row in conn.query_compiled(&catalog::indexes(schema))? {
            let (table, index, unique, column) = read_index(row)?;
            if let Some(parts) = tables.get_mut(&table) {
                parts.add_index_column(index, unique, column);
            }
        }
        let mut md = MetaData::new();
        for (name, parts) in tables {
            md.add_table(parts.into_table(name));
        }
        Ok(md)
    }

    fn canonical_type(&self, ty: &SqlType) -> SqlType {
        types::canonical(ty)
    }

    fn normalize_defaults(
        &self,
        conn: &mut EngineConnection,
        defaults: &[(SqlType, String)],
    ) -> Result<Vec<String>> {
        defaults::normalize(conn, defaults)
    }

    fn same_default(&self, model: &str, reflected: &str) -> bool {
        defaults::same(model, reflected)
    }

    fn migration_lock(&self) -> Compiled {
        Compiled {
            sql:
                "SELECT pg_catalog.pg_advisory_xact_lock($1, pg_catalog.hashtext(current_schema()))"
                    .to_owned(),
            params: vec![Value::Int(MIGRATION_LOCK_KEY)],
        }
    }
}

/// One table as its rows come in.
#[derive(Default)]
struct TableParts {
    columns: Vec<Column>,
    primary_key: Vec<String>,
    uniques: BTreeMap<String, Vec<String>>,
    foreign_keys: BTreeMap<String, ForeignKey>,
    indexes: BTreeMap<String, Index>,
}

impl TableParts {
    fn add_constraint(&mut self, c: ConstraintRow) {
        match c.kind.as_str() {
            "p" => self.primary_key.push(c.column),
            "u" => self.uniques.entry(c.name).or_default().push(c.column),
            _ => {
                let fk = self.foreign_keys.entry(c.name.clone()).or_insert_with(|| {
                    let mut fk = ForeignKey::to(&c.column, &c.target_table, &c.target_column);
                    fk.columns.clear();
                    fk.target_columns.clear();
                    fk.on_delete = action(&c.on_delete);
                    fk.on_update = action(&c.on_update);
                    fk.named(&c.name)
                });
                fk.columns.push(c.column);
                fk.target_columns.push(c.target_column);
            }
        }
    }

    fn add_index_column(&mut self, name: String, unique: bool, column: String) {
        self.indexes
            .entry(name.clone())
            .or_insert_with(|| Index {
                name,
                columns: Vec::new(),
                unique,
                using: None,
                predicate: None,
            })
            .columns
            .push(column);
    }

    fn into_table(mut self, name: String) -> Table {
        for c in &mut self.columns {
            if self.primary_key.contains(&c.name) {
                c.primary_key = true;
            }
        }
        let mut table = Table::new(name, self.columns);
        table.unique_constraints = self
            .uniques
            .into_iter()
            .map(|(name, columns)| UniqueConstraint {
                name: Some(name),
                columns,
            })
            .collect();
        table.foreign_keys = self.foreign_keys.into_values().collect();
        table.indexes = self.indexes.into_values().collect();
        table
    }
}

/// `(table, column)` from a row of [`catalog::columns`].
fn read_column(mut row: Row) -> Result<(String, Column)> {
    let table: String = row.take(0)?;
    let name: String = row.take(1)?;
    let ty: String = row.take(2)?;
    let not_null: bool = row.take(3)?;
    let default: Option<String> = row.take(4)?;
    let identity: String = row.take(5)?;
    let owns_sequence: bool = row.take(6)?;
    let mut column = Column::new(name, types::parse(&ty));
    column.nullable = !not_null;
    let serial = owns_sequence
        && default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval("));
    column.autoincrement = !identity.is_empty() || serial;
    column.server_default = default.filter(|_| !serial);
    Ok((table, column))
}

/// One row of [`catalog::constraints`].
struct ConstraintRow {
    table: String,
    name: String,
    kind: String,
    column: String,
    target_table: String,
    target_column: String,
    on_delete: String,
    on_update: String,
}

impl ConstraintRow {
    fn read(mut row: Row) -> Result<Self> {
        Ok(ConstraintRow {
            table: row.take(0)?,
            name: row.take(1)?,
            kind: row.take(2)?,
            column: row.take(3)?,
            target_table: row.take::<Option<String>>(4)?.unwrap_or_default(),
            target_column: row.take::<Option<String>>(5)?.unwrap_or_default(),
            on_delete: row.take(6)?,
            on_update: row.take(7)?,
        })
    }
}

/// `(table, index, unique, column)` from a row of [`catalog::indexes`].
fn read_index(mut row: Row) -> Result<(String, String, bool, String)> {
    Ok((row.take(0)?, row.take(1)?, row.take(2)?, row.take(3)?))
}

/// `pg_constraint.confdeltype`/`confupdtype` to an action; `NO ACTION` (`a`), the
/// default, reads as none given, as a model that names no action declares it.
fn action(code: &str) -> Option<ReferentialAction> {
    match code {
        "r" => Some(ReferentialAction::Restrict),
        "c" => Some(ReferentialAction::Cascade),
        "n" => Some(ReferentialAction::SetNull),
        "d" => Some(ReferentialAction::SetDefault),
        _ => None,
    }
}
