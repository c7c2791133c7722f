//! Relationships between new objects before any session: linking transient handles
//! (SQLAlchemy's `Article(author=ezz)`) works, reading either side shows the link,
//! and adding any one of them brings the whole graph into the session, both sides
//! in sync.

use orm_core::prelude::*;
use orm_core::StatementLog;
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
#[orm(many_to_many(tags = Tag, secondary = ArticleTag, backref = "articles"))]
pub struct Article {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub title: String,
    #[orm(foreign_key = "authors.id")]
    pub author_id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "tags")]
pub struct Tag {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub name: String,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "article_tags")]
pub struct ArticleTag {
    #[orm(primary_key, foreign_key = "articles.id", on_delete = "cascade")]
    pub article_id: i32,
    #[orm(primary_key, foreign_key = "tags.id", on_delete = "cascade")]
    pub tag_id: i32,
}

fn setup(name: &str) -> (TestDb, Session, StatementLog) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Author>()
        .with::<Article>()
        .with::<Tag>()
        .with::<ArticleTag>()
        .create_all(&db.engine)
        .expect("create_all");
    let log = StatementLog::attach(&db.engine);
    let session = db.engine.session();
    (db, session, log)
}

fn author(name: &str) -> Handle<Author> {
    Handle::new(Author {
        name: name.into(),
        ..Default::default()
    })
}

fn article(title: &str) -> Handle<Article> {
    Handle::new(Article {
        title: title.into(),
        ..Default::default()
    })
}

fn tag(name: &str) -> Handle<Tag> {
    Handle::new(Tag {
        name: name.into(),
        ..Default::default()
    })
}

fn titles(list: &[Handle<Article>]) -> Vec<String> {
    list.iter().map(|a| a.read().title.clone()).collect()
}

#[test]
fn linking_two_new_objects_then_adding_the_child_inserts_both() {
    let (db, session, _log) = setup("graph_child_first");
    let ezz = author("Ezz");
    let a = article("Clean Python");
    // Article(author=ezz): neither is in a session.
    a.set_related(Article::author, Some(&ezz)).unwrap();
    assert!(a.related(Article::author).unwrap().unwrap().ptr_eq(&ezz));
    assert_eq!(
        titles(&ezz.collection(Author::articles).unwrap()),
        ["Clean Python"]
    );
    assert_eq!(ezz.state(), InstanceState::Transient);

    session.attach(&a).unwrap();
    assert_eq!(ezz.state(), InstanceState::Pending, "the author came along");
    session.commit().unwrap();
    assert_eq!(a.read().author_id, ezz.read().id);
    assert!(ezz.read().id.is_some());
    assert_eq!(
        db.query_text(
            "SELECT a.title, au.name FROM articles a JOIN authors au ON au.id = a.author_id"
        ),
        [["Clean Python", "Ezz"]]
    );
}

#[test]
fn adding_the_parent_brings_children_the_user_no_longer_holds() {
    let (db, session, _log) = setup("graph_parent_first");
    let ezz = author("Ezz");
    for title in ["A1", "A2", "A3"] {
        // Each article handle is dropped at the end of the iteration.
        ezz.append(Author::articles, &article(title)).unwrap();
    }
    session.attach(&ezz).unwrap();
    let list = ezz.collection(Author::articles).unwrap();
    assert_eq!(titles(&list), ["A1", "A2", "A3"]);
    for a in &list {
        assert_eq!(a.state(), InstanceState::Pending);
        assert!(a.related(Article::author).unwrap().unwrap().ptr_eq(&ezz));
    }
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT count(*) FROM articles WHERE author_id IS NOT NULL"),
        [["3"]]
    );
}

#[test]
fn a_graph_of_three_kinds_joins_through_any_member() {
    let (db, session, _log) = setup("graph_three_kinds");
    let ezz = author("Ezz");
    let a = article("Tagged");
    let rust = tag("rust");
    let orm = tag("orm");
    a.set_related(Article::author, Some(&ezz)).unwrap();
    a.append(Article::tags, &rust).unwrap();
    orm.append(Tag::articles, &a).unwrap();
    assert_eq!(a.collection(Article::tags).unwrap().len(), 2);
    assert_eq!(titles(&rust.collection(Tag::articles).unwrap()), ["Tagged"]);

    // The tag is two links away from the author.
    session.attach(&orm).unwrap();
    for state in [ezz.state(), a.state(), rust.state(), orm.state()] {
        assert_eq!(state, InstanceState::Pending);
    }
    session.commit().unwrap();
    assert_eq!(db.count("authors"), 1);
    assert_eq!(db.count("article_tags"), 2);
    assert_eq!(
        db.query_text(
            "SELECT t.name FROM tags t JOIN article_tags x ON x.tag_id = t.id ORDER BY t.name"
        ),
        [["orm"], ["rust"]]
    );
}

#[test]
fn moving_a_new_child_between_new_parents_keeps_one_link() {
    let (db, session, _log) = setup("graph_move");
    let ezz = author("Ezz");
    let ahmed = author("Ahmed");
    let a = article("Moved");
    ezz.append(Author::articles, &a).unwrap();
    a.set_related(Article::author, Some(&ahmed)).unwrap();
    assert!(ezz.collection(Author::articles).unwrap().is_empty());
    assert_eq!(
        titles(&ahmed.collection(Author::articles).unwrap()),
        ["Moved"]
    );
    session.attach(&a).unwrap();
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT au.name FROM articles a JOIN authors au ON au.id = a.author_id"),
        [["Ahmed"]]
    );
    // ezz is no longer linked to anything the session took in: it stays out, as with
    // SQLAlchemy's cascade, which follows the links as they are.
    assert_eq!(db.count("authors"), 1);
    assert_eq!(ezz.state(), InstanceState::Transient);
}

#[test]
fn a_new_object_linked_to_a_session_object_brings_its_graph() {
    let (db, session, _log) = setup("graph_into_session");
    let ezz = session.add(Author {
        name: "Ezz".into(),
        ..Default::default()
    });
    session.commit().unwrap();
    let a = article("Draft");
    let t = tag("draft");
    a.append(Article::tags, &t).unwrap();
    ezz.append(Author::articles, &a).unwrap();
    assert_eq!(t.state(), InstanceState::Pending);
    session.commit().unwrap();
    assert_eq!(db.count("article_tags"), 1);
    assert_eq!(a.read().author_id, ezz.read().id);
}

#[test]
fn new_objects_nobody_holds_are_freed() {
    let ezz = author("Ezz");
    let a = article("Orphan");
    a.set_related(Article::author, Some(&ezz)).unwrap();
    let (weak_author, weak_article) = (ezz.downgrade(), a.downgrade());
    drop(ezz);
    assert!(weak_article.upgrade().is_some());
    assert!(weak_author.upgrade().is_some(), "held through the article");
    drop(a);
    assert!(weak_author.upgrade().is_none());
    assert!(weak_article.upgrade().is_none());
}

#[test]
fn assigning_a_whole_collection_before_any_session() {
    let (db, session, _log) = setup("graph_replace_new");
    let ezz = author("Ezz");
    let (a1, a2, a3) = (article("A1"), article("A2"), article("A3"));
    ezz.set_collection(Author::articles, &[a1.clone(), a2.clone()])
        .unwrap();
    ezz.set_collection(Author::articles, &[a3.clone(), a2.clone()])
        .unwrap();
    assert_eq!(
        titles(&ezz.collection(Author::articles).unwrap()),
        ["A3", "A2"]
    );
    assert!(a1.related(Article::author).unwrap().is_none());
    assert!(a3.related(Article::author).unwrap().unwrap().ptr_eq(&ezz));

    session.attach(&ezz).unwrap();
    assert_eq!(a1.state(), InstanceState::Transient, "no longer linked");
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT title FROM articles ORDER BY title"),
        [["A2"], ["A3"]]
    );
}

#[test]
fn assigning_a_whole_collection_in_a_session() {
    let (db, session, log) = setup("graph_replace_loaded");
    db.execute_raw(
        "INSERT INTO authors (name) VALUES ('Ezz');
         INSERT INTO articles (title, author_id) VALUES ('A1', 1), ('A2', 1);",
    );
    let ezz = session.get::<Author>(1).unwrap().unwrap();
    let old = ezz.collection(Author::articles).unwrap();
    let fresh = article("A3");
    ezz.set_collection(Author::articles, &[old[1].clone(), fresh.clone()])
        .unwrap();
    assert_eq!(
        titles(&ezz.collection(Author::articles).unwrap()),
        ["A2", "A3"]
    );
    assert_eq!(fresh.state(), InstanceState::Pending);
    assert!(old[0].related(Article::author).unwrap().is_none());
    log.clear();
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT title, author_id FROM articles ORDER BY title"),
        [["A1", "NULL"], ["A2", "1"], ["A3", "1"]]
    );
    let writes = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("INSERT") || s.starts_with("UPDATE"))
        .count();
    assert_eq!(
        writes,
        2,
        "the INSERT of A3 and the UPDATE of A1: {:#?}",
        log.statements()
    );
}

#[test]
fn a_many_to_many_collection_is_replaced_too() {
    let (db, session, _log) = setup("graph_replace_m2m");
    let a = article("Tagged");
    let (rust, orm, sql) = (tag("rust"), tag("orm"), tag("sql"));
    a.set_collection(Article::tags, &[rust.clone(), orm.clone()])
        .unwrap();
    a.set_collection(Article::tags, &[orm.clone(), sql.clone()])
        .unwrap();
    assert!(rust.collection(Tag::articles).unwrap().is_empty());
    session.attach(&a).unwrap();
    session.commit().unwrap();
    assert_eq!(
        db.query_text(
            "SELECT t.name FROM tags t JOIN article_tags x ON x.tag_id = t.id ORDER BY t.name"
        ),
        [["orm"], ["sql"]]
    );
    assert_eq!(rust.state(), InstanceState::Transient);
}

#[test]
fn an_unlinked_new_object_left_behind_is_freed() {
    let (_db, session, _log) = setup("graph_left_behind");
    let ezz = author("Ezz");
    let weak = {
        let gone = article("Gone");
        ezz.append(Author::articles, &gone).unwrap();
        ezz.remove(Author::articles, &gone).unwrap();
        gone.downgrade()
    };
    assert!(weak.upgrade().is_some(), "still a member of the graph");
    session.attach(&ezz).unwrap();
    assert!(
        weak.upgrade().is_none(),
        "not taken in, and nobody holds it"
    );
}
