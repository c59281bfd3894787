//! `lmo alerts`, `lmo watchlist` and `lmo backtest` on the real Hong Kong data in the store.

use crate::support::{Lmo, SEV, data};

const PANEL: &str =
    "hk/csd_quarterly_macro_panel_gdp-yoy_cpi_unemp-sa_1998-2026_4minutes-chung.csv";

fn hong_kong_store() -> Lmo {
    let lmo = Lmo::sqlite();
    lmo.ok(&["ingest", &data(PANEL), &data(SEV)]);
    lmo
}

#[test]
fn the_hong_kong_backtest_replays_history_against_gdp_downturns() {
    let lmo = hong_kong_store();
    let report = lmo.json(&[
        "backtest",
        "--rules",
        "hk-default",
        "--episodes",
        "gdp-downturns:hk.panel.real_gdp.yoy_pct",
        "--from",
        "1998-01",
        "--to",
        "2026-06",
        "--json",
    ]);
    let scores = report["scores"].as_array().unwrap();
    let sahm = scores
        .iter()
        .find(|score| score["rule_id"] == "hk-unemployment-sahm")
        .unwrap();
    // Downturns of two or more negative real-GDP quarters: 1998, 2001, 2008, 2019, 2022.
    assert_eq!(
        sahm["reference_starts"],
        serde_json::json!(["1998-01", "2001-10", "2008-10", "2019-07", "2022-01"])
    );
    // As documented in crates/warnings/rules/README.md: 1998 starts with the data, so it
    // cannot be called; the others are called 0, 3, 6 and 3 months after they start.
    assert_eq!(
        sahm["lead_months"],
        serde_json::json!([null, 0, -3, -6, -3]),
        "{sahm}"
    );
    assert_eq!(sahm["hits"], 4, "{sahm}");
    assert_eq!(sahm["misses"], 1, "{sahm}");
    // Every episode opened in real time: its alarm comes after its data period has ended.
    for episode in report["episodes"].as_array().unwrap() {
        let opened = domain_period_end(episode["opened"].as_str().unwrap());
        let alarm = episode["known_from"].as_str().unwrap();
        assert!(alarm > opened.as_str(), "{episode}");
    }
}

#[test]
fn alerts_and_the_watch_list_depend_on_what_was_known() {
    let lmo = hong_kong_store();
    let alerts_at = |as_of: &str| {
        lmo.json(&["alerts", "--all", "--as-of", as_of, "--json"])
            .as_array()
            .unwrap()
            .clone()
    };
    let early = alerts_at("2004-01-01");
    let late = alerts_at("2026-11-01");
    assert!(late.len() > early.len(), "more history, more episodes");
    for alert in &early {
        assert_eq!(alert["as_of"], "2004-01-01");
        for input in alert["inputs"].as_array().unwrap() {
            assert!(
                input["vintage"].as_str().unwrap() <= "2004-01-01",
                "{alert}"
            );
        }
    }
    let watchlist = lmo.json(&["watchlist", "--as-of", "2009-06-30", "--json"]);
    let ranks: Vec<u64> = watchlist
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, (1..=ranks.len() as u64).collect::<Vec<_>>());
    // Month by month through the global financial crisis: industries enter, then leave.
    let history = lmo.json(&["watchlist", "--history", "2008-01..2011-12", "--json"]);
    let events = history.as_array().unwrap();
    let dates: Vec<&str> = events
        .iter()
        .map(|event| event["as_of"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|pair| pair[0] <= pair[1]), "{dates:?}");
    let count = |change: &str| {
        events
            .iter()
            .filter(|event| event["change"] == change)
            .count()
    };
    assert!(count("entered") >= 5 && count("left") >= 5, "{history}");
    let bad = lmo.run(&["alerts", "--rules", "/no/such/rules.toml"]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr
            .contains("cannot read the rules file /no/such/rules.toml"),
        "{}",
        bad.stderr
    );
}

/// Rules with an STL transform keep their fits in the store: evaluating the same data again,
/// here after an edit of the thresholds, gives what a store that never fitted it gives.
#[test]
fn alerts_from_stl_results_kept_in_the_store_equal_a_fresh_evaluation() {
    let with_rate = || {
        let lmo = Lmo::sqlite();
        let meta = lmo.path("meta.csv");
        std::fs::write(
            &meta,
            "series_id,title_en,frequency,tags,direction\n\
             fred.UNRATENSA,Unemployment rate (NSA),monthly,industry-unemployment-rate,higher_is_worse\n",
        )
        .unwrap();
        lmo.ok(&[
            "ingest",
            meta.to_str().unwrap(),
            &data("us/fred/UNRATENSA.csv"),
        ]);
        lmo
    };
    let edited = |lmo: &Lmo| {
        let rules = lmo.path("edited.toml");
        let shipped = include_str!("../../../warnings/rules/us-industry-unemployment.toml");
        let text = shipped.replace("enter = 0.30", "enter = 0.40");
        assert_ne!(text, shipped);
        std::fs::write(&rules, text).unwrap();
        rules.to_str().unwrap().to_owned()
    };
    let alerts = |lmo: &Lmo, rules: &str| {
        lmo.json(&[
            "alerts",
            "--rules",
            rules,
            "--all",
            "--as-of",
            "2019-12-31",
            "--json",
        ])
    };

    let warm = with_rate();
    let shipped = alerts(&warm, "us-industry-unemployment");
    assert!(shipped.as_array().unwrap().len() > 5, "{shipped}");
    assert_eq!(alerts(&warm, "us-industry-unemployment"), shipped);
    let fresh = with_rate();
    assert_eq!(
        alerts(&warm, &edited(&warm)),
        alerts(&fresh, &edited(&fresh))
    );
}

/// `2008-Q3` → `2008-09-30`-ish: the last month of the period as `YYYY-MM-31`, enough to
/// compare with ISO dates.
fn domain_period_end(period: &str) -> String {
    match period.split_once("-Q") {
        Some((year, quarter)) => {
            let month = quarter.parse::<u32>().unwrap() * 3;
            format!("{year}-{month:02}-31")
        }
        None => format!("{}-31", &period[..7]),
    }
}

#[test]
fn acknowledgements_and_mutes_are_kept_with_user_and_reason() {
    let lmo = hong_kong_store();
    let open = lmo.json(&["alerts", "--json"]);
    let sahm = open
        .as_array()
        .unwrap()
        .iter()
        .find(|alert| alert["rule_id"] == "hk-unemployment-sahm")
        .expect("the Sahm-type rule is open on the 2025-26 rise in unemployment")
        .clone();
    assert_eq!(sahm["needs_attention"], true);
    let id = sahm["id"].as_str().unwrap();
    let acked = lmo.ok(&[
        "alerts",
        "ack",
        id,
        "--reason",
        "raised at the policy meeting",
    ]);
    // Acknowledged by whoever runs lmo: on SQLite, the operating-system user.
    let me = crate::support::os_user();
    assert!(
        acked.starts_with(&format!("acknowledged {id} at level"))
            && acked.ends_with(&format!(" by {me}\n")),
        "{acked}"
    );
    let after = lmo.json(&["alerts", "--json"]);
    let same = after
        .as_array()
        .unwrap()
        .iter()
        .find(|alert| alert["id"] == id)
        .unwrap();
    assert_eq!(same["needs_attention"], false);
    assert_eq!(same["acknowledged_by"], me.as_str());

    let missing = lmo.run(&["alerts", "ack", "no-such/alert/2020-01", "--reason", "x"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("no alert 'no-such/alert/2020-01'"),
        "{}",
        missing.stderr
    );
    let no_reason = lmo.run(&["alerts", "ack", id, "--reason", " "]);
    assert_eq!(no_reason.code, 1, "{}", no_reason.stderr);

    let subject = "csd.215-16001.number_of_vacancies.F";
    lmo.ok(&[
        "alerts",
        "mute",
        "hk-vacancies-yoy-z",
        subject,
        "--until",
        "2026-12",
        "--reason",
        "seasonal projects ended",
    ]);
    let muted = lmo.json(&["alerts", "--json"]);
    let construction = muted
        .as_array()
        .unwrap()
        .iter()
        .find(|alert| alert["subject"] == subject && alert["rule_id"] == "hk-vacancies-yoy-z")
        .unwrap();
    assert_eq!(construction["muted_until"], "2026-12");
    assert_eq!(construction["needs_attention"], false);
}

#[test]
fn compute_stores_the_climate_index_as_derived_series() {
    let lmo = hong_kong_store();
    let derived = lmo.json(&["compute", "--as-of", "2026-06-30", "--json"]);
    let ids: Vec<&str> = derived
        .as_array()
        .unwrap()
        .iter()
        .map(|series| series["id"].as_str().unwrap())
        .collect();
    for expected in [
        "lmo.hk.climate.eti",
        "lmo.hk.climate.lmci.level",
        "lmo.hk.climate.lmci.momentum",
        "lmo.sahm.hk.panel.unemployment_rate_sa",
    ] {
        assert!(ids.contains(&expected), "{expected} missing from {ids:?}");
    }
    // Stored like any other series, with its method and inputs, known from the as-of date.
    let eti = lmo.json(&["series", "show", "lmo.hk.climate.eti", "--json"]);
    assert!(
        eti["tags"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("method:eti-1"))
    );
    assert!(
        eti["source"]
            .as_str()
            .unwrap()
            .contains("hk.panel.unemployment_rate_sa")
    );
    let observations = eti["observations"].as_array().unwrap();
    let base_year: Vec<f64> = observations
        .iter()
        .filter(|point| point["period"].as_str().unwrap().starts_with("2019"))
        .map(|point| point["value"].as_f64().unwrap())
        .collect();
    assert_eq!(base_year.len(), 4);
    let mean = base_year.iter().sum::<f64>() / 4.0;
    assert!(
        (mean - 100.0).abs() < 1e-9,
        "the index averages 100 in its base year: {mean}"
    );
    assert!(
        observations
            .iter()
            .all(|point| point["vintage"] == "2026-06-30")
    );
    // The recomputed vacancy rate rounds to the rate C&SD published: 1.9% in Sep 2025.
    let rate = lmo.json(&["series", "show", "lmo.vacancy_rate.ALL", "--json"]);
    let september = rate["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|point| point["period"] == "2025-09")
        .unwrap()["value"]
        .as_f64()
        .unwrap();
    assert_eq!((september * 10.0).round() / 10.0, 1.9);
    for id in [
        "lmo.yoy_pct.csd.215-16001.number_of_vacancies.G",
        "lmo.stl_adjusted.csd.215-16001.number_of_vacancies.G",
    ] {
        assert!(ids.contains(&id), "{id} missing");
    }
    // Computing again from the same data changes nothing.
    let again = lmo.ok(&["compute", "--as-of", "2026-06-30"]);
    assert!(again.contains("0 values new, 0 revised"), "{again}");
}

#[test]
fn the_mismatch_index_runs_on_a_users_own_series_by_industry() {
    let lmo = Lmo::sqlite();
    // Synthetic counts chosen to check the formula, not published figures: in Q1 the
    // unemployed sit where the vacancies are (M = 0); in Q2 each industry has only one
    // side, the worst mismatch (M = 1).
    let metadata = lmo.path("series.csv");
    std::fs::write(
        &metadata,
        "series_id,title_en,frequency,industry,tags\n\
         t.v.C,Vacancies C,quarterly,C,test-vacancies\n\
         t.v.F,Vacancies F,quarterly,F,test-vacancies\n\
         t.u.C,Unemployed C,quarterly,C,test-unemployed\n\
         t.u.F,Unemployed F,quarterly,F,test-unemployed\n",
    )
    .unwrap();
    let values = lmo.path("values.csv");
    std::fs::write(
        &values,
        "series_id,period,value,vintage\n\
         t.v.C,2025-Q1,100,2025-05-01\nt.v.F,2025-Q1,300,2025-05-01\n\
         t.u.C,2025-Q1,10,2025-05-01\nt.u.F,2025-Q1,30,2025-05-01\n\
         t.v.C,2025-Q2,100,2025-08-01\nt.v.F,2025-Q2,0,2025-08-01\n\
         t.u.C,2025-Q2,0,2025-08-01\nt.u.F,2025-Q2,40,2025-08-01\n",
    )
    .unwrap();
    lmo.ok(&[
        "ingest",
        metadata.to_str().unwrap(),
        values.to_str().unwrap(),
    ]);
    let config = lmo.path("indicators.toml");
    std::fs::write(
        &config,
        "[[mismatch]]\nid = \"t.mismatch\"\ntitle_en = \"Mismatch\"\ntitle_zh = \"錯配\"\n\
         vacancies_tags = [\"test-vacancies\"]\nunemployed_tags = [\"test-unemployed\"]\nby = \"industry\"\n",
    )
    .unwrap();
    lmo.ok(&[
        "compute",
        "--indicators",
        config.to_str().unwrap(),
        "--as-of",
        "2025-12-31",
    ]);
    let mismatch = lmo.json(&["series", "show", "t.mismatch", "--json"]);
    let values: Vec<(String, f64)> = mismatch["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|point| {
            (
                point["period"].as_str().unwrap().to_owned(),
                point["value"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(values.len(), 2, "{values:?}");
    assert!(values[0].1.abs() < 1e-12, "{values:?}");
    assert!((values[1].1 - 1.0).abs() < 1e-12, "{values:?}");
    assert!(
        mismatch["source"]
            .as_str()
            .unwrap()
            .starts_with("lmo sstv_mismatch/1 from")
    );
}

#[test]
fn the_us_backtest_runs_on_the_bls_json_through_a_mapping() {
    // The BLS industry file is JSON records: ingested through its mapping file, the US
    // rule set's backtest gives what crates/warnings/rules/README.md documents.
    let lmo = Lmo::sqlite();
    let ingested = lmo.json(&[
        "ingest",
        "--map",
        &data("us/bls_cps_unemployment_across_industries_2000-2010.map.toml"),
        &data("us/bls_cps_unemployment_across_industries_2000-2010.json"),
        "--json",
    ]);
    let file = &ingested.as_array().unwrap()[0];
    assert_eq!(file["format"], "mapped", "{file}");
    assert_eq!(file["committed"], true, "{file}");
    assert_eq!(file["rejected"], 0, "{file}");
    assert_eq!(file["rows_new"], 1_708, "{file}");
    let report = lmo.json(&[
        "backtest",
        "--rules",
        "us-industry-unemployment",
        "--episodes",
        &data("us/nber_cycle_dates.csv"),
        "--from",
        "2000-01",
        "--to",
        "2010-03",
        "--json",
    ]);
    let scores = report["scores"].as_array().unwrap();
    let score = |rule: &str| {
        scores
            .iter()
            .find(|score| score["rule_id"] == rule)
            .unwrap_or_else(|| panic!("no score for {rule}"))
            .clone()
    };
    for (rule, leads) in [
        ("us-sahm-breadth", [-10, 2]),
        ("us-yoy-breadth", [-6, -4]),
        ("us-broad-downturn", [-9, -3]),
    ] {
        let score = score(rule);
        assert_eq!(
            score["reference_starts"],
            serde_json::json!(["2001-03", "2007-12"]),
            "{score}"
        );
        assert_eq!(score["lead_months"], serde_json::json!(leads), "{score}");
        assert_eq!(score["false_alarms"], 0, "{score}");
    }
}
