//! What a reviewer reads in a generated migration: a warning and a commented hint
//! for a NOT NULL column without a default on a table with rows, a rename shown as
//! drop + add with a warning unless it is declared, and the command line.

use crate::migrate_common;

use migrate_common::{row, TempDir};
use orm_core::{Column, MetaData, SqlType, Table};
use orm_migrate::{
    autogenerate, generate, parse_args, Cli, Command, Migrator, Operation, Outcome, Renames,
};
use tests::TestDb;

fn people(extra: Vec<Column>) -> MetaData {
    let mut columns = vec![
        Column::new("id", SqlType::Integer)
            .primary_key()
            .autoincrement(),
        Column::new("name", SqlType::Text).not_null(),
    ];
    columns.extend(extra);
    let mut md = MetaData::new();
    md.add_table(Table::new("people", columns));
    md
}

fn migrated(name: &str, models: &MetaData) -> (TestDb, TempDir, Migrator) {
    let db = TestDb::new(name);
    let dir = TempDir::new(name);
    let migrator = Migrator::new(&db.engine, dir.path());
    generate(&migrator, models, "initial", &Renames::default())
        .unwrap()
        .unwrap();
    migrator.up().unwrap();
    (db, dir, migrator)
}

#[test]
fn not_null_without_default_on_a_table_with_rows_gets_a_warning_and_a_hint() {
    let (db, _dir, migrator) = migrated("mig_not_null", &people(vec![]));
    let v2 = people(vec![Column::new("email", SqlType::Varchar(255)).not_null()]);
    let empty = autogenerate(&db.engine, &v2, &Renames::default()).unwrap();
    assert!(
        empty.steps[0].warnings.is_empty() && empty.steps[0].hint.is_none(),
        "no rows, no warning"
    );

    db.execute_raw("INSERT INTO people (name) VALUES ('Ann')");
    let new = generate(&migrator, &v2, "email", &Renames::default())
        .unwrap()
        .unwrap();
    assert_eq!(
        new.plan.steps[0].warnings,
        ["\"people\" has rows: adding NOT NULL column \"email\" without a default fails"]
    );
    let up = std::fs::read_to_string(new.path.join("up.sql")).unwrap();
    let expected = "\
-- add column \"people\".\"email\"
-- WARNING: \"people\" has rows: adding NOT NULL column \"email\" without a default fails
-- hint: replace the statement below with: add the column NULL-able, fill \"email\" for the existing rows (an UPDATE), then make it NOT NULL; or give it a server_default
--   ALTER TABLE \"people\" ADD COLUMN \"email\" VARCHAR(255);
--   ...
--   ALTER TABLE \"people\" ALTER COLUMN \"email\" SET NOT NULL;
ALTER TABLE \"people\" ADD COLUMN \"email\" VARCHAR(255) NOT NULL;
";
    assert!(up.contains(expected), "{up}");
    let err = migrator.up().unwrap_err();
    assert!(
        matches!(err, orm_core::Error::MigrationFailed { .. }),
        "as warned: {err}"
    );
}

#[test]
fn an_undeclared_rename_is_a_drop_and_an_add_with_a_warning() {
    let (db, _dir, _migrator) = migrated(
        "mig_rename_guess",
        &people(vec![Column::new("nick", SqlType::Text)]),
    );
    let v2 = people(vec![Column::new("handle", SqlType::Text)]);
    let plan = autogenerate(&db.engine, &v2, &Renames::default()).unwrap();
    let ops: Vec<String> = plan.operations().map(Operation::describe).collect();
    assert_eq!(
        ops,
        [
            "drop column \"people\".\"nick\"",
            "add column \"people\".\"handle\""
        ]
    );
    assert_eq!(
        plan.steps[0].warnings[1],
        "if \"nick\" was renamed to one of \"handle\", declare the rename \
         (--rename-column people.nick=NEW) to keep its values"
    );
}

#[test]
fn a_declared_rename_keeps_the_data() {
    let (db, dir, migrator) = migrated(
        "mig_rename",
        &people(vec![Column::new("nick", SqlType::Text)]),
    );
    db.execute_raw("INSERT INTO people (name, nick) VALUES ('Ann', 'annie')");
    let mut v2 = people(vec![Column::new("handle", SqlType::Text)]);
    let mut table = v2.table("people").unwrap().clone();
    table.name = "persons".into();
    v2 = MetaData::new();
    v2.add_table(table);
    let renames = Renames::default()
        .table("people", "persons")
        .column("persons", "nick", "handle");
    let new = generate(&migrator, &v2, "rename", &renames)
        .unwrap()
        .unwrap();
    let ops: Vec<String> = new.plan.operations().map(Operation::describe).collect();
    assert_eq!(
        ops,
        [
            "rename table \"people\" to \"persons\"",
            "rename column \"persons\".\"nick\" to \"handle\""
        ]
    );
    assert!(new.plan.warnings().next().is_none());
    migrator.up().unwrap();
    assert_eq!(
        db.query_text("SELECT name, handle FROM persons"),
        [row(&["Ann", "annie"])]
    );
    assert!(autogenerate(&db.engine, &v2, &Renames::default())
        .unwrap()
        .is_empty());
    migrator.down(1).unwrap();
    assert_eq!(
        db.query_text("SELECT name, nick FROM people"),
        [row(&["Ann", "annie"])]
    );
    drop(dir);
}

#[test]
fn command_line_parsing() {
    assert_eq!(parse_args(["up"]).unwrap(), (Command::Up, None));
    assert_eq!(parse_args(["down"]).unwrap().0, Command::Down(1));
    assert_eq!(
        parse_args(["status", "--dir", "x"])
            .unwrap()
            .1
            .unwrap()
            .to_str(),
        Some("x")
    );
    assert_eq!(
        parse_args([
            "generate",
            "add_tags",
            "--rename-column",
            "a.b=c",
            "--rename-table",
            "p=q"
        ])
        .unwrap()
        .0,
        Command::Generate {
            name: "add_tags".into(),
            renames: Renames::default().column("a", "b", "c").table("p", "q"),
        }
    );
    assert!(parse_args(["down", "two"])
        .unwrap_err()
        .contains("not `two`"));
    assert!(parse_args(["generate"]).is_err());
    assert!(parse_args(["fly"]).unwrap_err().contains("unknown command"));
    assert!(parse_args(["up", "--rename-table", "a=b"]).is_err());
}

#[test]
fn check_reports_differences_and_status_lists_migrations() {
    let db = TestDb::new("mig_cli");
    let dir = TempDir::new("cli");
    let models = people(vec![]);
    let cli = Cli::new(models.clone(), &db.engine).dir(dir.path());
    let run = |command: Command| {
        let mut out = Vec::new();
        let outcome = cli.execute(&command, &mut out).unwrap();
        (outcome, String::from_utf8(out).unwrap())
    };
    let (outcome, text) = run(Command::Check);
    assert_eq!(outcome, Outcome::Differs);
    assert_eq!(
        text,
        "the database differs from the models:\n  create table \"people\"\n"
    );
    let (_, text) = run(Command::Generate {
        name: "Initial Schema".into(),
        renames: Renames::default(),
    });
    assert!(
        text.starts_with("created ") && text.contains("_initial_schema\n"),
        "{text}"
    );
    let (_, text) = run(Command::Status);
    assert!(text.ends_with("_initial_schema  pending\n"), "{text}");
    let (_, text) = run(Command::Up);
    assert!(
        text.starts_with("applied ") && text.ends_with("_initial_schema\n"),
        "{text}"
    );
    let (_, text) = run(Command::Status);
    assert!(text.contains("_initial_schema  applied 20"), "{text}");
    assert_eq!(run(Command::Check).0, Outcome::Done);
    let (_, text) = run(Command::Generate {
        name: "again".into(),
        renames: Renames::default(),
    });
    assert_eq!(text, "no changes: the database matches the models\n");
    let (_, text) = run(Command::Down(1));
    assert!(text.starts_with("reverted "), "{text}");
    // generate refuses while a migration is pending.
    let err = cli
        .execute(
            &Command::Generate {
                name: "x".into(),
                renames: Renames::default(),
            },
            &mut Vec::new(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("run `migrate up` first"), "{err}");
}
