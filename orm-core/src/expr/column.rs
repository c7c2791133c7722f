//! [`Col`]: a typed handle to a model's column, and the operators on it.

use super::{BinaryOp, Expr, Operand};
use crate::schema::ColumnType;
use std::fmt;
use std::marker::PhantomData;

/// A typed column of model `M` holding Rust type `T`; `#[derive(Model)]` emits one
/// associated constant per field (`Article::slug`).
///
/// ```
/// use orm_core::{Col, Expr};
/// struct Article;
/// const SLUG: Col<Article, String> = Col::new("articles", "slug", 1);
/// let e = SLUG.eq("clean-python");
/// assert!(matches!(e, Expr::Binary { .. }));
/// ```
pub struct Col<M, T> {
    table: &'static str,
    name: &'static str,
    index: usize,
    _marker: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Clone for Col<M, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M, T> Copy for Col<M, T> {}

impl<M, T> fmt::Debug for Col<M, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.table, self.name)
    }
}

/// One ORDER BY key.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// The sort expression.
    pub expr: Expr,
    /// Descending when true.
    pub desc: bool,
    /// `NULLS FIRST` (`Some(true)`) or `NULLS LAST` (`Some(false)`); the server's default when `None`.
    pub nulls_first: Option<bool>,
}

impl Order {
    /// Puts NULLs first.
    pub fn nulls_first(mut self) -> Self {
        self.nulls_first = Some(true);
        self
    }

    /// Puts NULLs last.
    pub fn nulls_last(mut self) -> Self {
        self.nulls_first = Some(false);
        self
    }
}

impl<M, T> From<Col<M, T>> for Order {
    /// Ascending order on the column.
    fn from(col: Col<M, T>) -> Order {
        col.asc()
    }
}

impl<M, T> Col<M, T> {
    /// A handle to column `name` of `table`, at position `index` in the table.
    pub const fn new(table: &'static str, name: &'static str, index: usize) -> Self {
        Col {
            table,
            name,
            index,
            _marker: PhantomData,
        }
    }

    /// The column name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The table name.
    pub fn table_name(&self) -> &'static str {
        self.table
    }

    /// The column's position in its table.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The column as an untyped expression, qualified by its table.
    pub fn expr(&self) -> Expr {
        Expr::column(self.table, self.name)
    }

    /// Ascending order on this column.
    pub fn asc(self) -> Order {
        Order {
            expr: self.expr(),
            desc: false,
            nulls_first: None,
        }
    }

    /// Descending order on this column.
    pub fn desc(self) -> Order {
        Order {
            expr: self.expr(),
            desc: true,
            nulls_first: None,
        }
    }

    /// `self IS NULL`.
    pub fn is_null(self) -> Expr {
        Expr::IsNull {
            expr: Box::new(self.expr()),
            negated: false,
        }
    }

    /// `self IS NOT NULL`.
    pub fn is_not_null(self) -> Expr {
        Expr::IsNull {
            expr: Box::new(self.expr()),
            negated: true,
        }
    }
}

impl<M, T: ColumnType> Col<M, T> {
    fn compare(self, op: BinaryOp, rhs: impl Operand<T::Base>) -> Expr {
        let right = rhs.into_expr();
        match (op, &right) {
            (BinaryOp::Eq, Expr::Value(v)) if v.is_null() => self.is_null(),
            (BinaryOp::Ne, Expr::Value(v)) if v.is_null() => self.is_not_null(),
            _ => self.expr().binary(op, right),
        }
    }

    /// `self = rhs` (`IS NULL` when `rhs` is `None`).
    pub fn eq(self, rhs: impl Operand<T::Base>) -> Expr {
        self.compare(BinaryOp::Eq, rhs)
    }

    /// `self <> rhs` (`IS NOT NULL` when `rhs` is `None`).
    pub fn ne(self, rhs: impl Operand<T::Base>) -> Expr {
        self.compare(BinaryOp::Ne, rhs)
    }

    /// `self < rhs`.
    pub fn lt(self, rhs: impl Operand<T::Base>) -> Expr {
        self.compare(BinaryOp::Lt, rhs)
    }

    /// `self <= rhs`.
    pub fn le(self, rhs: impl Operand<T::Base>) -> Expr {
        self.compare(BinaryOp::Le, rhs)
    }

    /// `self > rhs`.
    pub fn gt(self, rhs: impl Operand<T::Base>) -> Expr {
        self.compare(BinaryOp::Gt, rhs)
    }

    /// `self >= rhs`.
    pub fn ge(self, rhs: impl Operand<T::Base>) -> Expr {
        self.compare(BinaryOp::Ge, rhs)
    }

    /// `self IN (values)`; an empty list matches nothing.
    pub fn in_<V: Operand<T::Base>>(self, values: impl IntoIterator<Item = V>) -> Expr {
        Expr::InList {
            expr: Box::new(self.expr()),
            list: values.into_iter().map(Operand::into_expr).collect(),
            negated: false,
        }
    }

    /// `self NOT IN (values)`; an empty list matches everything.
    pub fn not_in<V: Operand<T::Base>>(self, values: impl IntoIterator<Item = V>) -> Expr {
        Expr::InList {
            expr: Box::new(self.expr()),
            list: values.into_iter().map(Operand::into_expr).collect(),
            negated: true,
        }
    }

    /// `self BETWEEN low AND high`.
    pub fn between(self, low: impl Operand<T::Base>, high: impl Operand<T::Base>) -> Expr {
        Expr::Between {
            expr: Box::new(self.expr()),
            low: Box::new(low.into_expr()),
            high: Box::new(high.into_expr()),
            negated: false,
        }
    }
}

impl<M, T: ColumnType<Base = String>> Col<M, T> {
    /// `self LIKE pattern` (the pattern's `%` and `_` are wildcards).
    pub fn like(self, pattern: impl Operand<String>) -> Expr {
        self.like_expr(pattern.into_expr(), false, None)
    }

    /// `self ILIKE pattern` (case-insensitive LIKE).
    pub fn ilike(self, pattern: impl Operand<String>) -> Expr {
        self.like_expr(pattern.into_expr(), true, None)
    }

    /// Matches values containing `text` literally (its `%`, `_` and `\` are escaped).
    pub fn contains(self, text: &str) -> Expr {
        let pattern = format!("%{}%", escape_like(text));
        self.like_expr(Expr::value(pattern), false, Some('\\'))
    }

    /// Matches values starting with `text` literally.
    pub fn starts_with(self, text: &str) -> Expr {
        let pattern = format!("{}%", escape_like(text));
        self.like_expr(Expr::value(pattern), false, Some('\\'))
    }

    /// Matches values ending with `text` literally.
    pub fn ends_with(self, text: &str) -> Expr {
        let pattern = format!("%{}", escape_like(text));
        self.like_expr(Expr::value(pattern), false, Some('\\'))
    }

    fn like_expr(self, pattern: Expr, case_insensitive: bool, escape: Option<char>) -> Expr {
        Expr::Like {
            expr: Box::new(self.expr()),
            pattern: Box::new(pattern),
            negated: false,
            case_insensitive,
            escape,
        }
    }
}

/// Escapes LIKE wildcards (`%`, `_`) and the escape character `\` in `text`.
///
/// ```
/// assert_eq!(orm_core::escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
/// ```
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}
