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

fn main() {}
