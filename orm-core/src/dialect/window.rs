//! Default rendering of a window: `PARTITION BY .. ORDER BY .. <frame>`.

use super::expr::{write_expr, write_order};
use super::{Dialect, SqlWriter};
use crate::expr::{FrameBound, FrameUnits, Window};
use crate::value::Value;

/// The inside of `OVER (..)`; every part is optional.
pub(crate) fn write_window<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, window: &Window) {
    let mut sep = "";
    if !window.partition_by.is_empty() {
        w.push_sql("PARTITION BY ");
        w.push_list(&window.partition_by, ", ", |w, e| write_expr(w, e));
        sep = " ";
    }
    if !window.order_by.is_empty() {
        w.push_sql(sep);
        w.push_sql("ORDER BY ");
        w.push_list(&window.order_by, ", ", |w, o| write_order(w, o));
        sep = " ";
    }
    if let Some(frame) = &window.frame {
        w.push_sql(sep);
        w.push_sql(match frame.units {
            FrameUnits::Rows => "ROWS BETWEEN ",
            FrameUnits::Range => "RANGE BETWEEN ",
            FrameUnits::Groups => "GROUPS BETWEEN ",
        });
        write_bound(w, frame.start);
        w.push_sql(" AND ");
        write_bound(w, frame.end);
    }
}

/// One frame bound; offsets are bind parameters.
fn write_bound<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, bound: FrameBound) {
    match bound {
        FrameBound::UnboundedPreceding => w.push_sql("UNBOUNDED PRECEDING"),
        FrameBound::Preceding(n) => {
            w.push_bind(Value::BigInt(n));
            w.push_sql(" PRECEDING");
        }
        FrameBound::CurrentRow => w.push_sql("CURRENT ROW"),
        FrameBound::Following(n) => {
            w.push_bind(Value::BigInt(n));
            w.push_sql(" FOLLOWING");
        }
        FrameBound::UnboundedFollowing => w.push_sql("UNBOUNDED FOLLOWING"),
    }
}
