//! `lmo arrears` and `lmo gen`: the wage and MPF arrears early warning.

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use engine::{ArrearsReport, ArrearsRequest, Container, GeneratorConfig, NamedReader};
use serde::Serialize;

use super::InputRejected;
use crate::args::Lang;
use crate::args::OutputArgs;
use crate::args::arrears::{ArrearsArgs, GenArgs, GenCommand};
use crate::output::{Table, print_result};
use crate::settings::Settings;

/// An input by its path: a CSV file, or a workbook's sheet as CSV, named `file[sheet]` so
/// that rejects say where they are.
fn open_named(path: &Path) -> anyhow::Result<NamedReader<'static>> {
    let file = File::open(path)
        .map_err(|error| InputRejected(format!("cannot open {}: {error}", path.display())))?;
    let name = path.display().to_string();
    if Container::from_file_name(&name) == Container::Xlsx {
        let (sheet, csv) = engine::arrears_workbook_as_csv(&name, Box::new(file))
            .map_err(|error| InputRejected(error.to_string()))?;
        return Ok((format!("{name}[{sheet}]"), Box::new(Cursor::new(csv))));
    }
    // Unbuffered: the arrears readers take the file in blocks of 1 MiB themselves, and a
    // buffer would copy every byte once more.
    let reader: Box<dyn Read> = Box::new(file);
    Ok((name, reader))
}

fn open_all(paths: &[PathBuf]) -> anyhow::Result<Vec<NamedReader<'static>>> {
    paths.iter().map(|path| open_named(path)).collect()
}

pub(crate) fn run(settings: &Settings, args: &ArrearsArgs) -> anyhow::Result<ExitCode> {
    let key = settings.pseudonym_key.as_ref().ok_or_else(|| {
        InputRejected(
            "set LMO_PSEUDONYM_KEY (or pseudonym_key in the config file) to a secret of at least 16 bytes: HKIDs are replaced by keyed pseudonyms as they are read"
                .to_owned(),
        )
    })?;
    let thresholds = args
        .thresholds
        .as_deref()
        .map(|path| {
            std::fs::read_to_string(path)
                .map_err(|error| InputRejected(format!("cannot read {}: {error}", path.display())))
        })
        .transpose()?;
    let rejects_path = args.rejects.clone().unwrap_or_else(|| {
        settings
            .data_dir
            .join("rejects")
            .join(format!("arrears-{}.rejects.csv", args.period))
    });
    let request = ArrearsRequest {
        period: args.period,
        as_of: args.as_of.unwrap_or_else(|| crate::clock::now().today),
        pseudonym_key: key.as_bytes(),
        register: open_named(&args.register)?,
        remittances: open_all(&args.mpf)?,
        payroll: open_all(&args.payroll)?,
        reports: open_all(&args.reports)?,
        prior: open_all(&args.prior)?,
        closures: open_all(&args.closures)?,
        thresholds,
        rejects_path,
    };
    // With --save the store is opened first, so that an unreachable store fails before the
    // files are read.
    let mut store = args.save.then(|| super::open(settings)).transpose()?;
    let saved_by = store
        .as_mut()
        .map(crate::identity::acting_user)
        .transpose()?;
    let report = engine::detect_arrears(request)?;
    if let (Some(engine), Some(saved_by)) = (&mut store, saved_by) {
        let saved = engine.save_arrears(&report, &saved_by, &crate::clock::now().imported_at)?;
        print_saved(&report, &saved);
    }
    if let Some(path) = &args.summaries_out {
        let file = engine::create_private_file(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        engine::write_arrears_summaries(&report.detection, file)?;
    }
    print_rejects(&report);
    print_employers(&report, args.level, args.top, &args.output, settings.lang)?;
    // The process ends next: the OS takes the register back at once, where dropping it
    // would free a few allocations per employer one by one (some 40 ms for 300,000).
    std::mem::forget(report);
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stderr)]
fn print_saved(report: &ArrearsReport, saved: &engine::ArrearsSaved) {
    eprintln!(
        "saved {} employer results for {}: {} new, {} changed, {} unchanged, {} removed",
        report.detection.employers.len(),
        report.detection.period,
        saved.results_new,
        saved.results_changed,
        saved.results_unchanged,
        saved.results_removed,
    );
}

fn print_rejects(report: &ArrearsReport) {
    crate::output::print_rejects(
        &report.rejects_shown,
        report.rejected,
        report.rejects_file.as_deref(),
        |path| {
            format!(
                "{} rows were rejected and left out of the counts; they are in {}",
                report.rejected,
                path.display()
            )
        },
    );
}

#[derive(Serialize)]
struct EmployerDto<'a> {
    rank: usize,
    level: &'static str,
    employer_id: &'a str,
    employer_name: &'a str,
    hsic_section: char,
    district: &'a str,
    headcount: u32,
    sizable: bool,
    workers_affected: u32,
    arrears_hkd: String,
    mpf_arrears_hkd: String,
    wage_arrears_hkd: String,
    surcharge_hkd: String,
    max_days_late: i32,
    months_in_default: u32,
    repeat_defaults: u32,
    kinds: Vec<&'static str>,
    reasons_en: Vec<&'static str>,
    reasons_zh: Vec<&'static str>,
    worker_reports: u32,
}

/// Prints the ranked employers, their reasons in the language asked for.
fn print_employers(
    report: &ArrearsReport,
    minimum: Option<engine::Level>,
    top: Option<usize>,
    output: &OutputArgs,
    lang: Option<Lang>,
) -> anyhow::Result<()> {
    let listed = report
        .detection
        .employers
        .iter()
        .filter(|employer| minimum.is_none_or(|level| employer.level >= level))
        .take(top.unwrap_or(usize::MAX))
        .enumerate();
    let dtos: Vec<EmployerDto<'_>> = listed
        .map(|(index, result)| {
            let employer = report.register.get(result.employer);
            EmployerDto {
                rank: index + 1,
                level: result.level.as_str(),
                employer_id: &result.employer_id,
                employer_name: &employer.name,
                hsic_section: employer.section.letter(),
                district: &employer.district,
                headcount: result.headcount,
                sizable: result.sizable,
                workers_affected: result.workers_affected,
                arrears_hkd: result.arrears.to_string(),
                mpf_arrears_hkd: result.mpf_arrears.to_string(),
                wage_arrears_hkd: result.wage_arrears.to_string(),
                surcharge_hkd: result.surcharge.to_string(),
                max_days_late: result.max_days_late,
                months_in_default: result.months_in_default,
                repeat_defaults: result.repeat_defaults,
                kinds: result.kinds.iter().map(|kind| kind.as_str()).collect(),
                reasons_en: result.reasons.iter().map(|reason| reason.en()).collect(),
                reasons_zh: result.reasons.iter().map(|reason| reason.zh()).collect(),
                worker_reports: result.reports,
            }
        })
        .collect();
    print_result(output, &dtos, &dtos, || {
        let mut table = Table::new(vec![
            "rank",
            "level",
            "employer",
            "section",
            "headcount",
            "workers",
            "arrears HK$",
            "surcharge HK$",
            "days late",
            "months",
            "reasons",
        ]);
        for dto in &dtos {
            table.row(vec![
                dto.rank.to_string(),
                dto.level.to_owned(),
                dto.employer_id.to_owned(),
                dto.hsic_section.to_string(),
                dto.headcount.to_string(),
                dto.workers_affected.to_string(),
                dto.arrears_hkd.clone(),
                dto.surcharge_hkd.clone(),
                dto.max_days_late.to_string(),
                dto.months_in_default.to_string(),
                reasons_text(dto, lang),
            ]);
        }
        let detection = &report.detection;
        let counts = detection.counts;
        let summary = format!(
            "Arrears early warning 欠薪及強積金供款拖欠預警, {} as of {}: {} employers listed of {} registered; {} remittance and {} payroll rows read, {} rows in default, {} worker reports.\n",
            detection.period,
            detection.as_of,
            detection.employers.len(),
            report.register.len(),
            counts.remittance_rows,
            counts.payroll_rows,
            counts.rows_in_default,
            counts.reports,
        );
        table.with_heading(summary)
    })
}

pub(crate) fn generate(command: &GenCommand) -> anyhow::Result<ExitCode> {
    let (args, with_remittances, with_payroll) = match command {
        GenCommand::Arrears(args) => (args, true, true),
        GenCommand::Mpf(args) => (args, true, false),
        GenCommand::Payroll(args) => (args, false, true),
    };
    let config = GeneratorConfig::new(args.seed, args.employers, args.period);
    let files = engine::generate_arrears_files(&config, &args.out, with_remittances, with_payroll)?;
    print_generated(&files, args)?;
    Ok(ExitCode::SUCCESS)
}

fn print_generated(files: &engine::GeneratedFiles, args: &GenArgs) -> anyhow::Result<()> {
    #[derive(Serialize)]
    struct GeneratedDto {
        employers: u64,
        remittance_rows: u64,
        payroll_rows: u64,
        reports: u64,
        injected_defaults: u64,
        directory: String,
    }
    let summary = files.summary;
    let dto = GeneratedDto {
        employers: summary.employers,
        remittance_rows: summary.remittance_rows,
        payroll_rows: summary.payroll_rows,
        reports: summary.reports,
        injected_defaults: summary.injected,
        directory: args.out.display().to_string(),
    };
    print_result(&args.output, &dto, std::slice::from_ref(&dto), || {
        let mut table = Table::new(vec!["file", "rows"]);
        let mut add =
            |path: &Path, rows: u64| table.row(vec![path.display().to_string(), rows.to_string()]);
        add(&files.employers, summary.employers);
        if let Some(path) = &files.remittances {
            add(path, summary.remittance_rows);
        }
        if let Some(path) = &files.payroll {
            add(path, summary.payroll_rows);
        }
        add(&files.reports, summary.reports);
        add(&files.truth, summary.injected);
        table.with_heading(format!(
            "GENERATED test data (seed {}, {} employers, {}): synthetic employers and workers, not real people.",
            args.seed, args.employers, args.period
        ))
    })
}

/// The reasons of one employer in the language asked for; English unless Chinese is.
fn reasons_text(dto: &EmployerDto<'_>, lang: Option<Lang>) -> String {
    match lang {
        None | Some(Lang::En) => dto.reasons_en.join("; "),
        Some(Lang::ZhHant) => dto.reasons_zh.join("；"),
        Some(Lang::Both) => dto
            .reasons_zh
            .iter()
            .zip(&dto.reasons_en)
            .map(|(zh, en)| format!("{zh} {en}"))
            .collect::<Vec<_>>()
            .join("; "),
    }
}
