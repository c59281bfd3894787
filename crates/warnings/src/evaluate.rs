//! Evaluation of a rule set at one `as_of`: each subject through every series rule (spread
//! over threads), then the breadth and composite rules over their outcomes, in rule order.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;

use domain::{Date, Period};
use indicators::StlCache;
use rayon::prelude::*;

use crate::aggregate::{breadth, composite};
use crate::alert::{Alert, Subject};
use crate::rules::{Rule, RuleKind, RuleSet};
use crate::series_rule::{Transforms, subject_outcome};
use crate::state::AlertState;
use crate::{Catalogue, WarningError};

/// How [`evaluate_with`] runs; the alerts never depend on it.
#[derive(Debug, Clone, Copy)]
pub struct EvaluateOptions<'a> {
    /// Threads of the rayon pool the evaluation runs on: the catalogue cut to `as_of`, the
    /// subjects of series rules and the counts of breadth rules are spread over them.
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
    let run = || evaluate_on_current_pool(rules, catalogue, state, as_of, options.stl_cache);
    match rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.get())
        .build()
    {
        Ok(pool) => pool.install(run),
        // Without threads for a pool of its own, rayon's global pool gives the same alerts.
        Err(_) => run(),
    }
}

/// [`evaluate_with`] on the threads of the rayon pool it is called in; every parallel step
/// collects in input order, so the alerts never depend on how many threads there are.
fn evaluate_on_current_pool(
    rules: &RuleSet,
    catalogue: &Catalogue,
    state: &AlertState,
    as_of: Date,
    stl_cache: Option<&StlCache>,
) -> Result<Vec<Alert>, WarningError> {
    let known = catalogue.known_at(as_of)?;
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
    let mut by_subject: Vec<Vec<Option<SubjectOutcome>>> = known
        .par_iter()
        .map(|subject| {
            let transforms = Transforms::of(&subject.series, stl_cache);
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
        })
        .collect();
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
            } => breadth(rule, (of, earlier(of)), *measure, *at_least, as_of),
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
pub(crate) struct Outcome {
    pub(crate) subjects: Vec<SubjectOutcome>,
}

impl Outcome {
    pub(crate) fn alerts(&self) -> impl Iterator<Item = &Alert> {
        self.subjects.iter().flat_map(|subject| &subject.alerts)
    }
}

pub(crate) struct SubjectOutcome {
    pub(crate) subject: Subject,
    /// The periods at which the subject had a measure, in order.
    pub(crate) evaluated: Vec<Period>,
    /// Its alert episodes, in opening order.
    pub(crate) alerts: Vec<Alert>,
}
