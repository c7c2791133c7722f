//! The enum types of a [`MetaData`]: gathered from its columns (arrays of enums
//! included), checked for conflicting declarations, created before the tables that
//! use them and dropped after them.

use super::{EnumType, MetaData};
use crate::connection::EngineConnection;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::statement::{CreateEnum, DropEnum, Statement};
use std::collections::HashSet;

impl MetaData {
    /// Adds an enum type no column of these tables uses (reflection lists every type
    /// of a schema); a type of the same name is replaced.
    pub fn add_enum(&mut self, enum_type: EnumType) {
        match self.enums.iter_mut().find(|e| e.name == enum_type.name) {
            Some(existing) => *existing = enum_type,
            None => self.enums.push(enum_type),
        }
    }

    /// Every enum type: those the columns use, in table and column order, then those
    /// added with [`MetaData::add_enum`]. A name is listed once (its first
    /// declaration; `create_all` refuses two different declarations of one name).
    ///
    /// ```
    /// use orm_core::{Column, EnumType, MetaData, SqlType, Table};
    /// let status = EnumType::new("status", &["draft", "published"]);
    /// let mut md = MetaData::new();
    /// md.add_table(Table::new("posts", vec![
    ///     Column::new("status", SqlType::Enum(status.clone())),
    ///     Column::new("history", SqlType::Array(Box::new(SqlType::Enum(status.clone())))),
    /// ]));
    /// assert_eq!(md.enum_types(), [status]);
    /// ```
    pub fn enum_types(&self) -> Vec<EnumType> {
        let used = self
            .tables()
            .iter()
            .flat_map(|t| &t.columns)
            .filter_map(|c| c.sql_type.enum_type());
        let mut seen = HashSet::new();
        used.chain(&self.enums)
            .filter(|e| seen.insert(e.name.as_str()))
            .cloned()
            .collect()
    }

    /// Fails when two columns declare enum types of one name with different labels.
    pub(super) fn validate_enums(&self) -> Result<()> {
        let mut first: Vec<(&EnumType, String)> = Vec::new();
        for t in self.tables() {
            for c in &t.columns {
                let Some(e) = c.sql_type.enum_type() else {
                    continue;
                };
                let place = format!("{}.{}", t.name, c.name);
                match first.iter().find(|(f, _)| f.name == e.name) {
                    Some((f, at)) if f.labels != e.labels => {
                        return Err(Error::Schema(format!(
                            "enum type \"{}\" has labels ({}) in {at} but ({}) in {place}: \
                             give one of the Rust enums another `type_name`",
                            e.name,
                            f.labels.join(", "),
                            e.labels.join(", ")
                        )))
                    }
                    Some(_) => {}
                    None => first.push((e, place)),
                }
            }
        }
        Ok(())
    }
}

/// Creates the enum types that do not exist yet, before any table.
pub(super) fn create_missing(
    conn: &mut EngineConnection,
    dialect: &dyn Dialect,
    enums: &[EnumType],
) -> Result<()> {
    if enums.is_empty() {
        return Ok(());
    }
    let existing = existing_enums(conn, dialect, enums)?;
    for e in enums.iter().filter(|e| !existing.contains(&e.name)) {
        let create = CreateEnum {
            enum_type: e.clone(),
        };
        run(conn, dialect, create.into())?;
    }
    Ok(())
}

/// Drops the enum types that exist, after the tables.
pub(super) fn drop_existing(
    conn: &mut EngineConnection,
    dialect: &dyn Dialect,
    enums: &[EnumType],
) -> Result<()> {
    if enums.is_empty() {
        return Ok(());
    }
    let existing = existing_enums(conn, dialect, enums)?;
    for e in enums.iter().filter(|e| existing.contains(&e.name)) {
        let drop = DropEnum {
            name: e.name.clone(),
            if_exists: true,
        };
        run(conn, dialect, drop.into())?;
    }
    Ok(())
}

/// The names of the enum types of the current schema; an error naming the first
/// enum when the dialect has none (store it as text: `native_enum = false`).
fn existing_enums(
    conn: &mut EngineConnection,
    dialect: &dyn Dialect,
    enums: &[EnumType],
) -> Result<HashSet<String>> {
    let Some(query) = dialect.list_enum_types_query() else {
        return Err(Error::Schema(format!(
            "the {} dialect has no enum types, so enum \"{}\" cannot be created: \
             store it as text with `#[orm(native_enum = false)]` on the enum or the field",
            dialect.name(),
            enums[0].name
        )));
    };
    conn.query_compiled(&query)?
        .into_iter()
        .map(|mut row| row.take::<String>(0))
        .collect()
}

fn run(conn: &mut EngineConnection, dialect: &dyn Dialect, statement: Statement) -> Result<()> {
    conn.execute_compiled(&dialect.compile(&statement))
        .map(drop)
}
