//! Relationships against the real server: every kind, backref sync in both directions,
//! moving children, cascades, eager loading statement counts, and freeing.

use orm_core::prelude::*;
use orm_core::{joined, selectin, Error};
use tests::TestDb;

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "authors")]
#[orm(has_many(articles = Article, backref = "author", order_by = "id"))]
pub struct Author {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub name: String,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "articles")]
pub struct Article {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub title: String,
    #[orm(foreign_key = "authors.id")]
    pub author_id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "users")]
#[orm(has_one(profile = Profile, backref = "user", cascade = "all, delete-orphan"))]
pub struct User {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub name: String,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "profiles")]
pub struct Profile {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub bio: String,
    // Not UNIQUE: like SQLAlchemy, a flush inserts the replacement before it deletes
    // the orphan, which a unique constraint on the foreign key would reject.
    #[orm(foreign_key = "users.id")]
    pub user_id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "posts")]
#[orm(many_to_many(tags = Tag, secondary = PostTag, backref = "posts", order_by = "name"))]
pub struct Post {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub title: String,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "tags")]
pub struct Tag {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub name: String,
}

/// The association table, as a model with a composite primary key.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "post_tags")]
pub struct PostTag {
    #[orm(primary_key, foreign_key = "posts.id", on_delete = "cascade")]
    pub post_id: i32,
    #[orm(primary_key, foreign_key = "tags.id", on_delete = "cascade")]
    pub tag_id: i32,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "categories")]
#[orm(has_many(children = Category, backref = "parent", cascade = "all, delete-orphan", order_by = "id"))]
pub struct Category {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub name: String,
    #[orm(foreign_key = "categories.id")]
    pub parent_id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "orders")]
#[orm(has_many(lines = OrderLine, backref = "order", cascade = "all, delete-orphan"))]
pub struct Order {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub reference: String,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "order_lines")]
pub struct OrderLine {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub sku: String,
    #[orm(foreign_key = "orders.id")]
    pub order_id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "shelves")]
#[orm(has_many(books = Book, backref = "shelf", lazy = "raise"))]
pub struct Shelf {
    #[orm(primary_key)]
    pub id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "books")]
pub struct Book {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(foreign_key = "shelves.id")]
    pub shelf_id: Option<i32>,
}

fn setup(name: &str) -> (TestDb, Session, StatementLog) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Author>()
        .with::<Article>()
        .with::<User>()
        .with::<Profile>()
        .with::<Post>()
        .with::<Tag>()
        .with::<PostTag>()
        .with::<Category>()
        .with::<Order>()
        .with::<OrderLine>()
        .with::<Shelf>()
        .with::<Book>()
        .create_all(&db.engine)
        .expect("create_all");
    let log = StatementLog::attach(&db.engine);
    let session = db.engine.session();
    (db, session, log)
}

fn selects(log: &StatementLog) -> usize {
    log.statements()
        .iter()
        .filter(|s| s.starts_with("SELECT"))
        .count()
}

fn author(name: &str) -> Author {
    Author {
        name: name.into(),
        ..Default::default()
    }
}

fn article(title: &str) -> Article {
    Article {
        title: title.into(),
        ..Default::default()
    }
}

fn titles(list: &[Handle<Article>]) -> Vec<String> {
    list.iter().map(|a| a.read().title.clone()).collect()
}

#[test]
fn backref_sync_in_both_directions_and_moving_children() {
    let (db, session, _log) = setup("rel_backref");
    let ezz = session.add(author("Ezz"));
    let ahmed = session.add(author("Ahmed"));
    let a1 = session.add(article("A1"));
    let a2 = session.add(article("A2"));

    // Setting the many-to-one side shows in the collection ...
    a1.set_related(Article::author, Some(&ezz)).unwrap();
    assert_eq!(titles(&ezz.collection(Author::articles).unwrap()), ["A1"]);
    // ... and appending to the collection sets the many-to-one side.
    ezz.append(Author::articles, &a2).unwrap();
    assert!(a2.related(Article::author).unwrap().unwrap().ptr_eq(&ezz));
    assert_eq!(
        titles(&ezz.collection(Author::articles).unwrap()),
        ["A1", "A2"]
    );

    // Moving an article removes it from the first author's collection.
    a1.set_related(Article::author, Some(&ahmed)).unwrap();
    assert_eq!(titles(&ezz.collection(Author::articles).unwrap()), ["A2"]);
    assert_eq!(titles(&ahmed.collection(Author::articles).unwrap()), ["A1"]);
    session.commit().unwrap();

    let rows = db.query_strings(
        "SELECT a.title, au.name FROM articles a JOIN authors au ON au.id = a.author_id ORDER BY a.title",
    );
    assert_eq!(
        rows,
        vec![
            vec![Some("A1".into()), Some("Ahmed".into())],
            vec![Some("A2".into()), Some("Ezz".into())]
        ]
    );
    // After commit, moving a persistent article back is an UPDATE of its foreign key.
    ezz.append(Author::articles, &a1).unwrap();
    session.commit().unwrap();
    let rows = db.query_strings(
        "SELECT count(*) FROM articles a JOIN authors au ON au.id = a.author_id WHERE au.name = 'Ezz'",
    );
    assert_eq!(rows[0][0].as_deref(), Some("2"));
    assert!(ahmed.collection(Author::articles).unwrap().is_empty());
}

#[test]
fn save_update_cascade_adds_related_transient_objects() {
    let (db, session, _log) = setup("rel_cascade_add");
    let article = session.add(article("Solo"));
    let ezz = Handle::new(author("Ezz"));
    assert_eq!(ezz.state(), InstanceState::Transient);
    article.set_related(Article::author, Some(&ezz)).unwrap();
    assert_eq!(ezz.state(), InstanceState::Pending);
    session.commit().unwrap();
    assert!(ezz.read().id.is_some());
    assert_eq!(article.read().author_id, ezz.read().id);
    assert_eq!(db.count("authors"), 1);
}

#[test]
fn lazy_loading_of_persistent_relationships() {
    let (db, session, log) = setup("rel_lazy");
    db.execute_raw(
        "INSERT INTO authors (name) VALUES ('Ezz');
         INSERT INTO articles (title, author_id) VALUES ('X', 1), ('Y', 1), ('Z', NULL);",
    );
    let ezz = session.query::<Author>().one().unwrap();
    log.clear();
    let list = ezz.collection(Author::articles).unwrap();
    assert_eq!(titles(&list), ["X", "Y"]);
    assert_eq!(selects(&log), 1, "first access loads");
    ezz.collection(Author::articles).unwrap();
    assert_eq!(selects(&log), 1, "then it is cached");
    let x = &list[0];
    assert!(x.related(Article::author).unwrap().unwrap().ptr_eq(&ezz));
    assert_eq!(selects(&log), 1, "the parent is in the identity map");
    let z = session
        .query::<Article>()
        .filter(Article::title.eq("Z"))
        .one()
        .unwrap();
    assert!(z.related(Article::author).unwrap().is_none());
}

#[test]
fn removing_a_child_nulls_its_foreign_key() {
    let (db, session, _log) = setup("rel_remove");
    let ezz = session.add(author("Ezz"));
    let a = session.add(article("A"));
    ezz.append(Author::articles, &a).unwrap();
    session.commit().unwrap();
    ezz.remove(Author::articles, &a).unwrap();
    assert!(a.related(Article::author).unwrap().is_none());
    session.commit().unwrap();
    assert_eq!(
        db.query_strings("SELECT author_id FROM articles"),
        vec![vec![None]]
    );
    assert_eq!(session.state(&a), InstanceState::Persistent);
}

#[test]
fn delete_orphan_and_delete_cascades() {
    let (db, session, log) = setup("rel_delete_cascade");
    let order = session.add(Order {
        reference: "o-1".into(),
        ..Default::default()
    });
    let lines: Vec<_> = ["a", "b", "c"]
        .iter()
        .map(|sku| {
            session.add(OrderLine {
                sku: (*sku).into(),
                ..Default::default()
            })
        })
        .collect();
    for l in &lines {
        order.append(Order::lines, l).unwrap();
    }
    session.commit().unwrap();

    // delete-orphan: a line removed from the collection is deleted.
    order.remove(Order::lines, &lines[0]).unwrap();
    session.commit().unwrap();
    assert_eq!(db.count("order_lines"), 2);
    assert_eq!(session.state(&lines[0]), InstanceState::Detached);

    // delete cascade: deleting the order deletes its lines first.
    log.clear();
    session.delete(&order).unwrap();
    session.commit().unwrap();
    let deletes: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("DELETE"))
        .collect();
    assert_eq!(deletes.len(), 2, "{deletes:#?}");
    assert!(
        deletes[0].starts_with("DELETE FROM \"order_lines\""),
        "{}",
        deletes[0]
    );
    assert!(
        deletes[1].starts_with("DELETE FROM \"orders\""),
        "{}",
        deletes[1]
    );
    assert_eq!(db.count("order_lines"), 0);
    assert_eq!(db.count("orders"), 0);
}

#[test]
fn many_to_many_rows_follow_the_collections() {
    let (db, session, _log) = setup("rel_m2m");
    let post = session.add(Post {
        title: "Rust".into(),
        ..Default::default()
    });
    let t1 = session.add(Tag {
        name: "orm".into(),
        ..Default::default()
    });
    let t2 = session.add(Tag {
        name: "db".into(),
        ..Default::default()
    });
    post.append(Post::tags, &t1).unwrap();
    post.append(Post::tags, &t2).unwrap();
    session.commit().unwrap();
    assert_eq!(db.count("post_tags"), 2);

    let posts_of_t1 = t1.collection(Tag::posts).unwrap();
    assert_eq!(posts_of_t1.len(), 1);
    assert!(posts_of_t1[0].ptr_eq(&post));

    post.remove(Post::tags, &t1).unwrap();
    assert!(
        t1.collection(Tag::posts).unwrap().is_empty(),
        "reverse side in step"
    );
    session.commit().unwrap();
    assert_eq!(
        db.query_strings("SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id"),
        vec![vec![Some("db".into())]]
    );

    // A fresh session loads the collection ordered by name.
    let s2 = db.engine.session();
    let p = s2.query::<Post>().one().unwrap();
    let names: Vec<String> = p
        .collection(Post::tags)
        .unwrap()
        .iter()
        .map(|t| t.read().name.clone())
        .collect();
    assert_eq!(names, ["db"]);
    // Deleting the post deletes its association rows.
    s2.delete(&p).unwrap();
    s2.commit().unwrap();
    assert_eq!(db.count("post_tags"), 0);
    assert_eq!(db.count("tags"), 2);
}

#[test]
fn self_referential_tree() {
    let (db, session, _log) = setup("rel_tree");
    let root = session.add(Category {
        name: "root".into(),
        ..Default::default()
    });
    let mid = session.add(Category {
        name: "mid".into(),
        ..Default::default()
    });
    let leaf = session.add(Category {
        name: "leaf".into(),
        ..Default::default()
    });
    root.append(Category::children, &mid).unwrap();
    leaf.set_related(Category::parent, Some(&mid)).unwrap();
    session.commit().unwrap();
    let rows = db.query_strings(
        "SELECT c.name, p.name FROM categories c LEFT JOIN categories p ON p.id = c.parent_id ORDER BY c.id",
    );
    assert_eq!(
        rows,
        vec![
            vec![Some("root".into()), None],
            vec![Some("mid".into()), Some("root".into())],
            vec![Some("leaf".into()), Some("mid".into())],
        ]
    );
    assert!(leaf
        .related(Category::parent)
        .unwrap()
        .unwrap()
        .ptr_eq(&mid));
    let kids = mid.collection(Category::children).unwrap();
    assert_eq!(kids.len(), 1);
    assert!(kids[0].ptr_eq(&leaf));
    // Deleting the root cascades down the tree.
    session.delete(&root).unwrap();
    session.commit().unwrap();
    assert_eq!(db.count("categories"), 0);
}

#[test]
fn one_to_one_in_both_directions() {
    let (db, session, _log) = setup("rel_one_to_one");
    let user = session.add(User {
        name: "u".into(),
        ..Default::default()
    });
    let p1 = session.add(Profile {
        bio: "first".into(),
        ..Default::default()
    });
    user.set_related(User::profile, Some(&p1)).unwrap();
    assert!(p1.related(Profile::user).unwrap().unwrap().ptr_eq(&user));
    session.commit().unwrap();
    assert!(user.related(User::profile).unwrap().unwrap().ptr_eq(&p1));

    // Replacing the profile orphans the first one, which delete-orphan deletes.
    let p2 = session.add(Profile {
        bio: "second".into(),
        ..Default::default()
    });
    user.set_related(User::profile, Some(&p2)).unwrap();
    session.commit().unwrap();
    assert_eq!(
        db.query_strings("SELECT bio FROM profiles"),
        vec![vec![Some("second".into())]]
    );
}

fn seed_authors(db: &TestDb, authors: usize, per_author: usize) {
    db.execute_raw(&format!(
        "INSERT INTO authors (name) SELECT 'author ' || g FROM generate_series(1, {authors}) g;
         INSERT INTO articles (title, author_id)
           SELECT 'article ' || a || '-' || n, a FROM generate_series(1, {authors}) a, generate_series(1, {per_author}) n;"
    ));
}

#[test]
fn selectin_loads_100_authors_and_10000_articles_in_2_statements() {
    let (db, session, log) = setup("rel_selectin");
    seed_authors(&db, 100, 100);
    log.clear();
    let authors = session
        .query::<Author>()
        .options(selectin(Author::articles))
        .all()
        .unwrap();
    let total: usize = authors
        .iter()
        .map(|a| a.collection(Author::articles).unwrap().len())
        .sum();
    assert_eq!(authors.len(), 100);
    assert_eq!(total, 10_000);
    assert_eq!(selects(&log), 2, "{:#?}", log.statements());
    // Each article's author is the identity-mapped author, without SQL.
    let first = &authors[0].collection(Author::articles).unwrap()[0];
    assert!(first
        .related(Article::author)
        .unwrap()
        .unwrap()
        .ptr_eq(&authors[0]));
    assert_eq!(selects(&log), 2);
}

#[test]
fn joined_loads_authors_and_articles_in_1_statement() {
    let (db, session, log) = setup("rel_joined");
    seed_authors(&db, 100, 100);
    log.clear();
    let authors = session
        .query::<Author>()
        .options(joined(Author::articles))
        .all()
        .unwrap();
    assert_eq!(authors.len(), 100, "parents de-duplicated");
    let total: usize = authors
        .iter()
        .map(|a| a.collection(Author::articles).unwrap().len())
        .sum();
    assert_eq!(total, 10_000);
    assert_eq!(selects(&log), 1, "{:#?}", log.statements());
    let select = log
        .statements()
        .into_iter()
        .find(|s| s.starts_with("SELECT"))
        .unwrap();
    assert!(select.contains("LEFT OUTER JOIN"), "{select}");
}

#[test]
fn lazy_loading_costs_one_statement_per_touched_collection() {
    let (db, session, log) = setup("rel_lazy_count");
    seed_authors(&db, 10, 3);
    log.clear();
    let authors = session.query::<Author>().all().unwrap();
    assert_eq!(selects(&log), 1);
    for (i, a) in authors.iter().take(4).enumerate() {
        assert_eq!(a.collection(Author::articles).unwrap().len(), 3);
        assert_eq!(selects(&log), 2 + i);
    }
}

#[test]
fn many_to_one_selectin_and_joined() {
    let (db, session, log) = setup("rel_m2o_eager");
    seed_authors(&db, 5, 4);
    log.clear();
    let articles = session
        .query::<Article>()
        .options(selectin(Article::author))
        .all()
        .unwrap();
    assert_eq!(articles.len(), 20);
    for a in &articles {
        assert!(a.related(Article::author).unwrap().is_some());
    }
    assert_eq!(selects(&log), 2);
    let s2 = db.engine.session();
    log.clear();
    let articles = s2
        .query::<Article>()
        .options(joined(Article::author))
        .all()
        .unwrap();
    for a in &articles {
        assert!(a.related(Article::author).unwrap().is_some());
    }
    assert_eq!(selects(&log), 1);
}

#[test]
fn raise_loading_errors_instead_of_querying() {
    let (db, session, log) = setup("rel_raise");
    db.execute_raw(
        "INSERT INTO shelves DEFAULT VALUES; INSERT INTO books (shelf_id) VALUES (1), (1);",
    );
    let shelf = session.query::<Shelf>().one().unwrap();
    log.clear();
    assert!(matches!(
        shelf.collection(Shelf::books),
        Err(Error::InvalidRequest(_))
    ));
    assert_eq!(selects(&log), 0);
    let shelf = session
        .query::<Shelf>()
        .options(selectin(Shelf::books))
        .one()
        .unwrap();
    assert_eq!(shelf.collection(Shelf::books).unwrap().len(), 2);
}

#[test]
fn objects_from_another_session_are_refused_and_detached_ones_reattached() {
    let (db, session, _log) = setup("rel_sessions");
    let other = db.engine.session();
    let ezz = other.add(author("Ezz"));
    let a = session.add(article("A"));
    assert!(matches!(
        a.set_related(Article::author, Some(&ezz)),
        Err(Error::InvalidRequest(_))
    ));
    other.commit().unwrap();
    other.expunge(&ezz);
    assert_eq!(ezz.state(), InstanceState::Detached);
    a.set_related(Article::author, Some(&ezz)).unwrap();
    assert_eq!(
        ezz.state(),
        InstanceState::Persistent,
        "the detached author is attached"
    );
    session.commit().unwrap();
    assert_eq!(a.read().author_id, ezz.read().id);
}

#[test]
fn relationships_do_not_keep_instances_alive() {
    let (db, session, _log) = setup("rel_leak");
    seed_authors(&db, 3, 3);
    let authors = session
        .query::<Author>()
        .options(selectin(Author::articles))
        .all()
        .unwrap();
    let mut weak_articles = Vec::new();
    for a in &authors {
        for art in a.collection(Author::articles).unwrap() {
            // touch the many-to-one side too: author -> articles -> author
            assert!(art.related(Article::author).unwrap().is_some());
            weak_articles.push(art.downgrade());
        }
    }
    let weak_authors: Vec<_> = authors.iter().map(|a| a.downgrade()).collect();
    drop(authors);
    drop(session);
    assert!(weak_authors.iter().all(|w| w.upgrade().is_none()));
    assert!(weak_articles.iter().all(|w| w.upgrade().is_none()));
}

#[test]
fn selectin_chunks_large_key_sets() {
    let (db, session, log) = setup("rel_selectin_chunks");
    // 10,001 authors: one more than a selectin chunk holds.
    seed_authors(&db, 10_001, 1);
    log.clear();
    let authors = session
        .query::<Author>()
        .options(selectin(Author::articles))
        .all()
        .unwrap();
    assert_eq!(authors.len(), 10_001);
    let selects: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("SELECT"))
        .collect();
    assert_eq!(selects.len(), 3, "authors, then two chunks of article keys");
    let total: usize = authors
        .iter()
        .map(|a| a.collection(Author::articles).unwrap().len())
        .sum();
    assert_eq!(total, 10_001);
    assert_eq!(
        log.statements()
            .iter()
            .filter(|s| s.starts_with("SELECT"))
            .count(),
        3
    );
}

#[test]
fn joins_along_relationships_write_the_condition() {
    let (db, session, log) = setup("rel_join_related");
    seed_authors(&db, 3, 2);
    let found = session
        .query::<Author>()
        .join_related(Author::articles)
        .unwrap()
        .filter(Article::title.eq("article 2-1"))
        .all()
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].read().name, "author 2");
    let select = log
        .statements()
        .into_iter()
        .find(|s| s.starts_with("SELECT"))
        .unwrap();
    assert!(
        select.contains(r#"JOIN "articles" ON "articles"."author_id" = "authors"."id""#),
        "{select}"
    );
    // Each author once, however many articles matched.
    let all = session
        .query::<Author>()
        .join_related(Author::articles)
        .unwrap()
        .all()
        .unwrap();
    assert_eq!(all.len(), 3);

    // Many-to-many: through the association table.
    let post = session.add(Post {
        title: "Rust".into(),
        ..Default::default()
    });
    let tag = session.add(Tag {
        name: "db".into(),
        ..Default::default()
    });
    post.append(Post::tags, &tag).unwrap();
    session.add(Post {
        title: "Untagged".into(),
        ..Default::default()
    });
    session.commit().unwrap();
    let tagged = session
        .query::<Post>()
        .join_related(Post::tags)
        .unwrap()
        .filter(Tag::name.eq("db"))
        .all()
        .unwrap();
    assert_eq!(tagged.len(), 1);
    assert!(tagged[0].ptr_eq(&post));

    // A self-referential relationship would need aliases.
    assert!(matches!(
        session.query::<Category>().join_related(Category::children),
        Err(Error::InvalidRequest(_))
    ));
}
