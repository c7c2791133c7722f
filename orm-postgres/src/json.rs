//! JSON documents as PostgreSQL keeps them.
//!
//! JSONB stores every number as a `numeric`, which keeps the decimal digits it is
//! given but writes them back without an exponent and has no negative zero. So that a
//! document reads back equal to the one written:
//!
//! - floats are written in plain decimal notation with their shortest round-trip
//!   digits, and an integral float keeps a `.0` (`1e16` is sent as
//!   `10000000000000000.0`: sent as `1e16` it would come back as the integer
//!   `10000000000000000`, a different `serde_json::Value`);
//! - `-0.0` is refused for JSONB (it would come back as `0.0`); `JSON` keeps the text
//!   as written, so there it is allowed;
//! - documents are parsed back with serde_json's `float_roundtrip` feature, so the
//!   decimal digits become the same double (the default parser is off by one unit in
//!   the last place for about a third of random doubles).

use bytes::{BufMut, BytesMut};
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};
use std::io;

const NEGATIVE_ZERO: &str =
    "-0.0 cannot be stored in a JSONB document: PostgreSQL's numbers have no negative zero, it would read back as 0.0";

/// serde_json's compact output, with floats in plain decimal notation (and `-0.0`
/// refused when `jsonb`).
struct PgFloats {
    jsonb: bool,
}

impl Formatter for PgFloats {
    fn write_f64<W: ?Sized + io::Write>(&mut self, w: &mut W, v: f64) -> io::Result<()> {
        if v == 0.0 && v.is_sign_negative() && self.jsonb {
            return Err(io::Error::new(io::ErrorKind::InvalidData, NEGATIVE_ZERO));
        }
        // `Display` gives the shortest digits that read back as `v`, never an exponent.
        write!(w, "{v}")?;
        if v.fract() == 0.0 {
            w.write_all(b".0")?;
        }
        Ok(())
    }

    fn write_f32<W: ?Sized + io::Write>(&mut self, w: &mut W, v: f32) -> io::Result<()> {
        CompactFormatter.write_f32(w, v)
    }
}

/// Writes `doc` as the text PostgreSQL should receive for a `json` (`jsonb = false`)
/// or `jsonb` column.
pub(crate) fn write_document(
    doc: &serde_json::Value,
    jsonb: bool,
    out: &mut BytesMut,
) -> Result<(), serde_json::Error> {
    let mut ser = serde_json::Serializer::with_formatter(out.writer(), PgFloats { jsonb });
    doc.serialize(&mut ser)
}

/// Why a JSONB column cannot hold `doc` exactly: the JSON pointer of its first
/// `-0.0` and the reason, or `None` when it can.
pub(crate) fn jsonb_refusal(doc: &serde_json::Value) -> Option<String> {
    negative_zero_at(doc, &mut String::new()).map(|at| format!("at `{at}`: {NEGATIVE_ZERO}"))
}

fn negative_zero_at(doc: &serde_json::Value, path: &mut String) -> Option<String> {
    use serde_json::Value as J;
    match doc {
        J::Number(n) => n
            .as_f64()
            .filter(|f| *f == 0.0 && f.is_sign_negative() && n.is_f64())
            .map(|_| {
                if path.is_empty() {
                    "/".to_owned()
                } else {
                    path.clone()
                }
            }),
        J::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| within(path, &i.to_string(), |p| negative_zero_at(item, p))),
        J::Object(map) => map
            .iter()
            .find_map(|(k, item)| within(path, k, |p| negative_zero_at(item, p))),
        _ => None,
    }
}

/// Runs `f` with `/segment` appended to `path`, then restores `path`.
fn within<T>(path: &mut String, segment: &str, f: impl FnOnce(&mut String) -> T) -> T {
    let len = path.len();
    path.push('/');
    path.push_str(&segment.replace('~', "~0").replace('/', "~1"));
    let out = f(path);
    path.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(doc: serde_json::Value, jsonb: bool) -> Result<String, String> {
        let mut out = BytesMut::new();
        write_document(&doc, jsonb, &mut out).map_err(|e| e.to_string())?;
        Ok(String::from_utf8(out.to_vec()).unwrap())
    }

    #[test]
    fn floats_are_plain_decimals_that_stay_floats() {
        assert_eq!(
            text(json!([1e16, 0.1, 3.0, 5, -2.5e-7]), true).unwrap(),
            "[10000000000000000.0,0.1,3.0,5,-0.00000025]"
        );
        let tiny = text(json!(5e-324), true).unwrap();
        assert!(tiny.starts_with("0.000") && tiny.ends_with('5'), "{tiny}");
        assert_eq!(tiny.parse::<f64>().unwrap(), 5e-324);
    }

    #[test]
    fn negative_zero_is_refused_for_jsonb_only() {
        let doc = json!({"a": [1, {"b/c": -0.0}]});
        assert!(text(doc.clone(), true)
            .unwrap_err()
            .contains("negative zero"));
        assert_eq!(
            text(doc.clone(), false).unwrap(),
            r#"{"a":[1,{"b/c":-0.0}]}"#
        );
        assert!(jsonb_refusal(&doc).unwrap().starts_with("at `/a/1/b~1c`"));
        assert_eq!(jsonb_refusal(&json!({"a": [0.0, 0, -1]})), None);
    }
}
