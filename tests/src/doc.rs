//! The set-up the library crates' doctests hide, so that they run against the server.

/// Defines, in the calling crate (a doctest), the tutorial's `Author` and `Article`
/// models and `fn blog_db(name: &str) -> tests::TestDb`: a schema of its own with
/// their tables and a few rows, dropped with the `TestDb`.
///
/// The rows: Ezz (`ezz@example.com`) wrote `clean-python` and `sqlalchemy-postgres`,
/// Ahmed (`ahmed@example.org`) wrote `postgresql-system-catalogs`, and `draft` has no
/// author. The models live in the doctest, not here, so that linking this crate
/// registers no model in the integration tests.
///
/// ```
/// tests::doc_blog!();
/// let db = blog_db("doc_blog");
/// assert_eq!(db.count("articles"), 4);
/// ```
#[macro_export]
macro_rules! doc_blog {
    () => {
        #[derive(::orm_core::Model, Clone, Debug, Default)]
        #[orm(table = "authors")]
        #[orm(has_many(articles = Article, backref = "author"))]
        pub struct Author {
            #[orm(primary_key)]
            pub id: Option<i32>,
            pub name: String,
            pub email: String,
        }

        #[derive(::orm_core::Model, Clone, Debug, Default)]
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

        fn blog_db(name: &str) -> $crate::TestDb {
            let db = $crate::TestDb::new(name);
            $crate::doc::seed_blog::<Author, Article>(&db, |session| {
                let ezz = session.add(Author {
                    name: "Ezz".into(),
                    email: "ezz@example.com".into(),
                    ..Default::default()
                });
                let ahmed = session.add(Author {
                    name: "Ahmed".into(),
                    email: "ahmed@example.org".into(),
                    ..Default::default()
                });
                let rows = [
                    ("clean-python", "Clean Python", Some(&ezz)),
                    (
                        "postgresql-system-catalogs",
                        "System Catalogs",
                        Some(&ahmed),
                    ),
                    (
                        "sqlalchemy-postgres",
                        "SQLAlchemy with PostgreSQL",
                        Some(&ezz),
                    ),
                    ("draft", "Draft", None),
                ];
                for (slug, title, author) in rows {
                    let article = session.add(Article {
                        slug: slug.into(),
                        title: title.into(),
                        ..Default::default()
                    });
                    article.set_related(Article::author, author)?;
                }
                Ok(())
            });
            db
        }
    };
}

/// Creates the two tables of [`doc_blog!`] and commits the rows `add` adds.
///
/// # Panics
///
/// When the tables cannot be created or the rows written.
pub fn seed_blog<A: orm_core::Model, B: orm_core::Model>(
    db: &crate::TestDb,
    add: impl FnOnce(&orm_core::Session) -> orm_core::Result<()>,
) {
    let metadata = orm_core::MetaData::new().with::<A>().with::<B>();
    metadata.create_all(&db.engine).expect("create the tables");
    let session = db.engine.session();
    add(&session)
        .and_then(|()| session.commit())
        .expect("the rows");
}
