//! [`CountingProxy`]: a TCP proxy on 127.0.0.1 that forwards bytes unchanged both
//! ways and counts what the client sends: Parse, Bind, Execute, simple Query and Sync
//! messages, and round trips. It adds latency, so nothing is ever timed through it;
//! the benchmark's counting pass and the round-trip tests use it.
//!
//! A **round trip** is a flight of client messages that starts while the client has
//! nothing outstanding: every Sync and simple Query it sent before (and its startup
//! packet) has been answered with ReadyForQuery. Messages pipelined behind an
//! unanswered one (a `BEGIN` sent with the first statement, say) ride in the same
//! round trip; a message sent after the answers came back starts a new one.

use crate::wire_parse::{
    BackendParser, Frontend, FrontendParser, CANCEL_REQUEST, ENCRYPTION_REQUESTS,
};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// What the clients of one proxy sent, all connections together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WireCounts {
    /// `P`: Parse (a statement parsed: prepared, or the unnamed statement).
    pub parse: u64,
    /// `B`: Bind.
    pub bind: u64,
    /// `E`: Execute (an extended-protocol statement run).
    pub execute: u64,
    /// `Q`: simple Query (BEGIN/COMMIT/ROLLBACK, batch SQL).
    pub query: u64,
    /// `S`: Sync (ends one request of the extended protocol).
    pub sync: u64,
    /// Flights started with nothing outstanding (see the module documentation).
    pub round_trips: u64,
    /// Connections opened (startup packets, encryption requests not counted).
    pub connections: u64,
}

impl WireCounts {
    /// Statements run: Executes plus simple Queries.
    pub fn statements(&self) -> u64 {
        self.execute + self.query
    }

    /// Requests the server answers with ReadyForQuery: Syncs plus simple Queries.
    /// Without pipelining each is a round trip of its own.
    pub fn sync_points(&self) -> u64 {
        self.sync + self.query
    }

    /// The counts between `earlier` and `self`.
    pub fn since(&self, earlier: &WireCounts) -> WireCounts {
        WireCounts {
            parse: self.parse - earlier.parse,
            bind: self.bind - earlier.bind,
            execute: self.execute - earlier.execute,
            query: self.query - earlier.query,
            sync: self.sync - earlier.sync,
            round_trips: self.round_trips - earlier.round_trips,
            connections: self.connections - earlier.connections,
        }
    }
}

/// The shared counters.
#[derive(Debug, Default)]
struct Counters {
    parse: AtomicU64,
    bind: AtomicU64,
    execute: AtomicU64,
    query: AtomicU64,
    sync: AtomicU64,
    round_trips: AtomicU64,
    connections: AtomicU64,
}

impl Counters {
    fn add(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::SeqCst);
    }

    fn message(&self, message_type: u8) {
        match message_type {
            b'P' => Self::add(&self.parse),
            b'B' => Self::add(&self.bind),
            b'E' => Self::add(&self.execute),
            b'Q' => Self::add(&self.query),
            b'S' => Self::add(&self.sync),
            _ => {}
        }
    }

    fn snapshot(&self) -> WireCounts {
        let get = |c: &AtomicU64| c.load(Ordering::SeqCst);
        WireCounts {
            parse: get(&self.parse),
            bind: get(&self.bind),
            execute: get(&self.execute),
            query: get(&self.query),
            sync: get(&self.sync),
            round_trips: get(&self.round_trips),
            connections: get(&self.connections),
        }
    }
}

/// What the two directions of one connection share.
#[derive(Debug, Default)]
struct Conversation {
    /// Requests sent and not yet answered with ReadyForQuery.
    outstanding: AtomicI64,
    /// The client sent messages since its last Sync or simple Query (a flight is
    /// under way: its request is not complete yet). Frontend thread only.
    unsynced: AtomicBool,
    /// Times the frontend reader found the client's socket empty (a read timed out).
    idle_reads: AtomicU64,
    /// The connection is over.
    ended: AtomicBool,
    /// The client asked for encryption: the server's next byte is the answer.
    answer_pending: AtomicBool,
}

impl Conversation {
    /// Counts one frontend message (before it is forwarded).
    fn frontend(&self, m: Frontend, counters: &Counters) {
        match m {
            Frontend::Startup(code) if ENCRYPTION_REQUESTS.contains(&code) => {
                self.answer_pending.store(true, Ordering::SeqCst);
            }
            Frontend::Startup(CANCEL_REQUEST) => {}
            Frontend::Startup(_) => {
                Counters::add(&counters.connections);
                self.outstanding.fetch_add(1, Ordering::SeqCst);
            }
            Frontend::Message(t) => {
                let unsynced = self.unsynced.load(Ordering::SeqCst);
                if t != b'X' && !unsynced && self.outstanding.load(Ordering::SeqCst) <= 0 {
                    Counters::add(&counters.round_trips);
                }
                let sync_point = matches!(t, b'S' | b'Q');
                if sync_point {
                    self.outstanding.fetch_add(1, Ordering::SeqCst);
                }
                self.unsynced.store(!sync_point, Ordering::SeqCst);
                counters.message(t);
            }
        }
    }
}

/// How long the frontend reader waits for client bytes before it notes that the
/// socket was empty (see [`CountingProxy::settle`]).
const IDLE_READ: Duration = Duration::from_millis(2);

/// The sockets and conversations of the proxy's connections.
#[derive(Debug, Default)]
struct Live {
    sockets: Vec<TcpStream>,
    talks: Vec<Arc<Conversation>>,
}

/// A running counting proxy; it stops accepting, and closes its connections, when
/// dropped.
#[derive(Debug)]
pub struct CountingProxy {
    addr: SocketAddr,
    counters: Arc<Counters>,
    closed: Arc<AtomicBool>,
    live: Arc<Mutex<Live>>,
}

impl CountingProxy {
    /// Listens on an ephemeral port of 127.0.0.1 and forwards every connection to
    /// `upstream`, one thread per direction.
    pub fn start(upstream: SocketAddr) -> io::Result<CountingProxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let proxy = CountingProxy {
            addr: listener.local_addr()?,
            counters: Arc::default(),
            closed: Arc::default(),
            live: Arc::default(),
        };
        let (counters, closed) = (Arc::clone(&proxy.counters), Arc::clone(&proxy.closed));
        let live = Arc::clone(&proxy.live);
        thread::Builder::new()
            .name("wire-proxy".into())
            .spawn(move || {
                for client in listener.incoming().flatten() {
                    if closed.load(Ordering::SeqCst) {
                        return;
                    }
                    let counters = Arc::clone(&counters);
                    let live = Arc::clone(&live);
                    let _ = thread::Builder::new()
                        .name("wire-conn".into())
                        .spawn(move || relay(client, upstream, &counters, &live));
                }
            })?;
        Ok(proxy)
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The counts so far (all connections together), once every byte the clients
    /// wrote before this call has been counted (see [`settle`](Self::settle)).
    pub fn counts(&self) -> WireCounts {
        self.settle();
        self.counters.snapshot()
    }

    /// The counts added while `f` ran, and its result.
    pub fn measure<T>(&self, f: impl FnOnce() -> T) -> (WireCounts, T) {
        let before = self.counts();
        let out = f();
        (self.counts().since(&before), out)
    }

    /// Waits until every open connection's reader has found its client socket empty
    /// since this call began: whatever the clients wrote before (a message sent
    /// without waiting for its answer, say) has then been read and counted.
    pub fn settle(&self) {
        let talks: Vec<Arc<Conversation>> = {
            let live = self.live.lock().unwrap_or_else(|p| p.into_inner());
            live.talks.clone()
        };
        let start: Vec<u64> = talks
            .iter()
            .map(|t| t.idle_reads.load(Ordering::SeqCst))
            .collect();
        // Two empty reads: the first may have begun before this call.
        for (t, at) in talks.iter().zip(start) {
            while !t.ended.load(Ordering::SeqCst) && t.idle_reads.load(Ordering::SeqCst) < at + 2 {
                thread::sleep(IDLE_READ / 2);
            }
        }
    }
}

impl Drop for CountingProxy {
    fn drop(&mut self) {
        self.closed.store(true, Ordering::SeqCst);
        let live = std::mem::take(&mut *self.live.lock().unwrap_or_else(|p| p.into_inner()));
        for s in live.sockets {
            let _ = s.shutdown(Shutdown::Both);
        }
        // Wake the accept loop so it sees the close and exits.
        let _ = TcpStream::connect(self.addr);
    }
}

/// Forwards one connection: the client's bytes are counted, then forwarded, on this
/// thread; the server's are forwarded, then read for ReadyForQuery, on a second one.
fn relay(client: TcpStream, upstream: SocketAddr, counters: &Counters, live: &Mutex<Live>) {
    let Ok(server) = TcpStream::connect(upstream) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let talk = Arc::new(Conversation::default());
    let clones = (server.try_clone(), client.try_clone());
    let (Ok(from_server), Ok(to_client)) = clones else {
        return;
    };
    {
        let mut live = live.lock().unwrap_or_else(|p| p.into_inner());
        if let (Ok(a), Ok(b)) = (client.try_clone(), server.try_clone()) {
            live.sockets.extend([a, b]);
        }
        live.talks.push(Arc::clone(&talk));
    }
    let back_talk = Arc::clone(&talk);
    let back = thread::spawn(move || backend(from_server, to_client, &back_talk));
    let _ = frontend(client, server, &talk, counters);
    talk.ended.store(true, Ordering::SeqCst);
    let _ = back.join();
}

fn frontend(
    mut from_client: TcpStream,
    mut to_server: TcpStream,
    talk: &Conversation,
    counters: &Counters,
) -> io::Result<()> {
    let mut parser = FrontendParser::default();
    let mut buf = vec![0u8; 64 * 1024];
    from_client.set_read_timeout(Some(IDLE_READ))?;
    loop {
        let n = match from_client.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                talk.idle_reads.fetch_add(1, Ordering::SeqCst);
                continue;
            }
            Err(_) => break,
        };
        parser.feed(&buf[..n], |m| talk.frontend(m, counters));
        to_server.write_all(&buf[..n])?;
    }
    to_server.shutdown(Shutdown::Write)
}

fn backend(mut from_server: TcpStream, mut to_client: TcpStream, talk: &Conversation) {
    let mut parser = BackendParser::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut answer_pending = || talk.answer_pending.swap(false, Ordering::SeqCst);
    loop {
        let n = match from_server.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        parser.feed(&buf[..n], &mut answer_pending, |t| {
            if t == b'Z' {
                talk.outstanding.fetch_sub(1, Ordering::SeqCst);
            }
        });
        if to_client.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to_client.shutdown(Shutdown::Write);
}
