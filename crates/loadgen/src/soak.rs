//! The long hold of issue 7: many sessions for minutes at a realistic rate, every frame
//! delivered, the customer → agent latency of all of them, and the servers' memory and CPU
//! sampled over time.
//!
//! One process cannot hold the client side of 10,000 sessions on a machine whose hard limit of
//! open files per process is 20,000 (two sockets per session, plus the process's own files), so
//! the sessions are spread over **worker processes** (this program's hidden `soak-worker`
//! command), each holding at most [`SOCKETS_PER_WORKER`] sockets. The server side can likewise be
//! split over several **nodes** (server processes, each with its own port and database): session
//! `i` goes to node `i % nodes`, and to worker `i % workers`.
//!
//! The parent ([`run`]) hands each worker its sessions (server address and agent login) as one
//! JSON line on its stdin; the worker opens them and prints `ready`; once every worker is ready
//! the parent writes `go` to each; the worker runs [`crate::load::run`] over its sessions and
//! prints its [`WorkerResult`] as one JSON line (latencies as HDR histogram buckets, merged by the
//! parent). While the load runs the parent samples every node's resident memory and CPU time.

use crate::bench;
use crate::load::{self, Load};
use crate::process::{self, Usage};
use crate::report;
use crate::target::{Pair, Target};
use anyhow::{Context, bail};
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

/// Client sockets per worker process at most (well under the 20,000 open files a process may
/// have here, leaving room for the HTTP connections of the setup).
pub const SOCKETS_PER_WORKER: usize = 8000;

/// One server of the hold.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Node {
    /// `http://host:port`.
    pub base: String,
    pub origin: String,
    /// Agent logins (`name=value` cookies), one per session of this node.
    pub cookies: Vec<String>,
    /// The server's process, for its memory and CPU time (`None`: not sampled).
    pub pid: Option<u32>,
}

/// What the hold is.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub sessions: usize,
    pub workers: usize,
    pub payload: usize,
    /// Frames per second per session.
    pub rate: f64,
    pub duration_s: f64,
    /// Seconds between two samples of the servers' memory and CPU.
    pub sample_s: f64,
}

/// What one worker is given (one JSON line on its stdin).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct WorkerSpec {
    /// Per node: its address and the agent logins of this worker's sessions there.
    nodes: Vec<Node>,
    payload: usize,
    rate: f64,
    duration_s: f64,
}

/// What one worker reports (one JSON line on its stdout, after `ready`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkerResult {
    pub sessions: usize,
    pub sent: u64,
    pub delivered: u64,
    pub out_of_order: u64,
    pub resyncs: u64,
    /// Latency histogram buckets: (microseconds, count).
    pub latency_us: Vec<(u64, u64)>,
    /// The worker's own resident memory at the end (KiB).
    pub rss_kib: u64,
}

/// One sample of the servers during the hold.
#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    /// Seconds since `go`.
    pub at_s: f64,
    /// Per node: resident memory (KiB).
    pub rss_kib: Vec<u64>,
    /// Per node: CPU use since the previous sample (fraction of one core).
    pub cpu: Vec<f64>,
    /// The machine's one-minute load average (`/proc/loadavg`): other work on the same cores.
    pub load1: f64,
}

fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0)
}

/// The hold's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Soak {
    pub plan: Plan,
    pub nodes: usize,
    pub sent: u64,
    pub delivered: u64,
    pub out_of_order: u64,
    pub resyncs: u64,
    pub p50_us: u64,
    pub p90_us: u64,
    pub p99_us: u64,
    pub p999_us: u64,
    pub max_us: u64,
    /// Seconds the sessions took to open (all workers, in parallel).
    pub open_s: f64,
    pub samples: Vec<Sample>,
    pub worker_rss_kib: Vec<u64>,
}

impl Soak {
    /// Every frame arrived, in order.
    pub fn complete(&self) -> bool {
        self.sent > 0 && self.delivered == self.sent && self.out_of_order == 0
    }
}

/// How many workers `sessions` sessions need (two sockets each).
pub fn workers_for(sessions: usize) -> usize {
    (sessions * 2).div_ceil(SOCKETS_PER_WORKER).max(1)
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: std::io::BufReader<std::process::ChildStdout>,
}

impl Worker {
    /// The next line of the worker's output (blocking: called on a blocking thread).
    fn line(&mut self) -> anyhow::Result<String> {
        let mut line = String::new();
        if self.stdout.read_line(&mut line)? == 0 {
            bail!("a soak worker ended early ({:?})", self.child.try_wait()?);
        }
        Ok(line)
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the hold over `nodes` (their cookies: one per session, session `i` on node
/// `i % nodes.len()` uses that node's cookie `i / nodes.len()`).
pub async fn run(nodes: &[Node], plan: Plan) -> anyhow::Result<Soak> {
    anyhow::ensure!(!nodes.is_empty(), "no server");
    anyhow::ensure!(plan.workers > 0, "no worker");
    let per_node = plan.sessions.div_ceil(nodes.len());
    for node in nodes {
        anyhow::ensure!(
            node.cookies.len() >= per_node.min(plan.sessions),
            "node {} has {} agents for {per_node} sessions",
            node.base,
            node.cookies.len()
        );
    }
    // Session i: node i % nodes, agent i / nodes there, worker i % workers.
    let mut specs: Vec<WorkerSpec> = (0..plan.workers)
        .map(|_| WorkerSpec {
            nodes: nodes
                .iter()
                .map(|n| Node {
                    cookies: Vec::new(),
                    pid: None,
                    ..n.clone()
                })
                .collect(),
            payload: plan.payload,
            rate: plan.rate,
            duration_s: plan.duration_s,
        })
        .collect();
    for i in 0..plan.sessions {
        let node = i % nodes.len();
        let cookie = nodes[node].cookies[i / nodes.len()].clone();
        specs[i % plan.workers].nodes[node].cookies.push(cookie);
    }
    let exe = process::loadgen_exe()?;
    let mut workers = Vec::new();
    for spec in &specs {
        let mut child = Command::new(&exe)
            .arg("soak-worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot run {}", exe.display()))?;
        let mut stdin = child.stdin.take().context("no stdin")?;
        let stdout = std::io::BufReader::new(child.stdout.take().context("no stdout")?);
        writeln!(stdin, "{}", serde_json::to_string(spec)?)?;
        stdin.flush()?;
        workers.push(Worker {
            child,
            stdin,
            stdout,
        });
    }
    let opening = Instant::now();
    // Each worker says `ready` once its sessions are open.
    let mut workers = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<Worker>> {
        for worker in &mut workers {
            let line = worker.line()?;
            anyhow::ensure!(line.starts_with("ready"), "soak worker: {line}");
        }
        Ok(workers)
    })
    .await??;
    let open_s = opening.elapsed().as_secs_f64();
    eprintln!(
        "  {} sessions open on {} node(s) in {open_s:.0} s; holding for {} s",
        plan.sessions,
        nodes.len(),
        plan.duration_s
    );
    for worker in &mut workers {
        writeln!(worker.stdin, "go")?;
        worker.stdin.flush()?;
    }
    let go = Instant::now();
    let results = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<WorkerResult>> {
        let mut results = Vec::new();
        for worker in &mut workers {
            let line = worker.line()?;
            results.push(serde_json::from_str(&line).context("a soak worker's result")?);
        }
        Ok(results)
    });
    tokio::pin!(results);
    let pids: Vec<Option<u32>> = nodes.iter().map(|n| n.pid).collect();
    let mut samples = Vec::new();
    let mut last: Vec<Option<Usage>> = pids
        .iter()
        .map(|p| p.and_then(|p| Usage::of(p).ok()))
        .collect();
    let mut last_at = Instant::now();
    samples.push(sample(0.0, &last, &last, Duration::ZERO));
    let period = Duration::from_secs_f64(plan.sample_s.max(0.1));
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    let results = loop {
        tokio::select! {
            done = &mut results => break done??,
            _ = ticks.tick() => {
                let now: Vec<Option<Usage>> =
                    pids.iter().map(|p| p.and_then(|p| Usage::of(p).ok())).collect();
                let at = Instant::now();
                samples.push(sample(go.elapsed().as_secs_f64(), &last, &now, at - last_at));
                last = now;
                last_at = at;
                if let Some(s) = samples.last() {
                    eprintln!(
                        "  {:.0} s: servers' RSS {:?} KiB, CPU {:?}, load {:.1}",
                        s.at_s, s.rss_kib, s.cpu, s.load1
                    );
                }
            }
        }
    };
    let mut latency = Histogram::<u64>::new_with_bounds(1, 600_000_000, 3)?;
    let mut soak = Soak {
        plan,
        nodes: nodes.len(),
        sent: 0,
        delivered: 0,
        out_of_order: 0,
        resyncs: 0,
        p50_us: 0,
        p90_us: 0,
        p99_us: 0,
        p999_us: 0,
        max_us: 0,
        open_s,
        samples,
        worker_rss_kib: Vec::new(),
    };
    for r in results {
        soak.sent += r.sent;
        soak.delivered += r.delivered;
        soak.out_of_order += r.out_of_order;
        soak.resyncs += r.resyncs;
        soak.worker_rss_kib.push(r.rss_kib);
        for (value, count) in r.latency_us {
            latency.record_n(value, count)?;
        }
    }
    soak.p50_us = latency.value_at_quantile(0.5);
    soak.p90_us = latency.value_at_quantile(0.9);
    soak.p99_us = latency.value_at_quantile(0.99);
    soak.p999_us = latency.value_at_quantile(0.999);
    soak.max_us = latency.max();
    Ok(soak)
}

fn sample(at_s: f64, before: &[Option<Usage>], now: &[Option<Usage>], dt: Duration) -> Sample {
    let secs = dt.as_secs_f64();
    Sample {
        at_s,
        rss_kib: now.iter().map(|u| u.map_or(0, |u| u.rss_kib)).collect(),
        cpu: before
            .iter()
            .zip(now)
            .map(|(b, n)| match (b, n) {
                (Some(b), Some(n)) if secs > 0.0 => (n.cpu_s - b.cpu_s) / secs,
                _ => 0.0,
            })
            .collect(),
        load1: load_average(),
    }
}

/// The worker process: reads its [`WorkerSpec`] from stdin, opens its sessions, says `ready`,
/// waits for `go`, runs the load and prints its [`WorkerResult`].
pub async fn worker() -> anyhow::Result<()> {
    let mut lines =
        tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(tokio::io::stdin()));
    let spec: WorkerSpec =
        serde_json::from_str(&lines.next_line().await?.context("no work on stdin")?)?;
    // 8,000 client sockets: tungstenite's default 128 KiB read buffer each would be 1 GiB.
    crate::target::use_small_buffers();
    let http = crate::target::http_client()?;
    let mut pairs: Vec<Pair> = Vec::new();
    let mut targets = Vec::new();
    for node in spec.nodes {
        let n = node.cookies.len();
        let target = Target::Cobrowse {
            base: node.base,
            origin: node.origin,
            cookies: node.cookies,
        };
        pairs.extend(bench::open(&target, n, &http).await?);
        targets.push(target);
    }
    let sessions = pairs.len();
    let mut out = std::io::stdout();
    writeln!(out, "ready {sessions}")?;
    out.flush()?;
    match lines.next_line().await? {
        Some(line) if line.trim() == "go" => {}
        other => bail!("soak worker: expected go, got {other:?}"),
    }
    let load = Load {
        payload: spec.payload,
        rate: spec.rate,
        window: 1,
        duration: Duration::from_secs_f64(spec.duration_s),
        drain: Duration::from_secs(30),
    };
    let (outcome, pairs) = load::run(pairs, load, false).await?;
    let result = WorkerResult {
        sessions,
        sent: outcome.sent,
        delivered: outcome.delivered,
        out_of_order: outcome.out_of_order,
        resyncs: outcome.resyncs,
        latency_us: outcome
            .latency_us
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
            .collect(),
        rss_kib: Usage::of(std::process::id()).map_or(0, |u| u.rss_kib),
    };
    writeln!(out, "{}", serde_json::to_string(&result)?)?;
    out.flush()?;
    if let Some(target) = targets.first() {
        bench::finish(target, pairs).await;
    }
    Ok(())
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// The `docs/benchmarks.md` SOAK section.
pub fn markdown(soak: &Soak, command: &str, why_nodes: &str) -> String {
    let mut out = String::new();
    let plan = &soak.plan;
    let _ = writeln!(
        out,
        "Measured {} on {}.\nCommand: `{command}`.\n",
        report::today(),
        process::machine()
    );
    let _ = writeln!(
        out,
        "{} sessions (a customer socket and an agent socket each, opened as real clients do) on {} server process(es), held {} s: every customer sends one {}-byte DOM batch every {} s (out of phase), {:.0} messages/s in all; the load generator runs as {} worker processes. {why_nodes}\n",
        plan.sessions,
        soak.nodes,
        plan.duration_s,
        plan.payload,
        1.0 / plan.rate,
        plan.sessions as f64 * plan.rate,
        plan.workers,
    );
    let held = soak.complete() && soak.p99_us <= 100_000;
    out.push_str("| figure | value | target | reached |\n|---|---|---|---|\n");
    let _ = writeln!(
        out,
        "| frames delivered | {} of {} ({} out of order, {} resyncs) | all | {} |",
        soak.delivered,
        soak.sent,
        soak.out_of_order,
        soak.resyncs,
        if soak.complete() { "yes" } else { "**no**" }
    );
    let _ = writeln!(
        out,
        "| latency customer → agent p50 / p90 / p99 / p99.9 / max | {:.2} / {:.2} / {:.2} / {:.2} / {:.1} ms | p99 ≤ 100 ms | {} |",
        soak.p50_us as f64 / 1000.0,
        soak.p90_us as f64 / 1000.0,
        soak.p99_us as f64 / 1000.0,
        soak.p999_us as f64 / 1000.0,
        soak.max_us as f64 / 1000.0,
        if soak.p99_us <= 100_000 {
            "yes"
        } else {
            "**no**"
        }
    );
    let planned = plan.sessions as f64 * plan.rate * plan.duration_s;
    let _ = writeln!(
        out,
        "| frames sent | {} ({:.0}/s; {:.0} planned: a sender that falls behind skips ticks) | — | — |",
        soak.sent,
        soak.sent as f64 / plan.duration_s.max(f64::MIN_POSITIVE),
        planned / plan.duration_s.max(f64::MIN_POSITIVE),
    );
    let _ = writeln!(
        out,
        "| the target as a whole: 10,000 sessions for 300 s, every frame delivered, p99 ≤ 100 ms | {} sessions for {} s | — | {} |",
        plan.sessions,
        plan.duration_s,
        if held && plan.sessions >= 10_000 && plan.duration_s >= 300.0 {
            "yes"
        } else {
            "**no**"
        }
    );
    let _ = writeln!(
        out,
        "| time to open the sessions | {:.0} s | — | — |",
        soak.open_s
    );
    let _ = writeln!(
        out,
        "| load generator workers' RSS at the end | {} | — | — |\n",
        soak.worker_rss_kib
            .iter()
            .map(|k| mib(*k))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        out,
        "The servers over the hold (resident memory; CPU as a share of one core since the previous line; the machine's load average, which counts the other work sharing its two cores):\n"
    );
    out.push_str("| time | machine load (1 min) | ");
    for n in 0..soak.nodes {
        let _ = write!(out, "node {} RSS | node {} CPU | ", n + 1, n + 1);
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out.push_str("|---|---|");
    for _ in 0..soak.nodes {
        out.push_str("---|---|");
    }
    out.push('\n');
    // At most about a dozen lines: every k-th sample, and the last.
    let step = soak.samples.len().div_ceil(12).max(1);
    for (i, s) in soak.samples.iter().enumerate() {
        if i % step != 0 && i + 1 != soak.samples.len() {
            continue;
        }
        let _ = write!(out, "| {:.0} s | {:.1} | ", s.at_s, s.load1);
        for (rss, cpu) in s.rss_kib.iter().zip(&s.cpu) {
            let _ = write!(out, "{} | {:.0} % | ", mib(*rss), cpu * 100.0);
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    if let (Some(first), Some(last)) = (soak.samples.first(), soak.samples.last()) {
        let a: u64 = first.rss_kib.iter().sum();
        let b: u64 = last.rss_kib.iter().sum();
        let _ = writeln!(
            out,
            "\nServers' resident memory in all: {} at the start of the hold, {} at the end ({:+.1} %).",
            mib(a),
            mib(b),
            if a > 0 {
                (b as f64 - a as f64) * 100.0 / a as f64
            } else {
                0.0
            }
        );
    }
    out
}

/// Replaces the SOAK section of `doc` (between `<!-- SOAK: ... -->` and `<!-- /SOAK -->`).
pub fn replace_section(doc: &str, body: &str) -> anyhow::Result<String> {
    report::replace_marked(doc, "SOAK", body)
}
