//! `permessage-deflate` (RFC 7692) on the customer socket: negotiated when a browser offers it
//! with `client_max_window_bits`, compressed messages inflated with context across messages,
//! frames still relayed to the agent byte for byte. The customer here writes raw frames on a TCP
//! connection, compressing as a browser does (sync flush, tail removed, context kept).

#![allow(clippy::unwrap_used)]

mod common;

use cobrowse_protocol::{
    AgentToServer, CustomerToServer, FrameKind, PagePoint, ServerToAgent, ServerToCustomer,
    SnapshotReason,
};
use common::*;
use flate2::{Compress, Compression, FlushCompress};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A customer socket on a raw connection, with a browser's compressor.
struct RawCustomer {
    tcp: TcpStream,
    deflate: Compress,
}

impl RawCustomer {
    /// Opens the socket with `extensions` offered; the response's `Sec-WebSocket-Extensions`.
    async fn connect(server: &TestServer, extensions: &str) -> (Self, Option<String>) {
        let addr = server.url("").trim_start_matches("http://").to_owned();
        let mut tcp = TcpStream::connect(&addr).await.unwrap();
        let request = format!(
            "GET /cobrowse/ws/customer HTTP/1.1\r\nHost: {addr}\r\nOrigin: {}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
             Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Extensions: {extensions}\r\n\r\n",
            server.origin()
        );
        tcp.write_all(request.as_bytes()).await.unwrap();
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            head.push(tcp.read_u8().await.unwrap());
        }
        let head = String::from_utf8(head).unwrap();
        assert!(head.starts_with("HTTP/1.1 101"), "{head}");
        assert!(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "{head}");
        let extension = head.lines().find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("sec-websocket-extensions")
                .then(|| value.trim().to_owned())
        });
        let customer = Self {
            tcp,
            deflate: Compress::new_with_window_bits(Compression::default(), false, 12),
        };
        (customer, extension)
    }

    /// Sends one message (opcode 1 text, 2 binary), compressed or not, in `fragments` frames.
    async fn send(&mut self, opcode: u8, data: &[u8], compressed: bool, fragments: usize) {
        let payload = if compressed {
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
            assert!(out.ends_with(&[0, 0, 0xff, 0xff]));
            out.truncate(out.len() - 4);
            out
        } else {
            data.to_vec()
        };
        let size = payload.len().div_ceil(fragments).max(1);
        let pieces: Vec<&[u8]> = payload.chunks(size).collect();
        let mask = [9u8, 200, 33, 71];
        for (i, piece) in pieces.iter().enumerate() {
            let fin = i + 1 == pieces.len();
            let op = if i == 0 { opcode } else { 0 };
            let rsv1 = compressed && i == 0;
            let mut f = vec![u8::from(fin) << 7 | u8::from(rsv1) << 6 | op];
            let len = piece.len();
            if len < 126 {
                f.push(0x80 | u8::try_from(len).unwrap());
            } else {
                f.push(0x80 | 126);
                f.extend_from_slice(&u16::try_from(len).unwrap().to_be_bytes());
            }
            f.extend_from_slice(&mask);
            f.extend(piece.iter().enumerate().map(|(j, b)| b ^ mask[j % 4]));
            self.tcp.write_all(&f).await.unwrap();
        }
    }

    async fn send_json(&mut self, message: &CustomerToServer, compressed: bool) {
        let text = serde_json::to_string(message).unwrap();
        self.send(1, text.as_bytes(), compressed, 1).await;
    }

    /// The next text message from the server (pings skipped).
    async fn recv(&mut self) -> ServerToCustomer {
        loop {
            let (opcode, payload) = tokio::time::timeout(WAIT, async {
                let b0 = self.tcp.read_u8().await.unwrap();
                let b1 = self.tcp.read_u8().await.unwrap();
                assert_eq!(b0 & 0x70, 0, "the server never compresses");
                let len = match b1 & 0x7f {
                    126 => usize::from(self.tcp.read_u16().await.unwrap()),
                    127 => usize::try_from(self.tcp.read_u64().await.unwrap()).unwrap(),
                    n => usize::from(n),
                };
                let mut payload = vec![0; len];
                self.tcp.read_exact(&mut payload).await.unwrap();
                (b0 & 0x0f, payload)
            })
            .await
            .expect("nothing received in time");
            match opcode {
                1 => return serde_json::from_slice(&payload).unwrap(),
                9 | 10 => {}
                other => panic!("unexpected opcode {other}"),
            }
        }
    }
}

#[tokio::test]
async fn a_browser_offer_is_answered_with_a_bounded_window() {
    let server = TestServer::start().await;
    let (_, extension) =
        RawCustomer::connect(&server, "permessage-deflate; client_max_window_bits").await;
    assert_eq!(
        extension.as_deref(),
        Some("permessage-deflate; client_max_window_bits=12")
    );
    // Without a bound on the client's window the extension is declined: plain socket.
    let (_, extension) = RawCustomer::connect(&server, "permessage-deflate").await;
    assert_eq!(extension, None);
    server.stop().await;
}

#[tokio::test]
async fn compressed_messages_drive_the_session_and_frames_relay_unchanged() {
    let server = TestServer::start().await;
    let cookie = server.login(AGENT1).await;
    let session = server.create_session().await;
    let (mut customer, extension) = RawCustomer::connect(
        &server,
        "permessage-deflate; client_max_window_bits; server_max_window_bits=10",
    )
    .await;
    assert_eq!(
        extension.as_deref(),
        Some("permessage-deflate; client_max_window_bits=12; server_max_window_bits=10")
    );
    customer.send_json(&hello(&session), true).await;
    assert!(matches!(
        customer.recv().await,
        ServerToCustomer::Welcome(_)
    ));
    assert!(matches!(
        customer.recv().await,
        ServerToCustomer::Restrictions(_)
    ));
    let mut agent = server.agent_join(&cookie, &session.token).await;
    assert_eq!(customer.recv().await, ServerToCustomer::AgentJoined);
    assert_eq!(
        customer.recv().await,
        snapshot_request(SnapshotReason::AgentJoined)
    );

    // A full snapshot (compressed, in three fragments), a batch sent plain, a batch compressed:
    // the agent gets each frame exactly as the customer framed it before compression.
    let snapshot = frame(FrameKind::Full, 7, "{\"doc\":\"x\"}".repeat(500).as_bytes());
    customer.send(2, &snapshot, true, 3).await;
    let plain = frame(FrameKind::Incremental, 8, b"{\"ops\":[]}");
    customer.send(2, &plain, false, 1).await;
    let batch = frame(
        FrameKind::Incremental,
        9,
        b"{\"ops\":[{\"o\":\"ui\",\"s\":{}}]}",
    );
    customer.send(2, &batch, true, 1).await;
    assert_eq!(agent.recv_frame().await, snapshot);
    assert_eq!(agent.recv_frame().await, plain);
    assert_eq!(agent.recv_frame().await, batch);

    // Pointer moves, each compressed against the ones before.
    for x in 0..5 {
        customer
            .send_json(
                &CustomerToServer::Pointer(PagePoint { x: 100 + x, y: 40 }),
                true,
            )
            .await;
        assert_eq!(
            agent.recv().await,
            ServerToAgent::CustomerPointer(PagePoint { x: 100 + x, y: 40 })
        );
    }
    agent.send(&AgentToServer::Exit).await;
    assert_eq!(
        customer.recv().await,
        customer_ended(cobrowse_protocol::EndReason::AgentExited)
    );
    server.stop().await;
}
