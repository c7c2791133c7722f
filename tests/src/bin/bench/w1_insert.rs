//! W1: insert `authors` authors and `articles` articles in one commit, reading the
//! generated ids back. Both sides start from empty tables (truncated, untimed).

use crate::fixture::{BResult, Fixture, RawDb};
use crate::model::{self, Article, Author};
use orm_core::Engine;
use postgres::types::ToSql;
use std::time::{Duration, Instant};

/// Rows per raw multi-row INSERT (DESIGN.md: ~1,000-row batches beat one huge statement).
pub const RAW_BATCH: usize = 1000;

/// The ORM models to insert (built untimed): authors, and articles with their author's position.
fn orm_input(fx: &Fixture) -> (Vec<Author>, Vec<(Article, usize)>) {
    let authors = (1..=fx.sizes.authors)
        .map(|i| Author {
            firstname: Some(format!("First{i}")),
            lastname: Some(format!("Last{i}")),
            email: model::email(i),
            ..Default::default()
        })
        .collect();
    let articles = (1..=fx.sizes.articles)
        .map(|i| {
            let a = Article {
                slug: model::slug(i),
                title: model::title(i),
                content: Some(model::content(i)),
                ..Default::default()
            };
            (a, (i - 1) % fx.sizes.authors)
        })
        .collect();
    (authors, articles)
}

/// ORM: `add_all`, `link` each article to its author, `commit`; every id is read back.
pub fn orm(fx: &mut Fixture, engine: &Engine) -> BResult<Duration> {
    fx.truncate()?;
    let (authors, articles) = orm_input(fx);
    let (models, owners): (Vec<Article>, Vec<usize>) = articles.into_iter().unzip();
    let start = Instant::now();
    let ids = {
        let session = fx.session(engine);
        let authors = session.add_all(authors);
        let articles = session.add_all(models);
        for (article, &owner) in articles.iter().zip(&owners) {
            session.link(article, Article::author_id, &authors[owner])?;
        }
        session.commit()?;
        articles.iter().filter(|a| a.read().id.is_some()).count()
    };
    let elapsed = start.elapsed();
    check(fx, ids)?;
    Ok(elapsed)
}

/// The raw rows to insert (built untimed).
struct RawInput {
    authors: Vec<(String, String, String)>,
    articles: Vec<(String, String, String, usize)>,
}

fn raw_input(fx: &Fixture) -> RawInput {
    RawInput {
        authors: (1..=fx.sizes.authors)
            .map(|i| (format!("First{i}"), format!("Last{i}"), model::email(i)))
            .collect(),
        articles: (1..=fx.sizes.articles)
            .map(|i| {
                let (s, t, c) = (model::slug(i), model::title(i), model::content(i));
                (s, t, c, (i - 1) % fx.sizes.authors)
            })
            .collect(),
    }
}

/// `INSERT INTO table (columns) VALUES (...), ... RETURNING id` for `rows` rows.
fn multi_row_insert(table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns.len() {
            n += 1;
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${n}"));
        }
        sql.push(')');
    }
    sql.push_str(" RETURNING id");
    sql
}

/// Raw: in one transaction, one prepared multi-row `INSERT ... RETURNING id` for the
/// authors and one per [`RAW_BATCH`] articles.
pub fn raw(fx: &mut Fixture, db: &mut RawDb) -> BResult<Duration> {
    fx.truncate()?;
    let input = raw_input(fx);
    let author_cols = ["firstname", "lastname", "email", "joined"];
    let article_cols = [
        "slug",
        "title",
        "created_on",
        "updated_on",
        "content",
        "author_id",
    ];
    let insert_authors = db.prepare(&multi_row_insert(
        "authors",
        &author_cols,
        input.authors.len(),
    ))?;
    let full = fx.sizes.articles.min(RAW_BATCH);
    let insert_batch = db.prepare(&multi_row_insert("articles", &article_cols, full))?;
    let rest = fx.sizes.articles % full;
    let insert_rest = match rest {
        0 => None,
        n => Some(db.prepare(&multi_row_insert("articles", &article_cols, n))?),
    };

    let start = Instant::now();
    let mut tx = db.client.transaction()?;
    let now = model::now();
    let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(4 * input.authors.len());
    for (first, last, email) in &input.authors {
        params.extend::<[&(dyn ToSql + Sync); 4]>([first, last, email, &now]);
    }
    let author_ids: Vec<i32> = tx
        .query(&insert_authors, &params)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut article_ids: Vec<i32> = Vec::with_capacity(input.articles.len());
    let owners: Vec<Option<i32>> = input
        .articles
        .iter()
        .map(|a| Some(author_ids[a.3]))
        .collect();
    for (chunk, owners) in input.articles.chunks(full).zip(owners.chunks(full)) {
        let statement = if chunk.len() == full {
            &insert_batch
        } else {
            insert_rest
                .as_ref()
                .ok_or("no statement for the last batch")?
        };
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(6 * chunk.len());
        for ((slug, title, content, _), owner) in chunk.iter().zip(owners) {
            params.extend::<[&(dyn ToSql + Sync); 6]>([slug, title, &now, &now, content, owner]);
        }
        article_ids.extend(
            tx.query(statement, &params)?
                .iter()
                .map(|r| r.get::<_, i32>(0)),
        );
    }
    tx.commit()?;
    let elapsed = start.elapsed();
    check(fx, article_ids.len())?;
    Ok(elapsed)
}

/// Both sides must have read back every article id.
fn check(fx: &Fixture, ids: usize) -> BResult<()> {
    if ids != fx.sizes.articles {
        return Err(format!(
            "W1: {ids} article ids read back, expected {}",
            fx.sizes.articles
        )
        .into());
    }
    Ok(())
}
