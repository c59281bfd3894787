//! `/v1/reports`: generate the labour-market situation report 就業形勢分析報告, list the
//! reports generated, download their files. Publishing a report tells its subscribers.

use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Role;
use engine::{ArchivedReport, ReportFile};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::params::{self, Json, Page, Query};
use crate::{ApiError, State};

pub(super) fn routes() -> OpenApiRouter<State> {
    OpenApiRouter::new()
        .routes(routes!(list_reports, generate))
        .routes(routes!(download))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ReportDto {
    pub(crate) id: i64,
    as_of: String,
    since: String,
    languages: String,
    generated_by: String,
    generated_at: String,
    /// The formats that can be downloaded: html, xlsx, pdf.
    formats: Vec<String>,
}

fn report_dto(report: &ArchivedReport, formats: Vec<String>) -> ReportDto {
    ReportDto {
        id: report.id,
        as_of: report.as_of.to_string(),
        since: report.since.to_string(),
        languages: report.languages.clone(),
        generated_by: report.generated_by.clone(),
        generated_at: report.generated_at.clone(),
        formats,
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageParams {
    limit: Option<String>,
    offset: Option<String>,
}

/// The reports generated, newest first.
#[utoipa::path(get, path = "/reports", tag = "reports", params(PageParams),
    responses((status = OK, body = Page<ReportDto>)))]
async fn list_reports(
    AxumState(state): AxumState<State>,
    _: Caller,
    Query(page): Query<PageParams>,
) -> Result<Response, ApiError> {
    let reports = state
        .pool
        .run(|engine| Ok(engine.archived_reports()?))
        .await?;
    let dtos = reports
        .into_iter()
        .map(|(report, formats)| report_dto(&report, formats))
        .collect();
    Ok(axum::Json(params::page(
        dtos,
        page.limit.as_deref(),
        page.offset.as_deref(),
    )?)
    .into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GenerateRequest {
    /// From the data known on this date; default: today in Hong Kong.
    pub(crate) as_of: Option<String>,
    /// Compared with the report as of this date; default: a month before `as_of`.
    pub(crate) since: Option<String>,
    /// `both` (default), `zh-Hant` or `en`.
    pub(crate) lang: Option<String>,
    /// Any of `html`, `xlsx`, `pdf` (PDF needs Chromium on the server); default html and xlsx.
    pub(crate) formats: Option<Vec<String>>,
}

fn format_of(name: &str) -> Result<(reports::Format, &'static str), ApiError> {
    match name {
        "html" => Ok((reports::Format::Html, "text/html; charset=utf-8")),
        "xlsx" => Ok((
            reports::Format::Xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )),
        "pdf" => Ok((reports::Format::Pdf, "application/pdf")),
        _ => Err(ApiError::invalid("formats", "are html, xlsx or pdf")),
    }
}

/// Generate the report and publish it (analysts and above); recorded with the
/// authenticated user, and sent to those who subscribe to reports.
#[utoipa::path(post, path = "/reports", tag = "reports", request_body = GenerateRequest,
    responses((status = CREATED, body = ReportDto), (status = 403, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
async fn generate(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Json(request): Json<GenerateRequest>,
) -> Result<Response, ApiError> {
    let dto = generate_report(&state, &caller, request).await?;
    Ok((StatusCode::CREATED, axum::Json(dto)).into_response())
}

/// Generates, archives and publishes the report as `caller` (analysts and above), for the
/// API and the dashboard alike.
pub(crate) async fn generate_report(
    state: &State,
    caller: &Caller,
    request: GenerateRequest,
) -> Result<ReportDto, ApiError> {
    caller.require(Role::Analyst)?;
    let user = caller.user_name.clone();
    let as_of = params::date("as_of", request.as_of.as_deref())?.unwrap_or_else(|| state.today());
    let since = params::date("since", request.since.as_deref())?;
    let (languages, lang) = match request.lang.as_deref().unwrap_or("both") {
        "both" => (reports::Languages::Both, "both"),
        "zh-Hant" => (reports::Languages::ZhHant, "zh-Hant"),
        "en" => (reports::Languages::En, "en"),
        _ => return Err(ApiError::invalid("lang", "is both, zh-Hant or en")),
    };
    let mut formats = Vec::new();
    for name in request
        .formats
        .unwrap_or_else(|| vec!["html".to_owned(), "xlsx".to_owned()])
    {
        let format = format_of(&name)?;
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    if formats.is_empty() {
        return Err(ApiError::invalid("formats", "name at least one format"));
    }
    let scratch = state.scratch_dir.clone();
    let generated_at = state.now_text();
    let published_at = engine::access::utc_text(state.now());
    let render = crate::notifier::render;
    state
        .pool
        .run(move |engine| {
            let data = engine.report(as_of, since)?;
            let report = reports::build(
                &data,
                &reports::Options {
                    languages,
                    lmo_version: env!("CARGO_PKG_VERSION").to_owned(),
                    arrears: reports::ArrearsLabel::default(),
                },
            );
            std::fs::create_dir_all(&scratch).map_err(ApiError::internal)?;
            let dir = tempfile::tempdir_in(&scratch).map_err(ApiError::internal)?;
            let kinds: Vec<reports::Format> = formats.iter().map(|(format, _)| *format).collect();
            let written =
                reports::write(&report, &kinds, dir.path()).map_err(ApiError::internal)?;
            if let Some(error) = written.pdf_error {
                return Err(ApiError::Refused(format!(
                    "the PDF could not be written ({error}); ask for html and xlsx"
                )));
            }
            let mut files = Vec::new();
            for (format, path) in &written.files {
                let (name, content_type) = match format {
                    reports::Format::Html => ("html", "text/html; charset=utf-8"),
                    reports::Format::Xlsx => (
                        "xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ),
                    reports::Format::Pdf => ("pdf", "application/pdf"),
                };
                files.push(ReportFile {
                    format: name.to_owned(),
                    content_type: content_type.to_owned(),
                    bytes: std::fs::read(path).map_err(ApiError::internal)?,
                });
            }
            let mut archived = ArchivedReport {
                id: 0,
                as_of: data.as_of,
                since: data.since,
                languages: lang.to_owned(),
                generated_by: user,
                generated_at: generated_at.clone(),
            };
            archived.id = engine.archive_report(&archived, &files)?;
            let names: Vec<String> = files.iter().map(|file| file.format.clone()).collect();
            engine.report_published(&archived, &names, &published_at, &render)?;
            Ok(report_dto(&archived, names))
        })
        .await
}

/// Download one file of a report.
#[utoipa::path(get, path = "/reports/{id}/{format}", tag = "reports",
    params(("id" = i64, Path, description = "The report's id"),
           ("format" = String, Path, description = "html, xlsx or pdf")),
    responses((status = OK, description = "The file"), (status = 404, body = crate::ErrorBody)))]
async fn download(
    AxumState(state): AxumState<State>,
    _: Caller,
    Path((id, format)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::invalid("id", "is a report id"))?;
    format_of(&format)?;
    let lookup = format.clone();
    let file = state
        .pool
        .run(move |engine| Ok(engine.archived_report_file(id, &lookup)?))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("report {id} has no {format} file")))?;
    let mut response = file.bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&file.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"lmo-report-{id}.{format}\""
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400, immutable"),
    );
    Ok(response)
}
