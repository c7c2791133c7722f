//! [`CustomType`]: the one way a type of the user's becomes a column type, and
//! [`DbEnum`], what `#[derive(DbEnum)]` adds for enums.
//!
//! A custom type is stored as a type the ORM already supports (its `Repr`): two
//! conversions, and everything else follows from blanket impls here (storing,
//! loading, comparing with `Col::eq`, arrays of it, `Into<Value>`).
//! `#[derive(DbEnum)]` and `#[derive(DbNewtype)]` implement it for enums and
//! newtypes; any other type implements it by hand.

use super::{ColumnType, EnumType, SqlType, StringType};
use crate::error::Result;
use crate::expr::{Expr, Operand};
use crate::value::{FromValue, ToValue, Value};

/// A Rust type stored as a supported column type, its `Repr`.
///
/// Implement the two conversions; the type is then a column type (`ColumnType`),
/// compares with its columns (`Order::total.gt(Money(100))`), can be an array
/// element (`Vec<Money>`), and converts into a [`Value`]. The SQL type is the
/// `Repr`'s unless [`CustomType::sql_type`] says otherwise.
///
/// For a fieldless enum, `#[derive(DbEnum)]` implements it (a database enum); for a
/// newtype `struct Email(String)`, `#[derive(DbNewtype)]` does.
///
/// ```
/// use orm_core::{ColumnType, CustomType, Error, SqlType};
///
/// /// A point stored as the text `x,y`.
/// #[derive(Debug, Clone, PartialEq)]
/// struct Point { x: i32, y: i32 }
///
/// impl CustomType for Point {
///     type Repr = String;
///     fn to_repr(&self) -> String {
///         format!("{},{}", self.x, self.y)
///     }
///     fn from_repr(text: String) -> orm_core::Result<Self> {
///         let parse = |s: Option<&str>| s.and_then(|s| s.parse().ok());
///         let mut parts = text.split(',');
///         match (parse(parts.next()), parse(parts.next())) {
///             (Some(x), Some(y)) => Ok(Point { x, y }),
///             _ => Err(Error::Conversion(format!("`{text}` is not a point"))),
///         }
///     }
/// }
///
/// assert_eq!(<Point as ColumnType>::sql_type(None), SqlType::Text);
/// let v = orm_core::ToValue::to_value(&Point { x: 1, y: 2 });
/// assert_eq!(v, orm_core::Value::from("1,2"));
/// assert_eq!(<Point as orm_core::FromValue>::from_value(v)?, Point { x: 1, y: 2 });
/// # Ok::<(), orm_core::Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored in a column",
    label = "not a column type",
    note = "for a fieldless enum add `#[derive(DbEnum)]`, for a newtype `#[derive(DbNewtype)]`; for any other type implement `orm_core::CustomType` (`type Repr`, `fn to_repr`, `fn from_repr`)",
    note = "built in: bool, i16, i32, i64, f32, f64, String, Vec<u8>, Vec<T> (one-dimensional arrays), chrono's date and time types, and with features rust_decimal::Decimal, uuid::Uuid, serde_json::Value, the time crate's types; Option<T> of these; or mark the field #[orm(skip)]"
)]
pub trait CustomType: Clone + PartialEq + Send + Sync + Sized + 'static {
    /// The supported type the value is stored as.
    type Repr: ColumnType;

    /// The value as its representation.
    fn to_repr(&self) -> Self::Repr;

    /// The value back from its representation; a representation that is no valid
    /// value is an [`Error::Conversion`](crate::Error::Conversion).
    fn from_repr(repr: Self::Repr) -> Result<Self>;

    /// The column's SQL type; default: the representation's.
    fn sql_type(length: Option<u32>) -> SqlType {
        <Self::Repr as ColumnType>::sql_type(length)
    }
}

impl<T: CustomType> ToValue for T {
    fn to_value(&self) -> Value {
        self.to_repr().to_value()
    }
}

impl<T: CustomType> FromValue for T {
    fn from_value(value: Value) -> Result<Self> {
        T::from_repr(T::Repr::from_value(value)?)
    }
}

impl<T: CustomType> super::sql_type::sealed::Sealed for T {}
impl<T: CustomType> ColumnType for T {
    type Base = T;

    fn sql_type(length: Option<u32>) -> SqlType {
        <T as CustomType>::sql_type(length)
    }
}

impl<T: CustomType> Operand<T> for T {
    fn into_expr(self) -> Expr {
        Expr::Value(self.to_value())
    }
}

impl<T: CustomType> Operand<T> for &T {
    fn into_expr(self) -> Expr {
        Expr::Value(self.to_value())
    }
}

impl<T: CustomType> From<T> for Value {
    fn from(v: T) -> Value {
        v.to_value()
    }
}

/// `Option` of a string-like custom type (`#[derive(DbNewtype)]` over `String`
/// implements [`StringType`]) takes a `length` too.
impl<T: StringType + CustomType> StringType for Option<T> {}

/// A Rust enum mapped to a database enum, implemented by `#[derive(DbEnum)]`
/// (together with [`CustomType`], whose representation is the label).
///
/// ```
/// use orm_core::{DbEnum, SqlType};
///
/// #[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
/// #[orm(type_name = "order_status")]
/// enum Status {
///     Pending,
///     #[orm(rename = "PAID")]
///     Paid,
/// }
///
/// assert_eq!(Status::Paid.label(), "PAID");
/// assert_eq!(Status::from_label("pending"), Some(Status::Pending));
/// assert_eq!(Status::enum_type().labels, ["pending", "PAID"]);
/// assert!(matches!(<Status as orm_core::ColumnType>::sql_type(None), SqlType::Enum(_)));
/// ```
pub trait DbEnum: CustomType<Repr = String> + Copy {
    /// The database type: its name and every label, in declaration order.
    fn enum_type() -> EnumType;

    /// This variant's label.
    fn label(&self) -> &'static str;

    /// The variant with `label`, if any.
    fn from_label(label: &str) -> Option<Self>;
}

/// A column type holding a [`DbEnum`]: the enum, `Option` of it, or an array of it.
/// `#[orm(native_enum = false)]` on a field needs one.
#[diagnostic::on_unimplemented(
    message = "`native_enum` applies to a column of a `#[derive(DbEnum)]` enum, not `{Self}`",
    label = "not an enum column",
    note = "remove `native_enum`, or derive `DbEnum` for the field's enum"
)]
pub trait EnumColumn {}
impl<T: DbEnum> EnumColumn for T {}
impl<T: DbEnum> EnumColumn for Option<T> {}
impl<T: DbEnum> EnumColumn for Vec<T> {}
impl<T: DbEnum> EnumColumn for Option<Vec<T>> {}
