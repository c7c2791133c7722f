//! What the engine asks a primary and a standby for read-your-writes routing: the
//! primary's current write-ahead-log position, and how far a standby has replayed
//! it. These are the backend's own queries (like a driver's internal ones), sent with
//! the simple protocol so they work through PgBouncer too.

use orm_core::{Error, Result, StandbyStatus};
use std::time::Duration;

/// The primary's WAL position at or after every commit so far.
pub(crate) const LOG_POSITION_SQL: &str = "SELECT pg_catalog.pg_current_wal_lsn()::text";

/// On a standby: in recovery?, replayed position, and how old the last replayed
/// transaction is while more WAL waits (zero when caught up).
pub(crate) const STANDBY_STATUS_SQL: &str = "SELECT pg_catalog.pg_is_in_recovery()::text, \
pg_catalog.pg_last_wal_replay_lsn()::text, \
CASE WHEN pg_catalog.pg_last_wal_receive_lsn() IS NULL \
OR pg_catalog.pg_last_wal_receive_lsn() <= pg_catalog.pg_last_wal_replay_lsn() THEN 0 \
ELSE COALESCE(EXTRACT(EPOCH FROM pg_catalog.now() - pg_catalog.pg_last_xact_replay_timestamp()), 0) END::text";

/// Parses an LSN (`16/B374D848`) into one comparable number.
pub(crate) fn parse_lsn(text: &str) -> Result<u64> {
    let bad = || Error::Driver(format!("unexpected WAL position `{text}`"));
    let (hi, lo) = text.split_once('/').ok_or_else(bad)?;
    let hi = u64::from_str_radix(hi, 16).map_err(|_| bad())?;
    let lo = u64::from_str_radix(lo, 16).map_err(|_| bad())?;
    Ok(hi << 32 | lo)
}

/// Reads the row of [`STANDBY_STATUS_SQL`]; `None` when the server is no standby.
pub(crate) fn standby_status(row: &[Option<&str>]) -> Result<Option<StandbyStatus>> {
    if row.first().copied().flatten() != Some("true") {
        return Ok(None);
    }
    let replayed = match row.get(1).copied().flatten() {
        Some(lsn) => parse_lsn(lsn)?,
        None => 0,
    };
    let lag: f64 = row
        .get(2)
        .copied()
        .flatten()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0);
    Ok(Some(StandbyStatus {
        replayed,
        lag: Duration::try_from_secs_f64(lag.max(0.0)).unwrap_or(Duration::MAX),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lsn_order() {
        assert_eq!(parse_lsn("0/0").unwrap(), 0);
        assert!(parse_lsn("1/0").unwrap() > parse_lsn("0/FFFFFFFF").unwrap());
        assert!(parse_lsn("nonsense").is_err());
        let s = standby_status(&[Some("true"), Some("0/10"), Some("1.5")])
            .unwrap()
            .unwrap();
        assert_eq!((s.replayed, s.lag), (16, Duration::from_millis(1500)));
        assert_eq!(
            standby_status(&[Some("false"), None, Some("0")]).unwrap(),
            None
        );
    }
}
