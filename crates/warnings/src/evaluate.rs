//! Evaluation of a rule set at one `as_of`: signals per subject, then alert episodes with
//! hysteresis, minimum periods, cooldown and de-duplication.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroUsize;

use domain::{Date, IndustryCode, Period, SeriesId};
use indicators::{SahmOptions, StlCache, StlOptions, TimeSeries};

use crate::catalogue::KnownSeries;
use crate::parallel;
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

/// How [`evaluate_with`] runs; the alerts never depend on it.
#[derive(Debug, Clone, Copy)]
pub struct EvaluateOptions<'a> {
    /// Threads the subjects of series rules are spread over.
    pub threads: NonZeroUsize,
    /// Where the `stl` transform looks for (and leaves) its results, so that unchanged data
    /// is not adjusted again.
    pub stl_cache: Option<&'a StlCache>,
}

impl Default for EvaluateOptions<'_> {
    /// As many threads as the machine offers, no STL cache.
    fn default() -> Self {
        EvaluateOptions {
            threads: std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN),
            stl_cache: None,
        }
    }
}

/// Evaluates every rule on the catalogue as known at `as_of` and returns every alert
/// episode in that history (open and closed), in rule-file order, then subject, then
/// opening period. Mutes and acknowledgements of `state` are attached, never used to
/// drop an alert. Deterministic: the same arguments give the same alerts, on however many
/// threads (all the machine offers; see [`evaluate_with`]) the subjects were spread.
pub fn evaluate(
    rules: &RuleSet,
    catalogue: &Catalogue,
    state: &AlertState,
    as_of: Date,
) -> Result<Vec<Alert>, WarningError> {
    evaluate_with(rules, catalogue, state, as_of, &EvaluateOptions::default())
}

/// [`evaluate`] with explicit [`EvaluateOptions`].
pub fn evaluate_with(
    rules: &RuleSet,
    catalogue: &Catalogue,
    state: &AlertState,
    as_of: Date,
    options: &EvaluateOptions<'_>,
) -> Result<Vec<Alert>, WarningError> {
    let known = catalogue.known_at(as_of, options.threads)?;
    // A series rule looks at one subject at a time, so each subject is taken through every
    // series rule at once: its transforms (STL above all) are computed once for all of
    // them, and subjects can go to different threads.
    let series_rules: Vec<&Rule> = rules
        .rules
        .iter()
        .filter(|rule| {
            !matches!(
                rule.kind,
                RuleKind::Breadth { .. } | RuleKind::Composite { .. }
            )
        })
        .collect();
    let mut by_subject: Vec<Vec<Option<SubjectOutcome>>> =
        parallel::map_in_order(options.threads, &known, |subject| {
            let transforms = Transforms::of(&subject.series, options.stl_cache);
            series_rules
                .iter()
                .map(|rule| {
                    let selected = rule
                        .select
                        .as_ref()
                        .is_some_and(|select| select.matches(subject.meta));
                    selected.then(|| subject_outcome(rule, subject, &transforms, as_of))
                })
                .collect()
        });
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(rules.rules.len());
    let mut outcome_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut series_rule = 0;
    for rule in &rules.rules {
        let earlier = |id: &str| outcome_of.get(id).map(|&index| &outcomes[index]);
        let outcome = match &rule.kind {
            RuleKind::Breadth {
                of,
                measure,
                at_least,
            } => breadth(
                rule,
                (of, earlier(of)),
                *measure,
                *at_least,
                options.threads,
                as_of,
            ),
            RuleKind::Composite {
                rules: components,
                require,
                at_least,
            } => {
                let components: Vec<(&str, Option<&Outcome>)> = components
                    .iter()
                    .map(|id| (id.as_str(), earlier(id)))
                    .collect();
                composite(rule, &components, *require, *at_least, as_of)
            }
            _ => {
                let subjects = by_subject
                    .iter_mut()
                    .filter_map(|outcomes| outcomes[series_rule].take())
                    .collect();
                series_rule += 1;
                Outcome { subjects }
            }
        };
        outcome_of.insert(rule.id.as_str(), outcomes.len());
        outcomes.push(outcome);
    }
    // Sized first: a growing vector would move every alert again on each doubling.
    let count = outcomes
        .iter()
        .map(|outcome| outcome.alerts().count())
        .sum();
    let mut alerts: Vec<Alert> = Vec::with_capacity(count);
    for subject in outcomes.into_iter().flat_map(|outcome| outcome.subjects) {
        alerts.extend(subject.alerts);
    }
    for alert in &mut alerts {
        state.annotate(alert);
    }
    Ok(alerts)
}

/// What one rule produced, per subject in subject order.
struct Outcome {
    subjects: Vec<SubjectOutcome>,
}

impl Outcome {
    fn alerts(&self) -> impl Iterator<Item = &Alert> {
        self.subjects.iter().flat_map(|subject| &subject.alerts)
    }
}

struct SubjectOutcome {
    subject: Subject,
    /// The periods at which the subject had a measure, in order.
    evaluated: Vec<Period>,
    /// Its alert episodes, in opening order.
    alerts: Vec<Alert>,
}

/// A subject's series under each transform, computed on first use and shared by the rules.
struct Transforms<'a> {
    series: &'a TimeSeries,
    stl_cache: Option<&'a StlCache>,
    moving_average_3: OnceCell<TimeSeries>,
    yoy_pct: OnceCell<TimeSeries>,
    /// `None` when the series is too short or has gaps for STL.
    seasonally_adjusted: OnceCell<Option<TimeSeries>>,
}

impl<'a> Transforms<'a> {
    fn of(series: &'a TimeSeries, stl_cache: Option<&'a StlCache>) -> Transforms<'a> {
        Transforms {
            series,
            stl_cache,
            moving_average_3: OnceCell::new(),
            yoy_pct: OnceCell::new(),
            seasonally_adjusted: OnceCell::new(),
        }
    }

    fn get(&self, transform: Transform) -> Option<&TimeSeries> {
        match transform {
            Transform::None => Some(self.series),
            Transform::MovingAverage3 => Some(
                self.moving_average_3
                    .get_or_init(|| indicators::moving_average_3(self.series)),
            ),
            Transform::YoyPct => Some(
                self.yoy_pct
                    .get_or_init(|| indicators::yoy_pct(self.series)),
            ),
            Transform::SeasonallyAdjusted => self
                .seasonally_adjusted
                .get_or_init(|| {
                    let options = StlOptions {
                        robust: true,
                        ..StlOptions::default()
                    };
                    let adjusted = match self.stl_cache {
                        Some(cache) => cache.seasonally_adjust(self.series, &options),
                        None => indicators::seasonally_adjust(self.series, &options),
                    };
                    // Too short or gappy for STL means no adjusted values yet, hence no measure.
                    adjusted.ok()
                })
                .as_ref(),
        }
    }
}

fn subject_outcome(
    rule: &Rule,
    subject: &KnownSeries<'_>,
    transforms: &Transforms<'_>,
    as_of: Date,
) -> SubjectOutcome {
    let measure = measure(rule, transforms);
    let lookback = lookback_months(rule, subject.series.frequency().step_months());
    let id = Subject::Series(subject.meta.id.clone());
    let alerts = episodes(&measure, rule)
        .into_iter()
        .map(|episode| {
            let end = episode.last_period.end_month_index();
            let inputs = subject
                .values_ending_in(end.saturating_sub(lookback), end)
                .iter()
                .map(|known| InputValue {
                    period: known.period,
                    value: known.value,
                    vintage: known.vintage,
                })
                .collect();
            episode.into_alert(
                rule,
                id.clone(),
                subject.meta.industry.clone(),
                inputs,
                Vec::new(),
                as_of,
            )
        })
        .collect();
    SubjectOutcome {
        subject: id,
        evaluated: measure.iter().map(|(period, _)| *period).collect(),
        alerts,
    }
}

/// The rule's measure of one subject series; fewer points (never an error) where history
/// is too short, as in the indicators crate.
fn measure(rule: &Rule, transforms: &Transforms<'_>) -> Vec<(Period, f64)> {
    let Some(transformed) = transforms.get(rule.transform) else {
        return Vec::new();
    };
    match &rule.kind {
        RuleKind::Change { periods, mode } => transformed
            .points()
            .iter()
            .enumerate()
            .filter_map(|(index, &(period, value))| {
                // Rule parsing bounds `periods`; a larger one simply finds no earlier value.
                let before = transformed.lagged(index, i32::try_from(*periods).ok()?)?;
                let change = match mode {
                    ChangeMode::Absolute => value - before,
                    ChangeMode::Percent if before != 0.0 => 100.0 * (value / before - 1.0),
                    ChangeMode::Percent => return None,
                };
                change.is_finite().then_some((period, change))
            })
            .collect(),
        RuleKind::Sahm { already_averaged } => indicators::sahm(
            transformed,
            SahmOptions {
                already_averaged: *already_averaged,
                ..SahmOptions::default()
            },
        )
        .points()
        .to_vec(),
        // The window is checked to be at least 2 when the rule is parsed.
        RuleKind::ZScore { window } => indicators::zscore_trailing(transformed, *window)
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

/// The end months at which some subject of some outcome was evaluated, over their whole
/// span, each with the period label it is reported under.
struct Grid {
    first_end: i32,
    labels: Vec<Option<Period>>,
}

impl Grid {
    fn spanning(outcomes: &[&Outcome]) -> Grid {
        let (first_end, last_end) = outcomes
            .iter()
            .flat_map(|outcome| &outcome.subjects)
            .flat_map(|subject| {
                subject
                    .evaluated
                    .first()
                    .into_iter()
                    .chain(subject.evaluated.last())
            })
            .map(|period| period.end_month_index())
            .fold((i32::MAX, i32::MIN), |(first, last), end| {
                (first.min(end), last.max(end))
            });
        let len = usize::try_from(i64::from(last_end) - i64::from(first_end) + 1).unwrap_or(0);
        Grid {
            first_end,
            labels: vec![None; len],
        }
    }

    fn slot(&self, end: i32) -> usize {
        (end - self.first_end) as usize
    }

    fn end(&self, slot: usize) -> i32 {
        self.first_end + slot as i32
    }

    /// Labelled slots in time order.
    fn periods(&self) -> impl Iterator<Item = (usize, Period)> + '_ {
        self.labels
            .iter()
            .enumerate()
            .filter_map(|(slot, label)| Some((slot, (*label)?)))
    }
}

/// The level of the first of `alerts` (in opening order) that is active at `end`.
fn level_at(alerts: &[Alert], end: i32) -> Option<Level> {
    alerts
        .iter()
        .take_while(|alert| alert.opened.end_month_index() <= end)
        .find_map(|alert| alert.active_at(end))
}

/// Subjects a breadth rule tallies per task.
const TALLY_SUBJECTS: usize = 64;

/// A breadth rule's counts over some of its component's subjects, per grid slot.
struct Tally {
    /// The last of these subjects' labels.
    labels: Vec<Option<Period>>,
    subjects: Vec<u32>,
    triggered: Vec<u32>,
}

fn tally(outcomes: &[SubjectOutcome], grid: &Grid, at_least: Level) -> Tally {
    let slots = grid.labels.len();
    let mut tally = Tally {
        labels: vec![None; slots],
        subjects: vec![0; slots],
        triggered: vec![0; slots],
    };
    // One pass over each subject's periods and alerts together, both in time order.
    for outcome in outcomes {
        let mut alerts = outcome.alerts.as_slice();
        for period in &outcome.evaluated {
            let end = period.end_month_index();
            let slot = grid.slot(end);
            tally.labels[slot] = Some(*period);
            tally.subjects[slot] += 1;
            // An alert closed by now stays closed at every later period.
            while let [first, rest @ ..] = alerts
                && first
                    .closed
                    .is_some_and(|closed| closed.end_month_index() <= end)
            {
                alerts = rest;
            }
            if level_at(alerts, end).is_some_and(|level| level >= at_least) {
                tally.triggered[slot] += 1;
            }
        }
    }
    tally
}

fn breadth(
    rule: &Rule,
    (of, component): (&str, Option<&Outcome>),
    measure: BreadthMeasure,
    at_least: Level,
    threads: NonZeroUsize,
    as_of: Date,
) -> Outcome {
    // Parsing guarantees `of` names an earlier rule, so its outcome is always there.
    let Some(component) = component else {
        return aggregate_outcome(rule, &[], |_| Vec::new(), as_of);
    };
    let mut grid = Grid::spanning(&[component]);
    let parts: Vec<&[SubjectOutcome]> = component.subjects.chunks(TALLY_SUBJECTS).collect();
    let tallies = parallel::map_in_order(threads, &parts, |part| tally(part, &grid, at_least));
    // In subject order: counts add up, and every subject labels its periods, the last
    // label standing.
    let mut subjects = vec![0_u32; grid.labels.len()];
    let mut triggered = vec![0_u32; grid.labels.len()];
    for part in tallies {
        for (slot, label) in part.labels.into_iter().enumerate() {
            if label.is_some() {
                grid.labels[slot] = label;
            }
            subjects[slot] += part.subjects[slot];
            triggered[slot] += part.triggered[slot];
        }
    }
    let points: Vec<(Period, f64)> = grid
        .periods()
        .map(|(slot, period)| {
            let value = match measure {
                BreadthMeasure::Share => f64::from(triggered[slot]) / f64::from(subjects[slot]),
                BreadthMeasure::Count => f64::from(triggered[slot]),
            };
            (period, value)
        })
        .collect();
    // Contributors are listed only where an episode needs them, not at every period.
    let contributors_at = |end: i32| {
        component
            .subjects
            .iter()
            .filter(|outcome| {
                outcome
                    .evaluated
                    .binary_search_by_key(&end, |period| period.end_month_index())
                    .is_ok()
            })
            .filter_map(|outcome| {
                let level = level_at(&outcome.alerts, end).filter(|level| *level >= at_least)?;
                Some(Contributor {
                    rule_id: of.to_owned(),
                    subject: outcome.subject.clone(),
                    level,
                })
            })
            .collect()
    };
    aggregate_outcome(rule, &points, contributors_at, as_of)
}

fn composite(
    rule: &Rule,
    components: &[(&str, Option<&Outcome>)],
    require: Require,
    at_least: Level,
    as_of: Date,
) -> Outcome {
    let present: Vec<&Outcome> = components
        .iter()
        .filter_map(|(_, outcome)| *outcome)
        .collect();
    let mut grid = Grid::spanning(&present);
    for outcome in &present {
        for subject in &outcome.subjects {
            for period in &subject.evaluated {
                // The first label of an end month stands.
                let slot = grid.slot(period.end_month_index());
                grid.labels[slot].get_or_insert(*period);
            }
        }
    }
    let active_enough =
        |alert: &Alert, end: i32| alert.active_at(end).filter(|level| *level >= at_least);
    // Per slot, how many components have an alert at `at_least` or above there; each
    // alert marks only the slots of its own episode.
    let mut satisfied = vec![0_usize; grid.labels.len()];
    for (_, outcome) in components {
        let mut active = vec![false; grid.labels.len()];
        for alert in outcome.iter().flat_map(|outcome| outcome.alerts()) {
            let opened = alert.opened.end_month_index().max(grid.first_end);
            let until = alert
                .closed
                .map_or(i32::MAX, Period::end_month_index)
                .min(grid.end(grid.labels.len()));
            for end in opened..until {
                let slot = grid.slot(end);
                if grid.labels[slot].is_some() && active_enough(alert, end).is_some() {
                    active[slot] = true;
                }
            }
        }
        for (count, active) in satisfied.iter_mut().zip(active) {
            *count += usize::from(active);
        }
    }
    let points: Vec<(Period, f64)> = grid
        .periods()
        .map(|(slot, period)| {
            let holds = match require {
                Require::All => satisfied[slot] == components.len(),
                Require::Any => satisfied[slot] > 0,
            };
            (period, if holds { 1.0 } else { 0.0 })
        })
        .collect();
    let contributors_at = |end: i32| {
        components
            .iter()
            .flat_map(|(rule_id, outcome)| {
                outcome
                    .iter()
                    .flat_map(|outcome| outcome.alerts())
                    .filter_map(move |alert| {
                        Some(Contributor {
                            rule_id: (*rule_id).to_owned(),
                            subject: alert.subject.clone(),
                            level: active_enough(alert, end)?,
                        })
                    })
            })
            .collect()
    };
    aggregate_outcome(rule, &points, contributors_at, as_of)
}

fn aggregate_outcome(
    rule: &Rule,
    points: &[(Period, f64)],
    contributors_at: impl Fn(i32) -> Vec<Contributor>,
    as_of: Date,
) -> Outcome {
    let alerts = episodes(points, rule)
        .into_iter()
        .map(|episode| {
            let contributors = contributors_at(episode.last_period.end_month_index());
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
        subjects: vec![SubjectOutcome {
            subject: Subject::Aggregate,
            evaluated: points.iter().map(|(period, _)| *period).collect(),
            alerts,
        }],
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
