//! Never hang: a `read()` or `write()` guard held across a session call that needs
//! the instance gives a typed error naming the instance, before any SQL, and the
//! session works normally once the guard is dropped.

use crate::common;

use common::*;
use orm_core::{Error, InstanceState, Model};

/// The borrowed instance named by the error, checked to be the expected one.
fn assert_borrowed(err: Error, model: &str, key: &str) {
    let text = err.to_string();
    match err {
        Error::InstanceBorrowed {
            model: m, key: k, ..
        } => {
            assert_eq!((m.as_str(), k.as_str()), (model, key), "{text}");
        }
        other => panic!("expected InstanceBorrowed, got {other:?}"),
    }
    assert!(text.contains("drop the guard"), "says what to do: {text}");
}

#[test]
fn commit_while_a_write_guard_is_alive_is_refused_then_works() {
    let (db, session, log) = setup("guards_commit_write");
    let a = session.add(author("w@example.com"));
    session.commit().unwrap();
    let id = format!("({})", a.read().id.unwrap());

    let mut guard = a.write();
    guard.firstname = Some("Held".into());
    log.clear();
    assert_borrowed(session.commit().unwrap_err(), "Author", &id);
    assert!(log.is_empty(), "nothing was sent: {:#?}", log.statements());
    drop(guard);

    session.commit().unwrap();
    assert_eq!(db.query_text("SELECT firstname FROM authors"), [["Held"]]);
}

#[test]
fn flush_of_a_new_object_under_a_read_guard_is_refused() {
    let (db, session, log) = setup("guards_flush_read");
    let a = session.add(author("r@example.com"));
    let guard = a.read();
    assert_borrowed(session.flush().unwrap_err(), "Author", "(new)");
    assert!(log.is_empty(), "{:#?}", log.statements());
    drop(guard);
    session.flush().unwrap();
    assert_eq!(a.state(), InstanceState::Persistent);
    session.commit().unwrap();
    assert_eq!(db.count("authors"), 1);
}

#[test]
fn a_query_that_would_autoflush_is_refused() {
    let (_db, session, _log) = setup("guards_query");
    let a = session.add(author("q@example.com"));
    session.commit().unwrap();
    let mut guard = a.write();
    guard.lastname = Some("Q".into());
    let err = session.query::<Author>().all().unwrap_err();
    assert!(matches!(err, Error::InstanceBorrowed { .. }), "{err:?}");
    drop(guard);
    let all = session.query::<Author>().all().unwrap();
    assert_eq!(all[0].read().lastname.as_deref(), Some("Q"));
}

#[test]
fn a_guard_on_an_instance_the_call_does_not_need_is_fine() {
    let (_db, session, _log) = setup("guards_unrelated");
    let a = session.add(author("u@example.com"));
    let b = session.add(author("v@example.com"));
    session.commit().unwrap();
    let guard = a.read();
    b.write().firstname = Some("B".into());
    session.commit().unwrap();
    let found = session.query::<Author>().all().unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(guard.email, "u@example.com");
}

#[test]
fn rollback_under_a_write_guard_is_refused_and_loses_nothing() {
    let (_db, session, _log) = setup("guards_rollback");
    let a = session.add(author("b@example.com"));
    session.commit().unwrap();
    a.write().firstname = Some("Unflushed".into());
    let guard = a.write();
    assert!(matches!(
        session.rollback(),
        Err(Error::InstanceBorrowed { .. })
    ));
    drop(guard);
    assert_eq!(a.read().firstname.as_deref(), Some("Unflushed"));
    session.rollback().unwrap();
    assert_eq!(a.read().firstname, None);
}

#[test]
fn refresh_and_relationship_links_under_a_guard_are_refused() {
    let (_db, session, _log) = setup("guards_refresh");
    let ezz = session.add(author("e@example.com"));
    let art = session.add(article("guarded", "Guarded"));
    session.commit().unwrap();
    let guard = ezz.write();
    assert!(matches!(
        session.refresh(&ezz),
        Err(Error::InstanceBorrowed { .. })
    ));
    drop(guard);
    let guard = art.read();
    let err = session.link(&art, Article::author_id, &ezz).unwrap_err();
    assert!(matches!(err, Error::InstanceBorrowed { .. }), "{err:?}");
    drop(guard);
    session.link(&art, Article::author_id, &ezz).unwrap();
    session.commit().unwrap();
    assert_eq!(art.read().author_id, ezz.read().id);
}

#[test]
fn the_error_names_a_composite_or_text_key() {
    let (_db, session, _log) = setup("guards_text_key");
    let c = session.add(Country {
        code: "NZ".into(),
        name: "New Zealand".into(),
    });
    session.commit().unwrap();
    let mut guard = c.write();
    guard.name = "Aotearoa".into();
    let err = session.flush().unwrap_err();
    assert_borrowed(err, "Country", "(\"NZ\")");
    drop(guard);
    session.commit().unwrap();
    assert_eq!(Country::table().name, "countries");
}
