//! From the engine's figures to the report in one language: every sentence is built from
//! the numbers it states, nothing else.

use charts::{Band, Bar, BarChart, Line, PathChart, PathPoint, Span, TimeChart, palette};
use domain::{Date, Direction, Frequency, IndustryCode, Period};
use engine::report::{
    AlertLevel, AlertRow, ArrearsGroup, ArrearsTotals, Downturn, Indicator, Observed, Provenance,
    ReportData, Subject,
};

use crate::text::{self, Lang};
use crate::view::{Cell, Figure, Part, Section, Table};

/// Chart width in CSS pixels: the text width of an A4 page with 16 mm margins.
const CHART_WIDTH: f64 = 660.0;

/// Sections in order, with their anchors and titles.
pub(crate) const SECTIONS: &[(&str, &str, &str)] = &[
    ("headlines", "主要指標", "Headline indicators"),
    ("climate", "就業景氣指數", "Employment climate index"),
    ("warnings", "預警", "Warnings"),
    ("watchlist", "重點監測行業預警名單", "Industry watch-list"),
    ("structural", "結構性失業", "Structural unemployment"),
    ("wages", "工資與經濟增長", "Wages against growth"),
    (
        "arrears",
        "欠薪及強積金供款拖欠（匯總）",
        "Wage and MPF arrears (aggregate)",
    ),
    ("talent", "人才需求", "Talent demand"),
    (
        "ai",
        "生成式人工智能對職業的影響",
        "Generative AI and occupations",
    ),
    (
        "changes",
        "自上一份報告以來的變化",
        "What changed since the last report",
    ),
    ("sources", "資料來源及方法", "Sources and methods"),
];

fn section_title(lang: Lang, id: &str) -> String {
    SECTIONS
        .iter()
        .position(|(anchor, _, _)| *anchor == id)
        .map(|index| {
            let (_, zh, en) = SECTIONS[index];
            format!("{}. {}", index + 1, lang.pick(zh, en))
        })
        .unwrap_or_default()
}

/// What the report says about the arrears data beyond the numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArrearsLabel {
    /// The saved run is generated test data (`lmo demo`), and the report must say so.
    pub generated: bool,
}

/// The report in one language.
pub fn part(data: &ReportData, lang: Lang, arrears: ArrearsLabel) -> Part {
    let mut sources = Sources::default();
    let sections = vec![
        headlines(data, lang, &mut sources),
        climate(data, lang, &mut sources),
        warnings(data, lang, &mut sources),
        watchlist(data, lang),
        structural(data, lang, &mut sources),
        wages(data, lang, &mut sources),
        arrears_section(data, lang, arrears),
        talent_section(data, lang),
        ai_section(data, lang),
        changes(data, lang),
        sources_section(data, lang, &sources),
    ];
    Part {
        lang,
        title: lang.pick("就業形勢分析報告", "Labour Market Situation Report"),
        dateline: match lang {
            Lang::En => format!(
                "Data as known on {}; compared with the report as of {}",
                text::date(lang, data.as_of),
                text::date(lang, data.since)
            ),
            _ => format!(
                "數據截至{}；與截至{}的報告比較",
                text::date(lang, data.as_of),
                text::date(lang, data.since)
            ),
        },
        sections,
    }
}

/// Every series the report cites, with the latest vintage it shows.
#[derive(Default)]
struct Sources {
    cited: Vec<(Provenance, Option<Date>)>,
}

impl Sources {
    fn cite(&mut self, provenance: &Provenance, vintage: Option<Date>) {
        match self.cited.iter_mut().find(|(cited, _)| {
            cited.series == provenance.series && cited.method == provenance.method
        }) {
            Some((_, known)) => *known = (*known).max(vintage),
            None => self.cited.push((provenance.clone(), vintage)),
        }
    }
}

/// `C&SD table 210-06101, released 20 Mar 2026; lmo method sahm/1`.
fn cite(lang: Lang, provenance: &Provenance, vintage: Option<Date>) -> String {
    let publisher = match (&provenance.table, provenance.source.starts_with("C&SD")) {
        (Some(table), true) => {
            lang.pick(&format!("統計處表{table}"), &format!("C&SD table {table}"))
        }
        (Some(table), false) => table.clone(),
        (None, _) => provenance.source.clone(),
    };
    let mut out = publisher;
    if let Some(vintage) = vintage {
        let released = match lang {
            Lang::En => format!(", released {}", text::date(lang, vintage)),
            _ => format!("，{}發布", text::date(lang, vintage)),
        };
        out.push_str(&released);
    }
    if let Some(method) = provenance.method {
        out.push_str(&lang.pick(
            &format!("；lmo 方法 {method}"),
            &format!("; lmo method {method}"),
        ));
    }
    out
}

/// Short names of the series the report talks about; others go by their titles.
pub fn series_name(lang: Lang, provenance: &Provenance) -> String {
    let known: &[(&str, &str, &str)] = &[
        (
            "csd.210-06101.unemployment_rate_sa",
            "經季節性調整的失業率",
            "Seasonally adjusted unemployment rate",
        ),
        (
            "hk.panel.unemployment_rate_sa",
            "經季節性調整的失業率",
            "Seasonally adjusted unemployment rate",
        ),
        (
            "csd.210-06101.underemployment_rate",
            "就業不足率",
            "Underemployment rate",
        ),
        (
            "csd.210-06201.labour_force_participation_rate",
            "勞動人口參與率",
            "Labour force participation rate",
        ),
        (
            "csd.215-16001.number_of_vacancies.ALL",
            "私營機構職位空缺數目",
            "Job vacancies (private sector)",
        ),
        (
            "csd.215-16007.vacancies",
            "私營機構職位空缺數目",
            "Job vacancies (private sector)",
        ),
        (
            "csd.215-16001.number_of_persons_engaged.ALL",
            "私營機構就業人數",
            "Persons engaged (private sector)",
        ),
        (
            "csd.215-16001.vacancy_rate.ALL",
            "職位空缺率",
            "Vacancy rate",
        ),
        (
            "csd.220-19024.real_payroll_per_person_engaged_index",
            "每名就業人士實質薪金指數",
            "Real index of payroll per person engaged",
        ),
        (
            "csd.220-23011.median_monthly_wage.all_employees",
            "每月工資中位數（所有僱員）",
            "Median monthly wage, all employees",
        ),
        (
            "hk.panel.real_gdp.yoy_pct",
            "實質本地生產總值按年變動",
            "Real GDP, year-on-year change",
        ),
    ];
    known
        .iter()
        .find(|(id, _, _)| *id == provenance.series.as_str())
        .map_or_else(
            || lang.pick(&provenance.title_zh, &provenance.title_en),
            |(_, zh, en)| lang.pick(zh, en),
        )
}

/// The subject of an English sentence about a series, and its verb.
fn english_subject(provenance: &Provenance) -> (String, &'static str) {
    let known: &[(&str, &str, &str)] = &[
        (
            "csd.210-06101.unemployment_rate_sa",
            "The seasonally adjusted unemployment rate",
            "was",
        ),
        (
            "hk.panel.unemployment_rate_sa",
            "The seasonally adjusted unemployment rate",
            "was",
        ),
        (
            "csd.210-06101.underemployment_rate",
            "The underemployment rate",
            "was",
        ),
        (
            "csd.210-06201.labour_force_participation_rate",
            "The labour force participation rate",
            "was",
        ),
        (
            "csd.215-16001.number_of_vacancies.ALL",
            "Job vacancies in the private sector",
            "numbered",
        ),
        (
            "csd.215-16007.vacancies",
            "Job vacancies in the private sector",
            "numbered",
        ),
        (
            "csd.220-19024.real_payroll_per_person_engaged_index",
            "The real index of payroll per person engaged",
            "was",
        ),
        (
            "csd.220-23011.median_monthly_wage.all_employees",
            "The median monthly wage of all employees",
            "was",
        ),
    ];
    known
        .iter()
        .find(|(id, _, _)| *id == provenance.series.as_str())
        .map_or_else(
            || (provenance.title_en.clone(), "was"),
            |(_, subject, verb)| ((*subject).to_owned(), *verb),
        )
}

/// A series' name with its unit, for table rows: `失業率（%）`, `Median monthly wage (HK$)`.
fn name_with_unit(lang: Lang, provenance: &Provenance) -> String {
    let unit = unit_label(lang, &provenance.unit);
    lang.pick(
        &format!("{}（{unit}）", series_name(Lang::ZhHant, provenance)),
        &format!("{} ({unit})", series_name(Lang::En, provenance)),
    )
}

fn unit_label(lang: Lang, unit: &str) -> String {
    match unit {
        "%" => "%".to_owned(),
        "HK$" => "HK$".to_owned(),
        "number" | "persons" => lang.pick("數目", "number"),
        "index" => lang.pick("指數", "index"),
        "pp" => lang.pick("百分點", "percentage points"),
        other => other.to_owned(),
    }
}

/// The middle of a period's last month as a fractional year, for charts.
fn year_x(period: Period) -> f64 {
    let end = period.end_date();
    f64::from(end.year()) + (f64::from(end.month()) - 0.5) / 12.0
}

fn spans(downturns: &[Downturn]) -> Vec<Span> {
    downturns
        .iter()
        .map(|episode| {
            let start = episode.start.start_date();
            let end = episode.end.unwrap_or(episode.start).end_date();
            Span {
                from: f64::from(start.year()) + (f64::from(start.month()) - 1.0) / 12.0,
                to: f64::from(end.year()) + f64::from(end.month()) / 12.0,
            }
        })
        .collect()
}

fn level_color(level: AlertLevel) -> &'static str {
    match level {
        AlertLevel::Blue => palette::BLUE,
        AlertLevel::Yellow => palette::YELLOW,
        AlertLevel::Orange => palette::ORANGE,
        AlertLevel::Red => palette::RED,
    }
}

/// Bands from each level's entry value up to the next level's.
fn bands(lang: Lang, levels: &[(AlertLevel, f64)], below: bool) -> Vec<Band> {
    levels
        .iter()
        .enumerate()
        .map(|(index, &(level, enter))| {
            let next = levels.get(index + 1).map(|&(_, next)| next);
            let (from, to) = if below {
                (next.unwrap_or(f64::NEG_INFINITY), enter)
            } else {
                (enter, next.unwrap_or(f64::INFINITY))
            };
            Band {
                from,
                to,
                color: level_color(level),
                label: lang.pick(
                    &format!("{}預警區", text::level(lang, level)),
                    &format!("{} alert zone", text::level(lang, level)),
                ),
            }
        })
        .collect()
}

fn shading_note(lang: Lang, data: &ReportData) -> String {
    match &data.downturn_source {
        Some(source) => lang.pick(
            &format!(
                "陰影：經濟下行期，即實質本地生產總值連續兩季或以上按年下跌（{}）。",
                cite(lang, source, None)
            ),
            &format!(
                "Shading: downturns, two or more consecutive quarters of year-on-year decline in real GDP ({}).",
                cite(lang, source, None)
            ),
        ),
        None => lang.pick(
            "本庫沒有實質本地生產總值數據，故未標示經濟下行期。",
            "No real GDP series in the store, so no downturns are shaded.",
        ),
    }
}

fn spans_label(lang: Lang) -> String {
    lang.pick("經濟下行期", "Downturn")
}

fn points(values: &[Observed]) -> Vec<(f64, f64)> {
    values.iter().map(|v| (year_x(v.period), v.value)).collect()
}

fn last_report_clause(lang: Lang, indicator: &Indicator, since: Date) -> String {
    let since_text = text::date(lang, since);
    let unit = &indicator.provenance.unit;
    let shown = |v: &Observed| text::with_unit(lang, v.value, indicator.decimals, unit);
    let Some(then) = indicator.last_report else {
        return lang.pick(
            &format!("上一份報告（截至{since_text}）未有此數字。"),
            &format!("The last report (as of {since_text}) had no figure for it."),
        );
    };
    let now_for_then = indicator.history.iter().find(|v| v.period == then.period);
    let revised = now_for_then.is_some_and(|now| {
        text::number(now.value, indicator.decimals) != text::number(then.value, indicator.decimals)
    });
    if then.period == indicator.latest.period && !revised {
        return lang.pick(
            &format!("上一份報告（截至{since_text}）所載相同。"),
            &format!("The last report (as of {since_text}) printed the same figure."),
        );
    }
    let period = text::period(lang, then.period);
    if revised {
        return lang.pick(
            &format!(
                "上一份報告（截至{since_text}）所載{period}的數字為{}，其後已修訂（見第8節）。",
                shown(&then)
            ),
            &format!(
                "The last report (as of {since_text}) printed {} for {period}; it has since been revised (see section 8).",
                shown(&then)
            ),
        );
    }
    lang.pick(
        &format!(
            "上一份報告（截至{since_text}）的最新數字為{period}的{}。",
            shown(&then)
        ),
        &format!(
            "At the last report (as of {since_text}) the latest figure was {} for {period}.",
            shown(&then)
        ),
    )
}

fn headline_sentence(lang: Lang, indicator: &Indicator, since: Date) -> String {
    let unit = &indicator.provenance.unit;
    let d = indicator.decimals;
    let name = series_name(lang, &indicator.provenance);
    let latest = indicator.latest;
    let value = text::with_unit(lang, latest.value, d, unit);
    let period = text::period(lang, latest.period);
    // Quarterly figures that are not seasonally adjusted are compared with a year
    // earlier only, as C&SD compares them.
    let seasonal = indicator.frequency == Frequency::Quarterly && !indicator.seasonally_adjusted;
    let previous = indicator.previous.filter(|previous| {
        !seasonal && Some(previous.period) != indicator.year_ago.map(|y| y.period)
    });
    let mut clauses = Vec::new();
    if let Some(previous) = previous {
        let change = text::change(lang, previous.value, latest.value, d, unit);
        let before = text::with_unit(lang, previous.value, d, unit);
        let previous_period = text::period(lang, previous.period);
        clauses.push(lang.pick(
            &format!("較{previous_period}的{before}{change}"),
            &format!("{change} from {before} in {previous_period}"),
        ));
    }
    if let Some(year_ago) = indicator.year_ago {
        let change = text::change(lang, year_ago.value, latest.value, d, unit);
        let before = text::with_unit(lang, year_ago.value, d, unit);
        let year_period = text::period(lang, year_ago.period);
        clauses.push(lang.pick(
            &format!("較一年前（{year_period}）的{before}{change}"),
            &format!("{change} from {before} a year earlier ({year_period})"),
        ));
    }
    let body = if lang == Lang::En {
        let (subject, verb) = english_subject(&indicator.provenance);
        let mut sentence = format!("{subject} {verb} {value} in {period}");
        if !clauses.is_empty() {
            sentence.push_str(", ");
            sentence.push_str(&clauses.join(", and "));
        }
        sentence.push('.');
        sentence
    } else {
        let mut sentence = format!("{name}{period}為{value}");
        if !clauses.is_empty() {
            sentence.push('，');
            sentence.push_str(&clauses.join("；"));
        }
        sentence.push('。');
        sentence
    };
    format!(
        "{body}{}{}",
        lang.pick("", " "),
        last_report_clause(lang, indicator, since)
    )
}

fn headline_table(lang: Lang, data: &ReportData) -> Table {
    let columns = [
        ("指標（單位）", "Indicator (unit)"),
        ("期間", "Period"),
        ("最新", "Latest"),
        ("上一期", "Previous period"),
        ("一年前", "A year earlier"),
        ("按年變動", "Change on the year"),
        ("上一份報告", "Last report"),
        ("上一份報告期間", "Last report's period"),
        ("資料來源", "Source"),
        ("發布日期（版本）", "Release (vintage)"),
    ];
    let rows = data
        .headlines
        .iter()
        .map(|indicator| {
            let d = indicator.decimals;
            let unit = &indicator.provenance.unit;
            let year_change = indicator.year_ago.map(|year_ago| {
                if unit == "%" {
                    indicator.latest.value - year_ago.value
                } else {
                    100.0 * (indicator.latest.value - year_ago.value) / year_ago.value
                }
            });
            vec![
                Cell::text(name_with_unit(lang, &indicator.provenance)),
                Cell::text(text::period(lang, indicator.latest.period)),
                Cell::number(indicator.latest.value, d),
                Cell::optional(indicator.previous.map(|v| v.value), d),
                Cell::optional(indicator.year_ago.map(|v| v.value), d),
                Cell::optional(year_change, 1),
                Cell::optional(indicator.last_report.map(|v| v.value), d),
                indicator
                    .last_report
                    .map_or(Cell::Empty, |v| Cell::text(text::period(lang, v.period))),
                Cell::text(cite(lang, &indicator.provenance, None)),
                Cell::text(indicator.latest.vintage.to_string()),
            ]
        })
        .collect();
    Table {
        sheet: "Headlines",
        title: lang.pick("主要指標", "Headline indicators"),
        columns: columns.iter().map(|(zh, en)| lang.pick(zh, en)).collect(),
        rows,
        source: lang.pick(
            "按年變動：比率為百分點，其他為百分率。各數字為截至報告日期所知的最新版本。",
            "Change on the year: percentage points for rates, per cent otherwise. Every figure is the latest vintage known on the report's date.",
        ),
        show_last: None,
    }
}

fn headlines(data: &ReportData, lang: Lang, sources: &mut Sources) -> Section {
    let mut paragraphs = Vec::new();
    for indicator in &data.headlines {
        sources.cite(&indicator.provenance, Some(indicator.latest.vintage));
        paragraphs.push(headline_sentence(lang, indicator, data.since));
    }
    if data.headlines.is_empty() {
        paragraphs.push(lang.pick(
            "本庫沒有主要指標的數據；請先匯入統計處的勞動人口及職位空缺數據。",
            "The store holds none of the headline series; import C&SD's labour force and vacancy data first.",
        ));
    }
    let mut figures = Vec::new();
    if let Some((provenance, values)) = &data.unemployment_history {
        sources.cite(provenance, values.last().map(|v| v.vintage));
        let chart = TimeChart {
            width: CHART_WIDTH,
            height: 260.0,
            label: series_name(lang, provenance),
            unit: "%".to_owned(),
            lines: vec![Line {
                name: series_name(lang, provenance),
                points: points(values),
                color: palette::INK,
                dashed: false,
            }],
            spans: spans(&data.downturns),
            spans_label: Some(spans_label(lang)),
            bands: bands(lang, &data.unemployment_bands, false),
            from_zero: false,
        };
        figures.push(Figure {
            svg: chart.to_svg(),
            caption: lang.pick(
                "圖1.1　經季節性調整的失業率（按季，季內最後一個三個月期）",
                "Chart 1.1  Seasonally adjusted unemployment rate (quarterly, last 3-month period of each quarter)",
            ),
            note: format!(
                "{} {} {}",
                lang.pick("色帶：失業率水平預警的各級門檻（hk-unemployment-level）。", "Bands: the levels of the unemployment-level warning (hk-unemployment-level)."),
                shading_note(lang, data),
                lang.pick(&format!("資料：{}。", cite(lang, provenance, values.last().map(|v| v.vintage))), &format!("Source: {}.", cite(lang, provenance, values.last().map(|v| v.vintage)))),
            ),
        });
    }
    if let Some(vacancies) = data.headlines.iter().find(|i| i.key == "vacancies") {
        let chart = TimeChart {
            width: CHART_WIDTH,
            height: 220.0,
            label: series_name(lang, &vacancies.provenance),
            unit: unit_label(lang, &vacancies.provenance.unit),
            lines: vec![Line {
                name: series_name(lang, &vacancies.provenance),
                points: points(&vacancies.history),
                color: palette::SECOND,
                dashed: false,
            }],
            spans: spans(&data.downturns),
            spans_label: Some(spans_label(lang)),
            bands: Vec::new(),
            from_zero: true,
        };
        figures.push(Figure {
            svg: chart.to_svg(),
            caption: lang.pick(
                "圖1.2　私營機構職位空缺數目（按季）",
                "Chart 1.2  Job vacancies in the private sector (quarterly)",
            ),
            note: format!(
                "{} {}",
                shading_note(lang, data),
                lang.pick(
                    &format!(
                        "資料：{}。",
                        cite(lang, &vacancies.provenance, Some(vacancies.latest.vintage))
                    ),
                    &format!(
                        "Source: {}.",
                        cite(lang, &vacancies.provenance, Some(vacancies.latest.vintage))
                    )
                ),
            ),
        });
    }
    Section {
        id: "headlines",
        title: section_title(lang, "headlines"),
        paragraphs,
        figures,
        tables: vec![headline_table(lang, data)],
    }
}

fn climate(data: &ReportData, lang: Lang, sources: &mut Sources) -> Section {
    let Some(climate) = &data.climate else {
        return Section::unavailable(
            "climate",
            section_title(lang, "climate"),
            lang.pick(
                "本庫未有足夠數據計算就業景氣指數（需要失業率、職位空缺及就業人數）。",
                "The store does not hold enough data for the employment climate index (it needs the unemployment rate, vacancies and persons engaged).",
            ),
        );
    };
    let mut paragraphs = Vec::new();
    let eti = &climate.eti;
    if let Some(latest) = eti.last() {
        let period = text::period(lang, latest.period);
        let value = text::number(latest.value, 1);
        let previous = eti.len().checked_sub(2).map(|i| eti[i]);
        let year_ago = eti
            .iter()
            .find(|v| v.period.end_month_index() == latest.period.end_month_index() - 12);
        let mut clauses = Vec::new();
        if let Some(previous) = previous {
            let change = text::change(lang, previous.value, latest.value, 1, "index");
            clauses.push(lang.pick(
                &format!(
                    "較{}的{}{change}",
                    text::period(lang, previous.period),
                    text::number(previous.value, 1)
                ),
                &format!(
                    "{change} from {} in {}",
                    text::number(previous.value, 1),
                    text::period(lang, previous.period)
                ),
            ));
        }
        if let Some(year_ago) = year_ago {
            let change = text::change(lang, year_ago.value, latest.value, 1, "index");
            clauses.push(lang.pick(
                &format!("較一年前的{}{change}", text::number(year_ago.value, 1)),
                &format!(
                    "{change} from {} a year earlier",
                    text::number(year_ago.value, 1)
                ),
            ));
        }
        let base = climate.base_year;
        paragraphs.push(match lang {
            Lang::En => format!(
                "The employment climate index (ETI style, {base} = 100) was {value} in {period}, {}.",
                clauses.join(", and ")
            ),
            _ => format!(
                "就業景氣指數（ETI 方法，{base}年 = 100）{period}為{value}，{}。",
                clauses.join("；")
            ),
        });
    }
    if let (Some(level), Some(momentum)) = (climate.lmci_level.last(), climate.lmci_momentum.last())
    {
        let level_text = text::signed(level.value, 2);
        let momentum_text = text::signed(momentum.value, 2);
        let period = text::period(lang, level.period);
        paragraphs.push(lang.pick(
            &format!(
                "以 LMCI 方法計算，{period}的水平為{level_text}個標準差（0 為歷史平均，正數即優於平均），動力為{momentum_text}個標準差（0 為歷史平均的改善步伐，負數即改善步伐慢於平均或正在轉差）。"
            ),
            &format!(
                "By the LMCI method, the level in {period} was {level_text} standard deviations (0 is the historical average; above zero is better than average) and the momentum {momentum_text} (0 is the average pace of improvement; below zero means improving more slowly than average, or worsening)."
            ),
        ));
    }
    let components = &climate.components;
    let up: Vec<String> = components
        .iter()
        .filter(|c| c.contribution > 0.0)
        .map(|c| series_name(lang, &c.provenance))
        .collect();
    let down: Vec<String> = components
        .iter()
        .filter(|c| c.contribution < 0.0)
        .map(|c| series_name(lang, &c.provenance))
        .collect();
    if let Some(latest) = eti.last() {
        let period = text::period(lang, latest.period);
        let n = components.len();
        let mut sentence = lang.pick(
            &format!(
                "{period}，{n}個組成部分中有{}個推高指數（{}），{}個拉低指數（{}）。",
                up.len(),
                text::list(lang, &up),
                down.len(),
                text::list(lang, &down)
            ),
            &format!(
                "In {period}, {} of the {n} components pushed the index up ({}) and {} pushed it down ({}).",
                up.len(),
                text::list(lang, &up),
                down.len(),
                text::list(lang, &down)
            ),
        );
        let mut ranked: Vec<_> = components.iter().collect();
        ranked.sort_by(|a, b| {
            b.contribution_six_months
                .total_cmp(&a.contribution_six_months)
        });
        let all_down = ranked
            .first()
            .is_some_and(|best| best.contribution_six_months < 0.0);
        let all_up = ranked
            .last()
            .is_some_and(|worst| worst.contribution_six_months > 0.0);
        if all_down || all_up {
            let mentioned = if all_down {
                ranked.last()
            } else {
                ranked.first()
            };
            if let Some(component) = mentioned {
                let size = text::signed(component.contribution_six_months, 2);
                let name = series_name(lang, &component.provenance);
                let summary = match (lang, all_down) {
                    (Lang::En, true) => format!(
                        " Over the last six months every component pulled the index down, {name} the most ({size} points)."
                    ),
                    (Lang::En, false) => format!(
                        " Over the last six months every component pushed the index up, {name} the most ({size} points)."
                    ),
                    (_, true) => format!(
                        "過去六個月，所有組成部分均拉低指數，以{name}拖累最大（{size}點）。"
                    ),
                    (_, false) => format!(
                        "過去六個月，所有組成部分均推高指數，以{name}貢獻最大（{size}點）。"
                    ),
                };
                sentence.push_str(&summary);
            }
        } else if let (Some(best), Some(worst)) = (ranked.first(), ranked.last()) {
            sentence.push_str(&lang.pick(
                &format!(
                    "過去六個月，貢獻最大的是{}（{}點），拖累最大的是{}（{}點）。",
                    series_name(lang, &best.provenance),
                    text::signed(best.contribution_six_months, 2),
                    series_name(lang, &worst.provenance),
                    text::signed(worst.contribution_six_months, 2)
                ),
                &format!(
                    " Over the last six months the largest contribution came from {} ({} points) and the largest drag from {} ({} points).",
                    series_name(lang, &best.provenance),
                    text::signed(best.contribution_six_months, 2),
                    series_name(lang, &worst.provenance),
                    text::signed(worst.contribution_six_months, 2)
                ),
            ));
        }
        paragraphs.push(sentence);
    }
    if let Some(then) = climate.last_report_eti {
        let since = text::date(lang, data.since);
        paragraphs.push(lang.pick(
            &format!(
                "上一份報告（截至{since}）所載指數為{}的{}。",
                text::period(lang, then.period),
                text::number(then.value, 1)
            ),
            &format!(
                "The last report (as of {since}) printed {} for {}.",
                text::number(then.value, 1),
                text::period(lang, then.period)
            ),
        ));
    }
    let vintage = eti.last().map(|v| v.vintage);
    sources.cite(&climate.provenance, vintage);
    for component in components {
        sources.cite(&component.provenance, component.latest.map(|v| v.vintage));
    }
    let eti_chart = TimeChart {
        width: CHART_WIDTH,
        height: 240.0,
        label: lang.pick("就業景氣指數", "Employment climate index"),
        unit: lang.pick(
            &format!("指數（{}年 = 100）", climate.base_year),
            &format!("index ({} = 100)", climate.base_year),
        ),
        lines: vec![Line {
            name: lang.pick(
                "就業景氣指數（ETI 方法）",
                "Employment climate index (ETI style)",
            ),
            points: points(eti),
            color: palette::INK,
            dashed: false,
        }],
        spans: spans(&data.downturns),
        spans_label: Some(spans_label(lang)),
        bands: Vec::new(),
        from_zero: false,
    };
    let bars = BarChart {
        width: CHART_WIDTH,
        label: lang.pick(
            "過去六個月各組成部分的貢獻",
            "Contributions to the six-month change",
        ),
        unit: lang.pick("指數點", "index points"),
        bars: components
            .iter()
            .map(|c| Bar {
                label: series_name(lang, &c.provenance),
                value: c.contribution_six_months,
                color: if c.contribution_six_months >= 0.0 {
                    palette::UP
                } else {
                    palette::DOWN
                },
            })
            .collect(),
        decimals: 2,
    };
    let method_note = lang.pick(
        "方法：各組成部分的對稱變動按其波幅的倒數加權（lmo 方法 eti/1）；水平及動力為標準化水平及十二個月變動的第一主成分（lmci/1）。組成部分方向：失業率越高越差，職位空缺及就業人數越高越好。",
        "Method: each component's symmetric change weighted by the inverse of its volatility (lmo method eti/1); level and momentum are the first principal components of the standardised levels and 12-month changes (lmci/1). Directions: a higher unemployment rate is worse; more vacancies and persons engaged are better.",
    );
    let component_table = Table {
        sheet: "Climate components",
        title: lang.pick(
            "就業景氣指數的組成部分及貢獻",
            "Climate index components and contributions",
        ),
        columns: [
            ("組成部分", "Component"),
            ("方向", "Direction"),
            ("期間", "Period"),
            ("最新數值", "Latest value"),
            (
                "最新一季貢獻（點）",
                "Contribution, latest quarter (points)",
            ),
            ("六個月貢獻（點）", "Contribution, six months (points)"),
            ("資料來源", "Source"),
            ("發布日期（版本）", "Release (vintage)"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: components
            .iter()
            .map(|c| {
                vec![
                    Cell::text(series_name(lang, &c.provenance)),
                    Cell::text(match c.direction {
                        Direction::HigherIsBetter => lang.pick("越高越好", "higher is better"),
                        Direction::HigherIsWorse => lang.pick("越高越差", "higher is worse"),
                        Direction::Neutral => lang.pick("中性", "neutral"),
                    }),
                    c.latest
                        .map_or(Cell::Empty, |v| Cell::text(text::period(lang, v.period))),
                    Cell::optional(
                        c.latest.map(|v| v.value),
                        usize::from(c.provenance.unit == "%"),
                    ),
                    Cell::number(c.contribution, 2),
                    Cell::number(c.contribution_six_months, 2),
                    Cell::text(cite(lang, &c.provenance, None)),
                    c.latest
                        .map_or(Cell::Empty, |v| Cell::text(v.vintage.to_string())),
                ]
            })
            .collect(),
        source: method_note.clone(),
        show_last: None,
    };
    let index_table = Table {
        sheet: "Climate index",
        title: lang.pick("就業景氣指數（按季）", "Employment climate index (quarterly)"),
        columns: [
            ("期間", "Period"),
            ("代碼", "Code"),
            (&format!("ETI 指數（{}年 = 100）", climate.base_year) as &str, &format!("ETI index ({} = 100)", climate.base_year) as &str),
            ("LMCI 水平（標準差）", "LMCI level (standard deviations)"),
            ("LMCI 動力（標準差）", "LMCI momentum (standard deviations)"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: eti
            .iter()
            .map(|v| {
                let at = |series: &[Observed]| series.iter().find(|o| o.period == v.period).map(|o| o.value);
                vec![
                    Cell::text(text::period(lang, v.period)),
                    Cell::text(v.period.to_string()),
                    Cell::number(v.value, 1),
                    Cell::optional(at(&climate.lmci_level), 2),
                    Cell::optional(at(&climate.lmci_momentum), 2),
                ]
            })
            .collect(),
        source: lang.pick(
            &format!("由 lmo 按截至{}所知的數據計算（eti/1、lmci/1）；輸入數據最新發布日期：{}。", text::date(lang, data.as_of), vintage.map(|d| d.to_string()).unwrap_or_default()),
            &format!("Computed by lmo from the data known on {} (eti/1, lmci/1); latest input release: {}.", text::date(lang, data.as_of), vintage.map(|d| d.to_string()).unwrap_or_default()),
        ),
        show_last: Some(8),
    };
    Section {
        id: "climate",
        title: section_title(lang, "climate"),
        paragraphs,
        figures: vec![
            Figure {
                svg: eti_chart.to_svg(),
                caption: lang.pick(
                    "圖2.1　就業景氣指數（ETI 方法）",
                    "Chart 2.1  Employment climate index (ETI style)",
                ),
                note: format!("{} {}", shading_note(lang, data), method_note),
            },
            Figure {
                svg: bars.to_svg(),
                caption: lang.pick(
                    "圖2.2　過去六個月各組成部分對指數變動的貢獻",
                    "Chart 2.2  Contributions of the components to the six-month change",
                ),
                note: lang.pick(
                    "正數推高指數，負數拉低指數。",
                    "Positive values pushed the index up, negative values pulled it down.",
                ),
            },
        ],
        tables: vec![component_table, index_table],
    }
}

fn subject_label(lang: Lang, alert: &AlertRow) -> String {
    match (&alert.subject, &alert.industry) {
        (Subject::Aggregate, _) => lang.pick("所有行業主類", "All industry sections"),
        (Subject::Series(_), Some(industry)) if *industry != IndustryCode::AllCovered => {
            lang.pick(&industry.name_zh(), &industry.name_en())
        }
        (Subject::Series(id), _) => series_name(
            lang,
            &Provenance {
                series: id.clone(),
                title_en: alert.subject_en.clone(),
                title_zh: alert.subject_zh.clone(),
                unit: String::new(),
                table: None,
                source: String::new(),
                method: None,
            },
        ),
    }
}

fn rule_title(lang: Lang, data: &ReportData, rule_id: &str) -> String {
    data.warnings
        .rules
        .iter()
        .find(|rule| rule.id == rule_id)
        .map_or_else(
            || rule_id.to_owned(),
            |rule| lang.pick(&rule.title_zh, &rule.title_en),
        )
}

fn alert_table(
    lang: Lang,
    data: &ReportData,
    sheet: &'static str,
    title: String,
    alerts: &[AlertRow],
) -> Table {
    Table {
        sheet,
        title,
        columns: [
            ("級別", "Level"),
            ("預警", "Warning"),
            ("對象", "Subject"),
            ("開始", "Opened"),
            ("解除", "Closed"),
            ("最近一期", "Last period"),
            ("量度", "Measure"),
            ("規則", "Rule"),
            ("輸入數據發布日期", "Inputs released"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: alerts
            .iter()
            .map(|alert| {
                vec![
                    Cell::text(text::level(lang, alert.level)),
                    Cell::text(rule_title(lang, data, &alert.rule_id)),
                    Cell::text(subject_label(lang, alert)),
                    Cell::text(text::period(lang, alert.opened)),
                    alert.closed.map_or(Cell::Empty, |p| Cell::text(text::period(lang, p))),
                    Cell::text(text::period(lang, alert.last_period)),
                    Cell::number(alert.measure, 2),
                    Cell::text(format!("{}/{}", alert.rule_id, alert.rule_version)),
                    alert.inputs_vintage.map_or(Cell::Empty, |d| Cell::text(d.to_string())),
                ]
            })
            .collect(),
        source: lang.pick(
            &format!("規則集 {}（crates/warnings/rules），按截至報告日期所知的數據評估。", data.warnings.rule_set),
            &format!("Rule set {} (crates/warnings/rules), evaluated on the data known on the report's date.", data.warnings.rule_set),
        ),
        show_last: None,
    }
}

fn level_counts(lang: Lang, alerts: &[AlertRow]) -> String {
    let mut parts = Vec::new();
    for level in [
        AlertLevel::Red,
        AlertLevel::Orange,
        AlertLevel::Yellow,
        AlertLevel::Blue,
    ] {
        let n = alerts.iter().filter(|a| a.level == level).count();
        if n > 0 {
            parts.push(lang.pick(
                &format!("{}{n}項", text::level(lang, level)),
                &format!("{n} {}", text::level(lang, level)),
            ));
        }
    }
    text::list(lang, &parts)
}

fn warnings(data: &ReportData, lang: Lang, sources: &mut Sources) -> Section {
    let view = &data.warnings;
    let as_of = text::date(lang, data.as_of);
    let since = text::date(lang, data.since);
    let mut paragraphs = vec![if view.open.is_empty() {
        lang.pick(
            &format!("截至{as_of}，沒有生效的預警。"),
            &format!("On {as_of} no warning was open."),
        )
    } else {
        lang.pick(
            &format!(
                "截至{as_of}，共有{}項預警生效：{}。",
                view.open.len(),
                level_counts(lang, &view.open)
            ),
            &format!(
                "On {as_of}, {} open: {}.",
                text::count(lang, view.open.len(), "", "warning was", "warnings were"),
                level_counts(lang, &view.open)
            ),
        )
    }];
    for alert in view.open.iter().filter(|a| a.level >= AlertLevel::Yellow) {
        let rule = view.rules.iter().find(|r| r.id == alert.rule_id);
        paragraphs.push(lang.pick(
            &format!(
                "{}預警：{}（{}），自{}起生效，{}的量度為{}。{}",
                text::level(lang, alert.level),
                rule_title(lang, data, &alert.rule_id),
                subject_label(lang, alert),
                text::period(lang, alert.opened),
                text::period(lang, alert.last_period),
                text::number(alert.measure, 2),
                rule.map(|r| r.explanation_zh.clone()).unwrap_or_default()
            ),
            &format!(
                "{} warning: {} ({}), open since {}; the measure was {} in {}. {}",
                text::level(Lang::En, alert.level).to_uppercase(),
                rule_title(lang, data, &alert.rule_id),
                subject_label(lang, alert),
                text::period(lang, alert.opened),
                text::number(alert.measure, 2),
                text::period(lang, alert.last_period),
                rule.map(|r| r.explanation_en.clone()).unwrap_or_default()
            ),
        ));
    }
    let opened: Vec<String> = view
        .opened_since
        .iter()
        .map(|a| {
            format!(
                "{}（{}）",
                rule_title(lang, data, &a.rule_id),
                subject_label(lang, a)
            )
        })
        .collect();
    let closed: Vec<String> = view
        .closed_since
        .iter()
        .map(|a| {
            format!(
                "{}（{}）",
                rule_title(lang, data, &a.rule_id),
                subject_label(lang, a)
            )
        })
        .collect();
    let opened_en: Vec<String> = opened
        .iter()
        .map(|s| s.replace('（', " (").replace('）', ")"))
        .collect();
    let closed_en: Vec<String> = closed
        .iter()
        .map(|s| s.replace('（', " (").replace('）', ")"))
        .collect();
    paragraphs.push(lang.pick(
        &format!(
            "與上一份報告（截至{since}，當時{}項生效）比較：新增{}項{}；解除{}項{}。",
            view.open_then.len(),
            opened.len(),
            if opened.is_empty() {
                String::new()
            } else {
                format!("：{}", text::list(lang, &opened))
            },
            closed.len(),
            if closed.is_empty() {
                String::new()
            } else {
                format!("：{}", text::list(lang, &closed))
            },
        ),
        &format!(
            "Against the last report (as of {since}, when {} open): {} opened{}; {} closed{}.",
            text::count(Lang::En, view.open_then.len(), "", "was", "were"),
            opened_en.len(),
            if opened_en.is_empty() {
                String::new()
            } else {
                format!(" ({})", text::list(Lang::En, &opened_en))
            },
            closed_en.len(),
            if closed_en.is_empty() {
                String::new()
            } else {
                format!(" ({})", text::list(Lang::En, &closed_en))
            },
        ),
    ));
    let mut figures = Vec::new();
    if let Some(provenance) = &view.sahm_provenance {
        sources.cite(provenance, view.sahm_gap.last().map(|v| v.vintage));
        let sahm_levels = view
            .rules
            .iter()
            .find(|r| r.id == "hk-unemployment-sahm")
            .map(|r| r.levels.clone())
            .unwrap_or_default();
        let chart = TimeChart {
            width: CHART_WIDTH,
            height: 240.0,
            label: lang.pick(
                "失業率的薩姆規則式差距",
                "Sahm-type gap of the unemployment rate",
            ),
            unit: lang.pick("百分點", "percentage points"),
            lines: vec![Line {
                name: lang.pick(
                    "失業率減過去12個月最低值",
                    "Unemployment rate minus its low of the previous 12 months",
                ),
                points: points(&view.sahm_gap),
                color: palette::INK,
                dashed: false,
            }],
            spans: spans(&data.downturns),
            spans_label: Some(spans_label(lang)),
            bands: bands(lang, &sahm_levels, false),
            from_zero: true,
        };
        figures.push(Figure {
            svg: chart.to_svg(),
            caption: lang.pick(
                "圖3.1　失業率急升預警：薩姆規則式差距",
                "Chart 3.1  Unemployment rising fast: the Sahm-type gap",
            ),
            note: format!(
                "{} {} {}",
                lang.pick(
                    "色帶：hk-unemployment-sahm 規則的各級門檻。",
                    "Bands: the levels of rule hk-unemployment-sahm."
                ),
                shading_note(lang, data),
                lang.pick(
                    &format!(
                        "資料：{}。",
                        cite(lang, provenance, view.sahm_gap.last().map(|v| v.vintage))
                    ),
                    &format!(
                        "Source: {}.",
                        cite(lang, provenance, view.sahm_gap.last().map(|v| v.vintage))
                    )
                ),
            ),
        });
    }
    let rules_table = Table {
        sheet: "Warning rules",
        title: lang.pick("預警規則說明", "What the warnings mean"),
        columns: [
            ("規則", "Rule"),
            ("版本", "Version"),
            ("名稱", "Title"),
            ("說明", "Explanation"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: view
            .rules
            .iter()
            .map(|rule| {
                vec![
                    Cell::text(rule.id.clone()),
                    Cell::number(f64::from(rule.version), 0),
                    Cell::text(lang.pick(&rule.title_zh, &rule.title_en)),
                    Cell::text(lang.pick(&rule.explanation_zh, &rule.explanation_en)),
                ]
            })
            .collect(),
        source: lang.pick(
            &format!("規則集 {}。", view.rule_set),
            &format!("Rule set {}.", view.rule_set),
        ),
        show_last: None,
    };
    Section {
        id: "warnings",
        title: section_title(lang, "warnings"),
        paragraphs,
        figures,
        tables: vec![
            alert_table(
                lang,
                data,
                "Open warnings",
                lang.pick(
                    "生效中的預警（按嚴重程度）",
                    "Open warnings, most severe first",
                ),
                &view.open,
            ),
            rules_table,
        ],
    }
}

fn industry_name(lang: Lang, industry: &IndustryCode) -> String {
    lang.pick(
        &format!("{} {}", industry, industry.name_zh()),
        &format!("{} {}", industry, industry.name_en()),
    )
}

fn watchlist(data: &ReportData, lang: Lang) -> Section {
    let view = &data.watchlist;
    let since = text::date(lang, data.since);
    let mut paragraphs = Vec::new();
    let names = |codes: &[IndustryCode]| -> Vec<String> {
        codes
            .iter()
            .map(|c| lang.pick(&c.name_zh(), &c.name_en()))
            .collect()
    };
    if view.now.is_empty() {
        paragraphs.push(lang.pick("名單上沒有行業。", "No industry is on the list."));
    } else {
        let top: Vec<String> = view
            .now
            .iter()
            .take(3)
            .map(|e| lang.pick(&e.industry.name_zh(), &e.industry.name_en()))
            .collect();
        paragraphs.push(lang.pick(
            &format!("重點監測行業預警名單上有{}個行業，風險分數最高的是{}（分數按各行業生效預警的級別加權：藍1、黃2、橙3、紅4）。", view.now.len(), text::list(lang, &top)),
            &format!("{} on the watch-list; the highest risk scores are in {} (each open alert of an industry counts by level: blue 1, yellow 2, orange 3, red 4).", text::count(lang, view.now.len(), "", "industry is", "industries are"), text::list(lang, &top)),
        ));
    }
    let entered = names(&view.entered);
    let left = names(&view.left);
    paragraphs.push(lang.pick(
        &format!(
            "與上一份報告（截至{since}，當時{}個行業）比較：新列入{}；移出{}。",
            view.then.len(),
            if entered.is_empty() {
                "無".to_owned()
            } else {
                text::list(lang, &entered)
            },
            if left.is_empty() {
                "無".to_owned()
            } else {
                text::list(lang, &left)
            }
        ),
        &format!(
            "Against the last report (as of {since}, {} then): entered {}; left {}.",
            text::count(Lang::En, view.then.len(), "", "industry", "industries"),
            if entered.is_empty() {
                "none".to_owned()
            } else {
                text::list(lang, &entered)
            },
            if left.is_empty() {
                "none".to_owned()
            } else {
                text::list(lang, &left)
            }
        ),
    ));
    let mut figures = Vec::new();
    if !view.now.is_empty() {
        let chart = BarChart {
            width: CHART_WIDTH,
            label: lang.pick(
                "重點監測行業的風險分數",
                "Risk scores of the industries on the watch-list",
            ),
            unit: lang.pick("風險分數", "risk score"),
            bars: view
                .now
                .iter()
                .map(|e| Bar {
                    label: industry_name(lang, &e.industry),
                    value: f64::from(e.score),
                    color: e.reasons.first().map_or(palette::BLUE, |r| match r.level {
                        AlertLevel::Blue => "#60a5fa",
                        AlertLevel::Yellow => "#eab308",
                        AlertLevel::Orange => "#f97316",
                        AlertLevel::Red => "#dc2626",
                    }),
                })
                .collect(),
            decimals: 0,
        };
        figures.push(Figure {
            svg: chart.to_svg(),
            caption: lang.pick(
                "圖4.1　重點監測行業預警名單",
                "Chart 4.1  The industry watch-list",
            ),
            note: lang.pick(
                "顏色為該行業最嚴重預警的級別。",
                "Colour: the level of the industry's most severe alert.",
            ),
        });
    }
    let table = Table {
        sheet: "Watch-list",
        title: lang.pick("重點監測行業預警名單", "Industry watch-list"),
        columns: [
            ("排名", "Rank"),
            ("行業", "Industry"),
            ("風險分數", "Risk score"),
            ("上一份報告", "At the last report"),
            ("原因", "Reasons"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: view
            .now
            .iter()
            .map(|e| {
                let then = view.then.iter().find(|t| t.industry == e.industry);
                let reasons: Vec<String> = e
                    .reasons
                    .iter()
                    .map(|r| {
                        format!(
                            "{} {} {} ({})",
                            text::level(lang, r.level),
                            r.rule_id,
                            text::number(r.measure, 2),
                            text::period(lang, r.period)
                        )
                    })
                    .collect();
                vec![
                    Cell::number(e.rank as f64, 0),
                    Cell::text(industry_name(lang, &e.industry)),
                    Cell::number(f64::from(e.score), 0),
                    then.map_or_else(
                        || Cell::text(lang.pick("新列入", "new")),
                        |t| {
                            Cell::text(
                                lang.pick(&format!("第{}位", t.rank), &format!("rank {}", t.rank)),
                            )
                        },
                    ),
                    Cell::text(reasons.join("; ")),
                ]
            })
            .collect(),
        source: lang.pick(
            &format!("由規則集 {} 的生效預警計算。", data.warnings.rule_set),
            &format!(
                "From the open alerts of rule set {}.",
                data.warnings.rule_set
            ),
        ),
        show_last: None,
    };
    Section {
        id: "watchlist",
        title: section_title(lang, "watchlist"),
        paragraphs,
        figures,
        tables: vec![table],
    }
}

fn structural(data: &ReportData, lang: Lang, sources: &mut Sources) -> Section {
    let view = &data.structural;
    let mut paragraphs = Vec::new();
    let mut figures = Vec::new();
    let mut tables = Vec::new();
    if let (Some(latest), Some(u), Some(v)) = (
        view.beveridge.last(),
        &view.unemployment,
        &view.vacancy_rate,
    ) {
        sources.cite(u, view.unemployment_vintage);
        sources.cite(v, view.vacancy_vintage);
        let year_ago = view
            .beveridge
            .iter()
            .find(|p| p.period.end_month_index() == latest.period.end_month_index() - 12);
        let period = text::period(lang, latest.period);
        let mut sentence = lang.pick(
            &format!("貝弗里奇曲線（職位空缺率對失業率）的最新一點為{period}：失業率{}%，職位空缺率{}%。", text::number(latest.unemployment_rate, 1), text::number(latest.vacancy_rate, 1)),
            &format!("The latest point of the Beveridge curve (vacancy rate against unemployment rate) is {period}: unemployment {}%, vacancy rate {}%.", text::number(latest.unemployment_rate, 1), text::number(latest.vacancy_rate, 1)),
        );
        if let Some(year_ago) = year_ago {
            sentence.push_str(&lang.pick(
                &format!(
                    "一年前分別為{}%及{}%。",
                    text::number(year_ago.unemployment_rate, 1),
                    text::number(year_ago.vacancy_rate, 1)
                ),
                &format!(
                    " A year earlier they were {}% and {}%.",
                    text::number(year_ago.unemployment_rate, 1),
                    text::number(year_ago.vacancy_rate, 1)
                ),
            ));
            let u_up = latest.unemployment_rate > year_ago.unemployment_rate;
            let v_up = latest.vacancy_rate > year_ago.vacancy_rate;
            sentence.push_str(&match (u_up, v_up) {
                (true, false) => lang.pick("失業率上升而空缺率下降，即沿曲線向右下移動（需求轉弱）。", " Unemployment rose while the vacancy rate fell: a move down along the curve (weaker demand)."),
                (true, true) => lang.pick("失業率與空缺率同時上升，即曲線向外移動，或反映配對效率下降（結構性失業）。", " Unemployment and the vacancy rate both rose: an outward shift, which can mean poorer matching (structural unemployment)."),
                (false, true) => lang.pick("失業率下降而空缺率上升，即沿曲線向左上移動（需求轉強）。", " Unemployment fell while the vacancy rate rose: a move up along the curve (stronger demand)."),
                (false, false) => lang.pick("失業率與空缺率同時下降或不變。", " Unemployment and the vacancy rate both fell or held."),
            });
        }
        paragraphs.push(sentence);
        let count = view.beveridge.len();
        let chart = PathChart {
            width: CHART_WIDTH,
            height: 300.0,
            label: lang.pick("貝弗里奇曲線", "Beveridge curve"),
            x_label: lang.pick(
                "經季節性調整的失業率（%）",
                "Seasonally adjusted unemployment rate (%)",
            ),
            y_label: lang.pick("職位空缺率（%）", "Vacancy rate (%)"),
            points: view
                .beveridge
                .iter()
                .enumerate()
                .map(|(index, p)| PathPoint {
                    x: p.unemployment_rate,
                    y: p.vacancy_rate,
                    label: (index == 0 || index + 1 == count).then(|| text::period(lang, p.period)),
                })
                .collect(),
            color: palette::INK,
        };
        figures.push(Figure {
            svg: chart.to_svg(),
            caption: lang.pick("圖5.1　貝弗里奇曲線：職位空缺率對失業率（按季）", "Chart 5.1  Beveridge curve: vacancy rate against unemployment rate (quarterly)"),
            note: lang.pick(
                &format!("線由舊至新漸深，橙點為最新一季。資料：{}；{}。", cite(lang, u, view.unemployment_vintage), cite(lang, v, view.vacancy_vintage)),
                &format!("The path darkens from old to new; the orange dot is the latest quarter. Sources: {}; {}.", cite(lang, u, view.unemployment_vintage), cite(lang, v, view.vacancy_vintage)),
            ),
        });
        tables.push(Table {
            sheet: "Beveridge curve",
            title: lang.pick("貝弗里奇曲線數據", "Beveridge curve data"),
            columns: [
                ("期間", "Period"),
                ("代碼", "Code"),
                ("失業率（%）", "Unemployment rate (%)"),
                ("職位空缺率（%）", "Vacancy rate (%)"),
            ]
            .iter()
            .map(|(zh, en)| lang.pick(zh, en))
            .collect(),
            rows: view
                .beveridge
                .iter()
                .map(|p| {
                    vec![
                        Cell::text(text::period(lang, p.period)),
                        Cell::text(p.period.to_string()),
                        Cell::number(p.unemployment_rate, 1),
                        Cell::number(p.vacancy_rate, 1),
                    ]
                })
                .collect(),
            source: format!(
                "{}; {}; lmo beveridge/1",
                cite(lang, u, view.unemployment_vintage),
                cite(lang, v, view.vacancy_vintage)
            ),
            show_last: Some(8),
        });
    } else {
        paragraphs.push(lang.pick(
            "本庫沒有繪畫貝弗里奇曲線所需的失業率及職位空缺率數據。",
            "The store lacks the unemployment and vacancy rates the Beveridge curve needs.",
        ));
    }
    match &view.mismatch {
        Some((provenance, values)) => {
            if let Some(latest) = values.last() {
                sources.cite(provenance, Some(latest.vintage));
                paragraphs.push(lang.pick(
                    &format!("結構性失業指數（錯配指數，0 即失業者與空缺所在完全配合）{}為{}（{}）。", text::period(lang, latest.period), text::number(latest.value, 3), cite(lang, provenance, Some(latest.vintage))),
                    &format!("The structural unemployment (mismatch) index, 0 when the unemployed are where the vacancies are, was {} in {} ({}).", text::number(latest.value, 3), text::period(lang, latest.period), cite(lang, provenance, Some(latest.vintage))),
                ));
            }
        }
        None => paragraphs.push(lang.pick(
            "結構性失業指數（錯配指數）需要按上一份工作行業劃分的失業人數（統計處表210-06405），本庫未有該數據，故本期不列。",
            "The structural unemployment (mismatch) index needs unemployed persons by previous industry (C&SD table 210-06405), which the store does not hold, so it is not shown.",
        )),
    }
    Section {
        id: "structural",
        title: section_title(lang, "structural"),
        paragraphs,
        figures,
        tables,
    }
}

fn wages(data: &ReportData, lang: Lang, sources: &mut Sources) -> Section {
    let view = &data.wages;
    let mut paragraphs = Vec::new();
    let mut figures = Vec::new();
    let mut tables = Vec::new();
    if let (Some(payroll), Some(gdp), Some(latest)) =
        (&view.payroll, &view.gdp, view.payroll_growth.last())
    {
        sources.cite(payroll, Some(latest.vintage));
        sources.cite(gdp, view.gdp_growth.last().map(|v| v.vintage));
        let same_quarter = view
            .gdp_growth
            .iter()
            .find(|g| g.period.end_month_index() == latest.period.end_month_index());
        let period = text::period(lang, latest.period);
        let mut sentence = lang.pick(
            &format!(
                "{period}每名就業人士實質薪金按年{}",
                text::change(lang, 100.0, 100.0 + latest.value, 1, "index")
            ),
            &format!(
                "In {period} real payroll per person engaged was {} on a year earlier",
                text::change(lang, 100.0, 100.0 + latest.value, 1, "index")
            ),
        );
        if let Some(gdp_now) = same_quarter {
            let gap = latest.value - gdp_now.value;
            sentence.push_str(&lang.pick(
                &format!("，同期實質本地生產總值按年變動{}%，薪金增長{}經濟增長{}個百分點。", text::signed(gdp_now.value, 1), if gap < 0.0 { "落後於" } else { "高於" }, text::number(gap.abs(), 1)),
                &format!(", while real GDP changed {}% over the year: wages grew {} percentage points {} than the economy.", text::signed(gdp_now.value, 1), text::number(gap.abs(), 1), if gap < 0.0 { "less" } else { "more" }),
            ));
        } else {
            sentence.push_str(&lang.pick("。", "."));
        }
        let behind = view
            .payroll_growth
            .iter()
            .filter(|p| {
                view.gdp_growth.iter().any(|g| {
                    g.period.end_month_index() == p.period.end_month_index() && p.value < g.value
                })
            })
            .count();
        let compared = view
            .payroll_growth
            .iter()
            .filter(|p| {
                view.gdp_growth
                    .iter()
                    .any(|g| g.period.end_month_index() == p.period.end_month_index())
            })
            .count();
        sentence.push_str(&lang.pick(
            &format!("在有數據的{compared}季中，薪金增長有{behind}季落後於經濟增長。"),
            &format!(" In {behind} of the {compared} quarters with both figures, wages grew less than the economy."),
        ));
        if let Some(latest_gdp) = view.gdp_growth.last()
            && latest_gdp.period.end_month_index() > latest.period.end_month_index()
        {
            sentence.push_str(&lang.pick(
                &format!("最新的實質本地生產總值數字為{}按年變動{}%，薪金數字尚未發布。", text::period(lang, latest_gdp.period), text::signed(latest_gdp.value, 1)),
                &format!(" Real GDP is already out for {} ({}% on the year); payroll for that quarter is not yet published.", text::period(lang, latest_gdp.period), text::signed(latest_gdp.value, 1)),
            ));
        }
        paragraphs.push(sentence);
        let chart = TimeChart {
            width: CHART_WIDTH,
            height: 240.0,
            label: lang.pick("實質薪金與實質經濟增長", "Real pay against real growth"),
            unit: lang.pick("按年變動（%）", "change on a year earlier (%)"),
            lines: vec![
                Line {
                    name: lang.pick(
                        "每名就業人士實質薪金指數",
                        "Real payroll per person engaged",
                    ),
                    points: points(&view.payroll_growth),
                    color: palette::SECOND,
                    dashed: false,
                },
                Line {
                    name: lang.pick("實質本地生產總值", "Real GDP"),
                    points: points(&view.gdp_growth),
                    color: palette::INK,
                    dashed: true,
                },
            ],
            spans: spans(&data.downturns),
            spans_label: Some(spans_label(lang)),
            bands: Vec::new(),
            from_zero: true,
        };
        figures.push(Figure {
            svg: chart.to_svg(),
            caption: lang.pick(
                "圖6.1　每名就業人士實質薪金與實質本地生產總值的按年變動",
                "Chart 6.1  Real payroll per person engaged and real GDP, change on a year earlier",
            ),
            note: lang.pick(
                &format!(
                    "資料：{}；{}。",
                    cite(lang, payroll, Some(latest.vintage)),
                    cite(lang, gdp, view.gdp_growth.last().map(|v| v.vintage))
                ),
                &format!(
                    "Sources: {}; {}.",
                    cite(lang, payroll, Some(latest.vintage)),
                    cite(lang, gdp, view.gdp_growth.last().map(|v| v.vintage))
                ),
            ),
        });
        tables.push(Table {
            sheet: "Wages and growth",
            title: lang.pick(
                "實質薪金與實質經濟增長（按年變動）",
                "Real pay and real growth (change on a year earlier)",
            ),
            columns: [
                ("期間", "Period"),
                ("代碼", "Code"),
                ("實質薪金（%）", "Real payroll per person (%)"),
                ("實質本地生產總值（%）", "Real GDP (%)"),
                ("差距（百分點）", "Gap (percentage points)"),
            ]
            .iter()
            .map(|(zh, en)| lang.pick(zh, en))
            .collect(),
            rows: view
                .gdp_growth
                .iter()
                .map(|g| {
                    let pay = view
                        .payroll_growth
                        .iter()
                        .find(|p| p.period.end_month_index() == g.period.end_month_index())
                        .map(|p| p.value);
                    vec![
                        Cell::text(text::period(lang, g.period)),
                        Cell::text(g.period.to_string()),
                        Cell::optional(pay, 1),
                        Cell::number(g.value, 1),
                        Cell::optional(pay.map(|p| p - g.value), 1),
                    ]
                })
                .collect(),
            source: format!(
                "{}; {}",
                cite(lang, payroll, Some(latest.vintage)),
                cite(lang, gdp, view.gdp_growth.last().map(|v| v.vintage))
            ),
            show_last: None,
        });
    } else {
        paragraphs.push(lang.pick(
            "本庫沒有實質薪金指數或實質本地生產總值數據。",
            "The store lacks the real payroll index or real GDP.",
        ));
    }
    Section {
        id: "wages",
        title: section_title(lang, "wages"),
        paragraphs,
        figures,
        tables,
    }
}

fn group_label(lang: Lang, group: &ArrearsGroup) -> String {
    match group {
        ArrearsGroup::Level(level) => text::arrears_level(lang, *level),
        ArrearsGroup::Industry(section) => lang.pick(
            &format!("{} {}", section.letter(), section.name_zh()),
            &format!("{} {}", section.letter(), section.name_en()),
        ),
        ArrearsGroup::Other => lang.pick(
            "其他（少於3名僱主的組別合併）",
            "Other (groups of fewer than 3 employers, pooled)",
        ),
    }
}

fn arrears_table(
    lang: Lang,
    sheet: &'static str,
    title: String,
    first: (&str, &str),
    rows: &[(ArrearsGroup, ArrearsTotals)],
    total: &ArrearsTotals,
    source: String,
) -> Table {
    let row = |label: String, t: &ArrearsTotals| {
        vec![
            Cell::text(label),
            Cell::number(t.employers as f64, 0),
            Cell::number(t.workers_affected as f64, 0),
            Cell::number(t.arrears_cents as f64 / 100.0, 2),
            Cell::number(t.surcharge_cents as f64 / 100.0, 2),
        ]
    };
    let mut table_rows: Vec<Vec<Cell>> = rows
        .iter()
        .map(|(g, t)| row(group_label(lang, g), t))
        .collect();
    table_rows.push(row(lang.pick("總計", "Total"), total));
    Table {
        sheet,
        title,
        columns: [
            first,
            ("僱主數目", "Employers"),
            ("受影響僱員", "Workers affected"),
            ("欠款（港元）", "Arrears (HK$)"),
            ("附加費（港元）", "Surcharge (HK$)"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: table_rows,
        source,
        show_last: None,
    }
}

fn arrears_section(data: &ReportData, lang: Lang, label: ArrearsLabel) -> Section {
    let Some(summary) = &data.arrears else {
        return Section::unavailable(
            "arrears",
            section_title(lang, "arrears"),
            lang.pick(
                "本庫在報告日期前十二個月內沒有已儲存的欠薪及強積金供款拖欠偵測結果（lmo arrears --save）。",
                "The store holds no saved wage and MPF arrears run from the twelve months before the report's date (lmo arrears --save).",
            ),
        );
    };
    let mut paragraphs = Vec::new();
    if label.generated {
        paragraphs.push(lang.pick(
            "模擬數據：本節數字來自 lmo 產生的模擬僱主及僱員檔案，並非真實僱主或僱員，只作示範。",
            "GENERATED DATA: the figures in this section come from files lmo generated, not from real employers or workers; they only show how the section reads.",
        ));
    }
    let period = text::period(lang, summary.period);
    let total = &summary.total;
    let levels: Vec<String> = summary
        .by_level
        .iter()
        .map(|(g, t)| {
            lang.pick(
                &format!("{}{}名", group_label(lang, g), t.employers),
                &format!("{} {}", t.employers, group_label(lang, g)),
            )
        })
        .collect();
    paragraphs.push(lang.pick(
        &format!(
            "{period}的偵測結果（按{}所知的檔案判斷）列出{}名拖欠工資或強積金供款的僱主（{}），涉及{}名僱員，欠款合共{}，強積金附加費{}。",
            text::date(lang, summary.detected_as_of),
            total.employers,
            text::list(lang, &levels),
            text::number(total.workers_affected as f64, 0),
            text::money(total.arrears_cents),
            text::money(total.surcharge_cents)
        ),
        &format!(
            "The run for {period} (files as known on {}) listed {} employers in wage or MPF arrears ({}), affecting {} workers, with {} in arrears and {} in MPF surcharges.",
            text::date(lang, summary.detected_as_of),
            total.employers,
            text::list(lang, &levels),
            text::number(total.workers_affected as f64, 0),
            text::money(total.arrears_cents),
            text::money(total.surcharge_cents)
        ),
    ));
    let since = text::date(lang, data.since);
    paragraphs.push(match &summary.last_report {
        Some((then_period, then)) if *then_period != summary.period => lang.pick(
            &format!(
                "上一份報告（截至{since}）所載為{}的{}名僱主，欠款{}。",
                text::period(lang, *then_period),
                then.employers,
                text::money(then.arrears_cents)
            ),
            &format!(
                "The last report (as of {since}) covered {}: {} employers, {} in arrears.",
                text::period(lang, *then_period),
                then.employers,
                text::money(then.arrears_cents)
            ),
        ),
        Some(_) => lang.pick(
            &format!("上一份報告（截至{since}）涵蓋同一個月。"),
            &format!("The last report (as of {since}) covered the same month."),
        ),
        None => lang.pick(
            &format!("上一份報告（截至{since}）沒有偵測結果。"),
            &format!("The last report (as of {since}) had no arrears run."),
        ),
    });
    paragraphs.push(lang.pick(
        "本節只列匯總數字：不列僱主名稱或編號，少於3名僱主的組別合併為「其他」。",
        "This section shows aggregates only: no employer names or ids, and groups of fewer than 3 employers are pooled into \"Other\".",
    ));
    let source = lang.pick(
        &format!("lmo arrears 已儲存的{period}結果（依香港法例判斷：僱傭條例第23條、強制性公積金計劃條例），按級別及行業匯總。"),
        &format!("Saved lmo arrears results for {period} (judged by Hong Kong law: Employment Ordinance s.23, MPF Schemes Ordinance), in aggregate."),
    );
    let chart = BarChart {
        width: CHART_WIDTH,
        label: lang.pick("按行業劃分的欠款", "Arrears by industry"),
        unit: lang.pick("欠款（千港元）", "arrears (HK$ thousand)"),
        bars: summary
            .by_industry
            .iter()
            .map(|(g, t)| Bar {
                label: group_label(lang, g),
                value: t.arrears_cents as f64 / 100_000.0,
                color: palette::DOWN,
            })
            .collect(),
        decimals: 1,
    };
    Section {
        id: "arrears",
        title: section_title(lang, "arrears"),
        paragraphs,
        figures: vec![Figure {
            svg: chart.to_svg(),
            caption: lang.pick(
                &format!("圖7.1　{period}按行業劃分的欠款"),
                &format!("Chart 7.1  Arrears by industry, {period}"),
            ),
            note: lang.pick(
                "少於3名僱主的行業合併為「其他」。",
                "Industries with fewer than 3 employers are pooled into \"Other\".",
            ),
        }],
        tables: vec![
            arrears_table(
                lang,
                "Arrears by level",
                lang.pick("按級別劃分", "By level"),
                ("級別", "Level"),
                &summary.by_level,
                total,
                source.clone(),
            ),
            arrears_table(
                lang,
                "Arrears by industry",
                lang.pick("按行業劃分", "By industry"),
                ("行業", "Industry"),
                &summary.by_industry,
                total,
                source,
            ),
        ],
    }
}

fn changes(data: &ReportData, lang: Lang) -> Section {
    let since = text::date(lang, data.since);
    let mut paragraphs = vec![if data.revisions.is_empty() {
        lang.pick(
            &format!("上一份報告（截至{since}）所載的數字，至今均未有修訂。"),
            &format!("None of the figures the last report (as of {since}) printed has been revised since."),
        )
    } else {
        lang.pick(
            &format!("上一份報告（截至{since}）所載的數字中，有{}項其後已修訂，見下表（首次發布、上一份報告所載、最新數字及差額）。", data.revisions.len()),
            &format!("{} printed in the last report (as of {since}) have since been revised; the table shows the first release, what the last report printed, the latest figure and the difference.", text::count(Lang::En, data.revisions.len(), "", "figure", "figures")),
        )
    }];
    let warnings = &data.warnings;
    paragraphs.push(lang.pick(
        &format!(
            "預警系統：上一份報告時有{}項預警生效（{}），現時有{}項（{}）。",
            warnings.open_then.len(),
            level_counts(lang, &warnings.open_then),
            warnings.open.len(),
            level_counts(lang, &warnings.open)
        ),
        &format!(
            "The warning system: {} open at the last report ({}); {} now ({}).",
            text::count(
                Lang::En,
                warnings.open_then.len(),
                "",
                "warning was",
                "warnings were"
            ),
            level_counts(lang, &warnings.open_then),
            warnings.open.len(),
            level_counts(lang, &warnings.open)
        ),
    ));
    let revisions = Table {
        sheet: "Revisions",
        title: lang.pick("已修訂的數字", "Revised figures"),
        columns: [
            ("數列", "Series"),
            ("期間", "Period"),
            ("首次發布", "First release"),
            ("首次發布日期", "First released on"),
            ("上一份報告所載", "In the last report"),
            ("最新", "Latest"),
            ("最新發布日期", "Latest released on"),
            ("差額（最新減上一份報告）", "Difference (latest minus last report)"),
            ("資料來源", "Source"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: data
            .revisions
            .iter()
            .map(|r| {
                vec![
                    Cell::text(series_name(lang, &r.provenance)),
                    Cell::text(text::period(lang, r.period)),
                    Cell::optional(r.first_release.map(|v| v.value), r.decimals),
                    r.first_release.map_or(Cell::Empty, |v| Cell::text(v.vintage.to_string())),
                    Cell::number(r.last_report.value, r.decimals),
                    Cell::number(r.latest.value, r.decimals),
                    Cell::text(r.latest.vintage.to_string()),
                    Cell::number(r.latest.value - r.last_report.value, r.decimals),
                    Cell::text(cite(lang, &r.provenance, None)),
                ]
            })
            .collect(),
        source: lang.pick(
            "本庫保存每個數字的每個版本；首次發布為最早的版本。lmo 即時計算的數字（如就業景氣指數）沒有首次發布。",
            "The store keeps every vintage of every figure; the first release is the earliest. Figures lmo derives on the fly (such as the climate index) have no first release.",
        ),
        show_last: None,
    };
    let mut then_now_rows = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for alert in warnings.open_then.iter().chain(&warnings.open) {
        if seen.contains(&alert.id.as_str()) {
            continue;
        }
        seen.push(&alert.id);
        let then = warnings.open_then.iter().find(|a| a.id == alert.id);
        let now = warnings.open.iter().find(|a| a.id == alert.id);
        let closed = warnings.closed_since.iter().find(|a| a.id == alert.id);
        then_now_rows.push(vec![
            Cell::text(rule_title(lang, data, &alert.rule_id)),
            Cell::text(subject_label(lang, alert)),
            then.map_or_else(
                || Cell::text(lang.pick("未生效", "not open")),
                |a| Cell::text(text::level(lang, a.level)),
            ),
            match (now, closed.and_then(|c| c.closed)) {
                (Some(a), _) => Cell::text(text::level(lang, a.level)),
                (None, Some(period)) => Cell::text(lang.pick(
                    &format!("已於{}解除", text::period(lang, period)),
                    &format!("closed in {}", text::period(lang, period)),
                )),
                (None, None) => Cell::text(lang.pick("已不再生效", "no longer open")),
            },
        ]);
    }
    let then_now = Table {
        sheet: "Warnings then and now",
        title: lang.pick(
            "預警：上一份報告與現時",
            "Warnings: the last report and now",
        ),
        columns: [
            ("預警", "Warning"),
            ("對象", "Subject"),
            ("上一份報告", "Last report"),
            ("現時", "Now"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: then_now_rows,
        source: lang.pick(
            &format!(
                "兩次均按當時所知的數據評估（截至{since}及截至{}）。",
                text::date(lang, data.as_of)
            ),
            &format!(
                "Each evaluated on the data known then ({since} and {}).",
                text::date(lang, data.as_of)
            ),
        ),
        show_last: None,
    };
    Section {
        id: "changes",
        title: section_title(lang, "changes"),
        paragraphs,
        figures: Vec::new(),
        tables: vec![revisions, then_now],
    }
}

fn talent_section(data: &ReportData, lang: Lang) -> Section {
    let title = section_title(lang, "talent");
    match &data.talent {
        Some(run) => crate::talent::talent_section(run, lang, "talent", title),
        None => Section::unavailable(
            "talent",
            title,
            lang.pick(
                "數據庫沒有按行業劃分的職位空缺調查（統計處表215-16001），亦沒有按職業劃分的數列，故未有人才需求的評估。",
                "The store holds neither the vacancy survey by industry (C&SD table 215-16001) nor series by occupation, so there is no assessment of talent demand.",
            ),
        ),
    }
}

fn ai_section(data: &ReportData, lang: Lang) -> Section {
    let title = section_title(lang, "ai");
    match &data.talent {
        Some(run) => crate::talent::exposure_section(
            &run.exposure_major,
            &run.exposure_units,
            lang,
            "ai",
            title,
        ),
        None => Section::unavailable(
            "ai",
            title,
            lang.pick(
                "未有計算（見上一節）。",
                "Not computed (see the previous section).",
            ),
        ),
    }
}

fn sources_section(data: &ReportData, lang: Lang, sources: &Sources) -> Section {
    let table = Table {
        sheet: "Sources",
        title: lang.pick("資料來源", "Sources"),
        columns: [
            ("數列", "Series id"),
            ("名稱", "Title"),
            ("表", "Table"),
            ("來源", "Source"),
            ("所用最新發布日期", "Latest release used"),
            ("lmo 方法", "lmo method"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: sources
            .cited
            .iter()
            .map(|(p, vintage)| {
                vec![
                    Cell::text(p.series.to_string()),
                    Cell::text(series_name(lang, p)),
                    p.table
                        .as_ref()
                        .map_or(Cell::Empty, |t| Cell::text(t.clone())),
                    Cell::text(p.source.clone()),
                    vintage.map_or(Cell::Empty, |d| Cell::text(d.to_string())),
                    p.method.map_or(Cell::Empty, Cell::text),
                ]
            })
            .collect(),
        source: lang.pick(
            "數據來源及出處見 data/SOURCES.md。",
            "Provenance of the bundled data: data/SOURCES.md.",
        ),
        show_last: None,
    };
    Section {
        id: "sources",
        title: section_title(lang, "sources"),
        paragraphs: vec![lang.pick(
            &format!("本報告所有數字均取自 lmo 數據庫，按截至{}所知的版本；lmo 計算的數字註明方法編號（如 eti/1），可按同一日期重現。", text::date(lang, data.as_of)),
            &format!("Every figure in this report comes from the lmo store as known on {}; figures lmo derives name their method id (such as eti/1) and can be reproduced for the same date.", text::date(lang, data.as_of)),
        )],
        figures: Vec::new(),
        tables: vec![table],
    }
}
