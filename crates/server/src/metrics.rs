//! Counters exported at `/metrics` in the Prometheus text format (hand-written: a few atomics need
//! no library). Session actors and socket tasks update them; the handler renders them.
//!
//! Counters only go up; gauges (`*_open`) are incremented and decremented in pairs by guards.

use cobrowse_protocol::EndReason;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Every end reason, in the order of [`Metrics::sessions_ended`].
const END_REASONS: [(EndReason, &str); 9] = [
    (EndReason::CustomerExited, "customerExited"),
    (EndReason::AgentExited, "agentExited"),
    (EndReason::EndedByIntegration, "endedByIntegration"),
    (EndReason::InactivityTimeout, "inactivityTimeout"),
    (EndReason::CustomerDisconnected, "customerDisconnected"),
    (EndReason::AgentDisconnected, "agentDisconnected"),
    (EndReason::SessionsOverLimit, "sessionsOverLimit"),
    (EndReason::ServerShutdown, "serverShutdown"),
    (EndReason::Error, "error"),
];

/// Process-wide counters.
#[derive(Debug, Default)]
pub struct Metrics {
    pub sessions_created: AtomicU64,
    sessions_ended: [AtomicU64; 9],
    pub customer_sockets_open: AtomicI64,
    pub agent_sockets_open: AtomicI64,
    /// Frames written to agent sockets, and their bytes.
    pub frames_relayed: AtomicU64,
    pub bytes_relayed: AtomicU64,
    /// Frames discarded because the agent was behind (or absent, or awaiting a full snapshot).
    pub frames_dropped: AtomicU64,
    /// Times an agent fell behind and was resynced.
    pub resyncs: AtomicU64,
    pub snapshot_requests: AtomicU64,
    pub logins_failed: AtomicU64,
    /// Resource proxy answers: from its cache, fetched, uploaded by the customer, declined by the
    /// customer's page (after the server failed), refused by policy, failed (upstream error,
    /// timeout, too large).
    pub resources_cached: AtomicU64,
    pub resources_fetched: AtomicU64,
    pub resources_uploaded: AtomicU64,
    pub resources_declined: AtomicU64,
    pub resources_refused: AtomicU64,
    pub resources_failed: AtomicU64,
}

impl Metrics {
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub fn session_ended(&self, reason: EndReason) {
        let i = END_REASONS
            .iter()
            .position(|(r, _)| *r == reason)
            .unwrap_or(END_REASONS.len() - 1);
        if let Some(c) = self.sessions_ended.get(i) {
            Self::inc(c);
        }
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self, live_sessions: usize) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, samples: &[(&str, String)]| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for (labels, value) in samples {
                let _ = writeln!(out, "{name}{labels} {value}");
            }
        };
        metric(
            "cobrowse_sessions_live",
            "gauge",
            "Sessions not yet ended.",
            &[("", live_sessions.to_string())],
        );
        metric(
            "cobrowse_sessions_created_total",
            "counter",
            "Sessions created.",
            &[("", get(&self.sessions_created).to_string())],
        );
        let ended: Vec<(String, String)> = END_REASONS
            .iter()
            .zip(&self.sessions_ended)
            .map(|((_, name), c)| (format!("{{reason=\"{name}\"}}"), get(c).to_string()))
            .collect();
        let ended: Vec<(&str, String)> =
            ended.iter().map(|(l, v)| (l.as_str(), v.clone())).collect();
        metric(
            "cobrowse_sessions_ended_total",
            "counter",
            "Sessions ended, by reason.",
            &ended,
        );
        metric(
            "cobrowse_sockets_open",
            "gauge",
            "Open WebSockets, by role.",
            &[
                (
                    "{role=\"customer\"}",
                    self.customer_sockets_open
                        .load(Ordering::Relaxed)
                        .to_string(),
                ),
                (
                    "{role=\"agent\"}",
                    self.agent_sockets_open.load(Ordering::Relaxed).to_string(),
                ),
            ],
        );
        metric(
            "cobrowse_frames_relayed_total",
            "counter",
            "DOM frames written to agent sockets.",
            &[("", get(&self.frames_relayed).to_string())],
        );
        metric(
            "cobrowse_bytes_relayed_total",
            "counter",
            "Bytes of DOM frames written to agent sockets.",
            &[("", get(&self.bytes_relayed).to_string())],
        );
        metric(
            "cobrowse_frames_dropped_total",
            "counter",
            "DOM frames discarded (agent behind, absent or awaiting a full snapshot).",
            &[("", get(&self.frames_dropped).to_string())],
        );
        metric(
            "cobrowse_resyncs_total",
            "counter",
            "Times an agent fell behind and was resynced.",
            &[("", get(&self.resyncs).to_string())],
        );
        metric(
            "cobrowse_snapshot_requests_total",
            "counter",
            "Full snapshots requested from customers.",
            &[("", get(&self.snapshot_requests).to_string())],
        );
        metric(
            "cobrowse_logins_failed_total",
            "counter",
            "Rejected login attempts.",
            &[("", get(&self.logins_failed).to_string())],
        );
        metric(
            "cobrowse_resources_total",
            "counter",
            "Resource proxy lookups by result (fetch results and cache hits; refused by policy; uploaded or declined by the customer's page when asked).",
            &[
                (
                    "{result=\"cached\"}",
                    get(&self.resources_cached).to_string(),
                ),
                (
                    "{result=\"fetched\"}",
                    get(&self.resources_fetched).to_string(),
                ),
                (
                    "{result=\"uploaded\"}",
                    get(&self.resources_uploaded).to_string(),
                ),
                (
                    "{result=\"declined\"}",
                    get(&self.resources_declined).to_string(),
                ),
                (
                    "{result=\"refused\"}",
                    get(&self.resources_refused).to_string(),
                ),
                (
                    "{result=\"failed\"}",
                    get(&self.resources_failed).to_string(),
                ),
            ],
        );
        out
    }
}
