//! Expressions: the untyped [`Expr`] tree, typed column handles ([`Col`]), typed
//! expressions ([`TypedExpr`]) from arithmetic and [`func`]tions, subqueries, and
//! [`window`] functions.

mod arith;
mod array;
mod column;
pub mod func;
mod node;
mod operand;
mod subquery;
mod typed;
pub mod window;

pub use arith::{Numeric, TextType};
pub use array::ArrayExpr;
pub use column::{escape_like, Col, Order};
pub use node::{BinaryOp, ColumnRef, Expr};
pub use operand::Operand;
pub use subquery::{AsSelect, ColumnSubquery};
pub use typed::{ColumnExpr, TypedExpr};
pub use window::{Frame, FrameBound, FrameUnits, Window, WindowFn};
