//! Indicators recomputed from published inputs must reproduce the published indicator.

use domain::Frequency;
use expect_test::expect;
use indicators::{
    SahmOptions, StlCache, StlOptions, TimeSeries, sahm, seasonally_adjust, stl_decompose,
    vacancy_rate,
};

use crate::support::{between, parse_data_file, test_data_dir};

/// FRED's SAHMCURRENT is the Sahm rule computed from the current vintage of UNRATE, rounded
/// to 2 decimals. Ours, from the same vintage of UNRATE (both files are the Dec 2023
/// download), must agree to that rounding in every month both have.
#[test]
fn sahm_matches_fred_sahmcurrent() {
    let unrate = parse_data_file("us/fred/UNRATE.csv").series("fred.UNRATE");
    let published = parse_data_file("us/fred/SAHMCURRENT.csv").series("fred.SAHMCURRENT");
    let ours = sahm(&unrate, SahmOptions::default());

    let mut compared = 0;
    let mut max_diff = 0.0_f64;
    let mut first = None;
    let mut last = None;
    for &(period, fred) in published.points() {
        let Some(value) = ours.get(period) else {
            panic!("no Sahm value for {period}, FRED has {fred}");
        };
        max_diff = max_diff.max((value - fred).abs());
        // MA3 of one-decimal rates is a multiple of 1/30, so rounding to 2 dp never ties.
        assert_eq!(
            (value * 100.0).round() / 100.0,
            fred,
            "{period}: ours {value}, FRED {fred}"
        );
        compared += 1;
        first.get_or_insert(period);
        last = Some(period);
    }
    assert!(max_diff <= 0.005 + 1e-9, "max abs diff {max_diff}");
    // Ours starts exactly where FRED's does: the first month with a full 12-month look-back.
    assert_eq!(ours.points()[0].0, published.points()[0].0);
    expect!["897 months 1949-03..2023-11 all equal after rounding to 2 dp; max abs diff 0.00333"]
        .assert_eq(&format!(
            "{compared} months {}..{} all equal after rounding to 2 dp; max abs diff {max_diff:.5}",
            first.unwrap(),
            last.unwrap()
        ));
}

const SEV: &str = "hk/csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv";

/// C&SD's vacancy rate is vacancies / (persons engaged + vacancies), published to 1 decimal.
/// Recomputed for all industries together and for every industry section and grouping.
#[test]
fn vacancy_rate_matches_csd_table_215_16001() {
    let sev = parse_data_file(SEV);
    let prefix = "csd.215-16001.vacancy_rate.";
    let codes: Vec<String> = sev
        .ids()
        .filter_map(|id| id.strip_prefix(prefix))
        .filter(|code| !code.starts_with("yoy_pct"))
        .map(str::to_owned)
        .collect();

    let mut lines = Vec::new();
    let (mut total, mut exact, mut max_diff) = (0, 0, 0.0_f64);
    for code in &codes {
        let vacancies = format!("csd.215-16001.number_of_vacancies.{code}");
        let engaged = format!("csd.215-16001.number_of_persons_engaged.{code}");
        if !sev.has(&vacancies) || !sev.has(&engaged) {
            continue;
        }
        let published = sev.series(&format!("{prefix}{code}"));
        let ours = vacancy_rate(&sev.series(&vacancies), &sev.series(&engaged)).unwrap();
        let (mut count, mut equal) = (0, 0);
        for &(period, rate) in published.points() {
            let value = ours.get(period).unwrap();
            let diff = ((value * 10.0).round() / 10.0 - rate).abs();
            assert!(
                diff <= 0.1 + 1e-9,
                "{code} {period}: ours {value}, C&SD {rate}"
            );
            max_diff = max_diff.max(diff);
            count += 1;
            if diff < 1e-9 {
                equal += 1;
            } else {
                lines.push(format!("  {code} {period}: ours {value:.4}, C&SD {rate}"));
            }
        }
        if code == "ALL" {
            // Every quarter 2000-Q1 … 2025-Q3 of the headline rate matches exactly.
            assert_eq!((count, equal), (103, 103));
        }
        total += count;
        exact += equal;
    }
    assert!(exact * 100 >= total * 99, "{exact} of {total}");
    lines.insert(
        0,
        format!(
            "{} series, {exact} of {total} quarters equal after rounding to 1 dp, max diff {max_diff:.1}",
            codes.len()
        ),
    );
    expect!["22 series, 2150 of 2150 quarters equal after rounding to 1 dp, max diff 0.0"]
        .assert_eq(&lines.join("\n"));
}

/// Reference: statsmodels 0.15.0 `STL` on UNRATENSA 1990-01..2019-12 with the parameters in
/// `test_data/make_stl_reference.py`; `stlrs` and statsmodels are ports of the same Fortran.
#[test]
fn stl_matches_statsmodels() {
    let observed = between(
        &parse_data_file("us/fred/UNRATENSA.csv").series("fred.UNRATENSA"),
        "1990-01",
        "2019-12",
    );
    let text =
        std::fs::read_to_string(test_data_dir().join("stl_reference_unratensa.csv")).unwrap();
    let rows: Vec<Vec<f64>> = text
        .lines()
        .filter(|line| !line.starts_with('#'))
        .skip(1)
        .map(|line| {
            line.split(',')
                .skip(1)
                .map(|cell| cell.parse().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 360);
    assert_eq!(
        observed.values().collect::<Vec<_>>(),
        rows.iter().map(|row| row[0]).collect::<Vec<_>>()
    );

    let plain = StlOptions {
        seasonal_length: 7,
        trend_length: Some(23),
        low_pass_length: Some(13),
        robust: false,
        inner_loops: Some(5),
        outer_loops: Some(0),
    };
    let robust = StlOptions {
        robust: true,
        inner_loops: Some(2),
        outer_loops: Some(15),
        ..plain
    };
    let mut report = Vec::new();
    for (name, options, column) in [("plain", plain, 1), ("robust", robust, 3)] {
        let fit = stl_decompose(&observed, &options).unwrap();
        // Defaults are statsmodels' defaults: the same fit without spelling them out.
        let defaults = StlOptions {
            robust: options.robust,
            ..StlOptions::default()
        };
        assert_eq!(stl_decompose(&observed, &defaults).unwrap(), fit);
        let seasonal = max_abs_diff(&fit.seasonal, rows.iter().map(|row| row[column]));
        let trend = max_abs_diff(&fit.trend, rows.iter().map(|row| row[column + 1]));
        // Measured about 1e-13 on values of 3–11 (%): the same algorithm, different rounding order.
        assert!(
            seasonal < 1e-12 && trend < 1e-12,
            "{name}: {seasonal:e} {trend:e}"
        );
        for (&(_, adjusted), (&(_, value), &(_, seasonal))) in fit
            .adjusted
            .points()
            .iter()
            .zip(observed.points().iter().zip(fit.seasonal.points()))
        {
            assert_eq!(adjusted, value - seasonal);
        }
        report.push(format!(
            "{name}: seasonal {seasonal:.1e}, trend {trend:.1e}"
        ));
    }
    expect![[r#"
        plain: seasonal 3.9e-14, trend 7.8e-14
        robust: seasonal 4.7e-14, trend 9.7e-14"#]]
    .assert_eq(&report.join("\n"));
}

/// The STL cache gives back exactly what a fit gives, for the same values and options
/// only, whatever their periods, and keeps what was used.
#[test]
fn stl_cache_gives_the_fit_of_the_same_values_and_options() {
    let observed = between(
        &parse_data_file("us/fred/UNRATENSA.csv").series("fred.UNRATENSA"),
        "1990-01",
        "2019-12",
    );
    let robust = StlOptions {
        robust: true,
        ..StlOptions::default()
    };
    let fitted = seasonally_adjust(&observed, &robust).unwrap();
    let first = StlCache::default();
    assert_eq!(first.seasonally_adjust(&observed, &robust).unwrap(), fitted);
    assert_eq!(first.fitted(), 1);
    let kept = first.used_entries();
    assert_eq!(kept.len(), 1);

    // A later run made with what the first kept, and an entry nothing uses.
    let mut stored = kept.clone();
    stored.push(("not-a-fingerprint".to_owned(), vec![1.0]));
    let later = StlCache::with_entries(stored);
    assert_eq!(later.seasonally_adjust(&observed, &robust).unwrap(), fitted);
    assert_eq!(later.fitted(), 0);
    assert_eq!(later.used_entries(), kept, "the unused entry is dropped");
    let again = StlCache::with_entries(kept.clone());
    // The same values a year later: found, labelled with their own periods.
    let shifted = TimeSeries::new(
        Frequency::Monthly,
        observed
            .points()
            .iter()
            .map(|&(period, value)| (period.shift(12).unwrap(), value))
            .collect(),
    )
    .unwrap();
    let relabelled = again.seasonally_adjust(&shifted, &robust).unwrap();
    assert_eq!(again.fitted(), 0);
    assert!(relabelled.periods().eq(shifted.periods()));
    assert!(relabelled.values().eq(fitted.values()));

    // Other options, or one value revised: fitted anew.
    let plain = StlOptions::default();
    assert_eq!(
        again.seasonally_adjust(&observed, &plain).unwrap(),
        seasonally_adjust(&observed, &plain).unwrap()
    );
    let mut points = observed.points().to_vec();
    points[100].1 += 0.1;
    let revised = TimeSeries::new(Frequency::Monthly, points).unwrap();
    assert_eq!(
        again.seasonally_adjust(&revised, &robust).unwrap(),
        seasonally_adjust(&revised, &robust).unwrap()
    );
    assert_eq!(again.fitted(), 2);
    assert_eq!(again.used_entries().len(), 3);
}

fn max_abs_diff(ours: &TimeSeries, reference: impl Iterator<Item = f64>) -> f64 {
    ours.values()
        .zip(reference)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
}
