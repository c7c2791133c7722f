//! PostgreSQL's names for [`SqlType`]s: the standard names, except where PostgreSQL
//! spells a type differently.

use orm_core::dialect::standard_type_name;
use orm_core::{Dialect, SqlType};
use std::borrow::Cow;

/// The type as written in DDL and casts.
///
/// JSON is stored as `JSONB` (indexable, no duplicate keys); timestamps and times
/// spell out `WITHOUT TIME ZONE` so the catalog reads back what was written. An enum
/// is its quoted type name, an array its element's name and `[]`.
pub(crate) fn type_name(ty: &SqlType) -> Cow<'static, str> {
    match ty {
        SqlType::Array(element) => Cow::Owned(format!("{}[]", type_name(element))),
        SqlType::Enum(e) => {
            let mut quoted = String::new();
            crate::PgDialect.write_identifier(&mut quoted, &e.name);
            Cow::Owned(quoted)
        }
        SqlType::Bytes => Cow::Borrowed("BYTEA"),
        SqlType::Timestamp => Cow::Borrowed("TIMESTAMP WITHOUT TIME ZONE"),
        SqlType::Time => Cow::Borrowed("TIME WITHOUT TIME ZONE"),
        SqlType::Json => Cow::Borrowed("JSONB"),
        other => standard_type_name(other),
    }
}
