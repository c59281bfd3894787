//! Data-driven cases: each `test_data/cases/NAME.case` names an indicator, its parameters and
//! its input series; the output is compared with `NAME.out` (`UPDATE_EXPECT=1` rewrites it).
//!
//! Format, one item per line (`#` starts a comment line):
//! `op NAME`, `param KEY VALUE`, `series NAME FREQUENCY [DIRECTION]` followed by
//! `PERIOD VALUE` lines (DIRECTION: `up` = higher is better, `down` = higher is worse).

use std::fmt::Write as _;
use std::path::Path;

use domain::{Direction, Frequency, Period};
use expect_test::expect_file;
use indicators::{
    ClimateComponent, EtiOptions, IndicatorError, MISMATCH_ALPHA, SahmOptions, TimeSeries,
    beveridge_curve, diffusion_index, eti, fair_share_gap, lmci, mismatch_series, moving_average_3,
    sahm, sahm_breadth, vacancies_per_unemployed, vacancy_rate, yoy_pct, zscore_full,
    zscore_trailing,
};

use crate::support::test_data_dir;

/// A series as read: name, frequency, points.
type RawSeries = (String, Frequency, Direction, Vec<(Period, f64)>);

struct Case {
    op: String,
    params: Vec<(String, String)>,
    series: Vec<(String, Direction, TimeSeries)>,
}

impl Case {
    fn parse(text: &str) -> Case {
        let mut op = String::new();
        let mut params = Vec::new();
        let mut series: Vec<RawSeries> = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["op", name] => (*name).clone_into(&mut op),
                ["param", key, value] => params.push(((*key).to_owned(), (*value).to_owned())),
                ["series", name, frequency, direction @ ..] => series.push((
                    (*name).to_owned(),
                    Frequency::parse(frequency).unwrap(),
                    Direction::parse(direction.first().unwrap_or(&"")).unwrap(),
                    Vec::new(),
                )),
                [period, value] => series
                    .last_mut()
                    .expect("a point before any series")
                    .3
                    .push((Period::parse(period).unwrap(), value.parse().unwrap())),
                _ => panic!("bad case line: {line}"),
            }
        }
        let series = series
            .into_iter()
            .map(|(name, frequency, direction, points)| {
                (name, direction, TimeSeries::new(frequency, points).unwrap())
            })
            .collect();
        Case { op, params, series }
    }

    fn param<T: std::str::FromStr>(&self, key: &str, default: T) -> T {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map_or(default, |(_, v)| v.parse().ok().expect("parameter value"))
    }

    fn one(&self) -> &TimeSeries {
        &self.series[0].2
    }

    fn all(&self) -> Vec<TimeSeries> {
        self.series.iter().map(|(_, _, s)| s.clone()).collect()
    }

    fn components(&self) -> Vec<ClimateComponent> {
        self.series
            .iter()
            .map(|(name, direction, series)| ClimateComponent {
                name: name.clone(),
                series: series.clone(),
                direction: *direction,
            })
            .collect()
    }

    /// Runs the case; `exact` renders floats with every digit (for the determinism check).
    fn run(&self, exact: bool) -> String {
        let num = |value: f64| {
            if exact {
                format!("{value:?}")
            } else {
                format!("{value:.6}")
            }
        };
        let series_text = |result: Result<TimeSeries, IndicatorError>| match result {
            Ok(series) => {
                let mut out = format!("{} points, {}\n", series.len(), series.frequency());
                for &(period, value) in series.points() {
                    writeln!(out, "{period} {}", num(value)).unwrap();
                }
                out
            }
            Err(error) => format!("error: {error}\n"),
        };
        let sahm_options = SahmOptions {
            already_averaged: self.param("already_averaged", false),
            threshold: self.param("threshold", 0.5),
        };
        match self.op.as_str() {
            "ma3" => series_text(Ok(moving_average_3(self.one()))),
            "yoy_pct" => series_text(Ok(yoy_pct(self.one()))),
            "zscore_trailing" => series_text(zscore_trailing(self.one(), self.param("window", 60))),
            "zscore_full" => series_text(Ok(zscore_full(self.one()))),
            "diffusion" => series_text(diffusion_index(&self.all())),
            "vacancy_rate" => series_text(vacancy_rate(&self.series[0].2, &self.series[1].2)),
            "vacancies_per_unemployed" => series_text(vacancies_per_unemployed(
                &self.series[0].2,
                &self.series[1].2,
            )),
            "sahm" => series_text(Ok(sahm(self.one(), sahm_options))),
            "mismatch" => {
                let all = self.all();
                let sectors: Vec<(TimeSeries, TimeSeries)> = all
                    .chunks(2)
                    .map(|pair| (pair[0].clone(), pair[1].clone()))
                    .collect();
                series_text(mismatch_series(
                    &sectors,
                    self.param("alpha", MISMATCH_ALPHA),
                ))
            }
            "beveridge" => {
                let mut out = String::new();
                for point in beveridge_curve(&self.series[0].2, &self.series[1].2) {
                    let (u, v) = (num(point.unemployment_rate), num(point.vacancy_rate));
                    writeln!(out, "{} u={u} v={v}", point.period).unwrap();
                }
                out
            }
            "sahm_breadth" => match sahm_breadth(&self.all(), sahm_options) {
                Ok(points) => {
                    let mut out = String::new();
                    for point in points {
                        let share = num(point.share);
                        let (triggered, of) = (point.triggered, point.components);
                        writeln!(out, "{} {triggered}/{of} share={share}", point.period).unwrap();
                    }
                    out
                }
                Err(error) => format!("error: {error}\n"),
            },
            "eti" => {
                let window = self.param("window_from", String::new());
                let options = EtiOptions {
                    estimation_window: (!window.is_empty()).then(|| {
                        (
                            Period::parse(&window).unwrap(),
                            Period::parse(&self.param("window_to", String::new())).unwrap(),
                        )
                    }),
                    base_year: self.param("base_year", 2020),
                };
                match eti(&self.components(), &options) {
                    Ok(result) => {
                        let mut out = String::new();
                        let weights: Vec<String> = result.weights.iter().map(|w| num(*w)).collect();
                        writeln!(out, "weights {}", weights.join(" ")).unwrap();
                        out.push_str("index ");
                        out.push_str(&series_text(Ok(result.index)));
                        out.push_str("composite ");
                        out.push_str(&series_text(Ok(result.composite_change)));
                        out.push_str("contributions\n");
                        for row in result.contributions {
                            let cells: Vec<String> =
                                row.by_component.iter().map(|c| num(*c)).collect();
                            writeln!(out, "{} {}", row.period, cells.join(" ")).unwrap();
                        }
                        out
                    }
                    Err(error) => format!("error: {error}\n"),
                }
            }
            "lmci" => match lmci(&self.components()) {
                Ok(result) => {
                    let loadings = |values: &[f64]| {
                        values.iter().map(|v| num(*v)).collect::<Vec<_>>().join(" ")
                    };
                    let mut out = String::new();
                    writeln!(out, "level loadings {}", loadings(&result.level_loadings)).unwrap();
                    writeln!(
                        out,
                        "momentum loadings {}",
                        loadings(&result.momentum_loadings)
                    )
                    .unwrap();
                    out.push_str("level ");
                    out.push_str(&series_text(Ok(result.level)));
                    out.push_str("momentum ");
                    out.push_str(&series_text(Ok(result.momentum)));
                    out
                }
                Err(error) => format!("error: {error}\n"),
            },
            "fair_share" => {
                let s = |i: usize| &self.series[i].2;
                match fair_share_gap(s(0), s(1), s(2), s(3)) {
                    Ok(result) => {
                        let mut out = String::from("real wage growth ");
                        out.push_str(&series_text(Ok(result.real_wage_growth)));
                        out.push_str("productivity growth ");
                        out.push_str(&series_text(Ok(result.productivity_growth)));
                        out.push_str("gap ");
                        out.push_str(&series_text(Ok(result.gap)));
                        out.push_str("negative run\n");
                        for (period, run) in result.negative_run {
                            writeln!(out, "{period} {run}").unwrap();
                        }
                        out
                    }
                    Err(error) => format!("error: {error}\n"),
                }
            }
            other => panic!("unknown op {other}"),
        }
    }
}

#[track_caller]
fn check(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let case = Case::parse(&text);
    // Same inputs, bitwise the same outputs: two runs render every digit identically.
    assert_eq!(case.run(true), case.run(true), "{}", path.display());
    expect_file![path.with_extension("out")].assert_eq(&case.run(false));
}

#[test]
fn cases() {
    let dir = test_data_dir().join("cases");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "case"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "{} cases", paths.len());
    for path in &paths {
        check(path);
    }
}
