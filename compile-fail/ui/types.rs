//! Mistakes found by type checking the generated code, one module per rule (named
//! after it): the error lands on the user's field, string or call.

mod compare_wrong_type {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "articles")]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(length = 100, unique)]
        slug: String,
    }

    fn check() {
        let _ = Article::slug.eq("clean-python");
        let _ = Article::slug.eq(5);
    }
}

mod length_on_non_string {
    use orm_core::Model;

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(length = 100)]
        views: i64,
    }
}

mod model_not_clone {
    use orm_core::Model;

    #[derive(Model)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
    }
}

mod skip_field_without_default {
    use orm_core::Model;

    #[derive(Clone)]
    struct Cache;

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(skip)]
        cache: Cache,
    }
}

mod unsupported_field_type {
    use orm_core::Model;

    #[derive(Clone, PartialEq)]
    struct Money(i64);

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        price: Money,
    }
}

mod version_not_integer {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "docs")]
    struct Doc {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(version)]
        version: String,
    }
}

mod relationship_target_not_a_model {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_many(articles = String))]
    struct Author {
        #[orm(primary_key)]
        id: Option<i32>,
        name: String,
    }

    #[derive(Model, Clone)]
    #[orm(table = "articles")]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(foreign_key = "authors.id")]
        author_id: Option<i32>,
    }
}

mod back_populates_not_leading_back {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_many(articles = Article, back_populates = "author"))]
    #[orm(has_many(drafts = Draft))]
    struct Author {
        #[orm(primary_key)]
        id: Option<i32>,
    }

    // `drafts` leads from `Author` to `Draft`, not to `Article`.
    #[derive(Model, Clone)]
    #[orm(table = "articles")]
    #[orm(belongs_to(author = Author, back_populates = "drafts"))]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(foreign_key = "authors.id")]
        author_id: Option<i32>,
    }

    #[derive(Model, Clone)]
    #[orm(table = "drafts")]
    struct Draft {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(foreign_key = "authors.id")]
        author_id: Option<i32>,
    }
}

mod back_populates_without_other_side {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_many(articles = Article, back_populates = "author"))]
    struct Author {
        #[orm(primary_key)]
        id: Option<i32>,
        name: String,
    }

    #[derive(Model, Clone)]
    #[orm(table = "articles")]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(foreign_key = "authors.id")]
        author_id: Option<i32>,
    }
}

mod setter_takes_the_field_type {
    use orm_core::{Handle, Model};

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        title: String,
    }

    fn check(article: &Handle<Article>) {
        article.set_title("fine");
        article.set_title(5);
    }
}

mod version_has_no_setter {
    use orm_core::{Handle, Model};

    #[derive(Model, Clone)]
    struct Doc {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(version)]
        version: i32,
    }

    fn check(doc: &Handle<Doc>) {
        let _ = doc.version();
        doc.set_version(2);
    }
}

mod accessors_follow_field_privacy {
    use orm_core::Handle;

    mod models {
        use orm_core::Model;

        #[derive(Model, Clone)]
        pub struct Article {
            #[orm(primary_key)]
            pub id: Option<i32>,
            secret: String,
        }
    }

    fn check(article: &Handle<models::Article>) {
        let _ = article.id();
        let _ = article.secret();
        article.set_secret("x");
    }
}

mod alias_column_wrong_type {
    use orm_core::{aliased, Model};

    #[derive(Model, Clone)]
    #[orm(table = "nodes")]
    struct Node {
        #[orm(primary_key)]
        id: i32,
        name: String,
    }

    fn check() {
        let parent = aliased::<Node>();
        let _ = parent.col(Node::name).eq("root");
        let _ = parent.col(Node::name).eq(5);
    }
}

mod alias_of_another_model {
    use orm_core::{aliased, Model};

    #[derive(Model, Clone)]
    #[orm(table = "nodes")]
    struct Node {
        #[orm(primary_key)]
        id: i32,
    }

    #[derive(Model, Clone)]
    #[orm(table = "articles")]
    struct Article {
        #[orm(primary_key)]
        id: i32,
    }

    fn check() {
        let parent = aliased::<Node>();
        let _ = parent.col(Node::id);
        let _ = parent.col(Article::id);
    }
}

mod scalar_subquery_wrong_type {
    use orm_core::{Model, Session};

    #[derive(Model, Clone)]
    #[orm(table = "nodes")]
    struct Node {
        #[orm(primary_key)]
        id: i32,
        name: String,
    }

    fn check(session: &Session) {
        let names = session.query_columns(Node::name);
        let _ = Node::name.eq(names.scalar_subquery());
        let _ = Node::id.eq(names.scalar_subquery());
    }
}

mod window_function_wrong_type {
    use orm_core::{window, Model};

    #[derive(Model, Clone)]
    #[orm(table = "scores")]
    struct Score {
        #[orm(primary_key)]
        id: i32,
        game: String,
        points: i32,
    }

    fn check() {
        let rank = window::rank().over(window::partition_by(Score::game));
        let _ = rank.clone().le(3);
        let _ = rank.le("first");
    }
}

mod array_of_arrays {
    use orm_core::Model;

    #[derive(Model, Clone)]
    struct Board {
        #[orm(primary_key)]
        id: Option<i32>,
        cells: Vec<Vec<i32>>,
    }
}

mod column_type_by_hand {
    use orm_core::{ColumnType, FromValue, SqlType, ToValue, Value};

    /// The four hand-written impls an enum column used to need; `ColumnType` is no
    /// longer one of them.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Status {
        Pending,
        Paid,
    }

    impl ToValue for Status {
        fn to_value(&self) -> Value {
            Value::from(if *self == Status::Paid { "paid" } else { "pending" })
        }
    }

    impl FromValue for Status {
        fn from_value(value: Value) -> orm_core::Result<Self> {
            match String::from_value(value)?.as_str() {
                "paid" => Ok(Status::Paid),
                _ => Ok(Status::Pending),
            }
        }
    }

    impl ColumnType for Status {
        type Base = Status;

        fn sql_type(_length: Option<u32>) -> SqlType {
            SqlType::Text
        }
    }
}

mod compare_enum_with_text {
    use orm_core::{DbEnum, Model};

    #[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
    enum Status {
        Pending,
        Paid,
    }

    #[derive(Model, Clone)]
    struct Order {
        #[orm(primary_key)]
        id: Option<i32>,
        status: Status,
    }

    fn check() {
        let _ = Order::status.eq(Status::Paid);
        let _ = Order::status.eq("paid");
    }
}

mod custom_type_missing_conversion {
    use orm_core::{CustomType, Model};

    #[derive(Debug, Clone, PartialEq)]
    struct Point {
        x: i32,
        y: i32,
    }

    impl CustomType for Point {
        type Repr = String;

        fn to_repr(&self) -> String {
            format!("{},{}", self.x, self.y)
        }
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Polygon(Vec<(i32, i32)>);

    impl CustomType for Polygon {
        type Repr = Vec<(i32, i32)>;

        fn to_repr(&self) -> Vec<(i32, i32)> {
            self.0.clone()
        }

        fn from_repr(points: Vec<(i32, i32)>) -> orm_core::Result<Self> {
            Ok(Polygon(points))
        }
    }

    #[derive(Model, Clone)]
    struct Shape {
        #[orm(primary_key)]
        id: Option<i32>,
        at: Point,
    }
}

mod db_newtype_inner_not_a_column_type {
    use orm_core::DbNewtype;

    #[derive(Debug, Clone, PartialEq)]
    struct Point {
        x: i32,
        y: i32,
    }

    #[derive(DbNewtype, Debug, Clone, PartialEq)]
    struct Location(Point);
}

mod enum_field_without_derive {
    use orm_core::Model;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Status {
        Pending,
        Paid,
    }

    #[derive(Model, Clone)]
    struct Order {
        #[orm(primary_key)]
        id: Option<i32>,
        status: Status,
    }
}

mod native_enum_on_a_non_enum {
    use orm_core::Model;

    #[derive(Model, Clone)]
    struct Paint {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(native_enum = false)]
        color: String,
    }
}

fn main() {}
