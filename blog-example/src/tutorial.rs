//! The tutorial's steps, in order, each printing a heading and what the tutorial shows.

use crate::models::{Article, Author};
use chrono::NaiveDate;
use orm_core::prelude::*;
use orm_postgres::create_engine_with;

const LOREM: &str = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod \
tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud \
exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in \
reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint \
occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";

fn step(title: &str) {
    println!("\n== {title} ==");
}

fn describe(author: &Handle<Author>) -> String {
    let a = author.read();
    format!(
        "<Author id={} {} {} <{}>>",
        a.id.map_or_else(|| "None".into(), |i| i.to_string()),
        a.firstname.as_deref().unwrap_or(""),
        a.lastname.as_deref().unwrap_or(""),
        a.email
    )
}

fn id_of(article: &Handle<Article>) -> String {
    article
        .read()
        .id
        .map_or_else(|| "None".into(), |i| i.to_string())
}

/// What to do about an error, in one line.
pub fn hint(e: &Error) -> &'static str {
    match e {
        Error::InvalidUrl(_) => "pass a URL like postgres://user@host:5432/dbname with --database-url or DATABASE_URL",
        Error::Connect { .. } | Error::ConnectionLost(_) => {
            "is PostgreSQL running and reachable? (scripts/ensure-postgres starts a local one); \
             check the host, port, user and database in --database-url or DATABASE_URL"
        }
        Error::Database(_) | Error::Schema(_) => {
            "the database refused the schema: check that the role may create tables there, or use another database"
        }
        _ => "see the message above",
    }
}

/// Runs the tutorial against `database_url`.
pub fn run(database_url: &str, echo: bool) -> Result<()> {
    step("Connect to the database");
    let parsed: Url = database_url.parse()?;
    // URL.create(...) with the builder, from the parts of the given URL.
    let mut builder = Url::builder("postgresql")
        .host(parsed.host().unwrap_or("127.0.0.1"))
        .database(parsed.database().unwrap_or("postgres"));
    if let Some(u) = parsed.username() {
        builder = builder.username(u);
    }
    if let Some(p) = parsed.password() {
        builder = builder.password(p);
    }
    if let Some(p) = parsed.port() {
        builder = builder.port(p);
    }
    for (k, v) in parsed.params() {
        builder = builder.param(k, v);
    }
    let url = builder.build();
    let options = EngineOptions {
        echo,
        ..EngineOptions::default()
    };
    let engine = create_engine_with(url.clone(), options)?;
    println!("engine = create_engine({url})");
    println!(
        "connections open before first use: {}",
        engine.open_connections()
    );
    let mut connection = engine.connect()?;
    let version = connection.query("SELECT version()", &[])?;
    let version: String = version
        .into_iter()
        .next()
        .map(|mut r| r.take(0))
        .transpose()?
        .unwrap_or_default();
    println!(
        "connection = engine.connect(): {}",
        version.split(" on ").next().unwrap_or("")
    );
    drop(connection);

    step("Define the schema: Article::table()");
    println!("{}", Article::table());

    step("Create the tables");
    let metadata = MetaData::new().with::<Author>().with::<Article>();
    println!(
        "starting clean: dropping this example's own tables (articles, authors) if they exist"
    );
    metadata.drop_all(&engine)?;
    metadata.create_all(&engine)?;
    println!("created: authors, articles");

    step("Create a session");
    let session = engine.session();
    println!("session = Session(bind=engine)");

    step("Insert data");
    let ezz = session.add(Author {
        firstname: Some("Ezz".into()),
        lastname: Some("Eldin".into()),
        email: "ezz@example.com".into(),
        ..Author::default()
    });
    let ahmed = session.add(Author {
        firstname: Some("Ahmed".into()),
        lastname: Some("Ahmed".into()),
        email: "ahmed@example.com".into(),
        ..Author::default()
    });
    let article1 = session.add(Article {
        slug: "clean-python".into(),
        title: "How to Write Clean Python".into(),
        content: Some(LOREM.into()),
        ..Article::default()
    });
    article1.set_related(Article::author, Some(&ezz))?;
    println!(
        "before commit: article1.id = {}, ezz.id = {:?}",
        id_of(&article1),
        ezz.read().id
    );
    session.commit()?;
    println!("article1.title = {}", article1.read().title);
    println!("article1.id = {}", id_of(&article1));
    let author = article1.related(Article::author)?;
    println!(
        "article1.author = {}",
        author.as_ref().map_or_else(|| "None".into(), describe)
    );

    let created = NaiveDate::from_ymd_opt(2022, 8, 29)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .ok_or_else(|| Error::Conversion("bad date".into()))?;
    let added = session.add_all([
        Article {
            slug: "how-to-get-metadata-from-postgresql-system-catalogs".into(),
            title: "How to Get Metadata from PostgreSQL System Catalogs".into(),
            content: Some(LOREM.into()),
            created_on: Some(created),
            ..Article::default()
        },
        Article {
            slug: "sqlalchemy-postgres".into(),
            title: "Interacting with Databases using SQLAlchemy with PostgreSQL".into(),
            content: Some(LOREM.into()),
            ..Article::default()
        },
    ]);
    let (article2, article3) = (added[0].clone(), added[1].clone());
    article2.set_related(Article::author, Some(&ahmed))?;
    ezz.append(Author::articles, &article3)?;
    session.flush()?;
    println!("article1.id = {}", id_of(&article1));
    println!("article2.title = {}", article2.read().title);
    println!("article3.slug = {}", article3.read().slug);
    println!(
        "ezz.articles = {:?}",
        ezz.collection(Author::articles)?
            .iter()
            .map(|a| a.read().slug.clone())
            .collect::<Vec<_>>()
    );

    step("Update data");
    println!("article2.slug = {}", article2.read().slug);
    article2.write().slug = "postgresql-system-catalogs".into();
    println!("article2.slug = {}", article2.read().slug);

    let article_query = session.query::<Article>();
    let clean_py_article = article_query
        .clone()
        .filter(Article::slug.eq("clean-python"))
        .first()?
        .ok_or_else(|| Error::NoResultFound("clean-python".into()))?;
    clean_py_article.write().title = "Clean Python".into();
    println!("clean_py_article.title = {}", clean_py_article.read().title);
    println!("article1.title = {}", article1.read().title);
    println!(
        "clean_py_article is article1: {}",
        clean_py_article.ptr_eq(&article1)
    );

    let clean_py_query = article_query.filter(Article::slug.eq("clean-python"));
    let updated = clean_py_query.update([Article::title.set("Cleaner Python")])?;
    let first = clean_py_query
        .first()?
        .ok_or_else(|| Error::NoResultFound("clean-python".into()))?;
    println!("clean_py_query.update(...) updated {updated} row(s)");
    println!("clean_py_query.first().title = {}", first.read().title);

    step("Query data");
    let articles = session.query::<Article>().order_by(Article::id).all()?;
    println!(
        "session.query(Article).all() -> {} articles:",
        articles.len()
    );
    for article in &articles {
        println!("  {}", article.read().title);
    }
    println!("iterating session.query(Article) lazily:");
    for article in session.query::<Article>().order_by(Article::id) {
        println!("  {}", article?.read().title);
    }
    let (slug, title) = session
        .query_columns((Article::slug, Article::title))
        .order_by(Article::id)
        .nth(2)?
        .ok_or_else(|| Error::NoResultFound("no third article".into()))?;
    println!("session.query(Article.slug, Article.title)[2] = ({slug:?}, {title:?})");
    let first = session
        .query::<Article>()
        .order_by(Article::id)
        .first()?
        .ok_or_else(|| Error::NoResultFound("no article".into()))?;
    println!("session.query(Article).first().id = {}", id_of(&first));
    // The published tutorial shows "Cleaner Python" first here; a descending sort of
    // these titles puts it last (C < H < I), which is what PostgreSQL returns.
    println!("session.query(Article).order_by(Article.title.desc()):");
    for article in session.query::<Article>().order_by(Article::title.desc()) {
        println!("  {}", article?.read().title);
    }

    step("Commit");
    session.commit()?;
    let authors = session.query::<Author>().count()?;
    let articles = session.query::<Article>().count()?;
    println!("committed: {authors} authors and {articles} articles are left in the database");
    Ok(())
}
