//! CPU pinning with `taskset` (a subprocess; no extra dependency): the bench process
//! on one CPU, its server backends (found by `application_name`) on the same CPU or
//! on another one. Round trips cost ~11 µs on one CPU and ~80 µs across CPUs, and an
//! unpinned scheduler flips between the two, so unpinned ratios are noise.

use crate::fixture::BResult;
use postgres::Client;
use std::collections::HashSet;
use std::process::{Command, Stdio};

/// Where the client and its backends run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Client and backends on CPU 0.
    Same,
    /// Client on CPU 0, backends on CPU 1.
    Split,
}

impl Layout {
    /// The CPU of the client.
    pub const CLIENT_CPU: usize = 0;

    /// The CPU of the backends.
    pub fn backend_cpu(self) -> usize {
        match self {
            Layout::Same => 0,
            Layout::Split => 1,
        }
    }

    /// `same` / `split`.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Same => "same",
            Layout::Split => "split",
        }
    }
}

/// Runs `taskset` with `args`; true on success.
fn taskset(args: &[String]) -> bool {
    Command::new("taskset")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Number of CPUs this process may run on (call it before [`pin_self`], which
/// narrows the answer to one).
pub fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The CPU list a process may run on, from `/proc/<pid>/status` (e.g. `0` or `0-1`).
pub fn allowed_cpus(pid: u32) -> Option<String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .map(|v| v.trim().to_owned())
}

/// Pins this process (all its threads, and the threads it starts later) to `cpu`.
/// Returns false when `taskset` is missing or refuses, or the kernel does not show
/// the new affinity.
pub fn pin_self(cpu: usize) -> bool {
    let pid = std::process::id();
    taskset(&["-a".into(), "-pc".into(), cpu.to_string(), pid.to_string()])
        && allowed_cpus(pid).is_some_and(|c| c == cpu.to_string())
}

/// Keeps the server backends of one `application_name` on one CPU.
#[derive(Debug)]
pub struct BackendPinner {
    app: String,
    cpu: usize,
    pinned: HashSet<i32>,
}

impl BackendPinner {
    /// A pinner of `app`'s backends to `cpu`; nothing is pinned until [`ensure`](Self::ensure).
    pub fn new(app: &str, cpu: usize) -> Self {
        BackendPinner {
            app: app.to_owned(),
            cpu,
            pinned: HashSet::new(),
        }
    }

    /// Pins every backend of the application not pinned yet (new pool connections
    /// included); returns the pids newly pinned. Run outside timed parts.
    pub fn ensure(&mut self, admin: &mut Client) -> BResult<Vec<i32>> {
        let rows = admin.query(
            "SELECT pid FROM pg_stat_activity WHERE application_name = $1",
            &[&self.app],
        )?;
        let mut newly = Vec::new();
        for pid in rows.iter().map(|r| r.get::<_, i32>(0)) {
            if self.pinned.contains(&pid) {
                continue;
            }
            if !taskset(&["-pc".into(), self.cpu.to_string(), pid.to_string()]) {
                return Err(
                    format!("taskset could not pin backend {pid} to CPU {}", self.cpu).into(),
                );
            }
            self.pinned.insert(pid);
            newly.push(pid);
        }
        Ok(newly)
    }

    /// The pids pinned so far.
    pub fn pinned(&self) -> Vec<i32> {
        let mut v: Vec<i32> = self.pinned.iter().copied().collect();
        v.sort_unstable();
        v
    }
}
