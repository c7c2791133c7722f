//! What an [`Operation`] says to a reviewer: a one-line description, and what its
//! `down` cannot restore.

use super::{name_of, Operation};
use orm_core::statement::ColumnChange;
use orm_core::SqlType;

impl Operation {
    /// For a step whose `down` cannot bring data back, what is lost.
    pub fn data_loss(&self) -> Option<String> {
        match self {
            Self::DropTable { table, .. } => Some(format!(
                "the rows of \"{}\" cannot come back: down recreates the table empty",
                table.name
            )),
            Self::DropColumn { table, column } => Some(format!(
                "the values of \"{table}\".\"{}\" cannot come back: down adds the column back empty",
                column.name
            )),
            _ => None,
        }
    }

    /// For a step whose `down` may fail on the data, why.
    pub fn down_warning(&self) -> Option<String> {
        match self {
            Self::AlterColumn {
                table,
                column,
                change: ColumnChange::SetType(to),
                undo: ColumnChange::SetType(from),
            } if widens(from, to) && from != to => Some(format!(
                "down changes \"{table}\".\"{column}\" back to {from}: it fails if a value no longer fits"
            )),
            Self::AddEnumValue { name, label, .. } => Some(format!(
                "PostgreSQL cannot remove a label from an enum type: down leaves '{label}' in \"{name}\""
            )),
            _ => None,
        }
    }

    /// A one-line description, e.g. `add column "articles"."summary"`.
    pub fn describe(&self) -> String {
        match self {
            Self::RenameTable { from, to } => format!("rename table \"{from}\" to \"{to}\""),
            Self::RenameColumn { table, from, to } => {
                format!("rename column \"{table}\".\"{from}\" to \"{to}\"")
            }
            Self::CreateTable { table, .. } => format!("create table \"{}\"", table.name),
            Self::DropTable { table, .. } => format!("drop table \"{}\"", table.name),
            Self::AddColumn { table, column } => {
                format!("add column \"{table}\".\"{}\"", column.name)
            }
            Self::DropColumn { table, column } => {
                format!("drop column \"{table}\".\"{}\"", column.name)
            }
            Self::AlterColumn {
                table,
                column,
                change,
                ..
            } => format!(
                "alter column \"{table}\".\"{column}\": {}",
                describe_change(change)
            ),
            Self::CreateIndex { index, .. } => format!("create index \"{}\"", index.name),
            Self::DropIndex { index, .. } => format!("drop index \"{}\"", index.name),
            Self::AddUnique { table, constraint } => {
                format!(
                    "add unique constraint \"{}\" on \"{table}\"",
                    name_of(&constraint.name)
                )
            }
            Self::DropUnique { table, constraint } => {
                format!(
                    "drop unique constraint \"{}\" on \"{table}\"",
                    name_of(&constraint.name)
                )
            }
            Self::AddForeignKey { table, foreign_key } => {
                format!(
                    "add foreign key \"{}\" on \"{table}\"",
                    name_of(&foreign_key.name)
                )
            }
            Self::DropForeignKey { table, foreign_key } => {
                format!(
                    "drop foreign key \"{}\" on \"{table}\"",
                    name_of(&foreign_key.name)
                )
            }
            Self::CreateEnum { enum_type } => format!(
                "create enum type \"{}\" ({})",
                enum_type.name,
                enum_type.labels.join(", ")
            ),
            Self::DropEnum { enum_type } => format!("drop enum type \"{}\"", enum_type.name),
            Self::AddEnumValue { name, label, .. } => {
                format!("add label '{label}' to enum type \"{name}\"")
            }
            Self::AddCheck { table, check } => format!(
                "add check constraint \"{}\" on \"{table}\"",
                name_of(&check.name)
            ),
            Self::DropCheck { table, check } => format!(
                "drop check constraint \"{}\" on \"{table}\"",
                name_of(&check.name)
            ),
        }
    }
}

fn describe_change(change: &ColumnChange) -> String {
    match change {
        ColumnChange::SetType(ty) => format!("type {ty}"),
        ColumnChange::SetNotNull => "NOT NULL".to_owned(),
        ColumnChange::DropNotNull => "NULL allowed".to_owned(),
        ColumnChange::SetDefault(d) => format!("default {d}"),
        ColumnChange::DropDefault => "no default".to_owned(),
        ColumnChange::AddIdentity => "identity".to_owned(),
        ColumnChange::DropIdentity => "no identity".to_owned(),
    }
}

/// Whether every value of type `from` fits type `to` unchanged (a longer
/// `VARCHAR`, a wider integer, more numeric digits).
///
/// ```
/// use orm_core::SqlType;
/// assert!(orm_migrate::widens(&SqlType::Varchar(100), &SqlType::Varchar(200)));
/// assert!(!orm_migrate::widens(&SqlType::BigInt, &SqlType::Integer));
/// ```
pub fn widens(from: &SqlType, to: &SqlType) -> bool {
    use SqlType as T;
    match (from, to) {
        (T::Varchar(a), T::Varchar(b)) => b >= a,
        (T::Varchar(_), T::Text) => true,
        (T::SmallInt, T::Integer | T::BigInt) | (T::Integer, T::BigInt) => true,
        (T::Real, T::Double) => true,
        (T::Numeric(Some(_)), T::Numeric(None)) => true,
        (T::Numeric(Some((p1, s1))), T::Numeric(Some((p2, s2)))) => {
            s2 >= s1 && p2.saturating_sub(*s2) >= p1.saturating_sub(*s1)
        }
        (a, b) => a == b,
    }
}
