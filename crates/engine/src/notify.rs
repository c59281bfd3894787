//! Timely risk alerts 及時發出風險提示: which events lmo tells which subscribers about.
//!
//! An event is an alert that opens or escalates, a case step that falls due, or a report
//! published. Each has a key (`alert/<id>/<level>`, `case-due/<case>/<date>`,
//! `report/<id>`) recorded once with a pending delivery to each matching subscription, so
//! that running the collection again tells no one twice. Every `at` is now in UTC RFC 3339
//! to the second ([`crate::access::utc_text`]): deliveries compare their due times as text. The words of a message are the
//! caller's ([`Render`]); sending is the caller's too (the store keeps the outbox).

use domain::{AlertLevel, Date, IndustryCode};
use store::NewEvent;
use warnings::{Alert, RuleSet};

pub use store::{
    Channel, DeliveryOutcome, DeliveryRecord, NewSubscription, PendingDelivery, Subscription, Topic,
};

use crate::{CaseView, Engine, EngineError, alert_id_of};

/// What happened, for the caller to put into words.
#[derive(Debug, Clone, Copy)]
pub enum EventFacts<'a> {
    /// An open alert at a level no earlier event told of: opened, or escalated when an
    /// event told of a lower level.
    Alert {
        alert: &'a Alert,
        id: &'a str,
        title_en: &'a str,
        title_zh: &'a str,
        escalated: bool,
    },
    /// The next step of a case is due (or overdue) on `today`.
    CaseDue { case: &'a CaseView, today: Date },
    /// A report was generated and archived.
    ReportPublished {
        report_id: i64,
        as_of: Date,
        generated_by: &'a str,
        formats: &'a [String],
    },
}

/// A message as the caller words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body_text: String,
    pub body_json: String,
}

/// Puts an event into words.
pub type Render<'a> = &'a dyn Fn(&EventFacts<'_>) -> Message;

/// The levels of alerts, mildest first.
const LEVELS: [AlertLevel; 4] = [
    AlertLevel::Blue,
    AlertLevel::Yellow,
    AlertLevel::Orange,
    AlertLevel::Red,
];

/// Whether a subscription follows an alert.
fn follows_alert(topic: &Topic, alert: &Alert) -> bool {
    match topic {
        Topic::Rule(rule_id) => *rule_id == alert.rule_id,
        Topic::Level(level) => AlertLevel::parse(level).is_ok_and(|level| alert.level() >= level),
        Topic::Industry(code) => alert
            .industry
            .as_ref()
            .is_some_and(|industry| industry.to_string() == *code),
        Topic::OwnCases | Topic::Reports => false,
    }
}

/// One delivery per channel and target, however many of a user's subscriptions match.
fn one_per_target(mut subscriptions: Vec<Subscription>) -> Vec<Subscription> {
    let mut seen = std::collections::HashSet::new();
    subscriptions
        .retain(|subscription| seen.insert((subscription.channel, subscription.target.clone())));
    subscriptions
}

fn new_event(key: String, kind: &str, message: Message) -> NewEvent {
    NewEvent {
        key,
        kind: kind.to_owned(),
        subject: message.subject,
        body_text: message.body_text,
        body_json: message.body_json,
    }
}

/// Checks what a subscription follows before it is stored.
fn check_topic(topic: &Topic) -> Result<(), EngineError> {
    let refuse = |message: String| Err(EngineError::Request(message));
    match topic {
        Topic::Rule(rule_id) if rule_id.trim().is_empty() || rule_id.len() > 200 => {
            refuse("a rule subscription names the rule's id".to_owned())
        }
        Topic::Level(level) if AlertLevel::parse(level).is_err() => refuse(format!(
            "'{}' is not an alert level (blue, yellow, orange, red)",
            level.escape_default()
        )),
        Topic::Industry(code) if IndustryCode::parse(code).is_err() => refuse(format!(
            "'{}' is not an industry code (a HSIC 2.0 section such as C, or ALL)",
            code.escape_default()
        )),
        _ => Ok(()),
    }
}

impl Engine {
    /// Adds a subscription after checking what it follows (see [`store::Notifications`]).
    pub fn subscribe(
        &mut self,
        subscription: &NewSubscription,
    ) -> Result<Subscription, EngineError> {
        check_topic(&subscription.topic)?;
        Ok(self.store.add_subscription(subscription)?)
    }

    pub fn subscriptions(
        &mut self,
        user_name: Option<&str>,
    ) -> Result<Vec<Subscription>, EngineError> {
        Ok(self.store.subscriptions(user_name)?)
    }

    /// Ends a subscription; with `owner`, only one of the owner's.
    pub fn unsubscribe(
        &mut self,
        id: i64,
        owner: Option<&str>,
        at: &str,
    ) -> Result<(), EngineError> {
        Ok(self.store.end_subscription(id, owner, at)?)
    }

    /// The record of what was sent (or is still to be), newest first.
    pub fn deliveries(
        &mut self,
        user_name: Option<&str>,
        limit: u32,
    ) -> Result<Vec<DeliveryRecord>, EngineError> {
        Ok(self.store.deliveries(user_name, limit)?)
    }

    pub fn claim_deliveries(
        &mut self,
        now: &str,
        lease_until: &str,
        limit: u32,
    ) -> Result<Vec<PendingDelivery>, EngineError> {
        Ok(self.store.claim_deliveries(now, lease_until, limit)?)
    }

    pub fn finish_delivery(
        &mut self,
        id: i64,
        outcome: &DeliveryOutcome,
    ) -> Result<(), EngineError> {
        Ok(self.store.finish_delivery(id, outcome)?)
    }

    /// Records an event for each open, unmuted alert on `today` at a level no earlier
    /// event told of, with a delivery to each subscription following it; returns the ids
    /// of the events recorded.
    pub fn collect_alert_events(
        &mut self,
        rules: &RuleSet,
        today: Date,
        at: &str,
        render: Render<'_>,
    ) -> Result<Vec<i64>, EngineError> {
        let alerts = self.alerts(rules, today)?;
        let subscriptions = self.store.subscriptions(None)?;
        let mut recorded = Vec::new();
        for alert in alerts
            .iter()
            .filter(|alert| alert.is_open() && alert.muted.is_none())
        {
            let id = alert_id_of(alert);
            let level = alert.level();
            let key = format!("alert/{id}/{}", level.as_str());
            if self.store.event_recorded(&key)? {
                continue;
            }
            let mut escalated = false;
            for lower in LEVELS.iter().filter(|lower| **lower < level) {
                escalated |= self
                    .store
                    .event_recorded(&format!("alert/{id}/{}", lower.as_str()))?;
            }
            let (title_en, title_zh) = rules
                .rule(&alert.rule_id)
                .map(|rule| (rule.title_en.as_str(), rule.title_zh.as_str()))
                .unwrap_or_default();
            let message = render(&EventFacts::Alert {
                alert,
                id: &id,
                title_en,
                title_zh,
                escalated,
            });
            let to = one_per_target(
                subscriptions
                    .iter()
                    .filter(|subscription| follows_alert(&subscription.topic, alert))
                    .cloned()
                    .collect(),
            );
            let kind = if escalated {
                "alert_escalated"
            } else {
                "alert_opened"
            };
            if let Some(event) = self
                .store
                .add_event(&new_event(key, kind, message), &to, at)?
            {
                recorded.push(event);
            }
        }
        Ok(recorded)
    }

    /// Records an event for each step due by `today` in the cases assigned to a user who
    /// follows their own cases (and still has case access), with a delivery to each of that
    /// user's case subscriptions; returns the ids of the events recorded.
    pub fn collect_case_events(
        &mut self,
        today: Date,
        at: &str,
        render: Render<'_>,
    ) -> Result<Vec<i64>, EngineError> {
        let followers: Vec<Subscription> = self
            .store
            .subscriptions(None)?
            .into_iter()
            .filter(|subscription| subscription.topic == Topic::OwnCases)
            .collect();
        let mut users: Vec<String> = followers
            .iter()
            .map(|subscription| subscription.user_name.clone())
            .collect();
        users.sort();
        users.dedup();
        let mut recorded = Vec::new();
        for user in users {
            // A user whose role lost case access is told nothing more about cases.
            let cases = match self.cases_due(&user, today, 0) {
                Ok(cases) => cases,
                Err(EngineError::Store(store::StoreError::Forbidden(_))) => continue,
                Err(error) => return Err(error),
            };
            let to = one_per_target(
                followers
                    .iter()
                    .filter(|subscription| subscription.user_name == user)
                    .cloned()
                    .collect(),
            );
            for case in cases
                .iter()
                .filter(|view| view.case.assignee.as_deref() == Some(user.as_str()))
            {
                let Some(due_on) = case.case.due_on else {
                    continue;
                };
                let key = format!("case-due/{}/{due_on}", case.case.id);
                if self.store.event_recorded(&key)? {
                    continue;
                }
                let message = render(&EventFacts::CaseDue { case, today });
                if let Some(event) =
                    self.store
                        .add_event(&new_event(key, "case_due", message), &to, at)?
                {
                    recorded.push(event);
                }
            }
        }
        Ok(recorded)
    }

    /// Records that a report was published, with a delivery to each subscription to
    /// reports; `None` when it was recorded before.
    pub fn report_published(
        &mut self,
        report: &store::ArchivedReport,
        formats: &[String],
        at: &str,
        render: Render<'_>,
    ) -> Result<Option<i64>, EngineError> {
        let to = one_per_target(
            self.store
                .subscriptions(None)?
                .into_iter()
                .filter(|subscription| subscription.topic == Topic::Reports)
                .collect(),
        );
        let message = render(&EventFacts::ReportPublished {
            report_id: report.id,
            as_of: report.as_of,
            generated_by: &report.generated_by,
            formats,
        });
        let key = format!("report/{}", report.id);
        Ok(self
            .store
            .add_event(&new_event(key, "report_published", message), &to, at)?)
    }
}
