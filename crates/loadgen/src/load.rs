//! One load: every customer sends a full snapshot (kind 1), then incremental batches (kind 2) with
//! increasing sequence numbers, each carrying its send time; every agent checks the order and
//! records the latency. Two pacings: a fixed rate per session (the latency figure) or, with rate
//! 0, as fast as a window of unanswered frames per session allows (the throughput figure: closed
//! loop, so neither server is flooded past what it can relay).

use crate::target::{Pair, Socket};
use anyhow::Context;
use cobrowse_protocol::{FRAME_HEADER_LEN, FrameHeader, FrameKind};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde::Serialize;
use std::sync::Arc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, watch};
use tokio_tungstenite::tungstenite::Message;

/// Where the payload's send timestamp starts: after `{"t":"`.
const STAMP_AT: usize = FRAME_HEADER_LEN + 6;
/// Digits of the timestamp (nanoseconds since [`epoch`]).
const STAMP_DIGITS: usize = 20;
/// Smallest payload that holds the timestamp and a valid batch around it.
pub const MIN_PAYLOAD: usize = 64;

/// The instant send timestamps count from (senders and receivers are in this process).
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// What to send.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Load {
    /// Payload bytes per frame (the 12-byte header not counted).
    pub payload: usize,
    /// Frames per second per session; 0: as fast as `window` allows.
    pub rate: f64,
    /// Frames per session sent and not yet received, at most (rate 0 only).
    pub window: usize,
    #[serde(serialize_with = "secs")]
    pub duration: Duration,
    /// How long to wait, after the last send, for frames still on their way.
    #[serde(serialize_with = "secs")]
    pub drain: Duration,
}

fn secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// What the agents received.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub sent: u64,
    pub delivered: u64,
    /// Frames received out of sequence (a gap or a reordering).
    pub out_of_order: u64,
    /// `resyncing` messages the agents got (the server dropped their backlog).
    pub resyncs: u64,
    /// From the first batch sent to the last received.
    pub elapsed: Duration,
    /// Customer → agent latency in microseconds.
    pub latency_us: Histogram<u64>,
    /// Every frame received, when the run was asked to keep them ([`run`]'s `keep_samples`).
    pub samples: Vec<Sample>,
}

/// One frame received: which, when it was sent and how long it took (a diagnostic run's trace,
/// to tell a periodic tail from a random one and to compare two servers sample by sample).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Sample {
    /// The session's index in the run.
    pub session: u32,
    pub seq: u32,
    /// Send time, microseconds since the load generator's epoch.
    pub sent_us: u64,
    pub latency_us: u64,
}

impl Outcome {
    pub fn lost(&self) -> u64 {
        self.sent.saturating_sub(self.delivered)
    }

    pub fn per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.delivered as f64 / secs
        } else {
            0.0
        }
    }
}

/// A payload of exactly `size` bytes: `{"t":"<stamp>","ops":[{"o":"text","i":7,"x":"aaa…"}]}`.
fn payload(size: usize) -> Vec<u8> {
    let head = format!(
        "{{\"t\":\"{}\",\"ops\":[{{\"o\":\"text\",\"i\":7,\"x\":\"",
        "0".repeat(STAMP_DIGITS)
    );
    let tail = "\"}]}";
    let fill = size.saturating_sub(head.len() + tail.len());
    let mut bytes = head.into_bytes();
    bytes.resize(bytes.len() + fill, b'a');
    bytes.extend_from_slice(tail.as_bytes());
    bytes
}

/// A frame: header + payload.
fn frame(kind: FrameKind, seq: u32, payload: &[u8]) -> Vec<u8> {
    let header = FrameHeader {
        kind,
        flags: 0,
        seq,
        // Payloads are a few KiB: the conversion cannot fail.
        raw_len: u32::try_from(payload.len()).unwrap_or(u32::MAX),
    };
    let mut bytes = Vec::with_capacity(FRAME_HEADER_LEN + payload.len());
    bytes.extend_from_slice(&header.encode());
    bytes.extend_from_slice(payload);
    bytes
}

fn stamp(bytes: &mut [u8]) {
    let nanos = epoch().elapsed().as_nanos();
    let digits = format!("{nanos:0STAMP_DIGITS$}");
    bytes[STAMP_AT..STAMP_AT + STAMP_DIGITS].copy_from_slice(digits.as_bytes());
}

fn read_stamp(bytes: &[u8]) -> Option<Duration> {
    let digits = std::str::from_utf8(bytes.get(STAMP_AT..STAMP_AT + STAMP_DIGITS)?).ok()?;
    let nanos: u64 = digits.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// When a run's sessions send: from `start`, session `i` of `n` first at `(i + phase_offset) / n`
/// of a period. Two runs with the same `start` and offsets 0 and 0.5 send in turns (a paired
/// run, [`crate::bench::measure_paired`]).
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub start: Instant,
    pub phase_offset: f64,
}

/// Runs `load` over `pairs` (already open), from now. The pairs are used up; the sockets are
/// handed back for an orderly finish. With `keep_samples`, every frame received is kept in
/// [`Outcome::samples`] as well as counted in the histogram.
pub async fn run(
    pairs: Vec<Pair>,
    load: Load,
    keep_samples: bool,
) -> anyhow::Result<(Outcome, Vec<Pair>)> {
    let ready = prepare(pairs, &load).await?;
    let clock = Clock {
        start: Instant::now(),
        phase_offset: 0.0,
    };
    run_ready(ready, load, clock, keep_samples).await
}

/// Sends every customer's full snapshot and waits until its agent has it: what comes before the
/// clock starts.
pub async fn prepare(pairs: Vec<Pair>, load: &Load) -> anyhow::Result<Vec<Pair>> {
    anyhow::ensure!(
        load.payload >= MIN_PAYLOAD,
        "payload below {MIN_PAYLOAD} bytes"
    );
    let template = payload(load.payload);
    let mut ready = Vec::with_capacity(pairs.len());
    for mut pair in pairs {
        let full = frame(FrameKind::Full, 0, &template);
        pair.customer.send(Message::binary(full)).await?;
        wait_for_frame(&mut pair.agent).await?;
        ready.push(pair);
    }
    Ok(ready)
}

/// Runs `load` over pairs made ready by [`prepare`], on `clock`; otherwise as [`run`].
pub async fn run_ready(
    ready: Vec<Pair>,
    load: Load,
    clock: Clock,
    keep_samples: bool,
) -> anyhow::Result<(Outcome, Vec<Pair>)> {
    let template = payload(load.payload);
    let start = clock.start;
    let mut senders = Vec::new();
    let mut receivers = Vec::new();
    let sessions = ready.len();
    for (index, pair) in ready.into_iter().enumerate() {
        // Sessions tick out of phase, spread over one period, as independent pages would: not
        // every session's frame in the same millisecond.
        let phase = (index as f64 + clock.phase_offset) / sessions as f64;
        let (customer_tx, customer_rx) = pair.customer.split();
        let (agent_tx, agent_rx) = pair.agent.split();
        // Semaphore: the frames a session may have in flight (rate 0); the receiver gives a
        // permit back per frame received.
        let window = Arc::new(Semaphore::new(load.window.max(1)));
        // Watch: the number of frames the sender sent in all, once it stops.
        let (sent_tx, sent_rx) = watch::channel(None::<u64>);
        let template = template.clone();
        let window_tx = window.clone();
        senders.push(tokio::spawn(async move {
            let result = send(customer_tx, &template, load, phase, start, &window_tx).await;
            let sent = match &result {
                Ok((_, n)) => *n,
                Err(_) => 0,
            };
            let _ = sent_tx.send(Some(sent));
            (result, customer_rx)
        }));
        receivers.push(tokio::spawn(receive(
            agent_tx,
            agent_rx,
            sent_rx,
            window,
            load.rate == 0.0,
            keep_samples.then_some(u32::try_from(index)?),
        )));
    }
    let mut sent = 0;
    let mut customers = Vec::new();
    for sender in senders {
        let (result, customer_rx) = sender.await?;
        let (customer_tx, n) = result?;
        sent += n;
        customers.push(
            customer_tx
                .reunite(customer_rx)
                .context("reuniting a customer socket")?,
        );
    }
    let drain_until = tokio::time::Instant::now() + load.drain;
    let mut outcome = Outcome {
        sent,
        delivered: 0,
        out_of_order: 0,
        resyncs: 0,
        elapsed: Duration::ZERO,
        latency_us: new_histogram(),
        samples: Vec::new(),
    };
    let mut agents = Vec::new();
    for receiver in receivers {
        let abort = receiver.abort_handle();
        match tokio::time::timeout_at(drain_until, receiver).await {
            Ok(joined) => {
                let received = joined??;
                outcome.delivered += received.delivered;
                outcome.out_of_order += received.out_of_order;
                outcome.resyncs += received.resyncs;
                if let Some(last) = received.last {
                    outcome.elapsed = outcome.elapsed.max(last.duration_since(start));
                }
                outcome.latency_us.add(&received.latency_us)?;
                outcome.samples.extend_from_slice(&received.samples);
                agents.push(Some(received.socket));
            }
            Err(_) => {
                // Frames still missing at the end of the drain: counted as lost.
                abort.abort();
                agents.push(None);
            }
        }
    }
    if outcome.elapsed.is_zero() {
        outcome.elapsed = start.elapsed();
    }
    let pairs = customers
        .into_iter()
        .zip(agents)
        .filter_map(|(customer, agent)| agent.map(|agent| Pair { customer, agent }))
        .collect();
    Ok((outcome, pairs))
}

fn new_histogram() -> Histogram<u64> {
    // 1 µs to 10 min at 3 significant digits: the bounds are valid constants.
    Histogram::new_with_bounds(1, 600_000_000, 3).unwrap_or_else(|_| unreachable!())
}

async fn wait_for_frame(agent: &mut Socket) -> anyhow::Result<()> {
    tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(message) = agent.next().await {
            if let Message::Binary(_) = message? {
                return Ok(());
            }
        }
        anyhow::bail!("agent socket closed before the full snapshot")
    })
    .await
    .context("the full snapshot did not reach the agent in time")?
}

type CustomerTx = SplitSink<Socket, Message>;

async fn send(
    mut tx: CustomerTx,
    template: &[u8],
    load: Load,
    phase: f64,
    start: Instant,
    window: &Semaphore,
) -> anyhow::Result<(CustomerTx, u64)> {
    let stop_at = start + load.duration;
    let mut interval = (load.rate > 0.0).then(|| {
        let period = Duration::from_secs_f64(1.0 / load.rate);
        let first = tokio::time::Instant::from_std(start) + period.mul_f64(phase);
        let mut i = tokio::time::interval_at(first, period);
        // A late tick sends once, not a burst: the rate is an upper bound.
        i.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        i
    });
    let mut seq: u32 = 0;
    loop {
        match &mut interval {
            Some(i) => {
                i.tick().await;
            }
            None => window.acquire().await?.forget(),
        }
        if Instant::now() >= stop_at {
            break;
        }
        seq += 1;
        let mut bytes = frame(FrameKind::Incremental, seq, template);
        stamp(&mut bytes);
        tx.send(Message::binary(bytes)).await?;
    }
    Ok((tx, u64::from(seq)))
}

struct Received {
    socket: Socket,
    delivered: u64,
    out_of_order: u64,
    resyncs: u64,
    last: Option<Instant>,
    latency_us: Histogram<u64>,
    samples: Vec<Sample>,
}

/// Reads one agent socket until it has every frame its customer sent. `session`: keep every
/// frame as a [`Sample`] of this session.
async fn receive(
    tx: SplitSink<Socket, Message>,
    mut rx: SplitStream<Socket>,
    mut sent: watch::Receiver<Option<u64>>,
    window: Arc<Semaphore>,
    windowed: bool,
    session: Option<u32>,
) -> anyhow::Result<Received> {
    let mut samples = Vec::new();
    let mut delivered = 0u64;
    let mut out_of_order = 0u64;
    let mut resyncs = 0u64;
    let mut last = None;
    let mut latency_us = new_histogram();
    let mut expected_seq = 1u32;
    let mut sender_gone = false;
    loop {
        if let Some(total) = *sent.borrow_and_update()
            && delivered >= total
        {
            break;
        }
        tokio::select! {
            message = rx.next() => {
                let Some(message) = message else { anyhow::bail!("agent socket closed") };
                match message? {
                    Message::Binary(bytes) => {
                        let now = Instant::now();
                        let header = FrameHeader::parse(&bytes)?;
                        if header.kind != FrameKind::Incremental {
                            continue;
                        }
                        if header.seq != expected_seq {
                            out_of_order += 1;
                        }
                        expected_seq = header.seq.wrapping_add(1);
                        if let Some(at) = read_stamp(&bytes) {
                            let latency = now.duration_since(epoch()).saturating_sub(at);
                            let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
                            latency_us.saturating_record(micros.max(1));
                            if let Some(session) = session {
                                samples.push(Sample {
                                    session,
                                    seq: header.seq,
                                    sent_us: u64::try_from(at.as_micros()).unwrap_or(u64::MAX),
                                    latency_us: micros,
                                });
                            }
                        }
                        delivered += 1;
                        last = Some(now);
                        if windowed {
                            window.add_permits(1);
                        }
                    }
                    Message::Text(text) => {
                        if text.as_str().contains("\"resyncing\"") {
                            resyncs += 1;
                        }
                    }
                    Message::Close(_) => anyhow::bail!("agent socket closed"),
                    Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
                }
            }
            changed = sent.changed(), if !sender_gone => {
                // The sender sets its total before it goes: its absence only ends this branch.
                sender_gone = changed.is_err();
            }
        }
    }
    Ok(Received {
        socket: tx.reunite(rx).context("reuniting an agent socket")?,
        delivered,
        out_of_order,
        resyncs,
        last,
        latency_us,
        samples,
    })
}
