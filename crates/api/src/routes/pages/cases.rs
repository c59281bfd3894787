//! `/cases`: the case board for case officers and admins: cases with a step overdue or due
//! first, each case's facts, timers and steps, a form to take the next step with a note,
//! and a form to open cases from a saved arrears run. The store checks case access again.

use axum::extract::{Path, Request, State as AxumState};
use axum::response::Response;
use domain::{Frequency, Period, Role};
use engine::{
    CaseEvent, CaseFilter, CaseState, CaseStep, CaseView, Intervention, Referral, Thresholds,
};
use maud::{Markup, html};
use reports::text;
use serde::Deserialize;

use super::layout::{self, Lang};
use super::{Ctx, PageError, PageQuery, read_form, render, run, see_other};
use crate::routes::casework::import_time;
use crate::{ApiError, State, params};

pub(crate) fn state_name(lang: Lang, state: CaseState) -> String {
    match state {
        CaseState::Discover => lang.pick("待處理", "to look at"),
        CaseState::Assigned => lang.pick("已指派", "assigned"),
        CaseState::Intervening => lang.pick("跟進中", "intervening"),
        CaseState::Referred => lang.pick("已轉介", "referred"),
        CaseState::Resolved => lang.pick("已結案", "resolved"),
    }
}

/// The step that moves a case to `state`, as a button would say it.
fn step_name(lang: Lang, state: CaseState) -> String {
    match state {
        CaseState::Discover => lang.pick("重新開啟", "Reopen"),
        CaseState::Assigned => lang.pick("指派", "Assign"),
        CaseState::Intervening => lang.pick("介入跟進", "Intervene"),
        CaseState::Referred => lang.pick("轉介", "Refer"),
        CaseState::Resolved => lang.pick("結案", "Resolve"),
    }
}

fn intervention_name(lang: Lang, how: Intervention) -> String {
    match how {
        Intervention::Call => lang.pick("致電", "call"),
        Intervention::Letter => lang.pick("發信", "letter"),
        Intervention::Visit => lang.pick("探訪", "visit"),
        Intervention::Meeting => lang.pick("會面", "meeting"),
    }
}

fn referral_name(lang: Lang, referral: Referral) -> String {
    match referral {
        Referral::LabourDepartment => lang.pick("勞工處", "Labour Department"),
        Referral::Mpfa => lang.pick("積金局", "MPFA"),
        Referral::LabourTribunal => lang.pick("勞資審裁處", "Labour Tribunal"),
        Referral::InsolvencyFund => {
            lang.pick("破產欠薪保障基金", "Protection of Wages on Insolvency Fund")
        }
    }
}

fn action_name(lang: Lang, action: engine::CaseAction) -> String {
    use engine::CaseAction as A;
    match action {
        A::Open => lang.pick("開案", "opened"),
        A::Assign => lang.pick("指派", "assigned"),
        A::Reassign => lang.pick("重新指派", "reassigned"),
        A::Intervene(None) => lang.pick("介入跟進", "intervened"),
        A::Intervene(Some(how)) => lang.pick(
            &format!("介入跟進（{}）", intervention_name(lang, how)),
            &format!("intervened ({})", intervention_name(lang, how)),
        ),
        A::Refer(referral) => lang.pick(
            &format!("轉介{}", referral_name(lang, referral)),
            &format!("referred to {}", referral_name(lang, referral)),
        ),
        A::ReferralReturned => lang.pick("轉介交回", "referral returned"),
        A::Resolve => lang.pick("結案", "resolved"),
    }
}

/// When the next step is due, in words: overdue, due today, due in n days.
fn due_text(lang: Lang, view: &CaseView) -> Markup {
    match (view.case.due_on, view.timers.days_to_due) {
        (Some(due), Some(days)) if days < 0 => html! {
            span.badge.overdue { (lang.pick(&format!("逾期{}日", -days), &format!("overdue {} d", -days))) }
            " " (text::date(lang, due))
        },
        (Some(due), Some(0)) => {
            html! { span.badge.due { (lang.pick("今日到期", "due today")) } " " (text::date(lang, due)) }
        }
        (Some(due), Some(days)) => html! {
            (lang.pick(&format!("{days}日後"), &format!("in {days} d"))) " · " (text::date(lang, due))
        },
        _ => html! { "–" },
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct BoardParams {
    show: Option<String>,
    done: Option<String>,
}

pub(crate) async fn board(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
    PageQuery(params): PageQuery<BoardParams>,
) -> Result<Response, PageError> {
    ctx.require(Role::CaseOfficer)?;
    let lang = ctx.lang;
    let all = params.show.as_deref() == Some("all");
    let today = state.today();
    let user = ctx.caller.user_name.clone();
    let (mut views, periods) = run(&state, &ctx, move |engine| {
        let filter = CaseFilter {
            open_only: !all,
            ..CaseFilter::default()
        };
        let month = Period::containing(today, Frequency::Monthly)
            .map_err(|error| ApiError::invalid("today", error))?;
        Ok((
            engine.cases(&user, &filter, today)?,
            engine.arrears_periods(month, 12)?,
        ))
    })
    .await?;
    // Overdue and due first (earliest due), then the most severe, then the oldest.
    views.sort_by(|a, b| {
        let due = |view: &CaseView| view.timers.days_to_due.unwrap_or(i32::MAX);
        due(a)
            .cmp(&due(b))
            .then(b.case.level.cmp(&a.case.level))
            .then(a.case.id.cmp(&b.case.id))
    });
    let overdue = views
        .iter()
        .filter(|view| view.timers.days_to_due.is_some_and(|days| days < 0))
        .count();
    let heading = lang.pick("個案", "Cases");
    let done = params
        .done
        .as_deref()
        .and_then(|done| done.strip_prefix("opened:"))
        .map(|count| {
            lang.pick(
                &format!("已開立{count}宗新個案。"),
                &format!("{count} new cases opened."),
            )
        });
    let content = html! {
        h1 { (heading) }
        @if let Some(done) = done { (layout::flash(&done)) }
        p.lead {
            (lang.pick(&format!("{}宗個案，其中{}宗逾期。", views.len(), overdue),
                       &format!("{} cases, {} overdue.", views.len(), overdue)))
            " "
            @if all { a href="/cases" { (lang.pick("只看未結案", "Open cases only")) } }
            @else { a href="/cases?show=all" { (lang.pick("包括已結案", "Include resolved")) } }
        }
        @if views.is_empty() {
            p { (lang.pick("沒有個案。", "No cases.")) }
        } @else {
            div.table-scroll {
                table.board {
                    thead { tr {
                        th scope="col" { (lang.pick("個案", "Case")) }
                        th scope="col" { (lang.pick("下一步限期", "Next step due")) }
                        th scope="col" { (lang.pick("級別", "Level")) }
                        th scope="col" { (lang.pick("僱主", "Employer")) }
                        th scope="col" { (lang.pick("狀況", "State")) }
                        th scope="col" { (lang.pick("負責人", "Assignee")) }
                        th.num scope="col" { (lang.pick("受影響僱員", "Workers")) }
                        th.num scope="col" { (lang.pick("拖欠款額", "Arrears")) }
                    } }
                    tbody {
                        @for view in &views {
                            tr {
                                td { a href=(format!("/cases/{}", view.case.id)) { "#" (view.case.id) } }
                                td.nowrap { (due_text(lang, view)) }
                                td { (layout::arrears_badge(lang, view.case.level)) }
                                td { code { (view.case.employer_id) } " " (view.employer_name.as_deref().unwrap_or_default()) }
                                td { (state_name(lang, view.case.state)) }
                                td { (view.case.assignee.as_deref().unwrap_or("–")) }
                                td.num { (view.case.facts.as_ref().map_or(String::from("–"), |facts| facts.workers_affected.to_string())) }
                                td.num { (view.case.facts.as_ref().map_or(String::from("–"), |facts| text::money(facts.arrears_cents))) }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="open-cases" {
            h2 #open-cases { (lang.pick("由欠款分析開立個案", "Open cases from a saved arrears run")) }
            @if periods.is_empty() {
                p { (lang.pick("過去十二個月沒有已儲存的欠款分析。", "No saved arrears run in the last twelve months.")) }
            } @else {
                form.controls method="post" action="/cases/open" {
                    input type="hidden" name="csrf_token" value=(ctx.csrf());
                    label { (lang.pick("月份", "Month"))
                        select name="period" { @for period in &periods { option value=(period.to_string()) { (text::period(lang, *period)) } } }
                    }
                    label { (lang.pick("最低級別", "Lowest level"))
                        select name="level" {
                            @for level in engine::Level::ALL.iter().rev() {
                                option value=(level.as_str()) selected[*level == engine::Level::Orange] { (text::arrears_level(lang, *level)) }
                            }
                        }
                    }
                    button type="submit" { (lang.pick("開立個案", "Open cases")) }
                }
                p.note { (lang.pick("已有未結案個案的僱主不會重複開案。", "Employers with an open case get no second one.")) }
            }
        }
    };
    Ok(render(&ctx, &heading, &content))
}

#[derive(Debug, Deserialize)]
pub(crate) struct OpenForm {
    period: String,
    level: String,
}

pub(crate) async fn open(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
    request: Request,
) -> Result<Response, PageError> {
    ctx.require(Role::CaseOfficer)?;
    let form: OpenForm = read_form(&ctx, request).await?;
    let period = params::required(
        "period",
        params::period("period", Some(&form.period)).map_err(|e| ctx.error(e))?,
    )
    .map_err(|error| ctx.error(error))?;
    let level = engine::Level::parse(&form.level)
        .map_err(|error| ctx.error(ApiError::invalid("level", error)))?;
    let time = import_time(&state);
    let user = ctx.caller.user_name.clone();
    let opened = run(&state, &ctx, move |engine| {
        Ok(engine.open_cases_from_arrears(
            period,
            level,
            &user,
            None,
            &Thresholds::default().cases,
            &time,
        )?)
    })
    .await?;
    let new = opened
        .iter()
        .filter(|case| matches!(case.outcome, engine::CaseOpened::Opened(_)))
        .count();
    Ok(see_other(&format!("/cases?done=opened:{new}")))
}

#[derive(Debug, Deserialize)]
pub(crate) struct DetailParams {
    done: Option<String>,
}

fn case_id(ctx: &Ctx, text: &str) -> Result<i64, PageError> {
    text.parse()
        .map_err(|_| ctx.error(ApiError::invalid("id", "is a case number")))
}

pub(crate) async fn detail(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    PageQuery(params): PageQuery<DetailParams>,
) -> Result<Response, PageError> {
    ctx.require(Role::CaseOfficer)?;
    let lang = ctx.lang;
    let id = case_id(&ctx, &id)?;
    let today = state.today();
    let user = ctx.caller.user_name.clone();
    let (view, events) = run(&state, &ctx, move |engine| {
        Ok(engine.case_detail(&user, id, today)?)
    })
    .await?;
    let heading = lang.pick(&format!("個案 #{id}"), &format!("Case #{id}"));
    let done = params
        .done
        .as_deref()
        .and_then(|code| CaseState::parse(code).ok())
        .map(|state| {
            lang.pick(
                &format!("已記錄步驟：{}。", state_name(lang, state)),
                &format!("Step recorded: {}.", state_name(lang, state)),
            )
        });
    let content = html! {
        p.crumbs { a href="/cases" { (lang.pick("個案", "Cases")) } " › #" (id) }
        h1 { (heading) " " (layout::arrears_badge(lang, view.case.level)) }
        @if let Some(done) = done { (layout::flash(&done)) }
        div.columns {
            section aria-labelledby="facts" {
                h2 #facts { (lang.pick("事實", "Facts")) }
                (facts(lang, &view))
            }
            section aria-labelledby="step" {
                h2 #step { (lang.pick("下一步", "Next step")) }
                (step_form(&ctx, &view))
            }
        }
        section aria-labelledby="steps" {
            h2 #steps { (lang.pick("步驟紀錄", "Steps taken")) }
            (events_table(lang, &events))
        }
    };
    Ok(render(&ctx, &heading, &content))
}

fn facts(lang: Lang, view: &CaseView) -> Markup {
    let case = &view.case;
    let timers = &view.timers;
    let days = |days: i32| lang.pick(&format!("{days}日"), &format!("{days} d"));
    html! {
        dl.facts {
            dt { (lang.pick("僱主", "Employer")) } dd { code { (case.employer_id) } " " (view.employer_name.as_deref().unwrap_or_default()) }
            dt { (lang.pick("月份", "Month")) } dd { (text::period(lang, case.period)) }
            dt { (lang.pick("狀況", "State")) } dd { (state_name(lang, case.state))
                @if let Some(referral) = case.referral { " · " (referral_name(lang, referral)) } }
            dt { (lang.pick("負責人", "Assignee")) } dd { (case.assignee.as_deref().unwrap_or("–")) }
            dt { (lang.pick("下一步限期", "Next step due")) } dd { (due_text(lang, view)) }
            @if let Some(facts) = &case.facts {
                dt { (lang.pick("受影響僱員", "Workers affected")) } dd { (facts.workers_affected) }
                dt { (lang.pick("拖欠款額", "Arrears")) } dd { (text::money(facts.arrears_cents)) }
                dt { (lang.pick("強積金附加費", "MPF surcharge")) } dd { (text::money(facts.surcharge_cents)) }
                dt { (lang.pick("最長逾期", "Longest delay")) } dd { (days(facts.max_days_late as i32)) }
                dt { (lang.pick("原因", "Reasons")) }
                dd { ul { @for reason in &facts.reasons { li { (lang.pick(reason.zh(), reason.en())) } } } }
            }
            @if let (Some(day), Some(since)) = (timers.mpf_contribution_day, timers.days_since_mpf_deadline) {
                dt { (lang.pick("強積金供款日", "MPF contribution day")) }
                dd { (text::date(lang, day)) " · " (lang.pick(&format!("已過{since}日"), &format!("{since} d ago"))) }
            }
            @if let (Some(day), Some(since)) = (timers.wage_due_by, timers.days_since_wage_deadline) {
                dt { (lang.pick("工資支付限期", "Wages due by")) }
                dd { (text::date(lang, day)) " · " (lang.pick(&format!("已過{since}日"), &format!("{since} d ago"))) }
            }
            dt { (lang.pick("開案日數", "Days open")) } dd { (days(timers.days_open)) }
        }
    }
}

fn step_form(ctx: &Ctx, view: &CaseView) -> Markup {
    let lang = ctx.lang;
    let next = view.case.state.next();
    html! {
        @if next.is_empty() {
            p { (lang.pick("此個案已結案。", "This case is resolved.")) }
        } @else {
            form.stack method="post" action=(format!("/cases/{}/steps", view.case.id)) {
                input type="hidden" name="csrf_token" value=(ctx.csrf());
                fieldset {
                    legend { (lang.pick("步驟", "Step")) }
                    @for (index, state) in next.iter().enumerate() {
                        label.check {
                            input type="radio" name="to" value=(state.as_str()) required checked[index == 0];
                            (step_name(lang, *state))
                        }
                    }
                }
                @if next.contains(&CaseState::Assigned) {
                    label { (lang.pick("指派給（用戶名稱，只用於指派）", "Assign to (user name; for Assign only)"))
                        input name="assignee" value=(view.case.assignee.as_deref().unwrap_or(&ctx.caller.user_name)); }
                }
                @if next.contains(&CaseState::Intervening) {
                    label { (lang.pick("介入方式（只用於介入跟進）", "How (for Intervene only)"))
                        select name="how" { @for how in Intervention::ALL.iter().copied() { option value=(how.as_str()) { (intervention_name(lang, how)) } } }
                    }
                }
                @if next.contains(&CaseState::Referred) {
                    label { (lang.pick("轉介機構（只用於轉介）", "Referred to (for Refer only)"))
                        select name="referral" { @for referral in Referral::ALL.iter().copied() { option value=(referral.as_str()) { (referral_name(lang, referral)) } } }
                    }
                }
                label { (lang.pick("備註（記入審計紀錄）", "Note (kept in the audit log)"))
                    textarea name="note" rows="3" required {} }
                label { (lang.pick("下一步限期（可留空，按期限計算）", "Next step due (blank: from the deadlines)"))
                    input type="date" name="due"; }
                button type="submit" { (lang.pick("記錄步驟", "Record the step")) }
            }
        }
    }
}

fn events_table(lang: Lang, events: &[CaseEvent]) -> Markup {
    html! {
        div.table-scroll {
            table {
                thead { tr {
                    th scope="col" { (lang.pick("時間", "When")) }
                    th scope="col" { (lang.pick("用戶", "User")) }
                    th scope="col" { (lang.pick("步驟", "Step")) }
                    th scope="col" { (lang.pick("狀況", "State")) }
                    th scope="col" { (lang.pick("備註", "Note")) }
                    th scope="col" { (lang.pick("下一步限期", "Next due")) }
                } }
                tbody {
                    @for event in events {
                        tr {
                            td.nowrap { (event.at) }
                            td { (event.user_name) }
                            td { (action_name(lang, event.action)) }
                            td { @if let Some(from) = event.from_state { (state_name(lang, from)) " → " } (state_name(lang, event.to_state)) }
                            td { (event.note) }
                            td.nowrap { (event.due_on.map_or(String::from("–"), |day| text::date(lang, day))) }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct StepForm {
    to: String,
    assignee: Option<String>,
    how: Option<String>,
    referral: Option<String>,
    note: String,
    due: Option<String>,
}

pub(crate) async fn step(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, PageError> {
    ctx.require(Role::CaseOfficer)?;
    let id = case_id(&ctx, &id)?;
    let form: StepForm = read_form(&ctx, request).await?;
    let checked = (|| {
        let to = CaseState::parse(&form.to).map_err(|error| ApiError::invalid("to", error))?;
        let note = params::not_blank("note", &form.note)?;
        // The form offers every field; only those of the chosen step count.
        let intervention = match (to, form.how.as_deref()) {
            (CaseState::Intervening, Some(how)) => {
                Some(Intervention::parse(how).map_err(|error| ApiError::invalid("how", error))?)
            }
            _ => None,
        };
        let referral = match (to, form.referral.as_deref()) {
            (CaseState::Referred, Some(referral)) => Some(
                Referral::parse(referral).map_err(|error| ApiError::invalid("referral", error))?,
            ),
            _ => None,
        };
        let assignee = match to {
            CaseState::Assigned => form
                .assignee
                .as_deref()
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_owned),
            _ => None,
        };
        let due_on = params::date(
            "due",
            form.due
                .as_deref()
                .map(str::trim)
                .filter(|due| !due.is_empty()),
        )?;
        Ok(CaseStep {
            case_id: id,
            to,
            referral,
            assignee,
            intervention,
            due_on,
            user_name: ctx.caller.user_name.clone(),
            note: note.to_owned(),
        })
    })();
    let step = checked.map_err(|error| ctx.error(error))?;
    let to = step.to;
    let time = import_time(&state);
    run(&state, &ctx, move |engine| {
        engine.case_step(step, &Thresholds::default().cases, &time)?;
        Ok(())
    })
    .await?;
    Ok(see_other(&format!("/cases/{id}?done={}", to.as_str())))
}
