//! The talent tables on the bundled Hong Kong files.

use engine::demo::HONG_KONG_FILES;
use engine::talent::{Reference, TalentRun};
use engine::{Container, Engine, ImportRequest, ImportTime, MappingSpec};

fn date(text: &str) -> domain::Date {
    domain::parse_date(text).unwrap()
}

/// A store of the bundled files, as `lmo demo` builds it.
fn bundled_store(dir: &std::path::Path) -> Engine {
    let url = format!("sqlite://{}", dir.join("lmo.sqlite").display());
    let mut engine = Engine::open(&url).unwrap();
    let time = ImportTime {
        imported_at: "2026-12-05T09:00:00+08:00".to_owned(),
        today: date("2026-12-05"),
    };
    for file in HONG_KONG_FILES {
        let mapping = file
            .mapping
            .map(|(name, text)| MappingSpec::parse(name, text).unwrap());
        let report = engine
            .import(
                ImportRequest {
                    name: file.name.to_owned(),
                    reader: Box::new(file.bytes),
                    container: Container::Csv,
                    format: None,
                    mapping: mapping.as_ref(),
                    vintage: None,
                    allow_partial: false,
                    correct: false,
                    rejects_path: dir.join(format!("{}.rejects.csv", file.name)),
                },
                &time,
                &mut |_| {},
            )
            .unwrap();
        assert!(report.committed, "{} did not import", file.name);
    }
    engine
}

/// A compact account of a run: what a reader of the tables relies on.
fn summary(run: &TalentRun) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let economy = &run.ratings.economy;
    writeln!(
        out,
        "economy: vacancy rate {:?}, change {:?}, engaged {:?}",
        economy.vacancy_rate, economy.vacancy_rate_change, economy.persons_engaged_growth
    )
    .unwrap();
    for rated in &run.ratings.industries {
        writeln!(
            out,
            "{:<6} {:<8} {:+.2} {:<6} {:<13} level {:<22} signals {} missing {}",
            rated.code,
            rated.rating.rating.to_string(),
            rated.rating.composite,
            rated.rating.confidence.to_string(),
            rated
                .rating
                .driver
                .map_or_else(String::new, |driver| driver.to_string()),
            rated.level.clone().unwrap_or_default(),
            rated.rating.signals.len(),
            rated.rating.missing.len(),
        )
        .unwrap();
    }
    writeln!(out, "occupations: {:?}", run.ratings.occupations_note).unwrap();
    let gap = &run.gap;
    writeln!(
        out,
        "gap history {:?}..{:?}, model {:?}",
        gap.gap.history.first(),
        gap.gap.history.last(),
        gap.gap
            .model
            .as_ref()
            .map(|model| (model.alpha, model.beta, model.phi))
    )
    .unwrap();
    for score in &gap.backtest_gap.as_ref().unwrap().horizons {
        writeln!(
            out,
            "backtest gap h={} n={} mape {:.1} cov80 {:.2} cov95 {:.2}",
            score.horizon, score.forecasts, score.mape, score.coverage80, score.coverage95
        )
        .unwrap();
    }
    for row in &gap.anchor {
        let forecast = row.forecast.unwrap();
        writeln!(
            out,
            "{} {:<24} published {}-{} lmo {:.0} ({:.0} to {:.0})",
            gap.anchor_year,
            row.key,
            row.published_low,
            row.published_high,
            forecast.mean,
            forecast.lower80,
            forecast.upper80
        )
        .unwrap();
    }
    for row in &run.exposure_major.rows {
        writeln!(
            out,
            "exposure {} {:.3} {}/{} exposed",
            row.code, row.score, row.units_exposed, row.units_scored
        )
        .unwrap();
    }
    writeln!(out, "weights: {}", run.exposure_major.weights).unwrap();
    for row in &run.talent_list.rows {
        writeln!(
            out,
            "talent list {} -> {} {:?} slack {:?}",
            row.profession.name_en,
            row.compared_with,
            row.rating.map(|rating| rating.to_string()),
            row.local_slack
        )
        .unwrap();
    }
    out
}

#[test]
fn the_talent_tables_on_the_bundled_files_say_what_the_numbers_say() {
    let dir = tempfile::tempdir().unwrap();
    let mut engine = bundled_store(dir.path());
    let reference = Reference::load(None, None).unwrap();
    let run: TalentRun = engine.talent(date("2026-08-30"), &reference).unwrap();
    expect_test::expect_file!["talent_summary.txt"].assert_eq(&summary(&run));

    // The economy-wide vacancy rate is C&SD's published 1.9% for September 2025, and the
    // all-industries row of the demand map carries the published 51,452 vacancies.
    let total = &run.demand_map[0];
    assert_eq!(total.vacancies, Some(51_452.0));
    assert_eq!(total.vacancy_rate, Some(1.9));
    // Each rating shows every signal it used with the economy-wide value it was compared with.
    let finance = run
        .ratings
        .industries
        .iter()
        .find(|rated| rated.code == "K")
        .unwrap();
    let vacancy = &finance.rating.signals[0];
    assert_eq!((vacancy.value, vacancy.reference), (2.4, 1.9));
    assert!(vacancy.reference_is_economy_wide);
    // The same store on the same date gives the same tables.
    let again = engine.talent(date("2026-08-30"), &reference).unwrap();
    assert_eq!(run, again);
    // As known a year earlier, the tables use only what was published then: the March 2025
    // survey (its June figures came out in September).
    let earlier = engine.talent(date("2025-08-30"), &reference).unwrap();
    assert_eq!(
        earlier.demand_map[0]
            .period
            .map(|period| period.to_string()),
        Some("2025-03".to_owned())
    );
}

#[test]
fn the_us_occupation_files_run_through_the_same_code_with_the_published_figures() {
    let reference = Reference::load(None, None).unwrap();
    let us = engine::talent::us_run(&reference, domain::IscoLevel::Major).unwrap();
    // BLS OEWS May 2021: 140,886,310 employed in all occupations (published national estimate).
    assert_eq!(us.employment_total, 140_886_310.0);
    // BLS Employment Projections 2020-30: all occupations +7.7% over the decade.
    let yearly = 100.0 * (1.077_f64.powf(0.1) - 1.0);
    assert!((us.economy_growth.unwrap() - yearly).abs() < 1e-9);
    // Published BLS projections of 2020-30 that the file carries as printed.
    let projections = engine::talent::reference::projections().unwrap();
    let change = |title: &str| {
        projections
            .iter()
            .find(|row| row.title == title)
            .map(|row| row.pct_change_2020_2030)
    };
    assert_eq!(change("Nurse practitioners"), Some(52.2));
    assert_eq!(change("Wind turbine service technicians"), Some(68.2));
    assert_eq!(us.ratings.len(), 39);
    assert!(
        us.ratings
            .iter()
            .all(|rated| rated.rating.signals.len() == 1
                && rated.rating.confidence == engine::talent::Confidence::Low)
    );
    // Clerical support workers, weighted by US employment (0.563 in the talent crate's own test).
    let clerical = us
        .exposure
        .rows
        .iter()
        .find(|row| row.code.code() == "4")
        .unwrap();
    assert!(
        (clerical.score - 0.563).abs() < 0.0005,
        "{}",
        clerical.score
    );
    assert!(us.exposure.weighted_by_employment);
    let units = engine::talent::us_run(&reference, domain::IscoLevel::Unit).unwrap();
    let typists = units
        .exposure
        .rows
        .iter()
        .find(|row| row.code.code() == "4131")
        .unwrap();
    assert_eq!(
        typists.demand_class,
        Some(engine::talent::ExposureDemand::Squeeze)
    );
    assert!((typists.demand_change.unwrap() + 36.0).abs() < 0.05);
}
