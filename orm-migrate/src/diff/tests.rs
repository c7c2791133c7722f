//! The diff alone, on metadata built by hand: the order of the steps.

use super::*;
use crate::ops::Operation;
use orm_core::statement::ColumnChange;
use orm_core::{Column, SqlType, Table};

fn md(tables: Vec<Table>) -> MetaData {
    let mut md = MetaData::new();
    for t in tables {
        md.add_table(t);
    }
    md
}

fn id() -> Column {
    Column::new("id", SqlType::Integer).primary_key()
}

fn table(name: &str, refs: &[(&str, &str)]) -> Table {
    let mut cols = vec![id()];
    for (col, target) in refs {
        cols.push(Column::new(*col, SqlType::Integer).references(target, "id"));
    }
    Table::new(name, cols)
}

fn described(models: &MetaData, db: &MetaData) -> Vec<String> {
    let plan = diff(models, db, &ExactCompare, &Renames::default()).unwrap();
    plan.operations().map(Operation::describe).collect()
}

#[test]
fn tables_are_created_parents_first_and_a_cycle_closes_last() {
    // As `create_all` does: every foreign key between members of a cycle waits.
    let models = md(vec![
        table("b", &[("a_id", "a")]),
        table("a", &[("b_id", "b")]),
        table("c", &[("b_id", "b")]),
        table("root", &[]),
    ]);
    assert_eq!(
        described(&models, &MetaData::new()),
        [
            "create table \"b\"",
            "create table \"a\"",
            "create table \"c\"",
            "create table \"root\"",
            "add foreign key \"b_a_id_fkey\" on \"b\"",
            "add foreign key \"a_b_id_fkey\" on \"a\"",
        ]
    );
}

#[test]
fn tables_are_dropped_children_first_after_the_foreign_keys_into_them() {
    let db = md(vec![
        table("authors", &[]),
        table("articles", &[("author_id", "authors")]),
        table("comments", &[("article_id", "articles")]),
        table("likes", &[("comment_id", "comments")]),
    ]);
    let mut likes = table("likes", &[]);
    likes
        .columns
        .push(Column::new("comment_id", SqlType::Integer));
    let models = md(vec![table("authors", &[]), likes]);
    assert_eq!(
        described(&models, &db),
        [
            "drop foreign key \"likes_comment_id_fkey\" on \"likes\"",
            "drop table \"comments\"",
            "drop table \"articles\"",
        ]
    );
}

#[test]
fn a_dropped_cycle_drops_its_closing_foreign_key_first() {
    let db = md(vec![
        table("a", &[("b_id", "b")]),
        table("b", &[("a_id", "a")]),
    ]);
    let plan = diff(&MetaData::new(), &db, &ExactCompare, &Renames::default()).unwrap();
    let ops: Vec<String> = plan.operations().map(Operation::describe).collect();
    assert_eq!(
        ops,
        [
            "drop foreign key \"a_b_id_fkey\" on \"a\"",
            "drop foreign key \"b_a_id_fkey\" on \"b\"",
            "drop table \"b\"",
            "drop table \"a\"",
        ]
    );
    // down: recreate both, then the foreign key.
    let down: Vec<String> = plan
        .steps
        .iter()
        .rev()
        .flat_map(|s| s.operation.inverse())
        .map(|o| o.describe())
        .collect();
    assert_eq!(
        down,
        [
            "create table \"a\"",
            "create table \"b\"",
            "add foreign key \"b_a_id_fkey\" on \"b\"",
            "add foreign key \"a_b_id_fkey\" on \"a\"",
        ]
    );
}

#[test]
fn column_changes_run_in_an_order_each_statement_accepts() {
    let mut old = Column::new("n", SqlType::SmallInt).server_default("0");
    old.nullable = true;
    let new = Column::new("n", SqlType::Integer)
        .not_null()
        .autoincrement();
    let plan = diff(
        &md(vec![Table::new("t", vec![id(), new])]),
        &md(vec![Table::new("t", vec![id(), old])]),
        &ExactCompare,
        &Renames::default(),
    )
    .unwrap();
    let changes: Vec<&ColumnChange> = plan
        .operations()
        .map(|o| match o {
            Operation::AlterColumn { change, .. } => change,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        changes,
        [
            &ColumnChange::DropDefault,
            &ColumnChange::SetType(SqlType::Integer),
            &ColumnChange::SetNotNull,
            &ColumnChange::AddIdentity,
        ]
    );
}

#[test]
fn a_type_change_that_may_not_fit_is_warned() {
    let plan = diff(
        &md(vec![Table::new(
            "t",
            vec![id(), Column::new("c", SqlType::Varchar(10))],
        )]),
        &md(vec![Table::new(
            "t",
            vec![id(), Column::new("c", SqlType::Text)],
        )]),
        &ExactCompare,
        &Renames::default(),
    )
    .unwrap();
    assert_eq!(plan.steps.len(), 1);
    assert!(plan.steps[0].warnings[0]
        .starts_with("existing values must convert from Text() to String(length=10)"));
}

#[test]
fn a_changed_primary_key_is_a_note_not_a_step() {
    let mut models = Table::new(
        "t",
        vec![id(), Column::new("k", SqlType::Integer).primary_key()],
    );
    models.columns[1].nullable = false;
    let db = Table::new(
        "t",
        vec![id(), Column::new("k", SqlType::Integer).not_null()],
    );
    let plan = diff(
        &md(vec![models]),
        &md(vec![db]),
        &ExactCompare,
        &Renames::default(),
    )
    .unwrap();
    assert!(plan.is_empty());
    assert_eq!(plan.notes.len(), 1);
    assert!(plan.notes[0].contains("(id, k) in the models and (id) in the database"));
}

#[test]
fn renames_must_name_what_exists() {
    let db = md(vec![table("people", &[])]);
    let models = md(vec![table("persons", &[])]);
    let err = diff(
        &models,
        &db,
        &ExactCompare,
        &Renames::default().table("ghosts", "persons"),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "migration error: cannot apply the declared rename: no table \"ghosts\" in the database"
    );
    let err = diff(
        &models,
        &db,
        &ExactCompare,
        &Renames::default()
            .table("people", "persons")
            .column("persons", "nick", "handle"),
    )
    .unwrap_err();
    assert!(
        err.to_string().ends_with("no column \"persons\".\"nick\""),
        "{err}"
    );
}

#[test]
fn a_renamed_table_keeps_foreign_keys_pointing_at_it() {
    let db = md(vec![
        table("people", &[]),
        table("pets", &[("owner_id", "people")]),
    ]);
    let models = md(vec![
        table("persons", &[]),
        table("pets", &[("owner_id", "persons")]),
    ]);
    let plan = diff(
        &models,
        &db,
        &ExactCompare,
        &Renames::default().table("people", "persons"),
    )
    .unwrap();
    let ops: Vec<String> = plan.operations().map(Operation::describe).collect();
    assert_eq!(ops, ["rename table \"people\" to \"persons\""]);
}
