//! The tutorial's steps, in order. Each result is printed beside the tutorial's
//! Python and the Rust call that produced it (`show!`/`ran!` print the very
//! expression they evaluate).

use crate::models::{Article, Author};
use crate::output::{ran, show, Out, Shown, Step};
use chrono::NaiveDate;
use orm_core::prelude::*;
use orm_postgres::create_engine_with;
use std::io::Write;

const LOREM: &str = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod \
tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud \
exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in \
reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint \
occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";

/// Why the descending listing is not the published one.
const DESC_NOTE: &str =
    "note: the published tutorial lists \"Cleaner Python\" first here, which no \
descending sort of these titles gives (I > H > C, in every collation): this is what ORDER BY \
title DESC returns, in SQLAlchemy on PostgreSQL too.";

/// The objects later steps use again.
struct Objects {
    article1: Handle<Article>,
    article2: Handle<Article>,
}

/// `<Author id=1 Ezz Eldin <ezz@example.com>>`, the tutorial's `__repr__`.
impl Shown for Handle<Author> {
    fn shown(&self) -> String {
        let a = self.read();
        format!(
            "<Author id={} {} {} <{}>>",
            a.id.shown(),
            a.firstname.as_deref().unwrap_or(""),
            a.lastname.as_deref().unwrap_or(""),
            a.email
        )
    }
}

/// `URL.create(...)` with the builder, from the parts of the URL given.
fn rebuild(parsed: &Url) -> Url {
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
    builder.build()
}

/// Runs the tutorial against `url`, printing to `out`.
pub fn run(out: &mut Out<impl Write>, url: &Url, echo: bool) -> Step {
    let engine = connect(out, url, echo)?;
    out.step("Define the schema: Article.__table__")?;
    out.ran("Article.__table__", "Article::table()")?;
    out.line(Article::table())?;
    create_tables(out, &engine)?;
    out.step("Create a session")?;
    let session = ran!(out, "session = Session(bind=engine)", engine.session());
    let objects = insert(out, &session)?;
    update(out, &session, &objects)?;
    query(out, &session)?;
    out.step("Commit")?;
    ran!(out, "session.commit()", session.commit()?);
    let authors = session.query::<Author>().count()?;
    let articles = session.query::<Article>().count()?;
    out.line(format_args!(
        "committed: {authors} authors and {articles} articles are left in the database"
    ))?;
    Ok(())
}

fn connect(out: &mut Out<impl Write>, url: &Url, echo: bool) -> Step<Engine> {
    out.step("Connect to the database")?;
    let url = rebuild(url);
    let rust = "Url::builder(\"postgresql\").username(..).host(..).port(..).database(..).build()";
    out.shown(
        "url = URL.create(\"postgresql\", ...)",
        rust,
        &url.to_string(),
    )?;
    let options = EngineOptions::default().echo(echo);
    let engine = ran!(
        out,
        "engine = create_engine(url)",
        create_engine_with(url, options)?
    );
    show!(
        out,
        "connections open before first use",
        engine.open_connections()
    );
    let mut connection = ran!(out, "connection = engine.connect()", engine.connect()?);
    let version: Option<String> = connection
        .query("SELECT version()", &[])?
        .into_iter()
        .next()
        .map(|mut r| r.take(0))
        .transpose()?;
    let version = version.unwrap_or_default();
    let short = version.split(" on ").next().unwrap_or("").to_owned();
    out.shown(
        "connection.execute(text(\"SELECT version()\"))",
        "connection.query(\"SELECT version()\", &[])?",
        &short,
    )?;
    Ok(engine)
}

fn create_tables(out: &mut Out<impl Write>, engine: &Engine) -> Step {
    out.step("Create the tables")?;
    let metadata = MetaData::new().with::<Author>().with::<Article>();
    out.line(
        "starting clean: dropping this example's own tables (articles, authors) if they exist",
    )?;
    ran!(
        out,
        "Base.metadata.drop_all(engine)",
        metadata.drop_all(engine)?
    );
    ran!(
        out,
        "Base.metadata.create_all(engine)",
        metadata.create_all(engine)?
    );
    out.line("created: authors, articles")?;
    Ok(())
}

fn insert(out: &mut Out<impl Write>, session: &Session) -> Step<Objects> {
    out.step("Insert data")?;
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
    out.ran(
        "ezz = Author(...); ahmed = Author(...)",
        "session.add(Author { .. })",
    )?;
    let article1 = session.add(Article {
        slug: "clean-python".into(),
        title: "How to Write Clean Python".into(),
        content: Some(LOREM.into()),
        ..Article::default()
    });
    ran!(
        out,
        "article1 = Article(..., author=ezz)",
        article1.set_related(Article::author, Some(&ezz))?
    );
    show!(out, "before commit: article1.id", article1.id());
    show!(out, "before commit: ezz.id", ezz.id());
    ran!(out, "session.commit()", session.commit()?);
    show!(out, "article1.title", article1.title());
    show!(out, "article1.id", article1.id());
    show!(out, "article1.author", article1.related(Article::author)?);
    let article2 = add_more(out, session, &ezz, &ahmed)?;
    Ok(Objects { article1, article2 })
}

fn add_more(
    out: &mut Out<impl Write>,
    session: &Session,
    ezz: &Handle<Author>,
    ahmed: &Handle<Author>,
) -> Step<Handle<Article>> {
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
    out.ran(
        "session.add_all([article2, article3])",
        "session.add_all([Article { .. }, Article { .. }])",
    )?;
    let (article2, article3) = (&added[0], &added[1]);
    ran!(
        out,
        "article2.author = ahmed",
        article2.set_related(Article::author, Some(ahmed))?
    );
    ran!(
        out,
        "ezz.articles.append(article3)",
        ezz.append(Author::articles, article3)?
    );
    ran!(out, "session.flush()", session.flush()?);
    show!(out, "article2.title", article2.title());
    show!(out, "article3.slug", article3.slug());
    show!(
        out,
        "[a.slug for a in ezz.articles]",
        ezz.collection(Author::articles)?
            .iter()
            .map(|a| a.slug())
            .collect::<Vec<_>>()
    );
    Ok(article2.clone())
}

fn update(out: &mut Out<impl Write>, session: &Session, objects: &Objects) -> Step {
    out.step("Update data")?;
    let Objects { article1, article2 } = objects;
    show!(out, "article2.slug", article2.slug());
    ran!(
        out,
        "article2.slug = \"postgresql-system-catalogs\"",
        article2.set_slug("postgresql-system-catalogs")
    );
    show!(out, "article2.slug", article2.slug());

    let article_query = ran!(
        out,
        "article_query = session.query(Article)",
        session.query::<Article>()
    );
    let clean_py_article = ran!(
        out,
        "clean_py_article = article_query.filter(Article.slug == \"clean-python\").first()",
        article_query
            .clone()
            .filter(Article::slug.eq("clean-python"))
            .first()?
    )
    .ok_or_else(|| Error::NoResultFound("clean-python".into()))?;
    ran!(
        out,
        "clean_py_article.title = \"Clean Python\"",
        clean_py_article.set_title("Clean Python")
    );
    show!(out, "clean_py_article.title", clean_py_article.title());
    show!(out, "article1.title", article1.title());
    show!(
        out,
        "clean_py_article is article1",
        clean_py_article.ptr_eq(article1)
    );

    let clean_py_query = ran!(
        out,
        "clean_py_query = article_query.filter(Article.slug == \"clean-python\")",
        article_query.filter(Article::slug.eq("clean-python"))
    );
    show!(
        out,
        "clean_py_query.update({Article.title: \"Cleaner Python\"})",
        clean_py_query.update([Article::title.set("Cleaner Python")])?
    );
    show!(
        out,
        "clean_py_query.first().title",
        clean_py_query.first()?.map(|a| a.title())
    );
    Ok(())
}

fn query(out: &mut Out<impl Write>, session: &Session) -> Step {
    out.step("Query data")?;
    let articles = ran!(
        out,
        "session.query(Article).all()",
        session.query::<Article>().order_by(Article::id).all()?
    );
    for article in &articles {
        out.line(format_args!("  {}", article.title()))?;
    }
    out.ran(
        "for article in session.query(Article): (streamed)",
        "for article in session.query::<Article>().order_by(Article::id) { .. }",
    )?;
    for article in session.query::<Article>().order_by(Article::id) {
        out.line(format_args!("  {}", article?.title()))?;
    }
    show!(
        out,
        "session.query(Article.slug, Article.title)[2]",
        session
            .query_columns((Article::slug, Article::title))
            .order_by(Article::id)
            .nth(2)?
    );
    show!(
        out,
        "session.query(Article).first().id",
        session
            .query::<Article>()
            .order_by(Article::id)
            .first()?
            .and_then(|a| a.id())
    );
    out.ran(
        "session.query(Article).order_by(Article.title.desc())",
        "session.query::<Article>().order_by(Article::title.desc())",
    )?;
    for article in session.query::<Article>().order_by(Article::title.desc()) {
        out.line(format_args!("  {}", article?.title()))?;
    }
    out.line(DESC_NOTE)?;
    Ok(())
}
