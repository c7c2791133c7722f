//! The `orm_migrations` table: which migrations the database has applied, with
//! the checksum of each `up.sql` as it was applied. Every statement is data.

use chrono::{DateTime, Utc};
use orm_core::statement::{CreateTable, Delete, Insert, Select, Statement};
use orm_core::{
    BinaryOp, Column, Dialect, EngineConnection, Expr, Order, Result, SqlType, Table, Value,
};

/// The history table's name.
pub const HISTORY_TABLE: &str = "orm_migrations";

/// One row of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMigration {
    /// The migration's version (its UTC timestamp, `YYYYMMDDHHMMSS`).
    pub version: String,
    /// Its name.
    pub name: String,
    /// SHA-256 of its `up.sql` when it was applied, in hex.
    pub checksum: String,
    /// When it was applied.
    pub applied_at: DateTime<Utc>,
}

/// `orm_migrations(version, name, checksum, applied_at)`.
pub fn history_table() -> Table {
    Table::new(
        HISTORY_TABLE,
        vec![
            Column::new("version", SqlType::Varchar(32)).primary_key(),
            Column::new("name", SqlType::Text).not_null(),
            Column::new("checksum", SqlType::Varchar(64)).not_null(),
            Column::new("applied_at", SqlType::TimestampTz)
                .not_null()
                .server_default("now()"),
        ],
    )
}

fn run(conn: &mut EngineConnection, statement: Statement) -> Result<u64> {
    let compiled = conn.dialect().compile(&statement);
    conn.execute_compiled(&compiled)
}

fn version_is(version: &str) -> Expr {
    Expr::column(HISTORY_TABLE, "version").binary(BinaryOp::Eq, Expr::value(version))
}

/// Creates the history table unless it exists.
pub(crate) fn ensure(conn: &mut EngineConnection) -> Result<()> {
    let create = CreateTable {
        table: history_table(),
        if_not_exists: true,
        omit_foreign_keys: Vec::new(),
    };
    run(conn, create.into()).map(drop)
}

/// Every applied migration, oldest first.
pub(crate) fn applied(conn: &mut EngineConnection) -> Result<Vec<AppliedMigration>> {
    let mut s = Select::from(HISTORY_TABLE);
    for c in ["version", "name", "checksum", "applied_at"] {
        s.item(Expr::column(HISTORY_TABLE, c));
    }
    s.order_by.push(Order {
        expr: Expr::column(HISTORY_TABLE, "version"),
        desc: false,
        nulls_first: None,
    });
    let compiled = conn.dialect().compile(&s.into());
    conn.query_compiled(&compiled)?
        .into_iter()
        .map(|mut row| {
            Ok(AppliedMigration {
                version: row.take(0)?,
                name: row.take(1)?,
                checksum: row.take(2)?,
                applied_at: row.take(3)?,
            })
        })
        .collect()
}

/// Whether `version` is recorded.
pub(crate) fn contains(conn: &mut EngineConnection, version: &str) -> Result<bool> {
    let mut s = Select::from(HISTORY_TABLE);
    s.item(Expr::column(HISTORY_TABLE, "version"))
        .and_where(version_is(version));
    let compiled = conn.dialect().compile(&s.into());
    Ok(!conn.query_compiled(&compiled)?.is_empty())
}

/// Records an applied migration.
pub(crate) fn record(
    conn: &mut EngineConnection,
    version: &str,
    name: &str,
    checksum: &str,
) -> Result<()> {
    let insert = Insert {
        table: HISTORY_TABLE.to_owned(),
        columns: vec!["version".into(), "name".into(), "checksum".into()],
        rows: vec![vec![
            Value::from(version),
            Value::from(name),
            Value::from(checksum),
        ]],
        on_conflict: None,
        returning: Vec::new(),
    };
    run(conn, insert.into()).map(drop)
}

/// Forgets a migration (after its `down` ran).
pub(crate) fn forget(conn: &mut EngineConnection, version: &str) -> Result<()> {
    let delete = Delete {
        table: HISTORY_TABLE.to_owned(),
        filter: Some(version_is(version)),
        returning: Vec::new(),
    };
    run(conn, delete.into()).map(drop)
}

/// Takes the migration lock of `dialect`'s inspector until the transaction ends.
pub(crate) fn lock(conn: &mut EngineConnection, dialect: &dyn Dialect) -> Result<()> {
    let inspector = crate::autogen::inspector_of(dialect)?;
    conn.query_compiled(&inspector.migration_lock()).map(drop)
}
