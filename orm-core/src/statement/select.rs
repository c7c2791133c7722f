//! [`Select`] as data.

use crate::expr::{Expr, Order};
use std::borrow::Cow;

/// A table in a FROM or JOIN clause, with an optional alias.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRef {
    /// The table name.
    pub name: Cow<'static, str>,
    /// The alias, if any (`FROM "articles" AS "a1"`).
    pub alias: Option<Cow<'static, str>>,
}

impl TableRef {
    /// An unaliased table.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        TableRef {
            name: name.into(),
            alias: None,
        }
    }
}

/// The kind of a JOIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// `JOIN`.
    Inner,
    /// `LEFT OUTER JOIN`.
    LeftOuter,
}

/// One JOIN clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// Inner or left outer.
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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Select {
    /// `SELECT DISTINCT`.
    pub distinct: bool,
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
    /// ORDER BY keys.
    pub order_by: Vec<Order>,
    /// LIMIT.
    pub limit: Option<u64>,
    /// OFFSET.
    pub offset: Option<u64>,
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
}
