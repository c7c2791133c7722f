//! PostgreSQL's names for [`SqlType`]s.

use orm_core::SqlType;
use std::borrow::Cow;

/// The type as written in DDL and casts.
///
/// JSON is stored as `JSONB` (indexable, no duplicate keys); timestamps and times
/// spell out `WITHOUT TIME ZONE` so the catalog reads back what was written.
pub(crate) fn type_name(ty: &SqlType) -> Cow<'static, str> {
    Cow::Borrowed(match ty {
        SqlType::SmallInt => "SMALLINT",
        SqlType::Integer => "INTEGER",
        SqlType::BigInt => "BIGINT",
        SqlType::Boolean => "BOOLEAN",
        SqlType::Real => "REAL",
        SqlType::Double => "DOUBLE PRECISION",
        SqlType::Numeric(None) => "NUMERIC",
        SqlType::Numeric(Some((p, s))) => return Cow::Owned(format!("NUMERIC({p}, {s})")),
        SqlType::Varchar(n) => return Cow::Owned(format!("VARCHAR({n})")),
        SqlType::Text => "TEXT",
        SqlType::Bytes => "BYTEA",
        SqlType::Timestamp => "TIMESTAMP WITHOUT TIME ZONE",
        SqlType::TimestampTz => "TIMESTAMP WITH TIME ZONE",
        SqlType::Date => "DATE",
        SqlType::Time => "TIME WITHOUT TIME ZONE",
        SqlType::Uuid => "UUID",
        SqlType::Json => "JSONB",
        SqlType::Custom(s) => return s.clone(),
    })
}
