//! Applying migrations: each in its own transaction with its history row; an
//! applied migration edited afterwards is refused; a failing migration leaves the
//! schema and `orm_migrations` as they were; `down N` reverts the last N.

use crate::migrate_common;

use migrate_common::{row, TempDir};
use orm_core::{Error, StatementLog};
use orm_migrate::{checksum, MigrationState, Migrator};
use tests::TestDb;

const V1: &str = "20240101000000";
const V2: &str = "20240102000000";
const V3: &str = "20240103000000";

fn three_migrations(dir: &TempDir) {
    dir.migration(
        V1,
        "tags",
        "CREATE TABLE tags (id integer PRIMARY KEY, name text NOT NULL);",
        Some("DROP TABLE tags;"),
    );
    dir.migration(
        V2,
        "tag_rows",
        "INSERT INTO tags VALUES (1, 'rust'), (2, 'sql');",
        Some("DELETE FROM tags;"),
    );
    dir.migration(
        V3,
        "notes",
        "CREATE TABLE notes (id integer PRIMARY KEY);",
        Some("DROP TABLE notes;"),
    );
}

fn history(db: &TestDb) -> Vec<Vec<String>> {
    db.query_text("SELECT version, name, checksum FROM orm_migrations ORDER BY version")
}

#[test]
fn up_applies_each_migration_in_its_own_transaction_and_records_it() {
    let db = TestDb::new("mig_up");
    let dir = TempDir::new("up");
    three_migrations(&dir);
    let migrator = Migrator::new(&db.engine, dir.path());
    let log = StatementLog::attach(&db.engine);
    assert_eq!(
        migrator.up().unwrap(),
        [
            format!("{V1}_tags"),
            format!("{V2}_tag_rows"),
            format!("{V3}_notes")
        ]
    );
    let up1 = "CREATE TABLE tags (id integer PRIMARY KEY, name text NOT NULL);";
    assert_eq!(history(&db)[0], row(&[V1, "tags", &checksum(up1)]));
    assert_eq!(history(&db).len(), 3);
    assert_eq!(checksum(up1).len(), 64);
    // Per migration: BEGIN, the lock, the re-check, the file, the history row, COMMIT.
    let statements = log.statements();
    let start = statements.iter().position(|s| s == up1).unwrap();
    assert_eq!(statements[start - 3], "BEGIN");
    assert!(
        statements[start - 2].contains("pg_advisory_xact_lock"),
        "{statements:#?}"
    );
    assert!(statements[start - 1]
        .starts_with("SELECT \"orm_migrations\".\"version\" FROM \"orm_migrations\" WHERE"));
    assert!(statements[start + 1].starts_with(
        "INSERT INTO \"orm_migrations\" (\"version\", \"name\", \"checksum\") VALUES ($1, $2, $3)"
    ));
    assert_eq!(statements[start + 2], "COMMIT");
    assert_eq!(
        statements.iter().filter(|s| *s == "COMMIT").count(),
        4,
        "the history table, then one per migration"
    );

    assert!(
        migrator.up().unwrap().is_empty(),
        "a second run has nothing to do"
    );
    let states: Vec<bool> = migrator
        .status()
        .unwrap()
        .iter()
        .map(|s| matches!(s.state, MigrationState::Applied(_)))
        .collect();
    assert_eq!(states, [true, true, true]);
}

#[test]
fn an_applied_migration_edited_afterwards_is_refused() {
    let db = TestDb::new("mig_edited");
    let dir = TempDir::new("edited");
    three_migrations(&dir);
    let migrator = Migrator::new(&db.engine, dir.path());
    migrator.up().unwrap();
    dir.migration(V4, "later", "CREATE TABLE later (id integer);", None);
    let edited = "CREATE TABLE tags (id bigint PRIMARY KEY, name text NOT NULL);";
    std::fs::write(dir.path().join(format!("{V1}_tags/up.sql")), edited).unwrap();

    let err = migrator.up().unwrap_err();
    match &err {
        Error::MigrationChecksumMismatch {
            version,
            name,
            recorded,
            found,
        } => {
            assert_eq!((version.as_str(), name.as_str()), (V1, "tags"));
            assert_eq!(found, &checksum(edited));
            assert_ne!(recorded, found);
        }
        other => panic!("expected a checksum mismatch, got {other:?}"),
    }
    assert!(
        err.to_string().starts_with(&format!(
            "migration {V1}_tags was edited after it was applied"
        )),
        "{err}"
    );
    assert!(
        !db.tables().contains(&"later".to_owned()),
        "nothing was applied"
    );
    assert!(matches!(
        migrator.down(1),
        Err(Error::MigrationChecksumMismatch { .. })
    ));
    assert_eq!(db.count("notes"), 0, "down did not run either");
    let states: Vec<MigrationState> = migrator
        .status()
        .unwrap()
        .into_iter()
        .map(|s| s.state)
        .collect();
    assert_eq!(states[0], MigrationState::Edited);
    assert_eq!(states[3], MigrationState::Pending);
}

const V4: &str = "20240104000000";

#[test]
fn a_failing_migration_leaves_the_database_and_the_history_as_they_were() {
    let db = TestDb::new("mig_failing");
    let dir = TempDir::new("failing");
    dir.migration(
        V1,
        "tags",
        "CREATE TABLE tags (id integer PRIMARY KEY);",
        Some("DROP TABLE tags;"),
    );
    migrate_first(&db, &dir);
    let before_tables = db.tables();
    let before_history = history(&db);
    dir.migration(
        V2,
        "broken",
        "CREATE TABLE notes (id integer PRIMARY KEY);\nALTER TABLE tags ADD COLUMN label text;\nINSERT INTO tags VALUES (1, 'x');\nINSERT INTO tags VALUES (1, 'again');",
        None,
    );
    dir.migration(V3, "after", "CREATE TABLE after (id integer);", None);
    let err = Migrator::new(&db.engine, dir.path()).up().unwrap_err();
    match &err {
        Error::MigrationFailed {
            version,
            name,
            source,
        } => {
            assert_eq!((version.as_str(), name.as_str()), (V2, "broken"));
            assert!(matches!(**source, Error::UniqueViolation(_)), "{source:?}");
        }
        other => panic!("expected MigrationFailed, got {other:?}"),
    }
    assert_eq!(
        db.tables(),
        before_tables,
        "no table of the failed or later migration"
    );
    assert_eq!(history(&db), before_history);
    assert_eq!(
        db.query_text("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'tags'"),
        [row(&["id"])],
        "the column added before the failure is gone too"
    );
    assert_eq!(db.count("tags"), 0);
}

fn migrate_first(db: &TestDb, dir: &TempDir) {
    assert_eq!(Migrator::new(&db.engine, dir.path()).up().unwrap().len(), 1);
}

#[test]
fn down_n_reverts_the_last_n_newest_first() {
    let db = TestDb::new("mig_down");
    let dir = TempDir::new("down");
    three_migrations(&dir);
    let migrator = Migrator::new(&db.engine, dir.path());
    migrator.up().unwrap();
    assert_eq!(db.count("tags"), 2);
    assert_eq!(
        migrator.down(2).unwrap(),
        [format!("{V3}_notes"), format!("{V2}_tag_rows")]
    );
    assert_eq!(db.tables(), ["orm_migrations", "tags"]);
    assert_eq!(db.count("tags"), 0);
    assert_eq!(history(&db).len(), 1);
    assert_eq!(
        migrator.down(5).unwrap(),
        [format!("{V1}_tags")],
        "stops when nothing is left"
    );
    assert_eq!(db.tables(), ["orm_migrations"]);
    assert!(migrator.down(1).unwrap().is_empty());
    assert_eq!(migrator.up().unwrap().len(), 3, "and up again");
}

#[test]
fn a_failing_down_leaves_the_migration_applied() {
    let db = TestDb::new("mig_down_fail");
    let dir = TempDir::new("down_fail");
    dir.migration(
        V1,
        "tags",
        "CREATE TABLE tags (id integer PRIMARY KEY);",
        Some("DROP TABLE tags;"),
    );
    dir.migration(
        V2,
        "notes",
        "CREATE TABLE notes (id integer);",
        Some("DROP TABLE notes; DROP TABLE missing;"),
    );
    let migrator = Migrator::new(&db.engine, dir.path());
    migrator.up().unwrap();
    let err = migrator.down(2).unwrap_err();
    assert!(
        matches!(&err, Error::MigrationFailed { version, .. } if version == V2),
        "{err:?}"
    );
    assert_eq!(db.tables(), ["notes", "orm_migrations", "tags"]);
    assert_eq!(history(&db).len(), 2);
}
