//! `lmo`: the Labour Market Observatory command line.

mod args;
mod clock;
mod commands;
mod identity;
mod output;
mod settings;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = args::Args::parse();
    match commands::run(args) {
        Ok(code) => code,
        Err(error) => {
            if is_broken_pipe(&error) {
                // `lmo … | head` closing the pipe early is not a failure.
                return ExitCode::SUCCESS;
            }
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: {error:#}");
            }
            commands::exit_code_for(&error)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    error.chain().any(|cause| {
        let io = cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe);
        // The JSON and CSV writers wrap the IO error in their own.
        let json = cause
            .downcast_ref::<serde_json::Error>()
            .is_some_and(|json| json.io_error_kind() == Some(BrokenPipe));
        let csv = cause.downcast_ref::<csv::Error>().is_some_and(
            |csv| matches!(csv.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
        );
        io || json || csv
    })
}
