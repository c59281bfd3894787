//! `/alerts` (with acknowledge and mute for analysts and above) and `/watchlist` (the
//! industry watch-list now, and how it changed month by month).

use std::collections::HashMap;

use axum::extract::{Request, State as AxumState};
use axum::response::Response;
use domain::{Frequency, Period, Role};
use engine::{Alert, AlertLevel};
use maud::{Markup, html};
use reports::text;
use serde::Deserialize;

use super::layout::{self, Lang};
use super::series::chart_link;
use super::{Ctx, PageError, PageQuery, read_form, render, run, see_other, snapshot};
use crate::routes::warnings::rules;
use crate::{ApiError, State, params};

/// The rule set the dashboard shows: the Hong Kong rules.
const RULES: &str = "hk-default";

#[derive(Debug, Deserialize)]
pub(crate) struct AlertParams {
    level: Option<String>,
    all: Option<String>,
    done: Option<String>,
}

/// Alerts with the names people read: the rule's title, the industry or series.
struct Shown {
    alerts: Vec<Alert>,
    rule_titles: HashMap<String, (String, String)>,
    series_titles: HashMap<String, (String, String)>,
}

pub(crate) async fn page(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
    PageQuery(params): PageQuery<AlertParams>,
) -> Result<Response, PageError> {
    let lang = ctx.lang;
    let level = params
        .level
        .as_deref()
        .filter(|text| !text.is_empty())
        .map(|text| {
            AlertLevel::parse(text).map_err(|error| ctx.error(ApiError::invalid("level", error)))
        })
        .transpose()?;
    let all = params.all.as_deref() == Some("true");
    let today = state.today();
    let shown = run(&state, &ctx, move |engine| {
        let rules = rules(Some(RULES))?;
        let mut alerts = engine.alerts(&rules, today)?;
        alerts.retain(|alert| {
            (all || alert.is_open()) && level.is_none_or(|level| alert.level() >= level)
        });
        alerts.sort_by(|a, b| {
            b.needs_attention()
                .cmp(&a.needs_attention())
                .then(b.level().cmp(&a.level()))
                .then(b.opened.cmp(&a.opened))
        });
        let rule_titles = rules
            .rules
            .iter()
            .map(|rule| {
                (
                    rule.id.clone(),
                    (rule.title_zh.clone(), rule.title_en.clone()),
                )
            })
            .collect();
        let series_titles = engine
            .list_series(None, None)?
            .into_iter()
            .map(|summary| {
                (
                    summary.meta.id.to_string(),
                    (summary.meta.title_zh, summary.meta.title_en),
                )
            })
            .collect();
        Ok(Shown {
            alerts,
            rule_titles,
            series_titles,
        })
    })
    .await?;
    let may_act = ctx.caller.role >= Role::Analyst;
    let heading = lang.pick("預警", "Alerts");
    let done = match params.done.as_deref() {
        Some("acknowledged") => Some(lang.pick(
            "已確認預警，並記錄在審計紀錄中。",
            "Alert acknowledged; recorded in the audit trail.",
        )),
        Some("muted") => Some(lang.pick(
            "已暫停此預警的提示，並記錄在審計紀錄中。",
            "Alert muted; recorded in the audit trail.",
        )),
        _ => None,
    };
    let content = html! {
        h1 { (heading) }
        @if let Some(done) = done { (layout::flash(&done)) }
        p.lead { (lang.pick(&format!("按香港預警規則，以截至{}所知的數據評估。", text::date(lang, today)),
                             &format!("The Hong Kong rules, on the data known on {}.", text::date(lang, today)))) }
        form.controls method="get" action="/alerts" {
            label { (lang.pick("最低級別", "Lowest level"))
                select name="level" {
                    option value="" { (lang.pick("全部", "All")) }
                    @for option in AlertLevel::ALL.iter().copied() {
                        option value=(option.as_str()) selected[level == Some(option)] { (text::level(lang, option)) }
                    }
                }
            }
            label.check { input type="checkbox" name="all" value="true" checked[all]; (lang.pick("包括已解除的預警", "Include closed alerts")) }
            button type="submit" { (lang.pick("篩選", "Filter")) }
        }
        @if shown.alerts.is_empty() {
            p { (lang.pick("沒有符合條件的預警。", "No alert matches.")) }
        }
        ul.alert-list {
            @for alert in &shown.alerts { (alert_item(&ctx, &shown, alert, may_act)) }
        }
        @if !may_act {
            p.note { (lang.pick("確認及暫停預警須由分析員或以上角色進行。", "Acknowledging and muting alerts needs the analyst role or above.")) }
        }
    };
    Ok(render(&ctx, &heading, &content))
}

fn subject_name(lang: Lang, shown: &Shown, alert: &Alert) -> String {
    if let Some(industry) = &alert.industry {
        return lang.pick(&industry.name_zh(), &industry.name_en());
    }
    match &alert.subject {
        engine::report::Subject::Series(id) => shown.series_titles.get(id.as_str()).map_or_else(
            || id.to_string(),
            |(zh, en)| {
                if zh.is_empty() {
                    en.clone()
                } else {
                    lang.pick(zh, en)
                }
            },
        ),
        engine::report::Subject::Aggregate => {
            lang.pick("整體（多個行業）", "Overall (across industries)")
        }
    }
}

fn alert_item(ctx: &Ctx, shown: &Shown, alert: &Alert, may_act: bool) -> Markup {
    let lang = ctx.lang;
    let id = engine::alert_id_of(alert);
    let title = shown
        .rule_titles
        .get(&alert.rule_id)
        .map_or_else(|| alert.rule_id.clone(), |(zh, en)| lang.pick(zh, en));
    let subject = alert.subject.to_string();
    let field_id = |name: &str| format!("{name}-{}", short_hash(&id));
    html! {
        li.alert.attention[alert.needs_attention()] {
            div.alert-head {
                (layout::level_badge(lang, alert.level()))
                " "
                strong { (title) }
                @if alert.needs_attention() { " " span.tag { (lang.pick("待處理", "needs attention")) } }
            }
            p {
                @if let engine::report::Subject::Series(series) = &alert.subject {
                    a href=(chart_link(series.as_str())) { (subject_name(lang, shown, alert)) }
                } @else {
                    (subject_name(lang, shown, alert))
                }
                " · " (lang.pick("量度", "measure")) " " (text::number(alert.measure, 2))
                " · " (lang.pick("最新", "latest")) " " (text::period(lang, alert.last_period))
                " · " (lang.pick("始於", "since")) " " (text::period(lang, alert.opened))
                @if let Some(closed) = alert.closed { " · " (lang.pick("解除於", "closed")) " " (text::period(lang, closed)) }
            }
            @if let Some(ack) = &alert.acknowledgement {
                p.note { (lang.pick(&format!("{}於{}確認（{}級）：", ack.user, text::date(lang, ack.at), text::level(lang, ack.level)),
                                    &format!("Acknowledged by {} on {} at {}: ", ack.user, text::date(lang, ack.at), text::level(lang, ack.level))))
                         (ack.reason) }
            }
            @if let Some(mute) = &alert.muted {
                p.note { (lang.pick(&format!("{}暫停提示至{}：", mute.user, text::period(lang, mute.until)),
                                    &format!("Muted by {} until {}: ", mute.user, text::period(lang, mute.until))))
                         (mute.reason) }
            }
            @if may_act && alert.is_open() {
                details.act {
                summary { (lang.pick("確認或暫停提示", "Acknowledge or mute")) }
                div.actions {
                    form.inline-form method="post" action="/alerts/acknowledge" {
                        input type="hidden" name="csrf_token" value=(ctx.csrf());
                        input type="hidden" name="id" value=(id);
                        label for=(field_id("ack")) { (lang.pick("確認原因", "Reason to acknowledge")) }
                        input id=(field_id("ack")) name="reason" required placeholder=(lang.pick("例如：已通知勞工處", "e.g. raised with LD"));
                        button type="submit" { (lang.pick("確認", "Acknowledge")) }
                    }
                    form.inline-form method="post" action="/alerts/mute" {
                        input type="hidden" name="csrf_token" value=(ctx.csrf());
                        input type="hidden" name="rule" value=(alert.rule_id);
                        input type="hidden" name="subject" value=(subject);
                        label for=(field_id("until")) { (lang.pick("暫停至（期間）", "Mute until (period)")) }
                        input id=(field_id("until")) name="until" required placeholder="2026-12" size="8";
                        label for=(field_id("mute")) { (lang.pick("原因", "Reason")) }
                        input id=(field_id("mute")) name="reason" required;
                        button.secondary type="submit" { (lang.pick("暫停提示", "Mute")) }
                    }
                }
                }
            }
        }
    }
}

/// A short, stable token for element ids from an alert id.
fn short_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .take(4)
        .fold(String::new(), |mut hex, byte| {
            use std::fmt::Write;
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

#[derive(Debug, Deserialize)]
pub(crate) struct AckForm {
    id: String,
    reason: String,
}

pub(crate) async fn acknowledge(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
    request: Request,
) -> Result<Response, PageError> {
    ctx.require(Role::Analyst)?;
    let form: AckForm = read_form(&ctx, request).await?;
    params::not_blank("reason", &form.reason).map_err(|error| ctx.error(error))?;
    let today = state.today();
    let user = ctx.caller.user_name.clone();
    run(&state, &ctx, move |engine| {
        let rules = rules(Some(RULES))?;
        engine.acknowledge(&rules, &form.id, &user, form.reason.trim(), today)?;
        Ok(())
    })
    .await?;
    Ok(see_other("/alerts?done=acknowledged"))
}

#[derive(Debug, Deserialize)]
pub(crate) struct MuteForm {
    rule: String,
    subject: String,
    until: String,
    reason: String,
}

pub(crate) async fn mute(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
    request: Request,
) -> Result<Response, PageError> {
    ctx.require(Role::Analyst)?;
    let form: MuteForm = read_form(&ctx, request).await?;
    let until = Period::read(form.until.trim())
        .map_err(|error| ctx.error(ApiError::invalid("until", error)))?;
    params::not_blank("reason", &form.reason).map_err(|error| ctx.error(error))?;
    let today = state.today();
    let user = ctx.caller.user_name.clone();
    run(&state, &ctx, move |engine| {
        let rules = rules(Some(RULES))?;
        let request = engine::MuteRequest {
            rule_id: &form.rule,
            subject: &form.subject,
            until,
            user: &user,
            reason: form.reason.trim(),
        };
        engine.mute(&rules, &request, today)?;
        Ok(())
    })
    .await?;
    Ok(see_other("/alerts?done=muted"))
}

#[derive(Debug, Deserialize)]
pub(crate) struct WatchParams {
    from: Option<String>,
    to: Option<String>,
}

/// Months of history shown unless asked otherwise.
const HISTORY_MONTHS: i32 = 24;

pub(crate) async fn watchlist(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
    PageQuery(params): PageQuery<WatchParams>,
) -> Result<Response, PageError> {
    let lang = ctx.lang;
    let today = state.today();
    let this_month = Period::containing(today, Frequency::Monthly)
        .map_err(|error| ctx.error(ApiError::invalid("today", error)))?;
    let month = |field: &str, text: &Option<String>| {
        let text = text
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty());
        params::period(field, text).and_then(|period| match period {
            Some(period) if period.frequency() != Frequency::Monthly => {
                Err(ApiError::invalid(field, "is a month, such as 2024-01"))
            }
            other => Ok(other),
        })
    };
    let to = month("to", &params.to)
        .map_err(|error| ctx.error(error))?
        .unwrap_or(this_month);
    let from = month("from", &params.from)
        .map_err(|error| ctx.error(error))?
        .or_else(|| to.shift(-(HISTORY_MONTHS - 1)))
        .unwrap_or(to);
    let months = to.end_month_index() - from.end_month_index();
    if !(0..12 * 40).contains(&months) {
        return Err(ctx.error(ApiError::invalid(
            "from",
            "is before to, and at most 40 years earlier",
        )));
    }
    let snapshot = snapshot::today(&state)
        .await
        .map_err(|error| ctx.error(error))?;
    let (now, events) = run(&state, &ctx, move |engine| {
        let rules = rules(Some(RULES))?;
        Ok((
            engine.watchlist(&rules, today)?,
            engine.watchlist_history(&rules, from, to)?,
        ))
    })
    .await?;
    let heading = lang.pick("重點監測行業預警名單", "Industry watch-list");
    let content = html! {
        h1 { (heading) }
        p.lead { (lang.pick("按各行業未解除預警的級別計算風險分數（藍色1、黃色2、橙色3、紅色4）。",
                             "Industries ranked by the levels of their open alerts (blue 1, yellow 2, orange 3, red 4).")) }
        h2 { (lang.pick(&format!("截至{}", text::date(lang, today)), &format!("As of {}", text::date(lang, today)))) }
        @if now.is_empty() {
            p { (lang.pick("名單上沒有行業。", "No industry is on the list.")) }
        } @else {
            div.table-scroll {
                table {
                    thead { tr {
                        th.num scope="col" { (lang.pick("排名", "Rank")) }
                        th scope="col" { (lang.pick("行業", "Industry")) }
                        th.num scope="col" { (lang.pick("風險分數", "Risk score")) }
                        th scope="col" { (lang.pick("原因", "Reasons")) }
                    } }
                    tbody {
                        @for entry in &now {
                            tr {
                                td.num { (entry.rank) }
                                td { (lang.pick(&entry.industry.name_zh(), &entry.industry.name_en())) }
                                td.num { (entry.score) }
                                td {
                                    @for reason in &entry.reasons {
                                        (layout::level_badge(lang, reason.level)) " "
                                        (rule_title(lang, &snapshot.data, &reason.rule_id)) " "
                                        (text::number(reason.measure, 2)) " (" (text::period(lang, reason.period)) ")" br;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(section) = snapshot.section(lang, "watchlist") {
            @for figure in &section.figures { (layout::figure(&figure.svg, &figure.caption, &figure.note)) }
        }
        h2 #history { (lang.pick("名單的變化", "How the list changed")) }
        form.controls method="get" action="/watchlist" {
            label { (lang.pick("由（月份）", "From (month)")) input type="month" name="from" value=(from.to_string()); }
            label { (lang.pick("至（月份）", "To (month)")) input type="month" name="to" value=(to.to_string()); }
            button type="submit" { (lang.pick("顯示", "Show")) }
        }
        p.note { (lang.pick("每月月底以當時所知的數據重新評估。", "Each month end is evaluated again on the data known then.")) }
        @if events.is_empty() {
            p { (lang.pick("期內名單沒有變化。", "The list did not change in these months.")) }
        } @else {
            div.table-scroll {
                table {
                    thead { tr {
                        th scope="col" { (lang.pick("日期", "Date")) }
                        th scope="col" { (lang.pick("行業", "Industry")) }
                        th scope="col" { (lang.pick("變化", "Change")) }
                        th.num scope="col" { (lang.pick("風險分數", "Risk score")) }
                    } }
                    tbody {
                        @for event in events.iter().rev() {
                            tr {
                                td.nowrap { (text::date(lang, event.as_of)) }
                                td { (lang.pick(&event.industry.name_zh(), &event.industry.name_en())) }
                                td { (match event.change {
                                    engine::WatchChange::Entered => lang.pick("列入", "entered"),
                                    engine::WatchChange::Left => lang.pick("除名", "left"),
                                }) }
                                td.num { (event.score) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(render(&ctx, &heading, &content))
}

fn rule_title(lang: Lang, data: &engine::report::ReportData, rule_id: &str) -> String {
    data.warnings
        .rules
        .iter()
        .find(|rule| rule.id == rule_id)
        .map_or_else(
            || rule_id.to_owned(),
            |rule| lang.pick(&rule.title_zh, &rule.title_en),
        )
}
