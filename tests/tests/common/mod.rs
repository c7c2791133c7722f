//! Models and set-up shared by the session, query and relationship tests.
#![allow(dead_code)]

use chrono::NaiveDateTime;
use orm_core::{MetaData, Model, Session, StatementLog};
use tests::TestDb;

pub fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "authors")]
pub struct Author {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(length = 100)]
    pub firstname: Option<String>,
    #[orm(length = 100)]
    pub lastname: Option<String>,
    #[orm(length = 255)]
    pub email: String,
    #[orm(default = now)]
    pub joined: Option<NaiveDateTime>,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "articles")]
pub struct Article {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(length = 100, unique)]
    pub slug: String,
    #[orm(length = 100)]
    pub title: String,
    #[orm(default = now)]
    pub created_on: Option<NaiveDateTime>,
    #[orm(default = now, onupdate = now)]
    pub updated_on: Option<NaiveDateTime>,
    pub content: Option<String>,
    #[orm(foreign_key = "authors.id", on_delete = "cascade")]
    pub author_id: Option<i32>,
}

/// A self-referencing table (a tree).
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "categories")]
pub struct Category {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub name: String,
    #[orm(foreign_key = "categories.id")]
    pub parent_id: Option<i32>,
}

/// A natural (user-assigned) primary key.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "countries")]
pub struct Country {
    #[orm(primary_key)]
    pub code: String,
    pub name: String,
}

pub fn metadata() -> MetaData {
    MetaData::new()
        .with::<Author>()
        .with::<Article>()
        .with::<Category>()
        .with::<Country>()
}

/// A fresh schema with the tables created, a session, and a statement log attached
/// after the set-up (so it records only what the test does).
pub fn setup(name: &str) -> (TestDb, Session, StatementLog) {
    let db = TestDb::new(name);
    metadata().create_all(&db.engine).expect("create_all");
    let log = StatementLog::attach(&db.engine);
    let session = db.engine.session();
    (db, session, log)
}

/// The data statements recorded (no BEGIN/COMMIT/ROLLBACK/SAVEPOINT).
pub fn dml(log: &StatementLog) -> Vec<String> {
    log.statements()
        .into_iter()
        .filter(|s| {
            let s = s.trim_start();
            [
                "SELECT", "INSERT", "UPDATE", "DELETE", "DECLARE", "FETCH", "CLOSE",
            ]
            .iter()
            .any(|k| s.starts_with(k))
        })
        .collect()
}

pub fn author(email: &str) -> Author {
    Author {
        email: email.into(),
        ..Default::default()
    }
}

pub fn article(slug: &str, title: &str) -> Article {
    Article {
        slug: slug.into(),
        title: title.into(),
        content: Some("Lorem ipsum".into()),
        ..Default::default()
    }
}
