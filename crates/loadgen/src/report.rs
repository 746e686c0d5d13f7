//! Medians, ratios and targets of a benchmark, as a text table, JSON, and the `docs/benchmarks.md`
//! section between `<!-- SERVER: ... -->` and `<!-- /SERVER -->`.

use crate::bench::{Idle, Kind, Run, Series};
use serde::Serialize;
use std::fmt::Write as _;

/// Everything one benchmark measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub date: String,
    pub machine: String,
    pub command: String,
    pub rounds: usize,
    pub series: Vec<Series>,
    pub idle: Option<IdleSeries>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IdleSeries {
    /// The slope of RSS is taken from this many idle sessions …
    pub base_sessions: usize,
    /// … to this many.
    pub sessions: usize,
    pub ours: Vec<Idle>,
    pub bare: Vec<Idle>,
}

/// The median of `values` (the mean of the middle two for an even count); 0 when empty.
pub fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        f64::midpoint(values[mid - 1], values[mid])
    }
}

fn med(runs: &[Run], f: impl Fn(&Run) -> f64) -> f64 {
    median(runs.iter().map(f).collect())
}

/// Ours / bare of each round (a paired run: both in the same seconds).
fn round_ratios(s: &Series, f: impl Fn(&Run) -> f64) -> Vec<f64> {
    s.ours
        .iter()
        .zip(&s.bare)
        .map(|(o, b)| ratio(f(o), f(b)))
        .collect()
}

/// The median of the rounds' own ratios.
fn paired_ratio(s: &Series, f: impl Fn(&Run) -> f64) -> f64 {
    median(round_ratios(s, f))
}

/// `1st`, `2nd`, `3rd`, `4th`, … `11th`, `21st`, …
fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `low`, or `low`, `join` and `high` when they differ.
fn span(low: u64, high: u64, join: &str, show: impl Fn(u64) -> String) -> String {
    if low == high {
        show(low)
    } else {
        format!("{}{join}{}", show(low), show(high))
    }
}

fn ratio(ours: f64, bare: f64) -> f64 {
    if bare > 0.0 { ours / bare } else { f64::NAN }
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**not met**" }
}

fn size(bytes: usize) -> String {
    if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} B")
    }
}

fn delivered(runs: &[Run]) -> String {
    let sent: u64 = runs.iter().map(|r| r.sent).sum();
    let got: u64 = runs.iter().map(|r| r.delivered).sum();
    let disorder: u64 = runs.iter().map(|r| r.out_of_order).sum();
    if got == sent && disorder == 0 {
        format!("all {sent}")
    } else {
        format!("{got} of {sent}, {disorder} out of order")
    }
}

fn ms(us: f64) -> String {
    format!("{:.2} ms", us / 1000.0)
}

impl Report {
    /// Every run delivered every frame, in order.
    pub fn complete(&self) -> bool {
        self.series
            .iter()
            .all(|s| s.ours.iter().chain(&s.bare).all(Run::complete))
    }

    /// The tables, in Markdown (also the human output: Markdown tables read fine as text).
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Measured {} on {}.", self.date, self.machine);
        let _ = writeln!(out, "Command: `{}`.", self.command);
        let _ = writeln!(
            out,
            "Each figure is the median of {} runs per server against the bare tokio-tungstenite \
             relay, throughput runs interleaved (A B A B …) and latency runs paired (both servers in \
             the same seconds, below), the load generator on the same cores as the servers. \
             Latency is customer socket send → agent socket receive.\n",
            self.rounds
        );
        let throughput: Vec<&Series> = self
            .series
            .iter()
            .filter(|s| matches!(s.scenario.kind, Kind::Throughput))
            .collect();
        if !throughput.is_empty() {
            let _ = writeln!(
                out,
                "### Relayed messages per second (target ≥ 0.8× the bare relay)\n"
            );
            let _ = writeln!(
                out,
                "Each customer keeps at most {} frames in flight (sent, not yet received by its agent) for {} s.\n",
                throughput[0].scenario.load.window,
                throughput[0].scenario.load.duration.as_secs_f64()
            );
            out.push_str("| sessions | payload | ours msg/s | bare msg/s | ours/bare | target | ours server CPU µs/msg | bare CPU µs/msg | delivered (ours; bare) |\n|---|---|---|---|---|---|---|---|---|\n");
            for s in throughput {
                let o = med(&s.ours, |r| r.msgs_per_s);
                let b = med(&s.bare, |r| r.msgs_per_s);
                let r = ratio(o, b);
                let _ = writeln!(
                    out,
                    "| {} | {} | {:.0} | {:.0} | {:.2}× | {} | {:.1} | {:.1} | {}; {} |",
                    s.scenario.sessions,
                    size(s.scenario.load.payload),
                    o,
                    b,
                    r,
                    verdict(r >= 0.8),
                    med(&s.ours, |r| r.server_cpu_us_per_msg.unwrap_or(f64::NAN)),
                    med(&s.bare, |r| r.server_cpu_us_per_msg.unwrap_or(f64::NAN)),
                    delivered(&s.ours),
                    delivered(&s.bare),
                );
            }
            out.push('\n');
        }
        let latency: Vec<&Series> = self
            .series
            .iter()
            .filter(|s| matches!(s.scenario.kind, Kind::Latency))
            .collect();
        if !latency.is_empty() {
            let delivered_per_run = latency
                .iter()
                .flat_map(|s| s.ours.iter().chain(&s.bare))
                .map(|r| r.delivered);
            let fewest = delivered_per_run.clone().min().unwrap_or(0);
            let most = delivered_per_run.max().unwrap_or(0);
            let _ = writeln!(
                out,
                "### Latency customer → agent at a fixed rate (target p50 ≤ 1.3×, p99 ≤ 1.5× the bare relay)\n"
            );
            let _ = writeln!(
                out,
                "Paired runs: in each round both servers carry the scenario's sessions during the same seconds, \
                 their frames taking turns (the sessions send out of phase, spread evenly over one period, ours at \
                 phase i/n and the bare relay's half a step later), so that what else the machine does in those \
                 seconds (on a shared machine, a stall of a few milliseconds decides a sub-millisecond p99) falls \
                 on both alike; the ratios are the medians of the rounds' own ratios (ours / bare of the same round), \
                 and the range is that of the rounds' p99 ratios. Each run sends for {} s: {} samples per \
                 server and run, so a run's p99 is its {}-worst sample.\n",
                latency[0].scenario.load.duration.as_secs_f64(),
                span(fewest, most, "–", |n| n.to_string()),
                span(fewest / 100, most / 100, "- to ", ordinal),
            );
            out.push_str("| sessions | payload | rate per session | ours p50 | bare p50 | p50 ratio | ours p99 | bare p99 | p99 ratio | p99 ratio range | target | delivered (ours; bare) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for s in latency {
                let o50 = med(&s.ours, |r| r.p50_us as f64);
                let b50 = med(&s.bare, |r| r.p50_us as f64);
                let o99 = med(&s.ours, |r| r.p99_us as f64);
                let b99 = med(&s.bare, |r| r.p99_us as f64);
                let r50 = paired_ratio(s, |r| r.p50_us as f64);
                let r99s = round_ratios(s, |r| r.p99_us as f64);
                let r99 = median(r99s.clone());
                let (lo, hi) = r99s.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), r| {
                    (lo.min(*r), hi.max(*r))
                });
                let _ = writeln!(
                    out,
                    "| {} | {} | {}/s for {} s | {} | {} | {:.2}× | {} | {} | {:.2}× | {:.2}–{:.2}× | {} | {}; {} |",
                    s.scenario.sessions,
                    size(s.scenario.load.payload),
                    s.scenario.load.rate,
                    s.scenario.load.duration.as_secs_f64(),
                    ms(o50),
                    ms(b50),
                    r50,
                    ms(o99),
                    ms(b99),
                    r99,
                    lo,
                    hi,
                    verdict(r50 <= 1.3 && r99 <= 1.5),
                    delivered(&s.ours),
                    delivered(&s.bare),
                );
            }
            out.push('\n');
        }
        if let Some(idle) = &self.idle {
            let o = median(idle.ours.iter().map(|i| i.kib_per_session).collect());
            let b = median(idle.bare.iter().map(|i| i.kib_per_session).collect());
            let r = ratio(o, b);
            let _ = writeln!(
                out,
                "### Resident memory per idle session, two sockets (target ≤ 0.15× and ≤ 20 KiB)\n"
            );
            let _ = writeln!(
                out,
                "The slope of a fresh server process's RSS between {} and {} idle sessions held at once (customer and agent, handshakes done, no frame): (RSS at {} − RSS at {}) / {}, so that what a process grows once (runtime, database pool, the allocator's per-thread arenas) is not counted per session. Both servers are measured the same way, with glibc's default malloc settings; the bare relay uses tokio-tungstenite's default `WebSocketConfig`, which is what axum's `WebSocketUpgrade` uses by default.\n",
                idle.base_sessions,
                idle.sessions,
                idle.sessions,
                idle.base_sessions,
                idle.sessions.saturating_sub(idle.base_sessions),
            );
            out.push_str("| sessions | ours KiB/session | bare KiB/session | ours/bare | target |\n|---|---|---|---|---|\n");
            let _ = writeln!(
                out,
                "| {} → {} | {:.1} | {:.1} | {:.2}× | {} |",
                idle.base_sessions,
                idle.sessions,
                o,
                b,
                r,
                verdict(r <= 0.15 && o <= 20.0)
            );
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "The 10,000-session 5-minute hold (`scripts/loadgen.sh --soak`) is not part of this run; it writes the section below."
        );
        out
    }
}

/// Replaces the text between `<!-- SERVER: ... -->` and `<!-- /SERVER -->` of `doc` with `body`.
pub fn replace_section(doc: &str, body: &str) -> anyhow::Result<String> {
    replace_marked(doc, "SERVER", body)
}

/// Replaces the text between `<!-- NAME: ... -->` and `<!-- /NAME -->` of `doc` with `body`.
pub fn replace_marked(doc: &str, name: &str, body: &str) -> anyhow::Result<String> {
    let open = format!("<!-- {name}:");
    let close_marker = format!("<!-- /{name} -->");
    let start = doc
        .find(&open)
        .ok_or_else(|| anyhow::anyhow!("no {open} ... --> marker"))?;
    let open_end = start
        + doc[start..]
            .find("-->")
            .ok_or_else(|| anyhow::anyhow!("unclosed {name} marker"))?
        + 3;
    let close = doc[open_end..]
        .find(&close_marker)
        .ok_or_else(|| anyhow::anyhow!("no {close_marker} marker"))?
        + open_end;
    Ok(format!(
        "{}\n{}{}",
        &doc[..open_end],
        body.trim_end_matches('\n').to_owned() + "\n",
        &doc[close..]
    ))
}

/// Today's date (UTC), `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_the_server_section() {
        let doc = "a\n<!-- BROWSER: x -->\nb\n<!-- /BROWSER -->\n<!-- SERVER: written -->\nold\n<!-- /SERVER -->\nend\n";
        let new = replace_section(doc, "new table\n").unwrap();
        assert_eq!(
            new,
            "a\n<!-- BROWSER: x -->\nb\n<!-- /BROWSER -->\n<!-- SERVER: written -->\nnew table\n<!-- /SERVER -->\nend\n"
        );
        assert!(replace_section("no markers", "x").is_err());
        let with_soak = format!("{new}<!-- SOAK: by the soak -->\nold soak\n<!-- /SOAK -->\n");
        let soaked = replace_marked(&with_soak, "SOAK", "held\n").unwrap();
        assert!(soaked.starts_with(&new), "the SERVER section is untouched");
        assert!(soaked.ends_with("<!-- SOAK: by the soak -->\nheld\n<!-- /SOAK -->\n"));
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(vec![]), 0.0);
    }

    #[test]
    fn ordinals_and_spans() {
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(31), "31st");
        assert_eq!(ordinal(112), "112th");
        assert_eq!(ordinal(160), "160th");
        assert_eq!(span(31, 31, "- to ", ordinal), "31st");
        assert_eq!(span(115, 159, "- to ", ordinal), "115th- to 159th");
        assert_eq!(span(11504, 15999, "–", |n| n.to_string()), "11504–15999");
    }

    #[test]
    fn dates() {
        let d = today();
        assert_eq!(d.len(), 10);
        assert!(d.starts_with("20"), "{d}");
    }
}
