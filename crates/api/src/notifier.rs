//! Timely risk alerts 及時發出風險提示: a step that records new events (alerts opened or
//! escalated, case steps falling due; reports are recorded when published) and sends what
//! is due by e-mail (SMTP) and to webhooks (a JSON POST), each delivery retried with
//! growing waits and recorded. [`run`] repeats the step; tests call [`step`] directly.

use std::sync::Arc;
use std::time::Duration;

use engine::notify::{Channel, DeliveryOutcome, EventFacts, Message, PendingDelivery};
use rustls::pki_types::CertificateDer;
use serde_json::json;

use crate::{ApiError, State};

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain SMTP, as to a local MTA: mail and any password cross the network readable.
    None,
    /// A plain connection upgraded by STARTTLS before anything else is said; a server that
    /// does not offer the upgrade is an error, never a reason to go on in plaintext.
    StartTls,
    /// TLS from the first byte ("implicit TLS", as on port 465).
    Tls,
}

impl SmtpSecurity {
    /// What mail clients assume of a port: 465 is implicit TLS, 25 plain SMTP, anything
    /// else (587, the submission port) STARTTLS.
    pub fn for_port(port: u16) -> SmtpSecurity {
        match port {
            465 => SmtpSecurity::Tls,
            25 => SmtpSecurity::None,
            _ => SmtpSecurity::StartTls,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SmtpSecurity::None => "none",
            SmtpSecurity::StartTls => "starttls",
            SmtpSecurity::Tls => "tls",
        }
    }
}

/// The password of the SMTP account, as configured (`LMO_SMTP_PASSWORD` or the config
/// file). Its `Debug` never shows it, so whatever holds it can be printed or logged.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct SmtpPassword(String);

impl SmtpPassword {
    pub fn new(password: impl Into<String>) -> SmtpPassword {
        SmtpPassword(password.into())
    }
}

impl std::fmt::Debug for SmtpPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpPassword(<redacted>)")
    }
}

/// The account lmo logs in to the SMTP server with (AUTH).
#[derive(Debug, Clone)]
pub struct SmtpLogin {
    pub user: String,
    pub password: SmtpPassword,
}

/// An SMTP server that takes mail for delivery: a local relay, or a mail provider's
/// submission port with TLS and a login.
#[derive(Debug, Clone)]
pub struct Mailer {
    /// A name or an IP address (an IPv6 one without brackets).
    pub host: String,
    pub port: u16,
    /// The sender, e.g. `lmo <alerts@union.example>`.
    pub from: String,
    pub security: SmtpSecurity,
    /// `None`: no AUTH, as to a relay that trusts the sender's address.
    pub login: Option<SmtpLogin>,
}

impl Mailer {
    /// The server is this machine (`localhost` or a loopback address), so what is sent in
    /// plaintext never crosses a network.
    pub fn is_loopback(&self) -> bool {
        self.host.eq_ignore_ascii_case("localhost")
            || self
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|address| address.is_loopback())
    }

    /// Refuses a login over an unencrypted connection to another machine: the password
    /// would cross the network readable. [`crate::App::new`] refuses such settings.
    pub(crate) fn check(&self) -> Result<(), ApiError> {
        if self.login.is_some() && self.security == SmtpSecurity::None && !self.is_loopback() {
            return Err(ApiError::invalid(
                "smtp",
                format!(
                    "refusing to send the SMTP password unencrypted to {}; use starttls or tls",
                    self.host
                ),
            ));
        }
        Ok(())
    }
}

/// Certificates trusted beside the public roots (Mozilla's, through `webpki-roots`) by
/// both SMTP and webhooks: an organisation's own certificate authority.
#[derive(Clone, Default)]
pub struct TrustRoots(Arc<Vec<CertificateDer<'static>>>);

impl TrustRoots {
    /// The certificates of a PEM file; one that is not a usable trust anchor is refused.
    pub fn from_pem(pem: &[u8]) -> Result<TrustRoots, ApiError> {
        use rustls::pki_types::pem::PemObject;
        let certificates = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| ApiError::invalid("ca_file", format!("not PEM: {error}")))?;
        if certificates.is_empty() {
            return Err(ApiError::invalid(
                "ca_file",
                "holds no certificate (-----BEGIN CERTIFICATE-----)",
            ));
        }
        let mut store = rustls::RootCertStore::empty();
        for (number, certificate) in certificates.iter().enumerate() {
            store.add(certificate.clone()).map_err(|error| {
                ApiError::invalid("ca_file", format!("certificate {}: {error}", number + 1))
            })?;
        }
        Ok(TrustRoots(Arc::new(certificates)))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for TrustRoots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TrustRoots({} extra)", self.0.len())
    }
}

/// How the notifier runs.
#[derive(Debug, Clone)]
pub struct NotifierSettings {
    /// The rule set whose alerts are followed (a shipped one).
    pub rules: String,
    /// `None`: e-mail deliveries fail, recorded as such.
    pub mailer: Option<Mailer>,
    /// Trusted beside the public roots, for SMTP over TLS and https webhooks.
    pub extra_roots: TrustRoots,
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
            extra_roots: TrustRoots::default(),
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
        Channel::Email => {
            send_mail(settings.mailer.as_ref(), &settings.extra_roots, delivery).await
        }
        Channel::Webhook => post_webhook(&settings.extra_roots, delivery).await,
    }
}

async fn send_mail(
    mailer: Option<&Mailer>,
    roots: &TrustRoots,
    delivery: &PendingDelivery,
) -> Result<(), String> {
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
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
    let parameters = || {
        let mut builder = TlsParameters::builder(mailer.host.clone());
        for certificate in roots.0.iter() {
            builder = builder.add_root_certificate(Certificate::from_der(certificate.to_vec())?);
        }
        builder.build_rustls()
    };
    let tls = match mailer.security {
        SmtpSecurity::None => Tls::None,
        SmtpSecurity::StartTls => Tls::Required(parameters().map_err(|e| format!("tls: {e}"))?),
        SmtpSecurity::Tls => Tls::Wrapper(parameters().map_err(|e| format!("tls: {e}"))?),
    };
    let mut transport =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(mailer.host.clone())
            .port(mailer.port)
            .tls(tls)
            .timeout(Some(SEND_TIMEOUT));
    if let Some(login) = &mailer.login {
        transport = transport.credentials(Credentials::new(
            login.user.clone(),
            login.password.0.clone(),
        ));
    }
    transport
        .build()
        .send(message)
        .await
        .map(|_| ())
        .map_err(|error| format!("smtp: {}", with_causes(&error)))
}

/// An error and its causes, as recorded with the delivery: hyper's own text alone does not
/// say that a certificate was refused.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let inner_text = inner.to_string();
        if !text.contains(&inner_text) {
            text.push_str(": ");
            text.push_str(&inner_text);
        }
        cause = inner.source();
    }
    text
}

/// The cryptography under rustls: ring, as lettre's `ring` feature uses for SMTP.
///
/// rustls deprecates the ring provider since 0.23.48 because it has no post-quantum key
/// exchange; the alternative, aws-lc-rs, needs cmake and a long C build, and what is sent
/// here (alerts, due dates) is not kept secret for decades.
#[allow(deprecated)]
pub fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// rustls with the ring provider, trusting Mozilla's roots and the extra ones.
fn webhook_tls(roots: &TrustRoots) -> Result<rustls::ClientConfig, String> {
    let mut store = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for certificate in roots.0.iter() {
        store
            .add(certificate.clone())
            .map_err(|error| format!("extra root: {error}"))?;
    }
    Ok(
        rustls::ClientConfig::builder_with_provider(crypto_provider())
            .with_safe_default_protocol_versions()
            .map_err(|error| format!("tls: {error}"))?
            .with_root_certificates(store)
            .with_no_client_auth(),
    )
}

async fn post_webhook(roots: &TrustRoots, delivery: &PendingDelivery) -> Result<(), String> {
    use http_body_util::Full;
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(webhook_tls(roots)?)
        .https_or_http()
        .enable_http1()
        .build();
    let client: Client<_, Full<axum::body::Bytes>> =
        Client::builder(TokioExecutor::new()).build(connector);
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
        .map_err(|error| format!("webhook: {}", with_causes(&error)))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("webhook answered {}", response.status()))
    }
}
