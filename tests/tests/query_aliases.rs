//! Aliases: a self-join, a table joined twice, aliases in filters, ordering and
//! results (as handles through the identity map), joins along a self-referential
//! relationship, and RIGHT / FULL OUTER joins.

use crate::common;
use crate::query_common;

use common::*;
use orm_core::{aliased, aliased_as, Error, Model, Session, StatementLog};
use query_common::*;
use tests::TestDb;

/// A self-referencing tree with a declared relationship.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "folders")]
#[orm(has_many(children = Folder, backref = "parent"))]
pub struct Folder {
    #[orm(primary_key)]
    pub id: i32,
    pub name: String,
    #[orm(foreign_key = "folders.id")]
    pub parent_id: Option<i32>,
}

/// Two foreign keys to `authors`: the table is joined twice.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "mentorships")]
pub struct Mentorship {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(foreign_key = "authors.id")]
    pub mentor_id: Option<i32>,
    #[orm(foreign_key = "authors.id")]
    pub mentee_id: Option<i32>,
}

const FOLDER_COLUMNS: &str = r#""folders"."id", "folders"."name", "folders"."parent_id""#;

/// root(1) -> docs(2), src(3); src -> lib(4), bin(5); lib -> deep(6).
fn folders(name: &str) -> (TestDb, Session, StatementLog) {
    let db = TestDb::new(name);
    orm_core::MetaData::new()
        .with::<Folder>()
        .create_all(&db.engine)
        .unwrap();
    let s = db.engine.session();
    let f = |id, name: &str, parent| Folder {
        id,
        name: name.into(),
        parent_id: parent,
    };
    s.add_all([
        f(1, "root", None),
        f(2, "docs", Some(1)),
        f(3, "src", Some(1)),
        f(4, "lib", Some(3)),
        f(5, "bin", Some(3)),
        f(6, "deep", Some(4)),
    ]);
    s.commit().unwrap();
    let log = StatementLog::attach(&db.engine);
    let s = db.engine.session();
    (db, s, log)
}

fn names(folders: &[orm_core::Handle<Folder>]) -> Vec<String> {
    folders.iter().map(|f| f.read().name.clone()).collect()
}

#[test]
fn a_self_join_filters_and_orders_on_the_alias() {
    let (_db, s, log) = folders("alias_self_join");
    let parent = aliased::<Folder>();
    let q = s
        .query::<Folder>()
        .join_to(&parent, Folder::parent_id.eq(parent.col(Folder::id)))
        .filter(parent.col(Folder::name).eq("src"))
        .order_by(parent.col(Folder::id).desc())
        .order_by(Folder::name);
    let sql = format!(
        r#"SELECT {FOLDER_COLUMNS} FROM "folders" JOIN "folders" AS "folders_1" ON "folders"."parent_id" = "folders_1"."id" WHERE "folders_1"."name" = $1 ORDER BY "folders_1"."id" DESC, "folders"."name""#
    );
    assert_eq!(q.compiled().sql, sql);
    assert_eq!(names(&q.all().unwrap()), ["bin", "lib"]);
    assert_eq!(log.statements().last().unwrap(), &sql);

    // The same query built again with a fresh alias renders the same text.
    let again = aliased::<Folder>();
    let q2 = s
        .query::<Folder>()
        .join_to(&again, Folder::parent_id.eq(again.col(Folder::id)))
        .filter(again.col(Folder::name).eq("src"))
        .order_by(again.col(Folder::id).desc())
        .order_by(Folder::name);
    assert_eq!(q2.compiled().sql, sql);
}

#[test]
fn aliases_in_results_are_handles_of_the_identity_map() {
    let (_db, s, _log) = folders("alias_results");
    let root = s.get::<Folder>(1).unwrap().unwrap();
    let parent = aliased_as::<Folder>("parent");
    let pairs = s
        .query::<Folder>()
        .join_to(&parent, Folder::parent_id.eq(parent.col(Folder::id)))
        .filter(parent.col(Folder::id).eq(1))
        .order_by(Folder::id)
        .with_alias(&parent);
    assert_eq!(
        pairs.compiled().sql,
        format!(
            r#"SELECT {FOLDER_COLUMNS}, "parent"."id", "parent"."name", "parent"."parent_id" FROM "folders" JOIN "folders" AS "parent" ON "folders"."parent_id" = "parent"."id" WHERE "parent"."id" = $1 ORDER BY "folders"."id""#
        )
    );
    let pairs = pairs.all().unwrap();
    assert_eq!(pairs.len(), 2);
    for (child, parent) in &pairs {
        assert!(parent.ptr_eq(&root), "the parent is the loaded root");
        assert_eq!(child.read().parent_id, Some(1));
    }

    // Every folder with its parent, `None` for the root (outer join).
    let all = aliased::<Folder>();
    let rows = s
        .query::<Folder>()
        .outer_join_to(&all, Folder::parent_id.eq(all.col(Folder::id)))
        .order_by(Folder::id)
        .with_optional_alias(&all)
        .all()
        .unwrap();
    let shape: Vec<(i32, Option<i32>)> = rows
        .iter()
        .map(|(c, p)| (c.read().id, p.as_ref().map(|p| p.read().id)))
        .collect();
    assert_eq!(
        shape,
        [
            (1, None),
            (2, Some(1)),
            (3, Some(1)),
            (4, Some(3)),
            (5, Some(3)),
            (6, Some(4))
        ]
    );
    assert!(rows[1].1.as_ref().unwrap().ptr_eq(&root));
}

#[test]
fn alias_columns_select_and_put_the_alias_in_from() {
    let (_db, s, _log) = folders("alias_columns");
    let parent = aliased::<Folder>();
    let q = s
        .query_columns((Folder::name, parent.col(Folder::name)))
        .filter(Folder::parent_id.eq(parent.col(Folder::id)))
        .order_by(Folder::id);
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "folders"."name", "folders_1"."name" FROM "folders", "folders" AS "folders_1" WHERE "folders"."parent_id" = "folders_1"."id" ORDER BY "folders"."id""#
    );
    let rows = q.all().unwrap();
    assert_eq!(
        rows,
        [
            ("docs".to_owned(), "root".to_owned()),
            ("src".into(), "root".into()),
            ("lib".into(), "src".into()),
            ("bin".into(), "src".into()),
            ("deep".into(), "lib".into()),
        ]
    );
}

#[test]
fn joins_along_a_self_referential_relationship_through_an_alias() {
    let (_db, s, _log) = folders("alias_join_related");
    // Folders with a child called "lib".
    let child = aliased::<Folder>();
    let q = s
        .query::<Folder>()
        .join_related_as(Folder::children, &child)
        .unwrap()
        .filter(child.col(Folder::name).eq("lib"));
    assert_eq!(
        q.compiled().sql,
        format!(
            r#"SELECT {FOLDER_COLUMNS} FROM "folders" JOIN "folders" AS "folders_1" ON "folders_1"."parent_id" = "folders"."id" WHERE "folders_1"."name" = $1"#
        )
    );
    assert_eq!(names(&q.all().unwrap()), ["src"]);

    // Folders whose parent is "src" (the many-to-one direction).
    let up = aliased::<Folder>();
    let q = s
        .query::<Folder>()
        .join_related_as(Folder::parent, &up)
        .unwrap()
        .filter(up.col(Folder::name).eq("src"))
        .order_by(Folder::name);
    assert_eq!(
        q.compiled().sql,
        format!(
            r#"SELECT {FOLDER_COLUMNS} FROM "folders" JOIN "folders" AS "folders_1" ON "folders"."parent_id" = "folders_1"."id" WHERE "folders_1"."name" = $1 ORDER BY "folders"."name""#
        )
    );
    assert_eq!(names(&q.all().unwrap()), ["bin", "lib"]);

    // Without an alias, joining a table to itself is refused with the way out.
    let err = s
        .query::<Folder>()
        .join_related(Folder::children)
        .err()
        .unwrap();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("join_related_as")),
        "{err}"
    );
}

#[test]
fn a_table_joined_twice() {
    let (db, s, _log) = seeded("alias_twice");
    orm_core::MetaData::new()
        .with::<Author>()
        .with::<Mentorship>()
        .create_all(&db.engine)
        .unwrap();
    let ids: Vec<Option<i32>> = s
        .query_columns(Author::id)
        .order_by(Author::id)
        .all()
        .unwrap();
    s.add(Mentorship {
        id: None,
        mentor_id: ids[0],
        mentee_id: ids[1],
    });
    s.flush().unwrap();
    let (mentor, mentee) = (aliased::<Author>(), aliased::<Author>());
    let q = s
        .query_columns((mentor.col(Author::email), mentee.col(Author::email)))
        .select_from::<Mentorship>()
        .join_to(&mentor, Mentorship::mentor_id.eq(mentor.col(Author::id)))
        .join_to(&mentee, Mentorship::mentee_id.eq(mentee.col(Author::id)));
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "authors_1"."email", "authors_2"."email" FROM "mentorships" JOIN "authors" AS "authors_1" ON "mentorships"."mentor_id" = "authors_1"."id" JOIN "authors" AS "authors_2" ON "mentorships"."mentee_id" = "authors_2"."id""#
    );
    assert_eq!(
        q.all().unwrap(),
        [("ezz@example.com".to_owned(), "ahmed@example.org".to_owned())]
    );
    // The plain table and an alias of it in one query.
    let mentee_of_ezz = s
        .query::<Author>()
        .join::<Mentorship>(Mentorship::mentee_id.eq(Author::id))
        .join_to(&mentor, Mentorship::mentor_id.eq(mentor.col(Author::id)))
        .filter(mentor.col(Author::email).eq("ezz@example.com"))
        .one()
        .unwrap();
    assert_eq!(mentee_of_ezz.read().email, "ahmed@example.org");
}

#[test]
fn right_and_full_outer_joins() {
    let (_db, s, _log) = seeded("alias_right_full");
    s.add(author("nobody@example.net"));
    s.flush().unwrap();
    let on = || Article::author_id.eq(Author::id);
    // Every author, with their articles where they have some.
    let right = s
        .query_models::<(Option<Article>, Author)>()
        .right_join::<Author>(on())
        .order_by(Author::id)
        .order_by(Article::id);
    assert_eq!(
        right.compiled().sql,
        format!(
            r#"SELECT {ARTICLE_COLUMNS}, {AUTHOR_COLUMNS} FROM "articles" RIGHT OUTER JOIN "authors" ON "articles"."author_id" = "authors"."id" ORDER BY "authors"."id", "articles"."id""#
        )
    );
    let shape: Vec<(Option<String>, String)> = right
        .all()
        .unwrap()
        .iter()
        .map(|(a, au)| {
            (
                a.as_ref().map(|a| a.read().slug.clone()),
                au.read().email.clone(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            (Some("clean-python".into()), "ezz@example.com".into()),
            (Some("sqlalchemy-postgres".into()), "ezz@example.com".into()),
            (Some("pg-catalogs".into()), "ahmed@example.org".into()),
            (None, "nobody@example.net".into()),
        ]
    );
    // Every article and every author, matched where they can be.
    let full = s
        .query_columns((Article::slug.nullable(), Author::email.nullable()))
        .select_from::<Article>()
        .full_join::<Author>(on())
        .order_by(Article::id.asc().nulls_last())
        .order_by(Author::id);
    assert_eq!(
        full.compiled().sql,
        r#"SELECT "articles"."slug", "authors"."email" FROM "articles" FULL OUTER JOIN "authors" ON "articles"."author_id" = "authors"."id" ORDER BY "articles"."id" NULLS LAST, "authors"."id""#
    );
    assert_eq!(
        full.all().unwrap(),
        [
            (Some("clean-python".into()), Some("ezz@example.com".into())),
            (Some("pg-catalogs".into()), Some("ahmed@example.org".into())),
            (
                Some("sqlalchemy-postgres".into()),
                Some("ezz@example.com".into())
            ),
            (Some("orphan".into()), None),
            (None, Some("nobody@example.net".into())),
        ]
    );
    assert_eq!(full.count().unwrap(), 5);
}
