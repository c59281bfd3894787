//! Authentication: tokens stored only as hashes, expiry, revocation, sessions with their
//! cookie flags and CSRF token, rate-limited logins, and the acting user in audit trails.

use axum::http::{Method, StatusCode, header};
use domain::Role;
use serde_json::json;

use crate::support::{TestApp, user_of};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_stored_as_hashes_expire_and_are_revoked() {
    let app = TestApp::sqlite(None).await;
    let created = app
        .post(
            Role::Admin,
            "/v1/tokens",
            json!({"user_name": user_of(Role::Viewer), "label": "report bot", "valid_days": 2}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let created = created.json();
    let token = created["token"]
        .as_str()
        .expect("the token, once")
        .to_owned();
    assert!(token.starts_with("lmo_"));
    let bearer = format!("Bearer {token}");
    let me = app
        .send(
            Method::GET,
            "/v1/me",
            &[("authorization", &bearer)],
            Vec::new(),
        )
        .await;
    assert_eq!(me.json()["user_name"], user_of(Role::Viewer));
    // The store holds the hash, never the token.
    let mut stored = Vec::new();
    for suffix in ["", "-wal"] {
        if let Ok(bytes) = std::fs::read(app.dir.path().join(format!("lmo.sqlite{suffix}"))) {
            stored.extend(bytes);
        }
    }
    let contains = |needle: &str| stored.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(!contains(&token), "the token's text is in the database");
    assert!(
        contains(&engine::access::secret_hash(&token)),
        "its hash is"
    );
    let listed = app.get(Role::Admin, "/v1/tokens").await.text();
    assert!(!listed.contains(&token));
    // Two days later it has expired.
    app.advance_s(2 * 24 * 3600);
    let expired = app
        .send(
            Method::GET,
            "/v1/me",
            &[("authorization", &bearer)],
            Vec::new(),
        )
        .await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.json()["error"]["code"], "unauthenticated");
    // Revoked, a token stops at once.
    let viewer = app.get(Role::Viewer, "/v1/me").await;
    assert_eq!(viewer.status, StatusCode::OK);
    let tokens = app
        .get(Role::Admin, "/v1/tokens?user=lee.viewer")
        .await
        .json();
    let first = tokens[0]["id"].as_i64().expect("id");
    let revoked = app
        .call(
            Some(Role::Admin),
            Method::DELETE,
            &format!("/v1/tokens/{first}"),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert_eq!(revoked.json()["revoked_by"], "ho.admin");
    assert_eq!(
        app.get(Role::Viewer, "/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
}

fn session_of(answer: &crate::support::Answer) -> String {
    answer
        .headers
        .get(header::SET_COOKIE)
        .expect("a session cookie")
        .to_str()
        .expect("text")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_need_their_csrf_token_and_logins_are_rate_limited() {
    let app = TestApp::sqlite(None).await;
    let set = app
        .call(
            Some(Role::Admin),
            Method::PUT,
            "/v1/users/wong.officer/password",
            Some(&json!({"password": "correct horse battery"})),
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.text());
    let short = app
        .call(
            Some(Role::Admin),
            Method::PUT,
            "/v1/users/wong.officer/password",
            Some(&json!({"password": "short"})),
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.json()["error"]["field"], "password");
    let login = |password: &'static str, forwarded: bool| {
        let app = &app;
        async move {
            let mut headers = vec![("content-type", "application/json")];
            if forwarded {
                headers.push(("x-forwarded-proto", "https"));
            }
            app.send(
                Method::POST,
                "/v1/auth/login",
                &headers,
                serde_json::to_vec(&json!({"user_name": "wong.officer", "password": password}))
                    .expect("json"),
            )
            .await
        }
    };
    let answer = login("correct horse battery", false).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let cookie = session_of(&answer);
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(!cookie.contains("Secure"), "no TLS here: {cookie}");
    let behind_tls = session_of(&login("correct horse battery", true).await);
    assert!(behind_tls.contains("; Secure"), "{behind_tls}");
    let csrf = answer.json()["csrf_token"]
        .as_str()
        .expect("csrf")
        .to_owned();
    let session = cookie.split(';').next().expect("name=value").to_owned();
    let subscribe = serde_json::to_vec(&json!({
        "topic": "own_cases", "channel": "email", "target": "wong@union.example"
    }))
    .expect("json");
    let without = app
        .send(
            Method::POST,
            "/v1/subscriptions",
            &[("cookie", &session), ("content-type", "application/json")],
            subscribe.clone(),
        )
        .await;
    assert_eq!(without.status, StatusCode::FORBIDDEN, "{}", without.text());
    let with = app
        .send(
            Method::POST,
            "/v1/subscriptions",
            &[
                ("cookie", &session),
                ("content-type", "application/json"),
                ("x-csrf-token", &csrf),
            ],
            subscribe,
        )
        .await;
    assert_eq!(with.status, StatusCode::CREATED, "{}", with.text());
    assert_eq!(with.json()["user_name"], "wong.officer");
    // Reads need no CSRF token.
    let me = app
        .send(Method::GET, "/v1/me", &[("cookie", &session)], Vec::new())
        .await;
    assert_eq!(me.json()["via"], "session");
    // A form without its token is refused; logging out ends the session.
    let form = app
        .send(
            Method::POST,
            "/logout",
            &[
                ("cookie", &session),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            b"csrf_token=wrong".to_vec(),
        )
        .await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
    let logout = app
        .send(
            Method::POST,
            "/logout",
            &[
                ("cookie", &session),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            format!("csrf_token={csrf}").into_bytes(),
        )
        .await;
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    let after = app
        .send(Method::GET, "/v1/me", &[("cookie", &session)], Vec::new())
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    // Five wrong passwords, then even the right one waits.
    for _ in 0..api::auth::FAILURES_PER_NAME_MAX {
        assert_eq!(
            login("wrong password!", false).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = login("correct horse battery", false).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.contains_key(header::RETRY_AFTER));
    app.advance_s(api::auth::LIMIT_WINDOW_S);
    assert_eq!(
        login("correct horse battery", false).await.status,
        StatusCode::OK
    );
    let log = app.get(Role::Admin, "/v1/users/events").await.json();
    let refused = log["credentials"]
        .as_array()
        .expect("log")
        .iter()
        .filter(|event| event["action"] == "login_refused")
        .count();
    assert_eq!(
        refused,
        api::auth::FAILURES_PER_NAME_MAX,
        "refused logins are logged (not the limited one)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_record_the_authenticated_user_not_a_name_in_the_body() {
    let app = TestApp::sqlite(None).await;
    app.save_generated_arrears().await;
    let opened = app
        .post(
            Role::CaseOfficer,
            "/v1/cases",
            json!({"period": "2025-06", "level": "yellow"}),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.text());
    let case = opened.json()[0]["case_id"].as_i64().expect("a case");
    // A body naming another user is refused, not believed.
    let forged = app
        .post(
            Role::CaseOfficer,
            &format!("/v1/cases/{case}/steps"),
            json!({"to": "assigned", "assignee": "wong.officer", "note": "mine", "user_name": "ho.admin"}),
        )
        .await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(forged.json()["error"]["field"], "user_name");
    let step = app
        .post(
            Role::CaseOfficer,
            &format!("/v1/cases/{case}/steps"),
            json!({"to": "assigned", "assignee": "wong.officer", "note": "mine"}),
        )
        .await;
    assert_eq!(step.status, StatusCode::CREATED, "{}", step.text());
    let events = app
        .get(Role::Admin, &format!("/v1/cases/{case}/events"))
        .await
        .json();
    let users: Vec<&str> = events
        .as_array()
        .expect("events")
        .iter()
        .map(|event| event["user"].as_str().expect("user"))
        .collect();
    assert_eq!(users, ["wong.officer", "wong.officer"]);
    // Employer-level results only for case officers and admins; aggregates for analysts.
    let employers = app
        .get(Role::Analyst, "/v1/arrears/runs/2025-06/employers")
        .await;
    assert_eq!(employers.status, StatusCode::FORBIDDEN);
    let aggregate = app
        .get(Role::Analyst, "/v1/arrears/runs?as_of=2025-08-31")
        .await;
    assert_eq!(aggregate.status, StatusCode::OK, "{}", aggregate.text());
    assert!(!aggregate.text().contains("employer_id"));
    let added = app
        .post(
            Role::Admin,
            "/v1/users",
            json!({"user_name": "chan", "role": "analyst"}),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED);
    let log = app.get(Role::Admin, "/v1/users/events").await.json();
    let last = log["users"]
        .as_array()
        .expect("log")
        .last()
        .cloned()
        .expect("entry");
    assert_eq!(last["user_name"], "chan");
    assert_eq!(last["by"], "ho.admin");
}
