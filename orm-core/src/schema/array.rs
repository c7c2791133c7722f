//! Array columns: `Vec<T>` of an [`ArrayElement`] is `T[]` (`Vec<u8>` stays binary),
//! its values travel as one [`Value::Array`], and arrays compare with array operands.

use super::{ColumnType, CustomType, SqlType, StringType};
use crate::error::{Error, Result};
use crate::expr::{Expr, Operand};
use crate::value::{FromValue, ToValue, Value};

/// A type a `Vec<T>` array column may hold: every built-in scalar but `u8` (a
/// `Vec<u8>` is binary data), `Option<T>` of one (an array with NULL elements), and
/// every [`CustomType`] (enums and newtypes included).
///
/// ```
/// use orm_core::{ColumnType, SqlType};
/// assert_eq!(<Vec<String> as ColumnType>::sql_type(None), SqlType::Array(Box::new(SqlType::Text)));
/// assert_eq!(<Vec<String> as ColumnType>::sql_type(Some(20)), SqlType::Array(Box::new(SqlType::Varchar(20))));
/// assert_eq!(<Vec<u8> as ColumnType>::sql_type(None), SqlType::Bytes);
/// assert_eq!(<Vec<Option<i64>> as ColumnType>::sql_type(None), SqlType::Array(Box::new(SqlType::BigInt)));
/// ```
#[diagnostic::on_unimplemented(
    message = "`Vec<{Self}>` is not an array column type",
    label = "not an array element",
    note = "array elements: bool, i16, i32, i64, f32, f64, String, Vec<u8>, the date and time types, Option<T> of these, and CustomType types (DbEnum, DbNewtype); arrays of arrays are not supported"
)]
pub trait ArrayElement: ColumnType {}

macro_rules! array_element {
    ($($ty:ty),*) => {$( impl ArrayElement for $ty {} )*};
}

array_element!(bool, i16, i32, i64, f32, f64, String, Vec<u8>);

#[cfg(feature = "chrono")]
array_element!(
    chrono::NaiveDateTime,
    chrono::DateTime<chrono::Utc>,
    chrono::NaiveDate,
    chrono::NaiveTime
);
#[cfg(feature = "time")]
array_element!(
    time::PrimitiveDateTime,
    time::OffsetDateTime,
    time::Date,
    time::Time
);
#[cfg(feature = "rust_decimal")]
array_element!(rust_decimal::Decimal);
#[cfg(feature = "uuid")]
array_element!(uuid::Uuid);
#[cfg(feature = "serde_json")]
array_element!(serde_json::Value);

impl<T: ArrayElement> ArrayElement for Option<T> {}
impl<T: CustomType> ArrayElement for T {}

impl<T: ArrayElement> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        Value::Array(self.iter().map(ToValue::to_value).collect())
    }
}

impl<T: ArrayElement> FromValue for Vec<T> {
    fn from_value(value: Value) -> Result<Self> {
        match value {
            Value::Array(items) => items.into_iter().map(T::from_value).collect(),
            Value::Null => Err(Error::UnexpectedNull("expected an array".into())),
            other => Err(Error::Conversion(format!(
                "expected an array, got {}",
                other.kind()
            ))),
        }
    }
}

impl<T: ArrayElement> super::sql_type::sealed::Sealed for Vec<T> {}
impl<T: ArrayElement> ColumnType for Vec<T> {
    type Base = Vec<T>;

    /// `T[]`; a `length` applies to the elements (`VARCHAR(n)[]`).
    fn sql_type(length: Option<u32>) -> SqlType {
        SqlType::Array(Box::new(T::sql_type(length)))
    }
}

impl<T: ArrayElement> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Value {
        v.to_value()
    }
}

impl StringType for Vec<String> {}
impl StringType for Option<Vec<String>> {}

/// The element type of an array column type, for the array operators.
pub trait ArrayType {
    /// The element's Rust type.
    type Element: ArrayElement;
}

impl<T: ArrayElement> ArrayType for Vec<T> {
    type Element = T;
}

fn array_of<'a, T: ToValue + 'a>(items: impl IntoIterator<Item = &'a T>) -> Expr {
    Expr::Value(Value::Array(items.into_iter().map(T::to_value).collect()))
}

impl<T: ArrayElement> Operand<Vec<T>> for Vec<T> {
    fn into_expr(self) -> Expr {
        array_of(&self)
    }
}

impl<T: ArrayElement> Operand<Vec<T>> for &Vec<T> {
    fn into_expr(self) -> Expr {
        array_of(self)
    }
}

impl<T: ArrayElement> Operand<Vec<T>> for &[T] {
    fn into_expr(self) -> Expr {
        array_of(self)
    }
}

impl<T: ArrayElement, const N: usize> Operand<Vec<T>> for [T; N] {
    fn into_expr(self) -> Expr {
        array_of(&self)
    }
}

fn text_array(items: &[&str]) -> Expr {
    Expr::Value(Value::Array(
        items.iter().map(|s| Value::from(*s)).collect(),
    ))
}

impl Operand<Vec<String>> for Vec<&str> {
    fn into_expr(self) -> Expr {
        text_array(&self)
    }
}

impl Operand<Vec<String>> for &[&str] {
    fn into_expr(self) -> Expr {
        text_array(self)
    }
}

impl<const N: usize> Operand<Vec<String>> for [&str; N] {
    fn into_expr(self) -> Expr {
        text_array(&self)
    }
}
