//! A small timing loop: every figure is the median of N runs with its spread, never one run.

use std::time::{Duration, Instant};

pub struct Stats {
    pub samples: Vec<Duration>,
}

impl Stats {
    pub fn new(mut samples: Vec<Duration>) -> Stats {
        samples.sort();
        Stats { samples }
    }

    fn at(&self, q: f64) -> Duration {
        let last = self.samples.len().saturating_sub(1);
        self.samples
            .get(((last as f64) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    }

    pub fn median(&self) -> Duration {
        self.at(0.5)
    }
}

/// Runs `f` `runs` times; `f` does its own setup and returns the time of the measured part.
pub fn sample(runs: usize, mut f: impl FnMut() -> Duration) -> Stats {
    Stats::new((0..runs.max(1)).map(|_| f()).collect())
}

pub fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn ms(d: Duration) -> String {
    let m = d.as_secs_f64() * 1000.0;
    if m < 10.0 {
        format!("{m:.2}")
    } else {
        format!("{m:.0}")
    }
}

/// One markdown row: figure, median, min–max (or p10–p90 with many samples), throughput.
pub fn report(size: &str, name: &str, stats: &Stats, items: Option<usize>, note: &str) {
    let spread = if stats.samples.len() >= 20 {
        format!(
            "p10 {} / p90 {} / p99 {}",
            ms(stats.at(0.1)),
            ms(stats.at(0.9)),
            ms(stats.at(0.99))
        )
    } else {
        format!("min {} / max {}", ms(stats.at(0.0)), ms(stats.at(1.0)))
    };
    let rate = items
        .map(|n| {
            let s = stats.median().as_secs_f64().max(1e-9);
            format!("{:.0} lines/s", n as f64 / s)
        })
        .unwrap_or_default();
    println!(
        "| {size} | {name} | {} ms | {spread} | n={} | {rate} | {note} |",
        ms(stats.median()),
        stats.samples.len()
    );
}

/// CPU time of the calling thread so far (Linux's schedstat, in nanoseconds): the figure
/// that other processes on a shared machine do not inflate, unlike the wall clock.
pub fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// User plus system CPU time of the whole process so far, every thread included (Linux's
/// /proc/self/stat, in clock ticks of 10 ms at the usual 100 Hz).
pub fn process_cpu() -> Duration {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // The command name may hold spaces: fields are counted after its closing ')'.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
            Some(Duration::from_millis(ticks * 10))
        })
        .unwrap_or_default()
}
