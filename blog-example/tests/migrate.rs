//! `blog-example migrate ...` against the real server (a schema of its own): the
//! committed migrations build exactly the models' schema, and `check` is usable
//! in CI (exit code 1 when the models and the database differ).

use std::process::{Command, Output};
use tests::TestDb;

fn migrate(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_blog-example"))
        .arg("migrate")
        .args(args)
        .env("DATABASE_URL", db.url().to_string())
        .output()
        .expect("blog-example runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn committed_migrations_match_the_models() {
    let db = TestDb::new("blog_migrate");
    let check = migrate(&db, &["check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
    assert_eq!(
        stdout(&check),
        "the database differs from the models:\n  create table \"authors\"\n  create table \"articles\"\n"
    );

    let up = migrate(&db, &["up"]);
    assert!(
        up.status.success(),
        "{}",
        String::from_utf8_lossy(&up.stderr)
    );
    assert!(stdout(&up).starts_with("applied ") && stdout(&up).contains("_initial"));
    assert_eq!(db.tables(), ["articles", "authors", "orm_migrations"]);
    let check = migrate(&db, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert_eq!(stdout(&check), "the database matches the models\n");
    let status = migrate(&db, &["status"]);
    assert!(
        stdout(&status).contains("_initial  applied "),
        "{}",
        stdout(&status)
    );

    let down = migrate(&db, &["down"]);
    assert!(down.status.success());
    assert_eq!(db.tables(), ["orm_migrations"]);
}

#[test]
fn dir_overrides_the_folder_and_errors_exit_2() {
    let db = TestDb::new("blog_migrate_dir");
    let empty = std::env::temp_dir().join(format!("blog-migrate-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let status = migrate(&db, &["status", "--dir", empty.to_str().unwrap()]);
    assert!(status.status.success());
    assert!(
        stdout(&status).starts_with("no migrations in "),
        "{}",
        stdout(&status)
    );
    let _ = std::fs::remove_dir_all(&empty);

    let bad = migrate(&db, &["sideways"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown command `sideways`"));
}
