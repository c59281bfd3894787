//! `/v1/subscriptions` and `/v1/notifications`: what each user is told about, and the
//! record of what was sent.

use axum::extract::{Path, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::Role;
use engine::notify::{Channel, DeliveryRecord, NewSubscription, Subscription, Topic};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::params::{Json, Query};
use crate::{ApiError, State};

pub(super) fn routes() -> OpenApiRouter<State> {
    OpenApiRouter::new()
        .routes(routes!(list_subscriptions, subscribe))
        .routes(routes!(unsubscribe))
        .routes(routes!(deliveries))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SubscriptionDto {
    id: i64,
    user_name: String,
    /// `rule`, `level`, `industry`, `own_cases` or `reports`.
    topic: &'static str,
    /// The rule id, lowest level or industry code.
    value: String,
    /// email or webhook.
    channel: &'static str,
    target: String,
    created_at: String,
}

fn subscription_dto(subscription: &Subscription) -> SubscriptionDto {
    SubscriptionDto {
        id: subscription.id,
        user_name: subscription.user_name.clone(),
        topic: subscription.topic.kind(),
        value: subscription.topic.value().to_owned(),
        channel: subscription.channel.as_str(),
        target: subscription.target.clone(),
        created_at: subscription.created_at.clone(),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct OwnerParams {
    /// Admins: everyone's (`all`) instead of their own.
    all: Option<String>,
}

fn everyone(caller: &Caller, all: Option<&str>) -> Result<bool, ApiError> {
    match all {
        None | Some("false") => Ok(false),
        Some("true") => caller.require(Role::Admin).map(|()| true),
        Some(_) => Err(ApiError::invalid("all", "is true or false")),
    }
}

/// Your subscriptions (admins: everyone's with `all=true`).
#[utoipa::path(get, path = "/subscriptions", tag = "notifications", params(OwnerParams),
    responses((status = OK, body = Vec<SubscriptionDto>)))]
async fn list_subscriptions(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Query(params): Query<OwnerParams>,
) -> Result<Response, ApiError> {
    let owner = (!everyone(&caller, params.all.as_deref())?).then_some(caller.user_name);
    let subscriptions = state
        .pool
        .run(move |engine| Ok(engine.subscriptions(owner.as_deref())?))
        .await?;
    Ok(axum::Json(
        subscriptions
            .iter()
            .map(subscription_dto)
            .collect::<Vec<_>>(),
    )
    .into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SubscribeRequest {
    /// `rule`, `level`, `industry`, `own_cases` (case officers and admins) or `reports`.
    topic: String,
    /// With rule: the rule id; level: blue, yellow, orange or red; industry: its code.
    value: Option<String>,
    /// email or webhook.
    channel: String,
    /// An e-mail address, or an https:// (or http://) URL that receives a JSON POST.
    target: String,
}

/// The longest target accepted.
const TARGET_CHARS_MAX: usize = 500;

fn check_target(channel: Channel, target: &str) -> Result<(), ApiError> {
    let printable = target
        .chars()
        .all(|c| !c.is_control() && !c.is_whitespace());
    if target.is_empty() || target.chars().count() > TARGET_CHARS_MAX || !printable {
        return Err(ApiError::invalid(
            "target",
            format!("is 1 to {TARGET_CHARS_MAX} characters without spaces"),
        ));
    }
    match channel {
        Channel::Email => {
            let valid = target.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && !domain.is_empty() && !domain.contains('@')
            }) && target.parse::<lettre::Address>().is_ok();
            if !valid {
                return Err(ApiError::invalid("target", "is not an e-mail address"));
            }
        }
        Channel::Webhook => {
            let valid = target
                .strip_prefix("https://")
                .or_else(|| target.strip_prefix("http://"))
                .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
                && target.parse::<axum::http::Uri>().is_ok();
            if !valid {
                return Err(ApiError::invalid("target", "is an https:// or http:// URL"));
            }
        }
    }
    Ok(())
}

/// Subscribe to alerts of a rule, a level or an industry, to your own cases' due steps, or
/// to reports, by e-mail or webhook.
#[utoipa::path(post, path = "/subscriptions", tag = "notifications", request_body = SubscribeRequest,
    responses((status = CREATED, body = SubscriptionDto), (status = 403, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
async fn subscribe(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Json(request): Json<SubscribeRequest>,
) -> Result<Response, ApiError> {
    let value = request.value.clone().unwrap_or_default();
    let topic = Topic::from_parts(&request.topic, &value).ok_or_else(|| {
        ApiError::invalid("topic", "is rule, level, industry, own_cases or reports")
    })?;
    if matches!(topic, Topic::Rule(_) | Topic::Level(_) | Topic::Industry(_)) && value.is_empty() {
        return Err(ApiError::invalid("value", "is required with this topic"));
    }
    let channel = Channel::parse(&request.channel)
        .ok_or_else(|| ApiError::invalid("channel", "is email or webhook"))?;
    check_target(channel, &request.target)?;
    let created_at = state.now_text();
    let subscription = state
        .pool
        .run(move |engine| {
            engine
                .subscribe(&NewSubscription {
                    user_name: caller.user_name,
                    topic,
                    channel,
                    target: request.target,
                    created_at,
                })
                .map_err(|error| match error {
                    engine::EngineError::Request(reason) => ApiError::invalid("value", reason),
                    other => other.into(),
                })
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(subscription_dto(&subscription)),
    )
        .into_response())
}

/// End one of your subscriptions (admins: anyone's).
#[utoipa::path(delete, path = "/subscriptions/{id}", tag = "notifications",
    params(("id" = i64, Path, description = "The subscription")),
    responses((status = NO_CONTENT), (status = 404, body = crate::ErrorBody)))]
async fn unsubscribe(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::invalid("id", "is a subscription id"))?;
    let owner = (caller.role != Role::Admin).then_some(caller.user_name);
    let at = state.now_text();
    state
        .pool
        .run(move |engine| Ok(engine.unsubscribe(id, owner.as_deref(), &at)?))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct DeliveryDto {
    id: i64,
    event_key: String,
    /// `alert_opened`, `alert_escalated`, `case_due` or `report_published`.
    event_kind: String,
    subject: String,
    subscription_id: i64,
    user_name: String,
    channel: &'static str,
    target: String,
    /// pending, sent or failed.
    status: String,
    attempts: i64,
    last_error: Option<String>,
    sent_at: Option<String>,
    created_at: String,
}

fn delivery_dto(record: &DeliveryRecord) -> DeliveryDto {
    DeliveryDto {
        id: record.id,
        event_key: record.event_key.clone(),
        event_kind: record.event_kind.clone(),
        subject: record.subject.clone(),
        subscription_id: record.subscription_id,
        user_name: record.user_name.clone(),
        channel: record.channel.as_str(),
        target: record.target.clone(),
        status: record.status.clone(),
        attempts: record.attempts,
        last_error: record.last_error.clone(),
        sent_at: record.sent_at.clone(),
        created_at: record.created_at.clone(),
    }
}

/// What was sent to you, newest first (admins: to everyone with `all=true`): the last 500.
#[utoipa::path(get, path = "/notifications", tag = "notifications", params(OwnerParams),
    responses((status = OK, body = Vec<DeliveryDto>)))]
async fn deliveries(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Query(params): Query<OwnerParams>,
) -> Result<Response, ApiError> {
    let owner = (!everyone(&caller, params.all.as_deref())?).then_some(caller.user_name);
    let records = state
        .pool
        .run(move |engine| Ok(engine.deliveries(owner.as_deref(), 500)?))
        .await?;
    Ok(axum::Json(records.iter().map(delivery_dto).collect::<Vec<_>>()).into_response())
}
