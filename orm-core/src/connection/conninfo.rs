//! libpq's `key=value` connection strings (`host=db port=5432 dbname=blog user=ezz`),
//! read into the same [`Url`] a URL gives.
//!
//! As in libpq: pairs are separated by whitespace, spaces around `=` are allowed, a
//! value with spaces is written in single quotes, and `\'` and `\\` escape a quote and
//! a backslash. Errors name the position of the faulty pair and, for the keywords
//! libpq defines, the keyword; never a value, nor an unknown word (which may be a
//! piece of a password that lost its quotes).

use super::url::{Url, UrlBuilder};
use super::url_parse::apply_param;
use crate::error::{Error, Result};

/// Keywords that may be named in an error message (they cannot be a password's tail
/// unless the user typed them so).
const KNOWN: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "connect_timeout",
    "application_name",
    "options",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "target_session_attrs",
];

const QUOTE_HINT: &str =
    "write a value with spaces or quotes as 'it''s' or 'it\\'s', in single quotes";

/// How a pair is described in an error: its keyword when it is a known one, else
/// its position only.
fn describe(n: usize, key: &str) -> String {
    if KNOWN.contains(&key) {
        format!("`{key}` (pair {n})")
    } else {
        format!("pair {n}")
    }
}

/// Reads a single-quoted value (after its opening quote); returns it and the rest.
fn quoted(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?.1),
            '\'' => return Some((out, &s[i + 1..])),
            c => out.push(c),
        }
    }
    None
}

/// Reads an unquoted value up to the next whitespace; `\` escapes the next character.
fn unquoted(s: &str) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => return (out, &s[i..]),
            '\\' => {
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            }
            c => out.push(c),
        }
    }
    (out, "")
}

/// Splits off one `key = value` pair; `n` is its position for error messages.
fn next_pair(s: &str, n: usize) -> Result<(String, String, &str)> {
    let key_end = s
        .find(|c: char| c == '=' || c.is_whitespace())
        .unwrap_or(s.len());
    let key = &s[..key_end];
    let rest = s[key_end..].trim_start();
    let Some(rest) = rest.strip_prefix('=') else {
        return Err(Error::InvalidUrl(format!(
            "expected `key=value` pairs, but {} has no `=`; {QUOTE_HINT}",
            describe(n, key)
        )));
    };
    if key.is_empty() {
        return Err(Error::InvalidUrl(format!(
            "pair {n} has no keyword before its `=`"
        )));
    }
    let rest = rest.trim_start();
    let (value, rest) = match rest.strip_prefix('\'') {
        Some(q) => quoted(q).ok_or_else(|| {
            Error::InvalidUrl(format!(
                "the quoted value of {} is not closed; {QUOTE_HINT}",
                describe(n, key)
            ))
        })?,
        None => unquoted(rest),
    };
    Ok((key.to_owned(), value, rest))
}

/// Parses a libpq connection string of `key=value` pairs into a [`Url`] with the
/// scheme `postgresql`.
pub(super) fn parse_conninfo(s: &str) -> Result<Url> {
    if !s.contains('=') {
        return Err(Error::InvalidUrl(
            "expected a URL (`postgres://user@host/db`) or `key=value` pairs (`host=localhost dbname=db`)"
                .into(),
        ));
    }
    let mut b: UrlBuilder = Url::builder("postgresql");
    let mut rest = s.trim_start();
    let mut n = 0;
    while !rest.is_empty() {
        n += 1;
        let (key, value, tail) = next_pair(rest, n)?;
        apply_param(&mut b, key, value).map_err(|_| {
            Error::InvalidUrl(format!(
                "the value of {} is not a port number from 0 to 65535",
                describe(n, "port")
            ))
        })?;
        rest = tail.trim_start();
    }
    Ok(b.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pairs_quotes_and_escapes() {
        let u: Url =
            "host=db.example port = 6543 dbname='my db' user=ezz password='it\\'s secret' sslmode=require"
                .parse()
                .unwrap();
        assert_eq!(u.host(), Some("db.example"));
        assert_eq!(u.port(), Some(6543));
        assert_eq!(u.database(), Some("my db"));
        assert_eq!(u.username(), Some("ezz"));
        assert_eq!(u.password(), Some("it's secret"));
        assert_eq!(u.param("sslmode"), Some("require"));
        assert_eq!(u.backend_name(), "postgresql");
        assert!(!u.to_string().contains("secret"));
    }

    #[test]
    fn socket_directory_and_escaped_space() {
        let u: Url = r"host=/var/run/postgresql dbname=a\ b".parse().unwrap();
        assert!(u.is_unix_socket());
        assert_eq!(u.database(), Some("a b"));
    }

    #[test]
    fn errors_name_known_keywords_only() {
        let err = "host=h password=S3 cr3t".parse::<Url>().unwrap_err();
        let text = err.to_string();
        assert!(text.contains("pair 3"), "{text}");
        assert!(!text.contains("cr3t"), "{text}");
        let err = "host=h password='S3cr3t".parse::<Url>().unwrap_err();
        let text = err.to_string();
        assert!(text.contains("`password` (pair 2)"), "{text}");
        assert!(!text.contains("S3cr3t"), "{text}");
        let err = "host=h port=S3cr3t".parse::<Url>().unwrap_err();
        assert!(!err.to_string().contains("S3cr3t"), "{err}");
    }
}
