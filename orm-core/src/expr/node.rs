//! The untyped expression tree that statements carry and dialects render.

use super::window::Window;
use crate::schema::SqlType;
use crate::statement::Select;
use crate::value::Value;
use std::borrow::Cow;

/// A column, optionally qualified by a table name or alias.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnRef {
    /// Table name or alias qualifying the column.
    pub table: Option<Cow<'static, str>>,
    /// The column name.
    pub column: Cow<'static, str>,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `AND`
    And,
    /// `OR`
    Or,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `||` (string concatenation)
    Concat,
    /// `@>` (the left array contains every element of the right one)
    Contains,
    /// `<@` (every element of the left array is in the right one)
    ContainedBy,
    /// `&&` (the arrays have an element in common)
    Overlaps,
}

/// An SQL expression as data. Values are always bind parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A column reference.
    Column(ColumnRef),
    /// A bound value.
    Value(Value),
    /// `left op right`.
    Binary {
        /// Left operand.
        left: Box<Expr>,
        /// Operator.
        op: BinaryOp,
        /// Right operand.
        right: Box<Expr>,
    },
    /// `NOT expr`.
    Not(Box<Expr>),
    /// `expr IS [NOT] NULL`.
    IsNull {
        /// Tested expression.
        expr: Box<Expr>,
        /// `IS NOT NULL` when true.
        negated: bool,
    },
    /// `expr [NOT] [I]LIKE pattern [ESCAPE '\']`.
    Like {
        /// Tested expression.
        expr: Box<Expr>,
        /// The pattern (a bound value or expression).
        pattern: Box<Expr>,
        /// `NOT LIKE` when true.
        negated: bool,
        /// `ILIKE` when true.
        case_insensitive: bool,
        /// The escape character, if the pattern uses one.
        escape: Option<char>,
    },
    /// `expr [NOT] IN (list)`; an empty list renders as always false (true when negated).
    InList {
        /// Tested expression.
        expr: Box<Expr>,
        /// Candidates.
        list: Vec<Expr>,
        /// `NOT IN` when true.
        negated: bool,
    },
    /// `expr [NOT] IN (SELECT ...)`.
    InSelect {
        /// Tested expression.
        expr: Box<Expr>,
        /// The subquery.
        select: Box<Select>,
        /// `NOT IN` when true.
        negated: bool,
    },
    /// `expr [NOT] BETWEEN low AND high`.
    Between {
        /// Tested expression.
        expr: Box<Expr>,
        /// Lower bound.
        low: Box<Expr>,
        /// Upper bound.
        high: Box<Expr>,
        /// `NOT BETWEEN` when true.
        negated: bool,
    },
    /// A function call, e.g. `lower(x)`.
    Function {
        /// Function name (rendered unquoted; only names from this crate).
        name: Cow<'static, str>,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// `count(*)`.
    CountStar,
    /// `[NOT] EXISTS (SELECT ...)`.
    Exists {
        /// The subquery.
        select: Box<Select>,
        /// `NOT EXISTS` when true.
        negated: bool,
    },
    /// `CAST(expr AS type)`.
    Cast {
        /// The expression.
        expr: Box<Expr>,
        /// Target type.
        sql_type: SqlType,
    },
    /// A literal boolean `TRUE`/`FALSE` (used for empty IN lists and empty AND/OR).
    Bool(bool),
    /// `function OVER (window)`: a window function, or an aggregate over a window.
    Over {
        /// The window function or aggregate.
        function: Box<Expr>,
        /// The window.
        window: Box<Window>,
    },
    /// `aggregate FILTER (WHERE condition)`.
    Filtered {
        /// The aggregate.
        aggregate: Box<Expr>,
        /// Only rows where this holds are aggregated.
        condition: Box<Expr>,
    },
    /// `(SELECT ...)` used as a value: a scalar subquery (one column, at most one row).
    Subquery(Box<Select>),
    /// `(a, b, ...)`: a row value, compared element by element (`(a, b) > ($1, $2)`).
    Row(Vec<Expr>),
}

impl Expr {
    /// A column reference qualified by `table`.
    pub fn column(
        table: impl Into<Cow<'static, str>>,
        column: impl Into<Cow<'static, str>>,
    ) -> Expr {
        Expr::Column(ColumnRef {
            table: Some(table.into()),
            column: column.into(),
        })
    }

    /// A bound value.
    pub fn value(v: impl Into<Value>) -> Expr {
        Expr::Value(v.into())
    }

    /// `self op right`.
    pub fn binary(self, op: BinaryOp, right: Expr) -> Expr {
        Expr::Binary {
            left: Box::new(self),
            op,
            right: Box::new(right),
        }
    }

    /// `self AND other`.
    pub fn and(self, other: Expr) -> Expr {
        self.binary(BinaryOp::And, other)
    }

    /// `self OR other`.
    pub fn or(self, other: Expr) -> Expr {
        self.binary(BinaryOp::Or, other)
    }

    /// `NOT self`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Expr {
        Expr::Not(Box::new(self))
    }

    /// Calls `f` on every column this expression refers to, not looking into
    /// subqueries (their columns belong to their own FROM).
    pub(crate) fn for_each_column(&self, f: &mut impl FnMut(&ColumnRef)) {
        match self {
            Expr::Column(c) => f(c),
            Expr::Binary { left, right, .. } => {
                left.for_each_column(f);
                right.for_each_column(f);
            }
            Expr::Not(e) | Expr::IsNull { expr: e, .. } | Expr::Cast { expr: e, .. } => {
                e.for_each_column(f)
            }
            Expr::InSelect { expr, .. } => expr.for_each_column(f),
            Expr::Like { expr, pattern, .. } => {
                expr.for_each_column(f);
                pattern.for_each_column(f);
            }
            Expr::InList { expr, list, .. } => {
                expr.for_each_column(f);
                list.iter().for_each(|e| e.for_each_column(f));
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                expr.for_each_column(f);
                low.for_each_column(f);
                high.for_each_column(f);
            }
            Expr::Function { args, .. } | Expr::Row(args) => {
                args.iter().for_each(|e| e.for_each_column(f))
            }
            Expr::Over { function, window } => {
                function.for_each_column(f);
                window.for_each_column(f);
            }
            Expr::Filtered {
                aggregate,
                condition,
            } => {
                aggregate.for_each_column(f);
                condition.for_each_column(f);
            }
            Expr::Value(_)
            | Expr::CountStar
            | Expr::Exists { .. }
            | Expr::Bool(_)
            | Expr::Subquery(_) => {}
        }
    }

    /// ANDs all `exprs` together; `TRUE` when empty.
    pub fn all(exprs: impl IntoIterator<Item = Expr>) -> Expr {
        exprs
            .into_iter()
            .reduce(Expr::and)
            .unwrap_or(Expr::Bool(true))
    }
}

impl std::ops::BitAnd for Expr {
    type Output = Expr;
    fn bitand(self, rhs: Expr) -> Expr {
        self.and(rhs)
    }
}

impl std::ops::BitOr for Expr {
    type Output = Expr;
    fn bitor(self, rhs: Expr) -> Expr {
        self.or(rhs)
    }
}

impl std::ops::Not for Expr {
    type Output = Expr;
    fn not(self) -> Expr {
        Expr::Not(Box::new(self))
    }
}
