//! Real-time backtests: the rules replayed month by month on the data known at each month
//! end, and the alarms scored against reference episodes (recessions, downturns).

use std::borrow::Cow;
use std::collections::BTreeMap;

use domain::{Date, IndustryCode, Period};
use indicators::TimeSeries;

use crate::alert::Subject;
use crate::evaluate::evaluate;
use crate::state::AlertState;
use crate::watchlist::{WatchEntry, WatchEvent, watchlist, watchlist_history};
use crate::{Catalogue, Level, RuleSet, WarningError};

/// An alert episode as it would have been seen in real time.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestEpisode {
    pub rule_id: String,
    pub subject: Subject,
    pub industry: Option<IndustryCode>,
    pub max_level: Level,
    /// The data period at which the episode opened.
    pub opened: Period,
    /// The first month end at which the open episode was known: the alarm date.
    pub known_from: Date,
    /// The data period at which it closed, `None` if still open at the end of the replay.
    pub closed: Option<Period>,
    /// The first month end at which it was no longer open.
    pub closed_known: Option<Date>,
}

/// Everything a replay produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    /// In order of `known_from`, then rule-file order, then subject.
    pub episodes: Vec<BacktestEpisode>,
    /// Industries entering and leaving the watch-list, month by month.
    pub watchlist: Vec<WatchEvent>,
    /// First and last month ends replayed.
    pub from: Date,
    pub to: Date,
}

/// Replays `rules` at every month end from `from` to `to` (their last months), each time on
/// the catalogue as known at that date (`Catalogue::as_known_at`: the latest vintage of
/// each value on or before it; a file with one vintage gets period end + publication lag
/// from whoever built the catalogue).
///
/// An episode counts from the first month end at which it is open in that month's
/// evaluation until the first month end at which it is not, so episodes that only appear
/// in hindsight (after revisions) are never counted.
pub fn backtest(
    rules: &RuleSet,
    catalogue: &Catalogue,
    from: Period,
    to: Period,
) -> Result<Backtest, WarningError> {
    backtest_with(rules, |_| Ok(Cow::Borrowed(catalogue)), from, to)
}

/// [`backtest`] with the catalogue supplied per month end by `catalogue_at` (e.g. a store
/// query `as_of` that date), for callers that do not hold every vintage in memory.
/// Whatever it returns is still cut to the values known at that date.
pub fn backtest_with<'c>(
    rules: &RuleSet,
    mut catalogue_at: impl FnMut(Date) -> Result<Cow<'c, Catalogue>, WarningError>,
    from: Period,
    to: Period,
) -> Result<Backtest, WarningError> {
    let state = AlertState::default();
    let rule_order: BTreeMap<&str, usize> = rules
        .rules
        .iter()
        .enumerate()
        .map(|(index, rule)| (rule.id.as_str(), index))
        .collect();
    let mut open: BTreeMap<(usize, Subject), BacktestEpisode> = BTreeMap::new();
    let mut finished = Vec::new();
    let mut snapshots: Vec<(Date, Vec<WatchEntry>)> = Vec::new();
    let first = from.end_month_index();
    let last = to.end_month_index();
    for month in first..=last {
        let as_of = month_end(month);
        let catalogue = catalogue_at(as_of)?;
        let alerts = evaluate(rules, &catalogue, &state, as_of)?;
        let mut seen = Vec::new();
        for alert in alerts.iter().filter(|alert| alert.is_open()) {
            let order = rule_order
                .get(alert.rule_id.as_str())
                .copied()
                .unwrap_or(usize::MAX);
            let key = (order, alert.subject.clone());
            let episode = open.entry(key.clone()).or_insert_with(|| BacktestEpisode {
                rule_id: alert.rule_id.clone(),
                subject: alert.subject.clone(),
                industry: alert.industry.clone(),
                max_level: alert.max_level(),
                opened: alert.opened,
                known_from: as_of,
                closed: None,
                closed_known: None,
            });
            episode.max_level = episode.max_level.max(alert.level());
            seen.push(key);
        }
        let ended: Vec<(usize, Subject)> = open
            .keys()
            .filter(|key| !seen.contains(key))
            .cloned()
            .collect();
        for key in ended {
            if let Some(mut episode) = open.remove(&key) {
                // The closing period as evaluated now; the latest closed episode of the same
                // rule and subject is the one that was open last month.
                episode.closed = alerts
                    .iter()
                    .filter(|alert| {
                        alert.rule_id == episode.rule_id && alert.subject == episode.subject
                    })
                    .filter_map(|alert| alert.closed)
                    .max();
                episode.closed_known = Some(as_of);
                finished.push(episode);
            }
        }
        snapshots.push((as_of, watchlist(&alerts)));
    }
    finished.extend(open.into_values());
    finished.sort_by(|a, b| {
        a.known_from
            .cmp(&b.known_from)
            .then_with(|| {
                rule_order
                    .get(a.rule_id.as_str())
                    .cmp(&rule_order.get(b.rule_id.as_str()))
            })
            .then_with(|| a.subject.cmp(&b.subject))
    });
    Ok(Backtest {
        episodes: finished,
        watchlist: watchlist_history(&snapshots),
        from: month_end(first),
        to: month_end(last),
    })
}

fn month_end(end_month_index: i32) -> Date {
    let year = end_month_index.div_euclid(12) as i16;
    let month = (end_month_index.rem_euclid(12) + 1) as u8;
    Date::new(year, month as i8, 1)
        .expect("the month of a period of the data")
        .last_of_month()
}

fn month_index(date: Date) -> i32 {
    i32::from(date.year()) * 12 + i32::from(date.month()) - 1
}

/// A reference episode: a recession from its peak month (the last month of the expansion,
/// NBER's convention) to its trough, or a derived downturn from its first to last month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferenceEpisode {
    pub start: Period,
    pub end: Option<Period>,
}

/// Parses reference episodes in the format of `data/us/nber_cycle_dates.csv`: a `peak,trough`
/// header, then ISO dates; a row without a peak (the first trough) is skipped.
pub fn parse_reference_episodes(
    file: &str,
    text: &str,
) -> Result<Vec<ReferenceEpisode>, WarningError> {
    let error = |line: usize, message: String| WarningError::Reference {
        file: file.to_owned(),
        line,
        message,
    };
    let mut lines = text.lines().enumerate();
    let header = lines
        .next()
        .map(|(_, header)| header.trim_start_matches('\u{feff}').trim());
    if header != Some("peak,trough") {
        return Err(error(1, "expected the header `peak,trough`".into()));
    }
    let mut episodes = Vec::new();
    for (index, row) in lines {
        let line = index + 1;
        let row = row.trim();
        if row.is_empty() {
            continue;
        }
        let (peak, trough) = row
            .split_once(',')
            .ok_or_else(|| error(line, format!("expected `peak,trough`, got '{row}'")))?;
        let month = |text: &str| -> Result<Option<Period>, WarningError> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            let date = domain::parse_date(text).map_err(|e| error(line, e.to_string()))?;
            Period::containing(date, domain::Frequency::Monthly)
                .map(Some)
                .map_err(|e| error(line, e.to_string()))
        };
        let Some(start) = month(peak)? else {
            continue;
        };
        episodes.push(ReferenceEpisode {
            start,
            end: month(trough)?,
        });
    }
    Ok(episodes)
}

/// Downturns from a growth series (e.g. real GDP year-on-year %): every run of at least
/// `min_consecutive` consecutive negative periods, from the first month of its first
/// period to the last month of its last period.
pub fn downturns(growth: &TimeSeries, min_consecutive: usize) -> Vec<ReferenceEpisode> {
    let step = growth.frequency().step_months();
    let mut runs: Vec<Vec<Period>> = Vec::new();
    let mut run: Vec<Period> = Vec::new();
    for &(period, value) in growth.points() {
        let consecutive = run
            .last()
            .is_some_and(|last| period.end_month_index() - last.end_month_index() == step);
        if value < 0.0 && (run.is_empty() || consecutive) {
            run.push(period);
        } else {
            runs.push(std::mem::take(&mut run));
            if value < 0.0 {
                run.push(period);
            }
        }
    }
    runs.push(run);
    runs.into_iter()
        .filter(|run| run.len() >= min_consecutive.max(1))
        .filter_map(|run| {
            let first = run.first()?.start_date();
            let last = run.last()?.end_date();
            Some(ReferenceEpisode {
                start: Period::containing(first, domain::Frequency::Monthly).ok()?,
                end: Some(Period::containing(last, domain::Frequency::Monthly).ok()?),
            })
        })
        .collect()
}

/// Which alarms to score and how far ahead of an episode an alarm still counts.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreOptions {
    /// Rule ids whose episodes are alarms; empty means every rule.
    pub rules: Vec<String>,
    /// Episodes that never reached this level are not alarms.
    pub min_level: Level,
    /// An alarm known up to this many months before a reference episode starts is a hit.
    pub lead_window_months: i32,
    /// So is an alarm known up to this many months after the start, or at any time until
    /// the episode ends if that is later; any other alarm is false.
    pub lag_window_months: i32,
}

impl Default for ScoreOptions {
    fn default() -> ScoreOptions {
        ScoreOptions {
            rules: Vec::new(),
            min_level: Level::Blue,
            lead_window_months: 12,
            lag_window_months: 12,
        }
    }
}

/// The first alarm of one reference episode.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeScore {
    pub reference: ReferenceEpisode,
    /// The earliest alarm in the window, `None` for a miss.
    pub first_alarm: Option<BacktestEpisode>,
    /// Months from the alarm date (`known_from`) to the episode start; negative when the
    /// alarm came after the start.
    pub lead_months: Option<i32>,
}

/// Hits, misses, lead times and false alarms of a backtest against reference episodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// Reference episodes starting within the backtest's span.
    pub episodes: Vec<EpisodeScore>,
    pub hits: usize,
    pub misses: usize,
    pub false_alarms: Vec<BacktestEpisode>,
    /// Months replayed.
    pub months: i32,
    pub false_alarms_per_decade: f64,
}

/// Scores the alarms of `backtest` against `reference`; see [`ScoreOptions`] for what an
/// alarm and a hit are. Lead time is measured from the real-time alarm date, not from the
/// data period, because that is when someone could have acted.
pub fn score_against(
    backtest: &Backtest,
    reference: &[ReferenceEpisode],
    options: &ScoreOptions,
) -> Score {
    let first = month_index(backtest.from);
    let last = month_index(backtest.to);
    let alarms: Vec<&BacktestEpisode> = backtest
        .episodes
        .iter()
        .filter(|episode| options.rules.is_empty() || options.rules.contains(&episode.rule_id))
        .filter(|episode| episode.max_level >= options.min_level)
        .collect();
    let in_span: Vec<ReferenceEpisode> = reference
        .iter()
        .copied()
        .filter(|episode| (first..=last).contains(&episode.start.end_month_index()))
        .collect();
    let window = |episode: &ReferenceEpisode| {
        let start = episode.start.end_month_index();
        let end = episode
            .end
            .map_or(start, Period::end_month_index)
            .max(start + options.lag_window_months);
        (start - options.lead_window_months)..=end
    };
    let episodes: Vec<EpisodeScore> = in_span
        .iter()
        .map(|episode| {
            let range = window(episode);
            let first_alarm = alarms
                .iter()
                .filter(|alarm| range.contains(&month_index(alarm.known_from)))
                .min_by_key(|alarm| alarm.known_from)
                .map(|alarm| (*alarm).clone());
            let lead_months = first_alarm
                .as_ref()
                .map(|alarm| episode.start.end_month_index() - month_index(alarm.known_from));
            EpisodeScore {
                reference: *episode,
                first_alarm,
                lead_months,
            }
        })
        .collect();
    let false_alarms: Vec<BacktestEpisode> = alarms
        .iter()
        .filter(|alarm| {
            let month = month_index(alarm.known_from);
            !reference
                .iter()
                .any(|episode| window(episode).contains(&month))
        })
        .map(|alarm| (*alarm).clone())
        .collect();
    let hits = episodes
        .iter()
        .filter(|episode| episode.first_alarm.is_some())
        .count();
    let months = last - first + 1;
    Score {
        hits,
        misses: episodes.len() - hits,
        false_alarms_per_decade: false_alarms.len() as f64 * 120.0 / f64::from(months.max(1)),
        false_alarms,
        months,
        episodes,
    }
}
