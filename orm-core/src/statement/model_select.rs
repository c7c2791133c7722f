//! The statements a model's rows are read by: every column of its table, all rows
//! or one primary key, and the key conditions the unit of work matches rows with.
//! The session, relationship loading and the query builder all start from these,
//! so none of them needs another's module to build a SELECT.

use super::{Select, SelectItem};
use crate::expr::{BinaryOp, Expr};
use crate::schema::Table;
use crate::value::Value;

/// `SELECT <every column of table> FROM table`.
pub(crate) fn model_select(table: &'static Table) -> Select {
    let mut select = Select::from(table.name.as_str());
    select.items = model_items(table);
    select
}

/// Every column of `table`, qualified, as select items. Names are borrowed from the
/// `'static` table: building a model's SELECT allocates no strings.
pub(crate) fn model_items(table: &'static Table) -> Vec<SelectItem> {
    table
        .columns
        .iter()
        .map(|c| SelectItem {
            expr: Expr::column(table.name.as_str(), c.name.as_str()),
            alias: None,
        })
        .collect()
}

/// `SELECT <every column> FROM table WHERE <primary key> = pk`.
pub(crate) fn select_by_primary_key(table: &'static Table, pk: &[Value]) -> Select {
    let mut select = model_select(table);
    select.filter = Some(key_filter(table, pk));
    select
}

/// `pk1 = $1 AND pk2 = $2 ...` for `table`'s primary key.
pub(crate) fn key_filter(table: &Table, key: &[Value]) -> Expr {
    key_filter_on(table, table.primary_key_indices(), key)
}

/// `c1 = $1 AND c2 = $2 ...` for the given columns of `table`.
pub(crate) fn key_filter_on(table: &Table, columns: &[usize], key: &[Value]) -> Expr {
    Expr::all(columns.iter().zip(key).map(|(&i, v)| {
        Expr::column(table.name.clone(), table.columns[i].name.clone())
            .binary(BinaryOp::Eq, Expr::Value(v.clone()))
    }))
}
