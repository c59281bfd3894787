//! `lmo serve`: the HTTP server and JSON API (the `api` crate) on this store, with request
//! tracing to stderr, until Ctrl-C or SIGTERM.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use crate::args::serve::ServeArgs;
use crate::settings::Settings;

/// The wall clock, for the server.
struct WallClock;

impl api::Clock for WallClock {
    fn now(&self) -> jiff::Timestamp {
        crate::clock::timestamp()
    }
}

/// Request tracing and the server's own messages on stderr; `LMO_LOG` sets the levels
/// (`info` by default, e.g. `LMO_LOG=debug` or `LMO_LOG=warn,api=info`).
fn init_tracing() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter: tracing_subscriber::filter::Targets = std::env::var("LMO_LOG")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| "info".parse().unwrap_or_default());
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(false),
        )
        .with(filter)
        .try_init();
}

/// The SMTP server of `--smtp HOST:PORT` and the flags beside it, with the password from
/// the environment or the config file.
#[allow(clippy::print_stderr)]
fn mailer(settings: &Settings, args: &ServeArgs, smtp: &str) -> anyhow::Result<api::Mailer> {
    use crate::args::serve::SmtpSecurityArg;
    let (host, port) = smtp.rsplit_once(':').context("--smtp is HOST:PORT")?;
    let port: u16 = port.parse().context("--smtp is HOST:PORT")?;
    // `[::1]:587`: rustls and the resolver want the address without brackets.
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let security = match args.smtp_security {
        None => api::SmtpSecurity::for_port(port),
        Some(SmtpSecurityArg::None) => api::SmtpSecurity::None,
        Some(SmtpSecurityArg::Starttls) => api::SmtpSecurity::StartTls,
        Some(SmtpSecurityArg::Tls) => api::SmtpSecurity::Tls,
    };
    let login = match (&args.smtp_user, &settings.smtp_password) {
        (Some(user), Some(password)) => Some(api::SmtpLogin {
            user: user.clone(),
            password: password.clone(),
        }),
        (Some(_), None) => anyhow::bail!(
            "--smtp-user needs a password: set LMO_SMTP_PASSWORD or smtp_password in the config file"
        ),
        (None, _) => None,
    };
    let mailer = api::Mailer {
        host: host.to_owned(),
        port,
        from: args.mail_from.clone(),
        security,
        login,
    };
    if args.smtp_security == Some(SmtpSecurityArg::None) && !mailer.is_loopback() {
        eprintln!(
            "warning: --smtp-security none: e-mail to {host} goes unencrypted, readable on the way"
        );
    }
    if settings.smtp_password.is_some() && mailer.login.is_none() {
        eprintln!("warning: an SMTP password is set but no --smtp-user: mail is sent without AUTH");
    }
    tracing::info!(
        host,
        port,
        security = security.as_str(),
        user = mailer.login.as_ref().map(|login| login.user.as_str()),
        "e-mail notifications"
    );
    Ok(mailer)
}

pub(crate) fn run(settings: &Settings, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    serve(settings, args, None)
}

/// Serves until stopped; `announce` is printed (to stdout) once the server listens.
pub(crate) fn serve(
    settings: &Settings,
    args: &ServeArgs,
    announce: Option<String>,
) -> anyhow::Result<ExitCode> {
    init_tracing();
    let mailer = args
        .smtp
        .as_deref()
        .map(|smtp| mailer(settings, args, smtp))
        .transpose()?;
    let extra_roots = match args.ca_file.as_ref().or(settings.ca_file.as_ref()) {
        Some(path) => {
            let pem = std::fs::read(path)
                .with_context(|| format!("cannot read the CA file {}", path.display()))?;
            api::TrustRoots::from_pem(&pem)
                .with_context(|| format!("CA file {}", path.display()))?
        }
        None => api::TrustRoots::default(),
    };
    let app = api::App::new(api::Settings {
        database_url: settings.database_url(),
        pool_size: args.pool,
        clock: Arc::new(WallClock),
        secure_cookies: args.secure_cookies,
        session_hours: args.session_hours,
        scratch_dir: settings.data_dir.join("reports-scratch"),
        notifier: Some(api::NotifierSettings {
            rules: args.rules.clone(),
            mailer,
            extra_roots,
            ..api::NotifierSettings::default()
        }),
    })
    .with_context(|| {
        format!(
            "cannot open the store {}",
            super::redact(&settings.database_url())
        )
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        let address = listener.local_addr()?;
        tracing::info!(%address, "listening");
        if let Some(text) = announce {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", text.replace("{address}", &address.to_string()))?;
            out.flush()?;
        }
        let every = (args.notify_every > 0).then(|| Duration::from_secs(args.notify_every));
        app.serve(listener, api::shutdown_signal(), every)
            .await
            .context("the server stopped")?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}
