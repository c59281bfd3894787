//! Recompute benchmark (issue #4 item 7): every indicator and every rule over 10,000
//! generated monthly series × 300 months. A plain `main` timed with `Instant`, no harness:
//!
//! ```sh
//! cargo bench -p warnings --bench recompute
//! RECOMPUTE_CSV=bench/out/recompute-data.csv cargo bench -p warnings --bench recompute
//! ```
//!
//! Environment: `RECOMPUTE_SERIES` (default 10000), `RECOMPUTE_MONTHS` (300),
//! `RECOMPUTE_RUNS` (1; each phase is run that many times and the median is reported),
//! `RECOMPUTE_CSV` (write the generated data as `series_id,period,value` there, for the
//! statsmodels peer in `bench/stl_peer.py`), `RECOMPUTE_RESULTS` (write the figures as
//! `key=value` lines there, for `bench/recompute.sh`).
//!
//! Phases, each timed alone: (a) indicators per series — robust STL seasonal adjustment
//! (period 12, the rules' setting), MA3, year-on-year %, trailing z-score (60 months) and Sahm of the
//! adjusted rate — on 1 thread and on 2 (`std::thread::scope`, series split in halves; the
//! indicators are pure); (b) `warnings::evaluate_with` of `benches/recompute-rules.toml` (one
//! rule of every kind, STL transform included) over the whole catalogue, on 1 thread and on
//! 2 (the crate spreads subjects over threads itself; each subject's transforms are computed
//! once for all its rules), cold: with an empty STL cache, so (b) does not reuse the STL of
//! (a) (`lmo compute` and `lmo alerts` share none either); (b) warm: the same with the STL
//! cache the cold (b) kept, as `lmo alerts` reads it from the store after a threshold edit
//! (the read itself not timed); (c) `warnings::watchlist` of the alerts. Separately, STL
//! alone per series (robust and plain), the figure compared with statsmodels; and, to show
//! what STL costs, (a) without STL and (b) with its STL transform replaced by `none`.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark reports on the terminal"
)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::num::NonZeroUsize;
use std::time::{Duration, Instant};

use domain::{Date, Direction, Frequency, IndustryCode, Period, SeriesId, SeriesMeta, Tag};
use indicators::{SahmOptions, StlCache, StlOptions, TimeSeries};
use warnings::{Alert, AlertState, Catalogue, EvaluateOptions, KnownValue, RuleSet, SubjectSeries};

const RULES: &str = include_str!("recompute-rules.toml");
const TAG: &str = "bench-unemployment-rate";
const FIRST_PERIOD: &str = "2001-01";
const SEED: u64 = 0x5EED_2026;
/// Days after a month's end its value is published (one vintage per value).
const PUBLICATION_LAG_DAYS: u64 = 7;
const ZSCORE_WINDOW: usize = 60;

fn main() {
    let series_count = env_usize("RECOMPUTE_SERIES", 10_000);
    let months = env_usize("RECOMPUTE_MONTHS", 300);
    let runs = env_usize("RECOMPUTE_RUNS", 1).max(1);

    let started = Instant::now();
    let catalogue = generate(series_count, months);
    let last = catalogue.series[0]
        .values
        .last()
        .expect("months > 0")
        .period;
    // The last month end at which every value, the last month's included, is known.
    let as_of = last.shift(1).expect("a month after the data").end_date();
    eprintln!(
        "generated {series_count} series × {months} months ({} .. {last}) in {:.2} s; as_of {as_of}",
        catalogue.series[0].values[0].period,
        started.elapsed().as_secs_f64()
    );
    if let Ok(path) = std::env::var("RECOMPUTE_CSV") {
        write_csv(&catalogue, &path);
        eprintln!("wrote {path}");
    }
    let rules = RuleSet::from_toml("recompute-rules.toml", RULES).expect("bench rules parse");
    // The same rules with the STL transform dropped: what the rule engine costs without STL.
    let rules_no_stl = RuleSet::from_toml(
        "recompute-rules.toml, transform none",
        &RULES.replace("transform = \"stl\"", "transform = \"none\""),
    )
    .expect("bench rules parse");

    let stl_robust = median(runs, || stl_only(&catalogue, true));
    let stl_plain = median(runs, || stl_only(&catalogue, false));
    let indicators_1 = median(runs, || indicators_phase(&catalogue, 1, indicators_of));
    let indicators_2 = median(runs, || indicators_phase(&catalogue, 2, indicators_of));
    let indicators_no_stl_1 = median(runs, || {
        indicators_phase(&catalogue, 1, indicators_without_stl)
    });
    let indicators_no_stl_2 = median(runs, || {
        indicators_phase(&catalogue, 2, indicators_without_stl)
    });
    let rules_phase = |rules: &RuleSet, threads: usize, stored: &[StlEntry]| {
        rules_phase(runs, rules, &catalogue, as_of, threads, stored)
    };
    let (rules_no_stl_1, ..) = rules_phase(&rules_no_stl, 1, &[]);
    let (rules_no_stl_2, ..) = rules_phase(&rules_no_stl, 2, &[]);
    let (rules_2, cold_alerts, _) = rules_phase(&rules, 2, &[]);
    let (rules_1, alerts, kept) = rules_phase(&rules, 1, &[]);
    let (rules_warm_1, warm_alerts_1, _) = rules_phase(&rules, 1, &kept);
    let (rules_warm_2, warm_alerts_2, _) = rules_phase(&rules, 2, &kept);
    assert!(
        cold_alerts == alerts && warm_alerts_1 == alerts && warm_alerts_2 == alerts,
        "the same alerts on 1 or 2 threads, cold or warm"
    );
    let mut entries = Vec::new();
    let watch_time = median(runs, || {
        let start = Instant::now();
        entries = warnings::watchlist(black_box(&alerts));
        start.elapsed()
    });

    let open = alerts.iter().filter(|alert| alert.is_open()).count();
    let mut per_rule = String::new();
    for rule in &rules.rules {
        let count = alerts
            .iter()
            .filter(|alert| alert.rule_id == rule.id)
            .count();
        let _ = write!(per_rule, " {} {count};", rule.id);
    }
    let total_1 = indicators_1 + rules_1 + watch_time;
    let total_2 = indicators_2 + rules_2 + watch_time;
    let rules_warm_total_1 = rules_warm_1 + watch_time;
    let rules_warm_total_2 = rules_warm_2 + watch_time;
    let total_no_stl_1 = indicators_no_stl_1 + rules_no_stl_1 + watch_time;
    let total_no_stl_2 = indicators_no_stl_2 + rules_no_stl_2 + watch_time;
    let per_series = |time: Duration| time.as_secs_f64() * 1e6 / series_count as f64;
    let seconds = |time: Duration| format!("{:.3}", time.as_secs_f64());

    println!(
        "\n## Recompute: {series_count} series × {months} months, as_of {as_of}, median of {runs} runs\n"
    );
    println!("| phase | 1 thread (s) | 2 threads (s) | µs per series (1 thread) |");
    println!("|---|---:|---:|---:|");
    println!(
        "| (a) indicators: robust STL, MA3, YoY, z-score ({ZSCORE_WINDOW}), Sahm | {} | {} | {:.1} |",
        seconds(indicators_1),
        seconds(indicators_2),
        per_series(indicators_1)
    );
    println!(
        "| (b) rules: `evaluate`, {} rules, transforms included | {} | {} | {:.1} |",
        rules.rules.len(),
        seconds(rules_1),
        seconds(rules_2),
        per_series(rules_1)
    );
    println!(
        "| (b) warm: the same, every STL result found in the cache a cold (b) kept (reading it from the store not included) | {} | {} | {:.1} |",
        seconds(rules_warm_1),
        seconds(rules_warm_2),
        per_series(rules_warm_1)
    );
    println!(
        "| (c) watch-list | {} | (single-threaded) | {:.1} |",
        seconds(watch_time),
        per_series(watch_time)
    );
    println!(
        "| **total (a + b + c)** | **{}** | **{}** | {:.1} |",
        seconds(total_1),
        seconds(total_2),
        per_series(total_1)
    );
    println!(
        "| **rules recompute, warm (b warm + c)**, as after editing a threshold | **{}** | **{}** | {:.1} |",
        seconds(rules_warm_total_1),
        seconds(rules_warm_total_2),
        per_series(rules_warm_total_1)
    );
    println!(
        "| (a′) for comparison: (a) without STL (MA3, YoY, z-score, Sahm of the raw rate) | {} | {} | {:.1} |",
        seconds(indicators_no_stl_1),
        seconds(indicators_no_stl_2),
        per_series(indicators_no_stl_1)
    );
    println!(
        "| (b′) for comparison: (b) with the STL transform replaced by none | {} | {} | {:.1} |",
        seconds(rules_no_stl_1),
        seconds(rules_no_stl_2),
        per_series(rules_no_stl_1)
    );
    println!(
        "| total without STL (a′ + b′ + c) | {} | {} | {:.1} |",
        seconds(total_no_stl_1),
        seconds(total_no_stl_2),
        per_series(total_no_stl_1)
    );
    println!();
    println!("| STL alone (period 12), 1 thread | total (s) | µs per series |");
    println!("|---|---:|---:|");
    println!(
        "| robust (inner 2, outer 15), as the rules use | {} | {:.1} |",
        seconds(stl_robust),
        per_series(stl_robust)
    );
    println!(
        "| plain (inner 5, outer 0) | {} | {:.1} |",
        seconds(stl_plain),
        per_series(stl_plain)
    );
    println!();
    println!(
        "Alerts: {} ({open} open, the same on 1 and 2 threads, cold and warm):{per_rule} watch-list: {} industries. \
         Target under 1 s on 2 cores for everything (a + b + c, cold): {} ({} s); the warm rules recompute (b warm + c) takes {} s.",
        alerts.len(),
        entries.len(),
        if total_2 < Duration::from_secs(1) {
            "met"
        } else {
            "NOT met"
        },
        seconds(total_2),
        seconds(rules_warm_total_2),
    );

    if let Ok(path) = std::env::var("RECOMPUTE_RESULTS") {
        let figures = [
            ("series", series_count as f64),
            ("months", months as f64),
            ("runs", runs as f64),
            ("indicators_1_thread_s", indicators_1.as_secs_f64()),
            ("indicators_2_threads_s", indicators_2.as_secs_f64()),
            ("rules_1_thread_s", rules_1.as_secs_f64()),
            ("rules_2_threads_s", rules_2.as_secs_f64()),
            ("rules_warm_1_thread_s", rules_warm_1.as_secs_f64()),
            ("rules_warm_2_threads_s", rules_warm_2.as_secs_f64()),
            (
                "rules_warm_total_1_thread_s",
                rules_warm_total_1.as_secs_f64(),
            ),
            (
                "rules_warm_total_2_threads_s",
                rules_warm_total_2.as_secs_f64(),
            ),
            ("watchlist_s", watch_time.as_secs_f64()),
            (
                "indicators_no_stl_1_thread_s",
                indicators_no_stl_1.as_secs_f64(),
            ),
            (
                "indicators_no_stl_2_threads_s",
                indicators_no_stl_2.as_secs_f64(),
            ),
            ("rules_no_stl_1_thread_s", rules_no_stl_1.as_secs_f64()),
            ("rules_no_stl_2_threads_s", rules_no_stl_2.as_secs_f64()),
            ("total_1_thread_s", total_1.as_secs_f64()),
            ("total_2_threads_s", total_2.as_secs_f64()),
            ("total_no_stl_1_thread_s", total_no_stl_1.as_secs_f64()),
            ("total_no_stl_2_threads_s", total_no_stl_2.as_secs_f64()),
            ("stl_robust_total_s", stl_robust.as_secs_f64()),
            ("stl_plain_total_s", stl_plain.as_secs_f64()),
            ("stl_robust_per_series_us", per_series(stl_robust)),
            ("stl_plain_per_series_us", per_series(stl_plain)),
            ("alerts", alerts.len() as f64),
            ("open_alerts", open as f64),
        ];
        let mut text = String::new();
        for (key, value) in figures {
            let _ = writeln!(text, "{key}={value}");
        }
        std::fs::write(&path, text).expect("write results");
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).map_or(default, |text| {
        text.parse()
            .unwrap_or_else(|_| panic!("{name} must be a count, not {text:?}"))
    })
}

/// Runs `measure` `runs` times and returns the median duration.
fn median(runs: usize, mut measure: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| measure()).collect();
    times.sort();
    times[times.len() / 2]
}

/// One STL cache entry: fingerprint and adjusted values.
type StlEntry = (String, Vec<f64>);

/// Phase (b): `evaluate_with` on `threads` threads with an STL cache made from `stored`
/// (empty: cold, as a first `lmo alerts`), `runs` times; the median time, the alerts and the
/// cache entries the run used, as `lmo alerts` keeps them.
fn rules_phase(
    runs: usize,
    rules: &RuleSet,
    catalogue: &Catalogue,
    as_of: Date,
    threads: usize,
    stored: &[StlEntry],
) -> (Duration, Vec<Alert>, Vec<StlEntry>) {
    let mut alerts = Vec::new();
    let mut kept = Vec::new();
    let time = median(runs, || {
        // The engine owns what it read from the store: the copy is not timed.
        let entries = stored.to_vec();
        let start = Instant::now();
        let cache = StlCache::with_entries(entries);
        let options = EvaluateOptions {
            threads: NonZeroUsize::new(threads).expect("threads > 0"),
            stl_cache: Some(&cache),
        };
        let evaluated =
            warnings::evaluate_with(rules, catalogue, &AlertState::default(), as_of, &options)
                .expect("evaluate");
        let elapsed = start.elapsed();
        // The previous run's results are dropped here, outside the timing.
        kept = cache.used_entries();
        alerts = evaluated;
        elapsed
    });
    (time, alerts, kept)
}

/// The catalogue's values of one series as a `TimeSeries` (one vintage per value).
fn time_series(subject: &SubjectSeries) -> TimeSeries {
    let points = subject
        .values
        .iter()
        .map(|known| (known.period, known.value))
        .collect();
    TimeSeries::new(subject.meta.frequency, points).expect("generated series are valid")
}

fn robust_stl() -> StlOptions {
    StlOptions {
        robust: true,
        ..StlOptions::default()
    }
}

/// Phase (a) on `threads` threads: `indicators` of every series; the series are split into
/// `threads` contiguous chunks.
fn indicators_phase(
    catalogue: &Catalogue,
    threads: usize,
    indicators: fn(&SubjectSeries) -> usize,
) -> Duration {
    let start = Instant::now();
    let chunk = catalogue.series.len().div_ceil(threads).max(1);
    let points: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = catalogue
            .series
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(indicators).sum::<usize>()))
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().expect("worker"))
            .sum()
    });
    black_box(points);
    start.elapsed()
}

/// Every indicator of one series; returns the number of points produced (kept alive so
/// nothing is optimised away).
fn indicators_of(subject: &SubjectSeries) -> usize {
    let series = time_series(subject);
    let adjusted = indicators::seasonally_adjust(&series, &robust_stl()).expect("STL");
    let ma3 = indicators::moving_average_3(&adjusted);
    let yoy = indicators::yoy_pct(&series);
    let z = indicators::zscore_trailing(&adjusted, ZSCORE_WINDOW).expect("z-score");
    let sahm = indicators::sahm(&adjusted, SahmOptions::default());
    black_box(adjusted.len() + ma3.len() + yoy.len() + z.len() + sahm.len())
}

/// Phase (a) less STL: the other indicators of the raw (not adjusted) series.
fn indicators_without_stl(subject: &SubjectSeries) -> usize {
    let series = time_series(subject);
    let ma3 = indicators::moving_average_3(&series);
    let yoy = indicators::yoy_pct(&series);
    let z = indicators::zscore_trailing(&series, ZSCORE_WINDOW).expect("z-score");
    let sahm = indicators::sahm(&series, SahmOptions::default());
    black_box(ma3.len() + yoy.len() + z.len() + sahm.len())
}

/// STL alone, one call per series, single-threaded (the input series are built first,
/// outside the timing, as statsmodels gets ready numpy arrays).
fn stl_only(catalogue: &Catalogue, robust: bool) -> Duration {
    let inputs: Vec<TimeSeries> = catalogue.series.iter().map(time_series).collect();
    let options = StlOptions {
        robust,
        ..StlOptions::default()
    };
    let start = Instant::now();
    for series in &inputs {
        black_box(indicators::stl_decompose(black_box(series), &options).expect("STL"));
    }
    start.elapsed()
}

/// `SplitMix64`: a tiny deterministic generator, enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }

    fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.uniform()
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = 1.0 - self.uniform();
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// Common recessions: (start month index, months of rise, months of recovery); each series
/// joins each with some probability, a few months early or late, with its own depth.
const RECESSIONS: [(f64, f64, f64); 3] =
    [(0.16, 10.0, 30.0), (0.47, 18.0, 48.0), (0.80, 4.0, 24.0)];

/// `series_count` unemployment-rate-like monthly series from 2001-01: level 3–9 %, a
/// seasonal pattern (two harmonics, amplitude 0.1–0.8 pp), a slow random-walk trend, noise,
/// the common recessions and an occasional industry-specific shock; one decimal, as
/// published, floored at 0.5 %.
fn generate(series_count: usize, months: usize) -> Catalogue {
    let mut rng = Rng(SEED);
    let first = Period::parse(FIRST_PERIOD).expect("period");
    let tags = vec![
        Tag::parse(TAG).expect("tag"),
        Tag::parse("unemployment-rate").expect("tag"),
    ];
    let sections: Vec<IndustryCode> = ('A'..='U')
        .map(|letter| IndustryCode::parse(&letter.to_string()).expect("section"))
        .collect();
    let series = (0..series_count)
        .map(|index| {
            let id = SeriesId::parse(&format!("bench.ur.s{index:05}")).expect("id");
            let mut meta = SeriesMeta::new(
                id,
                format!("Unemployment rate, generated series {index}"),
                Frequency::Monthly,
            );
            meta.unit = "%".into();
            meta.direction = Direction::HigherIsWorse;
            meta.publication_lag_days = PUBLICATION_LAG_DAYS as u16;
            meta.tags.clone_from(&tags);
            meta.industry = Some(sections[index % sections.len()].clone());

            let level = rng.between(3.0, 9.0);
            let amplitude = rng.between(0.1, 0.8);
            let phase = rng.between(0.0, std::f64::consts::TAU);
            let second = rng.between(0.0, 0.3);
            let noise = rng.between(0.05, 0.25);
            let drift = rng.between(-0.004, 0.004);
            let joins: Vec<Option<(f64, f64)>> = RECESSIONS
                .iter()
                .map(|(start, _, _)| {
                    (rng.uniform() < 0.8).then(|| {
                        let lag = rng.between(-3.0, 3.0).round();
                        (start * months as f64 + lag, rng.between(1.0, 4.0))
                    })
                })
                .collect();
            let shock = (rng.uniform() < 0.3).then(|| {
                (
                    rng.between(0.0, months as f64),
                    rng.between(0.8, 2.5),
                    rng.between(6.0, 24.0),
                )
            });
            let mut trend = 0.0;
            let values = (0..months)
                .map(|month| {
                    let t = month as f64;
                    trend += drift + 0.03 * rng.normal();
                    let angle = std::f64::consts::TAU * t / 12.0 + phase;
                    let seasonal = amplitude * angle.sin() + second * (2.0 * angle).cos();
                    let mut cycle = 0.0;
                    for ((_, rise, recovery), join) in RECESSIONS.iter().zip(&joins) {
                        if let Some((start, depth)) = join {
                            cycle += depth * bump(t - start, *rise, *recovery);
                        }
                    }
                    if let Some((start, depth, length)) = shock {
                        cycle += depth * bump(t - start, length / 3.0, length);
                    }
                    let value = level + trend + seasonal + cycle + noise * rng.normal();
                    let period = first
                        .shift(month as i32)
                        .expect("within the supported years");
                    KnownValue {
                        period,
                        value: (value.max(0.5) * 10.0).round() / 10.0,
                        vintage: known_from(period),
                    }
                })
                .collect();
            SubjectSeries { meta, values }
        })
        .collect();
    Catalogue { series }
}

/// 0 before `since` = 0, a linear rise to 1 over `rise` months, a linear fall back to 0
/// over `recovery` months.
fn bump(since: f64, rise: f64, recovery: f64) -> f64 {
    if since < 0.0 {
        0.0
    } else if since < rise {
        since / rise
    } else {
        (1.0 - (since - rise) / recovery).max(0.0)
    }
}

fn known_from(period: Period) -> Date {
    period
        .end_date()
        .checked_add(Duration::from_secs(PUBLICATION_LAG_DAYS * 86_400))
        .expect("date in range")
}

fn write_csv(catalogue: &Catalogue, path: &str) {
    use std::io::Write as _;
    let file = std::fs::File::create(path).unwrap_or_else(|error| panic!("{path}: {error}"));
    let mut out = std::io::BufWriter::new(file);
    writeln!(out, "series_id,period,value").expect("write");
    for subject in &catalogue.series {
        for known in &subject.values {
            writeln!(
                out,
                "{},{},{:.1}",
                subject.meta.id, known.period, known.value
            )
            .expect("write");
        }
    }
    out.flush().expect("write");
}
