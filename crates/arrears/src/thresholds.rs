//! Employer levels (yellow / orange / red), their thresholds and the reasons given.
//!
//! The thresholds are policy, not law, so they live in an editable TOML file; the bundled
//! defaults are `data/thresholds.toml`. [`Thresholds::assess`] is the one place where the
//! facts about an employer become a level and its reasons.

use labour_law::Money;
use serde::{Deserialize, Deserializer};

use crate::ArrearsError;

const DEFAULT_TOML: &str = include_str!("../data/thresholds.toml");

pub use domain::{ArrearsLevel as Level, Reason};

/// Limits for one level above yellow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelLimits {
    /// `None` for red, whose worker limit is the group dispute.
    #[serde(default)]
    pub workers_affected: Option<u32>,
    #[serde(deserialize_with = "money")]
    pub arrears: Money,
    pub months_in_default: u32,
    pub repeat_defaults: u32,
}

/// The thresholds of the employer levels (see `data/thresholds.toml` for their meaning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub group_dispute_workers: u32,
    pub sizable_headcount: u32,
    pub orange: LevelLimits,
    pub red: LevelLimits,
    pub cases: CaseDeadlines,
}

/// When a case's next step is due, in days (see `data/thresholds.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseDeadlines {
    first_step_days: FirstStepDays,
    pub follow_up_days: u16,
    pub referral_outcome_days: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct FirstStepDays {
    red: u16,
    orange: u16,
    yellow: u16,
}

impl CaseDeadlines {
    /// Days from opening a case of an employer at `level` to its first step.
    pub fn first_step_days(&self, level: Level) -> u16 {
        match level {
            Level::Red => self.first_step_days.red,
            Level::Orange => self.first_step_days.orange,
            Level::Yellow => self.first_step_days.yellow,
        }
    }
}

/// What is known about one employer for one month, as [`Thresholds::assess`] needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmployerFacts {
    /// Any default in this month's data.
    pub in_default: bool,
    pub workers_affected: u32,
    pub arrears: Money,
    /// Consecutive months in default, this one included (0 when not in default).
    pub months_in_default: u32,
    /// Months in default among the 12 before this one.
    pub repeat_defaults: u32,
    pub headcount: u32,
    /// Workers named by the largest report about this employer, if any.
    pub reported_workers: Option<u32>,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        // The bundled file is compiled in and loaded by the crate's tests, so a failure
        // here is a build defect, not bad input.
        Thresholds::from_toml(DEFAULT_TOML).expect("the bundled thresholds.toml loads")
    }
}

impl Thresholds {
    /// The bundled text, for showing or copying as a starting point.
    pub const DEFAULT_TOML: &'static str = DEFAULT_TOML;

    pub fn from_toml(text: &str) -> Result<Thresholds, ArrearsError> {
        toml::from_str(text).map_err(|error| ArrearsError::Thresholds {
            line: error.span().map_or(1, |span| {
                text[..span.start.min(text.len())].matches('\n').count() + 1
            }),
            message: error.message().to_owned(),
        })
    }

    /// The level and reasons for an employer (reasons of the defaults found are the
    /// caller's: they come from the rows), or `None` when nothing is wrong.
    pub fn assess(&self, facts: &EmployerFacts) -> Option<(Level, Vec<Reason>)> {
        let mut reasons = Vec::new();
        if !facts.in_default {
            let workers = facts.reported_workers?;
            reasons.push(Reason::ReportUnconfirmed);
            if workers >= self.group_dispute_workers {
                reasons.push(Reason::ReportClaimsGroupDispute);
                return Some((Level::Orange, reasons));
            }
            return Some((Level::Yellow, reasons));
        }
        let mut level = Level::Yellow;
        let mut raise = |to: Level, reason: Reason| {
            level = level.max(to);
            reasons.push(reason);
        };
        if facts.workers_affected >= self.group_dispute_workers {
            raise(Level::Red, Reason::GroupDispute);
        } else if self
            .orange
            .workers_affected
            .is_some_and(|limit| facts.workers_affected >= limit)
        {
            raise(Level::Orange, Reason::ManyWorkers);
        }
        if facts.arrears >= self.red.arrears {
            raise(Level::Red, Reason::ArrearsRed);
        } else if facts.arrears >= self.orange.arrears {
            raise(Level::Orange, Reason::ArrearsOrange);
        }
        if facts.months_in_default >= self.red.months_in_default {
            raise(Level::Red, Reason::MonthsInDefault);
        } else if facts.months_in_default >= self.orange.months_in_default {
            raise(Level::Orange, Reason::MonthsInDefault);
        }
        if facts.repeat_defaults >= self.red.repeat_defaults {
            raise(Level::Red, Reason::RepeatDefaults);
        } else if facts.repeat_defaults >= self.orange.repeat_defaults {
            raise(Level::Orange, Reason::RepeatDefaults);
        }
        if facts.headcount >= self.sizable_headcount {
            raise(Level::Orange, Reason::SizableEmployer);
        }
        if facts.reported_workers.is_some() {
            reasons.push(Reason::ReportConfirmed);
        }
        Some((level, reasons))
    }
}

fn money<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
    let text = String::deserialize(deserializer)?;
    Money::parse_non_negative(&text).map_err(serde::de::Error::custom)
}
