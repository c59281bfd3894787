//! Timely risk alerts 及時發出風險提示: subscriptions, the events lmo told subscribers
//! about (each once: its key is unique), and every delivery with its attempts, as a record
//! of what was sent.

use crate::sql::{Row, params, query_map, query_one, query_opt};
use crate::users::role_of;
use crate::{SqlStore, StoreError, corrupt};

/// Subscriptions and the outbox of notifications.
pub trait Notifications {
    /// Adds a subscription. The user must exist; [`Topic::OwnCases`] needs case access
    /// ([`StoreError::Forbidden`]).
    fn add_subscription(
        &mut self,
        subscription: &NewSubscription,
    ) -> Result<Subscription, StoreError>;

    /// The active subscriptions of `user_name` (of everyone when `None`), by id.
    fn subscriptions(&mut self, user_name: Option<&str>) -> Result<Vec<Subscription>, StoreError>;

    /// Ends an active subscription; [`StoreError::NotFound`] when it does not exist, has
    /// ended, or (with `owner`) belongs to someone else.
    fn end_subscription(
        &mut self,
        id: i64,
        owner: Option<&str>,
        at: &str,
    ) -> Result<(), StoreError>;

    /// Records an event and a pending delivery to each subscription in `to`, in one
    /// transaction, unless an event with the same key was recorded before: then nothing is
    /// written and `None` returned. Returns the event's id.
    fn add_event(
        &mut self,
        event: &NewEvent,
        to: &[Subscription],
        at: &str,
    ) -> Result<Option<i64>, StoreError>;

    /// Whether an event with this key was recorded.
    fn event_recorded(&mut self, event_key: &str) -> Result<bool, StoreError>;

    /// Claims up to `limit` pending deliveries due at `now` for one attempt each: their
    /// attempt count goes up and they are not due again before `lease_until`, so that two
    /// servers never send the same delivery at once.
    fn claim_deliveries(
        &mut self,
        now: &str,
        lease_until: &str,
        limit: u32,
    ) -> Result<Vec<PendingDelivery>, StoreError>;

    /// Records how a claimed attempt went.
    fn finish_delivery(&mut self, id: i64, outcome: &DeliveryOutcome) -> Result<(), StoreError>;

    /// The record of deliveries, newest first: of `user_name`'s subscriptions, or all.
    fn deliveries(
        &mut self,
        user_name: Option<&str>,
        limit: u32,
    ) -> Result<Vec<DeliveryRecord>, StoreError>;
}

/// What a subscription follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Topic {
    /// Alerts of one rule, by id.
    Rule(String),
    /// Alerts at this level or worse (`blue`, `yellow`, `orange`, `red`).
    Level(String),
    /// Alerts about one industry, by code.
    Industry(String),
    /// Steps falling due in the cases assigned to the subscriber.
    OwnCases,
    /// Reports published.
    Reports,
}

impl Topic {
    fn parts(&self) -> (&'static str, &str) {
        match self {
            Topic::Rule(value) => ("rule", value),
            Topic::Level(value) => ("level", value),
            Topic::Industry(value) => ("industry", value),
            Topic::OwnCases => ("own_cases", ""),
            Topic::Reports => ("reports", ""),
        }
    }

    /// `rule`, `level`, `industry`, `own_cases` or `reports`.
    pub fn kind(&self) -> &'static str {
        self.parts().0
    }

    /// The rule id, level or industry code; empty for the other topics.
    pub fn value(&self) -> &str {
        self.parts().1
    }

    /// The topic of a kind and value as stored; `None` for an unknown kind.
    pub fn from_parts(kind: &str, value: &str) -> Option<Topic> {
        match kind {
            "rule" => Some(Topic::Rule(value.to_owned())),
            "level" => Some(Topic::Level(value.to_owned())),
            "industry" => Some(Topic::Industry(value.to_owned())),
            "own_cases" => Some(Topic::OwnCases),
            "reports" => Some(Topic::Reports),
            _ => None,
        }
    }
}

/// How a notification is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Email,
    Webhook,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Webhook => "webhook",
        }
    }

    pub fn parse(text: &str) -> Option<Channel> {
        match text {
            "email" => Some(Channel::Email),
            "webhook" => Some(Channel::Webhook),
            _ => None,
        }
    }
}

/// A subscription to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscription {
    pub user_name: String,
    pub topic: Topic,
    pub channel: Channel,
    /// An e-mail address or a webhook URL, checked by the caller.
    pub target: String,
    pub created_at: String,
}

/// An active subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: i64,
    pub user_name: String,
    pub topic: Topic,
    pub channel: Channel,
    pub target: String,
    pub created_at: String,
}

/// Something to tell subscribers, once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// Unique per event: `alert/<id>/<level>`, `case-due/<id>/<date>`, `report/<id>`.
    pub key: String,
    /// `alert_opened`, `alert_escalated`, `case_due` or `report_published`.
    pub kind: String,
    pub subject: String,
    pub body_text: String,
    pub body_json: String,
}

/// A delivery claimed for an attempt, with its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDelivery {
    pub id: i64,
    pub event_id: i64,
    pub channel: Channel,
    pub target: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub subject: String,
    pub body_text: String,
    pub body_json: String,
}

/// How an attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Sent {
        at: String,
    },
    /// Failed; try again at `next_attempt_at`.
    Retry {
        error: String,
        next_attempt_at: String,
    },
    /// Failed for the last time.
    Failed {
        error: String,
    },
}

/// One delivery as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    pub id: i64,
    pub event_key: String,
    pub event_kind: String,
    pub subject: String,
    pub subscription_id: i64,
    pub user_name: String,
    pub channel: Channel,
    pub target: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<String>,
    pub created_at: String,
}

fn decode_channel(text: &str) -> Result<Channel, StoreError> {
    Channel::parse(text).ok_or_else(|| corrupt("subscriptions", format!("channel '{text}'")))
}

fn decode_subscription(row: &Row) -> Result<Subscription, StoreError> {
    let kind = row.text(2)?;
    Ok(Subscription {
        id: row.int(0)?,
        user_name: row.text(1)?,
        topic: Topic::from_parts(&kind, &row.text(3)?)
            .ok_or_else(|| corrupt("subscriptions", format!("topic '{kind}'")))?,
        channel: decode_channel(&row.text(4)?)?,
        target: row.text(5)?,
        created_at: row.text(6)?,
    })
}

const SUBSCRIPTION_COLUMNS: &str = "id, user_name, topic, topic_value, channel, target, created_at";

impl Notifications for SqlStore {
    fn add_subscription(
        &mut self,
        subscription: &NewSubscription,
    ) -> Result<Subscription, StoreError> {
        let mut transaction = self.database.transaction()?;
        let name = &subscription.user_name;
        let role = role_of(&mut *transaction, name)?
            .ok_or_else(|| StoreError::Invalid(format!("no user {name}")))?;
        if subscription.topic == Topic::OwnCases && !role.has_case_access() {
            return Err(StoreError::Forbidden(format!(
                "user {name} (role {role}) has no case access: only case officers and admins follow cases"
            )));
        }
        let row = query_one(
            &mut *transaction,
            &format!(
                "INSERT INTO subscriptions (user_name, topic, topic_value, channel, target,
                                            created_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 RETURNING {SUBSCRIPTION_COLUMNS}"
            ),
            params![
                name,
                subscription.topic.kind(),
                subscription.topic.value(),
                subscription.channel.as_str(),
                &subscription.target,
                &subscription.created_at
            ],
        )?;
        let stored = decode_subscription(&row)?;
        transaction.commit()?;
        Ok(stored)
    }

    fn subscriptions(&mut self, user_name: Option<&str>) -> Result<Vec<Subscription>, StoreError> {
        query_map(
            &mut *self.database,
            &format!(
                "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions
                 WHERE ended_at IS NULL AND user_name = coalesce($1, user_name) ORDER BY id"
            ),
            params![user_name],
            decode_subscription,
        )
    }

    fn end_subscription(
        &mut self,
        id: i64,
        owner: Option<&str>,
        at: &str,
    ) -> Result<(), StoreError> {
        let ended = self.database.execute(
            "UPDATE subscriptions SET ended_at = $3
             WHERE id = $1 AND ended_at IS NULL AND user_name = coalesce($2, user_name)",
            params![id, owner, at],
        )?;
        if ended == 0 {
            return Err(StoreError::NotFound(format!("no subscription {id}")));
        }
        Ok(())
    }

    fn add_event(
        &mut self,
        event: &NewEvent,
        to: &[Subscription],
        at: &str,
    ) -> Result<Option<i64>, StoreError> {
        let mut transaction = self.database.transaction()?;
        let inserted = query_opt(
            &mut *transaction,
            "INSERT INTO notification_events (event_key, kind, subject, body_text, body_json,
                                              created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (event_key) DO NOTHING
             RETURNING id",
            params![
                &event.key,
                &event.kind,
                &event.subject,
                &event.body_text,
                &event.body_json,
                at
            ],
        )?;
        let Some(row) = inserted else {
            return Ok(None);
        };
        let event_id = row.int(0)?;
        for subscription in to {
            transaction.execute(
                "INSERT INTO notification_deliveries (event_id, subscription_id, channel, target,
                                                      status, attempts, next_attempt_at)
                 VALUES ($1, $2, $3, $4, 'pending', 0, $5)",
                params![
                    event_id,
                    subscription.id,
                    subscription.channel.as_str(),
                    &subscription.target,
                    at
                ],
            )?;
        }
        transaction.commit()?;
        Ok(Some(event_id))
    }

    fn event_recorded(&mut self, event_key: &str) -> Result<bool, StoreError> {
        Ok(query_opt(
            &mut *self.database,
            "SELECT 1 FROM notification_events WHERE event_key = $1",
            params![event_key],
        )?
        .is_some())
    }

    fn claim_deliveries(
        &mut self,
        now: &str,
        lease_until: &str,
        limit: u32,
    ) -> Result<Vec<PendingDelivery>, StoreError> {
        let due = query_map(
            &mut *self.database,
            "SELECT id, attempts FROM notification_deliveries
             WHERE status = 'pending' AND next_attempt_at <= $1
             ORDER BY next_attempt_at, id LIMIT $2",
            params![now, i64::from(limit)],
            |row| Ok((row.int(0)?, row.int(1)?)),
        )?;
        let mut claimed = Vec::new();
        for (id, attempts) in due {
            // Claimed only if no other server took it since it was read.
            let updated = self.database.execute(
                "UPDATE notification_deliveries SET attempts = attempts + 1, next_attempt_at = $3
                 WHERE id = $1 AND attempts = $2 AND status = 'pending'",
                params![id, attempts, lease_until],
            )?;
            if updated == 0 {
                continue;
            }
            let row = query_one(
                &mut *self.database,
                "SELECT d.id, d.event_id, d.channel, d.target, d.attempts, e.subject,
                        e.body_text, e.body_json
                 FROM notification_deliveries d
                 JOIN notification_events e ON e.id = d.event_id
                 WHERE d.id = $1",
                params![id],
            )?;
            claimed.push(PendingDelivery {
                id: row.int(0)?,
                event_id: row.int(1)?,
                channel: decode_channel(&row.text(2)?)?,
                target: row.text(3)?,
                attempts: row.int(4)?,
                subject: row.text(5)?,
                body_text: row.text(6)?,
                body_json: row.text(7)?,
            });
        }
        Ok(claimed)
    }

    fn finish_delivery(&mut self, id: i64, outcome: &DeliveryOutcome) -> Result<(), StoreError> {
        match outcome {
            DeliveryOutcome::Sent { at } => self.database.execute(
                "UPDATE notification_deliveries SET status = 'sent', sent_at = $2,
                        last_error = NULL
                 WHERE id = $1",
                params![id, at.as_str()],
            )?,
            DeliveryOutcome::Retry {
                error,
                next_attempt_at,
            } => self.database.execute(
                "UPDATE notification_deliveries SET last_error = $2, next_attempt_at = $3
                 WHERE id = $1",
                params![id, error.as_str(), next_attempt_at.as_str()],
            )?,
            DeliveryOutcome::Failed { error } => self.database.execute(
                "UPDATE notification_deliveries SET status = 'failed', last_error = $2
                 WHERE id = $1",
                params![id, error.as_str()],
            )?,
        };
        Ok(())
    }

    fn deliveries(
        &mut self,
        user_name: Option<&str>,
        limit: u32,
    ) -> Result<Vec<DeliveryRecord>, StoreError> {
        query_map(
            &mut *self.database,
            "SELECT d.id, e.event_key, e.kind, e.subject, d.subscription_id, s.user_name,
                    d.channel, d.target, d.status, d.attempts, d.last_error, d.sent_at,
                    e.created_at
             FROM notification_deliveries d
             JOIN notification_events e ON e.id = d.event_id
             JOIN subscriptions s ON s.id = d.subscription_id
             WHERE s.user_name = coalesce($1, s.user_name)
             ORDER BY d.id DESC LIMIT $2",
            params![user_name, i64::from(limit)],
            |row| {
                Ok(DeliveryRecord {
                    id: row.int(0)?,
                    event_key: row.text(1)?,
                    event_kind: row.text(2)?,
                    subject: row.text(3)?,
                    subscription_id: row.int(4)?,
                    user_name: row.text(5)?,
                    channel: decode_channel(&row.text(6)?)?,
                    target: row.text(7)?,
                    status: row.text(8)?,
                    attempts: row.int(9)?,
                    last_error: row.opt_text(10)?,
                    sent_at: row.opt_text(11)?,
                    created_at: row.text(12)?,
                })
            },
        )
    }
}
