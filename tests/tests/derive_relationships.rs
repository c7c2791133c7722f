//! `#[derive(Model)]` relationship attributes, without a database: the typed accessors
//! on both sides, the generated definitions, their registration, and the foreign-key
//! resolution `validate()` runs.

use orm_core::relationship::RelationshipRegistration;
use orm_core::{Cascade, Error, Loading, Model, RelationKind, RelationshipDef, ToMany, ToOne};

// Authors and articles: `has_many` with a backref and every option.
#[derive(Model, Clone, Debug, Default)]
#[orm(table = "authors")]
#[orm(has_many(
    articles = Article,
    backref = "author",
    cascade = "all, delete-orphan",
    lazy = "selectin",
    order_by = "title"
))]
pub struct Author {
    #[orm(primary_key)]
    id: Option<i32>,
    name: String,
}

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "articles")]
#[orm(many_to_many(tags = Tag, secondary = ArticleTag, backref = "articles", foreign_key = "article_id"))]
pub struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    title: String,
    #[orm(foreign_key = "authors.id")]
    author_id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "tags")]
pub struct Tag {
    #[orm(primary_key)]
    id: Option<i32>,
    name: String,
}

/// The association model: a composite primary key of two foreign keys.
#[derive(Model, Clone, Debug, Default)]
#[orm(table = "article_tags")]
pub struct ArticleTag {
    #[orm(primary_key, foreign_key = "articles.id", on_delete = "cascade")]
    article_id: i32,
    #[orm(primary_key, foreign_key = "tags.id", on_delete = "cascade")]
    tag_id: i32,
}

// A self-referential tree: both accessors land on `Category`.
#[derive(Model, Clone, Debug, Default)]
#[orm(table = "categories")]
#[orm(has_many(children = Category, backref = "parent", order_by = "-name"))]
pub struct Category {
    #[orm(primary_key)]
    id: Option<i32>,
    name: String,
    #[orm(foreign_key = "categories.id")]
    parent_id: Option<i32>,
}

// `Self` names the struct.
#[derive(Model, Clone, Debug, Default)]
#[orm(table = "employees")]
#[orm(has_many(reports = Self, backref = "manager"))]
pub struct Employee {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(foreign_key = "employees.id")]
    manager_id: Option<i32>,
}

// One-to-one.
#[derive(Model, Clone, Debug, Default)]
#[orm(table = "users")]
#[orm(has_one(profile = Profile, backref = "user", cascade = "delete", lazy = "joined"))]
pub struct User {
    #[orm(primary_key)]
    id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "profiles")]
pub struct Profile {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(unique, foreign_key = "users.id")]
    user_id: Option<i32>,
}

// Both sides declared, each naming the other with `back_populates`.
#[derive(Model, Clone, Debug, Default)]
#[orm(table = "posts")]
#[orm(has_many(comments = Comment, back_populates = "post", lazy = "raise"))]
pub struct Post {
    #[orm(primary_key)]
    id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "comments")]
#[orm(belongs_to(post = Post, back_populates = "comments", lazy = "lazy"))]
pub struct Comment {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(foreign_key = "posts.id")]
    post_id: Option<i32>,
}

// Two foreign keys to one table: `foreign_key` on the relationship picks one.
#[derive(Model, Clone, Debug, Default)]
#[orm(table = "people")]
#[orm(has_many(sent = Message))]
#[orm(has_many(received = Message, foreign_key = "recipient_id"))]
#[orm(many_to_many(following = Person, secondary = Follow, foreign_key = "follower_id", back_populates = "followers"))]
#[orm(many_to_many(followers = Person, secondary = Follow, foreign_key = "followed_id", back_populates = "following"))]
pub struct Person {
    #[orm(primary_key)]
    id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "messages")]
#[orm(belongs_to(sender = Person, foreign_key = "sender_id", backref = "sent_messages"))]
pub struct Message {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(foreign_key = "people.id")]
    sender_id: i32,
    #[orm(foreign_key = "people.id")]
    recipient_id: i32,
}

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "follows")]
pub struct Follow {
    #[orm(primary_key, foreign_key = "people.id")]
    follower_id: i32,
    #[orm(primary_key, foreign_key = "people.id")]
    followed_id: i32,
}

fn tables(def: &RelationshipDef) -> (&'static str, &'static str) {
    ((def.source)().name.as_str(), (def.target)().name.as_str())
}

fn secondary(def: &RelationshipDef) -> Option<&'static str> {
    def.secondary.map(|t| t().name.as_str())
}

#[test]
fn accessors_have_the_descriptor_types() {
    let _: ToMany<Author, Article> = Author::articles;
    let _: ToOne<Article, Author> = Article::author;
    let _: ToMany<Category, Category> = Category::children;
    let _: ToOne<Category, Category> = Category::parent;
    let _: ToOne<User, Profile> = User::profile;
    let _: ToOne<Profile, User> = Profile::user;
    let _: ToMany<Article, Tag> = Article::tags;
    let _: ToMany<Tag, Article> = Tag::articles;
    let _: ToMany<Post, Comment> = Post::comments;
    let _: ToOne<Comment, Post> = Comment::post;
    let _: ToOne<Message, Person> = Message::sender;
    let _: ToMany<Person, Message> = Person::sent_messages;
    let _: ToMany<Person, Person> = Person::followers;
    // The column handles are still there beside the accessors.
    assert_eq!(Article::author_id.name(), "author_id");
}

#[test]
fn has_many_with_backref_and_every_option() {
    let def = Author::articles.def();
    assert_eq!(def.name, "articles");
    assert_eq!(def.kind, RelationKind::OneToMany);
    assert_eq!(tables(def), ("authors", "articles"));
    assert_eq!(def.reverse, Some("author"));
    assert_eq!(def.cascade, Cascade::new().delete(true).delete_orphan(true));
    assert_eq!(def.loading, Loading::Selectin);
    assert_eq!(def.order_by, Some("title"));
    assert_eq!(def.foreign_key, None);
    assert_eq!(secondary(def), None);
    assert!(def.is_collection());
    def.validate()
        .expect("articles.author_id references authors");

    let back = Article::author.def();
    assert_eq!(back.name, "author");
    assert_eq!(back.kind, RelationKind::ManyToOne);
    assert_eq!(tables(back), ("articles", "authors"));
    assert_eq!(back.reverse, Some("articles"));
    assert_eq!(
        back.cascade,
        Cascade::default(),
        "options stay on their side"
    );
    assert_eq!(back.loading, Loading::Lazy);
    assert_eq!(back.order_by, None);
    back.validate().expect("the backref finds the same key");
}

#[test]
fn self_referential_backref() {
    let children = Category::children.def();
    assert_eq!(children.kind, RelationKind::OneToMany);
    assert_eq!(tables(children), ("categories", "categories"));
    assert_eq!(children.reverse, Some("parent"));
    assert_eq!(children.order_by, Some("-name"));
    children
        .validate()
        .expect("the self-referencing foreign key");

    let parent = Category::parent.def();
    assert_eq!(parent.kind, RelationKind::ManyToOne);
    assert_eq!(parent.reverse, Some("children"));
    parent.validate().expect("the self-referencing foreign key");

    let _: ToMany<Employee, Employee> = Employee::reports;
    let manager: ToOne<Employee, Employee> = Employee::manager;
    assert_eq!(tables(manager.def()), ("employees", "employees"));
    manager.def().validate().expect("employees.manager_id");
}

#[test]
fn has_one_with_backref() {
    let def = User::profile.def();
    assert_eq!(def.kind, RelationKind::OneToOne);
    assert_eq!(tables(def), ("users", "profiles"));
    assert_eq!(def.reverse, Some("user"));
    assert_eq!(def.cascade, Cascade::new().delete(true));
    assert_eq!(def.loading, Loading::Joined);
    assert!(!def.is_collection());
    def.validate().expect("profiles.user_id");

    let back = Profile::user.def();
    assert_eq!(back.kind, RelationKind::ManyToOne);
    assert_eq!(tables(back), ("profiles", "users"));
    assert_eq!(back.reverse, Some("profile"));
    back.validate().expect("profiles.user_id");
}

#[test]
fn many_to_many_through_an_association_model() {
    let def = Article::tags.def();
    assert_eq!(def.kind, RelationKind::ManyToMany);
    assert_eq!(tables(def), ("articles", "tags"));
    assert_eq!(secondary(def), Some("article_tags"));
    assert_eq!(def.reverse, Some("articles"));
    assert_eq!(def.foreign_key, Some("article_id"));
    def.validate()
        .expect("article_tags has one key to each side");

    let back = Tag::articles.def();
    assert_eq!(back.kind, RelationKind::ManyToMany);
    assert_eq!(tables(back), ("tags", "articles"));
    assert_eq!(secondary(back), Some("article_tags"));
    assert_eq!(back.reverse, Some("tags"));
    assert_eq!(
        back.foreign_key, None,
        "the column points at `articles`, the backref's target"
    );
    back.validate()
        .expect("article_tags has one key to each side");
}

#[test]
fn back_populates_records_the_reverse_on_each_side() {
    let comments = Post::comments.def();
    assert_eq!(comments.kind, RelationKind::OneToMany);
    assert_eq!(comments.reverse, Some("post"));
    assert_eq!(comments.loading, Loading::Raise);
    comments.validate().expect("comments.post_id");

    let post = Comment::post.def();
    assert_eq!(post.kind, RelationKind::ManyToOne);
    assert_eq!(tables(post), ("comments", "posts"));
    assert_eq!(post.reverse, Some("comments"));
    assert_eq!(post.loading, Loading::Lazy, "\"lazy\" means select");
    post.validate().expect("comments.post_id");
}

#[test]
fn self_referential_many_to_many_names_each_column() {
    let following = Person::following.def();
    let followers = Person::followers.def();
    assert_eq!(following.foreign_key, Some("follower_id"));
    assert_eq!(followers.foreign_key, Some("followed_id"));
    assert_eq!(following.reverse, Some("followers"));
    assert_eq!(followers.reverse, Some("following"));
    assert_eq!(secondary(following), Some("follows"));
    following
        .validate()
        .expect("follower_id, then the other key");
    followers
        .validate()
        .expect("followed_id, then the other key");
}

#[test]
fn two_foreign_keys_to_one_table_are_ambiguous_without_foreign_key() {
    let err = Person::sent.def().validate().expect_err("ambiguous");
    let Error::Schema(msg) = err else {
        panic!("expected a schema error, got {err:?}");
    };
    assert!(
        msg.contains("`messages`") && msg.contains("`people`"),
        "{msg}"
    );
    assert!(
        msg.contains("sender_id") && msg.contains("recipient_id"),
        "{msg}"
    );
    assert!(
        msg.contains("foreign_key"),
        "the message names the fix: {msg}"
    );

    let received = Person::received.def();
    assert_eq!(received.foreign_key, Some("recipient_id"));
    received.validate().expect("foreign_key picks recipient_id");

    // On a `belongs_to`, the column is in the declaring model; its backref uses it too.
    Message::sender.def().validate().expect("sender_id");
    let sent = Person::sent_messages.def();
    assert_eq!(sent.foreign_key, Some("sender_id"));
    assert_eq!(sent.kind, RelationKind::OneToMany);
    sent.validate().expect("the backref uses sender_id too");
}

#[test]
fn every_direction_is_registered() {
    // By the declaring model's table (its address: other test modules linked into
    // the same binary declare tables of the same names).
    let registered: Vec<(&'static orm_core::Table, &str)> =
        orm_core::__private::inventory::iter::<RelationshipRegistration>
            .into_iter()
            .map(|r| (r.def)())
            .map(|d| ((d.source)(), d.name))
            .collect();
    let expected = [
        (Author::table(), "articles"),
        (Article::table(), "author"),
        (Article::table(), "tags"),
        (Tag::table(), "articles"),
        (Category::table(), "children"),
        (Category::table(), "parent"),
        (Employee::table(), "reports"),
        (Employee::table(), "manager"),
        (User::table(), "profile"),
        (Profile::table(), "user"),
        (Post::table(), "comments"),
        (Comment::table(), "post"),
        (Person::table(), "sent"),
        (Person::table(), "received"),
        (Person::table(), "following"),
        (Person::table(), "followers"),
        (Message::table(), "sender"),
        (Person::table(), "sent_messages"),
    ];
    for (table, name) in expected {
        let count = registered
            .iter()
            .filter(|(t, n)| std::ptr::eq(*t, table) && *n == name)
            .count();
        assert_eq!(count, 1, "{}.{name}", table.name);
    }
    // The registry hands out the accessors' own definitions.
    let articles = orm_core::__private::inventory::iter::<RelationshipRegistration>
        .into_iter()
        .map(|r| (r.def)())
        .find(|d| std::ptr::eq((d.source)(), Author::table()) && d.name == "articles");
    assert!(articles.is_some_and(|d| std::ptr::eq(d, Author::articles.def())));
}

#[test]
fn table_metadata_is_unchanged_by_relationships() {
    assert_eq!(Author::table().columns.len(), 2);
    assert_eq!(ArticleTag::table().primary_key_indices().len(), 2);
}
