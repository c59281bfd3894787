//! Timely risk alerts end to end: subscriptions through the API, a report published and a
//! case step falling due, sent once each to a local SMTP sink and a local webhook receiver
//! (which fails once, so the delivery is retried), with the record of what was sent.

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use domain::Role;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::support::TestApp;

/// A minimal SMTP server that accepts every message and keeps its DATA.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    let messages = Arc::new(Mutex::new(Vec::new()));
    let kept = messages.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.ok();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(text) = data.as_mut() {
                        if line == "." {
                            kept.lock().expect("lock").push(std::mem::take(text));
                            data = None;
                            write.write_all(b"250 queued\r\n").await.ok();
                        } else {
                            text.push_str(&line);
                            text.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.ok();
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.ok();
                }
            });
        }
    });
    (port, messages)
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
        mailer: Some(api::Mailer {
            host: "127.0.0.1".to_owned(),
            port: smtp_port,
            from: "lmo <lmo@union.example>".to_owned(),
        }),
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
        let answer = app.post(role, "/v1/subscriptions", body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
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
        mailer: Some(api::Mailer {
            host: "127.0.0.1".to_owned(),
            port: smtp_port,
            from: "lmo <lmo@union.example>".to_owned(),
        }),
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
        let answer = app.post(role, "/v1/subscriptions", body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
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
