//! `/v1/indicators`, `/v1/climate`, `/v1/alerts`, `/v1/watchlist`, `/v1/backtest`: the early
//! warning over the store.

use axum::extract::State as AxumState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::{Date, Role};
use engine::{Alert, AlertLevel, RuleSet};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::series::{SeriesSummaryDto, summary_dto};
use super::{JSON, cached, json_bytes};
use crate::auth::Caller;
use crate::params::{self, Json, Query};
use crate::{ApiError, State};

pub(super) fn routes() -> OpenApiRouter<State> {
    OpenApiRouter::new()
        .routes(routes!(indicators))
        .routes(routes!(climate))
        .routes(routes!(alerts))
        .routes(routes!(acknowledge))
        .routes(routes!(mute))
        .routes(routes!(watchlist))
        .routes(routes!(watchlist_history))
        .routes(routes!(backtest))
}

/// The rule sets the API evaluates: the shipped ones only (a path would read any file).
const RULE_SETS: [&str; 2] = ["hk-default", "us-industry-unemployment"];

pub(crate) fn rules(name: Option<&str>) -> Result<RuleSet, ApiError> {
    let name = name.unwrap_or("hk-default");
    if !RULE_SETS.contains(&name) {
        return Err(ApiError::invalid(
            "rules",
            format!("is one of {}", RULE_SETS.join(", ")),
        ));
    }
    Ok(engine::load_rules(name)?)
}

/// The derived indicators lmo computed and stored (`lmo compute`).
#[utoipa::path(get, path = "/indicators", tag = "warnings",
    responses((status = OK, body = Vec<SeriesSummaryDto>)))]
async fn indicators(
    AxumState(state): AxumState<State>,
    _: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    cached(&state, &headers, "indicators".to_owned(), JSON, |engine| {
        let derived = engine.list_series(None, Some("derived".to_owned()))?;
        json_bytes(&derived.iter().map(summary_dto).collect::<Vec<_>>())
    })
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct AsOfParams {
    /// From the data known on this date (YYYY-MM-DD); default: today in Hong Kong.
    as_of: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct PointDto {
    period: String,
    value: f64,
    vintage: String,
}

fn points(observed: &[engine::report::Observed]) -> Vec<PointDto> {
    observed
        .iter()
        .map(|point| PointDto {
            period: point.period.to_string(),
            value: point.value,
            vintage: point.vintage.to_string(),
        })
        .collect()
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ComponentDto {
    series_id: String,
    title_en: String,
    title_zh: String,
    direction: &'static str,
    latest: Option<PointDto>,
    /// Contribution to the composite change in the latest quarter, percentage points.
    contribution: f64,
    contribution_six_months: f64,
}

/// The employment climate index 就業景氣指數 with its components' contributions.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ClimateDto {
    as_of: String,
    series_id: String,
    method: Option<&'static str>,
    base_year: i16,
    eti: Vec<PointDto>,
    lmci_level: Vec<PointDto>,
    lmci_momentum: Vec<PointDto>,
    components: Vec<ComponentDto>,
}

/// The employment climate index and its contributions, as known on `as_of`.
#[utoipa::path(get, path = "/climate", tag = "warnings", params(AsOfParams),
    responses((status = OK, body = ClimateDto), (status = 404, body = crate::ErrorBody)))]
async fn climate(
    AxumState(state): AxumState<State>,
    _: Caller,
    headers: HeaderMap,
    Query(params): Query<AsOfParams>,
) -> Result<Response, ApiError> {
    let as_of = params::date("as_of", params.as_of.as_deref())?.unwrap_or_else(|| state.today());
    cached(
        &state,
        &headers,
        format!("climate/{as_of}"),
        JSON,
        move |engine| {
            let climate = engine.climate(as_of)?.ok_or_else(|| {
                ApiError::NotFound(format!(
                    "the store lacks the climate index's inputs as of {as_of}"
                ))
            })?;
            json_bytes(&ClimateDto {
                as_of: as_of.to_string(),
                series_id: climate.provenance.series.to_string(),
                method: climate.provenance.method,
                base_year: climate.base_year,
                eti: points(&climate.eti),
                lmci_level: points(&climate.lmci_level),
                lmci_momentum: points(&climate.lmci_momentum),
                components: climate
                    .components
                    .iter()
                    .map(|component| ComponentDto {
                        series_id: component.provenance.series.to_string(),
                        title_en: component.provenance.title_en.clone(),
                        title_zh: component.provenance.title_zh.clone(),
                        direction: component.direction.as_str(),
                        latest: component.latest.map(|point| points(&[point]).remove(0)),
                        contribution: component.contribution,
                        contribution_six_months: component.contribution_six_months,
                    })
                    .collect(),
            })
        },
    )
    .await
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct AlertDto {
    /// `rule/subject/opened`, as acknowledgements name it.
    id: String,
    rule_id: String,
    rule_version: u32,
    title_en: String,
    title_zh: String,
    subject: String,
    industry: Option<String>,
    level: &'static str,
    max_level: &'static str,
    opened: String,
    closed: Option<String>,
    last_period: String,
    measure: f64,
    inputs: Vec<PointDto>,
    as_of: String,
    needs_attention: bool,
    acknowledged_by: Option<String>,
    muted_until: Option<String>,
}

pub(crate) fn alert_dto(rules: &RuleSet, alert: &Alert) -> AlertDto {
    let (title_en, title_zh) = rules
        .rule(&alert.rule_id)
        .map(|rule| (rule.title_en.clone(), rule.title_zh.clone()))
        .unwrap_or_default();
    AlertDto {
        id: engine::alert_id_of(alert),
        rule_id: alert.rule_id.clone(),
        rule_version: alert.rule_version,
        title_en,
        title_zh,
        subject: alert.subject.to_string(),
        industry: alert.industry.as_ref().map(ToString::to_string),
        level: alert.level().as_str(),
        max_level: alert.max_level().as_str(),
        opened: alert.opened.to_string(),
        closed: alert.closed.map(|period| period.to_string()),
        last_period: alert.last_period.to_string(),
        measure: alert.measure,
        inputs: alert
            .inputs
            .iter()
            .map(|input| PointDto {
                period: input.period.to_string(),
                value: input.value,
                vintage: input.vintage.to_string(),
            })
            .collect(),
        as_of: alert.as_of.to_string(),
        needs_attention: alert.needs_attention(),
        acknowledged_by: alert.acknowledgement.as_ref().map(|ack| ack.user.clone()),
        muted_until: alert.muted.as_ref().map(|mute| mute.until.to_string()),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct AlertParams {
    /// `hk-default` (default) or `us-industry-unemployment`.
    rules: Option<String>,
    /// Evaluate with the data known on this date; default: today in Hong Kong.
    as_of: Option<String>,
    /// Only alerts at this level or worse: blue, yellow, orange, red.
    level: Option<String>,
    /// Only episodes that opened in a period ending on or after this date.
    opened_from: Option<String>,
    /// Only episodes that opened in a period ending on or before this date.
    opened_to: Option<String>,
    /// `true`: closed episodes too.
    all: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

fn flag(field: &str, text: Option<&str>) -> Result<bool, ApiError> {
    match text {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ApiError::invalid(field, "is true or false")),
    }
}

/// Alert episodes as known on `as_of`, most severe first.
#[utoipa::path(get, path = "/alerts", tag = "warnings", params(AlertParams),
    responses((status = OK, body = params::Page<AlertDto>), (status = 422, body = crate::ErrorBody)))]
async fn alerts(
    AxumState(state): AxumState<State>,
    _: Caller,
    headers: HeaderMap,
    Query(params): Query<AlertParams>,
) -> Result<Response, ApiError> {
    let rules = rules(params.rules.as_deref())?;
    let as_of = params::date("as_of", params.as_of.as_deref())?.unwrap_or_else(|| state.today());
    let level = params
        .level
        .as_deref()
        .map(|text| AlertLevel::parse(text).map_err(|error| ApiError::invalid("level", error)))
        .transpose()?;
    let from = params::date("opened_from", params.opened_from.as_deref())?;
    let to = params::date("opened_to", params.opened_to.as_deref())?;
    let all = flag("all", params.all.as_deref())?;
    params::page(
        Vec::<()>::new(),
        params.limit.as_deref(),
        params.offset.as_deref(),
    )?;
    let key = format!(
        "alerts/{}/{as_of}/{level:?}/{from:?}/{to:?}/{all}/{:?}/{:?}",
        rules.name, params.limit, params.offset
    );
    cached(&state, &headers, key, JSON, move |engine| {
        let mut found = engine.alerts(&rules, as_of)?;
        found.retain(|alert| {
            (all || alert.is_open())
                && level.is_none_or(|level| alert.level() >= level)
                && from.is_none_or(|from| alert.opened.end_date() >= from)
                && to.is_none_or(|to| alert.opened.end_date() <= to)
        });
        found.sort_by(|a, b| b.level().cmp(&a.level()).then(a.opened.cmp(&b.opened)));
        let dtos = found.iter().map(|alert| alert_dto(&rules, alert)).collect();
        json_bytes(&params::page(
            dtos,
            params.limit.as_deref(),
            params.offset.as_deref(),
        )?)
    })
    .await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AckRequest {
    /// The alert's id: `rule/subject/opened`.
    id: String,
    /// Why (kept in the audit trail with the authenticated user).
    reason: String,
    rules: Option<String>,
}

/// Acknowledge an open alert at its current level, as the authenticated user.
#[utoipa::path(post, path = "/alerts/acknowledgements", tag = "warnings", request_body = AckRequest,
    responses((status = CREATED, body = AlertDto), (status = 403, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
async fn acknowledge(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Json(request): Json<AckRequest>,
) -> Result<Response, ApiError> {
    caller.require(Role::Analyst)?;
    let rules = rules(request.rules.as_deref())?;
    params::not_blank("reason", &request.reason)?;
    let today = state.today();
    let alert = state
        .pool
        .run(move |engine| {
            let alert = engine.acknowledge(
                &rules,
                &request.id,
                &caller.user_name,
                &request.reason,
                today,
            )?;
            Ok(alert_dto(&rules, &alert))
        })
        .await?;
    Ok((StatusCode::CREATED, axum::Json(alert)).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MuteRequest {
    rule: String,
    /// A series id, or `*` for breadth and composite rules.
    subject: String,
    /// Muted up to and including this period.
    until: String,
    reason: String,
    rules: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct MuteDto {
    rule: String,
    subject: String,
    until: String,
    by: String,
}

/// Silence a rule on a subject up to a period, as the authenticated user.
#[utoipa::path(post, path = "/alerts/mutes", tag = "warnings", request_body = MuteRequest,
    responses((status = CREATED, body = MuteDto), (status = 403, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
async fn mute(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Json(request): Json<MuteRequest>,
) -> Result<Response, ApiError> {
    caller.require(Role::Analyst)?;
    let rules = rules(request.rules.as_deref())?;
    let until = params::required("until", params::period("until", Some(&request.until))?)?;
    params::not_blank("reason", &request.reason)?;
    let today = state.today();
    let by = caller.user_name.clone();
    let dto = MuteDto {
        rule: request.rule.clone(),
        subject: request.subject.clone(),
        until: until.to_string(),
        by: by.clone(),
    };
    state
        .pool
        .run(move |engine| {
            let mute = engine::MuteRequest {
                rule_id: &request.rule,
                subject: &request.subject,
                until,
                user: &by,
                reason: &request.reason,
            };
            Ok(engine.mute(&rules, &mute, today)?)
        })
        .await?;
    Ok((StatusCode::CREATED, axum::Json(dto)).into_response())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct WatchEntryDto {
    rank: usize,
    industry: String,
    industry_en: String,
    industry_zh: String,
    score: u32,
    reasons: Vec<WatchReasonDto>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct WatchReasonDto {
    rule_id: String,
    subject: String,
    level: &'static str,
    measure: f64,
    period: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct WatchParams {
    rules: Option<String>,
    /// The list as it stood on this date; default: today in Hong Kong.
    as_of: Option<String>,
}

/// The industry watch-list 重點監測行業預警名單 as it stands on `as_of`.
#[utoipa::path(get, path = "/watchlist", tag = "warnings", params(WatchParams),
    responses((status = OK, body = Vec<WatchEntryDto>), (status = 422, body = crate::ErrorBody)))]
async fn watchlist(
    AxumState(state): AxumState<State>,
    _: Caller,
    headers: HeaderMap,
    Query(params): Query<WatchParams>,
) -> Result<Response, ApiError> {
    let rules = rules(params.rules.as_deref())?;
    let as_of = params::date("as_of", params.as_of.as_deref())?.unwrap_or_else(|| state.today());
    let key = format!("watchlist/{}/{as_of}", rules.name);
    cached(&state, &headers, key, JSON, move |engine| {
        let entries = engine.watchlist(&rules, as_of)?;
        json_bytes(
            &entries
                .iter()
                .map(|entry| WatchEntryDto {
                    rank: entry.rank,
                    industry: entry.industry.to_string(),
                    industry_en: entry.industry.name_en(),
                    industry_zh: entry.industry.name_zh(),
                    score: entry.score,
                    reasons: entry
                        .reasons
                        .iter()
                        .map(|reason| WatchReasonDto {
                            rule_id: reason.rule_id.clone(),
                            subject: reason.subject.to_string(),
                            level: reason.level.as_str(),
                            measure: reason.measure,
                            period: reason.period.to_string(),
                        })
                        .collect(),
                })
                .collect::<Vec<_>>(),
        )
    })
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct HistoryParams {
    rules: Option<String>,
    /// First month, e.g. 2008-01.
    from: Option<String>,
    /// Last month, e.g. 2010-12 (at most 25 years after `from`).
    to: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct WatchEventDto {
    as_of: String,
    industry: String,
    industry_en: String,
    industry_zh: String,
    /// `entered` or `left`.
    change: &'static str,
    score: u32,
}

/// The longest replay the API runs, in months.
const REPLAY_MONTHS_MAX: i32 = 12 * 40;

fn replay_range(
    from: Option<&str>,
    to: Option<&str>,
    required: bool,
) -> Result<(Option<domain::Period>, Option<domain::Period>), ApiError> {
    let from = params::period("from", from)?;
    let to = params::period("to", to)?;
    if required {
        params::required("from", from)?;
        params::required("to", to)?;
    }
    for (field, period) in [("from", from), ("to", to)] {
        if period.is_some_and(|period| period.frequency() != domain::Frequency::Monthly) {
            return Err(ApiError::invalid(field, "is a month, such as 2008-01"));
        }
    }
    if let (Some(from), Some(to)) = (from, to) {
        let months = i32::from(to.end_date().year() - from.end_date().year()) * 12
            + i32::from(to.end_date().month())
            - i32::from(from.end_date().month());
        if months < 0 {
            return Err(ApiError::invalid("to", "is before from"));
        }
        if months > REPLAY_MONTHS_MAX {
            return Err(ApiError::invalid(
                "to",
                format!("is at most {REPLAY_MONTHS_MAX} months after from"),
            ));
        }
    }
    Ok((from, to))
}

/// Industries entering and leaving the watch-list month by month.
#[utoipa::path(get, path = "/watchlist/history", tag = "warnings", params(HistoryParams),
    responses((status = OK, body = Vec<WatchEventDto>), (status = 422, body = crate::ErrorBody)))]
async fn watchlist_history(
    AxumState(state): AxumState<State>,
    _: Caller,
    headers: HeaderMap,
    Query(params): Query<HistoryParams>,
) -> Result<Response, ApiError> {
    let rules = rules(params.rules.as_deref())?;
    let (from, to) = replay_range(params.from.as_deref(), params.to.as_deref(), true)?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ApiError::invalid("from", "is required"));
    };
    let key = format!("watchlist-history/{}/{from}/{to}", rules.name);
    cached(&state, &headers, key, JSON, move |engine| {
        let events = engine.watchlist_history(&rules, from, to)?;
        json_bytes(
            &events
                .iter()
                .map(|event| WatchEventDto {
                    as_of: event.as_of.to_string(),
                    industry: event.industry.to_string(),
                    industry_en: event.industry.name_en(),
                    industry_zh: event.industry.name_zh(),
                    change: match event.change {
                        engine::WatchChange::Entered => "entered",
                        engine::WatchChange::Left => "left",
                    },
                    score: event.score,
                })
                .collect::<Vec<_>>(),
        )
    })
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct BacktestParams {
    rules: Option<String>,
    /// Reference episodes: `gdp-downturns:SERIES` (two or more quarters of decline of a
    /// growth series in the store); default `gdp-downturns:hk.panel.real_gdp.yoy_pct`.
    episodes: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct BacktestDto {
    rules: String,
    from: String,
    to: String,
    episodes: Vec<EpisodeDto>,
    scores: Vec<ScoreDto>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct EpisodeDto {
    rule_id: String,
    subject: String,
    max_level: &'static str,
    opened: String,
    /// The month end at which the open episode was first known: the alarm.
    known_from: String,
    closed: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ScoreDto {
    rule_id: String,
    hits: usize,
    misses: usize,
    /// Months from the alarm to each reference episode's start (`null`: missed).
    lead_months: Vec<Option<i32>>,
    false_alarms: usize,
    false_alarms_per_decade: f64,
}

/// Replays the rules through history with only the data known at each month end, and
/// scores them against reference episodes.
#[utoipa::path(get, path = "/backtest", tag = "warnings", params(BacktestParams),
    responses((status = OK, body = BacktestDto), (status = 422, body = crate::ErrorBody)))]
async fn backtest(
    AxumState(state): AxumState<State>,
    _: Caller,
    headers: HeaderMap,
    Query(params): Query<BacktestParams>,
) -> Result<Response, ApiError> {
    let rules = rules(params.rules.as_deref())?;
    let (from, to) = replay_range(params.from.as_deref(), params.to.as_deref(), false)?;
    let episodes = params
        .episodes
        .unwrap_or_else(|| "gdp-downturns:hk.panel.real_gdp.yoy_pct".to_owned());
    // Only series in the store: a path here would read any file on the server.
    let series = episodes
        .strip_prefix("gdp-downturns:")
        .ok_or_else(|| ApiError::invalid("episodes", "is gdp-downturns:SERIES"))?;
    domain::SeriesId::parse(series).map_err(|error| ApiError::invalid("episodes", error))?;
    let key = format!("backtest/{}/{episodes}/{from:?}/{to:?}", rules.name);
    cached(&state, &headers, key, JSON, move |engine| {
        let reference = engine.reference_episodes(&episodes)?;
        let report = engine.backtest(&rules, reference, from, to)?;
        let date = |date: Date| date.to_string();
        json_bytes(&BacktestDto {
            rules: rules.name.clone(),
            from: date(report.backtest.from),
            to: date(report.backtest.to),
            episodes: report
                .backtest
                .episodes
                .iter()
                .map(|episode| EpisodeDto {
                    rule_id: episode.rule_id.clone(),
                    subject: episode.subject.to_string(),
                    max_level: episode.max_level.as_str(),
                    opened: episode.opened.to_string(),
                    known_from: date(episode.known_from),
                    closed: episode.closed.map(|period| period.to_string()),
                })
                .collect(),
            scores: report
                .scores
                .iter()
                .map(|rule| ScoreDto {
                    rule_id: rule.rule_id.clone(),
                    hits: rule.score.hits,
                    misses: rule.score.misses,
                    lead_months: rule
                        .score
                        .episodes
                        .iter()
                        .map(|episode| episode.lead_months)
                        .collect(),
                    false_alarms: rule.score.false_alarms.len(),
                    false_alarms_per_decade: rule.score.false_alarms_per_decade,
                })
                .collect(),
        })
    })
    .await
}
