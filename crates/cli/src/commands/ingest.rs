//! `lmo ingest`: files into the store, one transaction each.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use engine::{Container, Engine, ImportReport, ImportRequest, MappingSpec, Phase};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use super::{EXIT_INPUT_REJECTED, InputRejected};
use crate::args::OutputArgs;
use crate::args::ingest::IngestArgs;
use crate::output::{Table, print_result};
use crate::settings::Settings;

pub(crate) fn run(
    engine: &mut Engine,
    settings: &Settings,
    args: &IngestArgs,
    quiet: bool,
) -> anyhow::Result<ExitCode> {
    if args.rejects.is_some() && args.files.len() > 1 {
        return Err(InputRejected(
            "--rejects names one file, so give one input file with it".to_owned(),
        )
        .into());
    }
    let explicit_mapping = args.map.as_deref().map(load_mapping).transpose()?;
    let mut reports = Vec::new();
    let mut rolled_back = false;
    for path in &args.files {
        let file = File::open(path)
            .map_err(|error| InputRejected(format!("cannot open {}: {error}", path.display())))?;
        let size_bytes = file.metadata().map_or(0, |meta| meta.len());
        let mapping = match &explicit_mapping {
            Some(mapping) => Some(mapping.clone()),
            None => mapping_beside(path)?,
        };
        let name = path.display().to_string();
        let rejects_path = args
            .rejects
            .clone()
            .unwrap_or_else(|| default_rejects_path(settings, path));
        let bar = progress_bar(&name, size_bytes, quiet);
        let request = ImportRequest {
            name: name.clone(),
            reader: Box::new(bar.wrap_read(file)),
            container: Container::from_file_name(&name),
            format: args.format,
            mapping: mapping.as_ref(),
            vintage: args.vintage,
            allow_partial: args.allow_partial,
            correct: args.correct,
            rejects_path,
        };
        let report = engine.import(request, &crate::clock::now(), &mut |phase| {
            if phase == Phase::Merging {
                switch_to_spinner(&bar, "checking and merging vintages");
            }
        });
        bar.finish_and_clear();
        // Most errors name the file already (with line and column); the others get it here.
        let report = match report {
            Ok(report) => report,
            Err(error) if error.to_string().contains(&name) => return Err(error.into()),
            Err(error) => {
                return Err(anyhow::Error::new(error).context(format!("importing {name}")));
            }
        };
        print_rejects(&report);
        rolled_back = !report.committed;
        reports.push(report);
        if rolled_back {
            break;
        }
    }
    print_reports(&reports, &args.output)?;
    if rolled_back {
        let report = reports.last().expect("a report per attempted file");
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "error: {} was not imported: {} bad row(s); nothing was written. Fix them, or import the good rows with --allow-partial.",
                report.file_name, report.rejected
            );
            if reports.len() < args.files.len() {
                eprintln!("error: the files after it were not attempted");
            }
        }
        return Ok(ExitCode::from(EXIT_INPUT_REJECTED));
    }
    Ok(ExitCode::SUCCESS)
}

/// `lmo ingest --suggest-map FILE`: the suggested mapping on stdout; the store is not opened.
pub(crate) fn suggest_map(path: &Path) -> anyhow::Result<ExitCode> {
    let file = File::open(path)
        .map_err(|error| InputRejected(format!("cannot open {}: {error}", path.display())))?;
    let name = path.display().to_string();
    let mapping = engine::suggest_mapping(&name, Box::new(std::io::BufReader::new(file)))
        .with_context(|| format!("suggesting a mapping for {name}"))?;
    let mut out = std::io::stdout().lock();
    out.write_all(mapping.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn load_mapping(path: &Path) -> anyhow::Result<MappingSpec> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        InputRejected(format!(
            "cannot read the mapping {}: {error}",
            path.display()
        ))
    })?;
    Ok(MappingSpec::parse(&path.display().to_string(), &text)?)
}

/// `data.csv` is read through `data.map.toml` when that file exists.
fn mapping_beside(path: &Path) -> anyhow::Result<Option<MappingSpec>> {
    let beside = path.with_extension("map.toml");
    if beside.is_file() {
        load_mapping(&beside).map(Some)
    } else {
        Ok(None)
    }
}

fn default_rejects_path(settings: &Settings, path: &Path) -> PathBuf {
    let file_name = path
        .file_name()
        .map_or_else(|| "input".into(), |name| name.to_string_lossy());
    settings
        .data_dir
        .join("rejects")
        .join(format!("{file_name}.rejects.csv"))
}

pub(crate) fn progress_bar(name: &str, size_bytes: u64, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(size_bytes);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .expect("the template is valid")
        .progress_chars("=> "),
    );
    bar.set_message(short_name(name));
    bar
}

pub(crate) fn switch_to_spinner(bar: &ProgressBar, message: &str) {
    bar.set_style(
        ProgressStyle::with_template("{spinner} {prefix} {msg} {elapsed}")
            .expect("the template is valid"),
    );
    bar.set_prefix(bar.message());
    bar.set_message(message.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
}

fn short_name(name: &str) -> String {
    Path::new(name).file_name().map_or_else(
        || name.to_owned(),
        |file| file.to_string_lossy().into_owned(),
    )
}

fn print_rejects(report: &ImportReport) {
    crate::output::print_rejects(
        &report.rejects_shown,
        report.rejected,
        report.rejects_file.as_deref(),
        |path| format!("rejected rows are in {}", path.display()),
    );
}

#[derive(Serialize)]
pub(crate) struct ImportReportDto<'a> {
    file: &'a str,
    format: Option<&'static str>,
    sheets: &'a [String],
    committed: bool,
    import_id: Option<i64>,
    rows_read: u64,
    observations_read: u64,
    cells_without_value: u64,
    file_vintage: Option<String>,
    rows_new: u64,
    rows_revised: u64,
    rows_corrected: u64,
    rows_unchanged: u64,
    series_created: u64,
    rejected: u64,
    rejects_file: Option<String>,
}

impl<'a> From<&'a ImportReport> for ImportReportDto<'a> {
    fn from(report: &'a ImportReport) -> ImportReportDto<'a> {
        ImportReportDto {
            file: &report.file_name,
            format: report.format.map(engine::Format::as_str),
            sheets: &report.sheets,
            committed: report.committed,
            import_id: report.import_id,
            rows_read: report.rows_read,
            observations_read: report.observations_read,
            cells_without_value: report.cells_without_value,
            file_vintage: report.file_vintage.map(|date| date.to_string()),
            rows_new: report.rows_new,
            rows_revised: report.rows_revised,
            rows_corrected: report.rows_corrected,
            rows_unchanged: report.rows_unchanged,
            series_created: report.series_created,
            rejected: report.rejected,
            rejects_file: report
                .rejects_file
                .as_ref()
                .map(|path| path.display().to_string()),
        }
    }
}

pub(crate) fn print_reports(reports: &[ImportReport], output: &OutputArgs) -> anyhow::Result<()> {
    let dtos: Vec<ImportReportDto<'_>> = reports.iter().map(ImportReportDto::from).collect();
    print_result(output, &dtos, &dtos, || {
        let mut table = Table::new(vec![
            "status",
            "format",
            "rows",
            "new",
            "revised",
            "corrected",
            "unchanged",
            "no value",
            "rejected",
            "series+",
            "vintage",
            "file",
        ]);
        for report in reports {
            let format = match report.format {
                Some(format) => format.as_str().to_owned(),
                None => format!("xlsx:{}", report.sheets.join("+")),
            };
            table.row(vec![
                if report.committed {
                    "imported"
                } else {
                    "ROLLED BACK"
                }
                .to_owned(),
                format,
                report.rows_read.to_string(),
                report.rows_new.to_string(),
                report.rows_revised.to_string(),
                report.rows_corrected.to_string(),
                report.rows_unchanged.to_string(),
                report.cells_without_value.to_string(),
                report.rejected.to_string(),
                report.series_created.to_string(),
                report
                    .file_vintage
                    .map_or_else(|| "-".to_owned(), |date| date.to_string()),
                short_name(&report.file_name),
            ]);
        }
        table
    })
}
