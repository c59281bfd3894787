//! Warning rules in TOML, alert episodes with hysteresis, the industry watch-list and
//! real-time backtests.
//!
//! Pure: no IO, no clock, no SQL. The caller builds a [`Catalogue`] (series metadata and
//! values with their vintages), parses a [`RuleSet`], and calls [`evaluate`] for an
//! `as_of`; acknowledgements and mutes live in an [`AlertState`] the caller stores. Rule
//! maths is the indicators crate's (`sahm`, `zscore_trailing`, `yoy_pct`, STL); this crate
//! adds levels, episodes and their bookkeeping.

mod aggregate;
mod alert;
mod backtest;
mod catalogue;
mod episodes;
mod error;
mod evaluate;
mod rules;
mod series_rule;
mod state;
mod watchlist;

pub use alert::{Alert, AlertKey, Contributor, InputValue, LevelChange, Subject};
pub use backtest::{
    Backtest, BacktestEpisode, EpisodeScore, ReferenceEpisode, Score, ScoreOptions, backtest,
    backtest_with, downturns, parse_reference_episodes, score_against,
};
pub use catalogue::{Catalogue, KnownValue, SubjectSeries};
pub use error::WarningError;
pub use evaluate::{EvaluateOptions, evaluate, evaluate_with};
pub use rules::{
    BreadthMeasure, ChangeMode, Level, LevelThreshold, Require, Rule, RuleKind, RuleSet, Selector,
    Transform, Trigger, selected_tags,
};
pub use state::{Acknowledgement, AlertState, Mute};
pub use watchlist::{
    WatchChange, WatchEntry, WatchEvent, WatchReason, watchlist, watchlist_history,
};

/// The shipped Hong Kong rules (`rules/hk-default.toml`).
pub const HK_DEFAULT_RULES: &str = include_str!("../rules/hk-default.toml");
/// The shipped US industry-unemployment rules (`rules/us-industry-unemployment.toml`).
pub const US_INDUSTRY_RULES: &str = include_str!("../rules/us-industry-unemployment.toml");
