//! CHECK conditions and partial-index conditions compared the way PostgreSQL stores
//! them (the catalog prints `price > 0` back as `(price > 0)`, adds casts, ...).
//!
//! As for defaults (`defaults.rs`), the server is asked: a temporary copy of the
//! model's table gets each condition, inside a transaction that is rolled back,
//! and the catalog prints it back. The copy has the model's columns; an enum type
//! the database does not have yet is created for it (and rolled back with the
//! rest), a column whose type the server still refuses becomes `text`. A condition
//! the server refuses (it names a label not committed yet, ...) is returned as
//! written; the comparison then falls back to the text form.

use crate::PgDialect;
use orm_core::statement::CreateEnum;
use orm_core::{Compiled, Dialect, EngineConnection, Result, SqlType, Table};

const PROBE: &str = "orm_condition_probe";

#[derive(Clone, Copy)]
enum Kind {
    Check,
    IndexPredicate,
}

/// Each CHECK condition as PostgreSQL prints it back (`pg_get_expr(conbin, ..)`).
pub(crate) fn normalize_checks(
    conn: &mut EngineConnection,
    table: &Table,
    checks: &[String],
) -> Result<Vec<String>> {
    normalize(conn, table, checks, Kind::Check)
}

/// Each partial-index condition as PostgreSQL prints it back
/// (`pg_get_expr(indpred, ..)`).
pub(crate) fn normalize_predicates(
    conn: &mut EngineConnection,
    table: &Table,
    predicates: &[String],
) -> Result<Vec<String>> {
    normalize(conn, table, predicates, Kind::IndexPredicate)
}

fn normalize(
    conn: &mut EngineConnection,
    table: &Table,
    conditions: &[String],
    kind: Kind,
) -> Result<Vec<String>> {
    if conditions.is_empty() || table.columns.is_empty() {
        return Ok(conditions.to_vec());
    }
    conn.begin()?;
    let result = probe_all(conn, table, conditions, kind);
    let rolled_back = conn.rollback();
    let normalized = result?;
    rolled_back?;
    Ok(normalized)
}

fn probe_all(
    conn: &mut EngineConnection,
    table: &Table,
    conditions: &[String],
    kind: Kind,
) -> Result<Vec<String>> {
    create_probe(conn, table)?;
    let mut out = Vec::with_capacity(conditions.len());
    for (i, condition) in conditions.iter().enumerate() {
        let savepoint = format!("probe_{i}");
        conn.savepoint(&savepoint)?;
        match probe_one(conn, table, i, condition, kind) {
            Ok(Some(stored)) => {
                conn.release_savepoint(&savepoint)?;
                out.push(stored);
            }
            Ok(None) | Err(_) => {
                conn.rollback_to_savepoint(&savepoint)?;
                out.push(condition.clone());
            }
        }
    }
    Ok(out)
}

/// `CREATE TEMPORARY TABLE probe ()`, then each model column with its type (the
/// missing enum types created first), or as `text` when the server refuses it.
fn create_probe(conn: &mut EngineConnection, table: &Table) -> Result<()> {
    for e in table.columns.iter().filter_map(|c| c.sql_type.enum_type()) {
        let create = PgDialect.compile(
            &CreateEnum {
                enum_type: e.clone(),
            }
            .into(),
        );
        attempt(conn, &create.sql)?;
    }
    let mut sql = String::from("CREATE TEMPORARY TABLE ");
    PgDialect.write_identifier(&mut sql, PROBE);
    sql.push_str(" ()");
    conn.batch_execute(&sql)?;
    for c in &table.columns {
        let add = |ty: &SqlType| {
            let mut sql = String::from("ALTER TABLE ");
            PgDialect.write_identifier(&mut sql, PROBE);
            sql.push_str(" ADD COLUMN ");
            PgDialect.write_identifier(&mut sql, &c.name);
            sql.push(' ');
            sql.push_str(&PgDialect.type_name(ty));
            sql
        };
        if !attempt(conn, &add(&c.sql_type))? {
            conn.batch_execute(&add(&SqlType::Text))?;
        }
    }
    Ok(())
}

/// Runs `sql` under a savepoint; `false` (and nothing changed) when it fails.
fn attempt(conn: &mut EngineConnection, sql: &str) -> Result<bool> {
    conn.savepoint("probe_step")?;
    if conn.batch_execute(sql).is_ok() {
        conn.release_savepoint("probe_step")?;
        Ok(true)
    } else {
        conn.rollback_to_savepoint("probe_step")?;
        Ok(false)
    }
}

/// Attaches the condition (SQL from the model) to the probe and reads it back.
fn probe_one(
    conn: &mut EngineConnection,
    table: &Table,
    i: usize,
    condition: &str,
    kind: Kind,
) -> Result<Option<String>> {
    let name = format!("{PROBE}_{i}");
    let mut ddl = String::new();
    match kind {
        Kind::Check => {
            ddl.push_str("ALTER TABLE ");
            PgDialect.write_identifier(&mut ddl, PROBE);
            ddl.push_str(" ADD CONSTRAINT ");
            PgDialect.write_identifier(&mut ddl, &name);
            ddl.push_str(" CHECK (");
        }
        Kind::IndexPredicate => {
            ddl.push_str("CREATE INDEX ");
            PgDialect.write_identifier(&mut ddl, &name);
            ddl.push_str(" ON ");
            PgDialect.write_identifier(&mut ddl, PROBE);
            ddl.push_str(" (");
            PgDialect.write_identifier(&mut ddl, &table.columns[0].name);
            ddl.push_str(") WHERE (");
        }
    }
    ddl.push_str(condition);
    ddl.push(')');
    conn.batch_execute(&ddl)?;
    let mut rows = conn.query_compiled(&read_back(kind, name))?;
    match rows.first_mut() {
        Some(row) => row.take::<Option<String>>(0),
        None => Ok(None),
    }
}

/// The stored condition of the probe's constraint or index called `name`.
fn read_back(kind: Kind, name: String) -> Compiled {
    match kind {
        Kind::Check => Compiled {
            sql:
                "SELECT pg_catalog.pg_get_expr(c.conbin, c.conrelid) \
                  FROM pg_catalog.pg_constraint c WHERE c.conname = $1 \
                  AND c.conrelid = pg_catalog.to_regclass('pg_temp.' || pg_catalog.quote_ident($2))"
                    .to_owned(),
            params: vec![name.into(), PROBE.into()],
        },
        Kind::IndexPredicate => Compiled {
            sql: "SELECT pg_catalog.pg_get_expr(ix.indpred, ix.indrelid) \
                  FROM pg_catalog.pg_index ix WHERE ix.indexrelid = \
                  pg_catalog.to_regclass('pg_temp.' || pg_catalog.quote_ident($1))"
                .to_owned(),
            params: vec![name.into()],
        },
    }
}
