//! `SyncStrategy::Evaluate` with expressions on the row's own columns: arithmetic and
//! concatenation are computed in memory with PostgreSQL's rules, so loaded objects
//! equal their rows afterwards without anything coming back from the server; what
//! cannot be computed that way is refused before any SQL.

use crate::common;
use crate::query_common;

use common::*;
use orm_core::{func, Error, Handle, SyncStrategy};
use query_common::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

fn products(s: &orm_core::Session) -> Vec<Handle<Product>> {
    s.query::<Product>().order_by(Product::id).all().unwrap()
}

/// Each loaded product equals the row a fresh session reads.
fn assert_equal_rows(db: &tests::TestDb, loaded: &[Handle<Product>]) {
    let fresh = db.engine.session();
    let rows = products(&fresh);
    assert_eq!(rows.len(), loaded.len());
    for (h, row) in loaded.iter().zip(&rows) {
        assert_eq!(h.to_model(), row.to_model());
    }
}

#[test]
fn arithmetic_and_concatenation_are_evaluated_in_memory() {
    let (db, s, log) = seeded("eval_arith");
    let loaded = products(&s);
    log.clear();
    let n = s
        .query::<Product>()
        .filter(Product::price.lt(20.0))
        .update_with(
            [
                Product::stock.set(Product::stock - 10),
                Product::price.set(Product::price * 2.0 + 0.25),
                Product::name.set(Product::name.concat("!")),
            ],
            SyncStrategy::Evaluate,
        )
        .unwrap();
    assert_eq!(n, 2);
    let stmts = dml(&log);
    assert_eq!(stmts.len(), 1, "{stmts:?}");
    assert!(!stmts[0].contains("RETURNING"), "{}", stmts[0]);
    let got: Vec<(String, f64, Option<i32>)> = loaded
        .iter()
        .map(|p| (p.read().name.clone(), p.read().price, p.read().stock))
        .collect();
    assert_eq!(
        got,
        [
            ("pen!".to_owned(), 3.25, Some(0)),
            ("book!".to_owned(), 24.25, Some(-7)),
            ("lamp".to_owned(), 30.25, None),
        ]
    );
    assert!(loaded.iter().all(|p| !p.is_modified()));
    s.commit().unwrap();
    assert_equal_rows(&db, &loaded);
}

#[test]
fn assignments_see_the_old_row_and_nulls_stay_null() {
    let (db, s, _log) = seeded("eval_old_row");
    let loaded = products(&s);
    // Both right-hand sides read the values from before the update, as SQL does.
    s.query::<Product>()
        .update_with(
            [
                Product::stock.set(Product::stock * 2),
                Product::weight.set(Product::weight + Decimal::new(1, 3)),
            ],
            SyncStrategy::Evaluate,
        )
        .unwrap();
    assert_eq!(loaded[2].read().stock, None, "NULL * 2 is NULL");
    assert_eq!(loaded[0].read().weight, Some(Decimal::new(21, 3)));
    s.commit().unwrap();
    assert_equal_rows(&db, &loaded);
}

#[test]
fn integer_division_remainder_and_numeric_scale_follow_postgresql() {
    let (db, s, _log) = seeded("eval_random");
    let mut rng = StdRng::seed_from_u64(99);
    let loaded = products(&s);
    for round in 0..12 {
        for p in &loaded {
            let mut w = p.write();
            w.stock = rng.gen_bool(0.9).then(|| rng.gen_range(-1000..1000));
            w.weight = Some(Decimal::new(rng.gen_range(-100_000..100_000), 3));
            w.price = rng.gen_range(-1e3..1e3);
        }
        s.flush().unwrap();
        let k = rng.gen_range(1..9);
        let (stock, weight, price) = match round % 4 {
            0 => (
                Product::stock / k,
                Product::weight * Decimal::new(rng.gen_range(1..5000), 4),
                Product::price / 3.0,
            ),
            1 => (
                Product::stock % k,
                Product::weight - Decimal::new(5, 4),
                Product::price - 0.1,
            ),
            2 => (
                Product::stock * -k + 7,
                Product::weight % Decimal::new(7, 1),
                Product::price * Product::price,
            ),
            _ => (
                (Product::stock - k) / 2,
                Product::weight + Product::weight,
                Product::price + 1e-9,
            ),
        };
        s.query::<Product>()
            .filter((Product::stock % 2).ne(1))
            .update_with(
                [
                    Product::stock.set(stock),
                    Product::weight.set(weight),
                    Product::price.set(price),
                ],
                SyncStrategy::Evaluate,
            )
            .unwrap();
        s.commit().unwrap();
        assert_equal_rows(&db, &loaded);
    }
}

#[test]
fn what_cannot_be_evaluated_is_refused_before_any_sql() {
    let (db, s, log) = seeded("eval_refused");
    let loaded = products(&s);
    log.clear();
    let refusals = [
        // A function: not evaluated in memory.
        s.query::<Product>().update_with(
            [Product::name.set(func::upper(Product::name))],
            SyncStrategy::Evaluate,
        ),
        // Decimal division: PostgreSQL picks the result's scale.
        s.query::<Product>().update_with(
            [Product::weight.set(Product::weight / Decimal::new(3, 0))],
            SyncStrategy::Evaluate,
        ),
    ];
    for r in refusals {
        let err = r.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("SyncStrategy::Fetch")),
            "{err:?}"
        );
    }
    // Errors the database would raise are found before sending anything.
    loaded[0].write().stock = Some(i32::MAX);
    s.flush().unwrap();
    log.clear();
    let err = s
        .query::<Product>()
        .update_with(
            [Product::stock.set(Product::stock + 1)],
            SyncStrategy::Evaluate,
        )
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("out of range")),
        "{err:?}"
    );
    let err = s
        .query::<Product>()
        .update_with(
            [Product::stock.set(Product::stock / 0)],
            SyncStrategy::Evaluate,
        )
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("division by zero")),
        "{err:?}"
    );
    // A concatenation longer than the column's VARCHAR(50).
    let err = s
        .query::<Product>()
        .update_with(
            [Product::name.set(Product::name.concat("x".repeat(50)))],
            SyncStrategy::Evaluate,
        )
        .unwrap_err();
    assert!(
        matches!(err, Error::ValueTooLong { max: 50, .. }),
        "{err:?}"
    );
    assert!(dml(&log).is_empty(), "{:?}", dml(&log));
    s.commit().unwrap();
    assert_equal_rows(&db, &loaded);
}
