//! `sql_type = "..."`: the user's spelling mapped to a SQL type at compile time.

/// The derive's mirror of `orm_core::SqlType` (the derive cannot depend on `orm-core`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlTypeSpec {
    /// `SMALLINT`.
    SmallInt,
    /// `INTEGER`.
    Integer,
    /// `BIGINT`.
    BigInt,
    /// `BOOLEAN`.
    Boolean,
    /// `REAL`.
    Real,
    /// `DOUBLE PRECISION`.
    Double,
    /// `NUMERIC[(p, s)]`.
    Numeric(Option<(u32, u32)>),
    /// `VARCHAR(n)`.
    Varchar(u32),
    /// `TEXT`.
    Text,
    /// `BYTEA`.
    Bytes,
    /// `TIMESTAMP`.
    Timestamp,
    /// `TIMESTAMPTZ`.
    TimestampTz,
    /// `DATE`.
    Date,
    /// `TIME`.
    Time,
    /// `UUID`.
    Uuid,
    /// `JSON` / `JSONB`.
    Json,
    /// Anything else, kept as the user wrote it.
    Custom(String),
}

impl SqlTypeSpec {
    /// Maps common spellings (any case, any spacing) to a variant; anything not
    /// recognised, including a known name with arguments it does not take, is kept
    /// verbatim as [`SqlTypeSpec::Custom`].
    pub fn parse(spelling: &str) -> Self {
        let text = spelling.trim();
        let normal = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let normal = normal.to_ascii_uppercase();
        let (name, args) = split_args(&normal);
        known(name, args).unwrap_or_else(|| SqlTypeSpec::Custom(text.to_owned()))
    }
}

impl SqlTypeSpec {
    /// The name of the matching `orm_core::SqlType` variant.
    pub fn variant_name(&self) -> &'static str {
        use SqlTypeSpec::*;
        match self {
            SmallInt => "SmallInt",
            Integer => "Integer",
            BigInt => "BigInt",
            Boolean => "Boolean",
            Real => "Real",
            Double => "Double",
            Numeric(_) => "Numeric",
            Varchar(_) => "Varchar",
            Text => "Text",
            Bytes => "Bytes",
            Timestamp => "Timestamp",
            TimestampTz => "TimestampTz",
            Date => "Date",
            Time => "Time",
            Uuid => "Uuid",
            Json => "Json",
            Custom(_) => "Custom",
        }
    }
}

/// `NAME(args)` -> (`NAME`, `Some("args")`); `NAME` -> (`NAME`, `None`).
fn split_args(normal: &str) -> (&str, Option<&str>) {
    match normal.split_once('(') {
        Some((name, rest)) => match rest.strip_suffix(')') {
            Some(args) => (name.trim_end(), Some(args.trim())),
            None => (normal, None),
        },
        None => (normal, None),
    }
}

fn known(name: &str, args: Option<&str>) -> Option<SqlTypeSpec> {
    use SqlTypeSpec::*;
    let plain = match name {
        "SMALLINT" | "INT2" => SmallInt,
        "INTEGER" | "INT" | "INT4" => Integer,
        "BIGINT" | "INT8" => BigInt,
        "BOOLEAN" | "BOOL" => Boolean,
        "REAL" | "FLOAT4" => Real,
        "DOUBLE PRECISION" | "FLOAT8" => Double,
        "TEXT" => Text,
        "BYTEA" => Bytes,
        "TIMESTAMP" | "TIMESTAMP WITHOUT TIME ZONE" => Timestamp,
        "TIMESTAMPTZ" | "TIMESTAMP WITH TIME ZONE" => TimestampTz,
        "DATE" => Date,
        "TIME" | "TIME WITHOUT TIME ZONE" => Time,
        "UUID" => Uuid,
        "JSON" | "JSONB" => Json,
        "NUMERIC" | "DECIMAL" => return numeric(args),
        "VARCHAR" | "CHARACTER VARYING" => return Some(Varchar(number(args?)?)),
        _ => return None,
    };
    args.is_none().then_some(plain)
}

/// `NUMERIC`, `NUMERIC(p)` (scale 0, as PostgreSQL reads it) or `NUMERIC(p, s)`.
fn numeric(args: Option<&str>) -> Option<SqlTypeSpec> {
    let Some(args) = args else {
        return Some(SqlTypeSpec::Numeric(None));
    };
    let (precision, scale) = match args.split_once(',') {
        Some((p, s)) => (number(p)?, s.trim().parse().ok()?),
        None => (number(args)?, 0),
    };
    (scale <= precision).then_some(SqlTypeSpec::Numeric(Some((precision, scale))))
}

/// A positive integer argument.
fn number(arg: &str) -> Option<u32> {
    arg.trim().parse().ok().filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::SqlTypeSpec::{self, *};

    fn parse(s: &str) -> SqlTypeSpec {
        SqlTypeSpec::parse(s)
    }

    #[test]
    fn maps_common_spellings() {
        assert_eq!(parse("smallint"), SmallInt);
        assert_eq!(parse("INT2"), SmallInt);
        assert_eq!(parse("int"), Integer);
        assert_eq!(parse("Integer"), Integer);
        assert_eq!(parse("int8"), BigInt);
        assert_eq!(parse("bool"), Boolean);
        assert_eq!(parse("float4"), Real);
        assert_eq!(parse("double   precision"), Double);
        assert_eq!(parse("FLOAT8"), Double);
        assert_eq!(parse("text"), Text);
        assert_eq!(parse("bytea"), Bytes);
        assert_eq!(parse("timestamp"), Timestamp);
        assert_eq!(parse("timestamptz"), TimestampTz);
        assert_eq!(parse("timestamp with time zone"), TimestampTz);
        assert_eq!(parse("date"), Date);
        assert_eq!(parse("time"), Time);
        assert_eq!(parse("uuid"), Uuid);
        assert_eq!(parse("jsonb"), Json);
        assert_eq!(parse("json"), Json);
    }

    #[test]
    fn reads_arguments() {
        assert_eq!(parse("VARCHAR(20)"), Varchar(20));
        assert_eq!(parse("character varying ( 20 )"), Varchar(20));
        assert_eq!(parse("numeric"), Numeric(None));
        assert_eq!(parse("DECIMAL(10,2)"), Numeric(Some((10, 2))));
        assert_eq!(parse("numeric(10, 2)"), Numeric(Some((10, 2))));
        assert_eq!(parse("numeric(7)"), Numeric(Some((7, 0))));
    }

    #[test]
    fn keeps_anything_else_verbatim() {
        assert_eq!(parse(" citext "), Custom("citext".into()));
        assert_eq!(parse("varchar"), Custom("varchar".into()));
        assert_eq!(parse("varchar(x)"), Custom("varchar(x)".into()));
        assert_eq!(parse("timestamp(3)"), Custom("timestamp(3)".into()));
        assert_eq!(parse("numeric(2, 5)"), Custom("numeric(2, 5)".into()));
        assert_eq!(parse("INTEGER[]"), Custom("INTEGER[]".into()));
    }
}
