//! [`SqlType`] and the inference of a column's SQL type from its Rust type.

use crate::value::{FromValue, ToValue};
use std::borrow::Cow;
use std::fmt;

/// The SQL type of a column, independent of any dialect's spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SqlType {
    /// 16-bit integer.
    SmallInt,
    /// 32-bit integer.
    Integer,
    /// 64-bit integer.
    BigInt,
    /// Boolean.
    Boolean,
    /// 32-bit float.
    Real,
    /// 64-bit float.
    Double,
    /// Exact decimal, optionally with precision and scale.
    Numeric(Option<(u32, u32)>),
    /// Variable-length string with a maximum length.
    Varchar(u32),
    /// Unbounded string.
    Text,
    /// Binary data.
    Bytes,
    /// Date and time without time zone.
    Timestamp,
    /// Date and time with time zone.
    TimestampTz,
    /// Calendar date.
    Date,
    /// Time of day.
    Time,
    /// UUID.
    Uuid,
    /// JSON document (stored as `jsonb` by PostgreSQL).
    Json,
    /// A type spelled verbatim by the user (`#[orm(sql_type = "...")]`).
    Custom(Cow<'static, str>),
    /// A named enumerated type (`CREATE TYPE name AS ENUM (..)`), from `#[derive(DbEnum)]`.
    Enum(EnumType),
    /// A one-dimensional array of the element type (`TEXT[]`), from `Vec<T>`.
    Array(Box<SqlType>),
}

/// A database enum: its type name and its labels, in order.
///
/// ```
/// use orm_core::{EnumType, SqlType};
/// let status = EnumType::new("order_status", &["pending", "paid"]);
/// assert_eq!(SqlType::Enum(status.clone()).to_string(), "Enum('pending', 'paid', name='order_status')");
/// assert_eq!(status.text_width(), 7);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumType {
    /// The type name in the database.
    pub name: String,
    /// The labels, in the type's sort order.
    pub labels: Vec<String>,
}

impl EnumType {
    /// The enum type `name` with `labels`.
    pub fn new(name: impl Into<String>, labels: &[&str]) -> Self {
        EnumType {
            name: name.into(),
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
        }
    }

    /// The length of the longest label, in characters: the `VARCHAR(n)` that holds
    /// every label when the enum is stored as text.
    pub fn text_width(&self) -> u32 {
        let longest = self.labels.iter().map(|l| l.chars().count()).max();
        u32::try_from(longest.unwrap_or(1).max(1)).unwrap_or(u32::MAX)
    }
}

impl SqlType {
    /// The enum type this column type uses, directly or as an array's element.
    pub fn enum_type(&self) -> Option<&EnumType> {
        match self {
            SqlType::Enum(e) => Some(e),
            SqlType::Array(inner) => inner.enum_type(),
            _ => None,
        }
    }

    /// The type with an enum (or an array's enum element) stored as `VARCHAR(n)`,
    /// `n` the longest label, for databases without native enums
    /// (`#[orm(native_enum = false)]`); other types are unchanged.
    ///
    /// ```
    /// use orm_core::{EnumType, SqlType};
    /// let e = SqlType::Enum(EnumType::new("size", &["small", "medium"]));
    /// assert_eq!(e.as_text_enum(), SqlType::Varchar(6));
    /// assert_eq!(SqlType::Array(Box::new(e)).as_text_enum(), SqlType::Array(Box::new(SqlType::Varchar(6))));
    /// ```
    pub fn as_text_enum(&self) -> SqlType {
        match self {
            SqlType::Enum(e) => SqlType::Varchar(e.text_width()),
            SqlType::Array(inner) => SqlType::Array(Box::new(inner.as_text_enum())),
            other => other.clone(),
        }
    }
}

impl fmt::Display for SqlType {
    /// SQLAlchemy-style names, as shown by `Table`'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlType::SmallInt => f.write_str("SmallInteger()"),
            SqlType::Integer => f.write_str("Integer()"),
            SqlType::BigInt => f.write_str("BigInteger()"),
            SqlType::Boolean => f.write_str("Boolean()"),
            SqlType::Real => f.write_str("Float(precision=24)"),
            SqlType::Double => f.write_str("Float()"),
            SqlType::Numeric(None) => f.write_str("Numeric()"),
            SqlType::Numeric(Some((p, s))) => write!(f, "Numeric(precision={p}, scale={s})"),
            SqlType::Varchar(n) => write!(f, "String(length={n})"),
            SqlType::Text => f.write_str("Text()"),
            SqlType::Bytes => f.write_str("LargeBinary()"),
            SqlType::Timestamp => f.write_str("DateTime()"),
            SqlType::TimestampTz => f.write_str("DateTime(timezone=True)"),
            SqlType::Date => f.write_str("Date()"),
            SqlType::Time => f.write_str("Time()"),
            SqlType::Uuid => f.write_str("Uuid()"),
            SqlType::Json => f.write_str("JSON()"),
            SqlType::Custom(s) => write!(f, "{s}"),
            SqlType::Enum(e) => {
                f.write_str("Enum(")?;
                for label in &e.labels {
                    write!(f, "'{label}', ")?;
                }
                write!(f, "name='{}')", e.name)
            }
            SqlType::Array(inner) => write!(f, "ARRAY({inner})"),
        }
    }
}

/// A Rust type that can be stored in a column; the derive uses it to infer the SQL type.
///
/// `Option<T>` is the nullable form of `T`. `Base` is the non-optional type, used to
/// type-check comparisons (`Article::slug.eq("x")` compiles, `.eq(5)` does not).
///
/// ```
/// use orm_core::{ColumnType, SqlType};
/// assert_eq!(<String as ColumnType>::sql_type(Some(100)), SqlType::Varchar(100));
/// assert_eq!(<Option<i32> as ColumnType>::sql_type(None), SqlType::Integer);
/// assert!(<Option<i32> as ColumnType>::NULLABLE);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored in a column",
    label = "unsupported column type",
    note = "for a fieldless enum add `#[derive(DbEnum)]`, for a newtype `#[derive(DbNewtype)]`; for any other type implement `orm_core::CustomType` (`type Repr`, `fn to_repr`, `fn from_repr`)",
    note = "built in: bool, i16, i32, i64, f32, f64, String, Vec<u8>, Vec<T> (one-dimensional arrays), chrono's date and time types, and with features rust_decimal::Decimal, uuid::Uuid, serde_json::Value, the time crate's types; Option<T> of these; or mark the field #[orm(skip)]"
)]
pub trait ColumnType:
    ToValue + FromValue + Clone + PartialEq + Send + Sync + sealed::Sealed + 'static
{
    /// The non-optional Rust type (for `Option<T>`, `T`'s base).
    type Base;
    /// Whether the Rust type can hold NULL.
    const NULLABLE: bool = false;
    /// The SQL type, given the `length` attribute if any.
    fn sql_type(length: Option<u32>) -> SqlType;
}

/// `ColumnType` is implemented here only: a user's type goes through
/// [`CustomType`](super::CustomType), which gives it every column-type trait at once.
pub(crate) mod sealed {
    /// Implemented with `ColumnType` for the built-in types, `Option`, arrays and
    /// every `CustomType`.
    #[diagnostic::on_unimplemented(
        message = "`ColumnType` is not implemented by hand (for `{Self}`)",
        label = "implement `orm_core::CustomType` instead",
        note = "implement `orm_core::CustomType` (`type Repr`, `fn to_repr`, `fn from_repr`), or derive `DbEnum` for a fieldless enum or `DbNewtype` for a newtype: that gives the type every column-type trait"
    )]
    pub trait Sealed {}
}

/// Marker for the integer types a `version` column may have.
#[diagnostic::on_unimplemented(
    message = "a `version` column must be an integer, not `{Self}`",
    label = "not i16, i32 or i64",
    note = "declare it as `#[orm(version)] version: i32`"
)]
pub trait VersionType {}
impl VersionType for i16 {}
impl VersionType for i32 {}
impl VersionType for i64 {}

/// Marker for column types that accept a `length` (strings).
#[diagnostic::on_unimplemented(
    message = "`length` only applies to string columns, not `{Self}`",
    label = "not a string type",
    note = "remove `length`, or use `sql_type = \"...\"` to spell the column type"
)]
pub trait StringType {}
impl StringType for String {}
impl StringType for Option<String> {}

macro_rules! column_type {
    ($ty:ty, $sql:expr) => {
        impl sealed::Sealed for $ty {}
        impl ColumnType for $ty {
            type Base = $ty;
            fn sql_type(_length: Option<u32>) -> SqlType {
                $sql
            }
        }
    };
}

column_type!(bool, SqlType::Boolean);
column_type!(i16, SqlType::SmallInt);
column_type!(i32, SqlType::Integer);
column_type!(i64, SqlType::BigInt);
column_type!(f32, SqlType::Real);
column_type!(f64, SqlType::Double);
column_type!(Vec<u8>, SqlType::Bytes);
#[cfg(feature = "rust_decimal")]
column_type!(rust_decimal::Decimal, SqlType::Numeric(None));
#[cfg(feature = "chrono")]
column_type!(chrono::NaiveDateTime, SqlType::Timestamp);
#[cfg(feature = "chrono")]
column_type!(chrono::DateTime<chrono::Utc>, SqlType::TimestampTz);
#[cfg(feature = "chrono")]
column_type!(chrono::NaiveDate, SqlType::Date);
#[cfg(feature = "chrono")]
column_type!(chrono::NaiveTime, SqlType::Time);
#[cfg(feature = "time")]
column_type!(time::PrimitiveDateTime, SqlType::Timestamp);
#[cfg(feature = "time")]
column_type!(time::OffsetDateTime, SqlType::TimestampTz);
#[cfg(feature = "time")]
column_type!(time::Date, SqlType::Date);
#[cfg(feature = "time")]
column_type!(time::Time, SqlType::Time);
#[cfg(feature = "uuid")]
column_type!(uuid::Uuid, SqlType::Uuid);
#[cfg(feature = "serde_json")]
column_type!(serde_json::Value, SqlType::Json);

impl sealed::Sealed for String {}
impl ColumnType for String {
    type Base = String;
    fn sql_type(length: Option<u32>) -> SqlType {
        length.map_or(SqlType::Text, SqlType::Varchar)
    }
}

impl<T: ColumnType> sealed::Sealed for Option<T> {}
impl<T: ColumnType> ColumnType for Option<T> {
    type Base = T::Base;
    const NULLABLE: bool = true;
    fn sql_type(length: Option<u32>) -> SqlType {
        T::sql_type(length)
    }
}
