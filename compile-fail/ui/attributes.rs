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

fn main() {}
