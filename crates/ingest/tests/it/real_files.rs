//! Every bundled file parses without a reject, and spot values match the published tables.

use domain::{Direction, Frequency, IndustryCode, ObservationStatus};
use expect_test::expect;

use crate::support::{data_dir, parse_file};

#[test]
fn every_bundled_hong_kong_file_parses_cleanly() {
    let mut lines = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(data_dir().join("hk"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "csv"))
        .collect();
    paths.sort();
    for path in paths {
        let (summary, collected) = parse_file(&path);
        let summary = summary.unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert_eq!(collected.rejects, Vec::new(), "{}", path.display());
        lines.push(format!(
            "{}\n    {}: {} rows, {} series, {} observations, {} cells without value, release {}",
            path.file_name().unwrap().to_string_lossy(),
            summary.format.unwrap(),
            summary.rows_read,
            collected.series.len(),
            summary.observations,
            summary.cells_without_value,
            summary
                .release_date
                .map_or("-".to_owned(), |date| date.to_string()),
        ));
    }
    expect![[r#"
        csd_210-06401_unemployment_rate_annual_overall_youth_1985-2025.csv
            mapped: 83 rows, 2 series, 82 observations, 0 cells without value, release -
        csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv
            csd-table: 2287 rows, 154 series, 15210 observations, 652 cells without value, release 2025-12-19
        csd_220-19023_payroll_index_by_industry.csv
            csd-table: 1238 rows, 17 series, 1107 observations, 117 cells without value, release 2026-03-27
        csd_220-23011_median_monthly_wage_annual_2009-2025.csv
            mapped: 35 rows, 2 series, 34 observations, 0 cells without value, release -
        csd_310-31001_gdp_per_capita_current_prices_annual_1961-2025.csv
            mapped: 66 rows, 1 series, 65 observations, 0 cells without value, release -
        csd_310-31002_gdp_pce_current_prices_annual_1999-2025.csv
            csd-api: 55 rows, 2 series, 54 observations, 0 cells without value, release -
        csd_510-60001A_cpi_annual_by_component_1999-2025.csv
            csd-api: 1081 rows, 40 series, 1080 observations, 0 cells without value, release -
        csd_510-60001_composite_cpi_yoy_monthly_1981-2026.csv
            mapped: 539 rows, 1 series, 537 observations, 1 cells without value, release -
        csd_655-82101_four_key_industries_share_of_gdp_2000-2024.csv
            mapped: 101 rows, 4 series, 100 observations, 0 cells without value, release -
        csd_dashboard_snapshot_labour_2013-2026.csv
            mapped: 94 rows, 8 series, 93 observations, 0 cells without value, release -
        csd_quarterly_macro_panel_gdp-yoy_cpi_unemp-sa_1998-2026_4minutes-chung.csv
            mapped: 114 rows, 9 series, 1017 observations, 0 cells without value, release -
        ld_labour_relations_claims_handled_2015-2023.csv
            mapped: 47 rows, 22 series, 67 observations, 25 cells without value, release -
        mpfa_mpf_system_statistics_snapshots_2008-2024.csv
            mapped: 34 rows, 23 series, 33 observations, 0 cells without value, release -"#]].assert_eq(&lines.join("\n"));
}

#[test]
fn sev_vacancies_match_the_published_table() {
    let path = data_dir()
        .join("hk/csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv");
    let (summary, collected) = parse_file(&path);
    let summary = summary.unwrap();
    assert_eq!(summary.release_date.unwrap().to_string(), "2025-12-19");
    // C&SD SEV press release, Sep 2025: 51,452 vacancies, vacancy rate 1.9%, down 22.6% y/y.
    assert_eq!(
        collected.value("csd.215-16001.number_of_vacancies.ALL", "2025-09"),
        51452.0
    );
    assert_eq!(
        collected.value("csd.215-16001.vacancy_rate.ALL", "2025-09"),
        1.9
    );
    assert_eq!(
        collected.value("csd.215-16001.number_of_vacancies.yoy_pct.ALL", "2025-09"),
        -22.6
    );
    assert_eq!(
        collected.value("csd.215-16001.number_of_vacancies.ALL", "2022-12"),
        73148.0
    );
    assert_eq!(
        collected.value("csd.215-16001.number_of_vacancies.G47", "2025-09"),
        3220.0
    );
    let retail = collected.meta("csd.215-16001.number_of_vacancies.G47");
    assert_eq!(retail.frequency, Frequency::Quarterly);
    // Quarterly survey results come out about eleven weeks after the reference month.
    assert_eq!(retail.publication_lag_days, 80);
    assert_eq!(retail.direction, Direction::HigherIsBetter);
    assert_eq!(retail.industry, Some(IndustryCode::parse("G47").unwrap()));
    // The aggregate rows are series of their own.
    for aggregate in ["B+D+E", "M+N", "P+Q+R+S", "G45-46", "ALL"] {
        collected.meta(&format!(
            "csd.215-16001.number_of_persons_engaged.{aggregate}"
        ));
    }
    // `[-§1]`: a decrease of less than 0.05%, stored as zero with its status.
    let (_, below_half, _) = collected
        .observations
        .iter()
        .find(|(id, observation, _)| {
            id.as_str() == "csd.215-16001.number_of_persons_engaged.yoy_pct.H"
                && observation.period.to_string() == "2025-09"
        })
        .unwrap();
    assert_eq!(below_half.value, 0.0);
    assert_eq!(below_half.status, ObservationStatus::BelowHalfUnit);
}

#[test]
fn payroll_index_and_api_tables() {
    let (_, payroll) =
        parse_file(&data_dir().join("hk/csd_220-19023_payroll_index_by_industry.csv"));
    assert_eq!(payroll.series.len(), 17);
    payroll
        .meta("csd.220-19023.nominal_index_of_payroll_per_person_engaged.g_part_of_retail_trade");
    payroll.meta("csd.220-19023.nominal_index_of_payroll_per_person_engaged.85_education");
    assert_eq!(
        payroll
            .meta("csd.220-19023.nominal_index_of_payroll_per_person_engaged.C")
            .unit,
        "index"
    );
    let (_, gdp) = parse_file(
        &data_dir().join("hk/csd_310-31002_gdp_pce_current_prices_annual_1999-2025.csv"),
    );
    assert_eq!(gdp.value("csd.310-31002.cur.total", "1999"), 1_285_946.0);
    assert_eq!(gdp.value("csd.310-31002.cur.pce", "2025"), 2_205_988.0);
}

#[test]
fn mapped_files_keep_periods_and_frequencies() {
    let (_, dashboard) =
        parse_file(&data_dir().join("hk/csd_dashboard_snapshot_labour_2013-2026.csv"));
    // Jul–Sep 2025 SA unemployment rate, C&SD 210-06101.
    assert_eq!(
        dashboard.value("csd.210-06101.unemployment_rate_sa", "2025-09/3M"),
        3.9
    );
    assert_eq!(
        dashboard.value("csd.215-16007.vacancies", "2025-Q3"),
        51452.0
    );
    let (_, panel) = parse_file(
        &data_dir()
            .join("hk/csd_quarterly_macro_panel_gdp-yoy_cpi_unemp-sa_1998-2026_4minutes-chung.csv"),
    );
    // SARS peak: 8.5% in Apr–Jun 2003.
    assert_eq!(panel.value("hk.panel.unemployment_rate_sa", "2003-Q2"), 8.5);
}

#[test]
fn fred_series_are_monthly_with_missing_dots() {
    let (summary, unrate) = parse_file(&data_dir().join("us/fred/UNRATE.csv"));
    summary.unwrap();
    assert_eq!(unrate.meta("fred.UNRATE").frequency, Frequency::Monthly);
    assert_eq!(unrate.value("fred.UNRATE", "2020-04"), 14.7);
    assert!(unrate.rejects.is_empty());
}
