//! WebSocket per-message compression (RFC 7692, `permessage-deflate`) on the customer socket,
//! inbound only: the customer's browser compresses every message it sends, off the page's main
//! thread, with a sliding window shared across messages ("context takeover"), so that the many
//! small messages of a session (pointer moves, small DOM batches) shrink to a few bytes each.
//! tungstenite (under axum) implements no extension, so this module does it below it:
//!
//! - [`negotiate`] reads the client's `Sec-WebSocket-Extensions` offers and accepts the first
//!   `permessage-deflate` offer that lets the server bound the client's window
//!   (`client_max_window_bits`, which every browser sends): the answer asks for a window of
//!   [`WINDOW_BITS`] (2^12 = 4 KiB) at most. An offer without it is declined (the socket then
//!   works uncompressed), since its window could be 32 KiB per socket.
//! - [`Inflating`] wraps the upgraded connection's byte stream and rewrites, on the way in, each
//!   compressed message (RSV1 set on its first frame) into plain frames of its inflated payload,
//!   masked with a zero key, before tungstenite reads them; every other frame passes through byte
//!   for byte (so tungstenite still checks masking, opcodes and reserved bits itself). Writes pass
//!   through untouched: the server never compresses (it answers no `server_*` parameter that
//!   would ask it to, and an uncompressed message is always allowed).
//!
//! Memory: an inflater (zlib-rs: its state and a 32 KiB buffer, whatever the window) exists only
//! while a compressed message is being read; between messages the socket keeps the context, the
//! last 2^[`WINDOW_BITS`] bytes inflated, and gives it to the next message's inflater as its
//! dictionary. A socket that never compresses holds nothing, and the wrapper's buffers are let go
//! whenever it waits for input between frames. (Until then a socket upgraded here has
//! tungstenite's own buffers, as configured by the caller.) Inflated output is produced in chunks of at most [`CHUNK`] bytes, each emitted as a
//! frame before more input is read, so a small compressed message cannot make the server buffer
//! its whole inflated size: tungstenite's `max_message_size` still bounds the message it
//! assembles from those frames.

use bytes::{Buf, BufMut, BytesMut};
use flate2::{Decompress, FlushDecompress, Status};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, ReadBuf};

/// The largest window the server accepts for the client's compressor (2^12 bytes): small enough
/// to keep the inflater's memory per compressing socket low, large enough to hold the last few
/// messages (pointer moves and small batches repeat what came just before).
pub(crate) const WINDOW_BITS: u8 = 12;
/// Inflated output emitted per frame, at most (and the size of each read from the connection).
const CHUNK: usize = 16 * 1024;
/// The tail a sender removes from each compressed message (RFC 7692, 7.2.1), put back to inflate.
const TAIL: [u8; 4] = [0x00, 0x00, 0xff, 0xff];

/// The negotiated extension: the `Sec-WebSocket-Extensions` answer and the inflater's window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Negotiated {
    /// The response header's value.
    pub(crate) response: String,
    /// Window of the client's compressor, as answered (9..=15; a client offering 8 gets 8
    /// answered and the inflater uses 9, a larger window inflates the same data).
    pub(crate) window_bits: u8,
}

/// Reads the `Sec-WebSocket-Extensions` header values of an upgrade request and picks the first
/// acceptable `permessage-deflate` offer; `None` when there is none (no compression).
pub(crate) fn negotiate<'a>(offers: impl IntoIterator<Item = &'a str>) -> Option<Negotiated> {
    for header in offers {
        for offer in header.split(',') {
            if let Some(n) = accept_offer(offer) {
                return Some(n);
            }
        }
    }
    None
}

/// One offer (`permessage-deflate; client_max_window_bits; …`): its answer, or `None` when it is
/// not `permessage-deflate`, is malformed (RFC 7692 says to decline it), or does not let us bound
/// the client's window.
fn accept_offer(offer: &str) -> Option<Negotiated> {
    let mut parts = offer.split(';').map(str::trim);
    if !parts.next()?.eq_ignore_ascii_case("permessage-deflate") {
        return None;
    }
    let mut client_bits: Option<u8> = None;
    let mut server_bits: Option<u8> = None;
    let mut server_no_context = false;
    let mut seen = Vec::new();
    for param in parts {
        if param.is_empty() {
            continue;
        }
        let (name, value) = match param.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim().trim_matches('"'))),
            None => (param, None),
        };
        let name = name.to_ascii_lowercase();
        if seen.contains(&name) {
            return None; // a parameter twice: decline (RFC 7692, 7)
        }
        seen.push(name.clone());
        match (name.as_str(), value) {
            ("client_max_window_bits", None) => client_bits = Some(15),
            ("client_max_window_bits", Some(v)) => client_bits = Some(window_value(v)?),
            ("server_max_window_bits", Some(v)) => server_bits = Some(window_value(v)?),
            ("server_no_context_takeover", None) => server_no_context = true,
            // A hint that the client resets its context: nothing to answer (our inflater keeps
            // the window either way, which is what inflating an independent message needs).
            ("client_no_context_takeover", None) => {}
            _ => return None,
        }
    }
    let offered = client_bits?;
    let bits = offered.min(WINDOW_BITS);
    let mut response = format!("permessage-deflate; client_max_window_bits={bits}");
    // The server never compresses, so any limit on its own compressor is accepted as asked.
    if let Some(b) = server_bits {
        response.push_str(&format!("; server_max_window_bits={b}"));
    }
    if server_no_context {
        response.push_str("; server_no_context_takeover");
    }
    Some(Negotiated {
        response,
        window_bits: bits.max(9),
    })
}

/// A window size parameter: a decimal 8..=15 without leading zeros.
fn window_value(v: &str) -> Option<u8> {
    if v.is_empty() || v.len() > 2 || v.starts_with('0') || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u8 = v.parse().ok()?;
    (8..=15).contains(&n).then_some(n)
}

/// The frame being read from the connection.
#[derive(Debug)]
struct Frame {
    /// Payload bytes of it still to come.
    remaining: u64,
    /// Whether its payload is inflated (else it passes through).
    compressed: bool,
    /// Compressed frames: the frame's FIN bit.
    fin: bool,
    /// Compressed frames: the masking key and the position in it.
    mask: [u8; 4],
    mask_pos: usize,
}

/// The byte stream of an upgraded customer connection, with compressed messages inflated on the
/// way in (see the module documentation).
pub(crate) struct Inflating<S> {
    inner: S,
    window_bits: u8,
    /// Bytes read from the connection, not processed yet (at most a frame header's worth
    /// beyond what one read brings).
    raw: BytesMut,
    /// Bytes for tungstenite: frames passed through or rewritten.
    out: BytesMut,
    frame: Option<Frame>,
    /// A compressed message is in progress (its continuation frames are compressed too).
    in_compressed: bool,
    /// The opcode of the next frame emitted for the compressed message in progress (its own
    /// first, then continuation).
    next_opcode: u8,
    /// Unmasked compressed input not inflated yet (the message's tail appended at its end).
    pending: BytesMut,
    /// The compressed message's last frame has been read: inflate `pending` to the end, then
    /// emit the final frame.
    ending: bool,
    /// The last inflate filled its output: call it again even without input.
    more_output: bool,
    /// The inflater, while a compressed message is being read (dropped at its end).
    inflater: Option<Decompress>,
    /// The last `2^window_bits` bytes inflated: the context the client's next message may refer
    /// to, given to the next message's inflater as its dictionary.
    window: Vec<u8>,
    /// Whether a compressed message ever came (tests).
    #[cfg(test)]
    inflated: bool,
    eof: bool,
}

impl<S> Inflating<S> {
    pub(crate) fn new(inner: S, window_bits: u8) -> Self {
        Self {
            inner,
            window_bits,
            raw: BytesMut::new(),
            out: BytesMut::new(),
            frame: None,
            in_compressed: false,
            next_opcode: 0,
            pending: BytesMut::new(),
            ending: false,
            more_output: false,
            inflater: None,
            window: Vec::new(),
            #[cfg(test)]
            inflated: false,
            eof: false,
        }
    }

    /// Whether a compressed message came, and what is held for the next one: the window's size
    /// and whether an inflater is allocated.
    #[cfg(test)]
    fn inflating(&self) -> (bool, usize, bool) {
        (self.inflated, self.window.len(), self.inflater.is_some())
    }

    /// Makes whatever progress the buffered input allows, into `out`. `Ok(false)`: more input is
    /// needed first.
    fn process(&mut self) -> io::Result<bool> {
        if self.ending || self.more_output || !self.pending.is_empty() {
            if self.inflate()? {
                return Ok(true);
            }
            if self.ending {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a compressed message ended in the middle of its data",
                ));
            }
            // The inflater needs more of the frame's payload.
        }
        let Some(frame) = self.frame.as_mut() else {
            return self.header();
        };
        if frame.remaining == 0 {
            // A compressed frame fully read (pass-through frames end below or in `header`).
            let fin = frame.fin;
            self.frame = None;
            if fin {
                self.pending.extend_from_slice(&TAIL);
                self.ending = true;
            }
            return Ok(true);
        }
        if self.raw.is_empty() {
            return Ok(false);
        }
        let n = usize::try_from(frame.remaining)
            .unwrap_or(usize::MAX)
            .min(self.raw.len());
        let chunk = self.raw.split_to(n);
        frame.remaining -= n as u64;
        if frame.compressed {
            for b in &chunk {
                self.pending.put_u8(b ^ frame.mask[frame.mask_pos]);
                frame.mask_pos = (frame.mask_pos + 1) & 3;
            }
        } else {
            self.out.extend_from_slice(&chunk);
            if frame.remaining == 0 {
                self.frame = None;
            }
        }
        Ok(true)
    }

    /// Reads the next frame's header from `raw`, if it is all there.
    fn header(&mut self) -> io::Result<bool> {
        let Some(&[b0, b1]) = self.raw.get(..2) else {
            return Ok(false);
        };
        let masked = b1 & 0x80 != 0;
        let len7 = b1 & 0x7f;
        let ext = match len7 {
            126 => 2,
            127 => 8,
            _ => 0,
        };
        let header_len = 2 + ext + if masked { 4 } else { 0 };
        if self.raw.len() < header_len {
            return Ok(false);
        }
        let len = match len7 {
            126 => u64::from(u16::from_be_bytes([self.raw[2], self.raw[3]])),
            127 => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&self.raw[2..10]);
                u64::from_be_bytes(b)
            }
            n => u64::from(n),
        };
        let fin = b0 & 0x80 != 0;
        let rsv1 = b0 & 0x40 != 0;
        let opcode = b0 & 0x0f;
        let data = opcode < 8;
        // RSV1 means "compressed" only on the first frame of a data message from a client that
        // masks; anything else with RSV1 passes through for tungstenite to refuse.
        let starts_compressed =
            rsv1 && masked && (opcode == 1 || opcode == 2) && !self.in_compressed;
        let continues_compressed = data && opcode == 0 && self.in_compressed && !rsv1 && masked;
        if starts_compressed || continues_compressed {
            let mut mask = [0u8; 4];
            mask.copy_from_slice(&self.raw[2 + ext..header_len]);
            self.raw.advance(header_len);
            if starts_compressed {
                self.in_compressed = true;
                self.next_opcode = opcode;
                let mut inflater = Decompress::new_with_window_bits(false, self.window_bits);
                if !self.window.is_empty() {
                    inflater
                        .set_dictionary(&self.window)
                        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                }
                self.inflater = Some(inflater);
                #[cfg(test)]
                {
                    self.inflated = true;
                }
            }
            self.frame = Some(Frame {
                remaining: len,
                compressed: true,
                fin,
                mask,
                mask_pos: 0,
            });
        } else {
            let head = self.raw.split_to(header_len);
            self.out.extend_from_slice(&head);
            if len > 0 {
                self.frame = Some(Frame {
                    remaining: len,
                    compressed: false,
                    fin,
                    mask: [0; 4],
                    mask_pos: 0,
                });
            }
        }
        Ok(true)
    }

    /// Inflates buffered input into one frame of at most [`CHUNK`] bytes; after the message's last
    /// input, emits its final frame. `Ok(false)`: no progress (more input needed).
    fn inflate(&mut self) -> io::Result<bool> {
        let Some(inflater) = self.inflater.as_mut() else {
            return Err(io::Error::other("compressed data without an inflater"));
        };
        // Sized for what the input likely inflates to (a pointer move: a few dozen bytes); more
        // output than that goes in the next frame.
        let size = (self.pending.len() * 4 + 256).min(CHUNK);
        let mut buf = vec![0u8; size];
        let mut produced = 0;
        let mut consumed = false;
        loop {
            if produced == size {
                // The inflater may hold more output for this input (a long match).
                self.more_output = true;
                break;
            }
            if self.pending.is_empty() && !self.more_output {
                break;
            }
            self.more_output = false;
            let in0 = inflater.total_in();
            let out0 = inflater.total_out();
            let status = inflater
                .decompress(&self.pending, &mut buf[produced..], FlushDecompress::Sync)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            let used = usize::try_from(inflater.total_in() - in0).unwrap_or(usize::MAX);
            let made = usize::try_from(inflater.total_out() - out0).unwrap_or(usize::MAX);
            self.pending.advance(used.min(self.pending.len()));
            produced += made;
            consumed |= used > 0;
            if status == Status::StreamEnd {
                // A block with BFINAL set ends the deflate stream (RFC 7692, 7.2.3.4 allows it);
                // the rest of the message is the tail we appended. The next message starts a
                // new stream: the sender cannot refer to this one's window any more.
                self.window.clear();
                if !self.ending {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "a compressed message ended its data before its last frame",
                    ));
                }
                self.pending.clear();
                self.more_output = false;
                break;
            }
            if used == 0 && made == 0 {
                break;
            }
        }
        buf.truncate(produced);
        // The window follows the output (only its tail matters).
        let size = 1usize << self.window_bits;
        let tail = &buf[buf.len().saturating_sub(size)..];
        let keep = self.window.len().min(size - tail.len());
        self.window.drain(..self.window.len() - keep);
        self.window.extend_from_slice(tail);
        let last = self.ending && self.pending.is_empty() && !self.more_output;
        if last || !buf.is_empty() {
            emit(&mut self.out, last, self.next_opcode, &buf);
            self.next_opcode = 0;
        }
        if last {
            self.ending = false;
            self.in_compressed = false;
            // Between messages only the window is kept (the inflater's state and its 32 KiB
            // buffer are not: a socket that sends now and then holds 2^window_bits bytes).
            self.inflater = None;
        }
        Ok(last || consumed || !buf.is_empty())
    }
}

/// A frame of `payload`, masked with a zero key (tungstenite requires client frames to be masked;
/// a zero key leaves the payload as it is).
fn emit(out: &mut BytesMut, fin: bool, opcode: u8, payload: &[u8]) {
    out.put_u8(if fin { 0x80 } else { 0 } | opcode);
    let len = payload.len();
    if len < 126 {
        out.put_u8(0x80 | len as u8);
    } else if let Ok(l) = u16::try_from(len) {
        out.put_u8(0x80 | 126);
        out.put_u16(l);
    } else {
        out.put_u8(0x80 | 127);
        out.put_u64(len as u64);
    }
    out.put_slice(&[0, 0, 0, 0]);
    out.put_slice(payload);
}

impl<S: AsyncRead + Unpin> AsyncRead for Inflating<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        loop {
            if !this.out.is_empty() {
                let n = this.out.len().min(buf.remaining());
                buf.put_slice(&this.out.split_to(n));
                return Poll::Ready(Ok(()));
            }
            if this.process()? {
                continue;
            }
            if this.eof {
                return Poll::Ready(Ok(()));
            }
            if this.frame.is_none() && this.raw.is_empty() && this.pending.is_empty() {
                // Between frames, nothing buffered: hold no memory while the socket waits.
                this.raw = BytesMut::new();
                this.out = BytesMut::new();
                this.pending = BytesMut::new();
            }
            let mut chunk = [0u8; 4096];
            let mut rb = ReadBuf::new(&mut chunk);
            ready!(Pin::new(&mut this.inner).poll_read(cx, &mut rb))?;
            if rb.filled().is_empty() {
                this.eof = true;
            } else {
                this.raw.extend_from_slice(rb.filled());
            }
        }
    }
}

writes_pass_through!(Inflating);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use flate2::{Compress, Compression, FlushCompress};
    use futures_util::StreamExt;
    use tokio::io::AsyncWriteExt;
    use tokio_tungstenite::WebSocketStream;
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::protocol::Role;

    #[test]
    fn negotiation_bounds_the_clients_window() {
        // Chrome's and Firefox's offer.
        let n = negotiate(["permessage-deflate; client_max_window_bits"]).unwrap();
        assert_eq!(n.response, "permessage-deflate; client_max_window_bits=12");
        assert_eq!(n.window_bits, 12);
        // A smaller window offered is kept; 8 is answered as asked, inflated with 9.
        let n = negotiate(["permessage-deflate; client_max_window_bits=10"]).unwrap();
        assert_eq!(n.response, "permessage-deflate; client_max_window_bits=10");
        let n = negotiate(["permessage-deflate;client_max_window_bits=8"]).unwrap();
        assert_eq!(
            (n.response.as_str(), n.window_bits),
            ("permessage-deflate; client_max_window_bits=8", 9)
        );
        // Parameters about the server's compressor are accepted as asked (it never compresses).
        let n = negotiate([
            "permessage-deflate; server_no_context_takeover; client_max_window_bits; server_max_window_bits=10",
        ])
        .unwrap();
        assert_eq!(
            n.response,
            "permessage-deflate; client_max_window_bits=12; server_max_window_bits=10; server_no_context_takeover"
        );
        // The first acceptable offer wins, over several headers and comma-separated offers.
        let n = negotiate([
            "x-webkit-deflate-frame",
            "permessage-deflate; client_max_window_bits=16, permessage-deflate; client_max_window_bits=11",
        ])
        .unwrap();
        assert_eq!(n.window_bits, 11);
    }

    #[test]
    fn negotiation_declines_what_it_cannot_bound_or_read() {
        for offer in [
            "",
            "permessage-deflate", // window not boundable
            "permessage-deflate; client_no_context_takeover", // the same
            "permessage-deflate; client_max_window_bits=7", // out of range
            "permessage-deflate; client_max_window_bits=09", // leading zero
            "permessage-deflate; client_max_window_bits; client_max_window_bits", // twice
            "permessage-deflate; client_max_window_bits; unknown", // unknown parameter
            "permessage-deflate; client_max_window_bits; server_max_window_bits", // needs a value
            "deflate-frame; client_max_window_bits",
        ] {
            assert_eq!(negotiate([offer]), None, "{offer}");
        }
    }

    /// A client's compressor with context takeover, as a browser's.
    struct Client {
        deflate: Compress,
        mask: [u8; 4],
    }

    impl Client {
        fn new(bits: u8) -> Self {
            Self {
                deflate: Compress::new_with_window_bits(Compression::default(), false, bits),
                mask: [0x37, 0xfa, 0x21, 0x3d],
            }
        }

        /// The compressed payload of one message (sync flush, tail removed).
        fn compress(&mut self, data: &[u8]) -> Vec<u8> {
            let start = self.deflate.total_in();
            let mut out = Vec::with_capacity(data.len() + 64);
            loop {
                if out.capacity() - out.len() < 64 {
                    out.reserve(4096);
                }
                let used = usize::try_from(self.deflate.total_in() - start).unwrap();
                self.deflate
                    .compress_vec(&data[used..], &mut out, FlushCompress::Sync)
                    .unwrap();
                let used = usize::try_from(self.deflate.total_in() - start).unwrap();
                if used == data.len() && out.len() < out.capacity() {
                    break;
                }
            }
            assert!(out.ends_with(&TAIL));
            out.truncate(out.len() - 4);
            out
        }

        /// A masked frame.
        fn frame(&self, fin: bool, rsv1: bool, opcode: u8, payload: &[u8]) -> Vec<u8> {
            let mut f = vec![u8::from(fin) << 7 | u8::from(rsv1) << 6 | opcode];
            let len = payload.len();
            if len < 126 {
                f.push(0x80 | len as u8);
            } else if len <= 0xffff {
                f.push(0x80 | 126);
                f.extend_from_slice(&u16::try_from(len).unwrap().to_be_bytes());
            } else {
                f.push(0x80 | 127);
                f.extend_from_slice(&(len as u64).to_be_bytes());
            }
            f.extend_from_slice(&self.mask);
            f.extend(
                payload
                    .iter()
                    .enumerate()
                    .map(|(i, b)| b ^ self.mask[i % 4]),
            );
            f
        }
    }

    /// Feeds `wire` (in pieces of `piece` bytes) to a server socket over [`Inflating`]; the
    /// messages it reads, until the connection ends or fails (`Err` then).
    async fn read_all(
        wire: Vec<u8>,
        piece: usize,
        bits: u8,
    ) -> (Vec<Message>, Option<String>, (bool, usize, bool)) {
        let (mut client, server) = tokio::io::duplex(1 << 20);
        let writer = tokio::spawn(async move {
            for chunk in wire.chunks(piece) {
                client.write_all(chunk).await.unwrap();
            }
            client.shutdown().await.unwrap();
            client
        });
        let io = Inflating::new(server, bits);
        let mut ws = WebSocketStream::from_raw_socket(io, Role::Server, None).await;
        let mut got = Vec::new();
        let mut error = None;
        while let Some(m) = ws.next().await {
            match m {
                Ok(m) => got.push(m),
                Err(e) => {
                    error = Some(e.to_string());
                    break;
                }
            }
        }
        let inflating = ws.get_ref().inflating();
        drop(writer.await);
        (got, error, inflating)
    }

    #[tokio::test]
    async fn compressed_messages_are_inflated_with_context_across_messages() {
        let mut c = Client::new(12);
        let pointer = |x: u32| format!(r#"{{"type":"pointer","x":{x},"y":411}}"#);
        let mut wire = Vec::new();
        let mut sizes = Vec::new();
        for x in 0..20 {
            let z = c.compress(pointer(500 + x).as_bytes());
            sizes.push(z.len());
            wire.extend(c.frame(true, true, 1, &z));
        }
        // A ping and an uncompressed binary message in between pass through.
        wire.extend(c.frame(true, false, 9, b"hi"));
        wire.extend(c.frame(true, false, 2, &[1, 2, 3]));
        // A compressed binary message in three fragments, a ping among them, larger than CHUNK
        // once inflated.
        let big: Vec<u8> = (0..100_000u32)
            .map(|i| (i % 251) as u8 ^ (i / 1000) as u8)
            .collect();
        let z = c.compress(&big);
        let (a, rest) = z.split_at(z.len() / 3);
        let (b, d) = rest.split_at(rest.len() / 2);
        wire.extend(c.frame(false, true, 2, a));
        wire.extend(c.frame(true, false, 9, b"mid"));
        wire.extend(c.frame(false, false, 0, b));
        wire.extend(c.frame(true, false, 0, d));
        let z = c.compress(b"after");
        wire.extend(c.frame(true, true, 1, &z));
        wire.extend(c.frame(true, false, 8, &1000u16.to_be_bytes()));
        for piece in [1, 7, 4096] {
            let (got, error, inflating) = read_all(wire.clone(), piece, 12).await;
            assert_eq!(error, None, "piece {piece}");
            // Between messages: the 4 KiB window, no inflater.
            assert_eq!(inflating, (true, 4096, false));
            let mut it = got.into_iter();
            for x in 0..20 {
                assert_eq!(
                    it.next(),
                    Some(Message::text(pointer(500 + x))),
                    "piece {piece}"
                );
            }
            assert_eq!(it.next(), Some(Message::Ping(b"hi".to_vec().into())));
            assert_eq!(it.next(), Some(Message::Binary(vec![1, 2, 3].into())));
            assert_eq!(it.next(), Some(Message::Ping(b"mid".to_vec().into())));
            assert_eq!(it.next(), Some(Message::Binary(big.clone().into())));
            assert_eq!(it.next(), Some(Message::text("after")));
            assert!(matches!(it.next(), Some(Message::Close(Some(_)))));
        }
        // Context takeover: after the first, a pointer message is a few bytes.
        assert!(sizes[0] > 25, "{sizes:?}");
        assert!(sizes[1..].iter().all(|&n| n <= 10), "{sizes:?}");
    }

    #[tokio::test]
    async fn no_inflater_until_a_compressed_message_comes() {
        let c = Client::new(12);
        let mut wire = c.frame(true, false, 1, br#"{"type":"hello"}"#);
        wire.extend(c.frame(true, false, 8, &1000u16.to_be_bytes()));
        let (got, error, inflating) = read_all(wire, 4096, 12).await;
        assert_eq!(error, None);
        assert_eq!(got[0], Message::text(r#"{"type":"hello"}"#));
        assert_eq!(inflating, (false, 0, false));
    }

    #[tokio::test]
    async fn broken_compressed_data_fails_the_connection() {
        let c = Client::new(12);
        // Garbage that is not deflate data.
        let wire = c.frame(true, true, 1, &[0xff, 0xff, 0xff, 0xff, 0xff]);
        let (got, error, _) = read_all(wire, 4096, 12).await;
        assert!(got.is_empty());
        assert!(error.is_some());
        // A compressor with a larger window than negotiated refers back too far.
        let mut wide = Client::new(15);
        let mut seed = 0x2545_f491_u32;
        let block: Vec<u8> = (0..6000)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                seed as u8
            })
            .collect();
        let z1 = wide.compress(&block);
        let z2 = wide.compress(&block);
        assert!(z2.len() < 100, "the second block refers to the first");
        let mut wire = wide.frame(true, true, 2, &z1);
        wire.extend(wide.frame(true, true, 2, &z2));
        let (got, error, _) = read_all(wire, 4096, 12).await;
        assert_eq!(got.len(), 1);
        assert!(error.is_some());
        // RSV1 on a control frame is not ours to interpret: tungstenite refuses it.
        let wire = c.frame(true, true, 9, b"x");
        let (_, error, inflating) = read_all(wire, 4096, 12).await;
        assert!(error.unwrap().contains("eserved"));
        assert!(!inflating.0);
    }
}
