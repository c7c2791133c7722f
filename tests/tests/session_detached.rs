//! No change is lost across detaching: an instance expunged (or whose session was
//! dropped), changed while detached, then attached again has those changes written
//! at the next flush, as SQLAlchemy's `add()` of a detached object does.

use crate::common;

use common::*;
use orm_core::InstanceState;

/// The UPDATE statements recorded.
fn updates(log: &orm_core::StatementLog) -> Vec<String> {
    dml(log)
        .into_iter()
        .filter(|s| s.starts_with("UPDATE"))
        .collect()
}

#[test]
fn a_change_made_while_detached_is_written_after_attach() {
    let (db, session, log) = setup("detached_change");
    let a = session.add(author("d@example.com"));
    session.commit().unwrap();

    session.expunge(&a);
    assert_eq!(a.state(), InstanceState::Detached);
    a.write().firstname = Some("Offline".into());
    session.attach(&a).unwrap();
    assert_eq!(a.state(), InstanceState::Persistent);
    assert!(a.is_modified());
    log.clear();
    session.commit().unwrap();

    let sent = updates(&log);
    assert_eq!(sent.len(), 1, "{sent:#?}");
    assert!(sent[0].contains("\"firstname\""), "{}", sent[0]);
    assert!(
        !sent[0].contains("\"email\""),
        "only the changed column: {}",
        sent[0]
    );
    assert_eq!(
        db.query_text("SELECT firstname FROM authors"),
        vec![vec!["Offline".to_owned()]]
    );
}

#[test]
fn a_change_made_before_expunge_survives_it() {
    let (db, session, _log) = setup("detached_before");
    let a = session.add(author("b@example.com"));
    session.commit().unwrap();

    a.write().lastname = Some("Unflushed".into());
    session.expunge(&a);
    session.attach(&a).unwrap();
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT lastname FROM authors"),
        vec![vec!["Unflushed".to_owned()]]
    );
}

#[test]
fn an_instance_outliving_its_session_carries_its_change_to_the_next() {
    let (db, first, _log) = setup("detached_new_session");
    let a = first.add(author("n@example.com"));
    first.commit().unwrap();
    drop(first);
    assert_eq!(a.state(), InstanceState::Detached);

    a.write().firstname = Some("Moved".into());
    let second = db.engine.session();
    second.attach(&a).unwrap();
    second.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT firstname FROM authors"),
        vec![vec!["Moved".to_owned()]]
    );
    // Once written, the instance is clean in its new session.
    assert!(!a.is_modified());
}

#[test]
fn attaching_an_unchanged_detached_instance_sends_nothing() {
    let (_db, session, log) = setup("detached_unchanged");
    let a = session.add(author("u@example.com"));
    session.commit().unwrap();
    session.expunge(&a);
    session.attach(&a).unwrap();
    log.clear();
    session.commit().unwrap();
    assert!(dml(&log).is_empty(), "{:#?}", log.statements());
}

#[test]
fn a_change_reverted_while_detached_sends_nothing() {
    let (_db, session, log) = setup("detached_reverted");
    let a = session.add(author("r@example.com"));
    session.commit().unwrap();
    session.expunge(&a);
    a.write().firstname = Some("Temporary".into());
    a.write().firstname = None;
    session.attach(&a).unwrap();
    log.clear();
    session.commit().unwrap();
    assert!(updates(&log).is_empty(), "{:#?}", log.statements());
}
