//! [`Proxy`]: a TCP proxy on 127.0.0.1 in front of a test server, that a test can
//! stall (it stops forwarding but keeps every socket open, as a hung server or a
//! silent network does) or stop (it closes every connection and refuses new ones,
//! as a stopped server does). Faults are made here, never on the shared server.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

#[derive(Default)]
struct Shared {
    stalled: AtomicBool,
    stopped: AtomicBool,
    closed: AtomicBool,
    sockets: Mutex<Vec<TcpStream>>,
}

/// A proxy to one upstream address; stops (closing everything) when dropped.
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Proxy({})", self.addr)
    }
}

impl Proxy {
    /// Starts a proxy on a free port of 127.0.0.1 forwarding to `upstream`.
    ///
    /// # Panics
    ///
    /// When no port can be bound.
    pub fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a proxy port");
        let addr = listener.local_addr().expect("proxy address");
        let shared = Arc::new(Shared::default());
        let s = Arc::clone(&shared);
        thread::spawn(move || accept_loop(listener, upstream, s));
        Proxy { addr, shared }
    }

    /// The proxy's own address (127.0.0.1 and its port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The proxy's port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Stops forwarding in both directions; connections stay open and silent.
    pub fn stall(&self) {
        self.shared.stalled.store(true, Ordering::SeqCst);
    }

    /// Forwards again.
    pub fn resume(&self) {
        self.shared.stalled.store(false, Ordering::SeqCst);
    }

    /// Closes every connection and refuses new ones (the port stays taken).
    pub fn stop(&self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        for s in self
            .shared
            .sockets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
        {
            let _ = s.shutdown(Shutdown::Both);
        }
    }

    /// Accepts and forwards connections again after [`Proxy::stop`].
    pub fn restart(&self) {
        self.shared.stopped.store(false, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop();
        self.shared.closed.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the close and exits.
        let _ = TcpStream::connect(self.addr);
    }
}

fn accept_loop(listener: TcpListener, upstream: SocketAddr, shared: Arc<Shared>) {
    for client in listener.incoming() {
        let Ok(client) = client else { continue };
        if shared.closed.load(Ordering::SeqCst) {
            return; // the Proxy is gone
        }
        if shared.stopped.load(Ordering::SeqCst) {
            let _ = client.shutdown(Shutdown::Both);
            continue;
        }
        let Ok(server) = TcpStream::connect(upstream) else {
            let _ = client.shutdown(Shutdown::Both);
            continue;
        };
        let _ = client.set_nodelay(true);
        let _ = server.set_nodelay(true);
        {
            let mut sockets = shared.sockets.lock().unwrap_or_else(|p| p.into_inner());
            for s in [&client, &server] {
                if let Ok(c) = s.try_clone() {
                    sockets.push(c);
                }
            }
        }
        for (from, to) in [(&client, &server), (&server, &client)] {
            let (Ok(from), Ok(to)) = (from.try_clone(), to.try_clone()) else {
                continue;
            };
            let s = Arc::clone(&shared);
            thread::spawn(move || pump(from, to, &s));
        }
    }
}

/// Copies `from` to `to` until either closes; while stalled, holds what it read.
fn pump(mut from: TcpStream, mut to: TcpStream, shared: &Shared) {
    let mut buf = [0u8; 16 * 1024];
    let _ = from.set_read_timeout(Some(Duration::from_millis(50)));
    loop {
        if shared.stopped.load(Ordering::SeqCst) {
            break;
        }
        if shared.stalled.load(Ordering::SeqCst) {
            thread::sleep(Duration::from_millis(20));
            continue;
        }
        match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                while shared.stalled.load(Ordering::SeqCst)
                    && !shared.stopped.load(Ordering::SeqCst)
                {
                    thread::sleep(Duration::from_millis(20));
                }
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}
