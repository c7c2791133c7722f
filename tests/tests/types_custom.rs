//! A user's own types as columns: newtypes through `#[derive(DbNewtype)]` (a key, a
//! `VARCHAR(n)` string, a number), and any other type through `CustomType` (two
//! conversions): stored, loaded, compared, used as array elements and as keys.

use orm_core::prelude::*;
use orm_core::{Error, SqlType, Value};
use tests::TestDb;

/// A product code: the primary key, given by the application.
#[derive(DbNewtype, Debug, Clone, PartialEq)]
pub struct Sku(String);

#[derive(DbNewtype, Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Cents(i64);

#[derive(DbNewtype, Debug, Clone, PartialEq)]
pub struct Email {
    address: String,
}

/// A 2-D point stored as the text `x;y`: not a newtype, so `CustomType` by hand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    x: i32,
    y: i32,
}

impl CustomType for Point {
    type Repr = String;

    fn to_repr(&self) -> String {
        format!("{};{}", self.x, self.y)
    }

    fn from_repr(text: String) -> orm_core::Result<Self> {
        let parse = |s: Option<&str>| s.and_then(|s| s.trim().parse().ok());
        let mut parts = text.split(';');
        match (parse(parts.next()), parse(parts.next()), parts.next()) {
            (Some(x), Some(y), None) => Ok(Point { x, y }),
            _ => Err(Error::Conversion(format!("`{text}` is not a point"))),
        }
    }

    /// Points are short: `VARCHAR(23)` holds two `i32`s and the separator.
    fn sql_type(_length: Option<u32>) -> SqlType {
        SqlType::Varchar(23)
    }
}

#[derive(Model, Clone, Debug, PartialEq)]
#[orm(table = "products")]
pub struct Product {
    #[orm(primary_key)]
    pub sku: Sku,
    pub price: Cents,
    #[orm(length = 100)]
    pub contact: Option<Email>,
    pub location: Point,
    pub route: Vec<Point>,
}

fn product(sku: &str, price: i64) -> Product {
    Product {
        sku: Sku(sku.into()),
        price: Cents(price),
        contact: None,
        location: Point { x: 0, y: 0 },
        route: vec![],
    }
}

fn setup(name: &str) -> (TestDb, Session) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Product>()
        .create_all(&db.engine)
        .unwrap();
    let session = db.engine.session();
    (db, session)
}

#[test]
fn columns_take_the_representation_types() {
    let (db, _session) = setup("custom_ddl");
    assert_eq!(
        db.query_text(
            "SELECT column_name, format_type(atttypid, atttypmod), is_nullable FROM information_schema.columns c \
             JOIN pg_attribute a ON a.attrelid = 'products'::regclass AND a.attname = c.column_name \
             WHERE c.table_schema = current_schema() AND c.table_name = 'products' ORDER BY ordinal_position"
        ),
        [
            ["sku", "text", "NO"],
            ["price", "bigint", "NO"],
            ["contact", "character varying(100)", "YES"],
            ["location", "character varying(23)", "NO"],
            ["route", "character varying(23)[]", "NO"]
        ]
    );
    let sku = &Product::table().columns[0];
    assert!(sku.primary_key && !sku.autoincrement);
}

#[test]
fn values_round_trip_compare_and_serve_as_keys() {
    let (db, session) = setup("custom_round_trip");
    session.add(Product {
        contact: Some(Email {
            address: "shop@example.com".into(),
        }),
        location: Point { x: -3, y: 7 },
        route: vec![Point { x: 1, y: 2 }, Point { x: 3, y: 4 }],
        ..product("A-1", 1999)
    });
    session.add(product("B-2", 500));
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT sku, price, contact, location, route FROM products ORDER BY sku"),
        [
            ["A-1", "1999", "shop@example.com", "-3;7", "{1;2,3;4}"],
            ["B-2", "500", "NULL", "0;0", "{}"]
        ]
    );
    let fresh = db.engine.session();
    let a = fresh.get::<Product>(Sku("A-1".into())).unwrap().unwrap();
    assert_eq!(a.read().route[1], Point { x: 3, y: 4 });
    assert!(
        fresh
            .get::<Product>(Sku("A-1".into()))
            .unwrap()
            .unwrap()
            .ptr_eq(&a),
        "the identity map is keyed by the representation"
    );
    let cheap: Vec<String> = fresh
        .query::<Product>()
        .filter(Product::price.lt(Cents(1000)))
        .all()
        .unwrap()
        .iter()
        .map(|p| p.read().sku.0.clone())
        .collect();
    assert_eq!(cheap, ["B-2"]);
    let at = fresh
        .query::<Product>()
        .filter(Product::location.eq(Point { x: -3, y: 7 }))
        .filter(Product::route.contains([Point { x: 3, y: 4 }]))
        .one()
        .unwrap();
    assert!(at.ptr_eq(&a));
    assert_eq!(
        Value::from(Cents(5)),
        Value::BigInt(5),
        "a newtype converts into its value"
    );
}

#[test]
fn a_value_the_conversion_refuses_is_a_typed_error_naming_the_column() {
    let (db, session) = setup("custom_bad_value");
    session.add(product("A-1", 1));
    session.commit().unwrap();
    db.execute_raw("UPDATE products SET location = 'nowhere'");
    let err = db.engine.session().query::<Product>().all().unwrap_err();
    assert!(matches!(err, Error::Conversion(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "type conversion error: column `products.location`: `nowhere` is not a point"
    );
}

#[test]
fn a_newtype_string_keeps_the_length_check() {
    let (db, session) = setup("custom_length");
    session.add(Product {
        contact: Some(Email {
            address: "x".repeat(101),
        }),
        ..product("A-1", 1)
    });
    let err = session.commit().unwrap_err();
    assert!(
        matches!(&err, Error::ValueTooLong { column, max: 100, len: 101, .. } if column == "contact"),
        "{err:?}"
    );
    session.rollback().unwrap();
    assert_eq!(db.count("products"), 0);
}
