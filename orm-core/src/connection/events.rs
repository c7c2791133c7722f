//! Statement events: every statement an [`Engine`](super::Engine) sends is logged to
//! `tracing` (target `orm::sql`) and passed to the listeners attached to the engine.

use super::routing::ServerRole;
use crate::value::Value;
use std::sync::{Arc, Mutex};

/// One statement about to be sent to the server.
#[derive(Debug, Clone, Copy)]
pub struct StatementEvent<'a> {
    /// The SQL text.
    pub sql: &'a str,
    /// The bind parameters.
    pub params: &'a [Value],
    /// The server the statement goes to.
    pub server: ServerRole,
}

/// A record of every statement an engine sends, for tests and diagnostics.
///
/// ```no_run
/// # fn demo(engine: &orm_core::Engine) {
/// let log = orm_core::StatementLog::attach(engine);
/// // ... work ...
/// for sql in log.statements() { println!("{sql}"); }
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct StatementLog {
    entries: Arc<Mutex<Vec<LogEntry>>>,
}

/// One recorded statement: its SQL text, parameters and server.
type LogEntry = (String, Vec<Value>, ServerRole);

impl StatementLog {
    /// Attaches a new log to `engine`; it records from now on.
    pub fn attach(engine: &super::Engine) -> Self {
        let log = StatementLog::default();
        let entries = Arc::clone(&log.entries);
        engine.on_statement(move |e: &StatementEvent<'_>| {
            entries.lock().unwrap_or_else(|p| p.into_inner()).push((
                e.sql.to_owned(),
                e.params.to_vec(),
                e.server,
            ));
        });
        log
    }

    /// The SQL texts recorded so far.
    pub fn statements(&self) -> Vec<String> {
        self.locked().iter().map(|(s, _, _)| s.clone()).collect()
    }

    /// The SQL texts and parameters recorded so far.
    pub fn entries(&self) -> Vec<(String, Vec<Value>)> {
        self.locked()
            .iter()
            .map(|(s, p, _)| (s.clone(), p.clone()))
            .collect()
    }

    /// The server each recorded statement went to, with its SQL text.
    pub fn routed(&self) -> Vec<(ServerRole, String)> {
        self.locked()
            .iter()
            .map(|(s, _, server)| (*server, s.clone()))
            .collect()
    }

    fn locked(&self) -> std::sync::MutexGuard<'_, Vec<LogEntry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Number of statements recorded.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets what was recorded.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
