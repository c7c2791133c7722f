//! Subqueries in expressions: `col IN (SELECT ..)` and `EXISTS (SELECT ..)`.
//!
//! A subquery is any query of this crate ([`Query`](crate::Query),
//! [`ColumnQuery`](crate::ColumnQuery), [`EntityQuery`](crate::EntityQuery)) or a
//! plain [`Select`]. `IN` needs a query of one column whose type matches the left
//! side, which [`ColumnSubquery`] checks at compile time:
//!
//! ```
//! # tests::doc_blog!();
//! # fn main() -> orm_core::Result<()> {
//! # let db = blog_db("doc_subquery");
//! # let session = db.engine.session();
//! // Articles whose author's email ends with "@example.com".
//! let authors = session
//!     .query_columns(Author::id)
//!     .filter(Author::email.ends_with("@example.com"));
//! let articles = session
//!     .query::<Article>()
//!     .filter(Article::author_id.in_subquery(&authors))
//!     .order_by(Article::id)
//!     .all()?;
//! let slugs: Vec<String> = articles.iter().map(|a| a.slug()).collect();
//! assert_eq!(slugs, ["clean-python", "sqlalchemy-postgres"]);
//! # Ok(()) }
//! ```

use super::{Col, ColumnExpr, Expr, TypedExpr};
use crate::schema::ColumnType;
use crate::statement::Select;

/// Anything that is a SELECT statement: queries (by value or reference) and [`Select`].
pub trait AsSelect {
    /// The statement, as data (a copy: the query stays usable).
    fn as_select(&self) -> Select;
}

impl AsSelect for Select {
    fn as_select(&self) -> Select {
        self.clone()
    }
}

impl<S: AsSelect + ?Sized> AsSelect for &S {
    fn as_select(&self) -> Select {
        (**self).as_select()
    }
}

/// A query selecting exactly one column whose base Rust type is `B`, usable on the
/// right of `IN`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a one-column query of `{B}` values",
    label = "expected a query_columns(..) query of one column of the same type"
)]
pub trait ColumnSubquery<B>: AsSelect {}

impl<S: ColumnSubquery<B> + ?Sized, B> ColumnSubquery<B> for &S {}

fn in_select(expr: Expr, subquery: &impl AsSelect, negated: bool) -> Expr {
    Expr::InSelect {
        expr: Box::new(expr),
        select: Box::new(subquery.as_select()),
        negated,
    }
}

impl<M, T: ColumnType> Col<M, T> {
    /// `self IN (subquery)`.
    pub fn in_subquery(self, subquery: impl ColumnSubquery<T::Base>) -> Expr {
        in_select(self.to_expr(), &subquery, false)
    }

    /// `self NOT IN (subquery)` (unknown, so false, for rows where the subquery
    /// returns a NULL: filter NULLs out of it).
    pub fn not_in_subquery(self, subquery: impl ColumnSubquery<T::Base>) -> Expr {
        in_select(self.to_expr(), &subquery, true)
    }
}

impl<T: ColumnType> TypedExpr<T> {
    /// `self IN (subquery)`.
    pub fn in_subquery(self, subquery: impl ColumnSubquery<T::Base>) -> Expr {
        in_select(self.into_inner(), &subquery, false)
    }

    /// `self NOT IN (subquery)`.
    pub fn not_in_subquery(self, subquery: impl ColumnSubquery<T::Base>) -> Expr {
        in_select(self.into_inner(), &subquery, true)
    }
}
