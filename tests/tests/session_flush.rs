//! The unit of work: what a flush sends, in which order, and what it writes back.

use crate::common;

use common::*;
use orm_core::{InstanceState, Value};

#[test]
fn flush_inserts_parents_before_children_and_fills_foreign_keys() {
    let (db, session, log) = setup("flush_order");
    // Added child first: the plan must still insert the author first.
    let a1 = session.add(article("clean-python", "How to Write Clean Python"));
    let ezz = session.add(author("ezz@example.com"));
    session
        .link(&a1, Article::author_id, &ezz)
        .expect("link before either has an id");
    assert_eq!(a1.read().id, None);
    session.flush().unwrap();

    let stmts = dml(&log);
    assert_eq!(stmts.len(), 2, "{stmts:#?}");
    assert!(
        stmts[0].starts_with("INSERT INTO \"authors\""),
        "{}",
        stmts[0]
    );
    assert!(
        stmts[1].starts_with("INSERT INTO \"articles\""),
        "{}",
        stmts[1]
    );
    assert!(stmts[1].contains("RETURNING \"id\""), "{}", stmts[1]);

    let author_id = ezz.read().id.expect("generated key read back");
    assert_eq!(a1.read().author_id, Some(author_id));
    assert!(a1.read().id.is_some());
    assert!(a1.read().created_on.is_some(), "Rust-side default applied");
    assert_eq!(session.state(&a1), InstanceState::Persistent);
    session.commit().unwrap();
    let rows = db.query_strings("SELECT slug, author_id::text FROM articles");
    assert_eq!(
        rows,
        vec![vec![
            Some("clean-python".into()),
            Some(author_id.to_string())
        ]]
    );
}

#[test]
fn self_referencing_rows_are_inserted_parent_first() {
    let (db, session, log) = setup("flush_tree");
    let leaf = session.add(Category {
        name: "leaf".into(),
        ..Default::default()
    });
    let mid = session.add(Category {
        name: "mid".into(),
        ..Default::default()
    });
    let root = session.add(Category {
        name: "root".into(),
        ..Default::default()
    });
    session.link(&leaf, Category::parent_id, &mid).unwrap();
    session.link(&mid, Category::parent_id, &root).unwrap();
    session.commit().unwrap();

    let inserts: Vec<String> = dml(&log)
        .into_iter()
        .filter(|s| s.starts_with("INSERT"))
        .collect();
    assert_eq!(inserts.len(), 3, "one INSERT per tree level: {inserts:#?}");
    let rows = db.query_strings(
        "SELECT c.name, p.name FROM categories c LEFT JOIN categories p ON p.id = c.parent_id ORDER BY c.id",
    );
    assert_eq!(
        rows,
        vec![
            vec![Some("root".into()), None],
            vec![Some("mid".into()), Some("root".into())],
            vec![Some("leaf".into()), Some("mid".into())],
        ]
    );
}

#[test]
fn many_inserts_into_one_table_are_one_statement_per_batch() {
    let (db, session, log) = setup("flush_batch");
    let handles =
        session.add_all((0..2500).map(|i| article(&format!("slug-{i}"), &format!("title {i}"))));
    session.flush().unwrap();
    let inserts: Vec<String> = dml(&log)
        .into_iter()
        .filter(|s| s.starts_with("INSERT"))
        .collect();
    // 1,000 rows per statement: 2,500 rows take 3 statements.
    assert_eq!(inserts.len(), 3);
    let ids: Vec<i32> = handles.iter().map(|h| h.read().id.unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), 2500, "every row got its own id back");
    session.commit().unwrap();
    assert_eq!(db.count("articles"), 2500);
    // Ids were read back in row order.
    let first = db.query_strings(&format!(
        "SELECT slug FROM articles WHERE id = {}",
        ids[1234]
    ));
    assert_eq!(first[0][0].as_deref(), Some("slug-1234"));
}

#[test]
fn small_batch_is_a_single_insert() {
    let (_db, session, log) = setup("flush_single");
    session.add_all((0..300).map(|i| author(&format!("a{i}@example.com"))));
    session.flush().unwrap();
    assert_eq!(dml(&log).len(), 1);
}

#[test]
fn update_lists_only_the_changed_column_and_onupdate_columns() {
    let (db, session, log) = setup("flush_update");
    let a = session.add(article("s", "Old"));
    session.flush().unwrap();
    let created = a.read().updated_on;
    log.clear();
    a.write().title = "New".into();
    session.flush().unwrap();
    let entries: Vec<(String, Vec<Value>)> = log
        .entries()
        .into_iter()
        .filter(|(s, _)| s.starts_with("UPDATE"))
        .collect();
    assert_eq!(entries.len(), 1);
    let (sql, params) = &entries[0];
    assert!(sql.contains("\"title\""), "{sql}");
    assert!(
        sql.contains("\"updated_on\""),
        "onupdate column is set: {sql}"
    );
    assert!(
        !sql.contains("\"slug\""),
        "unchanged column not sent: {sql}"
    );
    assert!(
        !sql.contains("\"content\""),
        "unchanged column not sent: {sql}"
    );
    assert!(params.contains(&Value::Text("New".into())));
    assert!(a.read().updated_on >= created);
    session.commit().unwrap();
    assert_eq!(
        db.query_strings("SELECT title FROM articles")[0][0].as_deref(),
        Some("New")
    );
}

#[test]
fn many_updates_of_one_shape_are_one_statement() {
    let (db, session, log) = setup("flush_update_batch");
    let hs = session.add_all((0..50).map(|i| author(&format!("a{i}@x.org"))));
    session.commit().unwrap();
    log.clear();
    for (i, h) in hs.iter().enumerate() {
        h.write().firstname = Some(format!("name {i}"));
    }
    session.commit().unwrap();
    let updates: Vec<String> = dml(&log)
        .into_iter()
        .filter(|s| s.starts_with("UPDATE"))
        .collect();
    assert_eq!(updates.len(), 1, "{updates:#?}");
    assert!(updates[0].contains("FROM (VALUES"), "{}", updates[0]);
    let rows = db.query_strings("SELECT count(*) FROM authors WHERE firstname LIKE 'name %'");
    assert_eq!(rows[0][0].as_deref(), Some("50"));
}

#[test]
fn unchanged_objects_and_empty_flushes_send_nothing() {
    let (_db, session, log) = setup("flush_nothing");
    let a = session.add(author("x@y.z"));
    session.commit().unwrap();
    log.clear();
    session.flush().unwrap();
    {
        // A write that changes nothing.
        let mut w = a.write();
        w.email = "x@y.z".into();
    }
    assert!(a.is_modified());
    session.flush().unwrap();
    session.commit().unwrap();
    assert!(dml(&log).is_empty(), "{:#?}", log.statements());
    assert!(!a.is_modified());
}

#[test]
fn delete_is_flushed_children_first() {
    let (db, session, log) = setup("flush_delete");
    let ezz = session.add(author("e@x"));
    let a1 = session.add(article("a1", "A1"));
    session.link(&a1, Article::author_id, &ezz).unwrap();
    session.commit().unwrap();
    log.clear();
    session.delete(&ezz).unwrap();
    session.delete(&a1).unwrap();
    session.flush().unwrap();
    let stmts = dml(&log);
    assert_eq!(stmts.len(), 2, "{stmts:#?}");
    assert!(
        stmts[0].starts_with("DELETE FROM \"articles\""),
        "{}",
        stmts[0]
    );
    assert!(
        stmts[1].starts_with("DELETE FROM \"authors\""),
        "{}",
        stmts[1]
    );
    assert_eq!(session.state(&ezz), InstanceState::Deleted);
    session.commit().unwrap();
    assert_eq!(session.state(&ezz), InstanceState::Detached);
    assert_eq!(db.count("authors"), 0);
}

#[test]
fn natural_primary_key_can_be_changed() {
    let (db, session, _log) = setup("flush_natural_key");
    let c = session.add(Country {
        code: "UK".into(),
        name: "United Kingdom".into(),
    });
    session.commit().unwrap();
    c.write().code = "GB".into();
    session.commit().unwrap();
    assert_eq!(
        db.query_strings("SELECT code FROM countries"),
        vec![vec![Some("GB".into())]]
    );
    let again = session
        .get::<Country>("GB")
        .unwrap()
        .expect("re-keyed in the identity map");
    assert!(again.ptr_eq(&c));
    assert!(session.get::<Country>("UK").unwrap().is_none());
}

#[test]
fn defaults_are_applied_only_when_missing() {
    let (_db, session, _log) = setup("flush_defaults");
    let fixed = chrono::NaiveDate::from_ymd_opt(2022, 8, 29)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let a = session.add(Article {
        created_on: Some(fixed),
        ..article("a2", "Metadata")
    });
    session.flush().unwrap();
    assert_eq!(a.read().created_on, Some(fixed));
    assert!(a.read().updated_on.is_some());
}

#[test]
fn bulk_update_sets_onupdate_columns_too() {
    let (db, session, log) = setup("flush_bulk_onupdate");
    let a = session.add(article("s", "T"));
    session.commit().unwrap();
    db.execute_raw("UPDATE articles SET updated_on = '2000-01-01'");
    session.refresh(&a).unwrap();
    let old = a.read().updated_on.unwrap();
    log.clear();
    let n = session
        .query::<Article>()
        .filter(Article::slug.eq("s"))
        .update([Article::title.set("U")])
        .unwrap();
    assert_eq!(n, 1);
    let update = dml(&log)
        .into_iter()
        .find(|s| s.starts_with("UPDATE"))
        .unwrap();
    assert!(update.contains("\"updated_on\" = $"), "{update}");
    assert!(a.read().updated_on.unwrap() > old, "synchronized in memory");
    assert_eq!(a.read().title, "U");
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT title, (updated_on > '2000-01-01')::text FROM articles"),
        [["U", "true"]]
    );
}
