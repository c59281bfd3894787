//! `/v1/series`: list and search, observations as known on `as_of`, vintages, downloads.

use axum::extract::{Path, State as AxumState};
use axum::http::HeaderMap;
use axum::response::Response;
use domain::{SeriesId, SeriesMeta};
use engine::{SeriesSummary, StoredObservation};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{JSON, cached, json_bytes};
use crate::auth::Caller;
use crate::params::{self, Page, Query};
use crate::{ApiError, State};

pub(super) fn routes() -> OpenApiRouter<State> {
    OpenApiRouter::new()
        .routes(routes!(list_series))
        .routes(routes!(download))
        .routes(routes!(show_series))
        .routes(routes!(vintages))
}

/// A series' metadata.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SeriesDto {
    id: String,
    title_en: String,
    title_zh: String,
    unit: String,
    frequency: &'static str,
    seasonal_adjustment: &'static str,
    source: String,
    industry: Option<String>,
    occupation: Option<String>,
    tags: Vec<String>,
    direction: &'static str,
    publication_lag_days: u16,
}

impl SeriesDto {
    pub(crate) fn new(meta: &SeriesMeta) -> SeriesDto {
        SeriesDto {
            id: meta.id.to_string(),
            title_en: meta.title_en.clone(),
            title_zh: meta.title_zh.clone(),
            unit: meta.unit.clone(),
            frequency: meta.frequency.as_str(),
            seasonal_adjustment: meta.seasonal_adjustment.as_str(),
            source: meta.source.clone(),
            industry: meta.industry.as_ref().map(ToString::to_string),
            occupation: meta.occupation.map(|group| group.to_string()),
            tags: meta
                .tags
                .iter()
                .map(|tag| tag.as_str().to_owned())
                .collect(),
            direction: meta.direction.as_str(),
            publication_lag_days: meta.publication_lag_days,
        }
    }
}

/// A series in a list, with its span.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SeriesSummaryDto {
    #[serde(flatten)]
    series: SeriesDto,
    n_periods: u64,
    first_period: Option<String>,
    last_period: Option<String>,
}

pub(crate) fn summary_dto(summary: &SeriesSummary) -> SeriesSummaryDto {
    SeriesSummaryDto {
        series: SeriesDto::new(&summary.meta),
        n_periods: summary.n_observations,
        first_period: summary.first_period.map(|period| period.to_string()),
        last_period: summary.last_period.map(|period| period.to_string()),
    }
}

/// One value as known then.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ObservationDto {
    period: String,
    value: f64,
    status: &'static str,
    /// The date from which the value was known.
    vintage: String,
    vintage_basis: &'static str,
}

pub(crate) fn observation_dto(stored: &StoredObservation) -> ObservationDto {
    ObservationDto {
        period: stored.observation.period.to_string(),
        value: stored.observation.value,
        status: stored.observation.status.as_str(),
        vintage: stored.vintage.to_string(),
        vintage_basis: stored.vintage_basis.as_str(),
    }
}

/// A series with its values as known on `as_of`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SeriesValuesDto {
    #[serde(flatten)]
    series: SeriesDto,
    /// The date the values are as known on; `null` for the latest.
    as_of: Option<String>,
    observations: Vec<ObservationDto>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Words that must all appear in the id or the English or Chinese title (any case).
    q: Option<String>,
    /// Only ids starting with this prefix, e.g. `csd.215-16001`.
    prefix: Option<String>,
    /// Only series with this tag.
    tag: Option<String>,
    /// Page size, 1 to 1000 (default 100).
    limit: Option<String>,
    offset: Option<String>,
}

/// List or search series.
#[utoipa::path(get, path = "/series", tag = "series", params(ListParams),
    responses((status = OK, body = Page<SeriesSummaryDto>), (status = 422, body = crate::ErrorBody)))]
async fn list_series(
    AxumState(state): AxumState<State>,
    _: Caller,
    headers: HeaderMap,
    Query(params): Query<ListParams>,
) -> Result<Response, ApiError> {
    // Checked before the cache, so that a bad page is refused whatever is cached.
    params::page(
        Vec::<()>::new(),
        params.limit.as_deref(),
        params.offset.as_deref(),
    )?;
    let key = format!(
        "series?{:?}{:?}{:?}{:?}{:?}",
        params.q, params.prefix, params.tag, params.limit, params.offset
    );
    cached(&state, &headers, key, JSON, move |engine| {
        let found = engine.search_series(
            params.q.as_deref().unwrap_or_default(),
            params.prefix,
            params.tag,
        )?;
        let dtos = found.iter().map(summary_dto).collect();
        json_bytes(&params::page(
            dtos,
            params.limit.as_deref(),
            params.offset.as_deref(),
        )?)
    })
    .await
}

fn series_id(text: &str) -> Result<SeriesId, ApiError> {
    SeriesId::parse(text).map_err(|error| ApiError::invalid("id", error))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct AsOfParams {
    /// Values as known on this date (YYYY-MM-DD); default: the latest.
    as_of: Option<String>,
}

/// A series and its values as known on `as_of`.
#[utoipa::path(get, path = "/series/{id}", tag = "series",
    params(("id" = String, Path, description = "The series id"), AsOfParams),
    responses((status = OK, body = SeriesValuesDto), (status = 404, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
async fn show_series(
    AxumState(state): AxumState<State>,
    _: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Query<AsOfParams>,
) -> Result<Response, ApiError> {
    let id = series_id(&id)?;
    let as_of = params::date("as_of", params.as_of.as_deref())?;
    let key = format!("series/{id}?{as_of:?}");
    cached(&state, &headers, key, JSON, move |engine| {
        let (meta, observations) = engine.series(&id, as_of)?;
        json_bytes(&SeriesValuesDto {
            series: SeriesDto::new(&meta),
            as_of: as_of.map(|date| date.to_string()),
            observations: observations.iter().map(observation_dto).collect(),
        })
    })
    .await
}

/// Every vintage of one period.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct VintagesDto {
    series_id: String,
    /// The period as the series stores it (a quarter may be asked for by its last month).
    period: String,
    vintages: Vec<ObservationDto>,
    /// Values that corrections replaced.
    corrected: Vec<CorrectedDto>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct CorrectedDto {
    value: f64,
    vintage: String,
    replaced_by_import: i64,
}

/// Every vintage of one period of a series.
#[utoipa::path(get, path = "/series/{id}/vintages/{period}", tag = "series",
    params(("id" = String, Path, description = "The series id"),
           ("period" = String, Path, description = "2025, 2025-Q3, 2025-09 or 2025-09/3M")),
    responses((status = OK, body = VintagesDto), (status = 404, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
async fn vintages(
    AxumState(state): AxumState<State>,
    _: Caller,
    headers: HeaderMap,
    Path((id, period)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = series_id(&id)?;
    let period = params::required("period", params::period("period", Some(&period))?)?;
    let key = format!("vintages/{id}/{period}");
    cached(&state, &headers, key, JSON, move |engine| {
        let history = engine.vintages(&id, period)?;
        json_bytes(&VintagesDto {
            series_id: id.to_string(),
            period: history.period.to_string(),
            vintages: history.vintages.iter().map(observation_dto).collect(),
            corrected: history
                .corrected
                .iter()
                .map(|corrected| CorrectedDto {
                    value: corrected.replaced.observation.value,
                    vintage: corrected.replaced.vintage.to_string(),
                    replaced_by_import: corrected.corrected_by_import,
                })
                .collect(),
        })
    })
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct DownloadParams {
    /// Series ids, comma-separated (at most 200).
    ids: Option<String>,
    /// `csv` (long CSV that `lmo ingest` reads back), `json` or `xlsx`.
    format: Option<String>,
    /// Values as known on this date; default: the latest.
    as_of: Option<String>,
}

/// The most series one download holds.
const DOWNLOAD_SERIES_MAX: usize = 200;

/// Download one or several series as CSV, JSON or XLSX.
#[utoipa::path(get, path = "/series/download", tag = "series", params(DownloadParams),
    responses((status = OK, description = "The file: text/csv, application/json or an XLSX workbook"),
              (status = 404, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
async fn download(
    AxumState(state): AxumState<State>,
    _: Caller,
    headers: HeaderMap,
    Query(params): Query<DownloadParams>,
) -> Result<Response, ApiError> {
    let ids: Vec<SeriesId> = params::required("ids", params.ids.as_deref())?
        .split(',')
        .filter(|id| !id.trim().is_empty())
        .map(|id| SeriesId::parse(id.trim()).map_err(|error| ApiError::invalid("ids", error)))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() || ids.len() > DOWNLOAD_SERIES_MAX {
        return Err(ApiError::invalid(
            "ids",
            format!("name 1 to {DOWNLOAD_SERIES_MAX} series"),
        ));
    }
    let as_of = params::date("as_of", params.as_of.as_deref())?;
    let format = params.format.as_deref().unwrap_or("csv");
    let content_type = match format {
        "csv" => "text/csv; charset=utf-8",
        "json" => JSON,
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => return Err(ApiError::invalid("format", "is csv, json or xlsx")),
    };
    let format = format.to_owned();
    let key = format!("download/{ids:?}/{format}/{as_of:?}");
    let mut response = cached(&state, &headers, key, content_type, move |engine| {
        let mut series = Vec::new();
        for id in &ids {
            series.push(engine.series(id, as_of)?);
        }
        match format.as_str() {
            "json" => json_bytes(
                &series
                    .iter()
                    .map(|(meta, observations)| SeriesValuesDto {
                        series: SeriesDto::new(meta),
                        as_of: as_of.map(|date| date.to_string()),
                        observations: observations.iter().map(observation_dto).collect(),
                    })
                    .collect::<Vec<_>>(),
            ),
            "xlsx" => xlsx(&series),
            _ => long_csv(&series),
        }
    })
    .await?;
    let extension = match content_type {
        JSON => "json",
        "text/csv; charset=utf-8" => "csv",
        _ => "xlsx",
    };
    if let Ok(value) = axum::http::HeaderValue::from_str(&format!(
        "attachment; filename=\"lmo-series.{extension}\""
    )) {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

type SeriesValues = (SeriesMeta, Vec<StoredObservation>);

/// Long CSV, as `lmo export` writes it (and `lmo ingest` reads it back).
fn long_csv(series: &[SeriesValues]) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = |writer: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
        writer.write_record(["series_id", "period", "value", "vintage", "status"])?;
        for (meta, observations) in series {
            for stored in observations {
                writer.write_record([
                    meta.id.as_str(),
                    &stored.observation.period.to_string(),
                    &stored.observation.value.to_string(),
                    &stored.vintage.to_string(),
                    stored.observation.status.as_str(),
                ])?;
            }
        }
        Ok(())
    };
    write(&mut writer).map_err(ApiError::internal)?;
    writer
        .into_inner()
        .map_err(|error| ApiError::internal(error.into_error()))
}

/// One sheet per series: the metadata above, then period, value, vintage and status, with
/// values as number cells.
fn xlsx(series: &[SeriesValues]) -> Result<Vec<u8>, ApiError> {
    use rust_xlsxwriter::Workbook;
    let mut workbook = Workbook::new();
    for (index, (meta, observations)) in series.iter().enumerate() {
        let sheet = workbook.add_worksheet();
        // Sheet names are at most 31 characters and unique.
        sheet
            .set_name(format!("{} {}", index + 1, truncate(meta.id.as_str(), 26)))
            .map_err(ApiError::internal)?;
        let rows: [(&str, &str); 4] = [
            ("series_id", meta.id.as_str()),
            ("title_en", &meta.title_en),
            ("title_zh", &meta.title_zh),
            ("source", &meta.source),
        ];
        for (row, (label, value)) in rows.iter().enumerate() {
            sheet
                .write_string(row as u32, 0, *label)
                .and_then(|sheet| sheet.write_string(row as u32, 1, *value))
                .map_err(ApiError::internal)?;
        }
        let header_row = 5;
        for (column, header) in ["period", "value", "vintage", "status"].iter().enumerate() {
            sheet
                .write_string(header_row, column as u16, *header)
                .map_err(ApiError::internal)?;
        }
        for (offset, stored) in observations.iter().enumerate() {
            let row = header_row + 1 + offset as u32;
            sheet
                .write_string(row, 0, stored.observation.period.to_string())
                .and_then(|sheet| sheet.write_number(row, 1, stored.observation.value))
                .and_then(|sheet| sheet.write_string(row, 2, stored.vintage.to_string()))
                .and_then(|sheet| sheet.write_string(row, 3, stored.observation.status.as_str()))
                .map_err(ApiError::internal)?;
        }
    }
    workbook.save_to_buffer().map_err(ApiError::internal)
}

fn truncate(text: &str, chars: usize) -> String {
    text.chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(chars)
        .collect()
}
