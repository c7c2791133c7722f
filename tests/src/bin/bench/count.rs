//! The untimed counting pass: each workload's two sides run through the
//! [`tests::wire::CountingProxy`]: a first run on a fresh connection (the ORM sends
//! new statements unprepared; the raw side prepares them), then, once every
//! statement has run often enough to be prepared (`prepare_threshold`), a warm run:
//! what the timed runs send. The ORM's own `StatementLog` is compared with the wire.

use crate::fixture::{BResult, Fixture, RawDb};
use crate::report::{SideWire, WireRow};
use crate::w3_lookup;
use crate::workload::Workload;
use orm_core::{Engine, StatementLog};
use tests::wire::{CountingProxy, WireCounts};

/// The `application_name` of the counting connections (never pinned, never timed).
pub const WIRE_APP_NAME: &str = "orm_bench_wire";

/// ORM and raw connections that go through a counting proxy.
pub struct Counter {
    proxy: CountingProxy,
    engine: Engine,
    log: StatementLog,
    raw: RawDb,
}

impl Counter {
    /// Starts the proxy in front of the fixture's server and connects both sides through it.
    pub fn start(fx: &Fixture) -> BResult<Counter> {
        let upstream = fx
            .server_addr()
            .ok_or("the wire count needs a TCP server address (DATABASE_URL is a unix socket)")?;
        let proxy = CountingProxy::start(upstream)?;
        let engine = fx.engine(WIRE_APP_NAME, Some(proxy.addr()))?;
        let log = StatementLog::attach(&engine);
        let raw = fx.raw(WIRE_APP_NAME, Some(proxy.addr()))?;
        Ok(Counter {
            proxy,
            engine,
            log,
            raw,
        })
    }

    /// Runs `run` and returns the wire counts and the `StatementLog` entries it added.
    fn measure(&self, run: impl FnOnce() -> BResult<()>) -> BResult<(WireCounts, u64)> {
        let (before, logged) = (self.proxy.counts(), self.log.len());
        run()?;
        Ok((
            self.proxy.counts().since(&before),
            (self.log.len() - logged) as u64,
        ))
    }

    /// Counts one workload: ORM first and warm run, raw first and warm run.
    pub fn count(&mut self, fx: &mut Fixture, w: &Workload) -> BResult<WireRow> {
        let engine = self.engine.clone();
        let (orm_first, _) = self.measure(|| (w.orm)(fx, &engine).map(drop))?;
        for _ in 0..prepare_threshold(fx) {
            (w.orm)(fx, &engine)?;
        }
        let (orm_warm, logged) = self.measure(|| (w.orm)(fx, &engine).map(drop))?;
        let raw_db: &mut RawDb = &mut self.raw;
        let proxy = &self.proxy;
        let mut raw_run = || -> BResult<WireCounts> {
            let before = proxy.counts();
            (w.raw)(fx, raw_db)?;
            Ok(proxy.counts().since(&before))
        };
        let raw_first = raw_run()?;
        let raw_warm = raw_run()?;
        Ok(WireRow {
            id: w.id,
            orm: SideWire {
                first: orm_first,
                warm: orm_warm,
                logged: Some(logged),
            },
            raw: SideWire {
                first: raw_first,
                warm: raw_warm,
                logged: None,
            },
        })
    }

    /// W3's check: statements (on the wire, in the `StatementLog`) sent by a second
    /// `session.get` of an already-loaded article. Both should be 0.
    pub fn get_of_loaded(&self, fx: &mut Fixture) -> BResult<(u64, u64)> {
        w3_lookup::get_of_loaded_sends(fx, &self.engine, &|| {
            (self.proxy.counts().statements(), self.log.len() as u64)
        })
    }
}

/// Runs after which the ORM prepares a statement: the URL's `prepare_threshold`, or
/// the default.
fn prepare_threshold(fx: &Fixture) -> u32 {
    fx.url(WIRE_APP_NAME, None)
        .param("prepare_threshold")
        .and_then(|v| v.parse().ok())
        .unwrap_or(orm_postgres::DEFAULT_PREPARE_THRESHOLD)
}
