//! W2: load every article (`articles` rows) as objects.

use crate::fixture::{BResult, Fixture, RawDb};
use crate::model::{RawArticle, ARTICLE_COLUMNS};
use orm_core::Engine;
use std::time::{Duration, Instant};

/// ORM: a fresh session, `session.query::<Article>().all()`; the session (and its
/// identity map) is dropped inside the timed part, as the raw `Vec` is.
pub fn orm(fx: &mut Fixture, engine: &Engine) -> BResult<Duration> {
    fx.ensure_seeded()?;
    let start = Instant::now();
    let n = {
        let session = fx.session(engine);
        let articles = session.query::<crate::model::Article>().all()?;
        articles.len()
    };
    let elapsed = start.elapsed();
    check(fx, n)?;
    Ok(elapsed)
}

/// Raw: one prepared SELECT, each row mapped into a [`RawArticle`].
pub fn raw(fx: &mut Fixture, db: &mut RawDb) -> BResult<Duration> {
    fx.ensure_seeded()?;
    let select = db.prepare(&format!("SELECT {ARTICLE_COLUMNS} FROM articles"))?;
    let start = Instant::now();
    let n = {
        let articles: Vec<RawArticle> = db
            .client
            .query(&select, &[])?
            .iter()
            .map(RawArticle::from_row)
            .collect();
        articles.len()
    };
    let elapsed = start.elapsed();
    check(fx, n)?;
    Ok(elapsed)
}

fn check(fx: &Fixture, n: usize) -> BResult<()> {
    if n != fx.sizes.articles {
        return Err(format!("W2: loaded {n} articles, expected {}", fx.sizes.articles).into());
    }
    Ok(())
}
