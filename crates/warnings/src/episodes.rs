//! The level state machine: a rule's measure, period by period, becomes alert episodes that
//! open, escalate, ease and close with hysteresis, minimum periods and cooldown.

use domain::{Date, IndustryCode, Period};

use crate::Level;
use crate::alert::{Alert, Contributor, InputValue, LevelChange, Subject};
use crate::rules::{Rule, Trigger};

/// An episode found by the level state machine, before it becomes an [`Alert`].
pub(crate) struct Episode {
    opened: Period,
    closed: Option<Period>,
    level_changes: Vec<LevelChange>,
    pub(crate) last_period: Period,
    measure: f64,
}

impl Episode {
    pub(crate) fn into_alert(
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
pub(crate) fn episodes(points: &[(Period, f64)], rule: &Rule) -> Vec<Episode> {
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
