//! Reflection: the live schema read back from `pg_catalog` into the same
//! [`Table`]/[`MetaData`] structures the models produce, for migrations.

mod catalog;
mod conditions;
mod defaults;
mod parts;
mod types;

use orm_core::{
    Column, Compiled, EngineConnection, EnumType, Inspector, MetaData, Result, Row, SqlType, Table,
    Value,
};
use parts::{ConstraintRow, IndexRow, TableParts};
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
        let enums = read_enums(conn, schema)?;
        let mut tables: BTreeMap<String, TableParts> = BTreeMap::new();
        for row in conn.query_compiled(&catalog::columns(schema))? {
            let (table, column) = read_column(row, &enums)?;
            tables.entry(table).or_default().columns.push(column);
        }
        for row in conn.query_compiled(&catalog::constraints(schema))? {
            let c = ConstraintRow::read(row)?;
            if let Some(parts) = tables.get_mut(&c.table) {
                parts.add_constraint(c);
            }
        }
        for mut row in conn.query_compiled(&catalog::checks(schema))? {
            let table: String = row.take(0)?;
            if let Some(parts) = tables.get_mut(&table) {
                parts.add_check(row.take(1)?, row.take(2)?);
            }
        }
        for row in conn.query_compiled(&catalog::indexes(schema))? {
            let index = IndexRow::read(row)?;
            if let Some(parts) = tables.get_mut(&index.table) {
                parts.add_index_column(index);
            }
        }
        let mut md = MetaData::new();
        for (name, parts) in tables {
            md.add_table(parts.into_table(name));
        }
        for e in enums.into_values() {
            md.add_enum(e);
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

    fn normalize_checks(
        &self,
        conn: &mut EngineConnection,
        table: &Table,
        checks: &[String],
    ) -> Result<Vec<String>> {
        conditions::normalize_checks(conn, table, checks)
    }

    fn normalize_index_predicates(
        &self,
        conn: &mut EngineConnection,
        table: &Table,
        predicates: &[String],
    ) -> Result<Vec<String>> {
        conditions::normalize_predicates(conn, table, predicates)
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

/// Every enum type of the schema with its labels, by name.
fn read_enums(
    conn: &mut EngineConnection,
    schema: Option<&str>,
) -> Result<BTreeMap<String, EnumType>> {
    let mut enums: BTreeMap<String, EnumType> = BTreeMap::new();
    for mut row in conn.query_compiled(&catalog::enums(schema))? {
        let name: String = row.take(0)?;
        let label: String = row.take(1)?;
        enums
            .entry(name.clone())
            .or_insert_with(|| EnumType::new(name, &[]))
            .labels
            .push(label);
    }
    Ok(enums)
}

/// The column's type: an enum (or an array of one) with its labels when the catalog
/// says so, otherwise read from its name.
fn column_type(
    row: &mut Row,
    spelled: &str,
    enums: &BTreeMap<String, EnumType>,
) -> Result<SqlType> {
    let Some(name) = row.take::<Option<String>>(7)? else {
        return Ok(types::parse(spelled));
    };
    let e = enums
        .get(&name)
        .cloned()
        .unwrap_or_else(|| EnumType::new(name, &[]));
    Ok(match row.take::<bool>(8)? {
        true => SqlType::Array(Box::new(SqlType::Enum(e))),
        false => SqlType::Enum(e),
    })
}

/// `(table, column)` from a row of [`catalog::columns`].
fn read_column(mut row: Row, enums: &BTreeMap<String, EnumType>) -> Result<(String, Column)> {
    let table: String = row.take(0)?;
    let name: String = row.take(1)?;
    let ty: String = row.take(2)?;
    let not_null: bool = row.take(3)?;
    let default: Option<String> = row.take(4)?;
    let identity: String = row.take(5)?;
    let owns_sequence: bool = row.take(6)?;
    let mut column = Column::new(name, column_type(&mut row, &ty, enums)?);
    column.nullable = !not_null;
    let serial = owns_sequence
        && default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval("));
    column.autoincrement = !identity.is_empty() || serial;
    column.server_default = default.filter(|_| !serial);
    Ok((table, column))
}
