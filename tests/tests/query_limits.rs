//! Statement limits: an `IN` list of any length is one array parameter, no statement
//! over the protocol's 65,535 parameters is ever sent, and an empty slice
//! (`limit(0)`) sends nothing.

use crate::common;
use crate::query_common;

use common::*;
use orm_core::statement::Insert;
use orm_core::{Error, Expr, SqlType, Statement, Value};
use query_common::*;

fn numbers_db(name: &str) -> (tests::TestDb, orm_core::Session, orm_core::StatementLog) {
    let (db, session, log) = seeded(name);
    db.execute_raw(
        "INSERT INTO products (name, price, stock) \
         SELECT 'p' || g, g, g FROM generate_series(1, 2000) AS g",
    );
    log.clear();
    (db, session, log)
}

#[test]
fn in_with_100000_values_is_one_parameter() {
    let (_db, s, log) = numbers_db("limits_in_list");
    // Even stocks from 2 to 200,000: those up to 2,000 exist.
    let evens: Vec<i32> = (1..=100_000).map(|i| i * 2).collect();
    let found: Vec<Option<i32>> = s
        .query_columns(Product::stock)
        .filter(Product::stock.in_(evens.clone()))
        .order_by(Product::stock)
        .all()
        .unwrap();
    let expected: Vec<Option<i32>> = (1..=1000).map(|i| Some(i * 2)).collect();
    // The fixture's own products have stock 10 and 3 (and NULL).
    let mut expected_all = expected.clone();
    expected_all.insert(4, Some(10));
    assert_eq!(found, expected_all);
    let entries = log.entries();
    let (sql, params) = entries.last().unwrap();
    assert!(sql.contains(r#""products"."stock" = ANY($1)"#), "{sql}");
    assert_eq!(params.len(), 1);

    let not_in = s
        .query::<Product>()
        .filter(Product::stock.not_in(evens))
        .count()
        .unwrap();
    // Odd stocks 1..1999 and the fixture's 3; NULL NOT IN (..) is unknown.
    assert_eq!(not_in, 1000 + 1);
    assert!(log.statements().last().unwrap().contains("<> ALL($1)"));
    // The connection is fine afterwards.
    assert_eq!(s.query::<Product>().count().unwrap(), 2003);
}

#[test]
fn in_on_typed_expressions_and_null_items_keep_sql_semantics() {
    let (_db, s, _log) = seeded("limits_in_semantics");
    let upper = orm_core::func::upper(Article::slug);
    let got = slugs_where(&s, upper.in_(["CLEAN-PYTHON", "ORPHAN"]));
    assert_eq!(got, ["clean-python", "orphan"]);
    // NULL in the list: `x NOT IN (1, NULL)` is never true.
    let got = slugs_where(&s, Article::author_id.not_in([Some(1), None]));
    assert!(got.is_empty(), "{got:?}");
    let got = slugs_where(&s, Article::author_id.in_([Some(2), None]));
    assert_eq!(got, ["pg-catalogs"]);
    // Empty lists need no parameter at all.
    let got = slugs_where(&s, Article::id.in_(Vec::<i32>::new()));
    assert!(got.is_empty());
}

fn slugs_where(s: &orm_core::Session, cond: Expr) -> Vec<String> {
    s.query_columns(Article::slug)
        .filter(cond)
        .order_by(Article::id)
        .all()
        .unwrap()
}

#[test]
fn a_statement_over_the_parameter_limit_is_refused_before_sending() {
    let (db, s, log) = numbers_db("limits_refused");
    // A list of expressions (not plain values) cannot be one array.
    let list: Vec<Expr> = (0..70_000)
        .map(|i| Expr::Cast {
            expr: Box::new(Expr::value(i)),
            sql_type: SqlType::Integer,
        })
        .collect();
    let cond = Expr::InList {
        expr: Box::new(Expr::column("products", "stock")),
        list,
        negated: false,
    };
    let err = s.query::<Product>().filter(cond).all().unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooManyParameters {
                count: 70_000,
                max: 65_535
            }
        ),
        "{err:?}"
    );
    assert!(log.is_empty(), "nothing sent: {:?}", log.statements());

    // A hand-built INSERT of 70,000 one-value rows, through a plain connection.
    let insert = Insert {
        table: "products".into(),
        columns: vec!["name".into()],
        rows: (0..70_000)
            .map(|i| vec![Value::Text(format!("n{i}"))])
            .collect(),
        on_conflict: None,
        returning: Vec::new(),
    };
    let mut conn = db.engine.connect().unwrap();
    let compiled = conn.dialect().compile(&Statement::Insert(insert));
    assert_eq!(compiled.params.len(), 70_000);
    let err = conn.execute_compiled(&compiled).unwrap_err();
    assert!(matches!(err, Error::TooManyParameters { .. }), "{err:?}");
    let err = conn.query(&compiled.sql, &compiled.params).unwrap_err();
    assert!(matches!(err, Error::TooManyParameters { .. }), "{err:?}");
    assert!(log.is_empty(), "nothing sent: {:?}", log.statements());
    // Neither the connection nor the session is harmed.
    assert_eq!(conn.query("SELECT 1", &[]).unwrap().len(), 1);
    assert_eq!(s.query::<Product>().count().unwrap(), 2003);
    assert_eq!(db.count("products"), 2003);
    // The limit is the dialect's.
    assert_eq!(conn.dialect().max_params(), 65_535);
}

#[test]
fn an_empty_slice_returns_nothing_without_sql() {
    let (_db, s, log) = seeded("limits_limit_zero");
    let q = s.query::<Article>().offset(2).limit(0);
    assert!(q.all().unwrap().is_empty());
    assert!(q.first().unwrap().is_none());
    assert!(q.one_or_none().unwrap().is_none());
    assert!(matches!(q.one(), Err(Error::NoResultFound(_))));
    assert!(q.nth(0).unwrap().is_none());
    assert_eq!(q.count().unwrap(), 0, "count of an empty slice is 0");
    assert!(!q.exists().unwrap());
    assert_eq!(q.iter().unwrap().count(), 0);
    assert_eq!(q.clone().into_iter().count(), 0);

    let cols = s.query_columns(Article::slug).limit(0);
    assert!(cols.all().unwrap().is_empty());
    assert_eq!(cols.count().unwrap(), 0);
    assert_eq!(cols.iter().unwrap().count(), 0);
    let pairs = s
        .query_models::<(Article, Option<Author>)>()
        .outer_join_fk::<Author>()
        .unwrap()
        .limit(0);
    assert!(pairs.all().unwrap().is_empty());
    assert_eq!(pairs.count().unwrap(), 0);
    assert!(log.is_empty(), "no SQL: {:?}", log.statements());

    // An empty slice of a session that needs rollback still says so.
    s.add(article("clean-python", "A duplicate slug"));
    assert!(matches!(s.flush(), Err(Error::UniqueViolation(_))));
    assert!(matches!(q.all(), Err(Error::PendingRollback(_))));
    assert!(matches!(q.count(), Err(Error::PendingRollback(_))));
}
