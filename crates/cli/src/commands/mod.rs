//! One function per subcommand; each returns the process exit code.

mod arrears;
pub(crate) mod cases;
mod demo;
mod ingest;
pub(crate) mod report;
mod series;
mod warnings;

use std::process::ExitCode;

use anyhow::Context;
use engine::{Engine, EngineError};

use crate::args::{Args, Command, SeriesCommand};
use crate::settings::Settings;

/// Exit code when input was rejected and nothing was imported.
const EXIT_INPUT_REJECTED: u8 = 3;

/// An input the user gave us is unusable; exits with [`EXIT_INPUT_REJECTED`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct InputRejected(pub(crate) String);

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let settings = Settings::resolve(args.database_url, args.data_dir, args.config.as_deref())?;
    let quiet = args.quiet;
    match args.command {
        Command::Ingest(ingest_args) => {
            let mut engine = open(&settings)?;
            ingest::run(&mut engine, &settings, &ingest_args, quiet)
        }
        Command::Series(SeriesCommand::List(list_args)) => {
            series::list(&mut open(&settings)?, &list_args)
        }
        Command::Series(SeriesCommand::Show(show_args)) => {
            series::show(&mut open(&settings)?, &show_args)
        }
        Command::Series(SeriesCommand::Vintages(vintages_args)) => {
            series::vintages(&mut open(&settings)?, &vintages_args)
        }
        Command::Export(export_args) => series::export(&mut open(&settings)?, &export_args),
        Command::Imports(output) => series::imports(&mut open(&settings)?, output),
        Command::Compute(compute_args) => {
            warnings::compute(&mut open(&settings)?, &compute_args, quiet)
        }
        Command::Alerts(alerts_args) => warnings::alerts(&mut open(&settings)?, &alerts_args),
        Command::Watchlist(watchlist_args) => {
            warnings::watchlist(&mut open(&settings)?, &watchlist_args)
        }
        Command::Backtest(backtest_args) => {
            warnings::backtest(&mut open(&settings)?, &backtest_args)
        }
        Command::Arrears(arrears_args) => arrears::run(&settings, &arrears_args),
        Command::Gen(gen_command) => arrears::generate(&gen_command),
        Command::Demo(demo_args) => demo::run(&settings, &demo_args, quiet),
        Command::Users(users_command) => cases::users(&mut open(&settings)?, &users_command),
        Command::Cases(cases_command) => cases::run(&mut open(&settings)?, &cases_command),
        Command::Report(report_args) => report::run(&mut open(&settings)?, &report_args),
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
