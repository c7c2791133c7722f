//! A relationship whose foreign key is ambiguous or missing fails at metadata set-up,
//! with a typed error naming both tables, before any SQL is sent.

use orm_core::prelude::*;
use orm_core::Error;
use tests::TestDb;

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "people")]
#[orm(has_many(messages = Message, backref = "someone"))]
pub struct Person {
    #[orm(primary_key)]
    pub id: Option<i32>,
}

/// Two foreign keys to `people`: the relationship above cannot tell which one it uses.
#[derive(Model, Clone, Debug, Default)]
#[orm(table = "messages")]
pub struct Message {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(foreign_key = "people.id")]
    pub sender_id: Option<i32>,
    #[orm(foreign_key = "people.id")]
    pub recipient_id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "boxes")]
#[orm(has_many(letters = Letter, backref = "mailbox", foreign_key = "box_id"))]
pub struct Mailbox {
    #[orm(primary_key)]
    pub id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "letters")]
pub struct Letter {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(foreign_key = "boxes.id")]
    pub box_id: Option<i32>,
    #[orm(foreign_key = "boxes.id")]
    pub forwarded_to: Option<i32>,
}

#[test]
fn ambiguous_relationship_fails_create_all_before_any_sql() {
    let db = TestDb::new("rel_setup_ambiguous");
    let log = StatementLog::attach(&db.engine);
    let err = MetaData::new()
        .with::<Person>()
        .with::<Message>()
        .create_all(&db.engine)
        .unwrap_err();
    match err {
        Error::Schema(msg) => {
            assert!(msg.contains("messages") && msg.contains("people"), "{msg}");
            assert!(msg.contains("foreign_key"), "says what to add: {msg}");
        }
        other => panic!("expected Error::Schema, got {other:?}"),
    }
    assert!(log.is_empty(), "{:#?}", log.statements());
    assert!(db.tables().is_empty());
}

#[test]
fn naming_the_foreign_key_resolves_it() {
    let db = TestDb::new("rel_setup_named");
    MetaData::new()
        .with::<Mailbox>()
        .with::<Letter>()
        .create_all(&db.engine)
        .unwrap();
    let session = db.engine.session();
    let mailbox = session.add(Mailbox::default());
    let letter = session.add(Letter::default());
    mailbox.append(Mailbox::letters, &letter).unwrap();
    session.commit().unwrap();
    assert_eq!(letter.read().box_id, mailbox.read().id);
    assert_eq!(letter.read().forwarded_to, None);
}
