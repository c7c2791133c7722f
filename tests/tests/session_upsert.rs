//! Upsert through the session: INSERT ... ON CONFLICT, results through the identity map.

use crate::common;

use common::*;
use orm_core::{Error, InstanceState, OnConflictDo};

#[test]
fn upsert_inserts_new_rows_and_updates_existing_ones_in_one_statement() {
    let (db, session, log) = setup("upsert_update");
    let existing = session.add(article("clean-python", "Old title"));
    session.commit().unwrap();
    let id = existing.read().id;
    log.clear();

    let handles = session
        .upsert(
            vec![
                article("clean-python", "New title"),
                article("fresh", "Fresh"),
            ],
            &["slug"],
            OnConflictDo::Update,
        )
        .unwrap();
    let inserts: Vec<String> = dml(&log)
        .into_iter()
        .filter(|s| s.starts_with("INSERT"))
        .collect();
    assert_eq!(inserts.len(), 1, "{inserts:#?}");
    assert!(
        inserts[0].contains("ON CONFLICT (\"slug\") DO UPDATE SET"),
        "{}",
        inserts[0]
    );

    assert_eq!(handles.len(), 2);
    assert!(
        handles[0].ptr_eq(&existing),
        "the loaded instance is the one returned"
    );
    assert_eq!(
        existing.read().title,
        "New title",
        "and it shows the database's values"
    );
    assert_eq!(existing.read().id, id, "the existing key is kept");
    assert!(handles[1].read().id.is_some());
    assert_eq!(handles[1].state(), InstanceState::Persistent);
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT slug, title FROM articles ORDER BY id"),
        [["clean-python", "New title"], ["fresh", "Fresh"]]
    );
}

#[test]
fn upsert_do_nothing_keeps_existing_rows() {
    let (db, session, _log) = setup("upsert_nothing");
    session.add(article("taken", "Original"));
    session.commit().unwrap();
    let written = session
        .upsert(
            vec![article("taken", "Ignored"), article("new", "New")],
            &["slug"],
            OnConflictDo::Nothing,
        )
        .unwrap();
    assert_eq!(written.len(), 1, "only the inserted row comes back");
    assert_eq!(written[0].read().slug, "new");
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT title FROM articles ORDER BY id"),
        [["Original"], ["New"]]
    );
}

#[test]
fn upsert_rejects_unknown_conflict_columns_and_rollback_forgets_upserted_rows() {
    let (db, session, _log) = setup("upsert_rollback");
    assert!(matches!(
        session.upsert(vec![article("a", "A")], &["nope"], OnConflictDo::Update),
        Err(Error::InvalidRequest(_))
    ));
    let h = session
        .upsert(vec![article("a", "A")], &["slug"], OnConflictDo::Update)
        .unwrap();
    session.rollback().unwrap();
    assert_eq!(h[0].state(), InstanceState::Detached);
    assert_eq!(db.query_text("SELECT count(*) FROM articles"), [["0"]]);
}
