//! Where a session's statements go when the engine has read replicas: the
//! session-wide [`Route`] and a per-query override. The engine's connection does
//! the routing; the session only says which route applies.

use super::state::SessionState;
use super::{Session, SessionShared};
use crate::connection::Route;
use crate::error::Result;

impl Session {
    /// Sends every statement of this session to the primary from now on.
    pub fn on_primary(&self) -> &Self {
        self.set_route(Route::Primary);
        self
    }

    /// Sends this session's reads to a replica from now on, even after its
    /// transaction wrote (those reads do not see its uncommitted changes).
    pub fn on_replica(&self) -> &Self {
        self.set_route(Route::Replica);
        self
    }

    /// Sets the session's route ([`Route::Auto`] by default).
    pub fn set_route(&self, route: Route) {
        let mut st = self.shared.lock();
        st.route = route;
        if let Some(conn) = st.conn.as_mut() {
            conn.set_route(route);
        }
    }
}

impl SessionState {
    /// Runs `f` with `route` in force for its statements (when given), then puts
    /// the session's own route back.
    pub(crate) fn with_route<R>(
        &mut self,
        shared: &SessionShared,
        route: Option<Route>,
        f: impl FnOnce(&mut SessionState) -> Result<R>,
    ) -> Result<R> {
        let Some(route) = route else {
            return f(self);
        };
        self.connection(shared)?.set_route(route);
        let result = f(self);
        let own = self.route;
        if let Some(conn) = self.conn.as_mut() {
            conn.set_route(own);
        }
        result
    }
}
