//! A counting TCP proxy between the client and the server: it forwards bytes both
//! ways unchanged and parses the frontend (client -> server) message stream to count
//! Parse, Bind, Execute, simple Query and Sync messages. Used only in untimed
//! counting passes: it adds latency.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;

/// Message counts seen on the wire (frontend messages only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WireCounts {
    /// `P`: Parse (a statement prepared).
    pub parse: u64,
    /// `B`: Bind.
    pub bind: u64,
    /// `E`: Execute (an extended-protocol statement run).
    pub execute: u64,
    /// `Q`: simple Query (BEGIN/COMMIT/ROLLBACK, batch SQL).
    pub query: u64,
    /// `S`: Sync (each ends one round trip of the extended protocol).
    pub sync: u64,
}

impl WireCounts {
    /// Statements run: Executes plus simple Queries.
    pub fn statements(&self) -> u64 {
        self.execute + self.query
    }

    /// Round trips: each Sync and each simple Query waits for the server.
    pub fn round_trips(&self) -> u64 {
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
}

impl Counters {
    fn count(&self, message_type: u8) {
        let c = match message_type {
            b'P' => &self.parse,
            b'B' => &self.bind,
            b'E' => &self.execute,
            b'Q' => &self.query,
            b'S' => &self.sync,
            _ => return,
        };
        c.fetch_add(1, Ordering::SeqCst);
    }

    fn snapshot(&self) -> WireCounts {
        WireCounts {
            parse: self.parse.load(Ordering::SeqCst),
            bind: self.bind.load(Ordering::SeqCst),
            execute: self.execute.load(Ordering::SeqCst),
            query: self.query.load(Ordering::SeqCst),
            sync: self.sync.load(Ordering::SeqCst),
        }
    }
}

/// A running proxy; it lives (and keeps accepting) until the process ends.
#[derive(Debug, Clone)]
pub struct Proxy {
    addr: SocketAddr,
    counters: Arc<Counters>,
}

impl Proxy {
    /// Listens on an ephemeral port of 127.0.0.1 and forwards every connection to
    /// `upstream`, one thread per direction.
    pub fn start(upstream: SocketAddr) -> io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let counters = Arc::new(Counters::default());
        let shared = Arc::clone(&counters);
        thread::Builder::new()
            .name("wire-proxy".into())
            .spawn(move || {
                for client in listener.incoming().flatten() {
                    let counters = Arc::clone(&shared);
                    let _ = thread::Builder::new()
                        .name("wire-conn".into())
                        .spawn(move || {
                            if let Err(e) = relay(client, upstream, &counters) {
                                eprintln!("wire proxy: connection ended: {e}");
                            }
                        });
                }
            })?;
        Ok(Proxy { addr, counters })
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The counts so far (all connections together).
    pub fn counts(&self) -> WireCounts {
        self.counters.snapshot()
    }
}

/// Forwards one connection: server -> client copied as is on a second thread,
/// client -> server parsed (counted before it is forwarded) on this one.
fn relay(client: TcpStream, upstream: SocketAddr, counters: &Counters) -> io::Result<()> {
    let server = TcpStream::connect(upstream)?;
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    let (mut from_server, mut to_client) = (server.try_clone()?, client.try_clone()?);
    let back = thread::spawn(move || {
        let _ = io::copy(&mut from_server, &mut to_client);
        let _ = to_client.shutdown(Shutdown::Write);
    });
    let (mut from_client, mut to_server) = (client, server);
    let mut parser = FrontendParser::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from_client.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        parser.feed(&buf[..n], |t| counters.count(t));
        to_server.write_all(&buf[..n])?;
    }
    let _ = to_server.shutdown(Shutdown::Write);
    let _ = back.join();
    Ok(())
}

/// `SSLRequest` and `GSSENCRequest` codes: the server answers with one byte and the
/// client sends a (new) startup packet next.
const ENCRYPTION_REQUESTS: [u32; 2] = [80_877_103, 80_877_104];

/// Incremental parser of the frontend stream. The first message (startup) has no
/// type byte: `length:u32, code:u32, ..`; every later one is `type:u8, length:u32, ..`
/// where the length counts itself but not the type byte.
#[derive(Debug)]
pub struct FrontendParser {
    startup: bool,
    header: [u8; 8],
    have: usize,
    skip: usize,
}

impl Default for FrontendParser {
    fn default() -> Self {
        FrontendParser {
            startup: true,
            header: [0; 8],
            have: 0,
            skip: 0,
        }
    }
}

impl FrontendParser {
    /// Consumes `data`, calling `on_message` with the type byte of every typed
    /// message whose header is complete.
    pub fn feed(&mut self, mut data: &[u8], mut on_message: impl FnMut(u8)) {
        while !data.is_empty() {
            if self.skip > 0 {
                let n = self.skip.min(data.len());
                self.skip -= n;
                data = &data[n..];
                continue;
            }
            // Startup: length + code; typed: type + length.
            let want = if self.startup { 8 } else { 5 };
            let n = (want - self.have).min(data.len());
            self.header[self.have..self.have + n].copy_from_slice(&data[..n]);
            self.have += n;
            data = &data[n..];
            if self.have < want {
                break;
            }
            self.have = 0;
            let h = self.header;
            if self.startup {
                let len = u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as usize;
                let code = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
                self.skip = len.saturating_sub(8);
                self.startup = ENCRYPTION_REQUESTS.contains(&code);
            } else {
                let len = u32::from_be_bytes([h[1], h[2], h[3], h[4]]) as usize;
                self.skip = len.saturating_sub(4);
                on_message(h[0]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FrontendParser;

    fn typed(t: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![t];
        m.extend(((body.len() + 4) as u32).to_be_bytes());
        m.extend(body);
        m
    }

    #[test]
    fn counts_typed_messages_across_split_reads() {
        let mut stream = Vec::new();
        stream.extend(8u32.to_be_bytes());
        stream.extend(80_877_103u32.to_be_bytes()); // SSLRequest
        let params = b"user\0postgres\0\0";
        stream.extend(((8 + params.len()) as u32).to_be_bytes());
        stream.extend(196_608u32.to_be_bytes()); // protocol 3.0
        stream.extend(params);
        stream.extend(typed(b'Q', b"BEGIN\0"));
        stream.extend(typed(b'P', b"\0SELECT 1\0\0\0"));
        stream.extend(typed(b'S', b""));
        stream.extend(typed(b'E', b"\0\0\0\0\0"));
        for chunk in [1, 3, 7, stream.len()] {
            let mut p = FrontendParser::default();
            let mut seen = Vec::new();
            for piece in stream.chunks(chunk) {
                p.feed(piece, |t| seen.push(t));
            }
            assert_eq!(seen, b"QPSE", "chunk size {chunk}");
        }
    }
}
