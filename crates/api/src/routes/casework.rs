//! `/v1/arrears` and `/v1/cases`: saved arrears runs in aggregate for analysts, employer by
//! employer and as cases for case officers and admins only (the store checks case access
//! again for the authenticated user).

use axum::extract::{Path, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::Role;
use engine::{CaseEvent, CaseFilter, CaseState, CaseStep, CaseView, Money, Thresholds};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::params::{self, Json, Page, Query};
use crate::{ApiError, State};

pub(super) fn routes() -> OpenApiRouter<State> {
    OpenApiRouter::new()
        .routes(routes!(arrears_runs))
        .routes(routes!(arrears_employers))
        .routes(routes!(list_cases, open_cases))
        .routes(routes!(due_cases))
        .routes(routes!(show_case))
        .routes(routes!(case_events))
        .routes(routes!(case_step))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct TotalsDto {
    employers: u64,
    workers_affected: u64,
    arrears_hkd: String,
    surcharge_hkd: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct GroupDto {
    /// A level (`red`, …), an HSIC section letter, or `other` for small cells pooled.
    group: String,
    #[serde(flatten)]
    totals: TotalsDto,
}

/// A saved arrears run in aggregate: no employer, no cell under three employers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ArrearsAggregateDto {
    period: String,
    detected_as_of: String,
    total: TotalsDto,
    by_level: Vec<GroupDto>,
    by_industry: Vec<GroupDto>,
    /// Periods with saved runs in the twelve months to `as_of`, newest first.
    periods_saved: Vec<String>,
}

fn totals(totals: &engine::report::ArrearsTotals) -> TotalsDto {
    TotalsDto {
        employers: totals.employers,
        workers_affected: totals.workers_affected,
        arrears_hkd: totals.arrears_hkd(),
        surcharge_hkd: totals.surcharge_hkd(),
    }
}

fn groups(rows: &[(engine::report::ArrearsGroup, engine::report::ArrearsTotals)]) -> Vec<GroupDto> {
    rows.iter()
        .map(|(group, row)| GroupDto {
            group: match group {
                engine::report::ArrearsGroup::Level(level) => level.as_str().to_owned(),
                engine::report::ArrearsGroup::Industry(section) => section.letter().to_string(),
                engine::report::ArrearsGroup::Other => "other".to_owned(),
            },
            totals: totals(row),
        })
        .collect()
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ArrearsParams {
    /// The latest run judged on or before this date; default: today in Hong Kong.
    as_of: Option<String>,
}

/// The latest saved arrears run in aggregate (analysts and above).
#[utoipa::path(get, path = "/arrears/runs", tag = "arrears", params(ArrearsParams),
    responses((status = OK, body = ArrearsAggregateDto), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody)))]
async fn arrears_runs(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Query(params): Query<ArrearsParams>,
) -> Result<Response, ApiError> {
    caller.require(Role::Analyst)?;
    let as_of = params::date("as_of", params.as_of.as_deref())?.unwrap_or_else(|| state.today());
    let dto = state
        .pool
        .run(move |engine| {
            let summary = engine.arrears_aggregate(as_of)?.ok_or_else(|| {
                ApiError::NotFound(format!(
                    "no saved arrears run of three or more employers judged by {as_of}"
                ))
            })?;
            let month = domain::Period::containing(as_of, domain::Frequency::Monthly)
                .map_err(|error| ApiError::invalid("as_of", error))?;
            let periods = engine.arrears_periods(month, 12)?;
            Ok(ArrearsAggregateDto {
                period: summary.period.to_string(),
                detected_as_of: summary.detected_as_of.to_string(),
                total: totals(&summary.total),
                by_level: groups(&summary.by_level),
                by_industry: groups(&summary.by_industry),
                periods_saved: periods.iter().map(ToString::to_string).collect(),
            })
        })
        .await?;
    Ok(axum::Json(dto).into_response())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct EmployerResultDto {
    rank: usize,
    employer_id: String,
    employer_name: Option<String>,
    hsic_section: Option<String>,
    district: Option<String>,
    headcount: Option<i64>,
    level: &'static str,
    workers_affected: i64,
    arrears_hkd: String,
    surcharge_hkd: String,
    max_days_late: i64,
    months_in_default: i64,
    kinds: Vec<&'static str>,
    reasons: Vec<&'static str>,
    as_of: String,
    detected_at: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageParams {
    limit: Option<String>,
    offset: Option<String>,
}

/// The employers of a saved arrears run, most urgent first (case officers and admins).
#[utoipa::path(get, path = "/arrears/runs/{period}/employers", tag = "arrears",
    params(("period" = String, Path, description = "The month, e.g. 2025-06"), PageParams),
    responses((status = OK, body = Page<EmployerResultDto>), (status = 403, body = crate::ErrorBody)))]
async fn arrears_employers(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Path(period): Path<String>,
    Query(page): Query<PageParams>,
) -> Result<Response, ApiError> {
    caller.require(Role::CaseOfficer)?;
    let period = params::required("period", params::period("period", Some(&period))?)?;
    let dtos = state
        .pool
        .run(move |engine| {
            let saved = engine.saved_arrears(&caller.user_name, period)?;
            Ok(saved
                .iter()
                .enumerate()
                .map(|(index, (stored, employer))| {
                    let result = &stored.result;
                    EmployerResultDto {
                        rank: index + 1,
                        employer_id: result.employer_id.clone(),
                        employer_name: employer.as_ref().map(|e| e.name.clone()),
                        hsic_section: employer.as_ref().map(|e| e.hsic_section.clone()),
                        district: employer.as_ref().map(|e| e.district.clone()),
                        headcount: employer.as_ref().map(|e| e.headcount),
                        level: result.level.as_str(),
                        workers_affected: result.workers_affected,
                        arrears_hkd: Money::from_cents(result.arrears_cents).to_string(),
                        surcharge_hkd: Money::from_cents(result.surcharge_cents).to_string(),
                        max_days_late: result.max_days_late,
                        months_in_default: result.months_in_default,
                        kinds: result.kinds.iter().map(|kind| kind.as_str()).collect(),
                        reasons: result
                            .reasons
                            .iter()
                            .map(|reason| reason.as_str())
                            .collect(),
                        as_of: stored.as_of.to_string(),
                        detected_at: stored.detected_at.clone(),
                    }
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(axum::Json(params::page(
        dtos,
        page.limit.as_deref(),
        page.offset.as_deref(),
    )?)
    .into_response())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct CaseDto {
    id: i64,
    state: &'static str,
    referral: Option<&'static str>,
    assignee: Option<String>,
    level: &'static str,
    employer_id: String,
    employer_name: Option<String>,
    period: String,
    workers_affected: Option<i64>,
    arrears_hkd: Option<String>,
    kinds: Vec<&'static str>,
    next_step_due: Option<String>,
    days_to_due: Option<i32>,
    opened_at: String,
    updated_at: String,
    mpf_contribution_day: Option<String>,
    days_since_mpf_deadline: Option<i32>,
    wage_due_by: Option<String>,
    days_since_wage_deadline: Option<i32>,
    days_open: i32,
}

pub(crate) fn case_dto(view: &CaseView) -> CaseDto {
    let case = &view.case;
    let facts = case.facts.as_ref();
    CaseDto {
        id: case.id,
        state: case.state.as_str(),
        referral: case.referral.map(engine::Referral::as_str),
        assignee: case.assignee.clone(),
        level: case.level.as_str(),
        employer_id: case.employer_id.clone(),
        employer_name: view.employer_name.clone(),
        period: case.period.to_string(),
        workers_affected: facts.map(|facts| facts.workers_affected),
        arrears_hkd: facts.map(|facts| Money::from_cents(facts.arrears_cents).to_string()),
        kinds: facts
            .map(|facts| facts.kinds.iter().map(|kind| kind.as_str()).collect())
            .unwrap_or_default(),
        next_step_due: case.due_on.map(|day| day.to_string()),
        days_to_due: view.timers.days_to_due,
        opened_at: case.opened_at.clone(),
        updated_at: case.updated_at.clone(),
        mpf_contribution_day: view.timers.mpf_contribution_day.map(|day| day.to_string()),
        days_since_mpf_deadline: view.timers.days_since_mpf_deadline,
        wage_due_by: view.timers.wage_due_by.map(|day| day.to_string()),
        days_since_wage_deadline: view.timers.days_since_wage_deadline,
        days_open: view.timers.days_open,
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseListParams {
    /// discover, assigned, intervening, referred or resolved.
    state: Option<String>,
    /// `true`: only cases not resolved.
    open: Option<String>,
    employer: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

fn case_state(text: Option<&str>, field: &str) -> Result<Option<CaseState>, ApiError> {
    text.map(|text| CaseState::parse(text).map_err(|error| ApiError::invalid(field, error)))
        .transpose()
}

/// Cases with their timers to today (case officers and admins).
#[utoipa::path(get, path = "/cases", tag = "cases", params(CaseListParams),
    responses((status = OK, body = Page<CaseDto>), (status = 403, body = crate::ErrorBody)))]
async fn list_cases(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Query(params): Query<CaseListParams>,
) -> Result<Response, ApiError> {
    caller.require(Role::CaseOfficer)?;
    let filter = CaseFilter {
        state: case_state(params.state.as_deref(), "state")?,
        employer_id: params.employer.clone(),
        open_only: match params.open.as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => return Err(ApiError::invalid("open", "is true or false")),
        },
        due_by: None,
    };
    params::page(
        Vec::<()>::new(),
        params.limit.as_deref(),
        params.offset.as_deref(),
    )?;
    let today = state.today();
    let views = state
        .pool
        .run(move |engine| Ok(engine.cases(&caller.user_name, &filter, today)?))
        .await?;
    let dtos = views.iter().map(case_dto).collect();
    Ok(axum::Json(params::page(
        dtos,
        params.limit.as_deref(),
        params.offset.as_deref(),
    )?)
    .into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct DueParams {
    /// Also cases due within this many days (default 7, at most 366).
    within: Option<String>,
}

/// Open cases with a step overdue or due soon, most urgent first.
#[utoipa::path(get, path = "/cases/due", tag = "cases", params(DueParams),
    responses((status = OK, body = Vec<CaseDto>), (status = 403, body = crate::ErrorBody)))]
async fn due_cases(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Query(params): Query<DueParams>,
) -> Result<Response, ApiError> {
    caller.require(Role::CaseOfficer)?;
    let within = params::number::<u16>("within", params.within.as_deref())?.unwrap_or(7);
    if within > 366 {
        return Err(ApiError::invalid("within", "is at most 366 days"));
    }
    let today = state.today();
    let views = state
        .pool
        .run(move |engine| Ok(engine.cases_due(&caller.user_name, today, within)?))
        .await?;
    Ok(axum::Json(views.iter().map(case_dto).collect::<Vec<_>>()).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OpenCasesRequest {
    /// The month of a saved arrears run, e.g. 2025-06.
    period: String,
    /// Open cases for employers at this level or worse: yellow, orange (default), red.
    level: Option<String>,
    note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct OpenedDto {
    case_id: i64,
    employer_id: String,
    level: &'static str,
    /// `false`: the employer already had an open case.
    opened: bool,
}

/// Open a case for each employer of a saved run at or above a level, as the authenticated
/// user (once per employer).
#[utoipa::path(post, path = "/cases", tag = "cases", request_body = OpenCasesRequest,
    responses((status = CREATED, body = Vec<OpenedDto>), (status = 403, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
async fn open_cases(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Json(request): Json<OpenCasesRequest>,
) -> Result<Response, ApiError> {
    caller.require(Role::CaseOfficer)?;
    let period = params::required("period", params::period("period", Some(&request.period))?)?;
    let level = engine::Level::parse(request.level.as_deref().unwrap_or("orange"))
        .map_err(|error| ApiError::invalid("level", error))?;
    let time = import_time(&state);
    let opened = state
        .pool
        .run(move |engine| {
            Ok(engine.open_cases_from_arrears(
                period,
                level,
                &caller.user_name,
                request.note.as_deref(),
                &Thresholds::default().cases,
                &time,
            )?)
        })
        .await?;
    let dtos: Vec<OpenedDto> = opened
        .iter()
        .map(|case| OpenedDto {
            case_id: case.outcome.id(),
            employer_id: case.employer_id.clone(),
            level: case.level.as_str(),
            opened: matches!(case.outcome, engine::CaseOpened::Opened(_)),
        })
        .collect();
    Ok((StatusCode::CREATED, axum::Json(dtos)).into_response())
}

pub(crate) fn import_time(state: &State) -> engine::ImportTime {
    engine::ImportTime {
        imported_at: state.now_text(),
        today: state.today(),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct EventDto {
    id: i64,
    at: String,
    user: String,
    action: String,
    from_state: Option<&'static str>,
    to_state: &'static str,
    note: String,
    due_on: Option<String>,
}

fn event_dto(event: &CaseEvent) -> EventDto {
    EventDto {
        id: event.id,
        at: event.at.clone(),
        user: event.user_name.clone(),
        action: event.action.code(),
        from_state: event.from_state.map(CaseState::as_str),
        to_state: event.to_state.as_str(),
        note: event.note.clone(),
        due_on: event.due_on.map(|day| day.to_string()),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct CaseDetailDto {
    case: CaseDto,
    audit_log: Vec<EventDto>,
}

fn case_id(text: &str) -> Result<i64, ApiError> {
    text.parse()
        .map_err(|_| ApiError::invalid("id", "is a case number"))
}

/// One case with its timers and its audit log.
#[utoipa::path(get, path = "/cases/{id}", tag = "cases",
    params(("id" = i64, Path, description = "The case number")),
    responses((status = OK, body = CaseDetailDto), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody)))]
async fn show_case(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require(Role::CaseOfficer)?;
    let id = case_id(&id)?;
    let today = state.today();
    let (view, events) = state
        .pool
        .run(move |engine| Ok(engine.case_detail(&caller.user_name, id, today)?))
        .await?;
    Ok(axum::Json(CaseDetailDto {
        case: case_dto(&view),
        audit_log: events.iter().map(event_dto).collect(),
    })
    .into_response())
}

/// The audit log of a case, oldest first.
#[utoipa::path(get, path = "/cases/{id}/events", tag = "cases",
    params(("id" = i64, Path, description = "The case number")),
    responses((status = OK, body = Vec<EventDto>), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody)))]
async fn case_events(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require(Role::CaseOfficer)?;
    let id = case_id(&id)?;
    let today = state.today();
    let (_, events) = state
        .pool
        .run(move |engine| Ok(engine.case_detail(&caller.user_name, id, today)?))
        .await?;
    Ok(axum::Json(events.iter().map(event_dto).collect::<Vec<_>>()).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepRequest {
    /// assigned, intervening, referred or resolved.
    to: String,
    /// With `assigned`: the case officer (or admin) who takes the case.
    assignee: Option<String>,
    /// With `intervening`: call, letter, visit or meeting.
    how: Option<String>,
    /// With `referred`: labour-department, mpfa, labour-tribunal, insolvency-fund.
    referral: Option<String>,
    /// What was done or decided, for the audit log.
    note: String,
    /// When the next step is due (default: from the deadlines).
    due: Option<String>,
}

/// Record a step of a case, as the authenticated user.
#[utoipa::path(post, path = "/cases/{id}/steps", tag = "cases", request_body = StepRequest,
    params(("id" = i64, Path, description = "The case number")),
    responses((status = CREATED, body = CaseDto), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
async fn case_step(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Path(id): Path<String>,
    Json(request): Json<StepRequest>,
) -> Result<Response, ApiError> {
    caller.require(Role::CaseOfficer)?;
    let id = case_id(&id)?;
    let to = params::required("to", case_state(Some(&request.to), "to")?)?;
    let intervention = request
        .how
        .as_deref()
        .map(|text| {
            engine::Intervention::parse(text).map_err(|error| ApiError::invalid("how", error))
        })
        .transpose()?;
    let referral = request
        .referral
        .as_deref()
        .map(|text| {
            engine::Referral::parse(text).map_err(|error| ApiError::invalid("referral", error))
        })
        .transpose()?;
    let due_on = params::date("due", request.due.as_deref())?;
    params::not_blank("note", &request.note)?;
    let time = import_time(&state);
    let today = time.today;
    let user = caller.user_name.clone();
    let view = state
        .pool
        .run(move |engine| {
            let step = CaseStep {
                case_id: id,
                to,
                referral,
                assignee: request.assignee,
                intervention,
                due_on,
                user_name: user.clone(),
                note: request.note,
            };
            engine.case_step(step, &Thresholds::default().cases, &time)?;
            let (view, _) = engine.case_detail(&user, id, today)?;
            Ok(view)
        })
        .await?;
    Ok((StatusCode::CREATED, axum::Json(case_dto(&view))).into_response())
}
