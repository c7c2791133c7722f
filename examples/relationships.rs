//! Relationships (blogs, posts and tags): a one-to-many declared on one side with
//! its backref, a many-to-many through an association table, eager loading that removes the N+1
//! queries, joins along a relationship, and the delete-orphan cascade.
//!
//! Run with `cargo run --example relationships` (server from `DATABASE_URL`).

use orm_core::prelude::*;
use orm_examples::Scratch;

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "blogs")]
#[orm(has_many(posts = Post, backref = "blog", cascade = "all, delete-orphan", order_by = "title"))]
pub struct Blog {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub name: String,
}

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "posts")]
#[orm(many_to_many(tags = Tag, secondary = PostTag, backref = "posts", order_by = "name"))]
pub struct Post {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub title: String,
    #[orm(foreign_key = "blogs.id")]
    pub blog_id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "tags")]
pub struct Tag {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(unique)]
    pub name: String,
}

/// The association table behind `Post::tags` (and its backref `Tag::posts`).
#[derive(Model, Clone, Debug, Default)]
#[orm(table = "post_tags")]
pub struct PostTag {
    #[orm(primary_key, foreign_key = "posts.id", on_delete = "cascade")]
    pub post_id: i32,
    #[orm(primary_key, foreign_key = "tags.id", on_delete = "cascade")]
    pub tag_id: i32,
}

fn titles(posts: &[Handle<Post>]) -> Vec<String> {
    posts.iter().map(|a| a.title()).collect()
}

pub fn main() -> orm_core::Result<()> {
    let scratch = Scratch::new("relationships")?;
    let engine = orm_postgres::create_engine(scratch.url().clone())?;
    MetaData::new()
        .with::<Blog>()
        .with::<Post>()
        .with::<Tag>()
        .with::<PostTag>()
        .create_all(&engine)?;
    seed(&engine)?;
    eager_loading(&engine)?;
    cascades(&engine)
}

/// Objects linked in memory, in either direction, before any has an id.
fn seed(engine: &Engine) -> orm_core::Result<()> {
    let session = engine.session();
    let rust = session.add(Tag {
        name: "rust".into(),
        ..Default::default()
    });
    let sql = session.add(Tag {
        name: "sql".into(),
        ..Default::default()
    });
    for (name, titles) in [
        ("Ezz", ["Clean Python", "Ownership"]),
        ("Ahmed", ["Indexes", "Joins"]),
    ] {
        let blog = session.add(Blog {
            name: name.into(),
            ..Default::default()
        });
        for title in titles {
            let post = session.add(Post {
                title: title.into(),
                ..Default::default()
            });
            blog.append(Blog::posts, &post)?; // sets post.blog too
            post.append(Post::tags, &sql)?;
        }
    }
    let ownership = session
        .query::<Post>()
        .filter(Post::title.eq("Ownership"))
        .one()?; // autoflush: the pending objects are inserted first
    ownership.append(Post::tags, &rust)?;
    session.commit()?;
    let tagged: Vec<String> = ownership
        .collection(Post::tags)?
        .iter()
        .map(|t| t.name())
        .collect();
    println!("Ownership is tagged {tagged:?}");
    // In memory a collection keeps the order things were appended in; `order_by`
    // applies when it is loaded (as in the next step).
    assert_eq!(tagged, ["sql", "rust"]);
    assert_eq!(titles(&rust.collection(Tag::posts)?), ["Ownership"]);
    Ok(())
}

/// Two statements for every blog and every post (selectin), then one (joined).
fn eager_loading(engine: &Engine) -> orm_core::Result<()> {
    let log = StatementLog::attach(engine);
    let session = engine.session();
    let blogs = session
        .query::<Blog>()
        .options(selectin(Blog::posts))
        .order_by(Blog::name)
        .all()?;
    for blog in &blogs {
        let posts = blog.collection(Blog::posts)?; // already loaded: no SQL
        println!("{}: {:?}", blog.name(), titles(&posts));
    }
    let selects = || {
        log.statements()
            .iter()
            .filter(|s| s.starts_with("SELECT"))
            .count()
    };
    println!("selectin: {} SELECTs for blogs and posts", selects());
    assert_eq!(selects(), 2);

    // Along the relationship: the join condition comes from the foreign key.
    let by_ezz = session
        .query::<Post>()
        .join_related(Post::blog)?
        .filter(Blog::name.eq("Ezz"))
        .order_by(Post::title)
        .all()?;
    assert_eq!(titles(&by_ezz), ["Clean Python", "Ownership"]);

    log.clear();
    let other = engine.session();
    let blogs = other.query::<Blog>().options(joined(Blog::posts)).all()?;
    let count: usize = blogs
        .iter()
        .map(|a| a.collection(Blog::posts).map(|c| c.len()))
        .sum::<orm_core::Result<usize>>()?;
    println!("joined: {count} posts in {} SELECT", selects());
    assert_eq!((count, selects()), (4, 1));
    Ok(())
}

/// `delete-orphan`: a post taken out of its blog's collection is deleted;
/// `delete`: deleting the blog deletes the rest (and their tag links).
fn cascades(engine: &Engine) -> orm_core::Result<()> {
    let session = engine.session();
    let ahmed = session
        .query::<Blog>()
        .filter(Blog::name.eq("Ahmed"))
        .one()?;
    let joins = session
        .query::<Post>()
        .filter(Post::title.eq("Joins"))
        .one()?;
    ahmed.remove(Blog::posts, &joins)?;
    session.commit()?;
    assert_eq!(session.query::<Post>().count()?, 3);

    session.delete(&ahmed)?;
    session.commit()?;
    let left: Vec<String> = session
        .query::<Post>()
        .order_by(Post::title)
        .all()?
        .iter()
        .map(|a| a.title())
        .collect();
    println!("after the cascades: {left:?}");
    assert_eq!(left, ["Clean Python", "Ownership"]);
    Ok(())
}
