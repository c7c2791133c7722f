//! Bulk UPDATE and DELETE with each synchronization strategy: the row counts, the
//! statements, the database afterwards, and the loaded instances afterwards.

use crate::common;
use crate::query_common;

use common::*;
use orm_core::{func, Error, Handle, InstanceState, SyncStrategy};
use query_common::*;

fn titles(db: &tests::TestDb) -> Vec<String> {
    db.query_text("SELECT title FROM articles ORDER BY id")
        .into_iter()
        .map(|mut r| r.remove(0))
        .collect()
}

fn loaded(session: &orm_core::Session) -> Vec<Handle<Article>> {
    session
        .query::<Article>()
        .order_by(Article::id)
        .all()
        .unwrap()
}

fn title_of(h: &Handle<Article>) -> String {
    h.read().title.clone()
}

#[test]
fn update_fetch_applies_returned_values() {
    let (db, s, log) = seeded("bulk_update_fetch");
    let arts = loaded(&s);
    let q = s.query::<Article>().filter(Article::author_id.eq(1));
    assert_eq!(q.update([Article::title.set("By Ezz")]).unwrap(), 2);
    assert_eq!(
        last_statement(&log),
        r#"UPDATE "articles" SET "title" = $1, "updated_on" = $2 WHERE "articles"."author_id" = $3 RETURNING "id", "title", "updated_on""#
    );
    assert_eq!(
        arts.iter().map(title_of).collect::<Vec<_>>(),
        ["By Ezz", TITLE_2, "By Ezz", TITLE_4]
    );
    assert!(
        arts.iter().all(|a| !a.is_modified()),
        "synchronized, not dirty"
    );
    s.commit().unwrap();
    assert_eq!(titles(&db), ["By Ezz", TITLE_2, "By Ezz", TITLE_4]);
}

#[test]
fn update_fetch_applies_expressions_computed_by_the_server() {
    let (db, s, log) = seeded("bulk_update_expr");
    let products = s.query::<Product>().order_by(Product::id).all().unwrap();
    let n = s
        .query::<Product>()
        .update([
            Product::stock.set(Product::stock + 5),
            Product::price.set(Product::price * 2.0),
        ])
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        last_statement(&log),
        r#"UPDATE "products" SET "stock" = "products"."stock" + $1, "price" = "products"."price" * $2 RETURNING "id", "stock", "price""#
    );
    let got: Vec<(Option<i32>, f64)> = products
        .iter()
        .map(|p| (p.read().stock, p.read().price))
        .collect();
    assert_eq!(got, [(Some(15), 3.0), (Some(8), 24.0), (None, 60.5)]);
    s.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT stock FROM products ORDER BY id"),
        [["15"], ["8"], ["NULL"]]
    );
}

#[test]
fn update_evaluate_matches_loaded_instances_in_memory() {
    let (db, s, log) = seeded("bulk_update_eval");
    let arts = loaded(&s);
    let q = s
        .query::<Article>()
        .filter(Article::slug.like("%python%") | Article::content.is_null());
    let n = q
        .update_with([Article::title.set("Matched")], SyncStrategy::Evaluate)
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        last_statement(&log),
        r#"UPDATE "articles" SET "title" = $1, "updated_on" = $2 WHERE "articles"."slug" LIKE $3 OR "articles"."content" IS NULL"#,
        "no RETURNING: nothing comes back"
    );
    assert_eq!(
        arts.iter().map(title_of).collect::<Vec<_>>(),
        ["Matched", "Matched", TITLE_3, "Matched"]
    );
    assert!(arts.iter().all(|a| !a.is_modified()));
    let before = log.len();
    s.flush().unwrap();
    assert_eq!(log.len(), before, "nothing left to flush");
    s.commit().unwrap();
    assert_eq!(titles(&db), ["Matched", "Matched", TITLE_3, "Matched"]);
}

#[test]
fn evaluate_understands_comparisons_lists_ranges_and_patterns() {
    let (_db, s, _log) = seeded("bulk_eval_ops");
    let arts = loaded(&s);
    let products = s.query::<Product>().order_by(Product::id).all().unwrap();
    // Each case: the instances evaluated in memory are the rows the server updated.
    let cases = [
        Article::id.in_([2, 4]),
        Article::id.between(1, 2) & !Article::id.eq(1),
        Article::author_id.ne(1),
        Article::author_id.not_in([2]),
        Article::title.ilike("CASE%"),
        Article::slug.starts_with("pg-") | Article::slug.ends_with("-postgres"),
        Article::slug.contains("_"),
        Article::author_id.is_null().not(),
        Article::id.ge(3).and(Article::id.le(3)),
        Article::id.not_in(Vec::<i32>::new()),
    ];
    for (i, cond) in cases.into_iter().enumerate() {
        let title = format!("case {i}");
        let n = s
            .query::<Article>()
            .filter(cond)
            .update_with([Article::title.set(title.clone())], SyncStrategy::Evaluate)
            .unwrap();
        let in_memory = arts.iter().filter(|a| a.read().title == title).count();
        assert_eq!(n as usize, in_memory, "case {i}");
        let in_db = s
            .query_columns(Article::id)
            .filter(Article::title.eq(title.clone()))
            .count()
            .unwrap();
        assert_eq!(in_db as usize, in_memory, "case {i}");
    }
    // Numbers compare across types; NULL never matches.
    let n = s
        .query::<Product>()
        .filter(Product::price.gt(10.0) & Product::stock.lt(5))
        .update_with([Product::name.set("cheap-stock")], SyncStrategy::Evaluate)
        .unwrap();
    assert_eq!(n, 1);
    let names: Vec<String> = products.iter().map(|p| p.read().name.clone()).collect();
    assert_eq!(names, ["pen", "cheap-stock", "lamp"]);
}

#[test]
fn evaluate_refuses_what_it_cannot_evaluate_before_executing() {
    let (db, s, log) = seeded("bulk_eval_refuse");
    let _arts = loaded(&s);
    log.clear();
    let q = s
        .query::<Article>()
        .filter(func::lower(Article::slug).eq("orphan"));
    let err = q
        .update_with([Article::title.set("x")], SyncStrategy::Evaluate)
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("lower") && m.contains("SyncStrategy::Fetch")),
        "{err}"
    );
    let err = s
        .query::<Article>()
        .filter(Article::id.eq(1))
        .update_with(
            [Article::title.set(func::upper(Article::slug))],
            SyncStrategy::Evaluate,
        )
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("`title`")),
        "{err}"
    );
    let err = s
        .query::<Article>()
        .filter(Article::author_id.in_subquery(s.query_columns(Author::id)))
        .delete_with(SyncStrategy::Evaluate)
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("subquery")),
        "{err}"
    );
    assert!(dml(&log).is_empty(), "{:?}", dml(&log));
    // The session is fine, and Fetch does it.
    assert_eq!(q.update([Article::title.set("x")]).unwrap(), 1);
    s.commit().unwrap();
    assert_eq!(titles(&db)[3], "x");
}

#[test]
fn update_none_leaves_loaded_instances_stale() {
    let (db, s, log) = seeded("bulk_update_none");
    let arts = loaded(&s);
    let n = s
        .query::<Article>()
        .filter(Article::id.eq(1))
        .update_with([Article::title.set("Changed")], SyncStrategy::None)
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        last_statement(&log),
        r#"UPDATE "articles" SET "title" = $1, "updated_on" = $2 WHERE "articles"."id" = $3"#
    );
    assert_eq!(title_of(&arts[0]), TITLE_1, "stale until reloaded");
    s.query::<Article>().populate_existing().all().unwrap();
    assert_eq!(title_of(&arts[0]), "Changed");
    s.commit().unwrap();
    assert_eq!(titles(&db)[0], "Changed");
}

#[test]
fn delete_with_each_strategy() {
    for (i, sync) in [
        SyncStrategy::Fetch,
        SyncStrategy::Evaluate,
        SyncStrategy::None,
    ]
    .into_iter()
    .enumerate()
    {
        let (db, s, log) = seeded(&format!("bulk_delete_{i}"));
        let arts = loaded(&s);
        let n = s
            .query::<Article>()
            .filter(Article::author_id.eq(1))
            .delete_with(sync)
            .unwrap();
        assert_eq!(n, 2, "{sync:?}");
        let returning = if sync == SyncStrategy::Fetch {
            r#" RETURNING "id""#
        } else {
            ""
        };
        assert_eq!(
            last_statement(&log),
            format!(r#"DELETE FROM "articles" WHERE "articles"."author_id" = $1{returning}"#)
        );
        let states: Vec<InstanceState> = arts.iter().map(|a| a.state()).collect();
        let (gone, kept) = match sync {
            SyncStrategy::None => (InstanceState::Persistent, InstanceState::Persistent),
            _ => (InstanceState::Deleted, InstanceState::Persistent),
        };
        assert_eq!(states, [gone, kept, gone, kept], "{sync:?}");
        if sync != SyncStrategy::None {
            assert!(s.get::<Article>(1).unwrap().is_none(), "{sync:?}");
        }
        s.commit().unwrap();
        if sync != SyncStrategy::None {
            assert_eq!(arts[0].state(), InstanceState::Detached);
        }
        assert_eq!(titles(&db), [TITLE_2, TITLE_4], "{sync:?}");
    }
}

#[test]
fn bulk_statements_refuse_joins_and_limits() {
    let (_db, s, log) = seeded("bulk_refuse");
    let joined = s.query::<Article>().join_fk::<Author>().unwrap();
    assert!(matches!(joined.delete(), Err(Error::InvalidRequest(_))));
    let limited = s.query::<Article>().limit(1);
    assert!(matches!(
        limited.update([Article::title.set("x")]),
        Err(Error::InvalidRequest(_))
    ));
    assert!(dml(&log).is_empty());
    assert_eq!(
        s.query::<Article>().update(Vec::new()).unwrap(),
        0,
        "nothing to set"
    );
}

fn last_statement(log: &orm_core::StatementLog) -> String {
    dml(log).pop().expect("a statement was sent")
}
