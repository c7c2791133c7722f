//! `create_all` and `drop_all` on a connection: the DDL statements in foreign-key
//! order, in one transaction, as `async fn`s over the engine's connection (the
//! blocking [`MetaData::create_all`] polls them once).

use super::metadata::Plan;
use super::{EnumType, MetaData};
use crate::connection::RoutedConnection;
use crate::error::{Error, Result};
use crate::statement::{
    AddForeignKey, CreateEnum, CreateIndex, CreateTable, DropEnum, DropTable, Statement,
};
use std::collections::HashSet;

impl MetaData {
    /// Creates the enum types and tables of `plan` that do not exist yet, in one
    /// transaction (see [`MetaData::create_all`]).
    pub(crate) async fn create_on(
        &self,
        conn: &mut RoutedConnection,
        plan: &Plan<'_>,
    ) -> Result<()> {
        conn.begin().await?;
        let done = self.create_missing(conn, plan).await;
        finish(conn, done).await
    }

    /// Drops the tables of `plan` that exist, then the enum types, in one
    /// transaction (see [`MetaData::drop_all`]).
    pub(crate) async fn drop_on(&self, conn: &mut RoutedConnection, plan: &Plan<'_>) -> Result<()> {
        conn.begin().await?;
        let done = self.drop_existing(conn, plan).await;
        finish(conn, done).await
    }

    async fn create_missing(&self, conn: &mut RoutedConnection, plan: &Plan<'_>) -> Result<()> {
        create_enums(conn, &self.enum_types()).await?;
        let existing = existing_tables(conn).await?;
        let mut created = vec![false; self.tables().len()];
        for &i in &plan.order {
            let table = &self.tables()[i];
            if existing.contains(&table.name) {
                continue;
            }
            created[i] = true;
            let create = CreateTable {
                table: table.clone(),
                if_not_exists: false,
                omit_foreign_keys: plan.omitted[i].iter().map(|&fk| fk.clone()).collect(),
            };
            run(conn, create.into()).await?;
            for index in &table.indexes {
                let index = CreateIndex {
                    table: table.name.clone(),
                    index: index.clone(),
                    if_not_exists: false,
                };
                run(conn, index.into()).await?;
            }
        }
        for &i in plan.order.iter().filter(|&&i| created[i]) {
            for &fk in &plan.omitted[i] {
                let add = AddForeignKey {
                    table: self.tables()[i].name.clone(),
                    foreign_key: fk.clone(),
                };
                run(conn, add.into()).await?;
            }
        }
        Ok(())
    }

    async fn drop_existing(&self, conn: &mut RoutedConnection, plan: &Plan<'_>) -> Result<()> {
        let existing = existing_tables(conn).await?;
        for &i in plan.order.iter().rev() {
            let table = &self.tables()[i];
            if !existing.contains(&table.name) {
                continue;
            }
            let drop = DropTable {
                name: table.name.clone(),
                if_exists: true,
                cascade: plan.on_cycle[i],
            };
            run(conn, drop.into()).await?;
        }
        drop_enums(conn, &self.enum_types()).await
    }
}

/// Commits after `done` succeeded, else rolls back and returns its error (which
/// matters more than a failed rollback, whose connection the pool then discards).
async fn finish(conn: &mut RoutedConnection, done: Result<()>) -> Result<()> {
    match done {
        Ok(()) => conn.commit().await,
        Err(e) => {
            let _ = conn.rollback().await;
            Err(e)
        }
    }
}

/// Runs one statement, rendered by the connection's dialect.
async fn run(conn: &mut RoutedConnection, statement: Statement) -> Result<()> {
    let compiled = conn.dialect().compile(&statement);
    conn.execute(&compiled.sql, &compiled.params)
        .await
        .map(drop)
}

/// The names of the tables that exist in the current schema.
async fn existing_tables(conn: &mut RoutedConnection) -> Result<HashSet<String>> {
    let query = conn.dialect().list_tables_query();
    let rows = conn.query(&query.sql, &query.params).await?;
    rows.into_iter()
        .map(|mut row| row.take::<String>(0))
        .collect()
}

/// Creates the enum types that do not exist yet, before any table.
async fn create_enums(conn: &mut RoutedConnection, enums: &[EnumType]) -> Result<()> {
    if enums.is_empty() {
        return Ok(());
    }
    let existing = existing_enums(conn, enums).await?;
    for e in enums.iter().filter(|e| !existing.contains(&e.name)) {
        let create = CreateEnum {
            enum_type: e.clone(),
        };
        run(conn, create.into()).await?;
    }
    Ok(())
}

/// Drops the enum types that exist, after the tables.
async fn drop_enums(conn: &mut RoutedConnection, enums: &[EnumType]) -> Result<()> {
    if enums.is_empty() {
        return Ok(());
    }
    let existing = existing_enums(conn, enums).await?;
    for e in enums.iter().filter(|e| existing.contains(&e.name)) {
        let drop = DropEnum {
            name: e.name.clone(),
            if_exists: true,
        };
        run(conn, drop.into()).await?;
    }
    Ok(())
}

/// The names of the enum types of the current schema; an error naming the first
/// enum when the dialect has none (store it as text: `native_enum = false`).
async fn existing_enums(
    conn: &mut RoutedConnection,
    enums: &[EnumType],
) -> Result<HashSet<String>> {
    let dialect = conn.dialect();
    let Some(query) = dialect.list_enum_types_query() else {
        return Err(Error::Schema(format!(
            "the {} dialect has no enum types, so enum \"{}\" cannot be created: \
             store it as text with `#[orm(native_enum = false)]` on the enum or the field",
            dialect.name(),
            enums[0].name
        )));
    };
    let rows = conn.query(&query.sql, &query.params).await?;
    rows.into_iter()
        .map(|mut row| row.take::<String>(0))
        .collect()
}
