//! Type names as PostgreSQL spells them (`format_type`, or a model's `sql_type`)
//! read into [`SqlType`], so that `int4`, `integer` and `INTEGER` are one type.

use orm_core::SqlType;
use std::borrow::Cow;

/// Lower-case, single-spaced, no space around `(`, `)` and `,`.
fn tidy(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    words
        .join(" ")
        .to_ascii_lowercase()
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(", ", ",")
        .replace(" ,", ",")
}

/// `name(args)` split into the name and its numeric arguments.
fn split_args(name: &str) -> (&str, Vec<u32>) {
    match name.find('(') {
        Some(open) if name.ends_with(')') => {
            let args = name[open + 1..name.len() - 1]
                .split(',')
                .filter_map(|a| a.trim().parse().ok())
                .collect();
            (&name[..open], args)
        }
        _ => (name, Vec::new()),
    }
}

/// The type a PostgreSQL type name denotes; a name the ORM has no variant for stays
/// [`SqlType::Custom`], tidied (lower case, single spaces).
///
/// `timestamp(3)`, `time(0)` and the like keep their precision as `Custom`, since
/// the ORM's `Timestamp` is the default precision.
pub(crate) fn parse(name: &str) -> SqlType {
    let tidy = tidy(name);
    if let Some(element) = tidy.strip_suffix("[]") {
        return SqlType::Array(Box::new(parse(element)));
    }
    let (base, args) = split_args(&tidy);
    match (base, args.as_slice()) {
        ("smallint" | "int2", []) => SqlType::SmallInt,
        ("integer" | "int" | "int4", []) => SqlType::Integer,
        ("bigint" | "int8", []) => SqlType::BigInt,
        ("boolean" | "bool", []) => SqlType::Boolean,
        ("real" | "float4", []) => SqlType::Real,
        ("double precision" | "float8" | "float", []) => SqlType::Double,
        ("numeric" | "decimal", []) => SqlType::Numeric(None),
        ("numeric" | "decimal", [p]) => SqlType::Numeric(Some((*p, 0))),
        ("numeric" | "decimal", [p, s]) => SqlType::Numeric(Some((*p, *s))),
        ("character varying" | "varchar", [n]) => SqlType::Varchar(*n),
        ("text", []) => SqlType::Text,
        ("bytea", []) => SqlType::Bytes,
        ("timestamp" | "timestamp without time zone", []) => SqlType::Timestamp,
        ("timestamptz" | "timestamp with time zone", []) => SqlType::TimestampTz,
        ("date", []) => SqlType::Date,
        ("time" | "time without time zone", []) => SqlType::Time,
        ("uuid", []) => SqlType::Uuid,
        ("jsonb", []) => SqlType::Json,
        ("varchar", []) => SqlType::Custom(Cow::Borrowed("character varying")),
        _ => SqlType::Custom(Cow::Owned(tidy)),
    }
}

/// The canonical form of a model's type: custom spellings of known types become
/// those types; the rest is unchanged.
pub(crate) fn canonical(ty: &SqlType) -> SqlType {
    match ty {
        SqlType::Custom(name) => parse(name),
        SqlType::Array(element) => SqlType::Array(Box::new(canonical(element))),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_spellings() {
        let cases = [
            ("integer", SqlType::Integer),
            ("INT4", SqlType::Integer),
            ("character varying(100)", SqlType::Varchar(100)),
            ("VARCHAR ( 20 )", SqlType::Varchar(20)),
            ("numeric(10,2)", SqlType::Numeric(Some((10, 2)))),
            ("DECIMAL(8, 3)", SqlType::Numeric(Some((8, 3)))),
            ("numeric", SqlType::Numeric(None)),
            ("timestamp without time zone", SqlType::Timestamp),
            ("timestamptz", SqlType::TimestampTz),
            ("time without time zone", SqlType::Time),
            ("double precision", SqlType::Double),
            ("jsonb", SqlType::Json),
            ("bytea", SqlType::Bytes),
            ("integer[]", SqlType::Array(Box::new(SqlType::Integer))),
            (
                "character varying(20)[]",
                SqlType::Array(Box::new(SqlType::Varchar(20))),
            ),
        ];
        for (name, ty) in cases {
            assert_eq!(parse(name), ty, "{name}");
        }
    }

    #[test]
    fn unknown_types_are_tidied_custom() {
        assert_eq!(parse("CITEXT"), SqlType::Custom("citext".into()));
        assert_eq!(parse("json"), SqlType::Custom("json".into()));
        assert_eq!(
            parse("citext[]"),
            SqlType::Array(Box::new(SqlType::Custom("citext".into())))
        );
        assert_eq!(
            parse("timestamp(3) without time zone"),
            SqlType::Custom("timestamp(3) without time zone".into())
        );
        assert_eq!(
            canonical(&SqlType::Custom("varchar".into())),
            parse("character varying")
        );
    }
}
