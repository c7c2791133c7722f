//! [`Select`] as data.

use super::{Lock, SetOperation, With};
use crate::expr::{Expr, Order};
use std::borrow::Cow;

/// A table in a FROM or JOIN clause, with an optional alias; or a derived table
/// (a subquery in FROM) when [`derived`](TableRef::derived) is set.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRef {
    /// The table name (for a derived table: the name it is known by in the query).
    pub name: Cow<'static, str>,
    /// The alias, if any (`FROM "articles" AS "a1"`).
    pub alias: Option<Cow<'static, str>>,
    /// The subquery of a derived table: `(SELECT ..) AS "name" ("c1", ..)`.
    pub derived: Option<Box<DerivedTable>>,
}

/// The subquery of a derived table, and the names its columns are given.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedTable {
    /// The subquery.
    pub select: Select,
    /// Column names (`AS "t" ("a", "b")`); empty keeps the subquery's own names.
    pub columns: Vec<Cow<'static, str>>,
}

impl TableRef {
    /// An unaliased table.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        TableRef {
            name: name.into(),
            alias: None,
            derived: None,
        }
    }

    /// `name AS alias`.
    pub fn aliased(
        name: impl Into<Cow<'static, str>>,
        alias: impl Into<Cow<'static, str>>,
    ) -> Self {
        TableRef {
            alias: Some(alias.into()),
            ..TableRef::new(name)
        }
    }

    /// A derived table: `(select) AS name (columns)`.
    pub fn derived(
        name: impl Into<Cow<'static, str>>,
        select: Select,
        columns: Vec<Cow<'static, str>>,
    ) -> Self {
        TableRef {
            derived: Some(Box::new(DerivedTable { select, columns })),
            ..TableRef::new(name)
        }
    }

    /// The name the query refers to this table by: its alias, else its name.
    pub fn visible_name(&self) -> &Cow<'static, str> {
        self.alias.as_ref().unwrap_or(&self.name)
    }
}

/// The kind of a JOIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// `JOIN`.
    Inner,
    /// `LEFT OUTER JOIN`.
    LeftOuter,
    /// `RIGHT OUTER JOIN`.
    RightOuter,
    /// `FULL OUTER JOIN`.
    FullOuter,
}

/// One JOIN clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// Inner or outer.
    pub kind: JoinKind,
    /// The joined table.
    pub table: TableRef,
    /// The ON condition.
    pub on: Expr,
}

/// One item of the select list.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectItem {
    /// The expression.
    pub expr: Expr,
    /// `AS alias`, if any.
    pub alias: Option<Cow<'static, str>>,
}

/// A `SELECT` statement.
///
/// With [`set_ops`](Select::set_ops), the statement is a compound
/// (`SELECT .. UNION SELECT ..`): this select is the first operand, and its
/// `order_by`, `limit`, `offset` apply to the whole compound.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Select {
    /// `WITH [RECURSIVE] ..`: common table expressions the statement may refer to.
    pub with: Option<With>,
    /// `SELECT DISTINCT`.
    pub distinct: bool,
    /// `SELECT DISTINCT ON (..)`: one row per distinct value of these expressions.
    pub distinct_on: Vec<Expr>,
    /// The select list.
    pub items: Vec<SelectItem>,
    /// The FROM tables.
    pub from: Vec<TableRef>,
    /// A subquery in FROM (`FROM (SELECT ...) AS "anon_1"`), after the tables.
    pub from_subquery: Option<Box<Select>>,
    /// JOIN clauses, in order.
    pub joins: Vec<Join>,
    /// The WHERE condition.
    pub filter: Option<Expr>,
    /// GROUP BY expressions.
    pub group_by: Vec<Expr>,
    /// The HAVING condition.
    pub having: Option<Expr>,
    /// `UNION` / `INTERSECT` / `EXCEPT` with further selects, in order.
    pub set_ops: Vec<SetOperation>,
    /// ORDER BY keys.
    pub order_by: Vec<Order>,
    /// LIMIT.
    pub limit: Option<u64>,
    /// OFFSET.
    pub offset: Option<u64>,
    /// `FOR UPDATE` / `FOR SHARE` ...: the row-locking clause.
    pub lock: Option<Lock>,
}

impl Select {
    /// `SELECT ... FROM table` with an empty select list.
    pub fn from(table: impl Into<Cow<'static, str>>) -> Self {
        Select {
            from: vec![TableRef::new(table)],
            ..Select::default()
        }
    }

    /// Appends an item to the select list.
    pub fn item(&mut self, expr: Expr) -> &mut Self {
        self.items.push(SelectItem { expr, alias: None });
        self
    }

    /// ANDs `cond` into the WHERE clause.
    pub fn and_where(&mut self, cond: Expr) -> &mut Self {
        self.filter = Some(match self.filter.take() {
            Some(f) => f.and(cond),
            None => cond,
        });
        self
    }

    /// Whether this select must be parenthesized to be an operand of a set
    /// operation (it has its own ORDER BY, LIMIT, OFFSET, lock, WITH or set operations).
    pub fn needs_parens_as_operand(&self) -> bool {
        self.with.is_some()
            || !self.set_ops.is_empty()
            || !self.order_by.is_empty()
            || self.limit.is_some()
            || self.offset.is_some()
            || self.lock.is_some()
    }
}
