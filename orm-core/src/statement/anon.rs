//! Anonymous names: an `aliased::<Node>()` or an unnamed subquery gets a unique
//! marker as its name; the SQL writer renders each marker as `<base>_<n>` (`nodes_1`,
//! `nodes_2`, `anon_1`), numbered in order of first appearance in the statement. The
//! same query shape therefore always renders the same SQL text (one prepared
//! statement), however many aliases a program creates.
//!
//! A marker is `"\0<id>\0<base>"`: PostgreSQL identifiers cannot contain NUL, so a
//! marker never collides with a real name.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh anonymous alias of `table`, rendered `<table>_<n>`.
pub(crate) fn table_alias(table: &str) -> String {
    format!("\0{}\0{table}", NEXT_ID.fetch_add(1, Ordering::Relaxed))
}

/// A fresh anonymous name for a subquery, rendered `anon_<n>`.
pub(crate) fn subquery_alias() -> String {
    format!("\0{}\0", NEXT_ID.fetch_add(1, Ordering::Relaxed))
}

/// Whether `name` is an anonymous marker.
pub(crate) fn is_anon(name: &str) -> bool {
    name.starts_with('\0')
}

/// The table an anonymous table alias stands for (`None` for other names).
pub(crate) fn aliased_table(name: &str) -> Option<&str> {
    let rest = name.strip_prefix('\0')?;
    let (_, base) = rest.split_once('\0')?;
    (!base.is_empty()).then_some(base)
}

/// The prefix an anonymous name renders with (`nodes`, or `anon` for a subquery).
fn base(name: &str) -> &str {
    name.strip_prefix('\0')
        .and_then(|rest| rest.split_once('\0'))
        .map(|(_, base)| if base.is_empty() { "anon" } else { base })
        .unwrap_or(name)
}

/// `name` for a message: an anonymous alias reads `alias of nodes`.
pub(crate) fn describe(name: &str) -> Cow<'_, str> {
    if is_anon(name) {
        Cow::Owned(format!("alias of {}", base(name)))
    } else {
        Cow::Borrowed(name)
    }
}

/// The numbering of one statement's anonymous names.
#[derive(Debug, Default)]
pub(crate) struct AnonNames {
    seen: Vec<(String, String)>,
}

impl AnonNames {
    /// The rendered name of marker `name`: the same for every occurrence, the next
    /// free `<base>_<n>` for a marker not seen before.
    pub(crate) fn resolve(&mut self, name: &str) -> &str {
        let index = match self.seen.iter().position(|(m, _)| m == name) {
            Some(i) => i,
            None => {
                let prefix = base(name);
                let n = 1 + self.seen.iter().filter(|(m, _)| base(m) == prefix).count();
                self.seen.push((name.to_owned(), format!("{prefix}_{n}")));
                self.seen.len() - 1
            }
        };
        &self.seen[index].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_number_per_base_in_order_of_appearance() {
        let (a, b, s) = (table_alias("nodes"), table_alias("nodes"), subquery_alias());
        assert!(is_anon(&a) && !is_anon("nodes"));
        assert_eq!(aliased_table(&a), Some("nodes"));
        assert_eq!(aliased_table(&s), None);
        assert_eq!(describe(&a), "alias of nodes");
        let mut names = AnonNames::default();
        assert_eq!(names.resolve(&b), "nodes_1");
        assert_eq!(names.resolve(&s), "anon_1");
        assert_eq!(names.resolve(&a), "nodes_2");
        assert_eq!(names.resolve(&b), "nodes_1");
    }
}
