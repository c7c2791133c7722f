//! Field and container attributes the derive rejects, one module per rule (named
//! after it); every error is reported at the span to change.

mod unknown_attribute {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(tabel = "articles")]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(lenght = 100)]
        slug: String,
        #[orm(table = "x")]
        title: String,
        #[orm(sparkle)]
        body: String,
    }
}

mod duplicate_attribute {
    use orm_core::Model;

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(length = 100, unique)]
        #[orm(length = 200)]
        slug: String,
    }
}

mod bad_attribute_value {
    use orm_core::Model;

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(length = "100")]
        slug: String,
        #[orm(default = "now")]
        created_on: Option<i64>,
    }
}

mod bad_on_delete_action {
    use orm_core::Model;

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(foreign_key = "authors.id", on_delete = "explode")]
        author_id: Option<i32>,
    }
}

mod foreign_key_not_table_dot_column {
    use orm_core::Model;

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(foreign_key = "authors")]
        author_id: Option<i32>,
        #[orm(foreign_key = "authors.id.x")]
        editor_id: Option<i32>,
    }
}

mod on_delete_without_foreign_key {
    use orm_core::Model;

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(on_delete = "cascade")]
        author_id: Option<i32>,
    }
}

mod length_with_sql_type {
    use orm_core::Model;

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(length = 10, sql_type = "TEXT")]
        title: String,
    }
}

mod skip_with_column_attribute {
    use orm_core::Model;

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(skip, unique)]
        cache: Vec<String>,
    }
}

mod nullable_primary_key {
    use orm_core::Model;

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key, nullable)]
        id: Option<i32>,
    }
}

mod default_on_non_option {
    use orm_core::Model;

    fn now() -> chrono::NaiveDateTime {
        chrono::DateTime::UNIX_EPOCH.naive_utc()
    }

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(default = now)]
        created_on: chrono::NaiveDateTime,
    }
}

mod two_fields_one_column {
    use orm_core::Model;

    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        title: String,
        #[orm(column = "title")]
        headline: String,
    }
}

mod two_version_columns {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "docs")]
    struct Doc {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(version)]
        version: i32,
        #[orm(version)]
        revision: i32,
    }
}

mod missing_primary_key {
    use orm_core::Model;

    #[derive(Model, Clone)]
    struct Article {
        id: Option<i32>,
        slug: String,
    }
}

mod enum_not_supported {
    use orm_core::Model;

    #[derive(Model, Clone)]
    enum Status {
        Draft,
        Published,
    }

    #[derive(Model, Clone)]
    struct Pair(i32, String);

    #[derive(Model, Clone)]
    struct Wrapper<T> {
        #[orm(primary_key)]
        id: Option<i32>,
        inner: T,
    }
}

mod field_named_like_a_setter {
    use orm_core::Model;

    // Handles get `title()` and `set_title(..)`; a field `set_title` would clash.
    #[derive(Model, Clone)]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        title: String,
        set_title: bool,
    }
}

mod check_not_a_string {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(check = "")]
    #[orm(check = price > 0)]
    struct Item {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(check = "price > 0")]
        price: i32,
    }
}

mod constraint_unknown_field {
    use orm_core::Model;

    #[derive(Model, Clone, Default)]
    #[orm(unique(team_id, usr_id))]
    #[orm(index(cache))]
    #[orm(unique(team_id, team_id))]
    struct Membership {
        #[orm(primary_key)]
        id: Option<i32>,
        team_id: i32,
        user_id: i32,
        #[orm(skip)]
        cache: Vec<u8>,
    }
}

mod db_enum_duplicate_label {
    use orm_core::DbEnum;

    #[derive(DbEnum, Debug, Clone, PartialEq)]
    enum Status {
        Paid,
        #[orm(rename = "paid")]
        Settled,
    }
}

mod db_enum_not_an_enum {
    use orm_core::DbEnum;

    #[derive(DbEnum, Debug, Clone, PartialEq)]
    struct Email(String);

    #[derive(DbEnum, Debug, Clone, PartialEq)]
    enum Never {}

    #[derive(DbEnum, Debug, Clone, PartialEq)]
    enum Tagged<T> {
        One,
        Other(T),
    }
}

mod db_enum_unknown_attribute {
    use orm_core::DbEnum;

    #[derive(DbEnum, Debug, Clone, PartialEq)]
    #[orm(typename = "order_status")]
    enum Status {
        Pending,
        #[orm(label = "PAID")]
        Paid,
    }
}

mod db_enum_variant_with_fields {
    use orm_core::DbEnum;

    #[derive(DbEnum, Debug, Clone, PartialEq)]
    enum Payment {
        Cash,
        Card { last4: String },
        Voucher(u32),
    }
}

mod db_newtype_not_one_field {
    use orm_core::DbNewtype;

    #[derive(DbNewtype, Debug, Clone, PartialEq)]
    struct Range(i32, i32);

    #[derive(DbNewtype, Debug, Clone, PartialEq)]
    struct Nothing;

    #[derive(DbNewtype, Debug, Clone, PartialEq)]
    enum Status {
        Paid,
    }

    #[derive(DbNewtype, Debug, Clone, PartialEq)]
    #[orm(sql_type = "TEXT")]
    struct Email(String);
}

mod index_bad_options {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(index(tags, method = "gin"))]
    #[orm(index(title, using = "gin; DROP TABLE x"))]
    #[orm(index(unique))]
    #[orm(index(id, using = "gin", using = "gist"))]
    struct Post {
        #[orm(primary_key)]
        id: Option<i32>,
        title: String,
        tags: Vec<String>,
    }
}

mod index_duplicate_name {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(index(title))]
    #[orm(index(slug, name = "ix_posts_slug_title"), index(slug, title, name = "ix_posts_slug_title"))]
    struct Post {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(index)]
        title: String,
        slug: String,
    }
}

fn main() {}
