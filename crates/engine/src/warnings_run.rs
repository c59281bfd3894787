//! Warning rules over the store: alerts and the watch-list for an `as_of`, and backtests.
//!
//! The store keeps every vintage, so the catalogue handed to the `warnings` crate holds the
//! whole history of each selected series and is cut to "what was known" per evaluation date.

use std::path::Path;

use domain::{Date, Period};
use indicators::StlCache;
use store::SeriesFilter;
use store::{AlertAcknowledgement, AlertMute};
use warnings::{
    Acknowledgement, Alert, AlertKey, AlertState, Backtest, Catalogue, EvaluateOptions, KnownValue,
    ReferenceEpisode, RuleSet, ScoreOptions, Subject, SubjectSeries, WatchEntry,
};

use crate::{Engine, EngineError};

/// The rule sets compiled into lmo, by name.
const SHIPPED_RULES: [(&str, &str); 2] = [
    ("hk-default", warnings::HK_DEFAULT_RULES),
    ("us-industry-unemployment", warnings::US_INDUSTRY_RULES),
];

/// A shipped rule set by name (`hk-default`, `us-industry-unemployment`) or a TOML file.
pub fn load_rules(name_or_path: &str) -> Result<RuleSet, EngineError> {
    if let Some((name, text)) = SHIPPED_RULES.iter().find(|(name, _)| *name == name_or_path) {
        return Ok(RuleSet::from_toml(name, text)?);
    }
    let path = Path::new(name_or_path);
    let text = std::fs::read_to_string(path).map_err(|source| EngineError::RulesFile {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(RuleSet::from_toml(name_or_path, &text)?)
}

/// A mute to record: who silences which rule on which subject, until when and why.
#[derive(Debug, Clone, Copy)]
pub struct MuteRequest<'a> {
    pub rule_id: &'a str,
    /// A series id, or `*` for breadth and composite rules.
    pub subject: &'a str,
    pub until: Period,
    pub user: &'a str,
    pub reason: &'a str,
}

/// One rule's record against the reference episodes.
#[derive(Debug, Clone)]
pub struct RuleScore {
    pub rule_id: String,
    pub score: warnings::Score,
}

/// A replay and how each rule did.
#[derive(Debug, Clone)]
pub struct BacktestReport {
    pub backtest: Backtest,
    pub reference: Vec<ReferenceEpisode>,
    pub scores: Vec<RuleScore>,
}

impl Engine {
    /// Every series some rule selects, with every vintage of every value.
    pub fn catalogue(&mut self, rules: &RuleSet) -> Result<Catalogue, EngineError> {
        let selectors: Vec<_> = rules
            .rules
            .iter()
            .filter_map(|rule| rule.select.as_ref())
            .collect();
        let mut catalogue = Catalogue::default();
        for summary in self.store.list_series(&SeriesFilter::default())? {
            if !selectors
                .iter()
                .any(|selector| selector.matches(&summary.meta))
            {
                continue;
            }
            let values = self
                .store
                .history(&summary.meta.id)?
                .into_iter()
                .map(|stored| KnownValue {
                    period: stored.observation.period,
                    value: stored.observation.value,
                    vintage: stored.vintage,
                })
                .collect();
            catalogue.series.push(SubjectSeries {
                meta: summary.meta,
                values,
            });
        }
        Ok(catalogue)
    }

    /// Every alert episode known on `as_of`, open and closed, with the stored
    /// acknowledgements and mutes attached.
    ///
    /// STL results are kept in the store between calls, so that evaluating unchanged data
    /// again (after editing a rule's thresholds, to acknowledge, …) fits no series again.
    pub fn alerts(&mut self, rules: &RuleSet, as_of: Date) -> Result<Vec<Alert>, EngineError> {
        let catalogue = self.catalogue(rules)?;
        let state = self.alert_state()?;
        let stl_cache = StlCache::with_entries(self.store.stl_cache()?);
        let options = EvaluateOptions {
            stl_cache: Some(&stl_cache),
            ..EvaluateOptions::default()
        };
        let alerts = warnings::evaluate_with(rules, &catalogue, &state, as_of, &options)?;
        // Only new fits change what is worth keeping; a rule set without STL leaves the
        // cache of another one alone.
        if stl_cache.fitted() > 0 {
            self.store.replace_stl_cache(&stl_cache.used_entries())?;
        }
        Ok(alerts)
    }

    /// The acknowledgements and mutes in the store's audit trail, the latest of each winning.
    fn alert_state(&mut self) -> Result<AlertState, EngineError> {
        let mut state = AlertState::default();
        for (_, stored) in self.store.acknowledgements()? {
            let key = AlertKey {
                rule_id: stored.rule_id,
                subject: parse_subject(&stored.subject)?,
                opened: stored.opened_period,
            };
            let acknowledgement = Acknowledgement {
                user: stored.user_name,
                reason: stored.reason,
                at: domain::parse_date(&stored.at)
                    .map_err(|error| EngineError::Request(error.to_string()))?,
                level: stored.level,
            };
            state.restore_acknowledgement(key, acknowledgement)?;
        }
        for (_, stored) in self.store.mutes()? {
            let at = domain::parse_date(&stored.at)
                .map_err(|error| EngineError::Request(error.to_string()))?;
            state.mute(
                &stored.rule_id,
                parse_subject(&stored.subject)?,
                stored.until_period,
                &stored.user_name,
                &stored.reason,
                at,
            )?;
        }
        Ok(state)
    }

    /// Records that `user` has seen the open alert `alert_id` (`rule/subject/opened`, as
    /// `lmo alerts` prints it) at its current level; returns the alert.
    pub fn acknowledge(
        &mut self,
        rules: &RuleSet,
        alert_id: &str,
        user: &str,
        reason: &str,
        today: Date,
    ) -> Result<Alert, EngineError> {
        let alerts = self.alerts(rules, today)?;
        let alert = alerts
            .into_iter()
            .find(|alert| alert_id_of(alert) == alert_id)
            .ok_or_else(|| {
                EngineError::Request(format!(
                    "no alert '{alert_id}' in rule set '{}' as of {today}; `lmo alerts` lists them",
                    rules.name
                ))
            })?;
        if !alert.is_open() {
            return Err(EngineError::Request(format!(
                "alert '{alert_id}' closed in {}; only open alerts are acknowledged",
                alert
                    .closed
                    .map(|period| period.to_string())
                    .unwrap_or_default()
            )));
        }
        self.store.add_acknowledgement(&AlertAcknowledgement {
            rule_id: alert.rule_id.clone(),
            subject: alert.subject.to_string(),
            opened_period: alert.opened,
            level: alert.level(),
            user_name: user.to_owned(),
            reason: reason.to_owned(),
            at: today.to_string(),
        })?;
        Ok(alert)
    }

    /// Silences a rule on a subject (`*` for breadth and composite rules) up to a period.
    pub fn mute(
        &mut self,
        rules: &RuleSet,
        request: &MuteRequest<'_>,
        today: Date,
    ) -> Result<(), EngineError> {
        if rules.rule(request.rule_id).is_none() {
            return Err(EngineError::Request(format!(
                "rule set '{}' has no rule '{}'",
                rules.name, request.rule_id
            )));
        }
        parse_subject(request.subject)?;
        self.store.add_mute(&AlertMute {
            rule_id: request.rule_id.to_owned(),
            subject: request.subject.to_owned(),
            until_period: request.until,
            user_name: request.user.to_owned(),
            reason: request.reason.to_owned(),
            at: today.to_string(),
        })?;
        Ok(())
    }

    /// Industries ranked by their open alerts on `as_of`.
    pub fn watchlist(
        &mut self,
        rules: &RuleSet,
        as_of: Date,
    ) -> Result<Vec<WatchEntry>, EngineError> {
        let alerts = self.alerts(rules, as_of)?;
        Ok(warnings::watchlist(&alerts))
    }

    /// Replays the rules month by month from `from` to `to` on the data known at each
    /// month end, and scores every rule against `reference`. Without `from` the replay
    /// starts at the first period of the selected series; without `to` it ends at the month
    /// of their latest vintage.
    pub fn backtest(
        &mut self,
        rules: &RuleSet,
        reference: Vec<ReferenceEpisode>,
        from: Option<Period>,
        to: Option<Period>,
    ) -> Result<BacktestReport, EngineError> {
        let catalogue = self.catalogue(rules)?;
        let values = || catalogue.series.iter().flat_map(|series| &series.values);
        let month = |date: Date| Period::containing(date, domain::Frequency::Monthly).ok();
        let first = values()
            .filter_map(|value| month(value.period.end_date()))
            .min();
        let last = values().filter_map(|value| month(value.vintage)).max();
        let (Some(from), Some(to)) = (from.or(first), to.or(last)) else {
            return Err(EngineError::Request(
                "no series in the store is selected by these rules; import the data first"
                    .to_owned(),
            ));
        };
        let backtest = warnings::backtest(rules, &catalogue, from, to)?;
        let scores = rules
            .rules
            .iter()
            .map(|rule| RuleScore {
                rule_id: rule.id.clone(),
                score: warnings::score_against(
                    &backtest,
                    &reference,
                    &ScoreOptions {
                        rules: vec![rule.id.clone()],
                        ..ScoreOptions::default()
                    },
                ),
            })
            .collect();
        Ok(BacktestReport {
            backtest,
            reference,
            scores,
        })
    }

    /// Industries entering and leaving the watch-list at each month end from `from` to `to`,
    /// each month on the data known then.
    pub fn watchlist_history(
        &mut self,
        rules: &RuleSet,
        from: Period,
        to: Period,
    ) -> Result<Vec<warnings::WatchEvent>, EngineError> {
        let catalogue = self.catalogue(rules)?;
        Ok(warnings::backtest(rules, &catalogue, from, to)?.watchlist)
    }

    /// Reference episodes: `gdp-downturns:SERIES` derives them from a growth series in the
    /// store (two or more consecutive negative periods); anything else is a file in the
    /// NBER `peak,trough` format.
    pub fn reference_episodes(&mut self, spec: &str) -> Result<Vec<ReferenceEpisode>, EngineError> {
        if let Some(series) = spec.strip_prefix("gdp-downturns:") {
            let id = domain::SeriesId::parse(series)
                .map_err(|error| EngineError::Request(error.to_string()))?;
            let (meta, observations) = self.series(&id, None)?;
            let points = observations
                .iter()
                .map(|stored| (stored.observation.period, stored.observation.value))
                .collect();
            let growth = indicators::TimeSeries::new(meta.frequency, points)?;
            return Ok(warnings::downturns(&growth, 2));
        }
        let text = std::fs::read_to_string(spec)
            .map_err(|error| EngineError::Request(format!("cannot read {spec}: {error}")))?;
        Ok(warnings::parse_reference_episodes(spec, &text)?)
    }
}

/// An episode's id as people type it: `rule/subject/opened`.
pub fn alert_id_of(alert: &Alert) -> String {
    format!("{}/{}/{}", alert.rule_id, alert.subject, alert.opened)
}

fn parse_subject(text: &str) -> Result<Subject, EngineError> {
    if text == "*" {
        return Ok(Subject::Aggregate);
    }
    domain::SeriesId::parse(text)
        .map(Subject::Series)
        .map_err(|error| EngineError::Request(error.to_string()))
}
