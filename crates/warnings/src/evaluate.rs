//! Evaluation of a rule set at one `as_of`: signals per subject, then alert episodes with
//! hysteresis, minimum periods, cooldown and de-duplication.

use std::collections::BTreeMap;
use std::fmt;

use domain::{Date, IndustryCode, Period, SeriesId};
use indicators::{SahmOptions, StlOptions, TimeSeries};

use crate::catalogue::KnownSeries;
use crate::rules::{
    BreadthMeasure, ChangeMode, Require, Rule, RuleKind, RuleSet, Transform, Trigger,
};
use crate::state::{Acknowledgement, AlertState, Mute};
use crate::{Catalogue, Level, WarningError};

/// What an alert is about: one series, or (for breadth and composite rules) the whole
/// set of subjects of other rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    Series(SeriesId),
    Aggregate,
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Series(id) => write!(f, "{id}"),
            Subject::Aggregate => f.write_str("*"),
        }
    }
}

/// One input value of an alert, with the vintage it was read at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InputValue {
    pub period: Period,
    pub value: f64,
    pub vintage: Date,
}

/// The level of an episode from `period` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelChange {
    pub period: Period,
    pub level: Level,
}

/// An alert of another rule that made a breadth or composite alert what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contributor {
    pub rule_id: String,
    pub subject: Subject,
    pub level: Level,
}

/// Identifies one episode across evaluations: acknowledgements attach to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AlertKey {
    pub rule_id: String,
    pub subject: Subject,
    pub opened: Period,
}

/// One alert episode of one rule on one subject: opened once, possibly escalated or
/// eased (`level_changes`), closed once. Everything needed to reproduce it is kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub rule_id: String,
    pub rule_version: u32,
    pub subject: Subject,
    /// From the subject's metadata, for the watch-list.
    pub industry: Option<IndustryCode>,
    pub opened: Period,
    /// The period at which the measure was confirmed back below every exit threshold.
    pub closed: Option<Period>,
    /// The opening level first; one entry per escalation or easing.
    pub level_changes: Vec<LevelChange>,
    /// The last period evaluated while the episode ran (the closing period once closed).
    pub last_period: Period,
    /// The rule's measure at `last_period` (Sahm gap, z-score, share, …).
    pub measure: f64,
    /// The subject's values the measure at `last_period` was computed from.
    pub inputs: Vec<InputValue>,
    /// For breadth and composite rules: the alerts counted at `last_period`.
    pub contributors: Vec<Contributor>,
    pub as_of: Date,
    pub muted: Option<Mute>,
    pub acknowledgement: Option<Acknowledgement>,
}

impl Alert {
    pub fn key(&self) -> AlertKey {
        AlertKey {
            rule_id: self.rule_id.clone(),
            subject: self.subject.clone(),
            opened: self.opened,
        }
    }

    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }

    /// The current level (the last change).
    pub fn level(&self) -> Level {
        self.level_changes
            .last()
            .map_or(Level::Blue, |change| change.level)
    }

    pub fn max_level(&self) -> Level {
        self.level_changes
            .iter()
            .map(|change| change.level)
            .max()
            .unwrap_or(Level::Blue)
    }

    /// Open, not muted, and not acknowledged at its current level or above: someone
    /// should look at it (an escalation after an acknowledgement asks again).
    pub fn needs_attention(&self) -> bool {
        self.is_open()
            && self.muted.is_none()
            && self
                .acknowledgement
                .as_ref()
                .is_none_or(|ack| self.level() > ack.level)
    }

    fn active_at(&self, end_month: i32) -> Option<Level> {
        let opened = self.opened.end_month_index() <= end_month;
        let not_closed = self
            .closed
            .is_none_or(|closed| closed.end_month_index() > end_month);
        (opened && not_closed)
            .then(|| {
                self.level_changes
                    .iter()
                    .rev()
                    .find(|change| change.period.end_month_index() <= end_month)
                    .map(|change| change.level)
            })
            .flatten()
    }
}

/// Evaluates every rule on the catalogue as known at `as_of` and returns every alert
/// episode in that history (open and closed), in rule-file order, then subject, then
/// opening period. Mutes and acknowledgements of `state` are attached, never used to
/// drop an alert. Deterministic: the same arguments give the same alerts.
pub fn evaluate(
    rules: &RuleSet,
    catalogue: &Catalogue,
    state: &AlertState,
    as_of: Date,
) -> Result<Vec<Alert>, WarningError> {
    let known = catalogue.known_at(as_of)?;
    let mut outcomes: BTreeMap<&str, Outcome> = BTreeMap::new();
    let mut alerts = Vec::new();
    for rule in &rules.rules {
        let outcome = match &rule.kind {
            RuleKind::Breadth {
                of,
                measure,
                at_least,
            } => breadth(
                rule,
                (of, outcomes.get(of.as_str())),
                *measure,
                *at_least,
                as_of,
            ),
            RuleKind::Composite {
                rules: components,
                require,
                at_least,
            } => {
                let components: Vec<(&str, Option<&Outcome>)> = components
                    .iter()
                    .map(|id| (id.as_str(), outcomes.get(id.as_str())))
                    .collect();
                composite(rule, &components, *require, *at_least, as_of)
            }
            _ => series_rule(rule, &known, as_of),
        };
        alerts.extend(outcome.alerts.iter().cloned());
        outcomes.insert(rule.id.as_str(), outcome);
    }
    for alert in &mut alerts {
        state.annotate(alert);
    }
    Ok(alerts)
}

/// What one rule produced: the periods it was evaluated at, per subject, and its alerts.
struct Outcome {
    /// Subject → end month → period, where the subject had a measure.
    evaluated: BTreeMap<Subject, BTreeMap<i32, Period>>,
    alerts: Vec<Alert>,
}

fn series_rule(rule: &Rule, known: &[KnownSeries<'_>], as_of: Date) -> Outcome {
    let mut outcome = Outcome {
        evaluated: BTreeMap::new(),
        alerts: Vec::new(),
    };
    let Some(select) = &rule.select else {
        return outcome;
    };
    for subject in known.iter().filter(|subject| select.matches(subject.meta)) {
        let measure = measure(rule, &subject.series);
        let step = subject.series.frequency().step_months();
        let lookback = lookback_months(rule, step);
        let id = Subject::Series(subject.meta.id.clone());
        for episode in episodes(&measure, rule) {
            let end = episode.last_period.end_month_index();
            let inputs = subject
                .values
                .range(end.saturating_sub(lookback)..=end)
                .map(|(_, known)| InputValue {
                    period: known.period,
                    value: known.value,
                    vintage: known.vintage,
                })
                .collect();
            outcome.alerts.push(episode.into_alert(
                rule,
                id.clone(),
                subject.meta.industry.clone(),
                inputs,
                Vec::new(),
                as_of,
            ));
        }
        outcome.evaluated.insert(
            id,
            measure
                .iter()
                .map(|(period, _)| (period.end_month_index(), *period))
                .collect(),
        );
    }
    outcome
}

/// The rule's measure of one subject series; fewer points (never an error) where history
/// is too short, as in the indicators crate.
fn measure(rule: &Rule, series: &TimeSeries) -> Vec<(Period, f64)> {
    let transformed = match rule.transform {
        Transform::None => series.clone(),
        Transform::MovingAverage3 => indicators::moving_average_3(series),
        Transform::YoyPct => indicators::yoy_pct(series),
        Transform::SeasonallyAdjusted => {
            let options = StlOptions {
                robust: true,
                ..StlOptions::default()
            };
            // Too short or gappy for STL means no adjusted values yet, hence no measure.
            match indicators::seasonally_adjust(series, &options) {
                Ok(adjusted) => adjusted,
                Err(_) => return Vec::new(),
            }
        }
    };
    match &rule.kind {
        RuleKind::Change { periods, mode } => {
            // Rule parsing bounds `periods`; saturating keeps any other value harmless.
            let lag = i32::try_from(*periods)
                .unwrap_or(i32::MAX)
                .saturating_mul(transformed.frequency().step_months());
            transformed
                .points()
                .iter()
                .filter_map(|&(period, value)| {
                    let before =
                        transformed.at_end_month(period.end_month_index().checked_sub(lag)?)?;
                    let change = match mode {
                        ChangeMode::Absolute => value - before,
                        ChangeMode::Percent if before != 0.0 => 100.0 * (value / before - 1.0),
                        ChangeMode::Percent => return None,
                    };
                    change.is_finite().then_some((period, change))
                })
                .collect()
        }
        RuleKind::Sahm { already_averaged } => indicators::sahm(
            &transformed,
            SahmOptions {
                already_averaged: *already_averaged,
                ..SahmOptions::default()
            },
        )
        .points()
        .to_vec(),
        // The window is checked to be at least 2 when the rule is parsed.
        RuleKind::ZScore { window } => indicators::zscore_trailing(&transformed, *window)
            .map(|z| z.points().to_vec())
            .unwrap_or_default(),
        _ => transformed.points().to_vec(),
    }
}

/// Months of raw history before a period that its measure reads (the inputs recorded).
fn lookback_months(rule: &Rule, step: i32) -> i32 {
    let own = match &rule.kind {
        RuleKind::Change { periods, .. } => i32::try_from(*periods)
            .unwrap_or(i32::MAX)
            .saturating_mul(step),
        RuleKind::Sahm {
            already_averaged: true,
        } => 12,
        RuleKind::Sahm {
            already_averaged: false,
        } => 12 + 2 * step,
        RuleKind::ZScore { window } => {
            (i32::try_from(*window).unwrap_or(i32::MAX) - 1).saturating_mul(step)
        }
        _ => 0,
    };
    own.saturating_add(rule.transform.lookback_months(step))
}

fn breadth(
    rule: &Rule,
    (of, component): (&str, Option<&Outcome>),
    measure: BreadthMeasure,
    at_least: Level,
    as_of: Date,
) -> Outcome {
    let mut points = Vec::new();
    let mut triggered_at: BTreeMap<i32, Vec<Contributor>> = BTreeMap::new();
    // Parsing guarantees `of` names an earlier rule, so its outcome is always there.
    let Some(component) = component else {
        return aggregate_outcome(rule, &points, &triggered_at, as_of);
    };
    let mut grid: BTreeMap<i32, Period> = BTreeMap::new();
    for periods in component.evaluated.values() {
        grid.extend(periods.iter().map(|(end, period)| (*end, *period)));
    }
    // The component's alerts by subject, in their order, so each period looks only at
    // its subject's few alerts (scanning all of them made breadth quadratic in subjects).
    let mut by_subject: BTreeMap<&Subject, Vec<&Alert>> = BTreeMap::new();
    for alert in &component.alerts {
        by_subject.entry(&alert.subject).or_default().push(alert);
    }
    for (&end, &period) in &grid {
        let mut subjects = 0_usize;
        let mut triggered = Vec::new();
        for (subject, periods) in &component.evaluated {
            if !periods.contains_key(&end) {
                continue;
            }
            subjects += 1;
            let level = by_subject
                .get(subject)
                .into_iter()
                .flatten()
                .find_map(|alert| alert.active_at(end))
                .filter(|level| *level >= at_least);
            if let Some(level) = level {
                triggered.push(Contributor {
                    rule_id: of.to_owned(),
                    subject: subject.clone(),
                    level,
                });
            }
        }
        if subjects == 0 {
            continue;
        }
        let value = match measure {
            BreadthMeasure::Share => triggered.len() as f64 / subjects as f64,
            BreadthMeasure::Count => triggered.len() as f64,
        };
        points.push((period, value));
        triggered_at.insert(end, triggered);
    }
    aggregate_outcome(rule, &points, &triggered_at, as_of)
}

fn composite(
    rule: &Rule,
    components: &[(&str, Option<&Outcome>)],
    require: Require,
    at_least: Level,
    as_of: Date,
) -> Outcome {
    let mut grid: BTreeMap<i32, Period> = BTreeMap::new();
    for outcome in components.iter().filter_map(|(_, outcome)| *outcome) {
        for periods in outcome.evaluated.values() {
            for (end, period) in periods {
                grid.entry(*end).or_insert(*period);
            }
        }
    }
    let mut points = Vec::new();
    let mut active_at: BTreeMap<i32, Vec<Contributor>> = BTreeMap::new();
    for (&end, &period) in &grid {
        let mut satisfied = 0;
        let mut contributors = Vec::new();
        for (rule_id, outcome) in components {
            let active: Vec<Contributor> = outcome
                .iter()
                .flat_map(|outcome| &outcome.alerts)
                .filter_map(|alert| {
                    let level = alert.active_at(end).filter(|level| *level >= at_least)?;
                    Some(Contributor {
                        rule_id: (*rule_id).to_owned(),
                        subject: alert.subject.clone(),
                        level,
                    })
                })
                .collect();
            if !active.is_empty() {
                satisfied += 1;
            }
            contributors.extend(active);
        }
        let holds = match require {
            Require::All => satisfied == components.len(),
            Require::Any => satisfied > 0,
        };
        points.push((period, if holds { 1.0 } else { 0.0 }));
        active_at.insert(end, contributors);
    }
    aggregate_outcome(rule, &points, &active_at, as_of)
}

fn aggregate_outcome(
    rule: &Rule,
    points: &[(Period, f64)],
    contributors_at: &BTreeMap<i32, Vec<Contributor>>,
    as_of: Date,
) -> Outcome {
    let alerts = episodes(points, rule)
        .into_iter()
        .map(|episode| {
            let contributors = contributors_at
                .get(&episode.last_period.end_month_index())
                .cloned()
                .unwrap_or_default();
            episode.into_alert(
                rule,
                Subject::Aggregate,
                None,
                Vec::new(),
                contributors,
                as_of,
            )
        })
        .collect();
    Outcome {
        evaluated: BTreeMap::from([(
            Subject::Aggregate,
            points
                .iter()
                .map(|(period, _)| (period.end_month_index(), *period))
                .collect(),
        )]),
        alerts,
    }
}

/// An episode found by the level state machine, before it becomes an [`Alert`].
struct Episode {
    opened: Period,
    closed: Option<Period>,
    level_changes: Vec<LevelChange>,
    last_period: Period,
    measure: f64,
}

impl Episode {
    fn into_alert(
        self,
        rule: &Rule,
        subject: Subject,
        industry: Option<IndustryCode>,
        inputs: Vec<InputValue>,
        contributors: Vec<Contributor>,
        as_of: Date,
    ) -> Alert {
        Alert {
            rule_id: rule.id.clone(),
            rule_version: rule.version,
            subject,
            industry,
            opened: self.opened,
            closed: self.closed,
            level_changes: self.level_changes,
            last_period: self.last_period,
            measure: self.measure,
            inputs,
            contributors,
            as_of,
            muted: None,
            acknowledgement: None,
        }
    }
}

/// The level state machine over one measure series, in period order.
///
/// * Closed: a period whose measure reaches some level's `enter` extends a streak; when
///   the streak reaches `min_periods` and the cooldown since the last close has passed,
///   an episode opens at the level the current measure enters.
/// * Open at level L: a measure entering a higher level extends an "up" streak (escalate
///   after `min_periods`); a measure below L's `exit` extends a "down" streak (after
///   `min_periods_exit`, step down to the highest level whose `exit` it still reaches, or
///   close when there is none); anything in between holds L and resets both streaks. So
///   a measure oscillating between a level's exit and enter thresholds never flaps.
/// * Cooldown: after a close at measure point i, no episode opens at points i+1 ..= i+cooldown.
fn episodes(points: &[(Period, f64)], rule: &Rule) -> Vec<Episode> {
    let sign = match rule.trigger {
        Trigger::Above => 1.0,
        Trigger::Below => -1.0,
    };
    let entered = |value: f64| {
        rule.levels
            .iter()
            .rev()
            .find(|threshold| sign * value >= sign * threshold.enter)
            .map(|threshold| threshold.level)
    };
    let held = |value: f64| {
        rule.levels
            .iter()
            .rev()
            .find(|threshold| sign * value >= sign * threshold.exit)
            .map(|threshold| threshold.level)
    };
    let mut done = Vec::new();
    let mut open: Option<Episode> = None;
    let mut up_streak = 0_u32;
    let mut down_streak = 0_u32;
    let mut blocked_until: Option<usize> = None;
    for (index, &(period, value)) in points.iter().enumerate() {
        match open.as_mut() {
            None => {
                let Some(level) = entered(value) else {
                    up_streak = 0;
                    continue;
                };
                up_streak += 1;
                let cooled = blocked_until.is_none_or(|until| index > until);
                if up_streak >= rule.min_periods && cooled {
                    open = Some(Episode {
                        opened: period,
                        closed: None,
                        level_changes: vec![LevelChange { period, level }],
                        last_period: period,
                        measure: value,
                    });
                    up_streak = 0;
                    down_streak = 0;
                }
            }
            Some(episode) => {
                episode.last_period = period;
                episode.measure = value;
                let current = episode
                    .level_changes
                    .last()
                    .map_or(Level::Blue, |change| change.level);
                let enter = entered(value);
                let reached = held(value);
                if enter > Some(current) {
                    down_streak = 0;
                    up_streak += 1;
                    if up_streak >= rule.min_periods
                        && let Some(level) = enter
                    {
                        episode.level_changes.push(LevelChange { period, level });
                        up_streak = 0;
                    }
                } else if reached >= Some(current) {
                    up_streak = 0;
                    down_streak = 0;
                } else {
                    up_streak = 0;
                    down_streak += 1;
                    if down_streak >= rule.min_periods_exit {
                        down_streak = 0;
                        if let Some(level) = reached {
                            episode.level_changes.push(LevelChange { period, level });
                        } else {
                            episode.closed = Some(period);
                            blocked_until = Some(index + rule.cooldown_periods as usize);
                        }
                    }
                }
            }
        }
        if open
            .as_ref()
            .is_some_and(|episode| episode.closed.is_some())
        {
            done.extend(open.take());
        }
    }
    done.extend(open);
    done
}
