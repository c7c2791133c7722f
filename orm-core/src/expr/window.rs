//! Window functions: `row_number()`, `rank()`, `lag(..)`, ... and aggregates
//! `OVER (PARTITION BY .. ORDER BY .. <frame>)`.
//!
//! A window function only exists with its window, so [`row_number`] and friends
//! return a [`WindowFn`] whose one method is [`over`](WindowFn::over); an aggregate
//! ([`func::sum`](super::func::sum), ...) becomes a running or partitioned aggregate
//! with [`TypedExpr::over`]. Both give a [`TypedExpr`] of the type PostgreSQL
//! returns, to select, compare or order by.
//!
//! ```
//! use orm_core::{window, Col, Dialect};
//! use orm_core::dialect::GenericDialect;
//! use orm_core::statement::Select;
//!
//! struct Score;
//! const GAME: Col<Score, String> = Col::new("scores", "game", 1);
//! const POINTS: Col<Score, i32> = Col::new("scores", "points", 2);
//!
//! let rank = window::rank().over(window::partition_by(GAME).order_by(POINTS.desc()));
//! let mut s = Select::from("scores");
//! s.item(rank.into());
//! assert_eq!(
//!     GenericDialect.compile(&s.into()).sql,
//!     r#"SELECT rank() OVER (PARTITION BY "scores"."game" ORDER BY "scores"."points" DESC) FROM "scores""#
//! );
//! ```

use super::{ColumnExpr, ColumnRef, Expr, Operand, Order, TypedExpr};
use crate::schema::ColumnType;
use crate::value::Value;
use std::borrow::Cow;
use std::marker::PhantomData;

/// The window of a window function: `PARTITION BY`, `ORDER BY` and a frame.
/// [`partition_by`] and [`order_by`] start one; `Window::default()` is the whole
/// result, unordered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Window {
    /// `PARTITION BY` expressions.
    pub partition_by: Vec<Expr>,
    /// `ORDER BY` keys.
    pub order_by: Vec<Order>,
    /// The frame, if not the default one.
    pub frame: Option<Frame>,
}

impl Window {
    pub(crate) fn for_each_column(&self, f: &mut impl FnMut(&ColumnRef)) {
        self.partition_by.iter().for_each(|e| e.for_each_column(f));
        self.order_by.iter().for_each(|o| o.expr.for_each_column(f));
    }
}

/// What a frame's offsets count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameUnits {
    /// `ROWS`: physical rows.
    Rows,
    /// `RANGE`: rows whose ORDER BY value is within the offset.
    Range,
    /// `GROUPS`: groups of peer rows (equal ORDER BY values).
    Groups,
}

/// One end of a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameBound {
    /// `UNBOUNDED PRECEDING`: the partition's first row.
    UnboundedPreceding,
    /// `n PRECEDING` (bound as a parameter).
    Preceding(i64),
    /// `CURRENT ROW`.
    CurrentRow,
    /// `n FOLLOWING` (bound as a parameter).
    Following(i64),
    /// `UNBOUNDED FOLLOWING`: the partition's last row.
    UnboundedFollowing,
}

/// `ROWS | RANGE | GROUPS BETWEEN start AND end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    /// What the offsets count.
    pub units: FrameUnits,
    /// The first row of the frame.
    pub start: FrameBound,
    /// The last row of the frame.
    pub end: FrameBound,
}

/// A window partitioned by `key`.
pub fn partition_by(key: impl ColumnExpr) -> Window {
    Window::default().partition_by(key)
}

/// A window over the whole result, ordered by `key`.
pub fn order_by(key: impl Into<Order>) -> Window {
    Window::default().order_by(key)
}

impl Window {
    /// Adds a `PARTITION BY` key.
    pub fn partition_by(mut self, key: impl ColumnExpr) -> Self {
        self.partition_by.push(key.to_expr());
        self
    }

    /// Adds an `ORDER BY` key.
    pub fn order_by(mut self, key: impl Into<Order>) -> Self {
        self.order_by.push(key.into());
        self
    }

    /// `ROWS BETWEEN start AND end`.
    pub fn rows(self, start: FrameBound, end: FrameBound) -> Self {
        self.frame(FrameUnits::Rows, start, end)
    }

    /// `RANGE BETWEEN start AND end`.
    pub fn range(self, start: FrameBound, end: FrameBound) -> Self {
        self.frame(FrameUnits::Range, start, end)
    }

    /// `GROUPS BETWEEN start AND end`.
    pub fn groups(self, start: FrameBound, end: FrameBound) -> Self {
        self.frame(FrameUnits::Groups, start, end)
    }

    fn frame(mut self, units: FrameUnits, start: FrameBound, end: FrameBound) -> Self {
        self.frame = Some(Frame { units, start, end });
        self
    }
}

/// A window function, to be given its window with [`over`](WindowFn::over).
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a window function needs its window: call .over(..)"]
pub struct WindowFn<T> {
    function: Expr,
    _type: PhantomData<fn() -> T>,
}

impl<T> WindowFn<T> {
    fn new(name: &'static str, args: Vec<Expr>) -> Self {
        WindowFn {
            function: Expr::Function {
                name: Cow::Borrowed(name),
                args,
            },
            _type: PhantomData,
        }
    }

    /// `function OVER (window)`.
    pub fn over(self, window: Window) -> TypedExpr<T> {
        TypedExpr::new(over(self.function, window))
    }
}

fn over(function: Expr, window: Window) -> Expr {
    Expr::Over {
        function: Box::new(function),
        window: Box::new(window),
    }
}

impl<T> TypedExpr<T> {
    /// `aggregate OVER (window)`: an aggregate ([`func::sum`](super::func::sum),
    /// [`func::count`](super::func::count), ...) computed over each row's window
    /// instead of collapsing rows (a running total, a per-partition count).
    pub fn over(self, window: Window) -> TypedExpr<T> {
        TypedExpr::new(over(self.into_inner(), window))
    }

    /// `aggregate FILTER (WHERE condition)`: only rows where `condition` holds are
    /// aggregated (`func::count_star().filter(Article::content.is_null())`).
    pub fn filter(self, condition: Expr) -> TypedExpr<T> {
        TypedExpr::new(Expr::Filtered {
            aggregate: Box::new(self.into_inner()),
            condition: Box::new(condition),
        })
    }
}

type BaseOf<E> = <<E as ColumnExpr>::Type as ColumnType>::Base;

/// `row_number()`: 1, 2, 3, ... within the partition, in window order.
pub fn row_number() -> WindowFn<i64> {
    WindowFn::new("row_number", Vec::new())
}

/// `rank()`: the row's rank with gaps (1, 1, 3).
pub fn rank() -> WindowFn<i64> {
    WindowFn::new("rank", Vec::new())
}

/// `dense_rank()`: the row's rank without gaps (1, 1, 2).
pub fn dense_rank() -> WindowFn<i64> {
    WindowFn::new("dense_rank", Vec::new())
}

/// `percent_rank()`: `(rank - 1) / (rows - 1)`, from 0 to 1.
pub fn percent_rank() -> WindowFn<f64> {
    WindowFn::new("percent_rank", Vec::new())
}

/// `ntile(buckets)`: the bucket (1 to `buckets`) the row falls in.
pub fn ntile(buckets: i32) -> WindowFn<i32> {
    WindowFn::new("ntile", vec![Expr::Value(Value::Int(buckets))])
}

/// `lag(expr)`: `expr` on the previous row of the partition (NULL on the first).
pub fn lag<E>(expr: E) -> WindowFn<Option<BaseOf<E>>>
where
    E: ColumnExpr,
    BaseOf<E>: ColumnType,
{
    WindowFn::new("lag", vec![expr.to_expr()])
}

/// `lag(expr, offset, default)`: `expr` `offset` rows back, `default` where there is none.
pub fn lag_or<E: ColumnExpr>(
    expr: E,
    offset: i32,
    default: impl Operand<BaseOf<E>>,
) -> WindowFn<E::Type> {
    let args = vec![
        expr.to_expr(),
        Expr::Value(Value::Int(offset)),
        default.into_expr(),
    ];
    WindowFn::new("lag", args)
}

/// `lead(expr)`: `expr` on the next row of the partition (NULL on the last).
pub fn lead<E>(expr: E) -> WindowFn<Option<BaseOf<E>>>
where
    E: ColumnExpr,
    BaseOf<E>: ColumnType,
{
    WindowFn::new("lead", vec![expr.to_expr()])
}

/// `lead(expr, offset, default)`: `expr` `offset` rows ahead, `default` where there is none.
pub fn lead_or<E: ColumnExpr>(
    expr: E,
    offset: i32,
    default: impl Operand<BaseOf<E>>,
) -> WindowFn<E::Type> {
    let args = vec![
        expr.to_expr(),
        Expr::Value(Value::Int(offset)),
        default.into_expr(),
    ];
    WindowFn::new("lead", args)
}

/// `first_value(expr)`: `expr` on the frame's first row (NULL for an empty frame).
pub fn first_value<E>(expr: E) -> WindowFn<Option<BaseOf<E>>>
where
    E: ColumnExpr,
    BaseOf<E>: ColumnType,
{
    WindowFn::new("first_value", vec![expr.to_expr()])
}

/// `last_value(expr)`: `expr` on the frame's last row (NULL for an empty frame).
pub fn last_value<E>(expr: E) -> WindowFn<Option<BaseOf<E>>>
where
    E: ColumnExpr,
    BaseOf<E>: ColumnType,
{
    WindowFn::new("last_value", vec![expr.to_expr()])
}
