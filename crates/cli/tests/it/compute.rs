//! `lmo compute` on any store: indicators are computed where their inputs exist.

use crate::support::{Lmo, data};

/// The values of a series as `lmo series show --json` prints them, by period.
fn values(lmo: &Lmo, id: &str) -> Vec<(String, f64)> {
    lmo.json(&["series", "show", id, "--json"])["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["period"].as_str().unwrap().to_owned(),
                row["value"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_fred_unemployment_rate_alone_gives_fred_s_sahm_rule() {
    let lmo = Lmo::sqlite();
    let meta = lmo.path("unrate-meta.csv");
    std::fs::write(
        &meta,
        "series_id,title_en,frequency,seasonal_adjustment,tags,direction\n\
         fred.UNRATE,Unemployment rate,monthly,sa,headline-unemployment,higher_is_worse\n",
    )
    .unwrap();
    lmo.ok(&[
        "ingest",
        &data("us/fred/UNRATE.csv"),
        meta.to_str().unwrap(),
    ]);

    let run = lmo.run(&["compute", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // What the store lacks is named, not an error.
    assert!(
        run.stderr
            .contains("its component hk.panel.unemployment_rate_sa is not in the store"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("no series in the store carries the tags payroll-employment (monthly)"),
        "{}",
        run.stderr
    );

    let ours = values(&lmo, "lmo.sahm.fred.UNRATE");
    lmo.ok(&["ingest", &data("us/fred/SAHMCURRENT.csv")]);
    let fred: std::collections::BTreeMap<String, f64> =
        values(&lmo, "fred.SAHMCURRENT").into_iter().collect();
    let compared: Vec<f64> = ours
        .iter()
        .filter_map(|(period, value)| fred.get(period).map(|published| (value - published).abs()))
        .collect();
    assert!(
        compared.len() > 850,
        "only {} months in common",
        compared.len()
    );
    let worst = compared.iter().copied().fold(0.0, f64::max);
    assert!(
        worst <= 0.01,
        "largest difference from SAHMCURRENT: {worst} pp"
    );
}

/// A derived series is never silently out of date: once an input changes, `series show`
/// says so and how to refresh it; after `lmo compute` it is current again.
#[test]
fn a_derived_series_says_when_its_inputs_changed() {
    let lmo = Lmo::sqlite();
    let meta = lmo.path("unrate-meta.csv");
    std::fs::write(
        &meta,
        "series_id,title_en,frequency,tags\nfred.UNRATE,Unemployment rate,monthly,headline-unemployment\n",
    )
    .unwrap();
    let unrate = std::fs::read_to_string(data("us/fred/UNRATE.csv")).unwrap();
    let first = lmo.path("UNRATE.csv");
    // All but the last month, then the whole file: the second import adds a month.
    let lines: Vec<&str> = unrate.lines().collect();
    std::fs::write(&first, lines[..lines.len() - 1].join("\n") + "\n").unwrap();
    lmo.ok(&["ingest", meta.to_str().unwrap(), first.to_str().unwrap()]);
    lmo.ok(&["compute", "--indicators", "us"]);
    let current = lmo.run(&["series", "show", "lmo.sahm.fred.UNRATE", "--csv"]);
    assert!(
        !current.stderr.contains("out of date"),
        "{}",
        current.stderr
    );

    std::fs::write(&first, &unrate).unwrap();
    lmo.ok(&["ingest", first.to_str().unwrap()]);
    let stale = lmo.run(&["series", "show", "lmo.sahm.fred.UNRATE", "--csv"]);
    assert!(
        stale.stderr.contains(
            "note: lmo.sahm.fred.UNRATE is out of date: fred.UNRATE changed after it was computed; `lmo compute` refreshes it"
        ),
        "{}",
        stale.stderr
    );
    lmo.ok(&["compute", "--indicators", "us"]);
    let refreshed = lmo.run(&["series", "show", "lmo.sahm.fred.UNRATE", "--csv"]);
    assert!(
        !refreshed.stderr.contains("out of date"),
        "{}",
        refreshed.stderr
    );
}
