//! An alert episode and its parts: what `evaluate` returns and the store keeps.

use std::fmt;

use domain::{Date, IndustryCode, Period, SeriesId};

use crate::Level;
use crate::state::{Acknowledgement, Mute};

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

    /// The level at the end month `end_month` while the episode runs there.
    pub(crate) fn active_at(&self, end_month: i32) -> Option<Level> {
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
