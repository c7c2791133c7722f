//! Shared by the migration tests: a scratch migrations folder and a snapshot of a
//! schema as `information_schema` and `pg_indexes` describe it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use tests::TestDb;

static DIRS: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty folder under the system's temporary directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let n = DIRS.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("orm-migrate-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `<version>_<name>/up.sql` (and `down.sql` when given).
    pub fn migration(&self, version: &str, name: &str, up: &str, down: Option<&str>) -> PathBuf {
        let folder = self.0.join(format!("{version}_{name}"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("up.sql"), up).unwrap();
        if let Some(down) = down {
            std::fs::write(folder.join("down.sql"), down).unwrap();
        }
        folder
    }

    /// The migration folders, sorted.
    pub fn folders(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The schema's columns, constraints, foreign-key actions and indexes, as text
/// rows, without column positions (PostgreSQL appends a re-added column at the end).
pub fn snapshot(db: &TestDb) -> Vec<Vec<String>> {
    let mut rows = db.query_text(
        "SELECT 'column', table_name, column_name, data_type, \
         coalesce(character_maximum_length::text, ''), coalesce(numeric_precision::text, ''), \
         is_nullable, coalesce(column_default, ''), is_identity \
         FROM information_schema.columns WHERE table_schema = current_schema() \
         AND table_name <> 'orm_migrations' ORDER BY table_name, column_name",
    );
    rows.extend(db.query_text(
        "SELECT 'constraint', tc.table_name, tc.constraint_name, tc.constraint_type, \
         string_agg(k.column_name, ',' ORDER BY k.ordinal_position) \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage k \
         ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name \
         WHERE tc.table_schema = current_schema() AND tc.table_name <> 'orm_migrations' \
         GROUP BY tc.table_name, tc.constraint_name, tc.constraint_type \
         ORDER BY tc.table_name, tc.constraint_name",
    ));
    rows.extend(db.query_text(
        "SELECT 'fk', constraint_name, unique_constraint_name, update_rule, delete_rule \
         FROM information_schema.referential_constraints \
         WHERE constraint_schema = current_schema() ORDER BY constraint_name",
    ));
    rows.extend(db.query_text(
        "SELECT 'index', tablename, indexname, indexdef FROM pg_indexes \
         WHERE schemaname = current_schema() AND tablename <> 'orm_migrations' \
         ORDER BY tablename, indexname",
    ));
    rows
}

/// `information_schema.columns` of one table: (name, data type, max length,
/// nullable, default), by name.
pub fn columns(db: &TestDb, table: &str) -> Vec<Vec<String>> {
    db.query_text(&format!(
        "SELECT column_name, data_type, coalesce(character_maximum_length::text, ''), \
         is_nullable, coalesce(column_default, '') FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = '{table}' ORDER BY column_name"
    ))
}

pub fn row(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}
