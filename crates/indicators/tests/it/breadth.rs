//! Sahm-type breadth across US industries (BLS CPS unemployment rates by previous industry,
//! 2000-01 .. 2010-02, not seasonally adjusted): STL-adjusted, then the Sahm trigger per
//! industry, then how many industries are triggered.

use std::collections::BTreeMap;

use domain::{Frequency, Period};
use expect_test::expect;
use indicators::{SahmOptions, StlOptions, TimeSeries, sahm_breadth, seasonally_adjust};

use crate::support::data_dir;

/// The file is a flat JSON array of flat objects with a fixed field order, so splitting on
/// the fields is enough for a test (no JSON dependency for one fixture).
fn industry_rates() -> BTreeMap<String, TimeSeries> {
    let text = std::fs::read_to_string(
        data_dir().join("us/bls_cps_unemployment_across_industries_2000-2010.json"),
    )
    .unwrap();
    let field = |record: &str, name: &str| -> String {
        let start = record.find(&format!("\"{name}\":")).unwrap() + name.len() + 3;
        let rest = &record[start..];
        let end = rest.find([',', '}']).unwrap_or(rest.len());
        rest[..end].trim_matches('"').to_owned()
    };
    let mut points: BTreeMap<String, Vec<(Period, f64)>> = BTreeMap::new();
    for record in text.split("},{") {
        let period = Period::parse(&format!(
            "{}-{:0>2}",
            field(record, "year"),
            field(record, "month")
        ))
        .unwrap();
        points
            .entry(field(record, "series"))
            .or_default()
            .push((period, field(record, "rate").parse().unwrap()));
    }
    points
        .into_iter()
        .map(|(name, points)| (name, TimeSeries::new(Frequency::Monthly, points).unwrap()))
        .collect()
}

#[test]
fn breadth_of_industry_sahm_triggers_in_the_great_recession() {
    let rates = industry_rates();
    assert_eq!(rates.len(), 14);
    let options = StlOptions {
        robust: true,
        ..StlOptions::default()
    };
    let adjusted: Vec<TimeSeries> = rates
        .values()
        .map(|rate| seasonally_adjust(rate, &options).unwrap())
        .collect();
    let breadth = sahm_breadth(&adjusted, SahmOptions::default()).unwrap();
    let share = |month: &str| {
        let period = Period::parse(month).unwrap();
        breadth.iter().find(|point| point.period == period).unwrap()
    };
    // Expansion: single small-sample industries trigger on noise, but never more than 4 of 14.
    for point in &breadth {
        let year = point.period.to_string();
        if year.starts_with("2005") || year.starts_with("2006") {
            assert!(point.triggered <= 4, "{}: {}", point.period, point.share);
        }
    }
    // Recessions (NBER peaks 2001-03 and 2007-12): a majority within months, then all.
    assert!(share("2001-05").triggered >= 8);
    assert!(share("2007-12").share > 0.5);
    for month in ["2008-12", "2009-01", "2009-03", "2009-06"] {
        assert_eq!(share(month).triggered, 14, "{month}");
    }
    let lines: Vec<String> = breadth
        .iter()
        .filter(|point| point.period.to_string().ends_with("-12"))
        .map(|point| format!("{} {}/{}", point.period, point.triggered, point.components))
        .collect();
    expect![[r#"
        2001-12 11/14
        2002-12 8/14
        2003-12 3/14
        2004-12 4/14
        2005-12 1/14
        2006-12 4/14
        2007-12 9/14
        2008-12 14/14
        2009-12 14/14"#]]
    .assert_eq(&lines.join("\n"));
}
