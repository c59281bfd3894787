//! The real Hong Kong data shipped inside the binary, so that `lmo demo` works from any clone.
//!
//! The files are the published tables in data/hk/ (provenance in data/SOURCES.md), byte for
//! byte, with the mapping files that say how to read the reshaped ones.

/// One bundled file.
pub struct BundledFile {
    pub name: &'static str,
    pub bytes: &'static [u8],
    /// The mapping file's text, for files that are neither a C&SD table nor a known format.
    pub mapping: Option<(&'static str, &'static str)>,
}

macro_rules! bundled {
    ($file:literal) => {
        BundledFile {
            name: $file,
            bytes: include_bytes!(concat!("../../../data/hk/", $file)),
            mapping: None,
        }
    };
    ($file:literal, $mapping:literal) => {
        BundledFile {
            name: $file,
            bytes: include_bytes!(concat!("../../../data/hk/", $file)),
            mapping: Some((
                $mapping,
                include_str!(concat!("../../../data/hk/", $mapping)),
            )),
        }
    };
}

/// Every bundled Hong Kong file, in import order.
pub const HONG_KONG_FILES: &[BundledFile] = &[
    bundled!(
        "csd_210-06401_unemployment_rate_annual_overall_youth_1985-2025.csv",
        "csd_210-06401_unemployment_rate_annual_overall_youth_1985-2025.map.toml"
    ),
    bundled!("csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv"),
    bundled!("csd_220-19023_payroll_index_by_industry.csv"),
    bundled!(
        "csd_220-23011_median_monthly_wage_annual_2009-2025.csv",
        "csd_220-23011_median_monthly_wage_annual_2009-2025.map.toml"
    ),
    bundled!(
        "csd_310-31001_gdp_per_capita_current_prices_annual_1961-2025.csv",
        "csd_310-31001_gdp_per_capita_current_prices_annual_1961-2025.map.toml"
    ),
    bundled!("csd_310-31002_gdp_pce_current_prices_annual_1999-2025.csv"),
    bundled!("csd_510-60001A_cpi_annual_by_component_1999-2025.csv"),
    bundled!(
        "csd_510-60001_composite_cpi_yoy_monthly_1981-2026.csv",
        "csd_510-60001_composite_cpi_yoy_monthly_1981-2026.map.toml"
    ),
    bundled!(
        "csd_655-82101_four_key_industries_share_of_gdp_2000-2024.csv",
        "csd_655-82101_four_key_industries_share_of_gdp_2000-2024.map.toml"
    ),
    bundled!(
        "csd_dashboard_snapshot_labour_2013-2026.csv",
        "csd_dashboard_snapshot_labour_2013-2026.map.toml"
    ),
    bundled!(
        "csd_quarterly_macro_panel_gdp-yoy_cpi_unemp-sa_1998-2026_4minutes-chung.csv",
        "csd_quarterly_macro_panel_gdp-yoy_cpi_unemp-sa_1998-2026_4minutes-chung.map.toml"
    ),
    bundled!(
        "ld_labour_relations_claims_handled_2015-2023.csv",
        "ld_labour_relations_claims_handled_2015-2023.map.toml"
    ),
    bundled!(
        "mpfa_mpf_system_statistics_snapshots_2008-2024.csv",
        "mpfa_mpf_system_statistics_snapshots_2008-2024.map.toml"
    ),
];
