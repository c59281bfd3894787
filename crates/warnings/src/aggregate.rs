//! Breadth and composite rules: alerts over the outcomes of other rules, by how many of a
//! rule's subjects are at a level (breadth) or which rules are (composite).

use domain::{Date, Period};
use rayon::prelude::*;

use crate::Level;
use crate::alert::{Alert, Contributor, Subject};
use crate::episodes::episodes;
use crate::evaluate::{Outcome, SubjectOutcome};
use crate::rules::{BreadthMeasure, Require, Rule};

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

pub(crate) fn breadth(
    rule: &Rule,
    (of, component): (&str, Option<&Outcome>),
    measure: BreadthMeasure,
    at_least: Level,
    as_of: Date,
) -> Outcome {
    // Parsing guarantees `of` names an earlier rule, so its outcome is always there.
    let Some(component) = component else {
        return aggregate_outcome(rule, &[], |_| Vec::new(), as_of);
    };
    let mut grid = Grid::spanning(&[component]);
    let tallies: Vec<Tally> = component
        .subjects
        .par_chunks(TALLY_SUBJECTS)
        .map(|part| tally(part, &grid, at_least))
        .collect();
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

pub(crate) fn composite(
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
