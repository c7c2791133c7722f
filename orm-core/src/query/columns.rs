//! [`Columns`]: what a column-tuple query selects, and how a row reads back as a
//! typed value or tuple.

use crate::error::Result;
use crate::expr::{Col, ColumnExpr, Expr, TypedExpr};
use crate::row::Row;
use crate::schema::ColumnType;
use std::borrow::Cow;

/// The select list of a [`ColumnQuery`](super::ColumnQuery): one column or typed
/// expression (results are its values, `Vec<T>`), or a tuple of 1 to 6 of them
/// (results are tuples, `Vec<(A, B, ..)>`), from any models.
pub trait Columns {
    /// One result: the value, or the tuple of values.
    type Output;

    /// The expressions, in select-list order.
    fn exprs(&self) -> Vec<Expr>;

    /// Reads one result from a row whose values are in select-list order.
    fn decode(row: &mut Row) -> Result<Self::Output>;

    /// Typed handles to the same columns read from a subquery or CTE: a
    /// [`TypedExpr`] per column (a tuple for a tuple), qualified by `source`, named
    /// by `names` (in select-list order).
    type Handles: Columns<Output = Self::Output> + Clone;

    /// The handles to the columns `names` of `source`.
    #[doc(hidden)]
    fn handles(source: Cow<'static, str>, names: &[Cow<'static, str>]) -> Self::Handles;
}

fn handle<T>(source: Cow<'static, str>, names: &[Cow<'static, str>], i: usize) -> TypedExpr<T> {
    TypedExpr::new(Expr::column(source, names[i].clone()))
}

impl<M, T: ColumnType> Columns for Col<M, T> {
    type Output = T;
    type Handles = TypedExpr<T>;

    fn handles(source: Cow<'static, str>, names: &[Cow<'static, str>]) -> TypedExpr<T> {
        handle(source, names, 0)
    }

    fn exprs(&self) -> Vec<Expr> {
        vec![self.to_expr()]
    }

    fn decode(row: &mut Row) -> Result<T> {
        row.take(0)
    }
}

impl<T: ColumnType> Columns for TypedExpr<T> {
    type Output = T;
    type Handles = TypedExpr<T>;

    fn handles(source: Cow<'static, str>, names: &[Cow<'static, str>]) -> TypedExpr<T> {
        handle(source, names, 0)
    }

    fn exprs(&self) -> Vec<Expr> {
        vec![self.to_expr()]
    }

    fn decode(row: &mut Row) -> Result<T> {
        row.take(0)
    }
}

macro_rules! tuple_columns {
    ($($name:ident $index:tt),+) => {
        impl<$($name: ColumnExpr),+> Columns for ($($name,)+) {
            type Output = ($($name::Type,)+);
            type Handles = ($(TypedExpr<$name::Type>,)+);

            fn handles(
                source: Cow<'static, str>,
                names: &[Cow<'static, str>],
            ) -> Self::Handles {
                ($(handle::<$name::Type>(source.clone(), names, $index),)+)
            }

            fn exprs(&self) -> Vec<Expr> {
                vec![$(self.$index.to_expr()),+]
            }

            fn decode(row: &mut Row) -> Result<Self::Output> {
                Ok(($(row.take::<$name::Type>($index)?,)+))
            }
        }
    };
}

tuple_columns!(A 0);
tuple_columns!(A 0, B 1);
tuple_columns!(A 0, B 1, C 2);
tuple_columns!(A 0, B 1, C 2, D 3);
tuple_columns!(A 0, B 1, C 2, D 3, E 4);
tuple_columns!(A 0, B 1, C 2, D 3, E 4, F 5);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::func;
    use crate::value::Value;

    struct Article;
    const ID: Col<Article, Option<i32>> = Col::new("articles", "id", 0);
    const SLUG: Col<Article, String> = Col::new("articles", "slug", 1);

    #[test]
    fn a_tuple_reads_its_values_in_order() {
        let cols = (SLUG, ID, func::count(ID));
        assert_eq!(cols.exprs().len(), 3);
        let mut row = Row::new(vec![Value::from("a"), Value::Null, Value::BigInt(3)]);
        let got = <(
            Col<Article, String>,
            Col<Article, Option<i32>>,
            TypedExpr<i64>,
        )>::decode(&mut row)
        .unwrap();
        assert_eq!(got, ("a".to_owned(), None, 3));
    }

    #[test]
    fn a_single_column_reads_its_value() {
        let mut row = Row::new(vec![Value::from("b")]);
        assert_eq!(<Col<Article, String>>::decode(&mut row).unwrap(), "b");
        let mut row = Row::new(vec![Value::Null]);
        assert!(<Col<Article, String>>::decode(&mut row).is_err());
    }
}
