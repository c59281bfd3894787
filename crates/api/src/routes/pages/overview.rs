//! `/`: the overview: headline figures with their change, the employment climate index with
//! its contributions, the open alerts and the watch-list, as the report states them today.

use axum::extract::State as AxumState;
use axum::response::Response;
use domain::Frequency;
use maud::{Markup, html};
use reports::text;

use super::layout::{self, Lang};
use super::series::{NARROW_WIDTH, spans, year_x};
use super::{Ctx, PageError, query, render, snapshot};
use crate::State;
use charts::{Bar, BarChart, Line, TimeChart, palette};

pub(crate) async fn page(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
) -> Result<Response, PageError> {
    let snapshot = snapshot::today(&state)
        .await
        .map_err(|error| ctx.error(error))?;
    let lang = ctx.lang;
    let data = &snapshot.data;
    let title = lang.pick("概覽", "Overview");
    let content = html! {
        h1 { (title) }
        p.lead { (lang.pick(&format!("數據截至{}。", text::date(lang, data.as_of)),
                             &format!("Data as known on {}.", text::date(lang, data.as_of)))) }
        section aria-labelledby="headlines" {
            h2 #headlines { (lang.pick("主要指標", "Headline indicators")) }
            @if data.headlines.is_empty() {
                p { (lang.pick("本庫沒有主要指標的數據；請先匯入統計處的勞動人口及職位空缺數據。",
                    "The store holds none of the headline series; import C&SD's labour force and vacancy data first.")) }
            }
            div.cards { @for indicator in &data.headlines { (headline_card(lang, indicator)) } }
        }
        section aria-labelledby="climate" {
            h2 #climate { (lang.pick("就業景氣指數", "Employment climate index")) }
            @if let Some(section) = snapshot.section(lang, "climate") {
                @for paragraph in &section.paragraphs { p { (paragraph) } }
                @let narrow = narrow_climate_charts(lang, data);
                @for (index, figure) in section.figures.iter().enumerate() {
                    (layout::figure_for_both(&figure.svg, narrow.get(index).map(String::as_str), &figure.caption, &figure.note))
                }
                @if let Some(table) = section.tables.first() { (layout::report_table(table)) }
            }
        }
        div.columns {
            section aria-labelledby="alerts" {
                h2 #alerts { (lang.pick("未解除的預警", "Open alerts")) }
                (open_alerts(lang, data))
                p { a href="/alerts" { (lang.pick("所有預警及確認 →", "All alerts, acknowledge and mute →")) } }
            }
            section aria-labelledby="watchlist" {
                h2 #watchlist { (lang.pick("重點監測行業預警名單", "Industry watch-list")) }
                (watchlist(lang, data))
                p { a href="/watchlist" { (lang.pick("名單的變化 →", "How the list changed →")) } }
            }
        }
    };
    Ok(render(&ctx, &title, &content))
}

/// The report's two climate charts (the index, the contributions to its six-month change)
/// drawn again for a phone's width.
fn narrow_climate_charts(lang: Lang, data: &engine::report::ReportData) -> Vec<String> {
    let Some(climate) = &data.climate else {
        return Vec::new();
    };
    let index = TimeChart {
        width: NARROW_WIDTH,
        height: 230.0,
        label: lang.pick("就業景氣指數", "Employment climate index"),
        unit: lang.pick(
            &format!("指數（{}年 = 100）", climate.base_year),
            &format!("index ({} = 100)", climate.base_year),
        ),
        lines: vec![Line {
            name: lang.pick("就業景氣指數", "Climate index"),
            points: climate
                .eti
                .iter()
                .map(|point| (year_x(point.period), point.value))
                .collect(),
            color: palette::INK,
            dashed: false,
        }],
        spans: spans(&data.downturns),
        spans_label: Some(lang.pick("經濟下行期", "Downturn")),
        bands: Vec::new(),
        from_zero: false,
    };
    let contributions = BarChart {
        width: NARROW_WIDTH,
        label: lang.pick(
            "過去六個月各組成部分的貢獻",
            "Contributions to the six-month change",
        ),
        unit: lang.pick("指數點", "index points"),
        bars: climate
            .components
            .iter()
            .map(|component| Bar {
                label: reports::series_name(lang, &component.provenance),
                value: component.contribution_six_months,
                color: if component.contribution_six_months >= 0.0 {
                    palette::UP
                } else {
                    palette::DOWN
                },
            })
            .collect(),
        decimals: 2,
    };
    vec![index.to_svg(), contributions.to_svg()]
}

fn chart_link(id: &str) -> String {
    format!("/series/chart?{}", query(&[("id", id)]))
}

fn headline_card(lang: Lang, indicator: &engine::report::Indicator) -> Markup {
    let unit = &indicator.provenance.unit;
    let d = indicator.decimals;
    let latest = indicator.latest;
    // Quarterly figures not seasonally adjusted compare with a year earlier only, as C&SD
    // compares them.
    let seasonal = indicator.frequency == Frequency::Quarterly && !indicator.seasonally_adjusted;
    let previous = indicator.previous.filter(|previous| {
        !seasonal && Some(previous.period) != indicator.year_ago.map(|y| y.period)
    });
    html! {
        article.card {
            h3 { a href=(chart_link(indicator.provenance.series.as_str())) { (reports::series_name(lang, &indicator.provenance)) } }
            p.figure { (text::with_unit(lang, latest.value, d, unit)) }
            p.period { (text::period(lang, latest.period)) }
            ul.changes {
                @if let Some(previous) = previous {
                    li { (lang.pick("較上期：", "On the period: "))
                        (text::change(lang, previous.value, latest.value, d, unit)) }
                }
                @if let Some(year_ago) = indicator.year_ago {
                    li { (lang.pick("按年：", "On the year: "))
                        (text::change(lang, year_ago.value, latest.value, d, unit)) }
                }
            }
        }
    }
}

fn open_alerts(lang: Lang, data: &engine::report::ReportData) -> Markup {
    let open = &data.warnings.open;
    let title = |rule_id: &str| {
        data.warnings
            .rules
            .iter()
            .find(|rule| rule.id == rule_id)
            .map_or_else(
                || rule_id.to_owned(),
                |rule| lang.pick(&rule.title_zh, &rule.title_en),
            )
    };
    html! {
        @if open.is_empty() {
            p { (lang.pick("目前沒有未解除的預警。", "No alert is open.")) }
        } @else {
            ul.alerts {
                @for alert in open.iter().take(8) {
                    li {
                        (layout::level_badge(lang, alert.level)) " "
                        strong { (title(&alert.rule_id)) } br;
                        (lang.pick(&alert.subject_zh, &alert.subject_en)) " · "
                        (text::number(alert.measure, 2)) " · "
                        (text::period(lang, alert.last_period))
                    }
                }
            }
            @if open.len() > 8 {
                p.note { (lang.pick(&format!("另有{}項。", open.len() - 8), &format!("And {} more.", open.len() - 8))) }
            }
        }
    }
}

fn watchlist(lang: Lang, data: &engine::report::ReportData) -> Markup {
    let view = &data.watchlist;
    let names = |codes: &[domain::IndustryCode]| -> Vec<String> {
        codes
            .iter()
            .map(|code| lang.pick(&code.name_zh(), &code.name_en()))
            .collect()
    };
    html! {
        @if view.now.is_empty() {
            p { (lang.pick("名單上沒有行業。", "No industry is on the list.")) }
        } @else {
            div.table-scroll {
                table {
                    thead { tr {
                        th.num scope="col" { (lang.pick("排名", "Rank")) }
                        th scope="col" { (lang.pick("行業", "Industry")) }
                        th.num scope="col" { (lang.pick("風險分數", "Risk score")) }
                    } }
                    tbody {
                        @for entry in &view.now {
                            tr {
                                td.num { (entry.rank) }
                                td { (lang.pick(&entry.industry.name_zh(), &entry.industry.name_en())) }
                                td.num { (entry.score) }
                            }
                        }
                    }
                }
            }
        }
        @if !view.entered.is_empty() {
            p { (lang.pick("上月以來新列入：", "Entered since last month: ")) (text::list(lang, &names(&view.entered))) }
        }
        @if !view.left.is_empty() {
            p { (lang.pick("上月以來除名：", "Left since last month: ")) (text::list(lang, &names(&view.left))) }
        }
    }
}
