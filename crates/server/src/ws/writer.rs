//! The writer task of a socket: the only code that writes to its sink.
//!
//! Owns the order of what goes out: control messages first (the bounded control channel, fed by
//! the session actor with `try_send` and, for errors, by the reader), then, for agents, DOM
//! frames popped from the byte-bounded [`FrameQueue`], and a ping every `ping_interval` so that a
//! live peer always has something to answer (the reader's `socket_timeout` then detects dead
//! ones).
//!
//! It stops after sending a close frame: the one it was asked for ([`Outbound::Close`]), or
//! `1013 dropped` when the control channel's last sender is gone (the session let go of the
//! socket). It also stops, without a close frame, when a write fails or stalls for
//! `socket_timeout`. Spawned by the socket tasks in `mod.rs`, which treat its end as the end of
//! the socket.

use super::Sink;
use crate::App;
use crate::metrics::Metrics;
use crate::session::{CLOSE_DROPPED, FrameQueue, Outbound};
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};
use bytes::Bytes;
use futures_util::SinkExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};

/// Spawns the writer of one socket; `frames` only for agent sockets.
pub(super) fn spawn(
    app: &App,
    sink: Sink,
    control: mpsc::Receiver<Outbound>,
    frames: Option<Arc<FrameQueue>>,
) -> JoinHandle<()> {
    tokio::spawn(write_loop(
        sink,
        control,
        frames,
        app.metrics.clone(),
        app.config.ping_interval,
        app.config.socket_timeout,
    ))
}

/// The writer task of one socket. See the module documentation for its priorities and ending.
async fn write_loop(
    mut sink: Sink,
    mut control: mpsc::Receiver<Outbound>,
    frames: Option<Arc<FrameQueue>>,
    metrics: Arc<Metrics>,
    ping_interval: Duration,
    write_timeout: Duration,
) {
    let mut ping = tokio::time::interval_at(Instant::now() + ping_interval, ping_interval);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        let (message, frame_len) = tokio::select! {
            biased;
            outbound = control.recv() => match outbound {
                Some(Outbound::Text(text)) => (Message::Text(text.into()), None),
                Some(Outbound::Close { code, reason }) => {
                    send_close(&mut sink, code, reason).await;
                    return;
                }
                None => {
                    send_close(&mut sink, CLOSE_DROPPED.0, CLOSE_DROPPED.1).await;
                    return;
                }
            },
            frame = next_frame(frames.as_deref()) => {
                let len = frame.len();
                (Message::Binary(frame), Some(len))
            }
            _ = ping.tick() => (Message::Ping(Bytes::new()), None),
        };
        // Timeout: a socket that cannot take a write for this long is dead (its peer stopped
        // reading); the session treats it as disconnected.
        match tokio::time::timeout(write_timeout, sink.send(message)).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) | Err(_) => return,
        }
        if let Some(len) = frame_len {
            Metrics::inc(&metrics.frames_relayed);
            Metrics::add(&metrics.bytes_relayed, len as u64);
        }
    }
}

async fn next_frame(frames: Option<&FrameQueue>) -> Bytes {
    match frames {
        Some(queue) => queue.pop().await,
        None => std::future::pending().await,
    }
}

async fn send_close(sink: &mut Sink, code: u16, reason: &'static str) {
    let frame = CloseFrame {
        code,
        reason: Utf8Bytes::from_static(reason),
    };
    // Timeout: best effort; a peer that does not take a close frame within a second is gone.
    let _ = tokio::time::timeout(
        Duration::from_secs(1),
        sink.send(Message::Close(Some(frame))),
    )
    .await;
}
