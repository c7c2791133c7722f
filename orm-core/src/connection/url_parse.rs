//! Parsing `scheme://user:password@host:port/database?key=value` into a [`Url`].
//!
//! The rule that keeps passwords out of messages: an error names the part that is
//! wrong and how to fix it, never the text it found. A password with an unencoded
//! `/`, `?` or `@` shifts every later part (the password's tail becomes a host, a
//! port, a database name), so no part of a malformed URL is safe to repeat.

use super::url::{Url, UrlBuilder};
use crate::error::{Error, Result};
use percent_encoding::percent_decode_str;

/// Added to every message about a part after `://`, since a password with
/// unencoded reserved characters is the usual cause.
const ENCODE_HINT: &str =
    "percent-encode `/`, `?`, `@`, `:` and `%` in the user name and password (`/` is %2F, `?` is %3F, `@` is %40)";

fn invalid(what: &str) -> Error {
    Error::InvalidUrl(format!("{what}; {ENCODE_HINT}"))
}

/// True when `s` starts with `scheme://`.
pub(super) fn has_scheme(s: &str) -> bool {
    s.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// Percent-decodes one part of the URL; `what` names it in the error.
fn decode(s: &str, what: &str) -> Result<String> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| {
            invalid(&format!(
                "the {what} is not valid UTF-8 after percent-decoding"
            ))
        })
}

/// Parses a port number (the text is not repeated in the error).
pub(super) fn parse_port(p: &str) -> Result<u16> {
    p.parse::<u16>()
        .map_err(|_| invalid("the port is not a number from 0 to 65535"))
}

fn split_host_port(hostport: &str) -> Result<(Option<String>, Option<u16>)> {
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let end = rest
            .find(']')
            .ok_or_else(|| invalid("an IPv6 host opened with `[` is not closed with `]`"))?;
        (&rest[..end], rest[end + 1..].strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    let port = port.filter(|p| !p.is_empty()).map(parse_port).transpose()?;
    let host = (!host.is_empty())
        .then(|| decode(host, "host"))
        .transpose()?;
    Ok((host, port))
}

/// Splits `user[:password]` and sets both on the builder.
fn apply_userinfo(b: &mut UrlBuilder, userinfo: &str) -> Result<()> {
    let (user, pass) = match userinfo.split_once(':') {
        Some((u, p)) => (u, Some(p)),
        None => (userinfo, None),
    };
    if !user.is_empty() {
        b.url.username = Some(decode(user, "user name")?);
    }
    if let Some(p) = pass {
        b.url.password = Some(decode(p, "password")?);
    }
    Ok(())
}

/// Sets `key=value` from a query string or a `key=value` connection string: the
/// connection keys go to their fields, anything else stays a parameter for the backend.
pub(super) fn apply_param(b: &mut UrlBuilder, key: String, value: String) -> Result<()> {
    let url = &mut b.url;
    match key.as_str() {
        "host" => url.host = Some(value),
        "port" => url.port = Some(parse_port(&value)?),
        "user" => url.username = Some(value),
        "password" => url.password = Some(value),
        "dbname" => url.database = Some(value),
        _ => {
            url.params.retain(|(k, _)| *k != key);
            url.params.push((key, value));
        }
    }
    Ok(())
}

/// Parses the query string's `key=value` pairs.
fn apply_query(b: &mut UrlBuilder, query: &str) -> Result<()> {
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(k, "name of a parameter")?;
        let value = decode(v, "value of a parameter")?;
        apply_param(b, key, value)?;
    }
    Ok(())
}

/// Parses `scheme://[user[:password]@][host][:port][/database][?key=value&...]`.
///
/// The authority (credentials, host, port) ends at the first `/` or `?`. An `@`
/// after that point is refused: it is what a password with an unencoded `/` or `?`
/// looks like (`postgres://u:pa/ss@host/db`), and reading such a URL any other way
/// would turn pieces of the password into a host or a database name that later
/// messages would print.
pub(super) fn parse_uri(s: &str) -> Result<Url> {
    let (scheme, rest) = s
        .split_once("://")
        .ok_or_else(|| Error::InvalidUrl("expected `scheme://...`".into()))?;
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if tail.contains('@') {
        return Err(invalid(
            "an `@` follows the host part (after the first `/` or `?`)",
        ));
    }
    let (path, query) = match tail.split_once('?') {
        Some((p, q)) => (p, q),
        None => (tail, ""),
    };
    let mut b = Url::builder(scheme);
    let hostport = match authority.rsplit_once('@') {
        Some((userinfo, hostport)) => {
            apply_userinfo(&mut b, userinfo)?;
            hostport
        }
        None => authority,
    };
    let (host, port) = split_host_port(hostport)?;
    b.url.host = host;
    b.url.port = port;
    let database = path.strip_prefix('/').unwrap_or(path);
    if !database.is_empty() {
        b.url.database = Some(decode(database, "database name")?);
    }
    apply_query(&mut b, query)?;
    Ok(b.build())
}
