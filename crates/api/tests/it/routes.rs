//! Every route with every role and with no credentials: the status each must answer. The
//! table must name every operation of the OpenAPI document, and the page table every page
//! of the dashboard, so a new route without an entry fails this test.

use std::collections::BTreeSet;

use axum::http::Method;
use domain::Role;
use serde_json::json;

use crate::support::TestApp;

/// Who asks: no credentials, then each role.
const CALLERS: [Option<Role>; 5] = [
    None,
    Some(Role::Viewer),
    Some(Role::Analyst),
    Some(Role::CaseOfficer),
    Some(Role::Admin),
];

struct Entry {
    method: Method,
    /// The route as the OpenAPI document names it.
    route: &'static str,
    /// The request sent.
    path: &'static str,
    body: Option<serde_json::Value>,
    /// The status for no credentials, viewer, analyst, case officer, admin.
    expected: [u16; 5],
}

fn entry(
    method: Method,
    route: &'static str,
    path: &'static str,
    body: Option<serde_json::Value>,
    expected: [u16; 5],
) -> Entry {
    Entry {
        method,
        route,
        path,
        body,
        expected,
    }
}

const SERIES: &str = "csd.215-16001.number_of_vacancies.ALL";

fn table() -> Vec<Entry> {
    use Method as M;
    let all = [401, 200, 200, 200, 200];
    vec![
        entry(M::GET, "/v1/series", "/v1/series?q=vacancies", None, all),
        entry(
            M::GET,
            "/v1/series/{id}",
            "/v1/series/csd.215-16001.number_of_vacancies.ALL?as_of=2025-01-01",
            None,
            all,
        ),
        entry(
            M::GET,
            "/v1/series/{id}/vintages/{period}",
            "/v1/series/csd.215-16001.number_of_vacancies.ALL/vintages/2025-09",
            None,
            all,
        ),
        entry(
            M::GET,
            "/v1/series/download",
            "/v1/series/download?ids=csd.215-16001.number_of_vacancies.ALL&format=xlsx",
            None,
            all,
        ),
        entry(M::GET, "/v1/indicators", "/v1/indicators", None, all),
        // The store holds no climate inputs: found nothing, for everyone allowed to ask.
        entry(
            M::GET,
            "/v1/climate",
            "/v1/climate",
            None,
            [401, 404, 404, 404, 404],
        ),
        entry(M::GET, "/v1/alerts", "/v1/alerts?all=true", None, all),
        entry(
            M::POST,
            "/v1/alerts/acknowledgements",
            "/v1/alerts/acknowledgements",
            Some(json!({"id": "no/such/alert", "reason": "seen"})),
            [401, 403, 422, 422, 422],
        ),
        entry(
            M::POST,
            "/v1/alerts/mutes",
            "/v1/alerts/mutes",
            Some(
                json!({"rule": "no-such-rule", "subject": "*", "until": "2026-03", "reason": "noise"}),
            ),
            [401, 403, 422, 422, 422],
        ),
        entry(M::GET, "/v1/watchlist", "/v1/watchlist", None, all),
        entry(
            M::GET,
            "/v1/watchlist/history",
            "/v1/watchlist/history?from=2024-01&to=2024-06",
            None,
            all,
        ),
        entry(
            M::GET,
            "/v1/backtest",
            "/v1/backtest",
            None,
            [401, 404, 404, 404, 404],
        ),
        entry(
            M::GET,
            "/v1/arrears/runs",
            "/v1/arrears/runs",
            None,
            [401, 403, 404, 404, 404],
        ),
        entry(
            M::GET,
            "/v1/arrears/runs/{period}/employers",
            "/v1/arrears/runs/2025-06/employers",
            None,
            [401, 403, 403, 200, 200],
        ),
        entry(
            M::GET,
            "/v1/cases",
            "/v1/cases",
            None,
            [401, 403, 403, 200, 200],
        ),
        entry(
            M::POST,
            "/v1/cases",
            "/v1/cases",
            Some(json!({"period": "2024-01"})),
            [401, 403, 403, 422, 422],
        ),
        entry(
            M::GET,
            "/v1/cases/due",
            "/v1/cases/due",
            None,
            [401, 403, 403, 200, 200],
        ),
        entry(
            M::GET,
            "/v1/cases/{id}",
            "/v1/cases/999",
            None,
            [401, 403, 403, 404, 404],
        ),
        entry(
            M::GET,
            "/v1/cases/{id}/events",
            "/v1/cases/999/events",
            None,
            [401, 403, 403, 404, 404],
        ),
        entry(
            M::POST,
            "/v1/cases/{id}/steps",
            "/v1/cases/999/steps",
            Some(json!({"to": "intervening", "how": "call", "note": "called"})),
            [401, 403, 403, 404, 404],
        ),
        entry(M::GET, "/v1/reports", "/v1/reports", None, all),
        entry(
            M::POST,
            "/v1/reports",
            "/v1/reports",
            Some(json!({"formats": ["docx"]})),
            [401, 403, 422, 422, 422],
        ),
        entry(
            M::GET,
            "/v1/reports/{id}/{format}",
            "/v1/reports/1/html",
            None,
            [401, 404, 404, 404, 404],
        ),
        entry(
            M::POST,
            "/v1/auth/logout",
            "/v1/auth/logout",
            None,
            [401, 204, 204, 204, 204],
        ),
        entry(M::GET, "/v1/me", "/v1/me", None, all),
        entry(
            M::PUT,
            "/v1/me/password",
            "/v1/me/password",
            Some(
                json!({"current_password": "not the password", "new_password": "a long new password"}),
            ),
            [401, 403, 403, 403, 403],
        ),
        entry(
            M::GET,
            "/v1/users",
            "/v1/users",
            None,
            [401, 403, 403, 403, 200],
        ),
        entry(
            M::POST,
            "/v1/users",
            "/v1/users",
            Some(json!({"user_name": "chan.new", "role": "viewer"})),
            [401, 403, 403, 403, 201],
        ),
        entry(
            M::PUT,
            "/v1/users/{name}/role",
            "/v1/users/nobody/role",
            Some(json!({"role": "viewer", "note": "test"})),
            [401, 403, 403, 403, 422],
        ),
        entry(
            M::PUT,
            "/v1/users/{name}/password",
            "/v1/users/chan.new/password",
            Some(json!({"password": "twelve chars at least"})),
            [401, 403, 403, 403, 204],
        ),
        entry(
            M::GET,
            "/v1/users/events",
            "/v1/users/events",
            None,
            [401, 403, 403, 403, 200],
        ),
        entry(
            M::GET,
            "/v1/tokens",
            "/v1/tokens",
            None,
            [401, 403, 403, 403, 200],
        ),
        entry(
            M::POST,
            "/v1/tokens",
            "/v1/tokens",
            Some(json!({"user_name": "chan.new", "label": "x"})),
            [401, 403, 403, 403, 201],
        ),
        entry(
            M::DELETE,
            "/v1/tokens/{id}",
            "/v1/tokens/999",
            None,
            [401, 403, 403, 403, 404],
        ),
        entry(M::GET, "/v1/subscriptions", "/v1/subscriptions", None, all),
        entry(
            M::POST,
            "/v1/subscriptions",
            "/v1/subscriptions",
            Some(
                json!({"topic": "reports", "channel": "webhook", "target": "http://127.0.0.1:9/hook"}),
            ),
            [401, 201, 201, 201, 201],
        ),
        entry(
            M::DELETE,
            "/v1/subscriptions/{id}",
            "/v1/subscriptions/999",
            None,
            [401, 404, 404, 404, 404],
        ),
        entry(M::GET, "/v1/notifications", "/v1/notifications", None, all),
        // Outside the OpenAPI document's operations.
        entry(
            M::POST,
            "/v1/auth/login",
            "/v1/auth/login",
            Some(json!({"user_name": "nobody", "password": "wrong"})),
            [401, 401, 401, 401, 401],
        ),
        entry(M::GET, "/v1/openapi.json", "/v1/openapi.json", None, all),
        entry(M::GET, "/v1/docs", "/v1/docs", None, all),
        entry(M::GET, "/healthz", "/healthz", None, [200; 5]),
        entry(M::GET, "/metrics", "/metrics", None, [200; 5]),
    ]
}

/// A form body, as a browser sends it.
fn form(fields: &str) -> serde_json::Value {
    serde_json::Value::String(fields.to_owned())
}

/// The browser pages, which the OpenAPI document does not describe: this table must name
/// every one of them (`App::page_routes`). A page without a session sends the browser to
/// the login form (303); a role below the page's gets a refusal page (403).
fn page_table() -> Vec<Entry> {
    use Method as M;
    let all = [303, 200, 200, 200, 200];
    vec![
        entry(M::GET, "/login", "/login?next=/alerts", None, [200; 5]),
        entry(
            M::POST,
            "/login",
            "/login",
            Some(form("user_name=nobody&password=wrong&csrf_token=x")),
            [403; 5],
        ),
        entry(M::GET, "/lang", "/lang?to=en&next=/series", None, [303; 5]),
        entry(M::GET, "/assets/lmo.css", "/assets/lmo.css", None, [200; 5]),
        entry(
            M::POST,
            "/logout",
            "/logout",
            Some(form("")),
            [401, 303, 303, 303, 303],
        ),
        entry(M::GET, "/", "/", None, all),
        entry(M::GET, "/series", "/series?q=vacancies", None, all),
        entry(
            M::GET,
            "/series/chart",
            "/series/chart?id=csd.215-16001.number_of_vacancies.ALL&transform=pct_year",
            None,
            all,
        ),
        entry(M::GET, "/alerts", "/alerts?all=true", None, all),
        entry(
            M::POST,
            "/alerts/acknowledge",
            "/alerts/acknowledge",
            Some(form("id=no/such/alert&reason=seen")),
            [401, 403, 422, 422, 422],
        ),
        entry(
            M::POST,
            "/alerts/mute",
            "/alerts/mute",
            Some(form(
                "rule=no-such-rule&subject=*&until=2026-03&reason=noise",
            )),
            [401, 403, 422, 422, 422],
        ),
        entry(
            M::GET,
            "/watchlist",
            "/watchlist?from=2025-01&to=2025-06",
            None,
            all,
        ),
        entry(
            M::GET,
            "/arrears",
            "/arrears",
            None,
            [303, 403, 200, 200, 200],
        ),
        entry(M::GET, "/cases", "/cases", None, [303, 403, 403, 200, 200]),
        entry(
            M::POST,
            "/cases/open",
            "/cases/open",
            Some(form("period=2024-01&level=orange")),
            [401, 403, 403, 422, 422],
        ),
        entry(
            M::GET,
            "/cases/{id}",
            "/cases/999",
            None,
            [303, 403, 403, 404, 404],
        ),
        entry(
            M::POST,
            "/cases/{id}/steps",
            "/cases/999/steps",
            Some(form("to=intervening&how=call&note=called")),
            [401, 403, 403, 404, 404],
        ),
        entry(M::GET, "/talent", "/talent", None, all),
        entry(M::GET, "/reports", "/reports", None, all),
        entry(
            M::POST,
            "/reports/generate",
            "/reports/generate",
            Some(form("as_of=not-a-date&html=on")),
            [401, 403, 422, 422, 422],
        ),
    ]
}

async fn walk(app: &TestApp) {
    let table = table();
    // Every operation of the document has an entry.
    let document = app.get(Role::Viewer, "/v1/openapi.json").await.json();
    let mut documented = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let listed: BTreeSet<(String, String)> = table
        .iter()
        .map(|entry| (entry.method.to_string(), entry.route.to_owned()))
        .collect();
    let missing: Vec<_> = documented.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "routes without an entry in the table: {missing:?}"
    );
    let pages = page_table();
    let listed_pages: BTreeSet<(String, String)> = pages
        .iter()
        .map(|entry| (entry.method.to_string(), entry.route.to_owned()))
        .collect();
    let served_pages: BTreeSet<(String, String)> = api::App::page_routes()
        .into_iter()
        .map(|(method, path)| (method.to_string(), path.to_owned()))
        .collect();
    let missing: Vec<_> = served_pages.difference(&listed_pages).collect();
    assert!(
        missing.is_empty(),
        "pages without an entry in the page table: {missing:?}"
    );
    let mut wrong = Vec::new();
    for entry in table.iter().chain(&pages) {
        for (caller, expected) in CALLERS.iter().zip(entry.expected) {
            let answer = app
                .call(
                    *caller,
                    entry.method.clone(),
                    entry.path,
                    entry.body.as_ref(),
                )
                .await;
            if answer.status.as_u16() != expected {
                wrong.push(format!(
                    "{} {} as {caller:?}: {} (expected {expected}) {}",
                    entry.method,
                    entry.path,
                    answer.status,
                    answer.text().chars().take(200).collect::<String>()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(SERIES.starts_with("csd."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_role_as_the_table_says_on_sqlite() {
    walk(&TestApp::sqlite(None).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_role_as_the_table_says_on_postgres() {
    if let Some(url) = tokio::task::block_in_place(|| crate::support::postgres_database("routes")) {
        walk(&TestApp::on(url).await).await;
    }
}
