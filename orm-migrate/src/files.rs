//! Migration files: one folder per migration, `<UTC timestamp>_<name>/`, holding
//! `up.sql` and `down.sql`, plain SQL to review and edit.

use crate::plan::Script;
use chrono::{DateTime, NaiveDateTime, TimeDelta, Timelike, Utc};
use orm_core::{Error, Result};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

/// `YYYYMMDDHHMMSS`.
const VERSION_FORMAT: &str = "%Y%m%d%H%M%S";

/// One migration on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFiles {
    /// The UTC timestamp the folder name starts with.
    pub version: String,
    /// The rest of the folder name.
    pub name: String,
    /// The folder.
    pub path: PathBuf,
    /// The text of `up.sql`.
    pub up: String,
    /// The text of `down.sql`, when there is one.
    pub down: Option<String>,
}

impl MigrationFiles {
    /// SHA-256 of `up.sql`, in hex: what the history records, so that an applied
    /// migration edited afterwards is noticed. (`down.sql` may still be fixed.)
    pub fn checksum(&self) -> String {
        checksum(&self.up)
    }

    /// `<version>_<name>`.
    pub fn id(&self) -> String {
        format!("{}_{}", self.version, self.name)
    }
}

/// SHA-256 of `text`, in lower-case hex.
pub fn checksum(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Migration(format!("{}: {e}", path.display()))
}

/// The migrations in `dir`, oldest first. A missing folder holds none; a folder
/// entry that is not `<14 digits>_<name>/` is an error (it would be silently
/// skipped otherwise), except hidden entries and plain files (a README).
pub fn read_dir(dir: &Path) -> Result<Vec<MigrationFiles>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| io_error(dir, e))? {
        let path = entry.map_err(|e| io_error(dir, e))?.path();
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !path.is_dir() || file_name.starts_with('.') {
            continue;
        }
        let Some((version, name)) = parse_folder_name(file_name) else {
            return Err(Error::Migration(format!(
                "{}: a migration folder is named <YYYYMMDDHHMMSS>_<name>",
                path.display()
            )));
        };
        let up_path = path.join("up.sql");
        let up = fs::read_to_string(&up_path).map_err(|e| io_error(&up_path, e))?;
        let down = fs::read_to_string(path.join("down.sql")).ok();
        out.push(MigrationFiles {
            version: version.to_owned(),
            name: name.to_owned(),
            path,
            up,
            down,
        });
    }
    out.sort_by(|a, b| a.version.cmp(&b.version));
    if let Some(w) = out.windows(2).find(|w| w[0].version == w[1].version) {
        return Err(Error::Migration(format!(
            "two migrations have version {}: {} and {}",
            w[0].version,
            w[0].path.display(),
            w[1].path.display()
        )));
    }
    Ok(out)
}

fn parse_folder_name(name: &str) -> Option<(&str, &str)> {
    let (version, rest) = name.split_once('_')?;
    let ok = version.len() == 14 && version.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty();
    ok.then_some((version, rest))
}

/// A name usable in a folder name: lower-case letters, digits and `_`.
///
/// ```
/// assert_eq!(orm_migrate::folder_name_part("Add Tags!"), "add_tags");
/// ```
pub fn folder_name_part(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let parts: Vec<&str> = mapped.split('_').filter(|p| !p.is_empty()).collect();
    parts.join("_")
}

/// The version for a new migration made at `now`: its UTC timestamp, or one second
/// after the newest existing migration if that is later (two migrations made in the
/// same second still sort in the order they were made).
pub fn next_version(now: DateTime<Utc>, existing: &[MigrationFiles]) -> String {
    let mut at = now
        .naive_utc()
        .with_nanosecond(0)
        .unwrap_or(now.naive_utc());
    let newest = existing
        .iter()
        .filter_map(|m| NaiveDateTime::parse_from_str(&m.version, VERSION_FORMAT).ok())
        .max();
    if let Some(newest) = newest {
        if newest >= at {
            at = newest + TimeDelta::seconds(1);
        }
    }
    at.format(VERSION_FORMAT).to_string()
}

/// Writes `<dir>/<version>_<name>/{up,down}.sql` and returns the folder.
pub fn write(dir: &Path, version: &str, name: &str, script: &Script) -> Result<PathBuf> {
    let name = folder_name_part(name);
    if name.is_empty() {
        return Err(Error::Migration(
            "a migration needs a name of letters or digits".into(),
        ));
    }
    let folder = dir.join(format!("{version}_{name}"));
    fs::create_dir_all(&folder).map_err(|e| io_error(&folder, e))?;
    for (file, text) in [("up.sql", &script.up), ("down.sql", &script.down)] {
        let path = folder.join(file);
        fs::write(&path, text).map_err(|e| io_error(&path, e))?;
    }
    Ok(folder)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(version: &str) -> MigrationFiles {
        MigrationFiles {
            version: version.into(),
            name: "x".into(),
            path: PathBuf::new(),
            up: String::new(),
            down: None,
        }
    }

    #[test]
    fn versions_are_the_utc_second_and_always_increase() {
        let now = Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).unwrap() + TimeDelta::milliseconds(500);
        assert_eq!(next_version(now, &[]), "20240506070809");
        assert_eq!(next_version(now, &[at("20240506070809")]), "20240506070810");
        assert_eq!(next_version(now, &[at("20990101000000")]), "20990101000001");
        assert_eq!(next_version(now, &[at("20200101000000")]), "20240506070809");
    }

    #[test]
    fn folder_names() {
        assert_eq!(
            parse_folder_name("20240506070809_add_tags"),
            Some(("20240506070809", "add_tags"))
        );
        assert_eq!(parse_folder_name("2024_add"), None);
        assert_eq!(parse_folder_name("20240506070809_"), None);
        assert_eq!(folder_name_part("  Add  Tags--now "), "add_tags_now");
    }

    #[test]
    fn checksum_is_sha256_hex() {
        assert_eq!(
            checksum(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
