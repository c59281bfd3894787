//! The HTTP server: the JSON API under `/v1`, its OpenAPI document, health and metrics,
//! the dashboard (server-rendered pages in Traditional Chinese or English, with browser
//! logins), and the notifier that sends timely risk alerts.
//!
//! The only crate besides the CLI's own output that speaks JSON (its DTOs live here).
//! Handlers call [`engine::Engine`] methods on a small pool of engines, each call on a
//! blocking thread (the store is synchronous); they never touch SQL. Every route but
//! `/healthz`, `/metrics` and the login needs an API token or a session ([`auth`]).
//! Time comes from the [`Clock`] the caller passes in.

pub mod auth;
mod cache;
mod error;
mod metrics;
pub mod notifier;
mod openapi;
mod params;
mod pool;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;

pub use error::{ApiError, ErrorBody};
pub use notifier::{
    Mailer, NotifierSettings, SmtpLogin, SmtpPassword, SmtpSecurity, StepReport, TrustRoots,
};

/// Where the time comes from: the CLI passes the wall clock, tests a clock they move.
pub trait Clock: Send + Sync {
    fn now(&self) -> jiff::Timestamp;
}

/// Hong Kong's offset from UTC, the time zone of "today".
pub(crate) fn hong_kong() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::fixed(jiff::tz::offset(8))
}

/// The largest request body accepted, in bytes: every body of the API is a small JSON
/// document or form.
pub const BODY_BYTES_MAX: usize = 64 * 1024;

/// How the server runs.
pub struct Settings {
    /// `sqlite://PATH` or `postgres://…`.
    pub database_url: String,
    /// Engines (store connections) kept open for requests.
    pub pool_size: usize,
    pub clock: Arc<dyn Clock>,
    /// Set the `Secure` flag on cookies (lmo is reached through HTTPS, a TLS proxy).
    pub secure_cookies: bool,
    /// How long a browser session lasts.
    pub session_hours: u16,
    /// Where generated reports are written before they are archived.
    pub scratch_dir: std::path::PathBuf,
    /// `None`: no notifier runs (tests drive [`App::notify_step`] themselves).
    pub notifier: Option<NotifierSettings>,
}

/// What every handler shares.
pub(crate) struct AppState {
    pub(crate) pool: pool::Pool,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) secure_cookies: bool,
    pub(crate) session_hours: u16,
    pub(crate) scratch_dir: std::path::PathBuf,
    pub(crate) limiter: auth::LoginLimiter,
    pub(crate) cache: cache::Cache,
    pub(crate) metrics: metrics::Metrics,
    pub(crate) notifier: Option<NotifierSettings>,
    /// The report's figures as known today, for the dashboard's overview and talent pages.
    pub(crate) snapshots: routes::pages::Snapshots,
}

impl AppState {
    pub(crate) fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// Today in Hong Kong.
    pub(crate) fn today(&self) -> domain::Date {
        self.now().to_zoned(hong_kong()).date()
    }

    /// Now as people read it: Hong Kong time to the second, with its offset.
    pub(crate) fn now_text(&self) -> String {
        self.now()
            .to_zoned(hong_kong())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }
}

pub(crate) type State = Arc<AppState>;

/// The server, ready to serve.
#[derive(Clone)]
pub struct App {
    state: State,
    router: Router,
}

impl App {
    /// Opens the store (migrating it) and builds the routes. It blocks while the store
    /// opens: call it before the async runtime, or on a blocking thread.
    pub fn new(settings: Settings) -> Result<App, ApiError> {
        if let Some(mailer) = settings.notifier.as_ref().and_then(|n| n.mailer.as_ref()) {
            mailer.check()?;
        }
        let pool = pool::Pool::open(&settings.database_url, settings.pool_size.max(1))?;
        let state = Arc::new(AppState {
            pool,
            clock: settings.clock,
            secure_cookies: settings.secure_cookies,
            session_hours: settings.session_hours,
            scratch_dir: settings.scratch_dir,
            limiter: auth::LoginLimiter::default(),
            cache: cache::Cache::default(),
            metrics: metrics::Metrics::new(),
            notifier: settings.notifier,
            snapshots: routes::pages::Snapshots::default(),
        });
        let router = routes::router(&state).layer(DefaultBodyLimit::max(BODY_BYTES_MAX));
        Ok(App { state, router })
    }

    /// The routes, for tests that call them without a socket.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// The OpenAPI document as served at `/v1/openapi.json`.
    pub fn openapi_json() -> String {
        openapi::document_json()
    }

    /// The method and path of every browser page (the dashboard and the login form), for
    /// tests that must cover each of them.
    pub fn page_routes() -> Vec<(axum::http::Method, &'static str)> {
        routes::pages::routes_listed()
    }

    /// One round of the notifier: collect new events, then send what is due.
    pub async fn notify_step(&self) -> Result<StepReport, ApiError> {
        notifier::step(&self.state).await
    }

    /// Serves on `listener` until `shutdown` resolves, then finishes the requests in flight.
    /// The notifier (when configured) runs beside it every `notify_every`.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
        notify_every: Option<Duration>,
    ) -> std::io::Result<()> {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let notifier = match (notify_every, self.state.notifier.is_some()) {
            (Some(every), true) => Some(tokio::spawn(notifier::run(
                self.state.clone(),
                every,
                stop_rx,
            ))),
            _ => None,
        };
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let result = axum::serve(listener, service)
            .with_graceful_shutdown(shutdown)
            .await;
        let _ = stop_tx.send(true);
        if let Some(task) = notifier {
            let _ = task.await;
        }
        result
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
