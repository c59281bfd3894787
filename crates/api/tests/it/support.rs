//! The real server on a loopback port, over a fresh store (SQLite in a temp dir, or a
//! PostgreSQL database when `TEST_PG_URL` is set), with a clock the test moves, four users
//! (one per role) and their tokens, and the C&SD vacancies table imported.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use api::{App, Clock, NotifierSettings};
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use domain::Role;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// 2026-01-15 10:00 in Hong Kong.
pub(crate) const START_S: i64 = 1_768_442_400;

pub(crate) struct TestClock(pub(crate) AtomicI64);

impl Clock for TestClock {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::from_second(self.0.load(Ordering::SeqCst)).expect("time")
    }
}

pub(crate) struct TestApp {
    pub(crate) app: App,
    pub(crate) base: String,
    pub(crate) clock: Arc<TestClock>,
    pub(crate) tokens: HashMap<Role, String>,
    pub(crate) database_url: String,
    pub(crate) dir: tempfile::TempDir,
    client: Client<HttpConnector, Full<Bytes>>,
}

pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.text()))
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub(crate) const USERS: [(&str, Role); 4] = [
    ("lee.viewer", Role::Viewer),
    ("ng.analyst", Role::Analyst),
    ("wong.officer", Role::CaseOfficer),
    ("ho.admin", Role::Admin),
];

pub(crate) fn user_of(role: Role) -> &'static str {
    USERS
        .iter()
        .find(|(_, r)| *r == role)
        .map(|(name, _)| *name)
        .expect("a user per role")
}

pub(crate) fn data(relative: &str) -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(relative)
}

/// A fresh PostgreSQL database, or `None` when no server is configured.
pub(crate) fn postgres_database(name: &str) -> Option<String> {
    let Ok(admin_url) = std::env::var("TEST_PG_URL") else {
        assert!(
            std::env::var("LMO_REQUIRE_PG").as_deref() != Ok("1"),
            "LMO_REQUIRE_PG=1 but TEST_PG_URL is not set"
        );
        return None;
    };
    let database = format!("lmo_api_{name}_{}", std::process::id());
    let mut client = postgres::Client::connect(&admin_url, postgres::NoTls).expect("connect");
    for statement in [
        format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
        format!("CREATE DATABASE {database}"),
    ] {
        client
            .batch_execute(&statement)
            .expect("create the database");
    }
    let (base, _) = admin_url.rsplit_once('/').expect("a database in the URL");
    Some(format!("{base}/{database}"))
}

pub(crate) fn now_of(clock: &TestClock) -> engine::ImportTime {
    let now = clock.now();
    engine::ImportTime {
        imported_at: now.to_string(),
        today: now
            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
            .date(),
    }
}

impl TestApp {
    pub(crate) async fn sqlite(notifier: Option<NotifierSettings>) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("lmo.sqlite").display());
        TestApp::start(dir, url, notifier).await
    }

    pub(crate) async fn on(database_url: String) -> TestApp {
        TestApp::start(tempfile::tempdir().expect("temp dir"), database_url, None).await
    }

    async fn start(
        dir: tempfile::TempDir,
        database_url: String,
        notifier: Option<NotifierSettings>,
    ) -> TestApp {
        let clock = Arc::new(TestClock(AtomicI64::new(START_S)));
        let (url, rejects) = (database_url.clone(), dir.path().join("rejects.csv"));
        let time = now_of(&clock);
        let now = clock.now();
        let tokens = tokio::task::spawn_blocking(move || {
            let mut engine = engine::Engine::open(&url).expect("open the store");
            let file = data(
                "hk/csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv",
            );
            let report = engine
                .import(
                    engine::ImportRequest {
                        name: file.display().to_string(),
                        reader: Box::new(std::fs::File::open(&file).expect("data file")),
                        container: engine::Container::Csv,
                        format: None,
                        mapping: None,
                        vintage: None,
                        allow_partial: false,
                        correct: false,
                        rejects_path: rejects,
                    },
                    &time,
                    &mut |_| {},
                )
                .expect("import");
            assert!(report.committed);
            let mut tokens = HashMap::new();
            // The admin first: from then on only an admin adds users.
            engine
                .add_user("ho.admin", Role::Admin, None, &time.imported_at)
                .expect("admin");
            for (name, role) in USERS {
                if role != Role::Admin {
                    engine
                        .add_user(name, role, Some("ho.admin"), &time.imported_at)
                        .expect("user");
                }
                let issued = engine
                    .create_token(name, "test", None, now, 30)
                    .expect("token");
                tokens.insert(role, issued.secret);
            }
            tokens
        })
        .await
        .expect("seed");
        // Opening a PostgreSQL store blocks: not on an async worker.
        let settings = api::Settings {
            database_url: database_url.clone(),
            pool_size: 4,
            clock: clock.clone(),
            secure_cookies: false,
            session_hours: 12,
            scratch_dir: dir.path().join("scratch"),
            notifier,
        };
        let app = tokio::task::block_in_place(|| App::new(settings)).expect("the app starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(app.clone().serve(listener, std::future::pending(), None));
        TestApp {
            app,
            base,
            clock,
            tokens,
            database_url,
            dir,
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    pub(crate) fn advance_s(&self, seconds: i64) {
        self.clock.0.fetch_add(seconds, Ordering::SeqCst);
    }

    pub(crate) fn token(&self, role: Role) -> &str {
        &self.tokens[&role]
    }

    /// Sends a request; `headers` are added as given.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Answer {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self
            .client
            .request(request.body(Full::new(Bytes::from(body))).expect("request"))
            .await
            .expect("the server answers");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    /// A request as `role` (with its token), or without credentials; `json` is the body
    /// (a JSON string is sent as a form instead).
    pub(crate) async fn call(
        &self,
        role: Option<Role>,
        method: Method,
        path: &str,
        json: Option<&serde_json::Value>,
    ) -> Answer {
        let bearer = role.map(|role| format!("Bearer {}", self.token(role)));
        let mut headers = Vec::new();
        if let Some(bearer) = &bearer {
            headers.push(("authorization", bearer.as_str()));
        }
        let body = match json {
            // A string stands for a form, sent as a browser sends it.
            Some(serde_json::Value::String(form)) => {
                headers.push(("content-type", "application/x-www-form-urlencoded"));
                form.as_bytes().to_vec()
            }
            Some(json) => {
                headers.push(("content-type", "application/json"));
                serde_json::to_vec(json).expect("json")
            }
            None => Vec::new(),
        };
        self.send(method, path, &headers, body).await
    }

    pub(crate) async fn get(&self, role: Role, path: &str) -> Answer {
        self.call(Some(role), Method::GET, path, None).await
    }

    pub(crate) async fn post(&self, role: Role, path: &str, json: serde_json::Value) -> Answer {
        self.call(Some(role), Method::POST, path, Some(&json)).await
    }

    /// Saves a generated arrears month (2025-06, 300 employers, seed 11) as the admin.
    pub(crate) async fn save_generated_arrears(&self) {
        let url = self.database_url.clone();
        let dir = self.dir.path().join("arrears");
        let time = now_of(&self.clock);
        tokio::task::spawn_blocking(move || {
            let period = domain::Period::parse("2025-06").expect("period");
            let config = engine::GeneratorConfig::new(11, 300, period);
            let files = engine::generate_arrears_files(&config, &dir, true, true).expect("files");
            let open = |path: &std::path::Path| -> engine::NamedReader<'static> {
                (
                    path.display().to_string(),
                    Box::new(std::io::BufReader::new(
                        std::fs::File::open(path).expect("file"),
                    )),
                )
            };
            let report = engine::detect_arrears(engine::ArrearsRequest {
                period,
                as_of: config.as_of,
                pseudonym_key: b"a-test-key-of-thirty-two-bytes!!",
                register: open(&files.employers),
                remittances: files.remittances.as_deref().map(open).into_iter().collect(),
                payroll: files.payroll.as_deref().map(open).into_iter().collect(),
                reports: vec![open(&files.reports)],
                prior: Vec::new(),
                closures: Vec::new(),
                thresholds: None,
                rejects_path: dir.join("rejects.csv"),
            })
            .expect("detect");
            let mut engine = engine::Engine::open(&url).expect("open");
            engine
                .save_arrears(&report, "ho.admin", &time.imported_at)
                .expect("save");
        })
        .await
        .expect("arrears");
    }
}
