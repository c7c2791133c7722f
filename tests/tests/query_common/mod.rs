//! Data shared by the query tests: two authors, four articles, three products.
#![allow(dead_code)]

use crate::common::*;
use orm_core::{ColumnQuery, Columns, Expr, MetaData, Model, Session, StatementLog};
use rust_decimal::Decimal;
use tests::TestDb;

/// A model with float, nullable integer and decimal columns, for arithmetic and
/// aggregates.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "products")]
pub struct Product {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(length = 50)]
    pub name: String,
    pub price: f64,
    pub stock: Option<i32>,
    #[orm(sql_type = "NUMERIC(10, 3)")]
    pub weight: Option<Decimal>,
}

/// The columns of `articles` as `SELECT` lists them for a `Query<Article>`.
pub const ARTICLE_COLUMNS: &str = r#""articles"."id", "articles"."slug", "articles"."title", "articles"."created_on", "articles"."updated_on", "articles"."content", "articles"."author_id""#;

/// The columns of `authors` as `SELECT` lists them.
pub const AUTHOR_COLUMNS: &str = r#""authors"."id", "authors"."firstname", "authors"."lastname", "authors"."email", "authors"."joined""#;

pub const TITLE_1: &str = "How to Write Clean Python";
pub const TITLE_2: &str = "How to Get Metadata from PostgreSQL System Catalogs";
pub const TITLE_3: &str = "Interacting with Databases using SQLAlchemy with PostgreSQL";
pub const TITLE_4: &str = "No Author Yet";

/// A fresh schema holding:
///
/// | authors | id | firstname | lastname | email |
/// |---|---|---|---|---|
/// | | 1 | Ezz | Sherif | ezz@example.com |
/// | | 2 | Ahmed | NULL | ahmed@example.org |
///
/// | articles | id | slug | title | content | author_id |
/// |---|---|---|---|---|---|
/// | | 1 | clean-python | TITLE_1 | Lorem ipsum | 1 |
/// | | 2 | pg-catalogs | TITLE_2 | NULL | 2 |
/// | | 3 | sqlalchemy-postgres | TITLE_3 | Lorem ipsum | 1 |
/// | | 4 | orphan | TITLE_4 | NULL | NULL |
///
/// | products | id | name | price | stock | weight |
/// |---|---|---|---|---|---|
/// | | 1 | pen | 1.5 | 10 | 0.020 |
/// | | 2 | book | 12 | 3 | 0.450 |
/// | | 3 | lamp | 30.25 | NULL | NULL |
///
/// committed, a fresh session, and the statement log cleared.
pub fn seeded(name: &str) -> (TestDb, Session, StatementLog) {
    let (db, session, log) = setup(name);
    MetaData::new()
        .with::<Product>()
        .create_all(&db.engine)
        .expect("create products");
    let ezz = session.add(Author {
        firstname: Some("Ezz".into()),
        lastname: Some("Sherif".into()),
        ..author("ezz@example.com")
    });
    let ahmed = session.add(Author {
        firstname: Some("Ahmed".into()),
        ..author("ahmed@example.org")
    });
    session.flush().expect("insert authors");
    let (ezz, ahmed) = (ezz.read().id, ahmed.read().id);
    let mut pg = article("pg-catalogs", TITLE_2);
    pg.content = None;
    let mut orphan = article("orphan", TITLE_4);
    orphan.content = None;
    session.add_all([
        Article {
            author_id: ezz,
            ..article("clean-python", TITLE_1)
        },
        Article {
            author_id: ahmed,
            ..pg
        },
        Article {
            author_id: ezz,
            ..article("sqlalchemy-postgres", TITLE_3)
        },
        orphan,
    ]);
    session.add_all([
        product("pen", 1.5, Some(10), Some(Decimal::new(20, 3))),
        product("book", 12.0, Some(3), Some(Decimal::new(450, 3))),
        product("lamp", 30.25, None, None),
    ]);
    session.commit().expect("commit fixture");
    drop(session);
    log.clear();
    let session = db.engine.session();
    (db, session, log)
}

pub fn product(name: &str, price: f64, stock: Option<i32>, weight: Option<Decimal>) -> Product {
    Product {
        id: None,
        name: name.into(),
        price,
        stock,
        weight,
    }
}

/// The last SELECT the session sent.
pub fn last_select(log: &StatementLog) -> String {
    dml(log)
        .into_iter()
        .rev()
        .find(|s| s.starts_with("SELECT"))
        .expect("a SELECT was sent")
}

/// Asserts the compiled SQL of `q`, then runs it.
pub fn run<C: Columns>(q: ColumnQuery<'_, C>, sql: &str) -> Vec<C::Output> {
    assert_eq!(q.compiled().sql, sql);
    q.all().unwrap()
}

/// The slugs of the articles matching `cond`, in id order, checking the SQL's WHERE.
pub fn slugs(session: &Session, cond: Expr, where_sql: &str) -> Vec<String> {
    let q = session
        .query_columns(Article::slug)
        .filter(cond)
        .order_by(Article::id);
    run(
        q,
        &format!(
            r#"SELECT "articles"."slug" FROM "articles" WHERE {where_sql} ORDER BY "articles"."id""#
        ),
    )
}

pub const ALL: [&str; 4] = [
    "clean-python",
    "pg-catalogs",
    "sqlalchemy-postgres",
    "orphan",
];
