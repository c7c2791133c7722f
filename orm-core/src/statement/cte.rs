//! Common table expressions: `WITH [RECURSIVE] "name" ("c1", ..) AS (SELECT ..)`.

use super::Select;
use std::borrow::Cow;

/// One common table expression.
///
/// ```
/// use orm_core::dialect::GenericDialect;
/// use orm_core::statement::{Cte, Select, With};
/// use orm_core::{Dialect, Expr};
///
/// let mut body = Select::from("nodes");
/// body.item(Expr::column("nodes", "id"));
/// let mut s = Select::from("tree");
/// s.with = Some(With { recursive: false, ctes: vec![Cte::new("tree", body)] });
/// assert_eq!(
///     GenericDialect.compile(&s.into()).sql,
///     r#"WITH "tree" AS (SELECT "nodes"."id" FROM "nodes") SELECT * FROM "tree""#
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Cte {
    /// The name the statement refers to it by.
    pub name: Cow<'static, str>,
    /// Column names; empty keeps the body's own output names.
    pub columns: Vec<Cow<'static, str>>,
    /// The body (for a recursive CTE: the anchor `UNION [ALL]` the recursive part).
    pub select: Select,
}

impl Cte {
    /// `name AS (select)`.
    pub fn new(name: impl Into<Cow<'static, str>>, select: Select) -> Self {
        Cte {
            name: name.into(),
            columns: Vec::new(),
            select,
        }
    }
}

/// The `WITH` clause of a statement.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct With {
    /// `WITH RECURSIVE`: a CTE may refer to itself (and to those after it).
    pub recursive: bool,
    /// The CTEs, in order (a CTE may refer to those before it).
    pub ctes: Vec<Cte>,
}

impl With {
    /// Adds `cte` unless one of the same name is there; a recursive CTE makes the
    /// clause `WITH RECURSIVE`.
    pub fn add(&mut self, cte: Cte, recursive: bool) {
        self.recursive |= recursive;
        if !self.ctes.iter().any(|c| c.name == cte.name) {
            self.ctes.push(cte);
        }
    }
}
