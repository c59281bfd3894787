//! Acknowledgements and mutes: what people decided about alerts, as pure state that the
//! caller stores and passes back to every evaluation.

use std::collections::BTreeMap;

use domain::{Date, Period};

use crate::alert::{Alert, AlertKey, Subject};
use crate::{Level, WarningError};

/// Someone has seen an episode at `level`; a later escalation asks for attention again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    pub user: String,
    pub reason: String,
    /// When it was acknowledged (passed in: this crate never reads the clock).
    pub at: Date,
    pub level: Level,
}

/// Alerts of one rule on one subject are silenced up to and including `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mute {
    pub until: Period,
    pub user: String,
    pub reason: String,
    pub at: Date,
}

/// Every acknowledgement and mute in force.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertState {
    acknowledgements: BTreeMap<AlertKey, Acknowledgement>,
    mutes: BTreeMap<(String, Subject), Mute>,
}

fn required(user: &str, reason: &str) -> Result<(), WarningError> {
    if user.trim().is_empty() {
        return Err(WarningError::State("a user is required".into()));
    }
    if reason.trim().is_empty() {
        return Err(WarningError::State("a reason is required".into()));
    }
    Ok(())
}

impl AlertState {
    /// Records that `user` has seen `alert` at its current level, for `reason`.
    pub fn acknowledge(
        &mut self,
        alert: &Alert,
        user: &str,
        reason: &str,
        at: Date,
    ) -> Result<(), WarningError> {
        required(user, reason)?;
        self.acknowledgements.insert(
            alert.key(),
            Acknowledgement {
                user: user.trim().to_owned(),
                reason: reason.trim().to_owned(),
                at,
                level: alert.level(),
            },
        );
        Ok(())
    }

    /// Puts back an acknowledgement recorded earlier (from the store), at the level it was
    /// given at, so that an escalation since then still asks for attention.
    pub fn restore_acknowledgement(
        &mut self,
        key: AlertKey,
        acknowledgement: Acknowledgement,
    ) -> Result<(), WarningError> {
        required(&acknowledgement.user, &acknowledgement.reason)?;
        self.acknowledgements.insert(key, acknowledgement);
        Ok(())
    }

    /// Silences `rule_id` on `subject` for alerts whose last period is `until` or earlier;
    /// muted alerts are still evaluated and returned, marked muted.
    pub fn mute(
        &mut self,
        rule_id: &str,
        subject: Subject,
        until: Period,
        user: &str,
        reason: &str,
        at: Date,
    ) -> Result<(), WarningError> {
        required(user, reason)?;
        self.mutes.insert(
            (rule_id.to_owned(), subject),
            Mute {
                until,
                user: user.trim().to_owned(),
                reason: reason.trim().to_owned(),
                at,
            },
        );
        Ok(())
    }

    /// Lifts a mute; `true` when there was one.
    pub fn unmute(&mut self, rule_id: &str, subject: &Subject) -> bool {
        self.mutes
            .remove(&(rule_id.to_owned(), subject.clone()))
            .is_some()
    }

    pub fn acknowledgements(&self) -> impl Iterator<Item = (&AlertKey, &Acknowledgement)> {
        self.acknowledgements.iter()
    }

    pub fn mutes(&self) -> impl Iterator<Item = (&(String, Subject), &Mute)> {
        self.mutes.iter()
    }

    /// Attaches the acknowledgement of the alert's episode and a mute still in force.
    pub(crate) fn annotate(&self, alert: &mut Alert) {
        // The lookups clone the alert's key: skip them when there is nothing to find.
        if self.acknowledgements.is_empty() && self.mutes.is_empty() {
            return;
        }
        alert.acknowledgement = self.acknowledgements.get(&alert.key()).cloned();
        alert.muted = self
            .mutes
            .get(&(alert.rule_id.clone(), alert.subject.clone()))
            .filter(|mute| alert.last_period.end_month_index() <= mute.until.end_month_index())
            .cloned();
    }
}
