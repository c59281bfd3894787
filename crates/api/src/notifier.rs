//! Timely risk alerts 及時發出風險提示: a step that records new events (alerts opened or
//! escalated, case steps falling due; reports are recorded when published) and sends what
//! is due by e-mail (SMTP) and to webhooks (a JSON POST), each delivery retried with
//! growing waits and recorded. [`run`] repeats the step; tests call [`step`] directly.

use std::time::Duration;

use engine::notify::{Channel, DeliveryOutcome, EventFacts, Message, PendingDelivery};
use serde_json::json;

use crate::{ApiError, State};

/// An SMTP server that takes mail for delivery (a relay: lmo does no TLS itself).
#[derive(Debug, Clone)]
pub struct Mailer {
    pub host: String,
    pub port: u16,
    /// The sender, e.g. `lmo <alerts@union.example>`.
    pub from: String,
}

/// How the notifier runs.
#[derive(Debug, Clone)]
pub struct NotifierSettings {
    /// The rule set whose alerts are followed (a shipped one).
    pub rules: String,
    /// `None`: e-mail deliveries fail, recorded as such.
    pub mailer: Option<Mailer>,
    /// Attempts before a delivery is given up.
    pub attempts_max: i64,
    /// The wait after the first failure; it doubles with each further one (at most an hour).
    pub retry_after_s: i64,
}

impl Default for NotifierSettings {
    fn default() -> NotifierSettings {
        NotifierSettings {
            rules: "hk-default".to_owned(),
            mailer: None,
            attempts_max: 6,
            retry_after_s: 60,
        }
    }
}

/// What one step did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StepReport {
    pub events: usize,
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Deliveries sent in one step at most (the rest wait for the next).
const DELIVERIES_PER_STEP: u32 = 100;
/// How long a claimed delivery is left to its sender before another may try.
const LEASE_S: i64 = 300;
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

fn site_text(facts: &EventFacts<'_>) -> (String, String, serde_json::Value) {
    match facts {
        EventFacts::Alert {
            alert,
            id,
            title_en,
            title_zh,
            escalated,
        } => {
            let level = alert.level();
            let (what_en, what_zh) = if *escalated {
                ("escalated to", "升級至")
            } else {
                ("opened at", "發出")
            };
            let subject = format!(
                "[lmo] {title_zh}{what_zh}{}預警 / {title_en} {what_en} {}: {}",
                level.name_zh(),
                level.as_str(),
                alert.subject
            );
            let text = format!(
                "{title_en} {title_zh}\n\nLevel 級別: {} {}\nSubject 對象: {}\nOpened 開始: {}\nLatest period 最新期間: {}\nMeasure 指標: {:.2}\nAs of 資料截至: {}\nAlert id: {id}\n",
                level.as_str(),
                level.name_zh(),
                alert.subject,
                alert.opened,
                alert.last_period,
                alert.measure,
                alert.as_of
            );
            let body = json!({
                "event": if *escalated { "alert_escalated" } else { "alert_opened" },
                "alert": {
                    "id": id,
                    "rule_id": alert.rule_id,
                    "title_en": title_en,
                    "title_zh": title_zh,
                    "subject": alert.subject.to_string(),
                    "industry": alert.industry.as_ref().map(ToString::to_string),
                    "level": level.as_str(),
                    "opened": alert.opened.to_string(),
                    "last_period": alert.last_period.to_string(),
                    "measure": alert.measure,
                    "as_of": alert.as_of.to_string(),
                },
            });
            (subject, text, body)
        }
        EventFacts::CaseDue { case, today } => {
            let due = case
                .case
                .due_on
                .map(|day| day.to_string())
                .unwrap_or_default();
            let subject = format!(
                "[lmo] 個案 {} 下一步到期 / case {} next step due {due}",
                case.case.id, case.case.id
            );
            let text = format!(
                "Case 個案 {} ({}, level {}), employer {}: the next step was due on {due} (today {today}).\n",
                case.case.id,
                case.case.state.as_str(),
                case.case.level.as_str(),
                case.case.employer_id
            );
            let body = json!({
                "event": "case_due",
                "case": {
                    "id": case.case.id,
                    "state": case.case.state.as_str(),
                    "level": case.case.level.as_str(),
                    "employer_id": case.case.employer_id,
                    "period": case.case.period.to_string(),
                    "due_on": due,
                    "days_to_due": case.timers.days_to_due,
                },
            });
            (subject, text, body)
        }
        EventFacts::ReportPublished {
            report_id,
            as_of,
            generated_by,
            formats,
        } => {
            let subject = format!(
                "[lmo] 就業形勢分析報告 (截至 {as_of}) / labour market report as of {as_of}"
            );
            let text = format!(
                "Report 報告 {report_id}, as of {as_of}, generated by {generated_by}: {} (GET /v1/reports/{report_id}/FORMAT).\n",
                formats.join(", ")
            );
            let body = json!({
                "event": "report_published",
                "report": {
                    "id": report_id,
                    "as_of": as_of.to_string(),
                    "generated_by": generated_by,
                    "formats": formats,
                },
            });
            (subject, text, body)
        }
    }
}

/// The words of an event: a bilingual subject and text for e-mail, a JSON document for
/// webhooks.
pub(crate) fn render(facts: &EventFacts<'_>) -> Message {
    let (subject, body_text, body) = site_text(facts);
    Message {
        subject,
        body_text,
        body_json: body.to_string(),
    }
}

/// One round: record new events, then send what is due.
pub(crate) async fn step(state: &State) -> Result<StepReport, ApiError> {
    let Some(settings) = state.notifier.clone() else {
        return Ok(StepReport::default());
    };
    let rules = crate::routes::rules_by_name(&settings.rules)?;
    let today = state.today();
    // UTC, as deliveries compare their due times.
    let at = engine::access::utc_text(state.now());
    let events = state
        .pool
        .run(move |engine| {
            let alerts = engine.collect_alert_events(&rules, today, &at, &render)?;
            let cases = engine.collect_case_events(today, &at, &render)?;
            Ok(alerts.len() + cases.len())
        })
        .await?;
    let now = state.now();
    let now_text = engine::access::utc_text(now);
    let lease = engine::access::utc_text(now + jiff::SignedDuration::from_secs(LEASE_S));
    let claimed = state
        .pool
        .run(move |engine| Ok(engine.claim_deliveries(&now_text, &lease, DELIVERIES_PER_STEP)?))
        .await?;
    let mut report = StepReport {
        events,
        ..StepReport::default()
    };
    for delivery in claimed {
        let outcome = match send(&settings, &delivery).await {
            Ok(()) => {
                report.sent += 1;
                tracing::info!(
                    delivery = delivery.id,
                    channel = delivery.channel.as_str(),
                    "notification sent"
                );
                DeliveryOutcome::Sent {
                    at: state.now_text(),
                }
            }
            Err(error) if delivery.attempts >= settings.attempts_max => {
                report.failed += 1;
                tracing::warn!(delivery = delivery.id, %error, "notification given up");
                DeliveryOutcome::Failed { error }
            }
            Err(error) => {
                report.retrying += 1;
                let wait =
                    (settings.retry_after_s << (delivery.attempts - 1).clamp(0, 20)).min(3600);
                tracing::warn!(delivery = delivery.id, %error, wait_s = wait, "notification failed; will retry");
                DeliveryOutcome::Retry {
                    error,
                    next_attempt_at: engine::access::utc_text(
                        state.now() + jiff::SignedDuration::from_secs(wait),
                    ),
                }
            }
        };
        let id = delivery.id;
        state
            .pool
            .run(move |engine| Ok(engine.finish_delivery(id, &outcome)?))
            .await?;
    }
    Ok(report)
}

/// Repeats [`step`] every `every` until `stop` turns true.
pub(crate) async fn run(
    state: State,
    every: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match step(&state).await {
            Ok(report) if report != StepReport::default() => {
                tracing::info!(?report, "notifier step");
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "notifier step failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {},
            _ = stop.changed() => return,
        }
    }
}

async fn send(settings: &NotifierSettings, delivery: &PendingDelivery) -> Result<(), String> {
    match delivery.channel {
        Channel::Email => send_mail(settings.mailer.as_ref(), delivery).await,
        Channel::Webhook => post_webhook(delivery).await,
    }
}

async fn send_mail(mailer: Option<&Mailer>, delivery: &PendingDelivery) -> Result<(), String> {
    use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
    let mailer = mailer.ok_or("no SMTP server configured (lmo serve --smtp HOST:PORT)")?;
    let message = lettre::Message::builder()
        .from(
            mailer
                .from
                .parse()
                .map_err(|error| format!("sender: {error}"))?,
        )
        .to(delivery
            .target
            .parse()
            .map_err(|error| format!("recipient: {error}"))?)
        .subject(delivery.subject.clone())
        .header(lettre::message::header::ContentType::TEXT_PLAIN)
        .body(delivery.body_text.clone())
        .map_err(|error| error.to_string())?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(mailer.host.clone())
        .port(mailer.port)
        .timeout(Some(SEND_TIMEOUT))
        .build();
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|error| format!("smtp: {error}"))
}

async fn post_webhook(delivery: &PendingDelivery) -> Result<(), String> {
    use http_body_util::Full;
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    let client: Client<_, Full<axum::body::Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let request = axum::http::Request::post(delivery.target.as_str())
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .header(axum::http::header::USER_AGENT, "lmo-notifier")
        .header("x-lmo-delivery", delivery.id.to_string())
        .body(Full::new(axum::body::Bytes::from(
            delivery.body_json.clone(),
        )))
        .map_err(|error| error.to_string())?;
    let response = tokio::time::timeout(SEND_TIMEOUT, client.request(request))
        .await
        .map_err(|_| "webhook: no answer in 10 s".to_owned())?
        .map_err(|error| format!("webhook: {error}"))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("webhook answered {}", response.status()))
    }
}
