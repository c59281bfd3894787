//! `lmo talent …` and `lmo ai-exposure`.
use std::path::PathBuf;

use clap::{Args as ClapArgs, Subcommand, ValueEnum};

use super::{OutputArgs, parse_date};

#[derive(Debug, Subcommand)]
pub(crate) enum TalentCommand {
    /// The industry talent-demand map (行業人才需求地圖): each industry's persons engaged, vacancies and their changes, with its shortage rating.
    Map(TalentArgs),
    /// Shortage ratings (shortage, balanced, surplus) per industry and per occupation, every signal shown, with confidence and driver.
    Ratings(RatingsArgs),
    /// The talent gap by Manpower Projection level, 1 to 5 years ahead with prediction intervals, its backtest, and the 2023 Manpower Projection beside it.
    Forecast(TalentArgs),
    /// The talent-needs catalogue (本地化產業人才需求目錄): per industry, occupations in shortage with level, driver and evidence.
    Catalogue(CatalogueArgs),
    /// Hong Kong's Talent List (人才清單) beside local statistics; professions imported where local people are available are flagged.
    TalentList(TalentListArgs),
}

/// What every talent command takes.
#[derive(Debug, ClapArgs)]
pub(crate) struct TalentArgs {
    /// Use the data known on this date (default: today in Hong Kong).
    #[arg(long, value_parser = parse_date)]
    pub(crate) as_of: Option<domain::Date>,
    /// The shortage method's weights and thresholds, a TOML file like the bundled
    /// crates/talent/config/talent.toml (the default).
    #[arg(long, value_name = "FILE")]
    pub(crate) method: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct RatingsArgs {
    #[command(flatten)]
    pub(crate) common: TalentArgs,
    /// Rate the US occupation files instead (OEWS May 2021, BLS projections 2020-30, by
    /// ISCO-08 sub-major group through the BLS crosswalk), not the store.
    #[arg(long)]
    pub(crate) us: bool,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CatalogueArgs {
    #[command(flatten)]
    pub(crate) common: TalentArgs,
    /// Also write the catalogue as one bilingual HTML page to this file, for training bodies.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct TalentListArgs {
    #[command(flatten)]
    pub(crate) common: TalentArgs,
    /// Show the edition that took effect on this date (default: the one in effect on --as-of).
    #[arg(long, value_parser = parse_date)]
    pub(crate) edition: Option<domain::Date>,
    /// Read the editions from this directory of TOML files (the form of `data/hk/talent_list/`)
    /// instead of the bundled ones, e.g. after adding the professions of a full list.
    #[arg(long, value_name = "DIR")]
    pub(crate) list: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum IscoLevelArg {
    #[value(name = "1")]
    Major,
    #[value(name = "2")]
    SubMajor,
    #[value(name = "3")]
    Minor,
    #[value(name = "4")]
    Unit,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct AiExposureArgs {
    /// ISCO-08 level: 1 (major groups), 2 (sub-major), 3 (minor) or 4 (unit groups, as the ILO
    /// scores them).
    #[arg(long, value_enum, default_value = "1")]
    pub(crate) level: IscoLevelArg,
    /// Weight by US employment (OEWS May 2021) and cross with BLS projections, not the store.
    #[arg(long)]
    pub(crate) us: bool,
    #[command(flatten)]
    pub(crate) common: TalentArgs,
}
