//! Table-level constraints declared in the derive: composite UNIQUE constraints,
//! composite, unique, partial and GIN indexes, and CHECK constraints, as the catalog
//! reads them back after `create_all`, and as the server enforces them.

use orm_core::prelude::*;
use orm_core::{CheckConstraint, Error, Index};
use tests::TestDb;

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "memberships")]
#[orm(unique(team_id, user_id))]
#[orm(index(team_id, joined_on))]
#[orm(index(email, unique, where = "left_on IS NULL", name = "ux_active_email"))]
#[orm(index(roles, using = "gin"))]
#[orm(check = "left_on IS NULL OR left_on >= joined_on")]
#[orm(check = "seats > 0")]
pub struct Membership {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub team_id: i32,
    pub user_id: i32,
    #[orm(length = 100)]
    pub email: String,
    pub roles: Vec<String>,
    pub seats: i32,
    pub joined_on: chrono::NaiveDate,
    pub left_on: Option<chrono::NaiveDate>,
}

fn day(d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2024, 1, d).unwrap()
}

fn member(team_id: i32, user_id: i32, email: &str) -> Membership {
    Membership {
        team_id,
        user_id,
        email: email.into(),
        seats: 1,
        joined_on: day(10),
        ..Default::default()
    }
}

fn setup(name: &str) -> (TestDb, Session) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Membership>()
        .create_all(&db.engine)
        .unwrap();
    let session = db.engine.session();
    (db, session)
}

#[test]
fn the_derive_builds_the_table_metadata() {
    let t = Membership::table();
    assert_eq!(t.unique_constraints[0].columns, ["team_id", "user_id"]);
    assert_eq!(
        t.indexes,
        [
            Index::new(
                "ix_memberships_team_id_joined_on",
                &["team_id", "joined_on"]
            ),
            Index::new("ux_active_email", &["email"])
                .unique()
                .predicate("left_on IS NULL"),
            Index::new("ix_memberships_roles", &["roles"]).using("gin"),
        ]
    );
    assert_eq!(
        t.checks,
        [
            CheckConstraint {
                name: None,
                expr: "left_on IS NULL OR left_on >= joined_on".into()
            },
            CheckConstraint {
                name: None,
                expr: "seats > 0".into()
            },
        ]
    );
}

#[test]
fn create_all_emits_every_constraint_and_index() {
    let (db, _session) = setup("constraints_ddl");
    assert_eq!(
        db.query_text(
            "SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE conrelid = 'memberships'::regclass AND contype IN ('u', 'c') ORDER BY contype, conname"
        ),
        [
            ["c", "CHECK (((left_on IS NULL) OR (left_on >= joined_on)))"],
            ["c", "CHECK ((seats > 0))"],
            ["u", "UNIQUE (team_id, user_id)"]
        ]
    );
    let schema = &db.schema;
    assert_eq!(
        db.query_text(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() \
             AND tablename = 'memberships' AND indexname NOT LIKE '%pkey' AND indexname NOT LIKE '%key' \
             ORDER BY indexname"
        ),
        [
            [format!("CREATE INDEX ix_memberships_roles ON {schema}.memberships USING gin (roles)")],
            [format!("CREATE INDEX ix_memberships_team_id_joined_on ON {schema}.memberships USING btree (team_id, joined_on)")],
            [format!("CREATE UNIQUE INDEX ux_active_email ON {schema}.memberships USING btree (email) WHERE (left_on IS NULL)")],
        ]
    );
}

#[test]
fn the_server_enforces_them_with_typed_errors() {
    let (db, session) = setup("constraints_enforced");
    session.add(member(1, 1, "a@x"));
    session.commit().unwrap();

    session.add(member(1, 1, "b@x"));
    let err = session.commit().unwrap_err();
    assert!(
        matches!(&err, Error::UniqueViolation(i) if i.constraint.as_deref() == Some("memberships_team_id_user_id_key")),
        "{err:?}"
    );
    session.rollback().unwrap();

    session.add(member(2, 1, "a@x"));
    let err = session.commit().unwrap_err();
    assert!(
        matches!(&err, Error::UniqueViolation(i) if i.constraint.as_deref() == Some("ux_active_email")),
        "{err:?}"
    );
    session.rollback().unwrap();

    session.add(Membership {
        left_on: Some(day(1)),
        ..member(2, 2, "c@x")
    });
    let err = session.commit().unwrap_err();
    assert!(matches!(&err, Error::CheckViolation(_)), "{err:?}");
    session.rollback().unwrap();

    session.add(Membership {
        seats: 0,
        ..member(2, 3, "d@x")
    });
    assert!(matches!(session.commit(), Err(Error::CheckViolation(_))));
    session.rollback().unwrap();

    // The partial index only covers active rows: a former member's email may repeat.
    let a = session.get::<Membership>(1).unwrap().unwrap();
    a.write().left_on = Some(day(20));
    session.commit().unwrap();
    session.add(member(2, 1, "a@x"));
    session.commit().unwrap();
    assert_eq!(db.count("memberships"), 2);
}
