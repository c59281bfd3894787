//! `/series` and `/series/chart`: the series explorer, in the manner of FRED and ALFRED:
//! search by words in either language, a chart with downturns shaded over a date range,
//! transforms (level, change on the period, % change on a year earlier), the values as
//! known on any date, every vintage of a period, and downloads through `/v1`.

use axum::extract::State as AxumState;
use axum::response::Response;
use charts::{Line, Span, TimeChart, palette};
use domain::{Date, Frequency, Period, SeasonalAdjustment, SeriesId, SeriesMeta};
use engine::{PeriodHistory, SeriesSummary, StoredObservation};
use maud::{Markup, html};
use reports::text;
use serde::Deserialize;

use super::layout::{self, Lang};
use super::{Ctx, PageError, PageQuery, query, render, run};
use crate::{ApiError, State, params};

/// Results shown per page of a search.
const PAGE_SIZE: usize = 50;
/// The downturns shaded on every chart: two or more quarters of falling real GDP.
const DOWNTURNS: &str = "gdp-downturns:hk.panel.real_gdp.yoy_pct";

#[derive(Debug, Deserialize)]
pub(crate) struct SearchParams {
    q: Option<String>,
    offset: Option<String>,
}

pub(crate) fn chart_link(id: &str) -> String {
    format!("/series/chart?{}", query(&[("id", id)]))
}

fn frequency_name(lang: Lang, frequency: Frequency) -> String {
    match frequency {
        Frequency::Monthly => lang.pick("按月", "monthly"),
        Frequency::Quarterly => lang.pick("按季", "quarterly"),
        Frequency::Annual => lang.pick("按年", "annual"),
        Frequency::ThreeMonthMoving => lang.pick("三個月移動平均", "3-month moving"),
    }
}

fn title(lang: Lang, meta: &SeriesMeta) -> String {
    if meta.title_zh.is_empty() {
        meta.title_en.clone()
    } else {
        lang.pick(&meta.title_zh, &meta.title_en)
    }
}

pub(crate) async fn search(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
    PageQuery(params): PageQuery<SearchParams>,
) -> Result<Response, PageError> {
    let lang = ctx.lang;
    let words = params.q.clone().unwrap_or_default();
    let offset = params::number::<usize>("offset", params.offset.as_deref())
        .map_err(|error| ctx.error(error))?
        .unwrap_or(0);
    let found = {
        let words = words.clone();
        run(&state, &ctx, move |engine| {
            Ok(engine.search_series(&words, None, None)?)
        })
        .await?
    };
    let heading = lang.pick("數列", "Series");
    let page_link = |offset: usize| {
        format!(
            "/series?{}",
            query(&[("q", &words), ("offset", &offset.to_string())])
        )
    };
    let shown: Vec<&SeriesSummary> = found.iter().skip(offset).take(PAGE_SIZE).collect();
    let content = html! {
        h1 { (heading) }
        form.search role="search" method="get" action="/series" {
            label for="q" { (lang.pick("以中文或英文字詞搜尋（全部字詞須出現）", "Search by words in Chinese or English (all must appear)")) }
            div.row {
                input #q type="search" name="q" value=(words) placeholder=(lang.pick("例如：失業率 sa", "e.g. unemployment rate sa"));
                button type="submit" { (lang.pick("搜尋", "Search")) }
            }
        }
        p.note {
            (lang.pick(&format!("找到{}個數列。", found.len()), &format!("{} series found.", found.len())))
        }
        @if !shown.is_empty() {
            div.table-scroll {
                table.results {
                    thead { tr {
                        th scope="col" { (lang.pick("數列", "Series")) }
                        th scope="col" { (lang.pick("頻率", "Frequency")) }
                        th scope="col" { (lang.pick("單位", "Unit")) }
                        th scope="col" { (lang.pick("期間", "Periods")) }
                        th scope="col" { (lang.pick("代號", "Id")) }
                    } }
                    tbody {
                        @for summary in &shown {
                            tr {
                                td { a href=(chart_link(summary.meta.id.as_str())) { (title(lang, &summary.meta)) } }
                                td { (frequency_name(lang, summary.meta.frequency)) }
                                td { (layout::unit_name(lang, &summary.meta.unit)) }
                                td.nowrap {
                                    @if let (Some(first), Some(last)) = (summary.first_period, summary.last_period) {
                                        (text::period(lang, first)) " – " (text::period(lang, last))
                                    }
                                }
                                td.id { code { (summary.meta.id.as_str()) } }
                            }
                        }
                    }
                }
            }
            nav.pager aria-label=(lang.pick("頁數", "Pages")) {
                @if offset > 0 {
                    a href=(page_link(offset.saturating_sub(PAGE_SIZE))) { (lang.pick("← 上一頁", "← Previous")) }
                }
                span { (offset + 1) "–" (offset + shown.len()) " / " (found.len()) }
                @if offset + PAGE_SIZE < found.len() {
                    a href=(page_link(offset + PAGE_SIZE)) { (lang.pick("下一頁 →", "Next →")) }
                }
            }
        }
    };
    Ok(render(&ctx, &heading, &content))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ChartParams {
    id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    transform: Option<String>,
    as_of: Option<String>,
    period: Option<String>,
}

/// How the values are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transform {
    Level,
    /// The change from the previous period, in the series' unit.
    Change,
    /// The change from a year earlier, in per cent of that value.
    PercentOnYear,
}

impl Transform {
    const ALL: [Transform; 3] = [
        Transform::Level,
        Transform::Change,
        Transform::PercentOnYear,
    ];

    fn code(self) -> &'static str {
        match self {
            Transform::Level => "level",
            Transform::Change => "change",
            Transform::PercentOnYear => "pct_year",
        }
    }

    fn parse(text: Option<&str>) -> Result<Transform, ApiError> {
        match text.unwrap_or("level") {
            "" | "level" => Ok(Transform::Level),
            "change" => Ok(Transform::Change),
            "pct_year" => Ok(Transform::PercentOnYear),
            _ => Err(ApiError::invalid(
                "transform",
                "is level, change or pct_year",
            )),
        }
    }

    fn name(self, lang: Lang) -> String {
        match self {
            Transform::Level => lang.pick("水平", "Level"),
            Transform::Change => lang.pick("較上一期的變動", "Change from the previous period"),
            Transform::PercentOnYear => lang.pick("按年變動百分率", "% change on a year earlier"),
        }
    }

    fn unit(self, lang: Lang, unit: &str) -> String {
        match (self, unit) {
            (Transform::PercentOnYear, _) => "%".to_owned(),
            (Transform::Change, "%") => lang.pick("百分點", "percentage points"),
            _ => layout::unit_name(lang, unit),
        }
    }

    /// The transformed values, each with its period: the first period (or year) has no
    /// change to show and is left out.
    fn apply(self, observations: &[StoredObservation]) -> Vec<(Period, f64)> {
        let values: Vec<(Period, f64)> = observations
            .iter()
            .map(|stored| (stored.observation.period, stored.observation.value))
            .collect();
        match self {
            Transform::Level => values,
            Transform::Change => values
                .windows(2)
                .map(|pair| (pair[1].0, pair[1].1 - pair[0].1))
                .collect(),
            Transform::PercentOnYear => values
                .iter()
                .filter_map(|&(period, value)| {
                    let month = period.end_month_index() - 12;
                    let (_, before) = values
                        .iter()
                        .find(|(earlier, _)| earlier.end_month_index() == month)?;
                    (*before != 0.0).then(|| (period, 100.0 * (value - before) / before.abs()))
                })
                .collect(),
        }
    }
}

/// The width of charts drawn for a phone, in CSS pixels.
pub(crate) const NARROW_WIDTH: f64 = 360.0;

/// The middle of a period's last month as a fractional year.
pub(crate) fn year_x(period: Period) -> f64 {
    let end = period.end_date();
    f64::from(end.year()) + (f64::from(end.month()) - 0.5) / 12.0
}

struct Explored {
    meta: SeriesMeta,
    observations: Vec<StoredObservation>,
    history: Option<Result<PeriodHistory, String>>,
    downturns: Vec<engine::report::Downturn>,
}

pub(crate) async fn chart(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
    PageQuery(params): PageQuery<ChartParams>,
) -> Result<Response, PageError> {
    let lang = ctx.lang;
    let checked = (|| {
        let id = params::required("id", params.id.as_deref())?;
        let id = SeriesId::parse(id).map_err(|error| ApiError::invalid("id", error))?;
        let from = params::date("from", nonempty(params.from.as_deref()))?;
        let to = params::date("to", nonempty(params.to.as_deref()))?;
        let as_of = params::date("as_of", nonempty(params.as_of.as_deref()))?;
        let period = params::period("period", nonempty(params.period.as_deref()))?;
        let transform = Transform::parse(params.transform.as_deref())?;
        Ok::<_, ApiError>((id, from, to, as_of, period, transform))
    })();
    let (id, from, to, as_of, period, transform) = checked.map_err(|error| ctx.error(error))?;
    let explored = {
        let id = id.clone();
        run(&state, &ctx, move |engine| {
            let (meta, observations) = engine.series(&id, as_of)?;
            let wanted = period.or_else(|| observations.last().map(|last| last.observation.period));
            // A period the series lacks is said on the page, with the periods nearby.
            let history = wanted.map(|wanted| {
                engine
                    .vintages(&id, wanted)
                    .map_err(|error| ApiError::from(error).to_string())
            });
            let downturns = engine.reference_episodes(DOWNTURNS).unwrap_or_default();
            Ok(Explored {
                meta,
                observations,
                history,
                downturns,
            })
        })
        .await?
    };
    let meta = &explored.meta;
    let heading = title(lang, meta);
    let values: Vec<(Period, f64)> = transform
        .apply(&explored.observations)
        .into_iter()
        .filter(|(period, _)| {
            from.is_none_or(|from| period.end_date() >= from)
                && to.is_none_or(|to| period.end_date() <= to)
        })
        .collect();
    let unit = transform.unit(lang, &meta.unit);
    let decimals = decimals_of(&explored.observations);
    let chart = TimeChart {
        width: 880.0,
        height: 320.0,
        label: format!("{heading} ({})", transform.name(lang)),
        unit: unit.clone(),
        lines: vec![Line {
            name: transform.name(lang),
            points: values
                .iter()
                .map(|&(period, value)| (year_x(period), value))
                .collect(),
            color: palette::INK,
            dashed: false,
        }],
        spans: spans(&explored.downturns),
        spans_label: Some(lang.pick("經濟下行期", "Downturn")),
        bands: Vec::new(),
        from_zero: transform != Transform::Level,
    };
    let narrow = TimeChart {
        width: NARROW_WIDTH,
        height: 260.0,
        ..chart.clone()
    };
    let download = |format: &str| {
        let mut pairs = vec![("ids", id.as_str()), ("format", format)];
        let as_of_text = as_of.map(|date| date.to_string());
        if let Some(date) = &as_of_text {
            pairs.push(("as_of", date));
        }
        format!("/v1/series/download?{}", query(&pairs))
    };
    let content = html! {
        p.crumbs { a href="/series" { (lang.pick("數列", "Series")) } " › " code { (id.as_str()) } }
        h1 { (heading) }
        dl.facts {
            dt { (lang.pick("單位", "Unit")) } dd { (if meta.unit.is_empty() { "–".to_owned() } else { layout::unit_name(lang, &meta.unit) }) }
            dt { (lang.pick("頻率", "Frequency")) } dd { (frequency_name(lang, meta.frequency)) }
            dt { (lang.pick("季節性調整", "Seasonal adjustment")) }
            dd { (match meta.seasonal_adjustment {
                SeasonalAdjustment::Adjusted => lang.pick("經季節性調整", "seasonally adjusted"),
                SeasonalAdjustment::NotAdjusted => lang.pick("未經季節性調整", "not seasonally adjusted"),
                SeasonalAdjustment::Unknown => lang.pick("不詳", "unknown"),
            }) }
            dt { (lang.pick("資料來源", "Source")) } dd { (meta.source) }
            dt { (lang.pick("數值", "Values")) }
            dd { (match as_of {
                Some(date) => lang.pick(&format!("截至{}所知", text::date(lang, date)), &format!("as known on {}", text::date(lang, date))),
                None => lang.pick("最新版本", "latest vintage"),
            }) }
        }
        form.controls method="get" action="/series/chart" {
            input type="hidden" name="id" value=(id.as_str());
            label { (lang.pick("由", "From")) input type="date" name="from" value=[from.map(|d| d.to_string())]; }
            label { (lang.pick("至", "To")) input type="date" name="to" value=[to.map(|d| d.to_string())]; }
            label { (lang.pick("顯示", "Show"))
                select name="transform" {
                    @for option in Transform::ALL {
                        option value=(option.code()) selected[option == transform] { (option.name(lang)) }
                    }
                }
            }
            label { (lang.pick("截至此日所知（版本）", "As known on (vintage)")) input type="date" name="as_of" value=[as_of.map(|d| d.to_string())]; }
            button type="submit" { (lang.pick("套用", "Apply")) }
        }
        @if values.is_empty() {
            p.flash { (lang.pick("所選範圍內沒有數值。", "No values in the range chosen.")) }
        } @else {
            (layout::figure_for_both(&chart.to_svg(), Some(&narrow.to_svg()), &lang.pick(&format!("{heading}：{}", transform.name(lang)), &format!("{heading}: {}", transform.name(lang))),
                &lang.pick("陰影：經濟下行期，即實質本地生產總值連續兩季或以上按年下跌。",
                    "Shading: downturns, two or more consecutive quarters of year-on-year decline in real GDP.")))
        }
        p.downloads {
            (lang.pick("下載：", "Download: "))
            a href=(download("csv")) download { "CSV" } " · "
            a href=(download("xlsx")) download { "XLSX" } " · "
            a href=(download("json")) download { "JSON" }
        }
        section aria-labelledby="vintages" {
            h2 #vintages { (lang.pick("各版本數值", "Vintages of a period")) }
            form.controls method="get" action="/series/chart" {
                input type="hidden" name="id" value=(id.as_str());
                @for (name, value) in [("from", &params.from), ("to", &params.to), ("as_of", &params.as_of)] {
                    @if let Some(value) = value { input type="hidden" name=(name) value=(value); }
                }
                input type="hidden" name="transform" value=(transform.code());
                label { (lang.pick("期間（例如 2025-09、2025-Q3）", "Period (e.g. 2025-09, 2025-Q3)"))
                    input name="period" value=[params.period.as_deref()] placeholder="2025-09"; }
                button type="submit" { (lang.pick("顯示版本", "Show vintages")) }
            }
            (vintages(lang, explored.history.as_ref(), decimals))
        }
        details.data {
            summary { (lang.pick(&format!("數據表（{}個數值）", values.len()), &format!("Data table ({} values)", values.len()))) }
            div.table-scroll {
                table {
                    thead { tr { th scope="col" { (lang.pick("期間", "Period")) } th.num scope="col" { (transform.name(lang)) } } }
                    tbody {
                        @for (period, value) in values.iter().rev() {
                            tr { td { (text::period(lang, *period)) } td.num { (text::number(*value, if transform == Transform::Level { decimals } else { decimals.max(1) })) } }
                        }
                    }
                }
            }
        }
    };
    Ok(render(&ctx, &heading, &content))
}

fn nonempty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|text| !text.is_empty())
}

/// As many decimals as the stored values show, at most three.
fn decimals_of(observations: &[StoredObservation]) -> usize {
    observations
        .iter()
        .map(|stored| {
            let text = stored.observation.value.to_string();
            text.split_once('.')
                .map_or(0, |(_, fraction)| fraction.len())
        })
        .max()
        .unwrap_or(0)
        .min(3)
}

pub(crate) fn spans(downturns: &[engine::report::Downturn]) -> Vec<Span> {
    downturns
        .iter()
        .map(|episode| {
            let start: Date = episode.start.start_date();
            let end = episode.end.unwrap_or(episode.start).end_date();
            Span {
                from: f64::from(start.year()) + (f64::from(start.month()) - 1.0) / 12.0,
                to: f64::from(end.year()) + f64::from(end.month()) / 12.0,
            }
        })
        .collect()
}

fn status_name(lang: Lang, status: domain::ObservationStatus) -> String {
    match status {
        domain::ObservationStatus::Normal => lang.pick("正常", "normal"),
        domain::ObservationStatus::Provisional => lang.pick("臨時數字", "provisional"),
        domain::ObservationStatus::Revised => lang.pick("經修訂", "revised"),
        domain::ObservationStatus::BelowHalfUnit => {
            lang.pick("少於所示單位的一半", "less than half the unit")
        }
    }
}

fn basis_name(lang: Lang, basis: engine::VintageBasis) -> String {
    match basis {
        engine::VintageBasis::Explicit => lang.pick("檔案註明", "stated in the file"),
        engine::VintageBasis::Release => lang.pick("發布日期", "release date"),
        engine::VintageBasis::PublicationLag => {
            lang.pick("期末加發布時差", "period end plus publication lag")
        }
        engine::VintageBasis::ImportDate => lang.pick("匯入日期", "import date"),
    }
}

fn vintages(
    lang: Lang,
    history: Option<&Result<PeriodHistory, String>>,
    decimals: usize,
) -> Markup {
    html! {
        @match history {
            None => p { (lang.pick("此數列沒有數值。", "The series has no values.")) },
            Some(Err(problem)) => p.flash.error { (problem) },
            Some(Ok(history)) => {
                p { (lang.pick(&format!("{}的每個版本，由最早至最新：", text::period(lang, history.period)),
                               &format!("Every vintage of {}, oldest first:", text::period(lang, history.period)))) }
                div.table-scroll {
                    table {
                        thead { tr {
                            th scope="col" { (lang.pick("版本日期", "Vintage")) }
                            th.num scope="col" { (lang.pick("數值", "Value")) }
                            th scope="col" { (lang.pick("狀態", "Status")) }
                            th scope="col" { (lang.pick("版本日期的依據", "How the vintage was set")) }
                        } }
                        tbody {
                            @for stored in &history.vintages {
                                tr {
                                    td { (stored.vintage.to_string()) }
                                    td.num { (text::number(stored.observation.value, decimals)) }
                                    td { (status_name(lang, stored.observation.status)) }
                                    td { (basis_name(lang, stored.vintage_basis)) }
                                }
                            }
                            @for corrected in &history.corrected {
                                tr.corrected {
                                    td { (corrected.replaced.vintage.to_string()) }
                                    td.num { del { (text::number(corrected.replaced.observation.value, decimals)) } }
                                    td { (lang.pick("已更正", "corrected")) }
                                    td { (lang.pick(&format!("被第{}次匯入取代", corrected.corrected_by_import),
                                                    &format!("replaced by import {}", corrected.corrected_by_import))) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
