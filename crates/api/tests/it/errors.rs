//! Errors have one shape: 422 names the field and the reason, 4xx for bad requests of every
//! kind, and a 500 says nothing of its cause (which goes to the log).

use axum::http::{Method, StatusCode};
use domain::Role;

use crate::support::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_4xx_with_the_field_and_reason() {
    let app = TestApp::sqlite(None).await;
    let cases = [
        (
            "/v1/series/csd.215-16001.number_of_vacancies.ALL?as_of=2025-13-40",
            422,
            Some("as_of"),
        ),
        ("/v1/series?limit=0", 422, Some("limit")),
        ("/v1/series?limit=abc", 422, Some("limit")),
        ("/v1/series?unknown=1", 422, Some("query")),
        ("/v1/alerts?level=purple", 422, Some("level")),
        ("/v1/alerts?rules=/etc/passwd", 422, Some("rules")),
        ("/v1/backtest?episodes=/etc/passwd", 422, Some("episodes")),
        ("/v1/series/..%2F..%2Fetc%2Fpasswd", 404, None),
        ("/v1/series/no.such.series", 404, None),
        ("/v1/reports/1/..%2F..%2Fetc", 422, Some("formats")),
        ("/v1/nothing-here", 404, None),
        ("/v1/series/download?ids=x'%20OR%201=1--", 422, Some("ids")),
    ];
    for (path, status, field) in cases {
        let answer = app.get(Role::Admin, path).await;
        assert_eq!(answer.status.as_u16(), status, "{path}: {}", answer.text());
        let body = answer.json();
        assert_eq!(body["error"]["status"], status, "{path}");
        assert_eq!(body["error"]["field"].as_str(), field, "{path}");
        assert!(
            !body["error"]["message"]
                .as_str()
                .expect("message")
                .is_empty()
        );
    }
    let bearer = format!("Bearer {}", app.token(Role::Admin));
    let malformed = app
        .send(
            Method::POST,
            "/v1/subscriptions",
            &[
                ("authorization", &bearer),
                ("content-type", "application/json"),
            ],
            b"{\"topic\": ".to_vec(),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    let wrong_type = app
        .send(
            Method::POST,
            "/v1/subscriptions",
            &[
                ("authorization", &bearer),
                ("content-type", "application/json"),
            ],
            br#"{"topic": 7, "channel": "email", "target": "a@b.hk"}"#.to_vec(),
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_type.json()["error"]["field"], "topic");
    let huge = app
        .send(
            Method::POST,
            "/v1/subscriptions",
            &[
                ("authorization", &bearer),
                ("content-type", "application/json"),
            ],
            vec![b' '; api::BODY_BYTES_MAX + 1],
        )
        .await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    let not_json = app
        .send(
            Method::POST,
            "/v1/subscriptions",
            &[("authorization", &bearer), ("content-type", "text/plain")],
            b"hello".to_vec(),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_reveals_nothing_of_its_cause() {
    let app = TestApp::sqlite(None).await;
    // Another program damages the store under the server.
    let url = app.database_url.clone();
    let path = url.strip_prefix("sqlite://").expect("sqlite").to_owned();
    rusqlite::Connection::open(&path)
        .and_then(|connection| {
            connection.execute_batch("DROP TABLE report_files; DROP TABLE reports;")
        })
        .expect("damage the store");
    let answer = app.get(Role::Viewer, "/v1/reports").await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    let body = answer.json();
    assert_eq!(body["error"]["code"], "internal");
    assert_eq!(body["error"]["message"], "internal error");
    let text = answer.text();
    for secret in ["report", "sqlite", "table", "no such"] {
        assert!(!text.to_lowercase().contains(secret), "{text}");
    }
    // The server stays up.
    assert_eq!(app.get(Role::Viewer, "/v1/me").await.status, StatusCode::OK);
}
