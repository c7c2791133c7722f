//! Failures: a failed flush leaves nothing half-written, the session demands
//! `rollback()`, and afterwards instances are in the documented state.

use crate::common;

use common::*;
use orm_core::{Error, InstanceState};

#[test]
fn unique_violation_mid_flush_writes_nothing_and_requires_rollback() {
    let (db, session, _log) = setup("fault_unique");
    let existing = session.add(article("taken", "First"));
    session.commit().unwrap();

    // An author (its INSERT succeeds) and an article whose INSERT then fails.
    let ezz = session.add(author("ezz@example.com"));
    let dup = session.add(article("taken", "Second"));
    session.link(&dup, Article::author_id, &ezz).unwrap();
    let err = session.flush().unwrap_err();
    match &err {
        Error::UniqueViolation(info) => {
            assert_eq!(info.table.as_deref(), Some("articles"));
            assert!(
                info.constraint.as_deref().unwrap_or("").contains("slug"),
                "{info:?}"
            );
        }
        other => panic!("expected UniqueViolation, got {other:?}"),
    }
    // Nothing of that flush reached the database (the author insert was rolled back).
    assert_eq!(db.count("authors"), 0);
    // Generated values written back during the failed flush were undone.
    assert_eq!(ezz.read().id, None);
    assert_eq!(dup.read().author_id, None);

    // Every call now says the session must be rolled back.
    assert!(matches!(session.flush(), Err(Error::PendingRollback(_))));
    assert!(matches!(
        session.query::<Article>().all(),
        Err(Error::PendingRollback(_))
    ));
    assert!(matches!(session.commit(), Err(Error::PendingRollback(_))));

    session.rollback().unwrap();
    // Pending objects were expunged; the committed one is still persistent.
    assert_eq!(session.state(&ezz), InstanceState::Transient);
    assert_eq!(session.state(&dup), InstanceState::Transient);
    assert_eq!(session.state(&existing), InstanceState::Persistent);
    // The session is usable again.
    session.add(article("fresh", "Third"));
    session.commit().unwrap();
    assert_eq!(db.count("articles"), 2);
}

#[test]
fn not_null_violation_is_typed() {
    let (_db, session, _log) = setup("fault_not_null");
    // `title` is NOT NULL in the schema; write NULL through raw SQL in the session.
    let err = session
        .execute_sql(
            "INSERT INTO articles (slug, title) VALUES ($1, NULL)",
            &["x".into()],
        )
        .unwrap_err();
    match err {
        Error::NotNullViolation(info) => {
            assert_eq!(info.table.as_deref(), Some("articles"));
            assert_eq!(info.column.as_deref(), Some("title"));
        }
        other => panic!("expected NotNullViolation, got {other:?}"),
    }
    assert!(matches!(session.flush(), Err(Error::PendingRollback(_))));
    session.rollback().unwrap();
}

#[test]
fn foreign_key_violation_in_flush_is_typed_and_rolled_back() {
    let (db, session, _log) = setup("fault_fk");
    session.add(author("ok@example.com"));
    session.add(Article {
        author_id: Some(999_999),
        ..article("orphan", "Orphan")
    });
    let err = session.commit().unwrap_err();
    match err {
        Error::ForeignKeyViolation(info) => assert_eq!(info.table.as_deref(), Some("articles")),
        other => panic!("expected ForeignKeyViolation, got {other:?}"),
    }
    session.rollback().unwrap();
    assert_eq!(db.count("authors"), 0);
}

#[test]
fn rollback_discards_unflushed_and_flushed_changes_of_persistent_instances() {
    let (db, session, _log) = setup("fault_rollback_values");
    let a = session.add(author("before@example.com"));
    session.commit().unwrap();

    a.write().email = "flushed@example.com".into();
    session.flush().unwrap();
    a.write().firstname = Some("unflushed".into());
    session.rollback().unwrap();

    assert_eq!(a.read().email, "before@example.com");
    assert_eq!(a.read().firstname, None);
    assert_eq!(session.state(&a), InstanceState::Persistent);
    assert!(!a.is_modified());
    assert_eq!(
        db.query_strings("SELECT email FROM authors")[0][0].as_deref(),
        Some("before@example.com")
    );
}

#[test]
fn rollback_makes_rows_inserted_in_the_transaction_transient_again() {
    let (db, session, _log) = setup("fault_rollback_inserted");
    let a = session.add(author("temp@example.com"));
    session.flush().unwrap();
    assert!(a.read().id.is_some());
    session.rollback().unwrap();
    assert_eq!(session.state(&a), InstanceState::Transient);
    assert_eq!(a.read().id, None, "the generated key is cleared");
    // Adding it again inserts it again.
    session.attach(&a).unwrap();
    session.commit().unwrap();
    assert_eq!(db.count("authors"), 1);
}

#[test]
fn rollback_restores_deleted_instances() {
    let (db, session, _log) = setup("fault_rollback_deleted");
    let a = session.add(author("keep@example.com"));
    session.commit().unwrap();
    session.delete(&a).unwrap();
    session.flush().unwrap();
    assert_eq!(session.state(&a), InstanceState::Deleted);
    session.rollback().unwrap();
    assert_eq!(session.state(&a), InstanceState::Persistent);
    let id = a.read().id.unwrap();
    let again = session.get::<Author>(id).unwrap().unwrap();
    assert!(again.ptr_eq(&a));
    assert_eq!(db.count("authors"), 1);
}

#[test]
fn stale_data_when_the_row_vanished() {
    let (db, session, _log) = setup("fault_stale");
    let a = session.add(author("gone@example.com"));
    session.commit().unwrap();
    db.query_strings("DELETE FROM authors");
    a.write().email = "new@example.com".into();
    match session.flush() {
        Err(Error::StaleData(msg)) => assert!(msg.contains("authors"), "{msg}"),
        other => panic!("expected StaleData, got {other:?}"),
    }
    session.rollback().unwrap();
}

#[test]
fn dropping_a_session_without_commit_rolls_back() {
    let (db, session, _log) = setup("fault_drop");
    session.add(author("never@example.com"));
    session.flush().unwrap();
    drop(session);
    assert_eq!(db.count("authors"), 0);
    // The pooled connection is clean: a new session works.
    let s2 = db.engine.session();
    s2.add(author("later@example.com"));
    s2.commit().unwrap();
    assert_eq!(db.count("authors"), 1);
}

#[test]
fn lost_connection_is_typed_and_commits_nothing() {
    let (db, session, _log) = setup("fault_conn_lost");
    session.add(author("a@example.com"));
    session.flush().unwrap();
    let pid = session
        .query_compiled(&orm_core::Compiled {
            sql: "SELECT pg_backend_pid()".into(),
            params: vec![],
        })
        .unwrap()[0]
        .get(0)
        .cloned()
        .unwrap();
    let pid = pid.as_i64().unwrap();
    db.query_strings(&format!("SELECT pg_terminate_backend({pid})"));

    session.add(author("b@example.com"));
    let err = session.commit().unwrap_err();
    assert!(matches!(err, Error::ConnectionLost(_)), "{err:?}");
    session.rollback().unwrap();
    assert_eq!(db.count("authors"), 0);
    // The engine hands out a fresh connection afterwards.
    session.add(author("c@example.com"));
    session.commit().unwrap();
    assert_eq!(db.count("authors"), 1);
}

#[test]
fn savepoint_rollback_undoes_only_the_nested_work() {
    let (db, session, _log) = setup("fault_savepoint");
    let outer = session.add(author("outer@example.com"));
    session.flush().unwrap();
    {
        let sp = session.begin_nested().unwrap();
        let inner = session.add(author("inner@example.com"));
        outer.write().firstname = Some("changed".into());
        session.flush().unwrap();
        sp.rollback().unwrap();
        assert_eq!(session.state(&inner), InstanceState::Transient);
    }
    assert_eq!(outer.read().firstname, None);
    let sp = session.begin_nested().unwrap();
    session.add(author("kept@example.com"));
    sp.commit().unwrap();
    session.commit().unwrap();
    let rows = db.query_strings("SELECT email FROM authors ORDER BY email");
    assert_eq!(
        rows,
        vec![
            vec![Some("kept@example.com".into())],
            vec![Some("outer@example.com".into())]
        ]
    );
}

#[test]
fn failed_flush_inside_a_savepoint_rolls_back_to_it() {
    let (db, session, _log) = setup("fault_savepoint_flush");
    session.add(article("taken", "T"));
    session.flush().unwrap();
    let sp = session.begin_nested().unwrap();
    session.add(article("taken", "Again"));
    assert!(matches!(session.flush(), Err(Error::UniqueViolation(_))));
    sp.rollback().unwrap();
    session.commit().unwrap();
    assert_eq!(db.count("articles"), 1);
}
