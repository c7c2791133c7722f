//! [`ArrayExpr`]: the array operators on array columns and expressions
//! (`Order::tags.contains(["urgent"])`).

use super::{BinaryOp, Col, ColumnExpr, Expr, Operand, TypedExpr};
use crate::schema::{ArrayType, ColumnType};
use crate::value::Value;

/// The operators of an array column (`Vec<T>` field) or array expression.
///
/// The operands are arrays of the element type (`Vec<T>`, `&[T]`, `[T; N]`, and for
/// text arrays `&str`s), or another array column. `contains`, `contained_by` and
/// `overlaps` are PostgreSQL's `@>`, `<@` and `&&`, which a GIN index
/// (`#[orm(index(tags, using = "gin"))]`) serves.
///
/// ```
/// use orm_core::dialect::GenericDialect;
/// use orm_core::statement::Select;
/// use orm_core::{ArrayExpr, Col, Dialect};
///
/// struct Order;
/// const TAGS: Col<Order, Vec<String>> = Col::new("orders", "tags", 3);
/// let mut s = Select::from("orders");
/// s.and_where(TAGS.contains(["urgent", "gift"]).and(TAGS.any("eu")));
/// assert_eq!(
///     GenericDialect.compile(&s.into()).sql,
///     r#"SELECT * FROM "orders" WHERE "orders"."tags" @> ? AND ? = ANY("orders"."tags")"#
/// );
/// ```
pub trait ArrayExpr: ColumnExpr + Sized {
    /// The element's Rust type.
    type Element: ColumnType;

    /// `self @> values`: the array holds every one of `values`.
    fn contains(self, values: impl Operand<Vec<Self::Element>>) -> Expr {
        self.to_expr()
            .binary(BinaryOp::Contains, values.into_expr())
    }

    /// `self <@ values`: every element of the array is one of `values`.
    fn contained_by(self, values: impl Operand<Vec<Self::Element>>) -> Expr {
        self.to_expr()
            .binary(BinaryOp::ContainedBy, values.into_expr())
    }

    /// `self && values`: the array holds at least one of `values`.
    fn overlaps(self, values: impl Operand<Vec<Self::Element>>) -> Expr {
        self.to_expr()
            .binary(BinaryOp::Overlaps, values.into_expr())
    }

    /// `value = ANY(self)`: one of the elements equals `value`.
    fn any(self, value: impl Operand<Self::Element>) -> Expr {
        let any = Expr::Function {
            name: "ANY".into(),
            args: vec![self.to_expr()],
        };
        value.into_expr().binary(BinaryOp::Eq, any)
    }

    /// `array_length(self, 1)`: the number of elements; NULL for an empty array (as
    /// PostgreSQL gives it) and for a NULL one.
    fn array_length(self) -> TypedExpr<Option<i32>> {
        TypedExpr::new(Expr::Function {
            name: "array_length".into(),
            args: vec![self.to_expr(), Expr::Value(Value::Int(1))],
        })
    }

    /// `cardinality(self)`: the number of elements, 0 for an empty array.
    fn cardinality(self) -> TypedExpr<Option<i32>> {
        TypedExpr::new(Expr::Function {
            name: "cardinality".into(),
            args: vec![self.to_expr()],
        })
    }
}

impl<M, T> ArrayExpr for Col<M, T>
where
    T: ColumnType,
    T::Base: ArrayType,
{
    type Element = <T::Base as ArrayType>::Element;
}

impl<T> ArrayExpr for TypedExpr<T>
where
    T: ColumnType,
    T::Base: ArrayType,
{
    type Element = <T::Base as ArrayType>::Element;
}
