//! Per-frame traces: every frame an agent received (session, sequence number, send time,
//! latency) as CSV, written by a diagnostic run (`relay --trace`, `bench --trace-dir`), and the
//! comparison of two traces of a paired run (`tails`): does one server have slow frames of its
//! own, or do both slow down in the same moments (the machine's stalls)?

use crate::load::Sample;
use anyhow::Context;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

const HEADER: &str = "session,seq,sent_us,latency_us";

/// Writes `samples` to `path`, in order of sending.
pub fn write(path: &Path, samples: &mut [Sample]) -> anyhow::Result<()> {
    let context = || format!("writing {}", path.display());
    samples.sort_unstable_by_key(|s| (s.sent_us, s.session));
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).with_context(context)?);
    writeln!(out, "{HEADER}").with_context(context)?;
    for s in samples.iter() {
        writeln!(
            out,
            "{},{},{},{}",
            s.session, s.seq, s.sent_us, s.latency_us
        )
        .with_context(context)?;
    }
    out.flush().with_context(context)
}

/// Reads a trace written by [`write`], in order of sending.
pub fn read(path: &Path) -> anyhow::Result<Vec<Sample>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut lines = text.lines();
    anyhow::ensure!(
        lines.next() == Some(HEADER),
        "{}: not a trace (header {HEADER})",
        path.display()
    );
    let mut samples = lines
        .enumerate()
        .map(|(i, line)| {
            let fields: Vec<&str> = line.split(',').collect();
            let [session, seq, sent_us, latency_us] = fields[..] else {
                anyhow::bail!("{}: line {}: four fields expected", path.display(), i + 2);
            };
            Ok(Sample {
                session: session.parse()?,
                seq: seq.parse()?,
                sent_us: sent_us.parse()?,
                latency_us: latency_us.parse()?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    samples.sort_unstable_by_key(|s| (s.sent_us, s.session));
    Ok(samples)
}

/// One side of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub samples: usize,
    pub p50_us: u64,
    pub p99_us: u64,
    /// Samples at or above the p99.
    pub tail: usize,
    /// Tail samples with no tail sample of the other side sent within the window: slow frames of
    /// this side alone.
    pub tail_alone: usize,
}

/// Two traces of the same seconds, compared.
#[derive(Debug, Clone, Serialize)]
pub struct Tails {
    pub window_us: u64,
    pub ours: Side,
    pub bare: Side,
    /// Pearson correlation of the two sides' largest latency in each 100 ms of sending: near 1
    /// when both slow down in the same moments.
    pub max_per_100ms_correlation: f64,
}

/// The latency at quantile `q` of `samples` (sorted copy).
fn quantile(samples: &[Sample], q: f64) -> u64 {
    let mut latencies: Vec<u64> = samples.iter().map(|s| s.latency_us).collect();
    latencies.sort_unstable();
    // Truncation is the intent: the index of the quantile's sample.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let index = ((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1));
    latencies.get(index).copied().unwrap_or(0)
}

/// Compares two traces of a paired run (both sorted by send time). `window_us`: how close in
/// time a tail sample of the other side must be for a tail sample not to count as alone.
pub fn compare(ours: &[Sample], bare: &[Sample], window_us: u64) -> Tails {
    let (o99, b99) = (quantile(ours, 0.99), quantile(bare, 0.99));
    let side = |mine: &[Sample], p99: u64, other: &[Sample], other_p99: u64| {
        let other_tail: Vec<u64> = other
            .iter()
            .filter(|s| s.latency_us >= other_p99)
            .map(|s| s.sent_us)
            .collect();
        let tail: Vec<&Sample> = mine.iter().filter(|s| s.latency_us >= p99).collect();
        let alone = tail
            .iter()
            .filter(|s| {
                let from = other_tail.partition_point(|t| *t + window_us < s.sent_us);
                other_tail
                    .get(from)
                    .is_none_or(|t| *t > s.sent_us + window_us)
            })
            .count();
        Side {
            samples: mine.len(),
            p50_us: quantile(mine, 0.5),
            p99_us: p99,
            tail: tail.len(),
            tail_alone: alone,
        }
    };
    Tails {
        window_us,
        ours: side(ours, o99, bare, b99),
        bare: side(bare, b99, ours, o99),
        max_per_100ms_correlation: correlation_of_maxima(ours, bare, 100_000),
    }
}

/// The correlation of both sides' largest latency per `bin_us` of send time, over the bins
/// where both sent.
fn correlation_of_maxima(a: &[Sample], b: &[Sample], bin_us: u64) -> f64 {
    use std::collections::BTreeMap;
    let maxima = |samples: &[Sample]| {
        let mut m = BTreeMap::new();
        for s in samples {
            let v = m.entry(s.sent_us / bin_us).or_insert(0u64);
            *v = (*v).max(s.latency_us);
        }
        m
    };
    let (ma, mb) = (maxima(a), maxima(b));
    let pairs: Vec<(f64, f64)> = ma
        .iter()
        .filter_map(|(bin, x)| mb.get(bin).map(|y| (*x as f64, *y as f64)))
        .collect();
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return f64::NAN;
    }
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let cov: f64 = pairs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let vx: f64 = pairs.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    let vy: f64 = pairs.iter().map(|(_, y)| (y - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sample(sent_us: u64, latency_us: u64) -> Sample {
        Sample {
            session: 0,
            seq: 0,
            sent_us,
            latency_us,
        }
    }

    /// 1,000 frames a side, one every 1 ms (the two sides half a step apart), 100 µs each, but
    /// for stalls: `shared` frame numbers slow on both sides (the machine), `ours_own` and
    /// `bare_own` on one side alone.
    fn traces(shared: &[u64], ours_own: &[u64], bare_own: &[u64]) -> (Vec<Sample>, Vec<Sample>) {
        let side = |own: &[u64], offset: u64| -> Vec<Sample> {
            (0..1000)
                .map(|i| {
                    let slow = shared.contains(&i) || own.contains(&i);
                    sample(i * 1000 + offset, if slow { 5_000 } else { 100 })
                })
                .collect()
        };
        (side(ours_own, 0), side(bare_own, 500))
    }

    #[test]
    fn stalls_of_the_machine_fall_on_both_sides() {
        // Ten stalls, two in every other 100 ms of sending.
        let shared: Vec<u64> = (0..5).flat_map(|k| [k * 200 + 7, k * 200 + 37]).collect();
        let (ours, bare) = traces(&shared, &[], &[]);
        let t = compare(&ours, &bare, 5_000);
        assert_eq!((t.ours.p99_us, t.bare.p99_us), (5_000, 5_000));
        assert_eq!((t.ours.tail, t.bare.tail), (10, 10));
        assert_eq!((t.ours.tail_alone, t.bare.tail_alone), (0, 0), "{t:?}");
        assert!(t.max_per_100ms_correlation > 0.99, "{t:?}");
    }

    #[test]
    fn slow_frames_of_one_side_are_alone() {
        // Frames 7, 207, … slow on both sides; 57, 257, … on ours alone; 157, 357, … on the
        // bare relay's alone (50 ms and more from any other slow frame).
        let shared: Vec<u64> = (0..5).map(|k| k * 200 + 7).collect();
        let ours_own: Vec<u64> = (0..5).map(|k| k * 200 + 57).collect();
        let bare_own: Vec<u64> = (0..5).map(|k| k * 200 + 157).collect();
        let (ours, bare) = traces(&shared, &ours_own, &bare_own);
        let t = compare(&ours, &bare, 5_000);
        assert_eq!((t.ours.tail, t.bare.tail), (10, 10));
        assert_eq!((t.ours.tail_alone, t.bare.tail_alone), (5, 5), "{t:?}");
    }

    #[test]
    fn written_traces_read_back_in_order_of_sending() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let mut samples = vec![sample(30, 1), sample(10, 2), sample(20, 3)];
        write(&path, &mut samples).unwrap();
        let back = read(&path).unwrap();
        let sent: Vec<u64> = back.iter().map(|s| s.sent_us).collect();
        assert_eq!(sent, [10, 20, 30]);
        assert_eq!(back[0].latency_us, 2);
        std::fs::write(&path, "not,a,trace\n").unwrap();
        assert!(read(&path).is_err());
    }
}
