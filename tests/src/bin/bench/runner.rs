//! The timed part: per layout, pin the backends, then per workload a warm-up pair
//! and `repeat` interleaved pairs of ORM and raw runs (the order alternates).

use crate::fixture::{BResult, Fixture, RawDb, APP_NAME};
use crate::pinning::{BackendPinner, Layout};
use crate::report::Measured;
use crate::workload::Workload;
use orm_core::Engine;

/// The timed connections: an ORM engine and a raw client, both named [`APP_NAME`].
pub struct Timed {
    /// The ORM engine.
    pub engine: Engine,
    /// The raw connection.
    pub raw: RawDb,
}

impl Timed {
    /// Connects both sides directly to the server, and runs every workload once on
    /// each so that the ORM's pooled connection is open (and statements prepared)
    /// before the backends are pinned.
    pub fn open(fx: &mut Fixture, workloads: &[Workload]) -> BResult<Timed> {
        let mut t = Timed {
            engine: fx.engine(APP_NAME, None)?,
            raw: fx.raw(APP_NAME, None)?,
        };
        for w in workloads {
            (w.orm)(fx, &t.engine)?;
            (w.raw)(fx, &mut t.raw)?;
        }
        Ok(t)
    }

    /// Times every workload in `layout` (`None`: unpinned).
    pub fn run_layout(
        &mut self,
        fx: &mut Fixture,
        workloads: &[Workload],
        layout: Option<Layout>,
        repeat: usize,
    ) -> BResult<(Vec<Measured>, Vec<i32>)> {
        let mut pinner = layout.map(|l| BackendPinner::new(APP_NAME, l.backend_cpu()));
        let mut out = Vec::new();
        for w in workloads {
            ensure(&mut pinner, fx)?;
            (w.raw)(fx, &mut self.raw)?;
            (w.orm)(fx, &self.engine)?;
            let mut m = Measured {
                id: w.id,
                target: w.target,
                raw: Vec::with_capacity(repeat),
                orm: Vec::with_capacity(repeat),
            };
            for rep in 0..repeat {
                ensure(&mut pinner, fx)?;
                if rep % 2 == 0 {
                    m.raw.push((w.raw)(fx, &mut self.raw)?);
                    m.orm.push((w.orm)(fx, &self.engine)?);
                } else {
                    m.orm.push((w.orm)(fx, &self.engine)?);
                    m.raw.push((w.raw)(fx, &mut self.raw)?);
                }
            }
            out.push(m);
        }
        let pids = pinner.map(|p| p.pinned()).unwrap_or_default();
        Ok((out, pids))
    }
}

/// Pins any backend of [`APP_NAME`] not pinned yet (untimed; no-op when unpinned).
fn ensure(pinner: &mut Option<BackendPinner>, fx: &mut Fixture) -> BResult<()> {
    if let Some(p) = pinner.as_mut() {
        p.ensure(fx.admin())?;
    }
    Ok(())
}
