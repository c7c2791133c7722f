//! W5: every author with their articles, eagerly, in two statements.
//!
//! W5 (manual grouping; switch to selectin when relationships land): the derive in
//! this tree has no `has_many` attribute yet, so the ORM side runs the two queries
//! `selectin` would (authors, then articles with `author_id IN (..)`) and groups the
//! articles by `author_id` itself. When relationships land this becomes
//! `query::<Author>().options(selectin(Author::articles)).all()` and
//! `author.collection(Author::articles)`.

use crate::fixture::{BResult, Fixture, RawDb};
use crate::model::{Article, Author, RawArticle, RawAuthor, ARTICLE_COLUMNS, AUTHOR_COLUMNS};
use orm_core::{Engine, Handle};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The label printed for W5 while it groups by hand.
pub const LABEL: &str = "W5 eager (manual grouping; switch to selectin when relationships land)";

/// ORM: a fresh session, all authors, then their articles by `author_id IN (ids)`,
/// grouped by `author_id`; each author's articles are then read.
pub fn orm(fx: &mut Fixture, engine: &Engine) -> BResult<Duration> {
    fx.ensure_seeded()?;
    let start = Instant::now();
    let total = {
        let session = engine.session();
        let authors = session.query::<Author>().all()?;
        let ids: Vec<i32> = authors.iter().filter_map(|a| a.read().id).collect();
        let articles = session
            .query::<Article>()
            .filter(Article::author_id.in_(ids))
            .all()?;
        let mut by_author: HashMap<i32, Vec<Handle<Article>>> = HashMap::new();
        for a in articles {
            let owner = a.read().author_id;
            if let Some(owner) = owner {
                by_author.entry(owner).or_default().push(a);
            }
        }
        authors
            .iter()
            .map(|a| {
                let id = a.read().id.unwrap_or_default();
                by_author.get(&id).map_or(0, |list| list.len())
            })
            .sum::<usize>()
    };
    let elapsed = start.elapsed();
    check(fx, total)?;
    Ok(elapsed)
}

/// Raw: the authors, then `WHERE author_id = ANY($1)` with their ids as one array
/// parameter, grouped into a `HashMap`.
pub fn raw(fx: &mut Fixture, db: &mut RawDb) -> BResult<Duration> {
    fx.ensure_seeded()?;
    let select_authors = db.prepare(&format!("SELECT {AUTHOR_COLUMNS} FROM authors"))?;
    let select_articles = db.prepare(&format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles WHERE author_id = ANY($1)"
    ))?;
    let start = Instant::now();
    let total = {
        let authors: Vec<RawAuthor> = db
            .client
            .query(&select_authors, &[])?
            .iter()
            .map(RawAuthor::from_row)
            .collect();
        let ids: Vec<i32> = authors.iter().map(|a| a.id).collect();
        let mut by_author: HashMap<i32, Vec<RawArticle>> = HashMap::new();
        for row in db.client.query(&select_articles, &[&ids])? {
            let a = RawArticle::from_row(&row);
            if let Some(owner) = a.author_id {
                by_author.entry(owner).or_default().push(a);
            }
        }
        authors
            .iter()
            .map(|a| by_author.get(&a.id).map_or(0, Vec::len))
            .sum::<usize>()
    };
    let elapsed = start.elapsed();
    check(fx, total)?;
    Ok(elapsed)
}

fn check(fx: &Fixture, total: usize) -> BResult<()> {
    if total != fx.sizes.articles {
        return Err(format!(
            "W5: {total} articles grouped, expected {}",
            fx.sizes.articles
        )
        .into());
    }
    Ok(())
}
