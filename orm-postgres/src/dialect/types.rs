//! PostgreSQL's names for [`SqlType`]s: the standard names, except where PostgreSQL
//! spells a type differently.

use orm_core::dialect::standard_type_name;
use orm_core::SqlType;
use std::borrow::Cow;

/// The type as written in DDL and casts.
///
/// JSON is stored as `JSONB` (indexable, no duplicate keys); timestamps and times
/// spell out `WITHOUT TIME ZONE` so the catalog reads back what was written.
pub(crate) fn type_name(ty: &SqlType) -> Cow<'static, str> {
    match ty {
        SqlType::Bytes => Cow::Borrowed("BYTEA"),
        SqlType::Timestamp => Cow::Borrowed("TIMESTAMP WITHOUT TIME ZONE"),
        SqlType::Time => Cow::Borrowed("TIME WITHOUT TIME ZONE"),
        SqlType::Json => Cow::Borrowed("JSONB"),
        other => standard_type_name(other),
    }
}
