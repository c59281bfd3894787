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
    /// SMTP relay for e-mail notifications, HOST:PORT (plain SMTP, as to a local MTA).
    #[arg(long, env = "LMO_SMTP")]
    pub(crate) smtp: Option<String>,
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
