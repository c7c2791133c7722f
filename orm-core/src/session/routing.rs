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
    /// Puts `route` (when given) in force for the statements that follow, until
    /// [`restore_route`](Self::restore_route).
    pub(crate) async fn override_route(
        &mut self,
        shared: &SessionShared,
        route: Option<Route>,
    ) -> Result<()> {
        if let Some(route) = route {
            self.connection(shared).await?.set_route(route);
        }
        Ok(())
    }

    /// Puts the session's own route back after [`override_route`](Self::override_route).
    pub(crate) fn restore_route(&mut self) {
        let own = self.route;
        if let Some(conn) = self.conn.as_mut() {
            conn.set_route(own);
        }
    }
}
