//! `lmo tokens`: API tokens, for admins only, as the API's `/v1/tokens`: the acting user
//! (the OS user on SQLite, the database login on PostgreSQL) must be an lmo admin.

use std::io::Write;
use std::process::ExitCode;

use engine::Engine;
use serde::Serialize;

use crate::args::serve::TokensCommand;
use crate::clock;
use crate::identity::acting_user;
use crate::output::{Table, print_result};

/// The acting user, who must be an admin to see or change tokens.
fn acting_admin(engine: &mut Engine) -> anyhow::Result<String> {
    let acting = acting_user(engine)?;
    let role = engine
        .users()?
        .into_iter()
        .find(|user| user.user_name == acting)
        .map(|user| user.role);
    match role {
        Some(engine::Role::Admin) => Ok(acting),
        Some(role) => anyhow::bail!(
            "user {acting} (role {role}) is not an admin: only an admin manages tokens"
        ),
        None => anyhow::bail!("unknown user '{acting}': only an admin manages tokens"),
    }
}

pub(crate) fn run(engine: &mut Engine, command: &TokensCommand) -> anyhow::Result<ExitCode> {
    let now = clock::timestamp();
    let admin = acting_admin(engine)?;
    match command {
        TokensCommand::Create(args) => {
            let issued =
                engine.create_token(&args.user, &args.label, Some(&admin), now, args.days)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", issued.secret)?;
            out.flush()?;
            #[allow(clippy::print_stderr)]
            {
                eprintln!(
                    "token {} for {} (expires {}): shown this once, stored only as a hash; send it as 'Authorization: Bearer TOKEN'",
                    issued.id, args.user, issued.expires_at
                );
            }
        }
        TokensCommand::List(args) => {
            #[derive(Serialize)]
            struct TokenDto<'a> {
                id: i64,
                user_name: &'a str,
                label: &'a str,
                created_at: &'a str,
                expires_at: &'a str,
                revoked_at: Option<&'a str>,
            }
            let tokens = engine.tokens(args.user.as_deref())?;
            let dtos: Vec<TokenDto<'_>> = tokens
                .iter()
                .map(|token| TokenDto {
                    id: token.id,
                    user_name: &token.user_name,
                    label: &token.label,
                    created_at: &token.created_at,
                    expires_at: &token.expires_at,
                    revoked_at: token.revoked_at.as_deref(),
                })
                .collect();
            print_result(&args.output, &dtos, &dtos, || {
                let mut table = Table::new(vec!["id", "user", "expires_at", "revoked_at", "label"]);
                for dto in &dtos {
                    table.row(vec![
                        dto.id.to_string(),
                        dto.user_name.to_owned(),
                        dto.expires_at.to_owned(),
                        dto.revoked_at.unwrap_or("-").to_owned(),
                        dto.label.to_owned(),
                    ]);
                }
                table
            })?;
        }
        TokensCommand::Revoke(args) => {
            let token = engine.revoke_token(args.id, &admin, now)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "revoked token {} of {}", token.id, token.user_name)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
