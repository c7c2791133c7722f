//! [`Operand`]: what may stand on the right of a comparison with a column of a given type.

use super::{Col, Expr};
use crate::schema::ColumnType;
use crate::value::Value;

/// A value or expression comparable with a column whose base Rust type is `B`.
///
/// This is what makes `Article::slug.eq("x")` compile and `Article::slug.eq(5)` not.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared with a column of type `{B}`",
    label = "expected a value of the column's type"
)]
pub trait Operand<B> {
    /// The operand as an expression (a bind parameter for values).
    fn into_expr(self) -> Expr;
}

macro_rules! operand_by_value {
    ($($ty:ty),*) => {$(
        impl Operand<$ty> for $ty {
            fn into_expr(self) -> Expr {
                Expr::Value(Value::from(self))
            }
        }
        impl Operand<$ty> for &$ty {
            fn into_expr(self) -> Expr {
                Expr::Value(Value::from(self.clone()))
            }
        }
    )*};
}

operand_by_value!(bool, i16, i32, i64, f32, f64, String, Vec<u8>);
#[cfg(feature = "rust_decimal")]
operand_by_value!(rust_decimal::Decimal);
#[cfg(feature = "uuid")]
operand_by_value!(uuid::Uuid);
#[cfg(feature = "serde_json")]
operand_by_value!(serde_json::Value);
// Dates and times: `value_dates.rs`.

impl Operand<String> for &str {
    fn into_expr(self) -> Expr {
        Expr::Value(Value::Text(self.to_owned()))
    }
}

impl Operand<Vec<u8>> for &[u8] {
    fn into_expr(self) -> Expr {
        Expr::Value(Value::Bytes(self.to_vec()))
    }
}

impl<B, V: Operand<B>> Operand<B> for Option<V> {
    fn into_expr(self) -> Expr {
        match self {
            Some(v) => v.into_expr(),
            None => Expr::Value(Value::Null),
        }
    }
}

impl<M, T: ColumnType> Operand<T::Base> for Col<M, T> {
    fn into_expr(self) -> Expr {
        self.expr()
    }
}

impl<B> Operand<B> for Expr {
    fn into_expr(self) -> Expr {
        self
    }
}
