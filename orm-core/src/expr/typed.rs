//! [`TypedExpr`]: an expression that knows the Rust type of its value, and
//! [`ColumnExpr`], what columns and typed expressions have in common.

use super::{escape_like, BinaryOp, Col, Expr, Operand, Order};
use crate::schema::ColumnType;
use std::fmt;
use std::marker::PhantomData;

/// A column or a typed expression: something with a SQL expression and the Rust type
/// its value reads back as. Column-tuple queries select these, and the functions of
/// [`func`](super::func) take them.
pub trait ColumnExpr {
    /// The Rust type of the value (`Option<_>` when it can be NULL).
    type Type: ColumnType;

    /// The expression, as data.
    fn to_expr(&self) -> Expr;
}

impl<M, T: ColumnType> ColumnExpr for Col<M, T> {
    type Type = T;

    fn to_expr(&self) -> Expr {
        self.expr()
    }
}

impl<T: ColumnType> ColumnExpr for TypedExpr<T> {
    type Type = T;

    fn to_expr(&self) -> Expr {
        self.expr.clone()
    }
}

/// An expression whose value reads back as `T`: the result of arithmetic on columns
/// (`Article::id.add(1)`) and of the SQL functions in [`func`](super::func).
///
/// Like a [`Col`], it can be compared (`func::count(Article::id).gt(1)`), ordered
/// (`.desc()`), assigned in a bulk update (`Article::id.set(Article::id.add(1))`) and
/// selected (`session.query_columns((Article::author_id, func::count(Article::id)))`).
///
/// ```
/// use orm_core::{func, Col, Dialect, Expr};
/// use orm_core::dialect::GenericDialect;
/// use orm_core::statement::Select;
///
/// struct Article;
/// const TITLE: Col<Article, String> = Col::new("articles", "title", 2);
/// let mut s = Select::from("articles");
/// s.and_where(func::lower(TITLE).eq("clean python"));
/// assert_eq!(
///     GenericDialect.compile(&s.into()).sql,
///     r#"SELECT * FROM "articles" WHERE lower("articles"."title") = ?"#
/// );
/// ```
pub struct TypedExpr<T> {
    expr: Expr,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for TypedExpr<T> {
    fn clone(&self) -> Self {
        TypedExpr::new(self.expr.clone())
    }
}

impl<T> fmt::Debug for TypedExpr<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.expr, f)
    }
}

impl<T> PartialEq for TypedExpr<T> {
    fn eq(&self, other: &Self) -> bool {
        self.expr == other.expr
    }
}

impl<T> TypedExpr<T> {
    /// Declares that `expr` reads back as `T` (not checked: the caller knows the SQL).
    pub fn new(expr: Expr) -> Self {
        TypedExpr {
            expr,
            _type: PhantomData,
        }
    }

    /// The untyped expression.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The untyped expression, by value.
    pub fn into_inner(self) -> Expr {
        self.expr
    }

    /// Ascending order on this expression.
    pub fn asc(self) -> Order {
        order(self.expr, false)
    }

    /// Descending order on this expression.
    pub fn desc(self) -> Order {
        order(self.expr, true)
    }

    /// `self IS NULL`.
    pub fn is_null(self) -> Expr {
        is_null(self.expr, false)
    }

    /// `self IS NOT NULL`.
    pub fn is_not_null(self) -> Expr {
        is_null(self.expr, true)
    }
}

impl<T> From<TypedExpr<T>> for Order {
    /// Ascending order on the expression.
    fn from(e: TypedExpr<T>) -> Order {
        e.asc()
    }
}

impl<T> From<TypedExpr<T>> for Expr {
    fn from(e: TypedExpr<T>) -> Expr {
        e.expr
    }
}

impl<T: ColumnType> Operand<T::Base> for TypedExpr<T> {
    fn into_expr(self) -> Expr {
        self.expr
    }
}

pub(crate) fn order(expr: Expr, desc: bool) -> Order {
    Order {
        expr,
        desc,
        nulls_first: None,
    }
}

pub(crate) fn is_null(expr: Expr, negated: bool) -> Expr {
    Expr::IsNull {
        expr: Box::new(expr),
        negated,
    }
}

/// `left op right`, with `= NULL`/`<> NULL` turned into `IS [NOT] NULL` as on columns.
pub(crate) fn compare(left: Expr, op: BinaryOp, right: Expr) -> Expr {
    match (op, &right) {
        (BinaryOp::Eq, Expr::Value(v)) if v.is_null() => is_null(left, false),
        (BinaryOp::Ne, Expr::Value(v)) if v.is_null() => is_null(left, true),
        _ => left.binary(op, right),
    }
}

pub(crate) fn in_list(expr: Expr, list: Vec<Expr>, negated: bool) -> Expr {
    Expr::InList {
        expr: Box::new(expr),
        list,
        negated,
    }
}

pub(crate) fn like(expr: Expr, pattern: Expr, case_insensitive: bool, escape: bool) -> Expr {
    Expr::Like {
        expr: Box::new(expr),
        pattern: Box::new(pattern),
        negated: false,
        case_insensitive,
        escape: escape.then_some('\\'),
    }
}

impl<T: ColumnType> TypedExpr<T> {
    /// `self = rhs` (`IS NULL` when `rhs` is `None`).
    pub fn eq(self, rhs: impl Operand<T::Base>) -> Expr {
        compare(self.expr, BinaryOp::Eq, rhs.into_expr())
    }

    /// `self <> rhs` (`IS NOT NULL` when `rhs` is `None`).
    pub fn ne(self, rhs: impl Operand<T::Base>) -> Expr {
        compare(self.expr, BinaryOp::Ne, rhs.into_expr())
    }

    /// `self < rhs`.
    pub fn lt(self, rhs: impl Operand<T::Base>) -> Expr {
        compare(self.expr, BinaryOp::Lt, rhs.into_expr())
    }

    /// `self <= rhs`.
    pub fn le(self, rhs: impl Operand<T::Base>) -> Expr {
        compare(self.expr, BinaryOp::Le, rhs.into_expr())
    }

    /// `self > rhs`.
    pub fn gt(self, rhs: impl Operand<T::Base>) -> Expr {
        compare(self.expr, BinaryOp::Gt, rhs.into_expr())
    }

    /// `self >= rhs`.
    pub fn ge(self, rhs: impl Operand<T::Base>) -> Expr {
        compare(self.expr, BinaryOp::Ge, rhs.into_expr())
    }

    /// `self IN (values)`; an empty list matches nothing.
    pub fn in_<V: Operand<T::Base>>(self, values: impl IntoIterator<Item = V>) -> Expr {
        let list = values.into_iter().map(Operand::into_expr).collect();
        in_list(self.expr, list, false)
    }

    /// `self NOT IN (values)`; an empty list matches everything.
    pub fn not_in<V: Operand<T::Base>>(self, values: impl IntoIterator<Item = V>) -> Expr {
        let list = values.into_iter().map(Operand::into_expr).collect();
        in_list(self.expr, list, true)
    }

    /// `self BETWEEN low AND high`.
    pub fn between(self, low: impl Operand<T::Base>, high: impl Operand<T::Base>) -> Expr {
        Expr::Between {
            expr: Box::new(self.expr),
            low: Box::new(low.into_expr()),
            high: Box::new(high.into_expr()),
            negated: false,
        }
    }
}

impl<M, T: ColumnType> Col<M, T> {
    /// The column read as nullable (`Option<_>`), for a column of an outer-joined
    /// table that is NULL where the join found no row.
    pub fn nullable(self) -> TypedExpr<Option<T::Base>>
    where
        T::Base: ColumnType,
    {
        TypedExpr::new(self.to_expr())
    }
}

impl<T: ColumnType> TypedExpr<T> {
    /// The expression read as nullable (`Option<_>`).
    pub fn nullable(self) -> TypedExpr<Option<T::Base>>
    where
        T::Base: ColumnType,
    {
        TypedExpr::new(self.expr)
    }
}

impl<T: ColumnType<Base = String>> TypedExpr<T> {
    /// `self LIKE pattern` (the pattern's `%` and `_` are wildcards).
    pub fn like(self, pattern: impl Operand<String>) -> Expr {
        like(self.expr, pattern.into_expr(), false, false)
    }

    /// `self ILIKE pattern` (case-insensitive LIKE).
    pub fn ilike(self, pattern: impl Operand<String>) -> Expr {
        like(self.expr, pattern.into_expr(), true, false)
    }

    /// Matches values containing `text` literally (its `%`, `_` and `\` are escaped).
    pub fn contains(self, text: &str) -> Expr {
        let pattern = Expr::value(format!("%{}%", escape_like(text)));
        like(self.expr, pattern, false, true)
    }

    /// Matches values starting with `text` literally.
    pub fn starts_with(self, text: &str) -> Expr {
        let pattern = Expr::value(format!("{}%", escape_like(text)));
        like(self.expr, pattern, false, true)
    }

    /// Matches values ending with `text` literally.
    pub fn ends_with(self, text: &str) -> Expr {
        let pattern = Expr::value(format!("%{}", escape_like(text)));
        like(self.expr, pattern, false, true)
    }
}
