//! `lmo serve`, `lmo tokens …`.

use clap::{Args as ClapArgs, Subcommand};

#[derive(Debug, ClapArgs)]
pub(crate) struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(crate) bind: std::net::SocketAddr,
    /// Store connections kept for requests.
    #[arg(long, default_value_t = 8)]
    pub(crate) pool: usize,
    /// Set the Secure flag on cookies: users reach lmo through HTTPS (a TLS proxy).
    #[arg(long)]
    pub(crate) secure_cookies: bool,
    /// Hours a browser session lasts.
    #[arg(long, default_value_t = 12)]
    pub(crate) session_hours: u16,
    /// SMTP server for e-mail notifications, HOST:PORT: a mail provider's submission port
    /// (587, 465) or a local relay (25).
    #[arg(long, env = "LMO_SMTP")]
    pub(crate) smtp: Option<String>,
    /// How the SMTP connection is secured: none (plain SMTP), starttls (upgrade, or fail),
    /// tls (implicit TLS). Default by port: 465 tls, 25 none, any other starttls.
    #[arg(long, value_enum, env = "LMO_SMTP_SECURITY")]
    pub(crate) smtp_security: Option<SmtpSecurityArg>,
    /// Log in to the SMTP server as NAME; the password is read only from the environment
    /// (`LMO_SMTP_PASSWORD`) or the config file (`smtp_password`), never from a flag.
    #[arg(long, env = "LMO_SMTP_USER", value_name = "NAME")]
    pub(crate) smtp_user: Option<String>,
    /// PEM file of certificates trusted beside the public roots, for SMTP and https webhooks
    /// (an organisation's own CA); also `ca_file` in the config file.
    #[arg(long, env = "LMO_CA_FILE", value_name = "PEM")]
    pub(crate) ca_file: Option<std::path::PathBuf>,
    /// The sender of e-mail notifications.
    #[arg(long, env = "LMO_MAIL_FROM", default_value = "lmo <lmo@localhost>")]
    pub(crate) mail_from: String,
    /// Seconds between rounds of the notifier (alerts, due case steps, deliveries); 0: off.
    #[arg(long, default_value_t = 60)]
    pub(crate) notify_every: u64,
    /// The rule set whose alerts are notified.
    #[arg(long, default_value = "hk-default")]
    pub(crate) rules: String,
}

/// `--smtp-security`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SmtpSecurityArg {
    None,
    Starttls,
    Tls,
}

#[derive(Debug, Subcommand)]
pub(crate) enum TokensCommand {
    /// Create an API token for a user; it is printed once and stored only as a hash.
    Create(TokenCreateArgs),
    /// List tokens (never their secrets).
    List(TokenListArgs),
    /// Revoke a token by its id; it stops working at once.
    Revoke(TokenRevokeArgs),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct TokenCreateArgs {
    /// The user the token acts as.
    #[arg(long)]
    pub(crate) user: String,
    /// What the token is for.
    #[arg(long, default_value = "cli")]
    pub(crate) label: String,
    /// Days until it expires.
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u16).range(1..=366))]
    pub(crate) days: u16,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct TokenListArgs {
    /// Only this user's tokens.
    #[arg(long)]
    pub(crate) user: Option<String>,
    #[command(flatten)]
    pub(crate) output: super::OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct TokenRevokeArgs {
    /// The token's id, as `lmo tokens list` shows it.
    pub(crate) id: i64,
}
