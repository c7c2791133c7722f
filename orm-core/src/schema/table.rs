//! [`Table`] metadata and its SQLAlchemy-style `Display`.

use super::{Column, ForeignKey};
use std::fmt;

/// A UNIQUE constraint over one or more columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueConstraint {
    /// Constraint name, if chosen by the user.
    pub name: Option<String>,
    /// The columns, by name.
    pub columns: Vec<String>,
}

/// An index over one or more columns.
///
/// ```
/// use orm_core::Index;
/// let ix = Index::new("ix_orders_tags", &["tags"]).using("gin").predicate("NOT archived");
/// assert_eq!((ix.using.as_deref(), ix.predicate.as_deref()), (Some("gin"), Some("NOT archived")));
/// assert!(!ix.unique);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// Index name (`ix_<table>_<column>` when derived from `#[orm(index)]`).
    pub name: String,
    /// The columns, by name.
    pub columns: Vec<String>,
    /// A UNIQUE index.
    pub unique: bool,
    /// The index method (`gin`, `gist`, `hash`, ..); `None` is the database's default
    /// (`btree`).
    pub using: Option<String>,
    /// A partial index's condition: SQL written by the model's author
    /// (`#[orm(index(.., where = ".."))]`), rendered verbatim.
    pub predicate: Option<String>,
}

impl Index {
    /// A plain (non-unique, default method, whole-table) index.
    pub fn new(name: impl Into<String>, columns: &[&str]) -> Self {
        Index {
            name: name.into(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            unique: false,
            using: None,
            predicate: None,
        }
    }

    /// Makes it a UNIQUE index.
    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }

    /// Sets the index method (`gin`, `gist`, ..).
    pub fn using(mut self, method: impl Into<String>) -> Self {
        self.using = Some(method.into());
        self
    }

    /// Makes it a partial index over the rows where `condition` (SQL) holds.
    pub fn predicate(mut self, condition: impl Into<String>) -> Self {
        self.predicate = Some(condition.into());
        self
    }

    /// The method, `None` for the default one (`btree` spelled out or not).
    pub fn method(&self) -> Option<&str> {
        self.using
            .as_deref()
            .filter(|m| !m.eq_ignore_ascii_case("btree"))
    }
}

/// A CHECK constraint: a condition (SQL written by the model's author, from
/// `#[orm(check = "..")]`) every row must satisfy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckConstraint {
    /// Constraint name; the database chooses one when `None`.
    pub name: Option<String>,
    /// The condition, as SQL.
    pub expr: String,
}

/// A table: its columns and constraints, as a model declares it.
#[derive(Clone, PartialEq)]
pub struct Table {
    /// The table name.
    pub name: String,
    /// The columns, in declaration order (the order of `Model::values`).
    pub columns: Vec<Column>,
    /// Multi-column UNIQUE constraints (single-column ones live on [`Column::unique`]).
    pub unique_constraints: Vec<UniqueConstraint>,
    /// Extra indexes (single-column `index` ones are added by [`Table::new`]).
    pub indexes: Vec<Index>,
    /// Foreign keys, gathered from the columns plus any composite ones.
    pub foreign_keys: Vec<ForeignKey>,
    /// CHECK constraints.
    pub checks: Vec<CheckConstraint>,
    primary_key: Vec<usize>,
}

impl Table {
    /// Builds a table from its columns, collecting the primary key, single-column
    /// indexes and foreign keys.
    ///
    /// ```
    /// use orm_core::{Column, SqlType, Table};
    /// let t = Table::new("tags", vec![
    ///     Column::new("id", SqlType::Integer).primary_key().autoincrement(),
    ///     Column::new("name", SqlType::Varchar(50)).not_null().index(),
    /// ]);
    /// assert_eq!(t.primary_key_indices(), &[0]);
    /// assert_eq!(t.indexes[0].name, "ix_tags_name");
    /// ```
    pub fn new(name: impl Into<String>, columns: Vec<Column>) -> Self {
        let name = name.into();
        let primary_key = (0..columns.len())
            .filter(|&i| columns[i].primary_key)
            .collect();
        let indexes = columns
            .iter()
            .filter(|c| c.index)
            .map(|c| Index::new(format!("ix_{}_{}", name, c.name), &[&c.name]))
            .collect();
        let foreign_keys = columns
            .iter()
            .filter_map(|c| c.foreign_key.clone())
            .collect();
        Table {
            name,
            columns,
            unique_constraints: Vec::new(),
            indexes,
            foreign_keys,
            checks: Vec::new(),
            primary_key,
        }
    }

    /// Adds an index (builder form).
    pub fn with_index(mut self, index: Index) -> Self {
        self.indexes.push(index);
        self
    }

    /// Adds a CHECK constraint on `expr`, SQL written by the model's author.
    ///
    /// ```
    /// use orm_core::{Column, SqlType, Table};
    /// let t = Table::new("items", vec![Column::new("price", SqlType::Integer)]).with_check("price >= 0");
    /// assert_eq!(t.checks[0].expr, "price >= 0");
    /// ```
    pub fn with_check(mut self, expr: impl Into<String>) -> Self {
        self.checks.push(CheckConstraint {
            name: None,
            expr: expr.into(),
        });
        self
    }

    /// Adds a multi-column UNIQUE constraint.
    pub fn with_unique(mut self, columns: &[&str]) -> Self {
        self.unique_constraints.push(UniqueConstraint {
            name: None,
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        });
        self
    }

    /// Adds a composite foreign key.
    pub fn with_foreign_key(mut self, fk: ForeignKey) -> Self {
        self.foreign_keys.push(fk);
        self
    }

    /// Positions of the primary-key columns.
    pub fn primary_key_indices(&self) -> &[usize] {
        &self.primary_key
    }

    /// The primary-key columns.
    pub fn primary_key_columns(&self) -> impl Iterator<Item = &Column> {
        self.primary_key.iter().map(|&i| &self.columns[i])
    }

    /// The position of the column called `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

impl fmt::Debug for Table {
    /// The same SQLAlchemy-style form as `Display`: `Table('articles', MetaData(), ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Table {
    /// Prints the table the way SQLAlchemy's `repr(Article.__table__)` does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Table('{}', MetaData()", self.name)?;
        for c in &self.columns {
            write!(f, ", Column('{}', {}", c.name, c.sql_type)?;
            if let Some(fk) = &c.foreign_key {
                write!(f, ", {fk}")?;
            }
            write!(f, ", table=<{}>", self.name)?;
            if c.primary_key {
                f.write_str(", primary_key=True")?;
            }
            if c.unique {
                f.write_str(", unique=True")?;
            }
            if c.index {
                f.write_str(", index=True")?;
            }
            if !c.nullable {
                f.write_str(", nullable=False")?;
            }
            if c.has_default {
                f.write_str(", default=ColumnDefault(<function>)")?;
            }
            if c.has_onupdate {
                f.write_str(", onupdate=ColumnDefault(<function>)")?;
            }
            if let Some(d) = &c.server_default {
                write!(f, ", server_default=DefaultClause('{d}')")?;
            }
            f.write_str(")")?;
        }
        for c in &self.checks {
            write!(f, ", CheckConstraint('{}')", c.expr)?;
        }
        f.write_str(", schema=None)")
    }
}
