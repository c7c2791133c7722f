//! Quickstart: two models, their tables, then add, query, change and delete rows.
//!
//! `echo: true` prints every statement and its parameters to stderr (no logging
//! set-up needed). Run with `cargo run --example quickstart`; the server comes from
//! `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`).

use orm_core::prelude::*;
use orm_examples::Scratch;

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "authors")]
#[orm(has_many(articles = Article, backref = "author"))]
pub struct Author {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(length = 100)]
    pub name: String,
}

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "articles")]
pub struct Article {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(length = 100, unique)]
    pub slug: String,
    pub title: String,
    #[orm(foreign_key = "authors.id")]
    pub author_id: Option<i32>,
}

pub fn main() -> orm_core::Result<()> {
    let scratch = Scratch::new("quickstart")?; // a schema of its own, dropped at the end
    let options = EngineOptions::default().echo(true);
    let engine = orm_postgres::create_engine_with(scratch.url().clone(), options)?;
    MetaData::new()
        .with::<Author>()
        .with::<Article>()
        .create_all(&engine)?;

    // Add objects; linked before either has an id, the flush fills `author_id`.
    let session = engine.session();
    let ezz = session.add(Author {
        name: "Ezz".into(),
        ..Default::default()
    });
    let article = session.add(Article {
        slug: "clean-python".into(),
        title: "How to Write Clean Python".into(),
        ..Default::default()
    });
    article.set_related(Article::author, Some(&ezz))?;
    session.commit()?;
    println!(
        "inserted article {:?} by author {:?}",
        article.id(),
        ezz.id()
    );
    assert_eq!(article.author_id(), ezz.id());

    // Query: the identity map gives back the very same object.
    let found = session
        .query::<Article>()
        .filter(Article::slug.eq("clean-python"))
        .one()?;
    assert!(found.ptr_eq(&article));

    // Change a field: the flush UPDATEs that column only.
    found.set_title("Clean Python");
    session.commit()?;
    println!("title is now {:?}", article.title());

    // Delete, then count what is left.
    session.delete(&article)?;
    session.commit()?;
    let left = session.query::<Article>().count()?;
    println!("{left} articles left");
    assert_eq!(left, 0);
    Ok(())
}
