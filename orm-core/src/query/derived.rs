//! [`Derived`]: the rows of a column query, given a name: a subquery in FROM (a
//! derived table) or a common table expression. Its columns come back as typed
//! handles ([`columns`](Derived::columns)) to join on, filter, order and select.
//!
//! ```no_run
//! # use orm_core::{func, Col, Model, Session};
//! # fn demo<Author: Model, Article: Model>(session: &Session, id: Col<Author, Option<i32>>,
//! #     email: Col<Author, String>, article_id: Col<Article, Option<i32>>,
//! #     author_id: Col<Article, Option<i32>>) -> orm_core::Result<()> {
//! // Authors with their number of articles, through a derived table joined to authors.
//! let counts = session
//!     .query_columns((author_id, func::count(article_id)))
//!     .group_by(author_id)
//!     .subquery();
//! let (who, n) = counts.columns();
//! let rows: Vec<(String, i64)> = session
//!     .query_columns((email, n.clone()))
//!     .join_to(&counts, id.eq(who))
//!     .order_by(n.desc())
//!     .all()?;
//! # Ok(()) }
//! ```

use super::columns::Columns;
use super::source::{FromSource, SourceKind};
use crate::expr::Expr;
use crate::statement::{anon, Cte, TableRef};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// The rows of a column query under a name, with typed handles to its columns.
pub struct Derived<C: Columns> {
    pub(crate) name: Cow<'static, str>,
    pub(crate) columns: Vec<Cow<'static, str>>,
    pub(crate) kind: SourceKind,
    _columns: PhantomData<fn() -> C>,
}

impl<C: Columns> Clone for Derived<C> {
    fn clone(&self) -> Self {
        Derived::new(self.name.clone(), self.columns.clone(), self.kind.clone())
    }
}

impl<C: Columns> fmt::Debug for Derived<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Derived({}: {})",
            anon::describe(&self.name),
            self.columns.join(", ")
        )
    }
}

impl<C: Columns> Derived<C> {
    pub(crate) fn new(
        name: Cow<'static, str>,
        columns: Vec<Cow<'static, str>>,
        kind: SourceKind,
    ) -> Self {
        Derived {
            name,
            columns,
            kind,
            _columns: PhantomData,
        }
    }

    /// Typed handles to the columns, in the query's select-list order (a tuple for
    /// a tuple query), qualified by this source's name.
    pub fn columns(&self) -> C::Handles {
        C::handles(self.name.clone(), &self.columns)
    }

    /// The column names (a column keeps its name; other expressions are `col_<n>`).
    pub fn column_names(&self) -> &[Cow<'static, str>] {
        &self.columns
    }

    /// The name the statement refers to it by.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl<C: Columns> FromSource for Derived<C> {
    fn table_ref(&self) -> TableRef {
        self.kind.table_ref(self.name.clone(), &self.columns)
    }

    fn definition(&self) -> Option<(Cte, bool)> {
        self.kind.definition()
    }
}

/// Names for the columns of a derived table or CTE selecting `exprs`: a column keeps
/// its name, anything else is `col_<n>`; a repeated name gets `_<n>` appended
/// (`n` is the 1-based position).
pub(crate) fn output_names(exprs: &[Expr]) -> Vec<Cow<'static, str>> {
    let mut names: Vec<Cow<'static, str>> = Vec::with_capacity(exprs.len());
    for (i, e) in exprs.iter().enumerate() {
        let name: Cow<'static, str> = match e {
            Expr::Column(c) => c.column.clone(),
            _ => Cow::Owned(format!("col_{}", i + 1)),
        };
        let name = if names.contains(&name) {
            Cow::Owned(format!("{name}_{}", i + 1))
        } else {
            name
        };
        names.push(name);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_column_names_made_unique() {
        let exprs = [
            Expr::column("a", "id"),
            Expr::CountStar,
            Expr::column("b", "id"),
        ];
        assert_eq!(output_names(&exprs), ["id", "col_2", "id_3"]);
    }
}
