//! Timely risk alerts end to end: subscriptions through the API, a report published and a
//! case step falling due, sent once each to a local SMTP sink and a local webhook receiver
//! (which fails once, so the delivery is retried), with the record of what was sent.

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use domain::Role;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use crate::support::TestApp;

/// How the test SMTP server secures its connections.
#[derive(Clone)]
enum SinkSecurity {
    /// Plain SMTP; no STARTTLS offered.
    Plain,
    /// Offers STARTTLS and upgrades with this configuration.
    StartTls(Arc<rustls::ServerConfig>),
    /// TLS from the first byte.
    Implicit(Arc<rustls::ServerConfig>),
}

/// What a test SMTP server received: each message's DATA, and every command line marked
/// `plain` or `tls` by the connection it arrived on.
#[derive(Clone, Default)]
struct SinkRecord {
    messages: Arc<Mutex<Vec<String>>>,
    commands: Arc<Mutex<Vec<String>>>,
}

trait Stream: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send> Stream for T {}

/// A minimal SMTP server that accepts every message and keeps its DATA.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let (port, record) = smtp_server(SinkSecurity::Plain).await;
    (port, record.messages)
}

/// A minimal SMTP server that offers AUTH PLAIN (also, as a careless server would, before
/// TLS), takes any login and accepts every message.
async fn smtp_server(security: SinkSecurity) -> (u16, SinkRecord) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    let record = SinkRecord::default();
    let kept = record.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (kept, security) = (kept.clone(), security.clone());
            tokio::spawn(async move { smtp_session(stream, security, kept).await });
        }
    });
    (port, record)
}

async fn smtp_session(stream: tokio::net::TcpStream, security: SinkSecurity, record: SinkRecord) {
    let (mut stream, mut secure): (Box<dyn Stream>, bool) = match &security {
        SinkSecurity::Implicit(config) => {
            let Ok(tls) = tokio_rustls::TlsAcceptor::from(config.clone())
                .accept(stream)
                .await
            else {
                return;
            };
            (Box::new(tls), true)
        }
        _ => (Box::new(stream), false),
    };
    stream.write_all(b"220 sink ESMTP\r\n").await.ok();
    loop {
        let offers_starttls = !secure && matches!(security, SinkSecurity::StartTls(_));
        let Some(plain) = smtp_dialogue(stream, secure, offers_starttls, &record).await else {
            return;
        };
        let SinkSecurity::StartTls(config) = &security else {
            return;
        };
        let Ok(tls) = tokio_rustls::TlsAcceptor::from(config.clone())
            .accept(plain)
            .await
        else {
            return;
        };
        (stream, secure) = (Box::new(tls), true);
    }
}

/// Answers commands until QUIT or the end (`None`), or STARTTLS: then the stream is handed
/// back for the upgrade.
async fn smtp_dialogue(
    stream: Box<dyn Stream>,
    secure: bool,
    offers_starttls: bool,
    record: &SinkRecord,
) -> Option<Box<dyn Stream>> {
    let mut stream = BufReader::new(stream);
    let mut data: Option<String> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if let Some(text) = data.as_mut() {
            if line == "." {
                record
                    .messages
                    .lock()
                    .expect("lock")
                    .push(std::mem::take(text));
                data = None;
                stream.write_all(b"250 queued\r\n").await.ok();
            } else {
                text.push_str(line);
                text.push('\n');
            }
            continue;
        }
        let on = if secure { "tls" } else { "plain" };
        record
            .commands
            .lock()
            .expect("lock")
            .push(format!("{on} {line}"));
        let verb = line
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" if offers_starttls => b"250-sink\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n",
            "EHLO" => b"250-sink\r\n250 AUTH PLAIN\r\n",
            "HELO" => b"250 sink\r\n",
            "STARTTLS" if offers_starttls => {
                stream.write_all(b"220 go ahead\r\n").await.ok();
                stream.flush().await.ok();
                return Some(stream.into_inner());
            }
            "AUTH" => b"235 accepted\r\n",
            "DATA" => {
                data = Some(String::new());
                b"354 go ahead\r\n"
            }
            "QUIT" => {
                stream.write_all(b"221 bye\r\n").await.ok();
                return None;
            }
            _ => b"250 ok\r\n",
        };
        stream.write_all(reply).await.ok();
    }
}

/// A certificate for 127.0.0.1 made for the test, as PEM for the client to trust, and the
/// server's TLS configuration with it.
fn test_certificate() -> (String, Arc<rustls::ServerConfig>) {
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).expect("certificate");
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(api::notifier::crypto_provider())
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], key)
        .expect("server configuration");
    (cert.pem(), Arc::new(config))
}

/// A webhook receiver that answers 500 to its first request, then 200, keeping every body.
async fn webhook_receiver() -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let kept = received.clone();
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: axum::body::Bytes| {
            let kept = kept.clone();
            async move {
                let mut kept = kept.lock().expect("lock");
                kept.push(serde_json::from_slice(&body).unwrap_or_default());
                if kept.len() == 1 {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, router).await.ok() });
    (url, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_and_due_steps_are_sent_once_by_mail_and_webhook_with_retries() {
    let (smtp_port, mails) = smtp_sink().await;
    let (hook, posts) = webhook_receiver().await;
    let app = TestApp::sqlite(Some(api::NotifierSettings {
        mailer: Some(plain_mailer(smtp_port)),
        retry_after_s: 60,
        ..api::NotifierSettings::default()
    }))
    .await;
    for (role, body) in [
        (
            Role::Viewer,
            json!({"topic": "reports", "channel": "email", "target": "lee@union.example"}),
        ),
        (
            Role::Analyst,
            json!({"topic": "reports", "channel": "webhook", "target": hook}),
        ),
        (
            Role::CaseOfficer,
            json!({"topic": "own_cases", "channel": "email", "target": "wong@union.example"}),
        ),
    ] {
        subscribe(&app, role, body).await;
    }
    let refused = app
        .post(
            Role::Viewer,
            "/v1/subscriptions",
            json!({"topic": "own_cases", "channel": "email", "target": "lee@union.example"}),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "cases only for case access"
    );
    // A case assigned to the officer, whose first contact falls due.
    app.save_generated_arrears().await;
    let opened = app
        .post(
            Role::CaseOfficer,
            "/v1/cases",
            json!({"period": "2025-06", "level": "red"}),
        )
        .await
        .json();
    let case = opened[0]["case_id"].as_i64().expect("a case");
    let step = app
        .post(
            Role::CaseOfficer,
            &format!("/v1/cases/{case}/steps"),
            json!({"to": "assigned", "assignee": "wong.officer", "note": "mine", "due": "2026-01-16"}),
        )
        .await;
    assert_eq!(step.status, StatusCode::CREATED, "{}", step.text());
    // A report published.
    let report = app
        .post(
            Role::Analyst,
            "/v1/reports",
            json!({"as_of": "2025-12-31", "lang": "en", "formats": ["html"]}),
        )
        .await;
    assert_eq!(report.status, StatusCode::CREATED, "{}", report.text());
    let report_id = report.json()["id"].as_i64().expect("id");
    let html = app
        .get(Role::Viewer, &format!("/v1/reports/{report_id}/html"))
        .await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.text().contains("<html"));

    let first = app.app.notify_step().await.expect("step");
    assert_eq!(
        (first.sent, first.retrying, first.failed),
        (1, 1, 0),
        "{first:?}"
    );
    assert_eq!(mails.lock().expect("lock").len(), 1);
    assert!(mails.lock().expect("lock")[0].contains("lee@union.example"));
    // The next day the case's step is due; the webhook's retry waits a minute.
    app.advance_s(24 * 3600);
    let second = app.app.notify_step().await.expect("step");
    assert_eq!(second.events, 1, "the due step: {second:?}");
    assert_eq!((second.sent, second.failed), (2, 0), "{second:?}");
    let third = app.app.notify_step().await.expect("step");
    assert_eq!(
        (third.events, third.sent, third.retrying),
        (0, 0, 0),
        "once per event: {third:?}"
    );

    let mails = mails.lock().expect("lock").clone();
    assert_eq!(mails.len(), 2);
    assert!(mails[1].contains("wong@union.example"), "{}", mails[1]);
    assert!(mails[1].contains(&format!("case {case}")) || mails[1].contains(&case.to_string()));
    let posts = posts.lock().expect("lock").clone();
    assert_eq!(posts.len(), 2, "one failure, one success");
    assert_eq!(posts[1]["event"], "report_published");
    assert_eq!(posts[1]["report"]["id"], report_id);
    let record = app
        .get(Role::Admin, "/v1/notifications?all=true")
        .await
        .json();
    let rows: Vec<(String, String, i64)> = record
        .as_array()
        .expect("record")
        .iter()
        .map(|row| {
            (
                row["event_kind"].as_str().expect("kind").to_owned(),
                row["status"].as_str().expect("status").to_owned(),
                row["attempts"].as_i64().expect("attempts"),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("case_due".to_owned(), "sent".to_owned(), 1),
            ("report_published".to_owned(), "sent".to_owned(), 2),
            ("report_published".to_owned(), "sent".to_owned(), 1),
        ]
    );
    let own = app.get(Role::Viewer, "/v1/notifications").await.json();
    assert_eq!(own.as_array().expect("own").len(), 1, "each sees their own");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_alerts_are_sent_once_to_each_follower_and_muted_ones_not_at_all() {
    let (smtp_port, mails) = smtp_sink().await;
    let app = TestApp::sqlite(Some(api::NotifierSettings {
        mailer: Some(plain_mailer(smtp_port)),
        ..api::NotifierSettings::default()
    }))
    .await;
    let alerts = app.get(Role::Viewer, "/v1/alerts").await.json();
    assert_eq!(
        alerts["total"],
        alerts["items"].as_array().map(Vec::len).unwrap_or_default()
    );
    let open: Vec<(String, String)> = alerts["items"]
        .as_array()
        .expect("alerts")
        .iter()
        .map(|alert| {
            (
                alert["subject"].as_str().expect("subject").to_owned(),
                alert["industry"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(
        open.len() >= 2,
        "the vacancies table opens industry alerts: {alerts}"
    );
    let (muted_subject, muted_industry) = open[0].clone();
    let (followed_subject, followed_industry) = open[1].clone();
    for (role, body) in [
        (
            Role::Viewer,
            json!({"topic": "level", "value": "blue", "channel": "email", "target": "lee@union.example"}),
        ),
        (
            Role::Analyst,
            json!({"topic": "industry", "value": followed_industry, "channel": "email", "target": "ng@union.example"}),
        ),
        (
            Role::Analyst,
            json!({"topic": "industry", "value": muted_industry, "channel": "email", "target": "ng@union.example"}),
        ),
    ] {
        subscribe(&app, role, body).await;
    }
    let mute = app
        .post(
            Role::Analyst,
            "/v1/alerts/mutes",
            json!({"rule": "hk-vacancies-yoy-z", "subject": muted_subject, "until": "2026-12", "reason": "known: a strike"}),
        )
        .await;
    assert!(mute.status.is_success(), "{}", mute.text());

    let first = app.app.notify_step().await.expect("step");
    let told = open.len() - 1;
    assert_eq!(
        first.events, told,
        "every open alert but the muted one: {first:?}"
    );
    assert_eq!((first.sent, first.failed), (told + 1, 0), "{first:?}");
    let again = app.app.notify_step().await.expect("step");
    assert_eq!(
        (again.events, again.sent),
        (0, 0),
        "once per alert: {again:?}"
    );

    let mails = mails.lock().expect("lock").clone();
    let to = |address: &str| {
        mails
            .iter()
            .filter(|mail| mail.contains(address))
            .collect::<Vec<_>>()
    };
    assert_eq!(to("lee@union.example").len(), told);
    let analyst = to("ng@union.example");
    assert_eq!(analyst.len(), 1, "the muted industry's alert is not sent");
    assert!(analyst[0].contains(&followed_subject), "{}", analyst[0]);
    assert!(
        !mails.iter().any(|mail| mail.contains(&muted_subject)),
        "a muted alert reached a mailbox"
    );
}

/// The SMTP login of the TLS tests.
const SMTP_USER: &str = "alerts@union.example";
const SMTP_PASSWORD: &str = "correct horse 9";
/// `AUTH PLAIN`'s argument for that login: base64 of NUL, the user, NUL, the password.
const SMTP_AUTH_PLAIN: &str = "AGFsZXJ0c0B1bmlvbi5leGFtcGxlAGNvcnJlY3QgaG9yc2UgOQ==";

/// The loopback test server, unencrypted and without a login.
fn plain_mailer(port: u16) -> api::Mailer {
    api::Mailer {
        host: "127.0.0.1".to_owned(),
        port,
        from: "lmo <lmo@union.example>".to_owned(),
        security: api::SmtpSecurity::None,
        login: None,
    }
}

fn mailer_with_login(port: u16, security: api::SmtpSecurity) -> api::Mailer {
    api::Mailer {
        security,
        login: Some(api::SmtpLogin {
            user: SMTP_USER.to_owned(),
            password: api::SmtpPassword::new(SMTP_PASSWORD),
        }),
        ..plain_mailer(port)
    }
}

/// A server that mails with a login through `security` (trusting `extra_roots`), a viewer
/// following reports by e-mail, and a report published: one mail to send.
async fn report_to_mail_with_login(
    port: u16,
    security: api::SmtpSecurity,
    extra_roots: api::TrustRoots,
) -> TestApp {
    let app = TestApp::sqlite(Some(api::NotifierSettings {
        mailer: Some(mailer_with_login(port, security)),
        extra_roots,
        ..api::NotifierSettings::default()
    }))
    .await;
    subscribe(
        &app,
        Role::Viewer,
        json!({"topic": "reports", "channel": "email", "target": "lee@union.example"}),
    )
    .await;
    publish_report(&app).await;
    app
}

async fn subscribe(app: &TestApp, role: Role, body: serde_json::Value) {
    let answer = app.post(role, "/v1/subscriptions", body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
}

/// A report published: one event for subscribers of `reports`.
async fn publish_report(app: &TestApp) {
    let report = app
        .post(
            Role::Analyst,
            "/v1/reports",
            json!({"as_of": "2025-12-31", "lang": "en", "formats": ["html"]}),
        )
        .await;
    assert_eq!(report.status, StatusCode::CREATED, "{}", report.text());
}

/// The record of deliveries: status, attempts and last error of each.
async fn deliveries(app: &TestApp) -> Vec<(String, i64, String)> {
    let record = app
        .get(Role::Admin, "/v1/notifications?all=true")
        .await
        .json();
    record
        .as_array()
        .expect("record")
        .iter()
        .map(|row| {
            (
                row["status"].as_str().expect("status").to_owned(),
                row["attempts"].as_i64().expect("attempts"),
                row["last_error"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_upgrades_before_the_login_and_the_mail_is_sent_once() {
    let (pem, tls) = test_certificate();
    let (port, record) = smtp_server(SinkSecurity::StartTls(tls)).await;
    let app = report_to_mail_with_login(
        port,
        api::SmtpSecurity::StartTls,
        api::TrustRoots::from_pem(pem.as_bytes()).expect("the test CA"),
    )
    .await;

    let first = app.app.notify_step().await.expect("step");
    assert_eq!(
        (first.sent, first.retrying, first.failed),
        (1, 0, 0),
        "{first:?}"
    );
    let again = app.app.notify_step().await.expect("step");
    assert_eq!((again.events, again.sent), (0, 0), "once: {again:?}");

    let commands = record.commands.lock().expect("lock").clone();
    let upgrade = commands
        .iter()
        .position(|command| command == "plain STARTTLS")
        .unwrap_or_else(|| panic!("no STARTTLS: {commands:?}"));
    assert!(
        commands[..upgrade]
            .iter()
            .all(|command| command.starts_with("plain EHLO ")),
        "only the greeting before the upgrade: {commands:?}"
    );
    let logins: Vec<&String> = commands
        .iter()
        .filter(|command| command.contains("AUTH"))
        .collect();
    assert_eq!(
        logins,
        [&format!("tls AUTH PLAIN {SMTP_AUTH_PLAIN}")],
        "the login once, and only inside TLS: {commands:?}"
    );
    let messages = record.messages.lock().expect("lock").clone();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("lee@union.example"), "{}", messages[0]);
    assert_eq!(
        deliveries(&app).await,
        [("sent".to_owned(), 1, String::new())]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_to_a_server_without_it_fails_and_sends_nothing_in_plaintext() {
    let (port, record) = smtp_server(SinkSecurity::Plain).await;
    let app = report_to_mail_with_login(
        port,
        api::SmtpSecurity::StartTls,
        api::TrustRoots::default(),
    )
    .await;

    let first = app.app.notify_step().await.expect("step");
    assert_eq!(
        (first.sent, first.retrying, first.failed),
        (0, 1, 0),
        "{first:?}"
    );
    let commands = record.commands.lock().expect("lock").clone();
    assert!(
        commands
            .iter()
            .all(|command| command.starts_with("plain EHLO ") || command == "plain QUIT"),
        "nothing but the greeting in plaintext: {commands:?}"
    );
    assert!(record.messages.lock().expect("lock").is_empty());
    let record = deliveries(&app).await;
    assert_eq!(record.len(), 1, "{record:?}");
    let (status, attempts, error) = &record[0];
    assert_eq!((status.as_str(), *attempts), ("pending", 1), "{record:?}");
    assert!(error.contains("STARTTLS"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implicit_tls_carries_the_login_and_the_mail_from_the_first_byte() {
    let (pem, tls) = test_certificate();
    let (port, record) = smtp_server(SinkSecurity::Implicit(tls)).await;
    let app = report_to_mail_with_login(
        port,
        api::SmtpSecurity::Tls,
        api::TrustRoots::from_pem(pem.as_bytes()).expect("the test CA"),
    )
    .await;

    let first = app.app.notify_step().await.expect("step");
    assert_eq!((first.sent, first.retrying), (1, 0), "{first:?}");
    let commands = record.commands.lock().expect("lock").clone();
    assert!(
        commands.iter().all(|command| command.starts_with("tls ")),
        "{commands:?}"
    );
    assert!(
        commands.contains(&format!("tls AUTH PLAIN {SMTP_AUTH_PLAIN}")),
        "{commands:?}"
    );
    assert_eq!(record.messages.lock().expect("lock").len(), 1);
}

/// An https webhook receiver on loopback: it answers 200 to each POST and keeps its body.
async fn https_receiver(
    tls: Arc<rustls::ServerConfig>,
) -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("https://{}/hook", listener.local_addr().expect("address"));
    let received = Arc::new(Mutex::new(Vec::new()));
    let kept = received.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (kept, tls) = (kept.clone(), tls.clone());
            tokio::spawn(async move {
                let Ok(stream) = tokio_rustls::TlsAcceptor::from(tls).accept(stream).await else {
                    return;
                };
                let mut stream = BufReader::new(stream);
                let (mut line, mut length) = (String::new(), 0);
                loop {
                    line.clear();
                    if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':')
                        && name.eq_ignore_ascii_case("content-length")
                    {
                        length = value.trim().parse().expect("content-length");
                    }
                }
                let mut body = vec![0; length];
                stream.read_exact(&mut body).await.expect("body");
                kept.lock()
                    .expect("lock")
                    .push(serde_json::from_slice(&body).unwrap_or_default());
                stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .await
                    .ok();
                stream.shutdown().await.ok();
            });
        }
    });
    (url, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_webhooks_reach_a_receiver_trusted_through_the_extra_roots_only() {
    let (pem, tls) = test_certificate();
    let (hook, posts) = https_receiver(tls).await;
    let webhook = json!({"topic": "reports", "channel": "webhook", "target": hook});

    // Without its certificate trusted, the receiver is refused, the delivery kept to retry.
    let untrusting = TestApp::sqlite(Some(api::NotifierSettings::default())).await;
    subscribe(&untrusting, Role::Analyst, webhook.clone()).await;
    publish_report(&untrusting).await;
    let refused = untrusting.app.notify_step().await.expect("step");
    assert_eq!((refused.sent, refused.retrying), (0, 1), "{refused:?}");
    let record = deliveries(&untrusting).await;
    assert!(record[0].2.contains("certificate"), "{record:?}");
    assert!(posts.lock().expect("lock").is_empty());

    let app = TestApp::sqlite(Some(api::NotifierSettings {
        extra_roots: api::TrustRoots::from_pem(pem.as_bytes()).expect("the test CA"),
        ..api::NotifierSettings::default()
    }))
    .await;
    let ftp = app
        .post(
            Role::Analyst,
            "/v1/subscriptions",
            json!({"topic": "reports", "channel": "webhook", "target": "ftp://127.0.0.1/hook"}),
        )
        .await;
    assert_eq!(ftp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        ftp.text().contains("is an https:// or http:// URL"),
        "{}",
        ftp.text()
    );
    subscribe(&app, Role::Analyst, webhook).await;
    publish_report(&app).await;
    let first = app.app.notify_step().await.expect("step");
    assert_eq!((first.sent, first.retrying), (1, 0), "{first:?}");
    let posts = posts.lock().expect("lock").clone();
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(posts[0]["event"], "report_published");
    assert_eq!(
        deliveries(&app).await,
        [("sent".to_owned(), 1, String::new())]
    );
}
