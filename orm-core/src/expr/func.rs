//! SQL functions and aggregates as typed expressions (SQLAlchemy's `func`).
//!
//! Each function takes columns or typed expressions and returns a [`TypedExpr`]
//! of the type PostgreSQL gives the result, so it can be compared, ordered, used in
//! a bulk update, or selected by a column-tuple query:
//!
//! ```
//! use orm_core::{func, Col, Dialect};
//! use orm_core::dialect::GenericDialect;
//! use orm_core::statement::Select;
//!
//! struct Article;
//! const ID: Col<Article, Option<i32>> = Col::new("articles", "id", 0);
//! const AUTHOR_ID: Col<Article, Option<i32>> = Col::new("articles", "author_id", 6);
//!
//! let mut s = Select::from("articles");
//! s.item(AUTHOR_ID.expr()).item(func::count(ID).into());
//! s.group_by.push(AUTHOR_ID.expr());
//! s.having = Some(func::count(ID).gt(1));
//! assert_eq!(
//!     GenericDialect.compile(&s.into()).sql,
//!     r#"SELECT "articles"."author_id", count("articles"."id") FROM "articles" GROUP BY "articles"."author_id" HAVING count("articles"."id") > ?"#
//! );
//! ```

use super::arith::{Numeric, TextType};
use super::{AsSelect, ColumnExpr, Expr, Operand, TypedExpr};
use crate::schema::ColumnType;
use std::borrow::Cow;

/// What `now()` reads back as: chrono's `DateTime<Utc>`, or the `time` crate's
/// `OffsetDateTime` without chrono.
#[cfg(feature = "chrono")]
type Now = chrono::DateTime<chrono::Utc>;
#[cfg(all(feature = "time", not(feature = "chrono")))]
type Now = time::OffsetDateTime;
/// What `localtimestamp()` reads back as.
#[cfg(feature = "chrono")]
type LocalNow = chrono::NaiveDateTime;
#[cfg(all(feature = "time", not(feature = "chrono")))]
type LocalNow = time::PrimitiveDateTime;

/// The base (non-optional) Rust type of a column expression.
type BaseOf<E> = <<E as ColumnExpr>::Type as ColumnType>::Base;

fn call<T>(name: &'static str, args: Vec<Expr>) -> TypedExpr<T> {
    TypedExpr::new(Expr::Function {
        name: Cow::Borrowed(name),
        args,
    })
}

/// `lower(expr)`: the string in lower case.
pub fn lower<E>(expr: E) -> TypedExpr<E::Type>
where
    E: ColumnExpr,
    E::Type: TextType,
{
    call("lower", vec![expr.to_expr()])
}

/// `upper(expr)`: the string in upper case.
pub fn upper<E>(expr: E) -> TypedExpr<E::Type>
where
    E: ColumnExpr,
    E::Type: TextType,
{
    call("upper", vec![expr.to_expr()])
}

/// `length(expr)`: the number of characters (`i32`; `Option<i32>` for a nullable column).
pub fn length<E>(expr: E) -> TypedExpr<<E::Type as TextType>::Length>
where
    E: ColumnExpr,
    E::Type: TextType,
{
    call("length", vec![expr.to_expr()])
}

/// `coalesce(expr, fallback)`: `expr`, or `fallback` where it is NULL. The result is
/// the non-optional type.
pub fn coalesce<E>(expr: E, fallback: impl Operand<BaseOf<E>>) -> TypedExpr<BaseOf<E>>
where
    E: ColumnExpr,
    BaseOf<E>: ColumnType,
{
    call("coalesce", vec![expr.to_expr(), fallback.into_expr()])
}

/// `now()`: the start of the current transaction, with time zone.
#[cfg(any(feature = "chrono", feature = "time"))]
pub fn now() -> TypedExpr<Now> {
    call("now", Vec::new())
}

/// `CAST(now() AS TIMESTAMP)` (PostgreSQL spells the type `TIMESTAMP WITHOUT TIME ZONE`): the start of the current transaction in the session's
/// time zone, comparable with `NaiveDateTime` columns (SQL's `LOCALTIMESTAMP`).
#[cfg(any(feature = "chrono", feature = "time"))]
pub fn localtimestamp() -> TypedExpr<LocalNow> {
    TypedExpr::new(Expr::Cast {
        expr: Box::new(now().into_inner()),
        sql_type: crate::schema::SqlType::Timestamp,
    })
}

/// `count(expr)`: the number of rows where `expr` is not NULL.
pub fn count<E: ColumnExpr>(expr: E) -> TypedExpr<i64> {
    call("count", vec![expr.to_expr()])
}

/// `count(*)`: the number of rows.
pub fn count_star() -> TypedExpr<i64> {
    TypedExpr::new(Expr::CountStar)
}

/// `sum(expr)`: NULL over no rows, hence the `Option`; the type is PostgreSQL's
/// (`sum` of an `i32` column is an `i64`, of an `i64` column a `Decimal`).
pub fn sum<E>(expr: E) -> TypedExpr<Option<<BaseOf<E> as Numeric>::Sum>>
where
    E: ColumnExpr,
    BaseOf<E>: Numeric,
{
    call("sum", vec![expr.to_expr()])
}

/// `avg(expr)`: NULL over no rows; a `Decimal` for integer and decimal columns, an
/// `f64` for floating-point ones.
pub fn avg<E>(expr: E) -> TypedExpr<Option<<BaseOf<E> as Numeric>::Avg>>
where
    E: ColumnExpr,
    BaseOf<E>: Numeric,
{
    call("avg", vec![expr.to_expr()])
}

/// `min(expr)`: NULL over no rows.
pub fn min<E>(expr: E) -> TypedExpr<Option<BaseOf<E>>>
where
    E: ColumnExpr,
    BaseOf<E>: ColumnType,
{
    call("min", vec![expr.to_expr()])
}

/// `max(expr)`: NULL over no rows.
pub fn max<E>(expr: E) -> TypedExpr<Option<BaseOf<E>>>
where
    E: ColumnExpr,
    BaseOf<E>: ColumnType,
{
    call("max", vec![expr.to_expr()])
}

/// `EXISTS (subquery)`: true when the subquery returns a row. A subquery may refer
/// to the outer query's tables (a correlated subquery).
pub fn exists(subquery: impl AsSelect) -> Expr {
    Expr::Exists {
        select: Box::new(subquery.as_select()),
        negated: false,
    }
}

/// `NOT EXISTS (subquery)`.
pub fn not_exists(subquery: impl AsSelect) -> Expr {
    Expr::Exists {
        select: Box::new(subquery.as_select()),
        negated: true,
    }
}

pub use super::window::{
    dense_rank, first_value, lag, lag_or, last_value, lead, lead_or, ntile, percent_rank, rank,
    row_number,
};

/// `grouping(keys)`: with `GROUP BY ROLLUP/CUBE`, a bit mask of the `keys` rolled up
/// in this row (1 for a subtotal over a single key), 0 in a plain group.
pub fn grouping<E: ColumnExpr>(keys: E) -> TypedExpr<i32> {
    call("grouping", vec![keys.to_expr()])
}
