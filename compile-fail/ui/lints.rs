//! Lints on generated code. A binary that uses some field accessors and not the
//! others gets no `dead_code` error for the others: the one error expected here is
//! the unused function, which shows that the lint is on.
#![deny(dead_code)]

use orm_core::{Handle, Model};

#[derive(Model, Clone, Default)]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    title: String,
    body: String,
}

fn never_called() {}

fn main() {
    let article = Handle::new(Article::default());
    article.set_title("only this accessor is used");
}
