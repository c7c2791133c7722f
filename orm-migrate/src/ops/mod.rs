//! [`Operation`]: one schema change a migration makes, with the statements that
//! make it and the statements that undo it. Statements are data; the dialect
//! writes them.

mod describe;

pub use describe::widens;

use orm_core::statement::{
    AddEnumValue, AlterTable, AlterTableAction, ColumnChange, CreateEnum, CreateIndex, CreateTable,
    DropEnum, DropIndex, DropTable, LabelPosition, Statement,
};
use orm_core::{CheckConstraint, Column, EnumType, ForeignKey, Index, Table, UniqueConstraint};

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
    /// Create an enum type (before the tables and columns that use it).
    CreateEnum {
        /// The type and its labels.
        enum_type: EnumType,
    },
    /// Drop an enum type (after the tables and columns that used it).
    DropEnum {
        /// The type as the database has it.
        enum_type: EnumType,
    },
    /// Add a label to an enum type. PostgreSQL cannot remove one, so `down` leaves it.
    AddEnumValue {
        /// The type name.
        name: String,
        /// The new label.
        label: String,
        /// Where it goes among the existing labels.
        position: LabelPosition,
    },
    /// Add a CHECK constraint (always named, so that `down` can drop it).
    AddCheck {
        /// The table.
        table: String,
        /// The constraint; its condition is SQL from the model.
        check: CheckConstraint,
    },
    /// Drop a CHECK constraint.
    DropCheck {
        /// The table.
        table: String,
        /// The constraint as the database has it (named).
        check: CheckConstraint,
    },
}

fn alter(table: &str, action: AlterTableAction) -> Statement {
    AlterTable::new(table, action).into()
}

pub(crate) fn name_of(name: &Option<String>) -> String {
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
            Self::CreateEnum { enum_type } => vec![CreateEnum {
                enum_type: enum_type.clone(),
            }
            .into()],
            Self::DropEnum { enum_type } => vec![DropEnum {
                name: enum_type.name.clone(),
                if_exists: false,
            }
            .into()],
            Self::AddEnumValue {
                name,
                label,
                position,
            } => vec![AddEnumValue {
                name: name.clone(),
                label: label.clone(),
                position: position.clone(),
                if_not_exists: false,
            }
            .into()],
            Self::AddCheck { table, check } => vec![alter(table, A::AddCheck(check.clone()))],
            Self::DropCheck { table, check } => {
                vec![alter(table, A::DropConstraint(name_of(&check.name)))]
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
            Self::CreateEnum { enum_type } => vec![Self::DropEnum { enum_type }],
            Self::DropEnum { enum_type } => vec![Self::CreateEnum { enum_type }],
            // PostgreSQL cannot take a label away (see `down_warning`).
            Self::AddEnumValue { .. } => Vec::new(),
            Self::AddCheck { table, check } => vec![Self::DropCheck { table, check }],
            Self::DropCheck { table, check } => vec![Self::AddCheck { table, check }],
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
