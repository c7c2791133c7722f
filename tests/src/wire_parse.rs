//! Incremental parsers of the two PostgreSQL message streams, as the counting proxy
//! ([`crate::wire`]) reads them: they report each message's type byte as soon as its
//! header is complete, whatever the read boundaries.
//!
//! Frontend (client -> server): the first message (startup) has no type byte:
//! `length:u32, code:u32, ..`; an `SSLRequest`/`GSSENCRequest` is answered with one
//! byte and followed by a new startup message; every later message is
//! `type:u8, length:u32, ..` where the length counts itself but not the type byte.
//! Backend (server -> client): typed messages only, except that one-byte answer.

/// `SSLRequest` and `GSSENCRequest` codes: the server answers with one byte and the
/// client sends a (new) startup packet next.
pub const ENCRYPTION_REQUESTS: [u32; 2] = [80_877_103, 80_877_104];

/// `CancelRequest`: sent on a connection of its own, never answered.
pub const CANCEL_REQUEST: u32 = 80_877_102;

/// What the frontend parser saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frontend {
    /// A startup packet with its code (protocol version, or one of the requests).
    Startup(u32),
    /// A typed message.
    Message(u8),
}

/// Splits a stream into headers: `want` header bytes, then the body skipped.
#[derive(Debug, Default)]
struct Framer {
    header: [u8; 8],
    have: usize,
    skip: usize,
}

impl Framer {
    /// Consumes bytes of `data` until a header of `want` bytes is complete (returned)
    /// or the data runs out (`None`); `data` is advanced past what was consumed.
    fn next_header(&mut self, data: &mut &[u8], want: usize) -> Option<[u8; 8]> {
        while !data.is_empty() {
            if self.skip > 0 {
                let n = self.skip.min(data.len());
                self.skip -= n;
                *data = &data[n..];
                continue;
            }
            let n = (want - self.have).min(data.len());
            self.header[self.have..self.have + n].copy_from_slice(&data[..n]);
            self.have += n;
            *data = &data[n..];
            if self.have == want {
                self.have = 0;
                return Some(self.header);
            }
        }
        None
    }
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Incremental parser of the frontend stream.
#[derive(Debug)]
pub struct FrontendParser {
    startup: bool,
    framer: Framer,
}

impl Default for FrontendParser {
    fn default() -> Self {
        FrontendParser {
            startup: true,
            framer: Framer::default(),
        }
    }
}

impl FrontendParser {
    /// Consumes `data`, calling `on_message` for every message whose header is complete.
    pub fn feed(&mut self, mut data: &[u8], mut on_message: impl FnMut(Frontend)) {
        loop {
            let want = if self.startup { 8 } else { 5 };
            let Some(h) = self.framer.next_header(&mut data, want) else {
                return;
            };
            if self.startup {
                let code = be32(&h[4..]);
                self.framer.skip = (be32(&h) as usize).saturating_sub(8);
                self.startup = ENCRYPTION_REQUESTS.contains(&code);
                on_message(Frontend::Startup(code));
            } else {
                self.framer.skip = (be32(&h[1..]) as usize).saturating_sub(4);
                on_message(Frontend::Message(h[0]));
            }
        }
    }
}

/// Incremental parser of the backend stream.
#[derive(Debug, Default)]
pub struct BackendParser {
    framer: Framer,
    /// The stream became encrypted: nothing more can be read.
    opaque: bool,
}

impl BackendParser {
    /// Consumes `data`, calling `on_message` with the type byte of every message
    /// whose header is complete. `answer_pending` says whether the next byte is the
    /// one-byte answer to an encryption request (it is cleared when consumed); an
    /// accepted request (`S`, `G`) makes the rest of the stream unreadable.
    pub fn feed(
        &mut self,
        mut data: &[u8],
        answer_pending: &mut dyn FnMut() -> bool,
        mut on_message: impl FnMut(u8),
    ) {
        while !self.opaque && !data.is_empty() {
            if self.framer.skip == 0 && self.framer.have == 0 && answer_pending() {
                self.opaque = matches!(data[0], b'S' | b'G');
                data = &data[1..];
                continue;
            }
            let Some(h) = self.framer.next_header(&mut data, 5) else {
                return;
            };
            self.framer.skip = (be32(&h[1..]) as usize).saturating_sub(4);
            on_message(h[0]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(t: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![t];
        m.extend(((body.len() + 4) as u32).to_be_bytes());
        m.extend(body);
        m
    }

    #[test]
    fn frontend_messages_across_split_reads() {
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
                p.feed(piece, |m| seen.push(m));
            }
            let expected = [
                Frontend::Startup(80_877_103),
                Frontend::Startup(196_608),
                Frontend::Message(b'Q'),
                Frontend::Message(b'P'),
                Frontend::Message(b'S'),
                Frontend::Message(b'E'),
            ];
            assert_eq!(seen, expected, "chunk size {chunk}");
        }
    }

    #[test]
    fn backend_messages_after_a_refused_encryption_request() {
        let mut stream = vec![b'N'];
        stream.extend(typed(b'R', &[0, 0, 0, 0]));
        stream.extend(typed(b'Z', b"I"));
        stream.extend(typed(b'N', b"notice\0"));
        for chunk in [1, 2, 5, stream.len()] {
            let mut p = BackendParser::default();
            let mut pending = true;
            let mut seen = Vec::new();
            for piece in stream.chunks(chunk) {
                p.feed(piece, &mut || std::mem::take(&mut pending), |t| {
                    seen.push(t)
                });
            }
            assert_eq!(seen, b"RZN", "chunk size {chunk}");
        }
        let mut p = BackendParser::default();
        let mut seen = Vec::new();
        p.feed(b"S\x16\x03\x01", &mut || true, |t| seen.push(t));
        assert!(seen.is_empty(), "TLS is not parsed: {seen:?}");
    }
}
