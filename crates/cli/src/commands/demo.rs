//! `lmo demo`: a fresh SQLite store from the bundled real Hong Kong data.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use domain::SeriesId;
use engine::demo::{HEADLINE_SERIES, HONG_KONG_FILES};
use engine::{Container, Engine, ImportRequest, MappingSpec, Phase};

use super::ingest::{print_reports, progress_bar, switch_to_spinner};
use super::{import_time, redact};
use crate::args::DemoArgs;
use crate::output::format_value;
use crate::settings::Settings;

/// The climate index, the top of the watch-list and the open alerts, from the real data.
fn demo_warnings(engine: &mut Engine, time: &engine::ImportTime) -> anyhow::Result<()> {
    let as_of = time.today;
    let (name, text) = engine::load_compute_config(None)?;
    let report = engine.compute(&name, &text, as_of, time, &mut |_| {})?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "\nEmployment climate index 就業景氣指數 (lmo compute, as of {as_of}):"
    )?;
    for series in &report.derived {
        // The contribution series are the table behind the index, not headlines.
        let is_headline = !series.meta.id.as_str().contains(".contribution.");
        if let (true, Some((period, value))) = (is_headline, series.points.last()) {
            writeln!(
                out,
                "  {:<8} {value:>8.2}  {}  ({})",
                period.to_string(),
                series.meta.title_en,
                series.meta.id
            )?;
        }
    }
    let rules = engine::load_rules("hk-default")?;
    // One evaluation serves the watch-list and the open alerts.
    let alerts = engine.alerts(&rules, as_of)?;
    let watchlist = engine::watchlist_of(&alerts);
    writeln!(
        out,
        "\nIndustry watch-list 重點監測行業預警名單 (top 5 of {}):",
        watchlist.len()
    )?;
    for entry in watchlist.iter().take(5) {
        let reasons: Vec<String> = entry
            .reasons
            .iter()
            .map(|reason| {
                format!(
                    "{} {} {:.2} in {}",
                    reason.level.as_str(),
                    reason.rule_id,
                    reason.measure,
                    reason.period
                )
            })
            .collect();
        writeln!(
            out,
            "  {}. {:<4} score {}  {} {}  ({})",
            entry.rank,
            entry.industry.to_string(),
            entry.score,
            entry.industry.name_en(),
            entry.industry.name_zh(),
            reasons.join("; ")
        )?;
    }
    let mut open: Vec<_> = alerts.iter().filter(|alert| alert.is_open()).collect();
    open.sort_by_key(|alert| std::cmp::Reverse(alert.level()));
    writeln!(
        out,
        "\nOpen alerts 預警 ({} open of {} episodes since 1998; `lmo alerts` lists them):",
        open.len(),
        alerts.len()
    )?;
    for alert in open
        .iter()
        .filter(|alert| {
            alert.subject.to_string().starts_with("hk.")
                || alert.level() >= engine::AlertLevel::Yellow
        })
        .take(5)
    {
        let title = rules
            .rule(&alert.rule_id)
            .map(|rule| format!("{} {}", rule.title_en, rule.title_zh))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<6} since {}  {:.2}  {}  [{}]",
            alert.level().as_str(),
            alert.opened,
            alert.measure,
            title,
            engine::alert_id_of(alert)
        )?;
    }
    out.flush()?;
    Ok(())
}

/// Generated, clearly labelled: there is no public employer-level MPF or payroll data.
const DEMO_EMPLOYERS: u32 = 2_000;
const DEMO_SEED: u64 = 2025;
/// A fixed key is fine for synthetic workers; real data needs a secret `LMO_PSEUDONYM_KEY`.
const DEMO_PSEUDONYM_KEY: &[u8] = b"lmo-demo-key-for-generated-data-only";

/// A month of generated remittances and payroll with injected defaults, judged and ranked.
fn demo_arrears(demo_dir: &Path) -> anyhow::Result<()> {
    let period = domain::Period::parse("2025-06").context("the demo month")?;
    let config = engine::GeneratorConfig::new(DEMO_SEED, DEMO_EMPLOYERS, period);
    let files_dir = demo_dir.join("arrears-generated");
    let files = engine::generate_arrears_files(&config, &files_dir, true, true)?;
    let open = |path: &Path| -> anyhow::Result<engine::NamedReader<'static>> {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        Ok((
            path.display().to_string(),
            Box::new(std::io::BufReader::new(file)),
        ))
    };
    let optional = |path: &Option<std::path::PathBuf>| path.as_deref().map(&open).transpose();
    let request = engine::ArrearsRequest {
        period,
        as_of: config.as_of,
        pseudonym_key: DEMO_PSEUDONYM_KEY,
        register: open(&files.employers)?,
        remittances: optional(&files.remittances)?.into_iter().collect(),
        payroll: optional(&files.payroll)?.into_iter().collect(),
        reports: vec![open(&files.reports)?],
        prior: Vec::new(),
        closures: Vec::new(),
        thresholds: None,
        rejects_path: demo_dir
            .join("rejects")
            .join("arrears-generated.rejects.csv"),
    };
    let report = engine::detect_arrears(request)?;
    anyhow::ensure!(
        report.rejected == 0,
        "the generated arrears files had rejected rows"
    );
    let label = format!(
        "\nGENERATED DATA 模擬數據 (seed {DEMO_SEED}, {DEMO_EMPLOYERS} synthetic employers, files in {}): not real employers or workers.",
        files_dir.display()
    );
    super::arrears::print_employers(
        &report,
        None,
        Some(10),
        crate::args::OutputArgs::default(),
        Some(&label),
    )
}

/// The demo always starts from an empty store so that what it prints is reproducible.
fn fresh_demo_store(demo_dir: &Path) -> anyhow::Result<String> {
    std::fs::create_dir_all(demo_dir)
        .with_context(|| format!("cannot create {}", demo_dir.display()))?;
    let path = demo_dir.join("lmo-demo.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error).with_context(|| format!("cannot remove {file}")),
        }
    }
    Ok(format!("sqlite://{}", path.display()))
}

pub(crate) fn run(settings: &Settings, args: &DemoArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let demo_dir = settings.data_dir.join("demo");
    let url = match &settings.database_url {
        Some(url) => url.clone(),
        None => fresh_demo_store(&demo_dir)?,
    };
    let mut engine =
        Engine::open(&url).with_context(|| format!("cannot open the store {}", redact(&url)))?;
    let time = import_time();
    let mut reports = Vec::new();
    for file in HONG_KONG_FILES {
        let mapping = file
            .mapping
            .map(|(name, text)| MappingSpec::parse(name, text))
            .transpose()?;
        let bar = progress_bar(file.name, file.bytes.len() as u64, quiet);
        let request = ImportRequest {
            name: file.name.to_owned(),
            reader: Box::new(bar.wrap_read(file.bytes)),
            container: Container::Csv,
            format: None,
            mapping: mapping.as_ref(),
            vintage: None,
            allow_partial: false,
            rejects_path: demo_dir
                .join("rejects")
                .join(format!("{}.rejects.csv", file.name)),
        };
        let report = engine.import(request, &time, &mut |phase| {
            if phase == Phase::Merging {
                switch_to_spinner(&bar, "merging");
            }
        });
        bar.finish_and_clear();
        let report = report.with_context(|| format!("importing the bundled {}", file.name))?;
        anyhow::ensure!(
            report.committed,
            "the bundled file {} did not import cleanly: {:?}",
            file.name,
            report.rejects_shown
        );
        reports.push(report);
    }
    print_reports(&reports, args.output)?;
    if args.output.json || args.output.csv {
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    let n_series = engine.list_series(None, None)?.len();
    let n_observations: u64 = reports.iter().map(|report| report.rows_new).sum();
    writeln!(
        out,
        "\nStore {}: {n_series} series, {n_observations} observations from {} files of real C&SD, LD and MPFA data (provenance: data/SOURCES.md).",
        redact(&url),
        reports.len()
    )?;
    writeln!(out, "\nLatest figures 最新數字:")?;
    for (id, label) in HEADLINE_SERIES {
        let id = SeriesId::parse(id).context("a headline series id")?;
        let (_, observations) = engine.series(&id, None)?;
        if let Some(latest) = observations.last() {
            let period = latest.observation.period;
            writeln!(
                out,
                "  {:<18} {:>8}  {label}  ({} {})",
                period.label_en(),
                format_value(latest.observation.value),
                period,
                period.label_zh()
            )?;
        }
    }
    drop(out);
    demo_warnings(&mut engine, &time)?;
    demo_arrears(&demo_dir)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "\nNext: LMO_DATABASE_URL={} lmo series list",
        redact(&url)
    )?;
    writeln!(
        out,
        "      LMO_DATABASE_URL={} lmo series show csd.215-16001.number_of_vacancies.ALL",
        redact(&url)
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
