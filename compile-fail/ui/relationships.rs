//! Relationship attributes the derive rejects, one module per rule (named after it).

mod unknown_relationship_kind {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_lots(articles = Article))]
    #[orm(has_mny(articles = Article))]
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

mod unknown_relationship_option {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_many(articles = Article, bakref = "author", uselist = false))]
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

mod relationship_without_target {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_many(backref = "author"))]
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

mod backref_not_an_identifier {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_many(articles = Article, backref = "written by"))]
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

mod backref_with_back_populates {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_many(articles = Article, backref = "author", back_populates = "author"))]
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

mod bad_cascade_word {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_many(articles = Article, cascade = "all, delete-orphan, explode"))]
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

mod bad_lazy_word {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_many(articles = Article, lazy = "subquery"))]
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

mod cascade_delete_on_many_to_many {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "articles")]
    #[orm(many_to_many(tags = Tag, secondary = ArticleTag, cascade = "all"))]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
    }

    #[derive(Model, Clone)]
    #[orm(table = "tags")]
    struct Tag {
        #[orm(primary_key)]
        id: Option<i32>,
    }

    #[derive(Model, Clone)]
    #[orm(table = "article_tags")]
    struct ArticleTag {
        #[orm(primary_key, foreign_key = "articles.id")]
        article_id: i32,
        #[orm(primary_key, foreign_key = "tags.id")]
        tag_id: i32,
    }
}

mod cascade_on_belongs_to {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    struct Author {
        #[orm(primary_key)]
        id: Option<i32>,
    }

    #[derive(Model, Clone)]
    #[orm(table = "articles")]
    #[orm(belongs_to(author = Author, backref = "articles", cascade = "all"))]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(foreign_key = "authors.id")]
        author_id: Option<i32>,
    }
}

mod duplicate_relationship_name {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_many(articles = Article))]
    #[orm(has_many(articles = Article, order_by = "-id"))]
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

mod many_to_many_without_secondary {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "articles")]
    #[orm(many_to_many(tags = Tag, backref = "articles"))]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
    }

    #[derive(Model, Clone)]
    #[orm(table = "tags")]
    struct Tag {
        #[orm(primary_key)]
        id: Option<i32>,
    }

    #[derive(Model, Clone)]
    #[orm(table = "article_tags")]
    struct ArticleTag {
        #[orm(primary_key, foreign_key = "articles.id")]
        article_id: i32,
        #[orm(primary_key, foreign_key = "tags.id")]
        tag_id: i32,
    }
}

mod secondary_without_many_to_many {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_many(articles = Article, secondary = Article))]
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

mod order_by_on_belongs_to {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    struct Author {
        #[orm(primary_key)]
        id: Option<i32>,
    }

    #[derive(Model, Clone)]
    #[orm(table = "articles")]
    #[orm(belongs_to(author = Author, backref = "articles", order_by = "name"))]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(foreign_key = "authors.id")]
        author_id: Option<i32>,
    }
}

mod relationship_foreign_key_not_a_column {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_many(articles = Article, foreign_key = "articles.author_id"))]
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

mod relationship_named_like_a_field {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    #[orm(has_many(name = Article))]
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

mod passive_deletes_on_belongs_to {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "authors")]
    struct Author {
        #[orm(primary_key)]
        id: Option<i32>,
    }

    #[derive(Model, Clone)]
    #[orm(table = "articles")]
    #[orm(belongs_to(author = Author, backref = "articles", passive_deletes))]
    struct Article {
        #[orm(primary_key)]
        id: Option<i32>,
        #[orm(foreign_key = "authors.id", on_delete = "cascade")]
        author_id: Option<i32>,
    }
}

mod passive_deletes_on_many_to_many {
    use orm_core::Model;

    #[derive(Model, Clone)]
    #[orm(table = "posts")]
    #[orm(many_to_many(tags = Tag, secondary = PostTag, passive_deletes))]
    struct Post {
        #[orm(primary_key)]
        id: Option<i32>,
    }

    #[derive(Model, Clone)]
    #[orm(table = "tags")]
    struct Tag {
        #[orm(primary_key)]
        id: Option<i32>,
    }

    #[derive(Model, Clone)]
    #[orm(table = "post_tags")]
    struct PostTag {
        #[orm(primary_key, foreign_key = "posts.id", on_delete = "cascade")]
        post_id: i32,
        #[orm(primary_key, foreign_key = "tags.id", on_delete = "cascade")]
        tag_id: i32,
    }
}

fn main() {}
