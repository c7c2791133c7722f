//! How PostgreSQL spells the few literals the crate writes. Identifiers use the
//! `Dialect` default (always double-quoted, embedded `"` doubled), which is
//! PostgreSQL's own rule.

/// Writes a string literal. Text containing a backslash is written as an escape
/// string (`E'\\'`), which means the same whatever `standard_conforming_strings`
/// says; other text as a plain `'...'`. A `'` is doubled in both forms.
pub(crate) fn write_string_literal(out: &mut String, text: &str) {
    let escape_form = text.contains('\\');
    if escape_form {
        out.push('E');
    }
    out.push('\'');
    for ch in text.chars() {
        match ch {
            '\'' => out.push_str("''"),
            '\\' if escape_form => out.push_str("\\\\"),
            _ => out.push(ch),
        }
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ident(s: &str) -> String {
        use orm_core::Dialect;
        let mut out = String::new();
        super::super::PgDialect.write_identifier(&mut out, s);
        out
    }

    fn literal(s: &str) -> String {
        let mut out = String::new();
        write_string_literal(&mut out, s);
        out
    }

    #[test]
    fn identifiers_are_always_quoted() {
        assert_eq!(ident("user"), r#""user""#);
        assert_eq!(ident("MixedCase"), r#""MixedCase""#);
        assert_eq!(ident(""), r#""""#);
    }

    #[test]
    fn embedded_double_quotes_are_doubled() {
        assert_eq!(ident(r#"a"b"#), r#""a""b""#);
        assert_eq!(
            ident(r#"x"; DROP TABLE t; --"#),
            r#""x""; DROP TABLE t; --""#
        );
    }

    #[test]
    fn literals() {
        assert_eq!(literal("\\"), r"E'\\'");
        assert_eq!(literal("'"), "''''");
        assert_eq!(literal("#"), "'#'");
        assert_eq!(literal("a'\\"), r"E'a''\\'");
    }
}
