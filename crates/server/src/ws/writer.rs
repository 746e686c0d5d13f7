//! The writer task of a socket: the only code that writes to its sink.
//!
//! Owns the order of what goes out: control messages first (the bounded control channel, fed by
//! the session actor with `try_send` and, for errors, by the reader), then a ping when one is due
//! (every `ping_interval`, so that a live peer always has something to answer, even behind a
//! backlog of frames; the reader's `socket_timeout` then detects dead ones), then, for agents,
//! DOM frames popped from the byte-bounded [`FrameQueue`]: the frames queued when it pops one
//! are written with it and flushed once (up to `BATCH_BYTES`).
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

/// Bytes of queued frames written with one flush, at most (tungstenite writes its buffer to the
/// kernel by itself only beyond 128 KiB, its `write_buffer_size`). Small, because tungstenite's
/// write buffer keeps the capacity of the largest batch for the socket's life (it is drained,
/// not shrunk): a socket that once had a backlog keeps up to this much.
const BATCH_BYTES: usize = 16 * 1024;

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
/// (An `async move` block rather than an `async fn`, which would hold its arguments twice for the
/// socket's whole life: see `mod.rs`.)
#[allow(clippy::manual_async_fn)] // on purpose, see above
fn write_loop<S>(
    mut sink: S,
    mut control: mpsc::Receiver<Outbound>,
    frames: Option<Arc<FrameQueue>>,
    metrics: Arc<Metrics>,
    ping_interval: Duration,
    write_timeout: Duration,
) -> impl Future<Output = ()>
where
    S: futures_util::Sink<Message> + Unpin,
{
    async move {
        let mut ping = tokio::time::interval_at(Instant::now() + ping_interval, ping_interval);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        // When `ping` fires next (with `Delay`, a period after it last fired): a batch of frames ends
        // then, so that the ping is not held behind it.
        let mut next_ping = Instant::now() + ping_interval;
        loop {
            let (message, frame_len) = tokio::select! {
                biased;
                outbound = control.recv() => match outbound {
                    Some(Outbound::Text(text)) => (Message::Text(text.into()), None),
                    Some(Outbound::Shared(text)) => (Message::Text(text), None),
                    Some(Outbound::Close { code, reason }) => {
                        send_close(&mut sink, code, reason).await;
                        return;
                    }
                    None => {
                        send_close(&mut sink, CLOSE_DROPPED.0, CLOSE_DROPPED.1).await;
                        return;
                    }
                },
                // Before frames: with a backlog of frames always ready, pings would never go out,
                // and a peer that only answers pings (a browser) would look dead to the reader.
                _ = ping.tick() => {
                    next_ping = Instant::now() + ping_interval;
                    (Message::Ping(Bytes::new()), None)
                }
                frame = next_frame(frames.as_deref()) => {
                    let len = frame.len();
                    (Message::Binary(frame), Some(len))
                }
            };
            let batch = async {
                sink.feed(message).await?;
                let mut written = frame_len.map(|len| (1, len));
                // Frames already queued behind this one go out with it, flushed once (one write to
                // the kernel instead of one per frame), up to `BATCH_BYTES`, and only while no
                // control message waits and no ping is due (they keep their priority).
                if let (Some((count, bytes)), Some(queue)) = (&mut written, frames.as_deref()) {
                    while *bytes < BATCH_BYTES
                        && control.is_empty()
                        && Instant::now() < next_ping
                        && let Some(frame) = queue.try_pop()
                    {
                        *count += 1;
                        *bytes += frame.len();
                        sink.feed(Message::Binary(frame)).await?;
                    }
                }
                sink.flush().await?;
                Ok::<_, S::Error>(written)
            };
            // Timeout: a socket that cannot take a write for this long is dead (its peer stopped
            // reading); the session treats it as disconnected.
            match tokio::time::timeout(write_timeout, batch).await {
                Ok(Ok(Some((count, bytes)))) => {
                    Metrics::add(&metrics.frames_relayed, count);
                    Metrics::add(&metrics.bytes_relayed, bytes as u64);
                }
                Ok(Ok(None)) => {}
                Ok(Err(_)) | Err(_) => return,
            }
        }
    }
}

async fn next_frame(frames: Option<&FrameQueue>) -> Bytes {
    match frames {
        Some(queue) => queue.pop().await,
        None => std::future::pending().await,
    }
}

async fn send_close<S>(sink: &mut S, code: u16, reason: &'static str)
where
    S: futures_util::Sink<Message> + Unpin,
{
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

#[cfg(test)]
mod tests {
    //! The writer against a slow in-memory sink, in paused time.

    use super::*;
    use std::sync::Mutex;

    /// What the sink received, in order: "ping", "frame", "text" or "close".
    type Log = Arc<Mutex<Vec<&'static str>>>;

    /// A sink that takes `per_message` to accept each message.
    fn slow_sink(
        log: Log,
        per_message: Duration,
    ) -> impl futures_util::Sink<Message, Error = std::convert::Infallible> + Unpin + Send {
        Box::pin(futures_util::sink::unfold(
            log,
            move |log, message| async move {
                tokio::time::sleep(per_message).await;
                let kind = match message {
                    Message::Ping(_) => "ping",
                    Message::Binary(_) => "frame",
                    Message::Text(_) => "text",
                    Message::Pong(_) | Message::Close(_) => "close",
                };
                log.lock().unwrap().push(kind);
                Ok(log)
            },
        ))
    }

    #[tokio::test(start_paused = true)]
    async fn pings_go_out_while_a_backlog_of_frames_is_written() {
        let log = Log::default();
        let queue = Arc::new(FrameQueue::new(1 << 20));
        // Ten seconds of frames at 100 ms each: the queue is never empty for the whole test.
        for _ in 0..100 {
            queue.try_push(Bytes::from_static(&[0; 16])).unwrap();
        }
        let (control, control_rx) = mpsc::channel(4);
        let writer = tokio::spawn(write_loop(
            slow_sink(log.clone(), Duration::from_millis(100)),
            control_rx,
            Some(queue.clone()),
            Arc::new(Metrics::default()),
            Duration::from_secs(1),
            Duration::from_secs(60),
        ));
        tokio::time::sleep(Duration::from_millis(5050)).await;
        let pings = log.lock().unwrap().iter().filter(|k| **k == "ping").count();
        assert!(queue.queued_bytes() > 0, "the backlog is still there");
        // Without pings the peer (a browser answers pings, and otherwise sends nothing) would
        // look dead to the reader after `socket_timeout`, although it reads everything.
        assert!(pings >= 4, "{pings} pings in 5 s with a 1 s interval");
        drop(control);
        writer.await.unwrap();
    }
    /// A sink that logs each message's kind and each flush, and is always ready.
    struct FlushLog(Log);

    impl futures_util::Sink<Message> for FlushLog {
        type Error = std::convert::Infallible;

        fn poll_ready(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Result<(), Self::Error>> {
            std::task::Poll::Ready(Ok(()))
        }

        fn start_send(self: std::pin::Pin<&mut Self>, message: Message) -> Result<(), Self::Error> {
            let kind = if let Message::Binary(_) = message {
                "frame"
            } else {
                "other"
            };
            self.0.lock().unwrap().push(kind);
            Ok(())
        }

        fn poll_flush(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Result<(), Self::Error>> {
            self.0.lock().unwrap().push("flush");
            std::task::Poll::Ready(Ok(()))
        }

        fn poll_close(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Result<(), Self::Error>> {
            std::task::Poll::Ready(Ok(()))
        }
    }

    #[tokio::test(start_paused = true)]
    async fn frames_queued_together_are_written_with_one_flush_up_to_the_batch_size() {
        let log = Log::default();
        let queue = Arc::new(FrameQueue::new(1 << 20));
        // 10 small frames, then 3 of half the batch size: a batch of the 10 small ones and two
        // large ones (a frame is added while the batch is under its size), then the third.
        for _ in 0..10 {
            queue.try_push(Bytes::from_static(&[0; 16])).unwrap();
        }
        for _ in 0..3 {
            queue
                .try_push(Bytes::from(vec![0; BATCH_BYTES / 2]))
                .unwrap();
        }
        let (control, control_rx) = mpsc::channel(4);
        let metrics = Arc::new(Metrics::default());
        let writer = tokio::spawn(write_loop(
            FlushLog(log.clone()),
            control_rx,
            Some(queue.clone()),
            metrics.clone(),
            Duration::from_secs(10),
            Duration::from_secs(60),
        ));
        tokio::time::sleep(Duration::from_millis(10)).await;
        drop(control);
        writer.await.unwrap();
        let log = log.lock().unwrap();
        let frames = log.iter().filter(|k| **k == "frame").count();
        let flushes = log.iter().filter(|k| **k == "flush").count();
        assert_eq!(frames, 13, "every frame written");
        // Two batches of frames, then the close frame's own flush.
        assert_eq!(flushes, 3, "{log:?}");
        let relayed = metrics
            .frames_relayed
            .load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(relayed, 13, "each frame counted once");
    }
}
