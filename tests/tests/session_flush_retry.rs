//! A flush that fails before it writes anything (here: the pooled connection it gets
//! was killed while the session was idle) keeps its changes for the next flush.

use crate::common;

use common::*;
use orm_core::Error;

#[test]
fn a_flush_that_could_not_begin_keeps_its_changes() {
    let (db, session, _log) = setup("retry_dead_connection");
    let a = session.add(author("r@example.com"));
    session.flush().unwrap();
    let pid = session
        .query_compiled(&orm_core::Compiled {
            sql: "SELECT pg_backend_pid()".into(),
            params: vec![],
        })
        .unwrap()[0]
        .get(0)
        .and_then(|v| v.as_i64())
        .unwrap();
    session.commit().unwrap();
    // The connection is back in the pool, idle: kill it (this test's own backend).
    db.query_strings(&format!("SELECT pg_terminate_backend({pid})"));

    a.write().firstname = Some("Kept".into());
    match session.commit() {
        // A pool that checks connections on checkout replaced the dead one.
        Ok(()) => {}
        Err(e) => {
            assert!(matches!(e, Error::ConnectionLost(_)), "{e:?}");
            assert!(a.is_modified());
            session.commit().unwrap();
        }
    }
    assert_eq!(db.query_text("SELECT firstname FROM authors"), [["Kept"]]);
}
