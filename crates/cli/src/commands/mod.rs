//! One function per subcommand; each returns the process exit code.

mod arrears;
mod cases;
mod demo;
mod ingest;
pub(crate) mod report;
mod series;
mod serve;
mod talent;
mod tokens;
mod warnings;

use std::process::ExitCode;

use anyhow::Context;
use engine::{Engine, EngineError};

use crate::args::ingest::IngestArgs;
use crate::args::series::SeriesCommand;
use crate::args::{Args, Command};
use crate::settings::Settings;

/// Exit code when input was rejected and nothing was imported.
const EXIT_INPUT_REJECTED: u8 = 3;

/// An input the user gave us is unusable; exits with [`EXIT_INPUT_REJECTED`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct InputRejected(pub(crate) String);

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let settings = Settings::resolve(
        args.database_url,
        args.data_dir,
        args.lang,
        args.config.as_deref(),
    )?;
    let lang = settings.lang;
    let quiet = args.quiet;
    let with_engine = |command: &mut dyn FnMut(&mut Engine) -> anyhow::Result<ExitCode>| {
        let mut engine = open(&settings)?;
        let outcome = command(&mut engine);
        report_skipped_rows(&mut engine);
        outcome
    };
    match args.command {
        Command::Ingest(IngestArgs {
            suggest_map: Some(path),
            ..
        }) => ingest::suggest_map(&path),
        Command::Ingest(ingest_args) => {
            with_engine(&mut |engine| ingest::run(engine, &settings, &ingest_args, quiet))
        }
        Command::Series(SeriesCommand::List(list_args)) => {
            with_engine(&mut |engine| series::list(engine, &list_args, lang))
        }
        Command::Series(SeriesCommand::Show(show_args)) => {
            with_engine(&mut |engine| series::show(engine, &show_args, lang))
        }
        Command::Series(SeriesCommand::Vintages(vintages_args)) => {
            with_engine(&mut |engine| series::vintages(engine, &vintages_args))
        }
        Command::Export(export_args) => {
            with_engine(&mut |engine| series::export(engine, &export_args))
        }
        Command::Imports(output) => with_engine(&mut |engine| series::imports(engine, &output)),
        Command::Compute(compute_args) => {
            with_engine(&mut |engine| warnings::compute(engine, &compute_args, quiet, lang))
        }
        Command::Alerts(alerts_args) => {
            with_engine(&mut |engine| warnings::alerts(engine, &alerts_args, lang))
        }
        Command::Watchlist(watchlist_args) => {
            with_engine(&mut |engine| warnings::watchlist(engine, &watchlist_args, lang))
        }
        Command::Backtest(backtest_args) => {
            with_engine(&mut |engine| warnings::backtest(engine, &backtest_args))
        }
        Command::Arrears(arrears_args) => arrears::run(&settings, &arrears_args),
        Command::Gen(gen_command) => arrears::generate(&gen_command),
        Command::Demo(demo_args) => demo::run(&settings, &demo_args, quiet),
        Command::Users(users_command) => {
            with_engine(&mut |engine| cases::users(engine, &users_command))
        }
        Command::Cases(cases_command) => {
            with_engine(&mut |engine| cases::run(engine, &cases_command))
        }
        Command::Report(report_args) => {
            with_engine(&mut |engine| report::run(engine, &report_args, lang))
        }
        Command::Talent(talent_command) => {
            with_engine(&mut |engine| talent::run(engine, &talent_command, lang))
        }
        Command::AiExposure(exposure_args) => {
            with_engine(&mut |engine| talent::ai_exposure(engine, &exposure_args, lang))
        }
        Command::Serve(serve_args) => serve::run(&settings, &serve_args),
        Command::Tokens(tokens_command) => {
            with_engine(&mut |engine| tokens::run(engine, &tokens_command))
        }
    }
}

/// Warns, on stderr, of stored rows the command's reads skipped because they could not be
/// read back: the command went on without them.
#[allow(clippy::print_stderr)]
fn report_skipped_rows(engine: &mut Engine) {
    for skipped in engine.take_skipped_rows() {
        eprintln!(
            "warning: skipped a stored row that cannot be read ({}, {}): {}",
            skipped.table, skipped.key, skipped.reason
        );
    }
}

fn open(settings: &Settings) -> anyhow::Result<Engine> {
    let url = settings.database_url();
    Engine::open_waiting(&url, Some(Box::new(say_waiting())))
        .with_context(|| format!("cannot open the store {}", redact(&url)))
}

/// Tells the user, on stderr, that a write waits for another writer (another `lmo ingest`
/// on the same SQLite file), when it starts waiting and then every ten seconds.
fn say_waiting() -> impl FnMut(std::time::Duration) + Send {
    const EVERY: std::time::Duration = std::time::Duration::from_secs(10);
    let mut next_message = std::time::Duration::ZERO;
    move |waited| {
        if waited >= next_message {
            #[allow(clippy::print_stderr)]
            {
                eprintln!(
                    "waiting for another lmo to finish writing to the store ({} s)…",
                    waited.as_secs()
                );
            }
            next_message = waited + EVERY;
        }
    }
}

/// Database URLs may carry a password; never print it.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub(crate) fn exit_code_for(error: &anyhow::Error) -> ExitCode {
    let input_problem = error.chain().any(|cause| {
        cause.is::<InputRejected>()
            || match cause.downcast_ref::<EngineError>() {
                Some(EngineError::Ingest(_)) => true,
                Some(EngineError::Arrears(error)) => error.is_input(),
                _ => false,
            }
            || cause.is::<engine::IngestError>()
    });
    if input_problem {
        ExitCode::from(EXIT_INPUT_REJECTED)
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_the_screen() {
        assert_eq!(
            redact("postgres://lmo:secret@db:5432/lmo"),
            "postgres://lmo:***@db:5432/lmo"
        );
        assert_eq!(redact("postgres://lmo@db/lmo"), "postgres://lmo@db/lmo");
        assert_eq!(
            redact("sqlite:///tmp/a@b.sqlite"),
            "sqlite:///tmp/a@b.sqlite"
        );
    }
}
