//! Climate indices on real US data must fall in NBER recessions and add up as documented.

use domain::{Direction, Period};
use indicators::{ClimateComponent, EtiOptions, TimeSeries, eti, lmci, vacancies_per_unemployed};

use crate::support::{between, data_dir, parse_data_file};

fn fred(id: &str) -> TimeSeries {
    between(
        &parse_data_file(&format!("us/fred/{id}.csv")).series(&format!("fred.{id}")),
        "2000-12",
        "2023-11",
    )
}

fn component(name: &str, series: TimeSeries, direction: Direction) -> ClimateComponent {
    ClimateComponent {
        name: name.to_owned(),
        series,
        direction,
    }
}

/// NBER (peak, trough) months since the JOLTS series starts.
fn recessions() -> Vec<(Period, Period)> {
    let text = std::fs::read_to_string(data_dir().join("us/nber_cycle_dates.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let (peak, trough) = line.split_once(',')?;
            let month = |date: &str| Period::parse(&date[..7]).unwrap();
            (peak >= "2001").then(|| (month(peak), month(trough)))
        })
        .collect()
}

#[test]
fn eti_falls_in_every_recession_and_adds_up() {
    let openings = parse_data_file("us/jolts/JTSJOL.csv").series("fred.JTSJOL");
    let components = [
        component("payrolls", fred("PAYEMS"), Direction::HigherIsBetter),
        component(
            "unemployment_rate",
            fred("UNRATE"),
            Direction::HigherIsWorse,
        ),
        component(
            "openings",
            between(&openings, "2000-12", "2023-11"),
            Direction::HigherIsBetter,
        ),
        component(
            "median_weeks_unemployed",
            fred("UEMPMED"),
            Direction::HigherIsWorse,
        ),
    ];
    let options = EtiOptions {
        estimation_window: Some((
            Period::parse("2001-01").unwrap(),
            Period::parse("2019-12").unwrap(),
        )),
        base_year: 2016,
    };
    let result = eti(&components, &options).unwrap();
    assert!((result.weights.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    for row in &result.contributions {
        let total: f64 = row.by_component.iter().sum();
        assert_eq!(result.composite_change.get(row.period), Some(total));
    }
    let base: Vec<f64> = result
        .index
        .points()
        .iter()
        .filter(|(period, _)| period.to_string().starts_with("2016"))
        .map(|(_, value)| *value)
        .collect();
    assert_eq!(base.len(), 12);
    assert!((base.iter().sum::<f64>() / 12.0 - 100.0).abs() < 1e-9);

    let recessions = recessions();
    assert_eq!(recessions.len(), 3);
    for (peak, trough) in recessions {
        let at = |period| result.index.get(period).unwrap();
        assert!(
            at(trough) < at(peak),
            "{peak}..{trough}: {} → {}",
            at(peak),
            at(trough)
        );
    }
}

#[test]
fn lmci_is_negative_at_recession_troughs_and_positive_when_tight() {
    let openings = parse_data_file("us/jolts/JTSJOL.csv").series("fred.JTSJOL");
    let ratio = vacancies_per_unemployed(&openings, &fred("UNEMPLOY")).unwrap();
    let components = [
        component(
            "unemployment_rate",
            fred("UNRATE"),
            Direction::HigherIsWorse,
        ),
        component("u6_rate", fred("U6RATE"), Direction::HigherIsWorse),
        component(
            "median_weeks_unemployed",
            fred("UEMPMED"),
            Direction::HigherIsWorse,
        ),
        component("openings_per_unemployed", ratio, Direction::HigherIsBetter),
    ];
    let result = lmci(&components).unwrap();
    // Higher is better: the worse-is-higher rates load negatively, the ratio positively.
    let signs: Vec<bool> = result.level_loadings.iter().map(|l| *l > 0.0).collect();
    assert_eq!(signs, [false, false, false, true]);
    let level = |month: &str| result.level.get(Period::parse(month).unwrap()).unwrap();
    let momentum = |month: &str| result.momentum.get(Period::parse(month).unwrap()).unwrap();
    for trough in ["2009-06", "2020-04"] {
        assert!(level(trough) < 0.0 && momentum(trough) < 0.0, "{trough}");
    }
    for tight in ["2000-12", "2019-12", "2022-12"] {
        assert!(level(tight) > 0.0, "{tight}: {}", level(tight));
    }
    assert!(momentum("2021-12") > 0.0);
    // Standardised: the level index averages 0 over its history.
    let mean = result.level.values().sum::<f64>() / result.level.len() as f64;
    assert!(mean.abs() < 1e-12, "{mean}");
}
