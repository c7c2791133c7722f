//! W3: `lookups` lookups by unique slug, each slug different, and the check that
//! `session.get` of an already-loaded object sends nothing.

use crate::fixture::{BResult, Fixture, RawDb};
use crate::model::{self, Article, RawArticle, ARTICLE_COLUMNS};
use orm_core::Engine;
use std::time::{Duration, Instant};

/// The slugs looked up: `lookups` different ones spread over the table (built untimed).
fn slugs(fx: &Fixture) -> Vec<String> {
    let step = (fx.sizes.articles / fx.sizes.lookups.max(1)).max(1);
    (0..fx.sizes.lookups)
        .map(|k| model::slug(1 + (k * step) % fx.sizes.articles))
        .collect()
}

/// ORM: one fresh session, `query::<Article>().filter(Article::slug.eq(s)).one()` per slug.
pub fn orm(fx: &mut Fixture, engine: &Engine) -> BResult<Duration> {
    fx.ensure_seeded()?;
    let slugs = slugs(fx);
    let start = Instant::now();
    let mut found = 0;
    {
        let session = fx.session(engine);
        for s in &slugs {
            let a = session
                .query::<Article>()
                .filter(Article::slug.eq(s.as_str()))
                .one()?;
            found += usize::from(a.read().slug == *s);
        }
    }
    let elapsed = start.elapsed();
    check(fx, found)?;
    Ok(elapsed)
}

/// Raw: one prepared statement, `query_one` per slug, mapped into a [`RawArticle`].
pub fn raw(fx: &mut Fixture, db: &mut RawDb) -> BResult<Duration> {
    fx.ensure_seeded()?;
    let slugs = slugs(fx);
    let select = db.prepare(&format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles WHERE slug = $1"
    ))?;
    let start = Instant::now();
    let mut found = 0;
    for s in &slugs {
        let a = RawArticle::from_row(&db.client.query_one(&select, &[s])?);
        found += usize::from(a.slug == *s);
    }
    let elapsed = start.elapsed();
    check(fx, found)?;
    Ok(elapsed)
}

fn check(fx: &Fixture, found: usize) -> BResult<()> {
    if found != fx.sizes.lookups {
        return Err(format!("W3: {found} lookups matched, expected {}", fx.sizes.lookups).into());
    }
    Ok(())
}

/// Loads one article, then calls `session.get::<Article>(id)` for it again; returns
/// how much each of the two counters of `statements()` grew across that second `get`
/// (expected: 0 and 0).
pub fn get_of_loaded_sends(
    fx: &mut Fixture,
    engine: &Engine,
    statements: &dyn Fn() -> (u64, u64),
) -> BResult<(u64, u64)> {
    fx.ensure_seeded()?;
    let session = fx.session(engine);
    let loaded = session
        .query::<Article>()
        .filter(Article::slug.eq(model::slug(1)))
        .one()?;
    let id = loaded.read().id.ok_or("loaded article has no id")?;
    let before = statements();
    let again = session
        .get::<Article>(id)?
        .ok_or("get of a loaded article found nothing")?;
    let after = statements();
    let sent = (after.0 - before.0, after.1 - before.1);
    if !again.ptr_eq(&loaded) {
        return Err("get returned another object than the loaded one".into());
    }
    Ok(sent)
}
