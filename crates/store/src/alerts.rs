//! The audit trail of early-warning alerts: acknowledgements and mutes, append-only.

use domain::{AlertLevel, Period};

use crate::sql::{Row, params, query_map, query_one};
use crate::{SqlStore, StoreError, corrupt};

/// Acknowledgements and mutes of alerts. Both are appended, never updated or deleted:
/// replaying them in id order rebuilds the decisions in force.
pub trait AlertAudit {
    /// Appends an acknowledgement to the audit trail and returns its id. An empty (or
    /// blank) user or reason is [`StoreError::Invalid`] and records nothing.
    fn add_acknowledgement(&mut self, ack: &AlertAcknowledgement) -> Result<i64, StoreError>;

    /// Every acknowledgement with its id, oldest first.
    fn acknowledgements(&mut self) -> Result<Vec<(i64, AlertAcknowledgement)>, StoreError>;

    /// Appends a mute to the audit trail and returns its id. An empty (or blank) user or
    /// reason is [`StoreError::Invalid`] and records nothing.
    fn add_mute(&mut self, mute: &AlertMute) -> Result<i64, StoreError>;

    /// Every mute with its id, oldest first.
    fn mutes(&mut self) -> Result<Vec<(i64, AlertMute)>, StoreError>;
}

/// Someone has seen an alert episode at a level. Stored as given (the caller checks that
/// the rule and subject exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertAcknowledgement {
    pub rule_id: String,
    /// A series id, or `*` for an aggregate.
    pub subject: String,
    /// The period at which the acknowledged episode opened.
    pub opened_period: Period,
    pub level: AlertLevel,
    pub user_name: String,
    pub reason: String,
    /// When it was acknowledged, RFC 3339 (or a date), passed in by the caller.
    pub at: String,
}

/// Alerts of a rule on a subject are silenced up to and including `until_period`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertMute {
    pub rule_id: String,
    /// A series id, or `*` for an aggregate.
    pub subject: String,
    pub until_period: Period,
    pub user_name: String,
    pub reason: String,
    /// When it was muted, RFC 3339 (or a date), passed in by the caller.
    pub at: String,
}

/// Refuses an entry that names no user or gives no reason: an audit trail entry must say
/// who decided and why.
fn require_user_and_reason(what: &str, user_name: &str, reason: &str) -> Result<(), StoreError> {
    if user_name.trim().is_empty() || reason.trim().is_empty() {
        return Err(StoreError::Invalid(format!(
            "{what} needs a user and a reason"
        )));
    }
    Ok(())
}

fn decode_period(table: &'static str, text: &str) -> Result<Period, StoreError> {
    Period::parse(text).map_err(|error| corrupt(table, error))
}

fn decode_acknowledgement(row: &Row) -> Result<(i64, AlertAcknowledgement), StoreError> {
    const TABLE: &str = "alert_acknowledgements";
    Ok((
        row.int(0)?,
        AlertAcknowledgement {
            rule_id: row.text(1)?,
            subject: row.text(2)?,
            opened_period: decode_period(TABLE, &row.text(3)?)?,
            level: AlertLevel::parse(&row.text(4)?).map_err(|error| corrupt(TABLE, error))?,
            user_name: row.text(5)?,
            reason: row.text(6)?,
            at: row.text(7)?,
        },
    ))
}

fn decode_mute(row: &Row) -> Result<(i64, AlertMute), StoreError> {
    Ok((
        row.int(0)?,
        AlertMute {
            rule_id: row.text(1)?,
            subject: row.text(2)?,
            until_period: decode_period("alert_mutes", &row.text(3)?)?,
            user_name: row.text(4)?,
            reason: row.text(5)?,
            at: row.text(6)?,
        },
    ))
}

impl AlertAudit for SqlStore {
    fn add_acknowledgement(&mut self, ack: &AlertAcknowledgement) -> Result<i64, StoreError> {
        require_user_and_reason("an acknowledgement", &ack.user_name, &ack.reason)?;
        let opened = ack.opened_period.to_string();
        query_one(
            &mut *self.database,
            "INSERT INTO alert_acknowledgements (rule_id, subject, opened_period, level,
                                                 user_name, reason, acknowledged_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             RETURNING id",
            params![
                &ack.rule_id,
                &ack.subject,
                opened.as_str(),
                ack.level.as_str(),
                &ack.user_name,
                &ack.reason,
                &ack.at,
            ],
        )?
        .int(0)
    }

    fn acknowledgements(&mut self) -> Result<Vec<(i64, AlertAcknowledgement)>, StoreError> {
        query_map(
            &mut *self.database,
            "SELECT id, rule_id, subject, opened_period, level, user_name, reason,
                    acknowledged_at
             FROM alert_acknowledgements ORDER BY id",
            &[],
            decode_acknowledgement,
        )
    }

    fn add_mute(&mut self, mute: &AlertMute) -> Result<i64, StoreError> {
        require_user_and_reason("a mute", &mute.user_name, &mute.reason)?;
        let until = mute.until_period.to_string();
        query_one(
            &mut *self.database,
            "INSERT INTO alert_mutes (rule_id, subject, until_period, user_name, reason,
                                      muted_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING id",
            params![
                &mute.rule_id,
                &mute.subject,
                until.as_str(),
                &mute.user_name,
                &mute.reason,
                &mute.at,
            ],
        )?
        .int(0)
    }

    fn mutes(&mut self) -> Result<Vec<(i64, AlertMute)>, StoreError> {
        query_map(
            &mut *self.database,
            "SELECT id, rule_id, subject, until_period, user_name, reason, muted_at
             FROM alert_mutes ORDER BY id",
            &[],
            decode_mute,
        )
    }
}
