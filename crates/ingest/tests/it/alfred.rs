//! ALFRED vintage downloads: every value a period ever had, each with its vintage.
//!
//! No ALFRED download is bundled. The fixture is the bundled FRED UNRATE file reshaped
//! into ALFRED's layout: values unchanged, one column per vintage, each vintage showing the
//! months published by then. The vintage dates are test structure only.

use domain::{Period, SeasonalAdjustment};
use ingest::Format;

use crate::support::{data_dir, parse_bytes};

/// `observation_date,UNRATE_20200403,UNRATE_20200508,UNRATE_20200605` over 2019-01 … 2020-05,
/// from the bundled UNRATE values.
pub(crate) fn reshaped_unrate() -> String {
    let unrate = std::fs::read_to_string(data_dir().join("us/fred/UNRATE.csv")).unwrap();
    let vintages = [
        ("20200403", "2020-03"),
        ("20200508", "2020-04"),
        ("20200605", "2020-05"),
    ];
    let mut text = String::from("observation_date");
    for (date, _) in vintages {
        text.push_str(",UNRATE_");
        text.push_str(date);
    }
    text.push('\n');
    for line in unrate.lines().skip(1) {
        let (date, value) = line.split_once(',').unwrap();
        if !("2019-01-01"..="2020-05-01").contains(&date) {
            continue;
        }
        text.push_str(date);
        for (_, last_month) in vintages {
            // Not yet published in that vintage: ALFRED writes `.`.
            let published = &date[..7] <= last_month;
            text.push(',');
            text.push_str(if published { value } else { "." });
        }
        text.push('\n');
    }
    text
}

#[test]
fn each_value_comes_with_the_vintage_that_first_showed_it() {
    let text = reshaped_unrate();
    let (summary, collected) = parse_bytes("UNRATE_vintages.csv", text.as_bytes(), None);
    let summary = summary.unwrap();
    assert_eq!(summary.format, Some(Format::Alfred));
    assert!(collected.rejects.is_empty(), "{:?}", collected.rejects);
    let meta = collected.meta("fred.UNRATE");
    assert_eq!(meta.title_en, "UNRATE");
    assert_eq!(meta.seasonal_adjustment, SeasonalAdjustment::Unknown);
    // 17 months, each stored once: a vintage that repeats a value adds nothing.
    assert_eq!(collected.observations.len(), 17);
    let vintage_of = |period: &str| {
        let period = Period::parse(period).unwrap();
        let (_, observation, location) = collected
            .observations
            .iter()
            .find(|(_, observation, _)| observation.period == period)
            .unwrap();
        (
            observation.value,
            observation.vintage.unwrap().to_string(),
            location.to_string(),
        )
    };
    assert_eq!(
        vintage_of("2020-04"),
        (
            14.7,
            "2020-05-08".to_owned(),
            "UNRATE_vintages.csv:17:3 (column 'UNRATE_20200508')".to_owned()
        )
    );
    assert_eq!(vintage_of("2019-06").1, "2020-04-03");
    assert_eq!(vintage_of("2020-05").1, "2020-06-05");
    // The months a vintage had not published yet are cells without a value.
    assert_eq!(summary.cells_without_value, 3);
}

#[test]
fn a_changed_value_is_a_new_vintage() {
    // A made-up series: the parser's rule, not a published figure.
    let text = "observation_date,TEST_20200103,TEST_20200207,TEST_20200306\n\
                2019-11-01,1.0,1.5,1.5\n\
                2019-12-01,.,2.0,2.25\n";
    let (summary, collected) = parse_bytes("TEST.csv", text.as_bytes(), None);
    summary.unwrap();
    let values: Vec<String> = collected
        .observations
        .iter()
        .map(|(_, observation, _)| {
            format!(
                "{} {} {}",
                observation.period,
                observation.vintage.unwrap(),
                observation.value
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            "2019-11 2020-01-03 1",
            "2019-11 2020-02-07 1.5",
            "2019-12 2020-02-07 2",
            "2019-12 2020-03-06 2.25"
        ]
    );
}

#[test]
fn a_fred_download_does_not_guess_its_seasonal_adjustment() {
    let bytes = std::fs::read(data_dir().join("us/fred/UNRATE.csv")).unwrap();
    let (_, collected) = parse_bytes("UNRATE.csv", &bytes, None);
    let meta = collected.meta("fred.UNRATE");
    assert_eq!(meta.seasonal_adjustment, SeasonalAdjustment::Unknown);
    assert_eq!(meta.title_en, "UNRATE");
}
