//! The dashboard's pages over HTTP: the language remembered in a cookie, forms that need
//! their session's CSRF token, values escaped, refusals as pages in both languages. The
//! browser tests (tests/browser, run by scripts/test) drive the same pages in Chromium.

use axum::http::{Method, StatusCode, header};
use domain::Role;
use serde_json::json;

use crate::support::TestApp;

/// A session cookie (`lmo_session=…`) and its CSRF token for `role`'s user.
async fn session(app: &TestApp, role: Role) -> (String, String) {
    let user = crate::support::user_of(role);
    let set = app
        .call(
            Some(Role::Admin),
            Method::PUT,
            &format!("/v1/users/{user}/password"),
            Some(&json!({"password": "a password for pages"})),
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.text());
    let login = app
        .send(
            Method::POST,
            "/v1/auth/login",
            &[("content-type", "application/json")],
            serde_json::to_vec(&json!({"user_name": user, "password": "a password for pages"}))
                .expect("json"),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.text());
    let cookie = login.headers[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("name=value")
        .to_owned();
    let csrf = login.json()["csrf_token"]
        .as_str()
        .expect("csrf")
        .to_owned();
    (cookie, csrf)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_is_switched_remembered_and_never_sends_the_browser_away() {
    let app = TestApp::sqlite(None).await;
    let (session, _) = session(&app, Role::Viewer).await;
    let switched = app
        .send(
            Method::GET,
            "/lang?to=en&next=/series%3Fq%3Dvacancies",
            &[],
            Vec::new(),
        )
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.headers[header::LOCATION], "/series?q=vacancies");
    let remembered = switched.headers[header::SET_COOKIE]
        .to_str()
        .expect("cookie");
    assert!(remembered.starts_with("lmo_lang=en;"), "{remembered}");
    assert!(remembered.contains("Max-Age=31536000"), "{remembered}");
    for elsewhere in [
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
    ] {
        let answer = app
            .send(
                Method::GET,
                &format!("/lang?to=en&next={elsewhere}"),
                &[],
                Vec::new(),
            )
            .await;
        assert_eq!(answer.headers[header::LOCATION], "/", "{elsewhere}");
    }
    let page = |cookies: String| {
        let app = &app;
        async move {
            app.send(Method::GET, "/", &[("cookie", &cookies)], Vec::new())
                .await
        }
    };
    let english = page(format!("{session}; lmo_lang=en")).await;
    assert_eq!(english.status, StatusCode::OK, "{}", english.text());
    assert!(english.text().contains(r#"<html lang="en">"#));
    assert!(english.text().contains("<h1>Overview</h1>"));
    let chinese = page(format!("{session}; lmo_lang=zh-Hant")).await;
    assert!(chinese.text().contains(r#"<html lang="zh-Hant">"#));
    assert!(chinese.text().contains("<h1>概覽</h1>"));
    // Without a session a page sends the browser to log in, and back afterwards.
    let anonymous = app
        .send(Method::GET, "/alerts?level=red", &[], Vec::new())
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.headers[header::LOCATION],
        "/login?next=%2Falerts%3Flevel%3Dred"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_need_the_sessions_csrf_token_and_values_are_escaped() {
    let app = TestApp::sqlite(None).await;
    let (session, csrf) = session(&app, Role::Analyst).await;
    let form = |body: String| {
        let app = &app;
        let session = session.clone();
        async move {
            app.send(
                Method::POST,
                "/alerts/mute",
                &[
                    ("cookie", &session),
                    ("content-type", "application/x-www-form-urlencoded"),
                ],
                body.into_bytes(),
            )
            .await
        }
    };
    let fields = "rule=hk-vacancy-decline-breadth&subject=*&until=2026-03&reason=noise";
    let without = form(fields.to_owned()).await;
    assert_eq!(without.status, StatusCode::FORBIDDEN);
    assert!(without.text().contains("csrf_token"), "{}", without.text());
    let with = form(format!("{fields}&csrf_token={csrf}")).await;
    assert_eq!(with.status, StatusCode::SEE_OTHER, "{}", with.text());
    assert_eq!(with.headers[header::LOCATION], "/alerts?done=muted");
    // What a user typed comes back as text, never as markup.
    let search = app
        .send(
            Method::GET,
            "/series?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            &[("cookie", &session)],
            Vec::new(),
        )
        .await;
    assert_eq!(search.status, StatusCode::OK);
    assert!(
        search
            .text()
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(!search.text().contains("<script>"));
    assert_eq!(
        search.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp")
            .split(';')
            .next(),
        Some("default-src 'none'")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_is_refused_the_case_board_with_a_page_in_both_languages() {
    let app = TestApp::sqlite(None).await;
    let (session, _) = session(&app, Role::Viewer).await;
    let board = app
        .send(Method::GET, "/cases", &[("cookie", &session)], Vec::new())
        .await;
    assert_eq!(board.status, StatusCode::FORBIDDEN);
    let text = board.text();
    assert!(text.contains("你的角色不可使用此頁或此項操作。"), "{text}");
    assert!(
        text.contains("Your role may not use this page or do this."),
        "{text}"
    );
    assert!(
        !text.contains(r#"href="/cases""#),
        "no link to the board: {text}"
    );
    let overview = app
        .send(Method::GET, "/", &[("cookie", &session)], Vec::new())
        .await;
    assert!(!overview.text().contains(r#"href="/cases""#));
    assert!(!overview.text().contains(r#"href="/arrears""#));
}
