//! Server defaults compared the way PostgreSQL stores them.
//!
//! The catalog holds a default as a parsed expression and prints it back with
//! casts and its own spelling (`'draft'` on a `varchar` column reads back as
//! `'draft'::character varying`). The robust comparison asks the server: a model's
//! default is written into a throw-away temporary table, in a transaction that is
//! rolled back, and read back from the catalog. A default the server rejects there
//! (it names a sequence that does not exist yet, say) falls back to a text form
//! that ignores case, blanks, parentheses and casts.

use crate::PgDialect;
use orm_core::{Compiled, Dialect, EngineConnection, Result, SqlType};

const PROBE: &str = "orm_default_probe";

/// Each `(type, default)` as PostgreSQL prints it back; the text as given when the
/// server cannot store it.
pub(crate) fn normalize(
    conn: &mut EngineConnection,
    defaults: &[(SqlType, String)],
) -> Result<Vec<String>> {
    if defaults.is_empty() {
        return Ok(Vec::new());
    }
    conn.begin()?;
    let result = probe_all(conn, defaults);
    let rolled_back = conn.rollback();
    let normalized = result?;
    rolled_back?;
    Ok(normalized)
}

fn probe_all(conn: &mut EngineConnection, defaults: &[(SqlType, String)]) -> Result<Vec<String>> {
    let mut out = Vec::with_capacity(defaults.len());
    for (i, (ty, expr)) in defaults.iter().enumerate() {
        let savepoint = format!("probe_{i}");
        conn.savepoint(&savepoint)?;
        match probe_one(conn, i, ty, expr) {
            Ok(Some(stored)) => {
                conn.release_savepoint(&savepoint)?;
                out.push(stored);
            }
            Ok(None) | Err(_) => {
                conn.rollback_to_savepoint(&savepoint)?;
                out.push(expr.clone());
            }
        }
    }
    Ok(out)
}

/// `CREATE TEMPORARY TABLE probe_i ("c" type DEFAULT expr)`, then the stored
/// expression read back.
fn probe_one(
    conn: &mut EngineConnection,
    i: usize,
    ty: &SqlType,
    expr: &str,
) -> Result<Option<String>> {
    let table = format!("{PROBE}_{i}");
    let mut create = String::from("CREATE TEMPORARY TABLE ");
    PgDialect.write_identifier(&mut create, &table);
    create.push_str(" (");
    PgDialect.write_identifier(&mut create, "c");
    create.push(' ');
    create.push_str(&PgDialect.type_name(ty));
    create.push_str(" DEFAULT ");
    create.push_str(expr);
    create.push(')');
    conn.batch_execute(&create)?;
    let read = Compiled {
        sql: "SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d \
              WHERE d.adrelid = pg_catalog.to_regclass('pg_temp.' || pg_catalog.quote_ident($1))"
            .to_owned(),
        params: vec![table.into()],
    };
    let mut rows = conn.query_compiled(&read)?;
    match rows.first_mut() {
        Some(row) => row.take::<Option<String>>(0),
        None => Ok(None),
    }
}

/// A comparison form: outside string literals, lower case with blanks, parentheses
/// and `::type` casts removed; literals kept as written.
pub(crate) fn text_form(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut chars = expr.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\'' => {
                out.push('\'');
                while let Some(c) = chars.next() {
                    out.push(c);
                    if c == '\'' {
                        if chars.peek() == Some(&'\'') {
                            out.push(chars.next().unwrap_or('\''));
                        } else {
                            break;
                        }
                    }
                }
            }
            ':' if chars.peek() == Some(&':') => {
                chars.next();
                skip_type_name(&mut chars);
            }
            c if c.is_whitespace() || c == '(' || c == ')' => {}
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

/// Skips a cast's type name: words, blanks between them, a `(n[,m])` modifier and
/// `[]` suffixes.
fn skip_type_name(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
    while let Some(&c) = chars.peek() {
        let word = c.is_ascii_alphanumeric() || c == '_' || c == '"' || c == '.';
        let blank_inside_name = c == ' ' && continues_type_name(chars.clone());
        let modifier = c == '(' || c == ')' || c == ',' || c == '[' || c == ']';
        if word || blank_inside_name || modifier {
            chars.next();
        } else {
            break;
        }
    }
}

/// After a blank: whether the type name goes on (`character varying`,
/// `timestamp with time zone`) rather than an operator following the cast.
fn continues_type_name(mut rest: std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    while rest.peek() == Some(&' ') {
        rest.next();
    }
    let word: String = rest
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        word.as_str(),
        "varying" | "precision" | "with" | "without" | "time" | "zone"
    )
}

/// Whether two defaults (one normalised by [`normalize`], one read from the
/// catalog) mean the same.
pub(crate) fn same(model: &str, reflected: &str) -> bool {
    model == reflected || text_form(model) == text_form(reflected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_case_blanks_and_parentheses_are_ignored() {
        assert_eq!(text_form("'draft'::character varying"), "'draft'");
        assert_eq!(text_form("NOW()"), "now");
        assert_eq!(text_form("(0)::numeric"), "0");
        assert_eq!(
            text_form("'2020-01-01 00:00:00'::timestamp without time zone"),
            "'2020-01-01 00:00:00'"
        );
        assert_eq!(text_form("'It''s'::text"), "'It''s'");
        assert!(same("'x'", "'x'::character varying"));
        assert!(!same("'X'", "'x'::character varying"));
        assert!(same("'{}'::jsonb", "'{}'"));
        assert!(!same("1", "2"));
    }

    #[test]
    fn a_cast_followed_by_an_operator_keeps_the_operator() {
        assert_eq!(text_form("'1'::integer + 1"), "'1'+1");
        assert_eq!(text_form("now() - '1 day'::interval"), "now-'1 day'");
    }
}
