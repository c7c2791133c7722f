//! Deleting a parent whose children are not loaded: without a delete cascade their
//! foreign keys become NULL (one SELECT loads them, one batched UPDATE nulls them);
//! with one they are deleted; `passive_deletes` leaves them to the database's
//! `ON DELETE`; a NOT NULL foreign key without a cascade is refused before any SQL.

use orm_core::prelude::*;
use orm_core::StatementLog;
use tests::TestDb;

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "authors")]
#[orm(has_many(articles = Article, backref = "author"))]
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
#[orm(table = "orders")]
#[orm(has_many(lines = OrderLine, backref = "order", cascade = "all"))]
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

/// A NOT NULL foreign key and no cascade: deleting a team cannot keep its players.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "teams")]
#[orm(has_many(players = Player, backref = "team"))]
pub struct Team {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub name: String,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "players")]
pub struct Player {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub name: String,
    #[orm(foreign_key = "teams.id")]
    pub team_id: i32,
}

/// `passive_deletes` with `ON DELETE CASCADE`: the database deletes the books.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "shelves")]
#[orm(has_many(books = Book, backref = "shelf", cascade = "all", passive_deletes))]
pub struct Shelf {
    #[orm(primary_key)]
    pub id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "books")]
pub struct Book {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub title: String,
    #[orm(foreign_key = "shelves.id", on_delete = "cascade")]
    pub shelf_id: Option<i32>,
}

/// `passive_deletes` with `ON DELETE SET NULL`: the database empties the boxes' key.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "boxes")]
#[orm(has_many(items = Item, backref = "container", passive_deletes))]
pub struct Crate {
    #[orm(primary_key)]
    pub id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "items")]
pub struct Item {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(foreign_key = "boxes.id", on_delete = "set null")]
    pub box_id: Option<i32>,
}

/// `passive_deletes`, but the foreign key leaves the children to nobody.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "drawers")]
#[orm(has_many(socks = Sock, backref = "drawer", passive_deletes))]
pub struct Drawer {
    #[orm(primary_key)]
    pub id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "socks")]
pub struct Sock {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(foreign_key = "drawers.id")]
    pub drawer_id: Option<i32>,
}

fn setup(name: &str) -> (TestDb, Session, StatementLog) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Author>()
        .with::<Article>()
        .with::<Order>()
        .with::<OrderLine>()
        .with::<Team>()
        .with::<Player>()
        .with::<Shelf>()
        .with::<Book>()
        .with::<Crate>()
        .with::<Item>()
        .create_all(&db.engine)
        .expect("create_all");
    let log = StatementLog::attach(&db.engine);
    let session = db.engine.session();
    (db, session, log)
}

/// Statements that read or write rows, in order, each cut at its first keyword pair.
fn shape(log: &StatementLog) -> Vec<String> {
    log.statements()
        .into_iter()
        .filter(|s| {
            ["SELECT", "INSERT", "UPDATE", "DELETE"]
                .iter()
                .any(|k| s.starts_with(k))
        })
        .map(|s| {
            let words: Vec<&str> = s.split_whitespace().collect();
            match words[0] {
                "SELECT" => {
                    let from = words.iter().position(|w| *w == "FROM").unwrap_or(0);
                    format!("SELECT {}", words.get(from + 1).unwrap_or(&"?"))
                }
                "UPDATE" => format!("UPDATE {}", words[1]),
                _ => format!("{} {}", words[0], words[2]),
            }
        })
        .collect()
}

fn seed_authors(db: &TestDb) {
    db.execute_raw(
        "INSERT INTO authors (name) VALUES ('Ezz'), ('Ahmed');
         INSERT INTO articles (title, author_id)
         VALUES ('A1', 1), ('A2', 1), ('A3', 1), ('B1', 2);",
    );
}

#[test]
fn unloaded_children_get_a_null_foreign_key() {
    let (db, session, log) = setup("orphans_null");
    seed_authors(&db);
    let ezz = session.get::<Author>(1).unwrap().unwrap();
    log.clear();
    session.delete(&ezz).unwrap();
    session.commit().unwrap();

    assert_eq!(
        db.query_text("SELECT title, author_id FROM articles ORDER BY title"),
        [["A1", "NULL"], ["A2", "NULL"], ["A3", "NULL"], ["B1", "2"]]
    );
    assert_eq!(db.count("authors"), 1);
    // One SELECT for the children, one UPDATE for all three, then the DELETE.
    assert_eq!(
        shape(&log),
        [
            "SELECT \"articles\"",
            "UPDATE \"articles\"",
            "DELETE \"authors\""
        ]
    );
}

#[test]
fn children_in_memory_hold_the_null_after_the_flush() {
    let (db, session, _log) = setup("orphans_memory");
    seed_authors(&db);
    let a1 = session
        .query::<Article>()
        .filter(Article::title.eq("A1"))
        .one()
        .unwrap();
    let ezz = session.get::<Author>(1).unwrap().unwrap();
    session.delete(&ezz).unwrap();
    session.commit().unwrap();
    assert_eq!(a1.read().author_id, None);
    assert_eq!(a1.state(), InstanceState::Persistent);
    assert!(!a1.is_modified());
}

#[test]
fn rollback_gives_the_children_their_parent_back() {
    let (db, session, _log) = setup("orphans_rollback");
    seed_authors(&db);
    let a1 = session
        .query::<Article>()
        .filter(Article::title.eq("A1"))
        .one()
        .unwrap();
    let ezz = session.get::<Author>(1).unwrap().unwrap();
    session.delete(&ezz).unwrap();
    session.flush().unwrap();
    assert_eq!(a1.read().author_id, None);
    session.rollback().unwrap();
    assert_eq!(a1.read().author_id, Some(1));
    assert_eq!(ezz.state(), InstanceState::Persistent);
    assert_eq!(
        db.query_text("SELECT count(*) FROM articles WHERE author_id = 1"),
        [["3"]]
    );
}

#[test]
fn delete_cascade_reaches_children_that_were_not_loaded() {
    let (db, session, log) = setup("orphans_cascade");
    db.execute_raw(
        "INSERT INTO orders (reference) VALUES ('o-1'), ('o-2');
         INSERT INTO order_lines (sku, order_id) VALUES ('a', 1), ('b', 1), ('c', 2);",
    );
    let order = session.get::<Order>(1).unwrap().unwrap();
    log.clear();
    session.delete(&order).unwrap();
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT sku FROM order_lines ORDER BY sku"),
        [["c"]]
    );
    assert_eq!(db.count("orders"), 1);
    assert_eq!(
        shape(&log),
        [
            "SELECT \"order_lines\"",
            "DELETE \"order_lines\"",
            "DELETE \"orders\""
        ]
    );
}

#[test]
fn a_not_null_foreign_key_without_cascade_is_refused_before_any_sql() {
    let (db, session, log) = setup("orphans_not_null");
    db.execute_raw(
        "INSERT INTO teams (name) VALUES ('Reds');
         INSERT INTO players (name, team_id) VALUES ('Ann', 1);",
    );
    let reds = session.get::<Team>(1).unwrap().unwrap();
    log.clear();
    match session.delete(&reds).unwrap_err() {
        Error::OrphanedChildren {
            parent,
            relationship,
            column,
        } => {
            assert_eq!(parent, "teams");
            assert_eq!(relationship, "teams.players");
            assert_eq!(column, "players.team_id");
        }
        other => panic!("expected OrphanedChildren, got {other:?}"),
    }
    assert!(log.is_empty(), "{:#?}", log.statements());
    assert_eq!(reds.state(), InstanceState::Persistent);
    session.commit().unwrap();
    assert_eq!(db.count("teams"), 1);
}

#[test]
fn passive_deletes_leave_unloaded_children_to_on_delete_cascade() {
    let (db, session, log) = setup("orphans_passive_cascade");
    db.execute_raw(
        "INSERT INTO shelves DEFAULT VALUES;
         INSERT INTO books (title, shelf_id) VALUES ('a', 1), ('b', 1), ('c', 1);",
    );
    let shelf = session.get::<Shelf>(1).unwrap().unwrap();
    log.clear();
    session.delete(&shelf).unwrap();
    session.commit().unwrap();
    // No SELECT of the books, no DELETE of them: ON DELETE CASCADE did it.
    assert_eq!(shape(&log), ["DELETE \"shelves\""]);
    assert_eq!(db.count("books"), 0);
}

#[test]
fn passive_deletes_mirror_on_delete_cascade_in_memory() {
    let (db, session, log) = setup("orphans_passive_memory");
    db.execute_raw(
        "INSERT INTO shelves DEFAULT VALUES;
         INSERT INTO books (title, shelf_id) VALUES ('a', 1), ('b', 1);",
    );
    let a = session
        .query::<Book>()
        .filter(Book::title.eq("a"))
        .one()
        .unwrap();
    let shelf = session.get::<Shelf>(1).unwrap().unwrap();
    log.clear();
    session.delete(&shelf).unwrap();
    session.commit().unwrap();
    // The book in memory goes as its row goes; the other is the database's.
    assert_eq!(shape(&log), ["DELETE \"books\"", "DELETE \"shelves\""]);
    assert_eq!(a.state(), InstanceState::Detached);
    assert_eq!(db.count("books"), 0);
}

#[test]
fn passive_deletes_mirror_on_delete_set_null_in_memory() {
    let (db, session, log) = setup("orphans_passive_null");
    db.execute_raw(
        "INSERT INTO boxes DEFAULT VALUES;
         INSERT INTO items (box_id) VALUES (1), (1);",
    );
    let first = session.get::<Item>(1).unwrap().unwrap();
    let boxed = session.get::<Crate>(1).unwrap().unwrap();
    log.clear();
    session.delete(&boxed).unwrap();
    session.commit().unwrap();
    assert_eq!(first.read().box_id, None);
    assert!(!shape(&log).iter().any(|s| s.starts_with("SELECT")));
    assert_eq!(
        db.query_text("SELECT count(*) FROM items WHERE box_id IS NULL"),
        [["2"]]
    );
}

#[test]
fn passive_deletes_without_an_on_delete_action_is_a_schema_error() {
    let db = TestDb::new("orphans_passive_bad");
    let err = MetaData::new()
        .with::<Drawer>()
        .with::<Sock>()
        .create_all(&db.engine)
        .unwrap_err();
    assert!(
        matches!(&err, Error::Schema(m) if m.contains("drawers.socks") && m.contains("on_delete")),
        "{err:?}"
    );
    assert!(db.tables().is_empty(), "refused before any DDL");
    assert!(Drawer::socks.def().validate().is_err());
}
