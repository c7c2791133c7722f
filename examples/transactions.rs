//! Transactions: commit and rollback (which restores objects without a query),
//! savepoints, a failed flush and how to recover from it, and optimistic locking
//! with a version column.
//!
//! Run with `cargo run --example transactions` (server from `DATABASE_URL`).

use orm_core::prelude::*;
use orm_examples::Scratch;

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "accounts")]
pub struct Account {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(length = 50, unique)]
    pub owner: String,
    pub balance: i64,
    /// Bumped by every UPDATE and checked by it: a concurrent change is detected.
    #[orm(version)]
    pub version: i32,
}

fn account(owner: &str, balance: i64) -> Account {
    Account {
        owner: owner.into(),
        balance,
        ..Default::default()
    }
}

pub fn main() -> orm_core::Result<()> {
    let scratch = Scratch::new("transactions")?;
    let engine = orm_postgres::create_engine(scratch.url().clone())?;
    MetaData::new().with::<Account>().create_all(&engine)?;
    let session = engine.session();
    let alice = session.add(account("alice", 100));
    let bob = session.add(account("bob", 0));
    session.commit()?;

    // rollback() puts objects back as they were when the transaction began.
    alice.set_balance(0);
    session.flush()?;
    session.rollback()?;
    println!("after rollback alice has {}", alice.balance());
    assert_eq!(alice.balance(), 100);

    transfer_with_savepoint(&session, &alice, &bob)?;
    failed_flush(&session)?;
    optimistic_locking(&engine, &alice)
}

/// A savepoint: its work can be undone without losing the rest of the transaction.
fn transfer_with_savepoint(
    session: &Session,
    alice: &Handle<Account>,
    bob: &Handle<Account>,
) -> orm_core::Result<()> {
    alice.set_balance(alice.balance() - 30);
    bob.set_balance(bob.balance() + 30);
    let savepoint = session.begin_nested()?;
    alice.set_balance(alice.balance() - 1_000); // overdrawn: undo just this part
    session.flush()?;
    savepoint.rollback()?;
    session.commit()?;
    println!(
        "after the transfer: alice {}, bob {}",
        alice.balance(),
        bob.balance()
    );
    assert_eq!((alice.balance(), bob.balance()), (70, 30));
    Ok(())
}

/// A flush that fails (a duplicate owner) leaves the session waiting for rollback().
fn failed_flush(session: &Session) -> orm_core::Result<()> {
    session.add(account("alice", 5));
    let err = session.flush().expect_err("alice exists already");
    println!("flush failed: {err}");
    assert!(matches!(err, Error::UniqueViolation(_)));
    let blocked = session
        .query::<Account>()
        .count()
        .expect_err("must roll back first");
    assert!(matches!(blocked, Error::PendingRollback(_)));
    session.rollback()?;
    assert_eq!(session.query::<Account>().count()?, 2);
    Ok(())
}

/// Two sessions change the same row: the second commit finds the version moved on.
fn optimistic_locking(engine: &Engine, alice: &Handle<Account>) -> orm_core::Result<()> {
    let id = alice.id().expect("alice was inserted");
    let (first, second) = (engine.session(), engine.session());
    let mine = first.get::<Account>(id)?.expect("alice");
    let theirs = second.get::<Account>(id)?.expect("alice");
    mine.set_balance(mine.balance() + 1);
    first.commit()?;
    theirs.set_balance(theirs.balance() - 1);
    let err = second
        .commit()
        .expect_err("the row changed since it was read");
    println!("second writer: {err}");
    assert!(matches!(err, Error::StaleData(_)));
    second.rollback()?;
    Ok(())
}
