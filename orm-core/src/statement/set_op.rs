//! Set operations between selects: `UNION`, `UNION ALL`, `INTERSECT`, `EXCEPT`.

use super::Select;

/// A set operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOperator {
    /// `UNION`: rows of either side, duplicates removed.
    Union,
    /// `UNION ALL`: rows of both sides, duplicates kept.
    UnionAll,
    /// `INTERSECT`: rows on both sides, duplicates removed.
    Intersect,
    /// `INTERSECT ALL`.
    IntersectAll,
    /// `EXCEPT`: rows of the left side not on the right, duplicates removed.
    Except,
    /// `EXCEPT ALL`.
    ExceptAll,
}

impl SetOperator {
    /// The SQL keywords.
    pub fn keyword(self) -> &'static str {
        match self {
            SetOperator::Union => "UNION",
            SetOperator::UnionAll => "UNION ALL",
            SetOperator::Intersect => "INTERSECT",
            SetOperator::IntersectAll => "INTERSECT ALL",
            SetOperator::Except => "EXCEPT",
            SetOperator::ExceptAll => "EXCEPT ALL",
        }
    }
}

/// `<op> <select>`, following the select that holds it.
///
/// ```
/// use orm_core::dialect::GenericDialect;
/// use orm_core::statement::{Select, SetOperation, SetOperator};
/// use orm_core::{Dialect, Expr};
///
/// let mut a = Select::from("a");
/// a.item(Expr::column("a", "x"));
/// let mut b = Select::from("b");
/// b.item(Expr::column("b", "y"));
/// a.set_ops.push(SetOperation { op: SetOperator::UnionAll, select: b });
/// a.order_by.push(orm_core::Col::<(), i32>::new("a", "x", 0).desc());
/// assert_eq!(
///     GenericDialect.compile(&a.into()).sql,
///     r#"SELECT "a"."x" FROM "a" UNION ALL SELECT "b"."y" FROM "b" ORDER BY "x" DESC"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SetOperation {
    /// The operator.
    pub op: SetOperator,
    /// The right-hand select (parenthesized when it has its own ORDER BY, LIMIT, ...).
    pub select: Select,
}
