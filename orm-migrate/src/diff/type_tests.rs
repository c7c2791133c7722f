//! The diff of enum types, CHECK constraints and index options, on metadata built
//! by hand.

use super::*;
use crate::ops::Operation;
use orm_core::statement::LabelPosition;
use orm_core::{CheckConstraint, Column, EnumType, Index, SqlType, Table};

fn status(labels: &[&str]) -> SqlType {
    SqlType::Enum(EnumType::new("status", labels))
}

fn md(tables: Vec<Table>) -> MetaData {
    let mut md = MetaData::new();
    for t in tables {
        md.add_table(t);
    }
    md
}

fn orders(status_type: SqlType) -> Table {
    Table::new(
        "orders",
        vec![
            Column::new("id", SqlType::Integer).primary_key(),
            Column::new("status", status_type),
        ],
    )
}

fn plan(models: &MetaData, db: &MetaData) -> Plan {
    diff(models, db, &ExactCompare, &Renames::default()).unwrap()
}

fn described(plan: &Plan) -> Vec<String> {
    plan.operations().map(Operation::describe).collect()
}

#[test]
fn a_new_type_comes_before_its_table_and_a_gone_one_after_everything() {
    let models = md(vec![orders(status(&["new", "paid"]))]);
    assert_eq!(
        described(&plan(&models, &MetaData::new())),
        [
            "create enum type \"status\" (new, paid)",
            "create table \"orders\""
        ]
    );
    let mut db = md(vec![orders(status(&["new"]))]);
    db.add_enum(EnumType::new("unused", &["x"]));
    let models = md(vec![orders(SqlType::Text)]);
    assert_eq!(
        described(&plan(&models, &db)),
        [
            "alter column \"orders\".\"status\": type Text()",
            "drop enum type \"status\"",
            "drop enum type \"unused\"",
        ]
    );
}

#[test]
fn new_labels_are_added_in_place_and_only_those() {
    let db = md(vec![orders(status(&["b", "d"]))]);
    let models = md(vec![orders(status(&["a", "b", "c", "d", "e"]))]);
    let plan = plan(&models, &db);
    let added: Vec<(String, LabelPosition)> = plan
        .operations()
        .map(|op| match op {
            Operation::AddEnumValue {
                label, position, ..
            } => (label.clone(), position.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    use LabelPosition::{After, Before};
    assert_eq!(
        added,
        [
            ("a".into(), Before("b".into())),
            ("c".into(), After("b".into())),
            ("e".into(), After("d".into())),
        ],
        "the column keeps its type: enums compare by name"
    );
    assert!(plan.steps[0].warnings[0].contains("only once this migration has committed"));
    let script = plan.render(&orm_core::dialect::GenericDialect, "t");
    assert!(script
        .up
        .contains("ALTER TYPE \"status\" ADD VALUE 'a' BEFORE 'b';"));
    assert!(
        script
            .down
            .contains("-- WARNING: PostgreSQL cannot remove a label from an enum type: down leaves 'a' in \"status\""),
        "{}",
        script.down
    );
}

#[test]
fn removed_or_reordered_labels_are_a_note() {
    let db = md(vec![orders(status(&["a", "b", "c"]))]);
    for labels in [&["a", "c"][..], &["b", "a", "c"]] {
        let plan = plan(&md(vec![orders(status(labels))]), &db);
        assert!(plan.is_empty(), "{:?}", described(&plan));
        assert_eq!(plan.notes.len(), 1);
        assert!(
            plan.notes[0].starts_with("enum type \"status\" has labels (a, b, c) in the database"),
            "{}",
            plan.notes[0]
        );
    }
}

#[test]
fn checks_are_matched_by_condition_and_added_ones_named_freely() {
    let mut db = orders(SqlType::Text);
    db.checks.push(CheckConstraint {
        name: Some("orders_check".into()),
        expr: "id > 0".into(),
    });
    db.checks.push(CheckConstraint {
        name: Some("orders_check1".into()),
        expr: "status <> ''".into(),
    });
    let models = orders(SqlType::Text)
        .with_check("id > 0")
        .with_check("length(status) < 10");
    let plan = plan(&md(vec![models]), &md(vec![db]));
    assert_eq!(
        described(&plan),
        [
            "drop check constraint \"orders_check1\" on \"orders\"",
            "add check constraint \"orders_check2\" on \"orders\"",
        ]
    );
}

#[test]
fn an_index_whose_method_or_condition_changed_is_recreated() {
    let with = |ix: Index| md(vec![orders(SqlType::Text).with_index(ix)]);
    let plain = Index::new("ix_orders_status", &["status"]);
    let btree = with(plain.clone().using("btree"));
    assert!(
        plan(&btree, &with(plain.clone())).is_empty(),
        "btree is the default"
    );
    let partial = with(plain.clone().predicate("status <> 'x'"));
    assert_eq!(
        described(&plan(&partial, &with(plain.clone()))),
        [
            "drop index \"ix_orders_status\"",
            "create index \"ix_orders_status\""
        ]
    );
    assert_eq!(
        described(&plan(&with(plain.clone().using("hash")), &with(plain))),
        [
            "drop index \"ix_orders_status\"",
            "create index \"ix_orders_status\""
        ]
    );
}
