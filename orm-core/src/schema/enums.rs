//! The enum types of a [`MetaData`]: gathered from its columns (arrays of enums
//! included) and checked for conflicting declarations (`apply.rs` creates them
//! before the tables that use them and drops them after).

use super::{EnumType, MetaData};
use crate::error::{Error, Result};
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
