//! Warning tests: rule files, the level state machine on small series, selection by
//! metadata, the watch-list, and real-time backtests on the real files in data/.

mod backtests;
mod episodes;
mod properties;
mod rule_files;
mod support;
