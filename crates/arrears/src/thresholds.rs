//! Employer levels (yellow / orange / red), their thresholds and the reasons given.
//!
//! The thresholds are policy, not law, so they live in an editable TOML file; the bundled
//! defaults are `data/thresholds.toml`. [`Thresholds::assess`] is the one place where the
//! facts about an employer become a level and its reasons.

use std::fmt;

use labour_law::Money;
use serde::{Deserialize, Deserializer};

use crate::ArrearsError;

const DEFAULT_TOML: &str = include_str!("../data/thresholds.toml");

/// An employer's warning level, mildest first (the order of `Ord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Yellow,
    Orange,
    Red,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Yellow => "yellow",
            Level::Orange => "orange",
            Level::Red => "red",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Level::Yellow => "黃色",
            Level::Orange => "橙色",
            Level::Red => "紅色",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text.trim() {
            "yellow" => Some(Level::Yellow),
            "orange" => Some(Level::Orange),
            "red" => Some(Level::Red),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an employer is listed, as a short bilingual text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    MpfUnpaid,
    MpfLate,
    MpfShort,
    WagesUnpaid,
    WagesLate,
    WagesShort,
    BelowMinimumWage,
    GroupDispute,
    ManyWorkers,
    SizableEmployer,
    ArrearsOrange,
    ArrearsRed,
    MonthsInDefault,
    RepeatDefaults,
    ReportConfirmed,
    ReportUnconfirmed,
    ReportClaimsGroupDispute,
}

impl Reason {
    /// A stable code for files and the store.
    pub fn code(self) -> &'static str {
        match self {
            Reason::MpfUnpaid => "mpf_unpaid",
            Reason::MpfLate => "mpf_late",
            Reason::MpfShort => "mpf_short",
            Reason::WagesUnpaid => "wages_unpaid",
            Reason::WagesLate => "wages_late",
            Reason::WagesShort => "wages_short",
            Reason::BelowMinimumWage => "below_minimum_wage",
            Reason::GroupDispute => "group_dispute",
            Reason::ManyWorkers => "many_workers",
            Reason::SizableEmployer => "sizable_employer",
            Reason::ArrearsOrange => "arrears_orange",
            Reason::ArrearsRed => "arrears_red",
            Reason::MonthsInDefault => "months_in_default",
            Reason::RepeatDefaults => "repeat_defaults",
            Reason::ReportConfirmed => "report_confirmed",
            Reason::ReportUnconfirmed => "report_unconfirmed",
            Reason::ReportClaimsGroupDispute => "report_claims_group_dispute",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Reason::MpfUnpaid => "MPF contributions unpaid after the contribution day",
            Reason::MpfLate => "MPF contributions paid after the contribution day",
            Reason::MpfShort => "MPF contributions below the mandatory amount",
            Reason::WagesUnpaid => "wages unpaid more than 7 days after the wage period",
            Reason::WagesLate => "wages paid more than 7 days after the wage period",
            Reason::WagesShort => "wages paid short of wages due",
            Reason::BelowMinimumWage => "pay below the statutory minimum wage",
            Reason::GroupDispute => {
                "group dispute: workers affected at the group threshold or more"
            }
            Reason::ManyWorkers => "several workers affected",
            Reason::SizableEmployer => "sizable employer",
            Reason::ArrearsOrange => "arrears above the orange threshold",
            Reason::ArrearsRed => "arrears above the red threshold",
            Reason::MonthsInDefault => "in default for consecutive months",
            Reason::RepeatDefaults => "repeat defaults in the past 12 months",
            Reason::ReportConfirmed => "worker report confirmed by data",
            Reason::ReportUnconfirmed => "worker report, not yet confirmed by data",
            Reason::ReportClaimsGroupDispute => "worker report claims a group dispute",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Reason::MpfUnpaid => "供款日後仍未繳付強積金供款",
            Reason::MpfLate => "強積金供款逾期繳付",
            Reason::MpfShort => "強積金供款少於強制性供款",
            Reason::WagesUnpaid => "工資期結束後七天仍未支付工資",
            Reason::WagesLate => "工資期結束七天後才支付工資",
            Reason::WagesShort => "工資少付",
            Reason::BelowMinimumWage => "工資低於法定最低工資",
            Reason::GroupDispute => "集體勞資糾紛：受影響僱員人數達門檻",
            Reason::ManyWorkers => "涉及多名僱員",
            Reason::SizableEmployer => "規模較大的僱主",
            Reason::ArrearsOrange => "拖欠款額達橙色門檻",
            Reason::ArrearsRed => "拖欠款額達紅色門檻",
            Reason::MonthsInDefault => "連續多月拖欠",
            Reason::RepeatDefaults => "過去十二個月內多次拖欠",
            Reason::ReportConfirmed => "工人舉報已獲數據證實",
            Reason::ReportUnconfirmed => "工人舉報，尚未獲數據證實",
            Reason::ReportClaimsGroupDispute => "工人舉報涉及集體勞資糾紛",
        }
    }
}

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
