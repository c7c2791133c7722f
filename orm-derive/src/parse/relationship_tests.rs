//! The relationship attributes on `parse_quote!` input: values, and the messages of
//! every error the parser reports.

use super::attr::Container;
use super::ctxt::Ctxt;
use super::rel_value::{CascadeSpec, Lazy, RelationshipKind};
use super::relationship::Relationship;
use quote::ToTokens;
use syn::parse_quote;

/// Parses the struct attributes, returning the relationships and every error message.
fn container(attrs: &[syn::Attribute]) -> (Vec<Relationship>, Vec<String>) {
    let cx = Ctxt::new();
    let container = Container::from_ast(&cx, attrs);
    let errors = match cx.check() {
        Ok(()) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    };
    (container.relationships, errors)
}

fn errors(attr: syn::Attribute) -> Vec<String> {
    container(&[attr]).1
}

fn one(attr: syn::Attribute) -> Relationship {
    let (mut rels, errs) = container(&[attr]);
    assert_eq!(errs, Vec::<String>::new());
    assert_eq!(rels.len(), 1);
    rels.remove(0)
}

#[test]
fn reads_every_option() {
    let r = one(parse_quote! {
        #[orm(has_many(articles = crate::Article, backref = "author", foreign_key = "author_id",
            cascade = "all, delete-orphan", lazy = "selectin", order_by = "-title"))]
    });
    assert_eq!(r.kind, RelationshipKind::HasMany);
    assert_eq!(r.name, "articles");
    assert_eq!(r.target.to_token_stream().to_string(), "crate :: Article");
    assert_eq!(r.backref.unwrap(), "author");
    assert!(r.back_populates.is_none() && r.secondary.is_none());
    assert_eq!(r.foreign_key.unwrap().value, "author_id");
    let cascade = r.cascade.unwrap().value;
    assert!(cascade.delete && cascade.delete_orphan);
    assert_eq!(r.lazy.unwrap().value, Lazy::Selectin);
    assert_eq!(r.order_by.unwrap().value, "-title");
    assert!(r.passive_deletes.is_none());
}

#[test]
fn passive_deletes_is_a_flag_of_the_parent_side() {
    let r = one(parse_quote!(#[orm(has_many(books = Book, passive_deletes))]));
    assert!(r.passive_deletes.unwrap().value);
    let r = one(parse_quote!(#[orm(has_one(body = Body, passive_deletes = false))]));
    assert!(!r.passive_deletes.unwrap().value);
    let errs = errors(parse_quote!(#[orm(belongs_to(shelf = Shelf, passive_deletes))]));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("`passive_deletes` goes on the one-to-many side"));
}

#[test]
fn relationships_repeat_and_keep_their_order() {
    let (rels, errs) = container(&[
        parse_quote!(#[orm(table = "articles", belongs_to(author = Author))]),
        parse_quote!(#[orm(many_to_many(tags = Tag, secondary = ArticleTag), has_one(body = Body))]),
    ]);
    assert_eq!(errs, Vec::<String>::new());
    let kinds: Vec<_> = rels.iter().map(|r| (r.name.to_string(), r.kind)).collect();
    use RelationshipKind::*;
    assert_eq!(
        kinds,
        [
            ("author".to_owned(), BelongsTo),
            ("tags".to_owned(), ManyToMany),
            ("body".to_owned(), HasOne)
        ]
    );
    assert!(rels[1].secondary.is_some());
}

#[test]
fn the_target_may_follow_the_options() {
    let r = one(parse_quote!(#[orm(has_many(back_populates = "author", articles = Article))]));
    assert_eq!(r.name, "articles");
    assert_eq!(r.back_populates.unwrap(), "author");
    assert_eq!(r.cascade.map(|c| c.value), None::<CascadeSpec>);
}

#[test]
fn an_unknown_second_item_is_an_unknown_option() {
    let errs = errors(parse_quote!(#[orm(has_many(articles = Article, uselist = false))]));
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with("unknown relationship option `uselist`, expected one of `backref`,"),
        "{}",
        errs[0]
    );
}

#[test]
fn unknown_option_lists_the_options_and_the_closest() {
    let errs = errors(parse_quote!(#[orm(has_many(articles = Article, bakref = "author"))]));
    assert_eq!(
        errs,
        ["unknown relationship option `bakref`, expected one of `backref`, `back_populates`, `foreign_key`, `cascade`, `lazy`, `order_by`, `secondary`, `passive_deletes`\nhelp: did you mean `backref`? the correct format looks like `#[orm(has_many(articles = Article, backref = \"author\"))]`"]
    );
}

#[test]
fn unknown_kind_lists_the_four_kinds() {
    let errs = errors(parse_quote!(#[orm(has_mny(articles = Article))]));
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with("unknown relationship kind `has_mny`, expected one of `has_many`, `has_one`, `belongs_to`, `many_to_many`\nhelp: did you mean `has_many`?"),
        "{}",
        errs[0]
    );
    let errs = errors(parse_quote!(#[orm(has_lots(articles = Article))]));
    assert!(
        errs[0].ends_with("\nhelp: the correct format looks like `#[orm(has_many(articles = Article, backref = \"author\"))]`"),
        "{}",
        errs[0]
    );
}

#[test]
fn relationship_on_a_field_says_where_it_goes() {
    let cx = Ctxt::new();
    let field: syn::Field = parse_quote!(#[orm(has_many(articles = Article))] id: i32);
    let _ = super::attr::Field::from_ast(&cx, &field);
    let errs: Vec<String> = cx
        .check()
        .unwrap_err()
        .into_iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with("`has_many` is a struct attribute, not a field attribute"),
        "{}",
        errs[0]
    );
}

#[test]
fn missing_target() {
    let errs = errors(parse_quote!(#[orm(has_many(backref = "author"))]));
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with("`has_many(..)` needs the relationship's name and target model first: `NAME = Type`\nhelp: the correct format looks like"),
        "{}",
        errs[0]
    );
    let errs = errors(parse_quote!(#[orm(belongs_to(author))]));
    assert!(errs[0].starts_with("expected `=`\nhelp:"), "{}", errs[0]);
}

#[test]
fn malformed_targets() {
    let cases: [(syn::Attribute, &str); 3] = [
        (
            parse_quote!(#[orm(has_many(articles = "Article"))]),
            "expected a model type, not a string",
        ),
        (
            parse_quote!(#[orm(has_many(articles = Vec<Article>))]),
            "expected the path of a model type",
        ),
        (
            parse_quote!(#[orm(many_to_many(tags = Tag, secondary = "article_tags"))]),
            "expected a model type, not a string",
        ),
    ];
    for (attr, start) in cases {
        let errs = errors(attr);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].starts_with(start), "{}", errs[0]);
        assert!(
            errs[0].contains("\nhelp: the correct format looks like"),
            "{}",
            errs[0]
        );
    }
}

#[test]
fn bad_words_are_reported_at_their_string() {
    let errs = errors(parse_quote! {
        #[orm(has_many(articles = Article, cascade = "all, explode", lazy = "subquery"))]
    });
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(
        errs[0].starts_with("unknown cascade `explode`, expected a comma-separated list of `save-update`, `merge`, `delete`, `delete-orphan`, `all`"),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].starts_with("unknown loading strategy \"subquery\", expected one of `select` (or `lazy`), `selectin`, `joined`, `raise`"),
        "{}",
        errs[1]
    );
}

#[test]
fn names_and_columns_are_checked() {
    let errs = errors(parse_quote! {
        #[orm(has_many(articles = Article, backref = "the author", foreign_key = "articles.author_id", order_by = "-"))]
    });
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(errs[0].starts_with("expected the accessor's name, a Rust identifier"));
    assert!(errs[1].starts_with(
        "expected a column name, got \"articles.author_id\"; name the column only: `foreign_key = \"author_id\"`"
    ));
    assert!(errs[2].starts_with("expected a column name, got \"-\""));
}

#[test]
fn options_that_contradict_each_other() {
    let errs = errors(parse_quote! {
        #[orm(has_many(articles = Article, backref = "author", back_populates = "author"))]
    });
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("`backref` and `back_populates` cannot be used together"));

    let errs = errors(parse_quote!(#[orm(many_to_many(tags = Tag))]));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("`many_to_many(..)` needs `secondary = AssociationModel`"));

    let errs = errors(parse_quote!(#[orm(has_many(tags = Tag, secondary = ArticleTag))]));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("`secondary` is only for `many_to_many(..)`"));
}

#[test]
fn cascades_flow_from_parent_to_children() {
    let errs = errors(parse_quote!(#[orm(belongs_to(author = Author, cascade = "all"))]));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("`cascade` goes on the one-to-many side"));

    let errs = errors(parse_quote! {
        #[orm(many_to_many(tags = Tag, secondary = ArticleTag, cascade = "all"))]
    });
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("a many-to-many relationship does not cascade `delete`"));

    let ok = one(parse_quote! {
        #[orm(many_to_many(tags = Tag, secondary = ArticleTag, cascade = "save-update, merge"))]
    });
    assert_eq!(ok.cascade.map(|c| c.value), Some(CascadeSpec::default()));

    let errs = errors(parse_quote!(#[orm(belongs_to(author = Author, order_by = "name"))]));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("`order_by` sorts a collection"));
}

#[test]
fn duplicate_options() {
    let errs = errors(parse_quote! {
        #[orm(has_many(articles = Article, lazy = "joined", lazy = "selectin"))]
    });
    assert_eq!(
        errs,
        ["duplicate attribute `lazy`\nhelp: remove one of the two"]
    );
}
