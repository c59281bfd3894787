//! `/arrears`: the latest saved arrears run in aggregate (analysts and above; no employer,
//! no cell under three employers), and its employers for case officers and admins only.

use axum::extract::State as AxumState;
use axum::response::Response;
use domain::{Frequency, Period, Role};
use engine::report::{ArrearsGroup, ArrearsTotals};
use maud::{Markup, html};
use reports::text;

use super::layout::{self, Lang};
use super::{Ctx, PageError, render, run};
use crate::{ApiError, State};

/// Employers listed on the page; the API pages through the rest.
const EMPLOYERS_SHOWN: usize = 50;

pub(crate) async fn page(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
) -> Result<Response, PageError> {
    ctx.require(Role::Analyst)?;
    let lang = ctx.lang;
    let today = state.today();
    let employer_level = ctx.caller.role.has_case_access();
    let user = ctx.caller.user_name.clone();
    let (summary, periods, employers) = run(&state, &ctx, move |engine| {
        let summary = engine.arrears_aggregate(today)?;
        let month = Period::containing(today, Frequency::Monthly)
            .map_err(|error| ApiError::invalid("today", error))?;
        let periods = engine.arrears_periods(month, 12)?;
        let employers = match (&summary, employer_level) {
            (Some(summary), true) => engine.saved_arrears(&user, summary.period)?,
            _ => Vec::new(),
        };
        Ok((summary, periods, employers))
    })
    .await?;
    let heading = lang.pick("欠薪及強積金供款拖欠", "Wage and MPF arrears");
    let content = html! {
        h1 { (heading) }
        @match &summary {
            None => p { (lang.pick("未有已儲存的欠款分析（須涉及三名或以上僱主）；以 lmo arrears --save 儲存。",
                                   "No saved arrears run of three or more employers; save one with lmo arrears --save.")) },
            Some(summary) => {
                p.lead { (lang.pick(
                    &format!("{}的分析，以截至{}所知的檔案判斷。", text::period(lang, summary.period), text::date(lang, summary.detected_as_of)),
                    &format!("The run for {}, judged on the files known on {}.", text::period(lang, summary.period), text::date(lang, summary.detected_as_of)))) }
                div.cards {
                    (card(&lang.pick("僱主", "Employers"), &text::number(summary.total.employers as f64, 0)))
                    (card(&lang.pick("受影響僱員", "Workers affected"), &text::number(summary.total.workers_affected as f64, 0)))
                    (card(&lang.pick("拖欠款額", "Arrears"), &text::money(summary.total.arrears_cents)))
                    (card(&lang.pick("強積金附加費", "MPF surcharge"), &text::money(summary.total.surcharge_cents)))
                }
                h2 { (lang.pick("按級別", "By level")) }
                (groups(lang, &summary.by_level))
                h2 { (lang.pick("按行業", "By industry")) }
                (groups(lang, &summary.by_industry))
                p.note { (lang.pick("少於三名僱主的組別合併為「其他」。", "Groups of fewer than three employers are pooled as “other”.")) }
            }
        }
        @if !periods.is_empty() {
            p { (lang.pick("過去十二個月已儲存的月份：", "Months saved in the last twelve: "))
                (text::list(lang, &periods.iter().map(|period| text::period(lang, *period)).collect::<Vec<_>>())) }
        }
        h2 { (lang.pick("個別僱主", "Employers")) }
        @if employer_level {
            @if employers.is_empty() {
                p { (lang.pick("沒有僱主。", "No employers.")) }
            } @else {
                (employer_table(lang, &employers))
            }
        } @else {
            p.note { (lang.pick("個別僱主的資料只供個案主任及管理員查閱。", "Employer-level results are for case officers and admins only.")) }
        }
    };
    Ok(render(&ctx, &heading, &content))
}

fn card(label: &str, value: &str) -> Markup {
    html! { article.card { h3 { (label) } p.figure { (value) } } }
}

fn group_name(lang: Lang, group: &ArrearsGroup) -> Markup {
    match group {
        ArrearsGroup::Level(level) => layout::arrears_badge(lang, *level),
        ArrearsGroup::Industry(section) => html! {
            (section.letter()) " " (lang.pick(section.name_zh(), section.name_en()))
        },
        ArrearsGroup::Other => html! { (lang.pick("其他", "Other")) },
    }
}

fn groups(lang: Lang, rows: &[(ArrearsGroup, ArrearsTotals)]) -> Markup {
    html! {
        div.table-scroll {
            table {
                thead { tr {
                    th scope="col" { (lang.pick("組別", "Group")) }
                    th.num scope="col" { (lang.pick("僱主", "Employers")) }
                    th.num scope="col" { (lang.pick("受影響僱員", "Workers affected")) }
                    th.num scope="col" { (lang.pick("拖欠款額", "Arrears")) }
                    th.num scope="col" { (lang.pick("強積金附加費", "MPF surcharge")) }
                } }
                tbody {
                    @for (group, totals) in rows {
                        tr {
                            td { (group_name(lang, group)) }
                            td.num { (totals.employers) }
                            td.num { (totals.workers_affected) }
                            td.num { (text::money(totals.arrears_cents)) }
                            td.num { (text::money(totals.surcharge_cents)) }
                        }
                    }
                }
            }
        }
    }
}

fn employer_table(
    lang: Lang,
    employers: &[(engine::StoredArrearsResult, Option<engine::EmployerRecord>)],
) -> Markup {
    html! {
        div.table-scroll {
            table {
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (lang.pick("僱主編號", "Employer id")) }
                    th scope="col" { (lang.pick("名稱", "Name")) }
                    th scope="col" { (lang.pick("級別", "Level")) }
                    th.num scope="col" { (lang.pick("受影響僱員", "Workers")) }
                    th.num scope="col" { (lang.pick("拖欠款額", "Arrears")) }
                    th scope="col" { (lang.pick("原因", "Reasons")) }
                } }
                tbody {
                    @for (rank, (stored, employer)) in employers.iter().take(EMPLOYERS_SHOWN).enumerate() {
                        @let result = &stored.result;
                        tr {
                            td.num { (rank + 1) }
                            td { code { (result.employer_id) } }
                            td { (employer.as_ref().map_or("–", |employer| employer.name.as_str())) }
                            td { (layout::arrears_badge(lang, result.level)) }
                            td.num { (result.workers_affected) }
                            td.num { (text::money(result.arrears_cents)) }
                            td { (text::list(lang, &result.reasons.iter().map(|reason| lang.pick(reason.zh(), reason.en())).collect::<Vec<_>>())) }
                        }
                    }
                }
            }
        }
        @if employers.len() > EMPLOYERS_SHOWN {
            p.note { (lang.pick(&format!("只列出最緊急的{EMPLOYERS_SHOWN}名（共{}名）；全部名單見 API：/v1/arrears/runs/{{期間}}/employers。", employers.len()),
                                &format!("The {EMPLOYERS_SHOWN} most urgent of {} are shown; the API lists them all at /v1/arrears/runs/{{period}}/employers.", employers.len()))) }
        }
    }
}
