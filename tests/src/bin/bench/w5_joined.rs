//! W5 joined: every author with their articles, eagerly, in one statement
//! (`joined`: the authors LEFT OUTER JOIN their articles).

use crate::fixture::{BResult, Fixture, RawDb};
use crate::model::{Author, RawArticle, RawAuthor};
use orm_core::{joined, Engine};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The label printed for W5j.
pub const LABEL: &str = "W5 all authors with their articles, eager (one LEFT JOIN)";

/// The raw side's statement: author columns 0-4, article columns 5-11.
const SELECT: &str = "SELECT a.id, a.firstname, a.lastname, a.email, a.joined, \
     ar.id, ar.slug, ar.title, ar.created_on, ar.updated_on, ar.content, ar.author_id \
     FROM authors a LEFT OUTER JOIN articles ar ON ar.author_id = a.id";

/// ORM: a fresh session, `query::<Author>().options(joined(Author::articles))`, then
/// each author's articles are read from the loaded collection.
pub fn orm(fx: &mut Fixture, engine: &Engine) -> BResult<Duration> {
    fx.ensure_seeded()?;
    let start = Instant::now();
    let total = {
        let session = fx.session(engine);
        let authors = session
            .query::<Author>()
            .options(joined(Author::articles))
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

/// Raw: the one LEFT JOIN, each author made once (by id), its articles grouped
/// under it.
pub fn raw(fx: &mut Fixture, db: &mut RawDb) -> BResult<Duration> {
    fx.ensure_seeded()?;
    let select = db.prepare(SELECT)?;
    let start = Instant::now();
    let total = {
        let mut authors: HashMap<i32, (RawAuthor, Vec<RawArticle>)> = HashMap::new();
        for row in db.client.query(&select, &[])? {
            let id: i32 = row.get(0);
            let entry = authors.entry(id).or_insert_with(|| {
                let author = RawAuthor {
                    id,
                    firstname: row.get(1),
                    lastname: row.get(2),
                    email: row.get(3),
                    joined: row.get(4),
                };
                (author, Vec::new())
            });
            if let Some(article_id) = row.get::<_, Option<i32>>(5) {
                entry.1.push(RawArticle {
                    id: article_id,
                    slug: row.get(6),
                    title: row.get(7),
                    created_on: row.get(8),
                    updated_on: row.get(9),
                    content: row.get(10),
                    author_id: row.get(11),
                });
            }
        }
        authors
            .values()
            .map(|(_, articles)| articles.len())
            .sum::<usize>()
    };
    let elapsed = start.elapsed();
    check(fx, total)?;
    Ok(elapsed)
}

fn check(fx: &Fixture, total: usize) -> BResult<()> {
    if total != fx.sizes.articles {
        return Err(format!(
            "W5j: {total} articles grouped, expected {}",
            fx.sizes.articles
        )
        .into());
    }
    Ok(())
}
