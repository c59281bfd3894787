//! `/reports`: the archive of the labour-market situation report 就業形勢分析報告 with its
//! downloads, and a form to generate and publish one (analysts and above).

use axum::extract::{Request, State as AxumState};
use axum::response::Response;
use domain::Role;
use maud::html;
use reports::text;
use serde::Deserialize;

use super::layout;
use super::{Ctx, PageError, PageQuery, read_form, render, run, see_other};
use crate::routes::reports::{GenerateRequest, generate_report};
use crate::{State, params};

#[derive(Debug, Deserialize)]
pub(crate) struct ReportParams {
    done: Option<String>,
}

pub(crate) async fn page(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
    PageQuery(params): PageQuery<ReportParams>,
) -> Result<Response, PageError> {
    let lang = ctx.lang;
    let archive = run(&state, &ctx, |engine| Ok(engine.archived_reports()?)).await?;
    let may_generate = ctx.caller.role >= Role::Analyst;
    let today = state.today();
    let heading = lang.pick("就業形勢分析報告", "Labour market situation reports");
    let done = params
        .done
        .as_deref()
        .and_then(|id| id.parse::<i64>().ok())
        .map(|id| {
            lang.pick(
                &format!("已編製並發布報告 #{id}。"),
                &format!("Report #{id} generated and published."),
            )
        });
    let content = html! {
        h1 { (heading) }
        @if let Some(done) = done { (layout::flash(&done)) }
        @if archive.is_empty() {
            p { (lang.pick("尚未編製任何報告。", "No report has been generated yet.")) }
        } @else {
            div.table-scroll {
                table {
                    thead { tr {
                        th scope="col" { "#" }
                        th scope="col" { (lang.pick("數據截至", "As of")) }
                        th scope="col" { (lang.pick("比較基準", "Compared with")) }
                        th scope="col" { (lang.pick("語言", "Languages")) }
                        th scope="col" { (lang.pick("編製者", "By")) }
                        th scope="col" { (lang.pick("編製時間", "Generated")) }
                        th scope="col" { (lang.pick("下載", "Download")) }
                    } }
                    tbody {
                        @for (report, formats) in &archive {
                            tr {
                                td.num { (report.id) }
                                td.nowrap { (text::date(lang, report.as_of)) }
                                td.nowrap { (text::date(lang, report.since)) }
                                td { (match report.languages.as_str() {
                                    "zh-Hant" => lang.pick("中文", "Chinese"),
                                    "en" => lang.pick("英文", "English"),
                                    _ => lang.pick("中英文", "Chinese and English"),
                                }) }
                                td { (report.generated_by) }
                                td.nowrap { (report.generated_at) }
                                td.nowrap {
                                    @for format in formats {
                                        a href=(format!("/v1/reports/{}/{format}", report.id)) download { (format.to_uppercase()) } " "
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if may_generate {
            section aria-labelledby="generate" {
                h2 #generate { (lang.pick("編製報告", "Generate a report")) }
                form.stack method="post" action="/reports/generate" {
                    input type="hidden" name="csrf_token" value=(ctx.csrf());
                    label { (lang.pick("數據截至", "Data as known on"))
                        input type="date" name="as_of" value=(today.to_string()) required; }
                    label { (lang.pick("語言", "Languages"))
                        select name="lang" {
                            option value="both" { (lang.pick("中英文", "Chinese and English")) }
                            option value="zh-Hant" { (lang.pick("中文", "Chinese")) }
                            option value="en" { (lang.pick("英文", "English")) }
                        }
                    }
                    fieldset {
                        legend { (lang.pick("格式", "Formats")) }
                        label.check { input type="checkbox" name="html" value="on" checked; "HTML" }
                        label.check { input type="checkbox" name="xlsx" value="on" checked; (lang.pick("XLSX 附錄", "XLSX appendix")) }
                        label.check { input type="checkbox" name="pdf" value="on"; (lang.pick("PDF（須在伺服器安裝 Chromium）", "PDF (needs Chromium on the server)")) }
                    }
                    button type="submit" { (lang.pick("編製並發布", "Generate and publish")) }
                }
                p.note { (lang.pick("發布後會通知訂閱報告的用戶。", "Subscribers to reports are told when it is published.")) }
            }
        }
    };
    Ok(render(&ctx, &heading, &content))
}

#[derive(Debug, Deserialize)]
pub(crate) struct GenerateForm {
    as_of: Option<String>,
    lang: Option<String>,
    html: Option<String>,
    xlsx: Option<String>,
    pdf: Option<String>,
}

pub(crate) async fn generate(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
    request: Request,
) -> Result<Response, PageError> {
    ctx.require(Role::Analyst)?;
    let form: GenerateForm = read_form(&ctx, request).await?;
    let formats = [
        ("html", &form.html),
        ("xlsx", &form.xlsx),
        ("pdf", &form.pdf),
    ]
    .into_iter()
    .filter(|(_, ticked)| ticked.is_some())
    .map(|(name, _)| name.to_owned())
    .collect();
    let as_of = form.as_of.filter(|date| !date.trim().is_empty());
    params::date("as_of", as_of.as_deref()).map_err(|error| ctx.error(error))?;
    let request = GenerateRequest {
        as_of,
        since: None,
        lang: form.lang,
        formats: Some(formats),
    };
    let report = generate_report(&state, &ctx.caller, request)
        .await
        .map_err(|error| ctx.error(error))?;
    Ok(see_other(&format!("/reports?done={}", report.id)))
}
