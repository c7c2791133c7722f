//! The bench's tables: the tutorial's `Author`/`Article` as ORM models, the plain
//! structs the raw code maps rows into, and the generated data both sides insert.

use chrono::NaiveDateTime;
use orm_core::{MetaData, Model};

/// Columns of `authors`, in table order, for the raw statements.
pub const AUTHOR_COLUMNS: &str = "id, firstname, lastname, email, joined";

/// Columns of `articles`, in table order, for the raw statements.
pub const ARTICLE_COLUMNS: &str = "id, slug, title, created_on, updated_on, content, author_id";

/// The client-side timestamp used for `default`/`onupdate` (as in the tutorial).
pub fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// An author, as in the tutorial.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "authors")]
#[orm(has_many(articles = Article, backref = "author"))]
pub struct Author {
    /// Generated key.
    #[orm(primary_key)]
    pub id: Option<i32>,
    /// First name.
    #[orm(length = 100)]
    pub firstname: Option<String>,
    /// Last name.
    #[orm(length = 100)]
    pub lastname: Option<String>,
    /// E-mail address.
    #[orm(length = 255)]
    pub email: String,
    /// When the author joined (client-side default).
    #[orm(default = now)]
    pub joined: Option<NaiveDateTime>,
}

/// An article, as in the tutorial.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "articles")]
pub struct Article {
    /// Generated key.
    #[orm(primary_key)]
    pub id: Option<i32>,
    /// Unique URL slug.
    #[orm(length = 100, unique)]
    pub slug: String,
    /// Title.
    #[orm(length = 100)]
    pub title: String,
    /// Creation time (client-side default).
    #[orm(default = now)]
    pub created_on: Option<NaiveDateTime>,
    /// Last update time (client-side default and onupdate).
    #[orm(default = now, onupdate = now)]
    pub updated_on: Option<NaiveDateTime>,
    /// Body text, ~450 characters.
    pub content: Option<String>,
    /// The author.
    #[orm(foreign_key = "authors.id", on_delete = "cascade")]
    pub author_id: Option<i32>,
}

/// The bench's tables.
pub fn metadata() -> MetaData {
    MetaData::new().with::<Author>().with::<Article>()
}

/// An author row as the raw code reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct RawAuthor {
    /// `id`.
    pub id: i32,
    /// `firstname`.
    pub firstname: Option<String>,
    /// `lastname`.
    pub lastname: Option<String>,
    /// `email`.
    pub email: String,
    /// `joined`.
    pub joined: Option<NaiveDateTime>,
}

impl RawAuthor {
    /// Maps a row selected with [`AUTHOR_COLUMNS`].
    pub fn from_row(row: &postgres::Row) -> RawAuthor {
        RawAuthor {
            id: row.get(0),
            firstname: row.get(1),
            lastname: row.get(2),
            email: row.get(3),
            joined: row.get(4),
        }
    }
}

/// An article row as the raw code reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct RawArticle {
    /// `id`.
    pub id: i32,
    /// `slug`.
    pub slug: String,
    /// `title`.
    pub title: String,
    /// `created_on`.
    pub created_on: Option<NaiveDateTime>,
    /// `updated_on`.
    pub updated_on: Option<NaiveDateTime>,
    /// `content`.
    pub content: Option<String>,
    /// `author_id`.
    pub author_id: Option<i32>,
}

impl RawArticle {
    /// Maps a row selected with [`ARTICLE_COLUMNS`].
    pub fn from_row(row: &postgres::Row) -> RawArticle {
        RawArticle {
            id: row.get(0),
            slug: row.get(1),
            title: row.get(2),
            created_on: row.get(3),
            updated_on: row.get(4),
            content: row.get(5),
            author_id: row.get(6),
        }
    }
}

/// Filler for `content`: 450 characters.
const LOREM: &str = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod \
tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud \
exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in \
reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint \
occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum. \
Fin.";

/// The slug of the `i`-th article (1-based), the same on both sides and in the seed.
pub fn slug(i: usize) -> String {
    format!("article-{i}")
}

/// The title of the `i`-th article.
pub fn title(i: usize) -> String {
    format!("Title of article {i}")
}

/// The content of the `i`-th article: [`LOREM`] (450 characters).
pub fn content(_i: usize) -> String {
    LOREM.to_owned()
}

/// The e-mail of the `i`-th author.
pub fn email(i: usize) -> String {
    format!("author{i}@example.com")
}

/// The server-side expression of [`content`], for seeding with `generate_series`.
pub fn content_sql() -> String {
    format!("'{}'", LOREM.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_is_450_characters() {
        assert_eq!(super::LOREM.len(), 450);
    }
}
