//! [`Operation`]: one schema change a migration makes, with the statements that
//! make it and the statements that undo it. Statements are data; the dialect
//! writes them.

use orm_core::statement::{
    AlterTable, AlterTableAction, ColumnChange, CreateIndex, CreateTable, DropIndex, DropTable,
    Statement,
};
use orm_core::{Column, ForeignKey, Index, SqlType, Table, UniqueConstraint};

/// One schema change.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// Rename a table (declared explicitly, never guessed).
    RenameTable {
        /// The current name.
        from: String,
        /// The new name.
        to: String,
    },
    /// Rename a column (declared explicitly, never guessed).
    RenameColumn {
        /// The table (its new name, when it is renamed too).
        table: String,
        /// The current name.
        from: String,
        /// The new name.
        to: String,
    },
    /// Create a table with its columns, primary key, unique constraints and the
    /// foreign keys not listed in `omit_foreign_keys` (its indexes are separate
    /// [`Operation::CreateIndex`] steps).
    CreateTable {
        /// The table as the models declare it.
        table: Table,
        /// Foreign keys added later (they close a cycle).
        omit_foreign_keys: Vec<ForeignKey>,
    },
    /// Drop a table; `down` recreates it (empty) as the database had it.
    DropTable {
        /// The table as the database has it.
        table: Table,
        /// Its foreign keys dropped by separate steps (they close a cycle).
        omit_foreign_keys: Vec<ForeignKey>,
    },
    /// Add a column.
    AddColumn {
        /// The table.
        table: String,
        /// The column as the models declare it.
        column: Column,
    },
    /// Drop a column; `down` adds it back (empty) as the database had it.
    DropColumn {
        /// The table.
        table: String,
        /// The column as the database has it.
        column: Column,
    },
    /// Change one property of a column.
    AlterColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The change.
        change: ColumnChange,
        /// The change that undoes it.
        undo: ColumnChange,
    },
    /// Create an index.
    CreateIndex {
        /// The table.
        table: String,
        /// The index.
        index: Index,
    },
    /// Drop an index.
    DropIndex {
        /// The table.
        table: String,
        /// The index as the database has it.
        index: Index,
    },
    /// Add a unique constraint (always named, so that `down` can drop it).
    AddUnique {
        /// The table.
        table: String,
        /// The constraint.
        constraint: UniqueConstraint,
    },
    /// Drop a unique constraint.
    DropUnique {
        /// The table.
        table: String,
        /// The constraint as the database has it (named).
        constraint: UniqueConstraint,
    },
    /// Add a foreign key (always named, so that `down` can drop it).
    AddForeignKey {
        /// The referencing table.
        table: String,
        /// The foreign key.
        foreign_key: ForeignKey,
    },
    /// Drop a foreign key.
    DropForeignKey {
        /// The referencing table.
        table: String,
        /// The foreign key as the database has it (named).
        foreign_key: ForeignKey,
    },
}

fn alter(table: &str, action: AlterTableAction) -> Statement {
    AlterTable::new(table, action).into()
}

fn name_of(name: &Option<String>) -> String {
    name.clone().unwrap_or_default()
}

fn create_table(table: &Table, omit: &[ForeignKey]) -> Statement {
    CreateTable {
        table: table.clone(),
        if_not_exists: false,
        omit_foreign_keys: omit.to_vec(),
    }
    .into()
}

fn create_index(table: &str, index: &Index) -> Statement {
    CreateIndex {
        table: table.to_owned(),
        index: index.clone(),
        if_not_exists: false,
    }
    .into()
}

fn drop_table(name: &str) -> Statement {
    DropTable {
        name: name.to_owned(),
        if_exists: false,
        cascade: false,
    }
    .into()
}

impl Operation {
    /// The statements that make the change.
    pub fn up(&self) -> Vec<Statement> {
        use AlterTableAction as A;
        match self {
            Self::RenameTable { from, to } => vec![alter(from, A::RenameTo(to.clone()))],
            Self::RenameColumn { table, from, to } => vec![alter(
                table,
                A::RenameColumn {
                    from: from.clone(),
                    to: to.clone(),
                },
            )],
            Self::CreateTable {
                table,
                omit_foreign_keys,
            } => vec![create_table(table, omit_foreign_keys)],
            Self::DropTable { table, .. } => vec![drop_table(&table.name)],
            Self::AddColumn { table, column } => vec![alter(table, A::AddColumn(column.clone()))],
            Self::DropColumn { table, column } => {
                vec![alter(table, A::DropColumn(column.name.clone()))]
            }
            Self::AlterColumn {
                table,
                column,
                change,
                ..
            } => vec![alter_column(table, column, change)],
            Self::CreateIndex { table, index } => vec![create_index(table, index)],
            Self::DropIndex { index, .. } => vec![drop_index(index)],
            Self::AddUnique { table, constraint } => {
                vec![alter(table, A::AddUnique(constraint.clone()))]
            }
            Self::DropUnique { table, constraint } => {
                vec![alter(table, A::DropConstraint(name_of(&constraint.name)))]
            }
            Self::AddForeignKey { table, foreign_key } => {
                vec![alter(table, A::AddForeignKey(foreign_key.clone()))]
            }
            Self::DropForeignKey { table, foreign_key } => {
                vec![alter(table, A::DropConstraint(name_of(&foreign_key.name)))]
            }
        }
    }

    /// The statements that undo the change. Structure comes back exactly; the data
    /// of a dropped column or table does not (see [`Operation::data_loss`]).
    pub fn down(&self) -> Vec<Statement> {
        self.inverse().iter().flat_map(Operation::up).collect()
    }

    /// The operations that undo this one, in order.
    pub fn inverse(&self) -> Vec<Operation> {
        match self.clone() {
            Self::RenameTable { from, to } => vec![Self::RenameTable { from: to, to: from }],
            Self::RenameColumn { table, from, to } => vec![Self::RenameColumn {
                table,
                from: to,
                to: from,
            }],
            Self::CreateTable { table, .. } => vec![Self::DropTable {
                table,
                omit_foreign_keys: Vec::new(),
            }],
            Self::DropTable {
                table,
                omit_foreign_keys,
            } => {
                let indexes = table.indexes.iter().map(|index| Self::CreateIndex {
                    table: table.name.clone(),
                    index: index.clone(),
                });
                let indexes: Vec<Operation> = indexes.collect();
                let mut ops = vec![Self::CreateTable {
                    table,
                    omit_foreign_keys,
                }];
                ops.extend(indexes);
                ops
            }
            Self::AddColumn { table, column } => vec![Self::DropColumn { table, column }],
            Self::DropColumn { table, column } => vec![Self::AddColumn { table, column }],
            Self::AlterColumn {
                table,
                column,
                change,
                undo,
            } => vec![Self::AlterColumn {
                table,
                column,
                change: undo,
                undo: change,
            }],
            Self::CreateIndex { table, index } => vec![Self::DropIndex { table, index }],
            Self::DropIndex { table, index } => vec![Self::CreateIndex { table, index }],
            Self::AddUnique { table, constraint } => vec![Self::DropUnique { table, constraint }],
            Self::DropUnique { table, constraint } => vec![Self::AddUnique { table, constraint }],
            Self::AddForeignKey { table, foreign_key } => {
                vec![Self::DropForeignKey { table, foreign_key }]
            }
            Self::DropForeignKey { table, foreign_key } => {
                vec![Self::AddForeignKey { table, foreign_key }]
            }
        }
    }

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
        }
    }
}

fn alter_column(table: &str, column: &str, change: &ColumnChange) -> Statement {
    alter(
        table,
        AlterTableAction::AlterColumn {
            column: column.to_owned(),
            change: change.clone(),
        },
    )
}

fn drop_index(index: &Index) -> Statement {
    DropIndex {
        name: index.name.clone(),
        if_exists: false,
    }
    .into()
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
