//! W5: every author with their articles, eagerly, in two statements
//! (`selectin`: the authors, then their articles with `author_id IN (..)`).

use crate::fixture::{BResult, Fixture, RawDb};
use crate::model::{Author, RawArticle, RawAuthor, ARTICLE_COLUMNS, AUTHOR_COLUMNS};
use orm_core::{selectin, Engine};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The label printed for W5.
pub const LABEL: &str = "W5 all authors with their articles, eager (selectin)";

/// ORM: a fresh session, `query::<Author>().options(selectin(Author::articles))`,
/// then each author's articles are read from the loaded collection.
pub fn orm(fx: &mut Fixture, engine: &Engine) -> BResult<Duration> {
    fx.ensure_seeded()?;
    let start = Instant::now();
    let total = {
        let session = fx.session(engine);
        let authors = session
            .query::<Author>()
            .options(selectin(Author::articles))
            .all()?;
        let mut total = 0;
        for a in &authors {
            total += a.collection(Author::articles)?.len();
        }
        total
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
