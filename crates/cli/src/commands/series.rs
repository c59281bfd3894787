//! `lmo series …`, `lmo export` and `lmo imports`: reading the store.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use domain::{Period, SeriesId, SeriesMeta};
use engine::{Engine, StoredObservation};
use serde::Serialize;

use super::InputRejected;
use crate::args::Lang;
use crate::args::OutputArgs;
use crate::args::series::{ExportArgs, ExportFormat, SeriesListArgs, SeriesShowArgs, VintagesArgs};
use crate::output::{Table, format_value, in_language, print_result};

fn parse_id(text: &str) -> anyhow::Result<SeriesId> {
    SeriesId::parse(text).map_err(|error| InputRejected(error.to_string()).into())
}

#[derive(Serialize)]
struct SeriesDto<'a> {
    id: &'a str,
    title_en: &'a str,
    title_zh: &'a str,
    unit: &'a str,
    frequency: &'static str,
    seasonal_adjustment: &'static str,
    source: &'a str,
    industry: Option<String>,
    occupation: Option<String>,
    tags: Vec<&'a str>,
    direction: &'static str,
    publication_lag_days: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    n_periods: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_period: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_period: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    observations: Option<Vec<ObservationDto>>,
}

impl<'a> SeriesDto<'a> {
    fn new(meta: &'a SeriesMeta) -> SeriesDto<'a> {
        SeriesDto {
            id: meta.id.as_str(),
            title_en: &meta.title_en,
            title_zh: &meta.title_zh,
            unit: &meta.unit,
            frequency: meta.frequency.as_str(),
            seasonal_adjustment: meta.seasonal_adjustment.as_str(),
            source: &meta.source,
            industry: meta.industry.as_ref().map(ToString::to_string),
            occupation: meta.occupation.map(|group| group.to_string()),
            tags: meta.tags.iter().map(domain::Tag::as_str).collect(),
            direction: meta.direction.as_str(),
            publication_lag_days: meta.publication_lag_days,
            n_periods: None,
            first_period: None,
            last_period: None,
            observations: None,
        }
    }
}

#[derive(Serialize)]
struct ObservationDto {
    period: String,
    value: f64,
    status: &'static str,
    vintage: String,
    vintage_basis: &'static str,
}

impl From<&StoredObservation> for ObservationDto {
    fn from(stored: &StoredObservation) -> ObservationDto {
        ObservationDto {
            period: stored.observation.period.to_string(),
            value: stored.observation.value,
            status: stored.observation.status.as_str(),
            vintage: stored.vintage.to_string(),
            vintage_basis: stored.vintage_basis.as_str(),
        }
    }
}

pub(crate) fn list(
    engine: &mut Engine,
    args: &SeriesListArgs,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    let summaries = engine.list_series(args.prefix.clone(), args.tag.clone())?;
    let dtos: Vec<SeriesDto<'_>> = summaries
        .iter()
        .map(|summary| SeriesDto {
            n_periods: Some(summary.n_observations),
            first_period: summary.first_period.map(|period| period.to_string()),
            last_period: summary.last_period.map(|period| period.to_string()),
            ..SeriesDto::new(&summary.meta)
        })
        .collect();
    print_result(&args.output, &dtos, &dtos, || {
        series_table(&summaries, lang)
    })?;
    Ok(ExitCode::SUCCESS)
}

fn series_table(summaries: &[engine::SeriesSummary], lang: Option<Lang>) -> Table {
    let mut table = Table::new(vec![
        "id",
        "frequency",
        "unit",
        "periods",
        "first",
        "last",
        "title",
    ]);
    for summary in summaries {
        let period_text =
            |period: Option<Period>| period.map_or_else(|| "-".to_owned(), |p| p.to_string());
        table.row(vec![
            summary.meta.id.to_string(),
            summary.meta.frequency.to_string(),
            summary.meta.unit.clone(),
            summary.n_observations.to_string(),
            period_text(summary.first_period),
            period_text(summary.last_period),
            title(&summary.meta, lang),
        ]);
    }
    table
}

fn title(meta: &SeriesMeta, lang: Option<Lang>) -> String {
    in_language(lang, &meta.title_en, &meta.title_zh)
}

/// A period as people say it: English unless Chinese is asked for.
fn period_label(period: Period, lang: Option<Lang>) -> String {
    match lang {
        None | Some(Lang::En) => period.label_en(),
        Some(Lang::ZhHant) => period.label_zh(),
        Some(Lang::Both) => format!("{} {}", period.label_zh(), period.label_en()),
    }
}

/// Says on stderr when a derived series is older than its inputs, and how to refresh it.
#[allow(clippy::print_stderr)]
fn warn_if_stale(engine: &mut Engine, meta: &SeriesMeta) -> anyhow::Result<()> {
    let stale = engine.stale_inputs(meta)?;
    if !stale.is_empty() {
        let inputs: Vec<String> = stale.iter().map(ToString::to_string).collect();
        eprintln!(
            "note: {} is out of date: {} changed after it was computed; `lmo compute` refreshes it",
            meta.id,
            inputs.join(", ")
        );
    }
    Ok(())
}

pub(crate) fn show(
    engine: &mut Engine,
    args: &SeriesShowArgs,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    let id = parse_id(&args.id)?;
    let (meta, observations) = engine.series(&id, args.as_of)?;
    warn_if_stale(engine, &meta)?;
    let dto = SeriesDto {
        observations: Some(observations.iter().map(ObservationDto::from).collect()),
        ..SeriesDto::new(&meta)
    };
    print_result(
        &args.output,
        &dto,
        dto.observations.as_deref().unwrap_or_default(),
        || {
            let mut table = Table::new(vec![
                "period", "value", "status", "vintage", "basis", "label",
            ]);
            for stored in &observations {
                let period = stored.observation.period;
                table.row(vec![
                    period.to_string(),
                    format_value(stored.observation.value),
                    stored.observation.status.as_str().to_owned(),
                    stored.vintage.to_string(),
                    stored.vintage_basis.as_str().to_owned(),
                    period_label(period, lang),
                ]);
            }
            table.with_heading(series_heading(&meta, args.as_of, observations.len(), lang))
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// What `lmo series show` prints above the values for people.
fn series_heading(
    meta: &SeriesMeta,
    as_of: Option<domain::Date>,
    periods: usize,
    lang: Option<Lang>,
) -> String {
    let unit = if meta.unit.is_empty() {
        "-"
    } else {
        &meta.unit
    };
    let mut lines = vec![
        meta.id.to_string(),
        format!("  title     {}", title(meta, lang)),
        format!(
            "  unit      {unit}   frequency {}   {}   {}",
            meta.frequency,
            meta.seasonal_adjustment.as_str(),
            meta.direction.as_str()
        ),
        format!("  source    {}", meta.source),
    ];
    if let Some(industry) = &meta.industry {
        lines.push(format!(
            "  industry  {industry}: {}",
            in_language(lang, &industry.name_en(), &industry.name_zh())
        ));
    }
    if !meta.tags.is_empty() {
        let tags: Vec<&str> = meta.tags.iter().map(domain::Tag::as_str).collect();
        lines.push(format!("  tags      {}", tags.join(" ")));
    }
    let as_of = as_of.map_or_else(|| "latest".to_owned(), |date| date.to_string());
    lines.push(format!("  as of     {as_of}: {periods} periods\n"));
    lines.join("\n")
}

/// One value a period has had: a vintage, or a value a correction replaced.
#[derive(Serialize)]
struct VintageDto {
    #[serde(flatten)]
    observation: ObservationDto,
    import_id: i64,
    /// The import that replaced this value under the same vintage date (a correction);
    /// `None` for the values in force.
    replaced_by_import: Option<i64>,
}

pub(crate) fn vintages(engine: &mut Engine, args: &VintagesArgs) -> anyhow::Result<ExitCode> {
    let id = parse_id(&args.id)?;
    let period = Period::parse(&args.period).map_err(|error| InputRejected(error.to_string()))?;
    let history = engine.vintages(&id, period)?;
    let mut dtos: Vec<VintageDto> = history
        .vintages
        .iter()
        .map(|stored| VintageDto {
            observation: ObservationDto::from(stored),
            import_id: stored.import_id,
            replaced_by_import: None,
        })
        .chain(history.corrected.iter().map(|corrected| VintageDto {
            observation: ObservationDto::from(&corrected.replaced),
            import_id: corrected.replaced.import_id,
            replaced_by_import: Some(corrected.corrected_by_import),
        }))
        .collect();
    // Oldest first; a replaced value before the one that replaced it.
    dtos.sort_by(|a, b| {
        a.observation
            .vintage
            .cmp(&b.observation.vintage)
            .then(
                b.replaced_by_import
                    .is_some()
                    .cmp(&a.replaced_by_import.is_some()),
            )
            .then(a.import_id.cmp(&b.import_id))
    });
    print_result(&args.output, &dtos, &dtos, || {
        let mut table = Table::new(vec![
            "vintage",
            "value",
            "status",
            "vintage_basis",
            "import_id",
            "replaced_by_import",
        ]);
        for dto in &dtos {
            table.row(vec![
                dto.observation.vintage.clone(),
                format_value(dto.observation.value),
                dto.observation.status.to_owned(),
                dto.observation.vintage_basis.to_owned(),
                dto.import_id.to_string(),
                dto.replaced_by_import
                    .map_or_else(|| "-".to_owned(), |import| format!("corrected by {import}")),
            ]);
        }
        table.with_heading(format!(
            "Every value {id} has had for {} ({}): {} vintages, {} replaced by corrections.\n",
            history.period,
            history.period.label_en(),
            history.vintages.len(),
            history.corrected.len()
        ))
    })?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn export(engine: &mut Engine, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let summaries = engine.list_series(args.prefix.clone(), args.tag.clone())?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        ExportFormat::Csv => {
            let mut writer = csv::Writer::from_writer(&mut out);
            writer.write_record(["series_id", "period", "value", "vintage", "status"])?;
            for summary in &summaries {
                let (_, observations) = engine.series(&summary.meta.id, args.as_of)?;
                for stored in &observations {
                    writer.write_record([
                        summary.meta.id.as_str(),
                        &stored.observation.period.to_string(),
                        &stored.observation.value.to_string(),
                        &stored.vintage.to_string(),
                        stored.observation.status.as_str(),
                    ])?;
                }
            }
            writer.flush()?;
        }
        ExportFormat::SeriesMeta => {
            let mut writer = csv::Writer::from_writer(&mut out);
            writer.write_record(engine::SERIES_METADATA_COLUMNS)?;
            for summary in &summaries {
                let meta = &summary.meta;
                let tags: Vec<&str> = meta.tags.iter().map(domain::Tag::as_str).collect();
                writer.write_record([
                    meta.id.as_str(),
                    &meta.title_en,
                    &meta.title_zh,
                    &meta.unit,
                    meta.frequency.as_str(),
                    meta.seasonal_adjustment.as_str(),
                    &meta.source,
                    &meta
                        .industry
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    &meta
                        .occupation
                        .map(|group| group.to_string())
                        .unwrap_or_default(),
                    &tags.join(";"),
                    meta.direction.as_str(),
                    &meta.publication_lag_days.to_string(),
                ])?;
            }
            writer.flush()?;
        }
        ExportFormat::Json => {
            // One series at a time, so the export never holds the whole store in memory.
            writeln!(out, "[")?;
            for (index, summary) in summaries.iter().enumerate() {
                let (meta, observations) = engine.series(&summary.meta.id, args.as_of)?;
                let dto = SeriesDto {
                    observations: Some(observations.iter().map(ObservationDto::from).collect()),
                    ..SeriesDto::new(&meta)
                };
                if index > 0 {
                    writeln!(out, ",")?;
                }
                serde_json::to_writer(&mut out, &dto)?;
            }
            writeln!(out, "\n]")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn imports(engine: &mut Engine, output: &OutputArgs) -> anyhow::Result<ExitCode> {
    #[derive(Serialize)]
    struct ImportDto<'a> {
        id: i64,
        imported_at: &'a str,
        file: &'a str,
        format: &'a str,
        rows_new: u64,
        rows_revised: u64,
        rows_unchanged: u64,
        rows_rejected: u64,
    }
    let records = engine.imports()?;
    let dtos: Vec<ImportDto<'_>> = records
        .iter()
        .map(|record| ImportDto {
            id: record.id,
            imported_at: &record.imported_at,
            file: &record.file_name,
            format: &record.format,
            rows_new: record.rows_new,
            rows_revised: record.rows_revised,
            rows_unchanged: record.rows_unchanged,
            rows_rejected: record.rows_rejected,
        })
        .collect();
    print_result(output, &dtos, &dtos, || {
        let mut table = Table::new(vec![
            "id",
            "imported_at",
            "format",
            "new",
            "revised",
            "unchanged",
            "rejected",
            "file",
        ]);
        for record in &records {
            table.row(vec![
                record.id.to_string(),
                record.imported_at.clone(),
                record.format.clone(),
                record.rows_new.to_string(),
                record.rows_revised.to_string(),
                record.rows_unchanged.to_string(),
                record.rows_rejected.to_string(),
                record.file_name.clone(),
            ]);
        }
        table
    })?;
    Ok(ExitCode::SUCCESS)
}
