//! Expressions: the untyped [`Expr`] tree and typed column handles ([`Col`]).

mod column;
mod node;
mod operand;

pub use column::{escape_like, Col, Order};
pub use node::{BinaryOp, ColumnRef, Expr};
pub use operand::Operand;
