//! Where the server's transaction stands, as far as the connection knows, so that
//! a transaction costs no round trip of its own: `BEGIN` waits for the first
//! statement and travels with it; a transaction that never sent its `BEGIN` ends
//! without a word; a `ROLLBACK` is sent without waiting for its answer.

/// The connection's transaction, as this side knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TxState {
    /// No transaction of ours. `clean`: the server is known to be outside any
    /// transaction block (nothing sent since connecting, or since our last `COMMIT`
    /// or `ROLLBACK`, can have opened one).
    Idle {
        /// The server is known to be outside any transaction block.
        clean: bool,
    },
    /// `begin()` was called and nothing was sent since: the `BEGIN` goes out with the
    /// next request. `clean` as in `Idle`, from before `begin()`.
    Deferred {
        /// The server was known to be outside any transaction block.
        clean: bool,
    },
    /// Our `BEGIN` went out.
    Open,
}

/// How a transaction's end goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    /// Nothing to send: the server never saw the `BEGIN`.
    Nothing,
    /// Send it (a `ROLLBACK` without waiting for the answer).
    Send,
}

impl TxState {
    /// A fresh connection: outside any transaction.
    pub(crate) const fn new() -> TxState {
        TxState::Idle { clean: true }
    }

    /// `begin()`: the `BEGIN` is deferred. Called while our transaction is open, it
    /// goes out again (the user may have ended that transaction with plain SQL; if
    /// not, the server only warns).
    pub(crate) fn begin(&mut self) {
        *self = match *self {
            TxState::Idle { clean } | TxState::Deferred { clean } => TxState::Deferred { clean },
            TxState::Open => TxState::Deferred { clean: false },
        };
    }

    /// True inside a transaction of ours (its `BEGIN` sent or deferred).
    pub(crate) fn in_transaction(&self) -> bool {
        !matches!(self, TxState::Idle { .. })
    }

    /// A request is about to go out with `sql`: true when the deferred `BEGIN` must
    /// go first, in the same flight. Plain SQL outside our transaction that may open
    /// one makes the server's state unknown.
    pub(crate) fn before_request(&mut self, sql: &str) -> bool {
        match *self {
            TxState::Deferred { .. } => {
                *self = TxState::Open;
                true
            }
            TxState::Idle { clean: true } if may_open_transaction(sql) => {
                *self = TxState::Idle { clean: false };
                false
            }
            _ => false,
        }
    }

    /// The deferred `BEGIN` went out but failed: no transaction of ours is open.
    pub(crate) fn begin_failed(&mut self) {
        *self = TxState::Idle { clean: false };
    }

    /// `commit()` or `rollback()`: what to send. Afterwards the server is outside any
    /// transaction block (a `COMMIT` or `ROLLBACK` ends whatever was open).
    pub(crate) fn end(&mut self) -> Ending {
        let ending = match *self {
            TxState::Deferred { clean: true } => Ending::Nothing,
            _ => Ending::Send,
        };
        *self = TxState::Idle { clean: true };
        ending
    }
}

/// True when `sql` may leave a transaction block open behind it: only `BEGIN`,
/// `START TRANSACTION` and `COMMIT`/`ROLLBACK AND CHAIN` open one. Any occurrence of
/// the words counts (a false positive costs one `ROLLBACK` later, never a leak).
fn may_open_transaction(sql: &str) -> bool {
    let b = sql.as_bytes();
    ["BEGIN", "START", "CHAIN"].iter().any(|word| {
        b.windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn begin_travels_with_the_first_request() {
        let mut tx = TxState::new();
        tx.begin();
        assert!(tx.before_request("SELECT 1"));
        assert_eq!(tx, TxState::Open);
        assert!(!tx.before_request("SELECT 2"));
        assert_eq!(tx.end(), Ending::Send);
        assert_eq!(tx, TxState::Idle { clean: true });
    }

    #[test]
    fn an_unsent_begin_ends_without_a_word_unless_the_server_may_be_in_a_block() {
        let mut tx = TxState::new();
        tx.begin();
        assert_eq!(tx.end(), Ending::Nothing);
        // Plain SQL that may have opened a block: the end is sent.
        assert!(!tx.before_request("begin; insert into t values (1)"));
        tx.begin();
        assert_eq!(tx.end(), Ending::Send);
        tx.begin();
        assert_eq!(tx.end(), Ending::Nothing);
        // Outside a transaction, a rollback is always sent.
        assert_eq!(tx.end(), Ending::Send);
    }

    #[test]
    fn begin_while_open_goes_out_again() {
        let mut tx = TxState::new();
        tx.begin();
        tx.before_request("SELECT 1");
        tx.begin();
        assert!(tx.before_request("SELECT 1"));
        tx.begin();
        assert_eq!(tx.end(), Ending::Send, "the block may still be open");
    }

    #[test]
    fn words_that_may_open_a_block() {
        for sql in ["BEGIN", "start transaction", "COMMIT AND CHAIN", "x; Begin"] {
            assert!(may_open_transaction(sql), "{sql}");
        }
        for sql in ["SELECT 1", "COMMIT", "INSERT INTO t VALUES ($1)"] {
            assert!(!may_open_transaction(sql), "{sql}");
        }
    }
}
