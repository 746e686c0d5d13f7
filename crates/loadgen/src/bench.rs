//! Measured runs: one load over freshly opened sessions ([`measure`]), the memory of idle
//! sessions ([`idle`], the slope between two counts), and the interleaved series of both servers
//! ([`Scenario`]).

use crate::load::{self, Load};
use crate::process::{Server, Usage};
use crate::target::{Pair, Target};
use crate::trace;
use anyhow::Context;
use futures_util::StreamExt;
use serde::Serialize;
use std::path::Path;
use std::time::Instant;

/// Sessions opened at once while setting up a run.
const OPENING: usize = 16;

/// The figures of one run against one server.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub target: &'static str,
    pub sessions: usize,
    pub load: Load,
    pub sent: u64,
    pub delivered: u64,
    pub lost: u64,
    pub out_of_order: u64,
    pub resyncs: u64,
    pub elapsed_s: f64,
    pub msgs_per_s: f64,
    pub p50_us: u64,
    pub p90_us: u64,
    pub p99_us: u64,
    pub max_us: u64,
    /// Server CPU time during the load (user + system), seconds; `None` when the server is not
    /// our child.
    pub server_cpu_s: Option<f64>,
    /// Server CPU per relayed message, microseconds.
    pub server_cpu_us_per_msg: Option<f64>,
    pub server_rss_kib: Option<u64>,
}

impl Run {
    /// Every frame sent arrived, in order.
    pub fn complete(&self) -> bool {
        self.lost == 0 && self.out_of_order == 0 && self.sent > 0
    }
}

/// Opens `n` sessions on `target`, a few at a time.
pub async fn open(target: &Target, n: usize, http: &reqwest::Client) -> anyhow::Result<Vec<Pair>> {
    open_range(target, 0..n, http).await
}

/// Opens sessions `range` on `target` (session `i` with agent `i`), a few at a time.
pub async fn open_range(
    target: &Target,
    range: std::ops::Range<usize>,
    http: &reqwest::Client,
) -> anyhow::Result<Vec<Pair>> {
    anyhow::ensure!(
        range.end <= target.capacity(),
        "{} sessions need {} agents; {} logged in",
        range.end,
        range.end,
        target.capacity()
    );
    let n = range.len();
    futures_util::stream::iter(range)
        .map(|i| target.open(i, http))
        .buffered(OPENING)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<Vec<_>>>()
        .with_context(|| format!("opening {n} sessions on {}", target.name()))
}

/// Ends the sessions, a few at a time.
pub async fn finish(target: &Target, pairs: Vec<Pair>) {
    futures_util::stream::iter(pairs)
        .map(|pair| pair.finish(target))
        .buffer_unordered(OPENING * 4)
        .collect::<Vec<()>>()
        .await;
}

/// One run: `sessions` sessions opened, `load` sent, the sessions ended. `pid`: the server's
/// process, for its CPU time and memory. `trace`: a CSV file to write every frame received to
/// (`session,seq,sent_us,latency_us`, in order of sending; a diagnostic run's trace).
pub async fn measure(
    target: &Target,
    pid: Option<u32>,
    sessions: usize,
    load: Load,
    http: &reqwest::Client,
    trace: Option<&Path>,
) -> anyhow::Result<Run> {
    let pairs = open(target, sessions, http).await?;
    let before = pid.map(Usage::of).transpose()?;
    let (mut outcome, pairs) = load::run(pairs, load, trace.is_some()).await?;
    let after = pid.map(Usage::of).transpose()?;
    finish(target, pairs).await;
    if let Some(path) = trace {
        trace::write(path, &mut outcome.samples)?;
    }
    Ok(figures(target, sessions, load, &outcome, before, after))
}

/// A server a run goes to: where, and its process (for its CPU time and memory) when it is ours
/// to read.
pub type Side<'a> = (&'a Target, Option<u32>);

/// One paired run: `sessions` sessions on each server, both loads sent over the same seconds,
/// the two servers' sessions taking turns (ours at phases `i / n` of the period, the baseline's
/// half a step later), so that whatever else the machine does in those seconds falls on both
/// alike. `traces`: CSV files for ours and the baseline (see [`measure`]).
pub async fn measure_paired(
    ours: Side<'_>,
    bare: Side<'_>,
    sessions: usize,
    load: Load,
    http: &reqwest::Client,
    traces: Option<(&Path, &Path)>,
) -> anyhow::Result<(Run, Run)> {
    let usage = |pid: Option<u32>| pid.map(Usage::of).transpose();
    let ours_pairs = open(ours.0, sessions, http).await?;
    let bare_pairs = open(bare.0, sessions, http).await?;
    let ours_pairs = load::prepare(ours_pairs, &load).await?;
    let bare_pairs = load::prepare(bare_pairs, &load).await?;
    let before = (usage(ours.1)?, usage(bare.1)?);
    // Both clocks start together, a moment from now (the senders are spawned before it).
    let start = Instant::now() + std::time::Duration::from_millis(100);
    let keep = traces.is_some();
    let ours_clock = load::Clock {
        start,
        phase_offset: 0.0,
    };
    let bare_clock = load::Clock {
        start,
        phase_offset: 0.5,
    };
    let (ours_result, bare_result) = tokio::join!(
        load::run_ready(ours_pairs, load, ours_clock, keep),
        load::run_ready(bare_pairs, load, bare_clock, keep),
    );
    let ((mut ours_outcome, ours_pairs), (mut bare_outcome, bare_pairs)) =
        (ours_result?, bare_result?);
    let after = (usage(ours.1)?, usage(bare.1)?);
    finish(ours.0, ours_pairs).await;
    finish(bare.0, bare_pairs).await;
    if let Some((ours_trace, bare_trace)) = traces {
        trace::write(ours_trace, &mut ours_outcome.samples)?;
        trace::write(bare_trace, &mut bare_outcome.samples)?;
    }
    Ok((
        figures(ours.0, sessions, load, &ours_outcome, before.0, after.0),
        figures(bare.0, sessions, load, &bare_outcome, before.1, after.1),
    ))
}

/// A run's figures from what the agents received and the server's usage before and after.
fn figures(
    target: &Target,
    sessions: usize,
    load: Load,
    outcome: &load::Outcome,
    before: Option<Usage>,
    after: Option<Usage>,
) -> Run {
    let server_cpu_s = before.zip(after).map(|(b, a)| a.cpu_s - b.cpu_s);
    let h = &outcome.latency_us;
    Run {
        target: target.name(),
        sessions,
        load,
        sent: outcome.sent,
        delivered: outcome.delivered,
        lost: outcome.lost(),
        out_of_order: outcome.out_of_order,
        resyncs: outcome.resyncs,
        elapsed_s: outcome.elapsed.as_secs_f64(),
        msgs_per_s: outcome.per_second(),
        p50_us: h.value_at_quantile(0.5),
        p90_us: h.value_at_quantile(0.9),
        p99_us: h.value_at_quantile(0.99),
        max_us: h.max(),
        server_cpu_s,
        server_cpu_us_per_msg: server_cpu_s
            .filter(|_| outcome.delivered > 0)
            .map(|s| s * 1e6 / outcome.delivered as f64),
        server_rss_kib: after.map(|a| a.rss_kib),
    }
}

/// Resident memory of idle sessions: the slope of the server's RSS between two counts of idle
/// sessions held at once.
#[derive(Debug, Clone, Serialize)]
pub struct Idle {
    pub target: &'static str,
    /// Sessions open at the first reading.
    pub base_sessions: usize,
    /// Sessions open at the second reading.
    pub sessions: usize,
    /// RSS with `base_sessions` open.
    pub rss_base_kib: u64,
    /// RSS with `sessions` open.
    pub rss_kib: u64,
    /// `(rss_kib - rss_base_kib) / (sessions - base_sessions)`.
    pub kib_per_session: f64,
}

/// Restarts `server` (a fresh process), opens `base` idle sessions and reads its memory, opens
/// more up to `sessions` and reads it again: the memory per session is the slope between the
/// two readings. What a process grows once, whatever it holds (the runtime, the first
/// connections, the database pool, and above all the allocator's arenas: glibc gives each thread
/// that allocates its own heap, and a fresh process's RSS jumps by megabytes as the runtime's
/// threads first take sessions), is in both readings and drops out; a difference from one
/// fresh process before and after sessions counts it per session, by a different amount each
/// time (8.6 to 26.9 KiB for the same binary in earlier runs).
pub async fn idle(
    server: &mut Server,
    base: usize,
    sessions: usize,
    http: &reqwest::Client,
) -> anyhow::Result<Idle> {
    anyhow::ensure!(
        base < sessions,
        "the idle memory needs more sessions ({sessions}) than its base count ({base})"
    );
    server.restart(http).await?;
    let mut pairs = open_range(&server.target, 0..base, http).await?;
    let rss_base_kib = server.usage()?.rss_kib;
    pairs.extend(open_range(&server.target, base..sessions, http).await?);
    let rss_kib = server.usage()?.rss_kib;
    finish(&server.target, pairs).await;
    Ok(Idle {
        target: server.target.name(),
        base_sessions: base,
        sessions,
        rss_base_kib,
        rss_kib,
        kib_per_session: rss_kib.saturating_sub(rss_base_kib) as f64 / (sessions - base) as f64,
    })
}

/// What a scenario measures.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// As fast as a window per session allows: messages per second.
    Throughput,
    /// A fixed rate per session: latency.
    Latency,
}

/// One line of a table: sessions × payload at a rate.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Scenario {
    pub kind: Kind,
    pub sessions: usize,
    pub load: Load,
}

/// The runs of one scenario, ours and the baseline interleaved.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub scenario: Scenario,
    pub ours: Vec<Run>,
    pub bare: Vec<Run>,
}

/// Runs `scenario` `rounds` times on each server: throughput alternating (ours, bare, ours, bare,
/// …: each run takes the machine's CPU to itself), latency as paired runs ([`measure_paired`]:
/// both servers in the same seconds). `trace_dir`: write each latency run's samples there
/// (`latency-<sessions>x<payload>-<ours|bare>-<round>.csv`).
pub async fn series(
    scenario: Scenario,
    rounds: usize,
    ours: &Server,
    bare: &Server,
    http: &reqwest::Client,
    trace_dir: Option<&Path>,
) -> anyhow::Result<Series> {
    let mut series = Series {
        scenario,
        ours: Vec::new(),
        bare: Vec::new(),
    };
    let (sessions, load) = (scenario.sessions, scenario.load);
    for round in 0..rounds {
        let started = Instant::now();
        let runs = match scenario.kind {
            Kind::Throughput => {
                let a = measure(&ours.target, Some(ours.pid()), sessions, load, http, None).await?;
                let b = measure(&bare.target, Some(bare.pid()), sessions, load, http, None).await?;
                (a, b)
            }
            Kind::Latency => {
                let trace = |name: &str| {
                    trace_dir.map(|dir| {
                        dir.join(format!(
                            "latency-{sessions}x{}-{name}-{}.csv",
                            load.payload,
                            round + 1
                        ))
                    })
                };
                let (ours_trace, bare_trace) = (trace("ours"), trace("bare"));
                let traces = ours_trace.as_deref().zip(bare_trace.as_deref());
                let ours = (&ours.target, Some(ours.pid()));
                let bare = (&bare.target, Some(bare.pid()));
                measure_paired(ours, bare, sessions, load, http, traces).await?
            }
        };
        for run in [&runs.0, &runs.1] {
            eprintln!(
                "  {:?} {}×{} B round {}: {} {:.0} msg/s p50 {} µs p99 {} µs, lost {} ({:.1} s)",
                scenario.kind,
                sessions,
                load.payload,
                round + 1,
                run.target,
                run.msgs_per_s,
                run.p50_us,
                run.p99_us,
                run.lost,
                started.elapsed().as_secs_f64()
            );
        }
        series.ours.push(runs.0);
        series.bare.push(runs.1);
    }
    Ok(series)
}

/// Idle memory (the slope between `base` and `sessions` idle sessions), alternating fresh
/// processes of each server.
pub async fn idle_series(
    base: usize,
    sessions: usize,
    rounds: usize,
    ours: &mut Server,
    bare: &mut Server,
    http: &reqwest::Client,
) -> anyhow::Result<(Vec<Idle>, Vec<Idle>)> {
    let mut results = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let a = idle(ours, base, sessions, http).await?;
        let b = idle(bare, base, sessions, http).await?;
        eprintln!(
            "  idle {base} → {sessions} round {}: ours {:.1} KiB/session ({} → {} KiB), bare {:.1} KiB/session ({} → {} KiB)",
            round + 1,
            a.kib_per_session,
            a.rss_base_kib,
            a.rss_kib,
            b.kib_per_session,
            b.rss_base_kib,
            b.rss_kib,
        );
        results.0.push(a);
        results.1.push(b);
    }
    Ok(results)
}
