//! The ON condition of a join along a declared foreign key.

use crate::error::{Error, Result};
use crate::expr::{BinaryOp, Expr};
use crate::schema::{ForeignKey, Table};

/// `child.fk_col = parent.key_col AND ...` for one foreign key.
fn fk_on(child: &Table, fk: &ForeignKey, parent: &Table) -> Expr {
    Expr::all(fk.columns.iter().zip(&fk.target_columns).map(|(c, p)| {
        Expr::column(child.name.clone(), c.clone())
            .binary(BinaryOp::Eq, Expr::column(parent.name.clone(), p.clone()))
    }))
}

/// The join condition between `right` and the one table of `left` it shares exactly
/// one foreign key with (in either direction). No foreign key, or several, is an
/// [`Error::InvalidRequest`] naming the tables: join with an explicit condition then.
pub(crate) fn fk_condition(left: &[&Table], right: &Table) -> Result<Expr> {
    let mut found: Vec<(&Table, &ForeignKey, &Table)> = Vec::new();
    for l in left.iter().copied() {
        for fk in l
            .foreign_keys
            .iter()
            .filter(|fk| fk.target_table == right.name)
        {
            found.push((l, fk, right));
        }
        for fk in right
            .foreign_keys
            .iter()
            .filter(|fk| fk.target_table == l.name)
        {
            found.push((right, fk, l));
        }
    }
    let names = || {
        left.iter()
            .map(|t| format!("`{}`", t.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match found.as_slice() {
        [(child, fk, parent)] => Ok(fk_on(child, fk, parent)),
        [] => Err(Error::InvalidRequest(format!(
            "no foreign key links `{}` with {}; join with an explicit condition",
            right.name,
            names()
        ))),
        several => Err(Error::InvalidRequest(format!(
            "{} foreign keys link `{}` with {} ({}); join with an explicit condition",
            several.len(),
            right.name,
            names(),
            several
                .iter()
                .map(|(c, fk, p)| format!("{}.{} -> {}", c.name, fk.columns.join(", "), p.name))
                .collect::<Vec<_>>()
                .join("; ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, SqlType};

    fn authors() -> Table {
        Table::new(
            "authors",
            vec![Column::new("id", SqlType::Integer).primary_key()],
        )
    }

    fn articles(fks: &[&str]) -> Table {
        let mut cols = vec![Column::new("id", SqlType::Integer).primary_key()];
        for c in fks {
            cols.push(Column::new(*c, SqlType::Integer).references("authors", "id"));
        }
        Table::new("articles", cols)
    }

    #[test]
    fn one_foreign_key_either_way() {
        let (au, ar) = (authors(), articles(&["author_id"]));
        let expected = Expr::column("articles", "author_id")
            .binary(BinaryOp::Eq, Expr::column("authors", "id"));
        assert_eq!(fk_condition(&[&ar], &au).unwrap(), expected);
        assert_eq!(fk_condition(&[&au], &ar).unwrap(), expected);
    }

    #[test]
    fn none_or_several_name_the_tables() {
        let au = authors();
        let none = fk_condition(&[&articles(&[])], &au)
            .unwrap_err()
            .to_string();
        assert!(
            none.contains("`authors`") && none.contains("`articles`"),
            "{none}"
        );
        let two = articles(&["author_id", "editor_id"]);
        let several = fk_condition(&[&two], &au).unwrap_err().to_string();
        assert!(several.contains("2 foreign keys"), "{several}");
        assert!(
            several.contains("articles.editor_id -> authors"),
            "{several}"
        );
    }
}
