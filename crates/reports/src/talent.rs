//! The report's talent section (人才需求: demand map, shortage ratings, gap forecast, Talent
//! List) and AI-exposure section, and the talent-needs catalogue (本地化產業人才需求目錄) as a
//! document of its own. Every sentence is built from the numbers it states.

use charts::{Bar, BarChart, Line, TimeChart, palette};
use domain::{IndustryCode, IscoCode};
use engine::talent::{
    Confidence, Driver, ExposureView, GapForecast, LevelBasis, ManpowerLevel, Rating, Signal,
    TalentRun,
};

use crate::text::{self, Lang};
use crate::view::{Cell, Figure, Part, Section, Table};
use crate::{Languages, Report};

const CHART_WIDTH: f64 = 660.0;

pub(crate) fn rating(lang: Lang, rating: Rating) -> String {
    match rating {
        Rating::Shortage => lang.pick("短缺", "shortage"),
        Rating::Balanced => lang.pick("平衡", "balanced"),
        Rating::Surplus => lang.pick("過剩", "surplus"),
    }
}

pub(crate) fn driver(lang: Lang, driver: Option<Driver>) -> String {
    match driver {
        Some(Driver::TrainingGap) => lang.pick("培訓缺口", "training gap"),
        Some(Driver::SuitabilityGap) => lang.pick("配對缺口", "suitability gap"),
        Some(Driver::RetentionGap) => lang.pick(
            "留任缺口（薪酬及待遇）",
            "retention gap (pay and conditions)",
        ),
        None => String::new(),
    }
}

fn confidence(lang: Lang, confidence: Confidence) -> String {
    match confidence {
        Confidence::High => lang.pick("高", "high"),
        Confidence::Medium => lang.pick("中", "medium"),
        Confidence::Low => lang.pick("低", "low"),
    }
}

fn industry(lang: Lang, code: &str) -> String {
    IndustryCode::parse(code).map_or_else(
        |_| code.to_owned(),
        |industry| lang.pick(&industry.name_zh(), &industry.name_en()),
    )
}

fn level(lang: Lang, levels: &[ManpowerLevel], id: Option<&str>) -> String {
    id.and_then(|id| levels.iter().find(|level| level.id == id))
        .map_or_else(String::new, |level| {
            lang.pick(&level.name_zh, &level.name_en)
        })
}

fn isco_name(lang: Lang, code: IscoCode) -> String {
    match (lang, code.name_zh()) {
        (Lang::En, _) | (_, None) => code.title_en().to_owned(),
        (Lang::ZhHant, Some(zh)) => zh.to_owned(),
        (Lang::Both, Some(zh)) => format!("{zh} {}", code.title_en()),
    }
}

/// The evidence of a driver in words, from the signals it rests on.
fn evidence(lang: Lang, rated: &engine::talent::GroupRating) -> String {
    let reading = |signal| {
        rated
            .rating
            .signals
            .iter()
            .find(|reading| reading.signal == signal)
    };
    let describe = |signal: Signal, zh: &str, en: &str| {
        reading(signal).map(|reading| {
            lang.pick(
                &format!(
                    "{zh}{}%，對照{}%（{}個標準差）",
                    text::number(reading.value, 1),
                    text::number(reading.reference, 1),
                    text::signed(signal_sign(signal) * reading.z, 2)
                ),
                &format!(
                    "{en} {}% against {}% ({} sd)",
                    text::number(reading.value, 1),
                    text::number(reading.reference, 1),
                    text::signed(signal_sign(signal) * reading.z, 2)
                ),
            )
        })
    };
    let pay = describe(Signal::PayrollGrowth, "薪金按年增長", "payroll growth");
    let unemployment = describe(Signal::UnemploymentRate, "失業率", "unemployment rate");
    let parts: Vec<String> = match rated.rating.driver {
        Some(Driver::RetentionGap) => pay.into_iter().collect(),
        Some(Driver::SuitabilityGap) => unemployment.into_iter().collect(),
        _ => unemployment.into_iter().chain(pay).collect(),
    };
    text::list(lang, &parts)
}

/// Unemployment enters the composite with its sign flipped; evidence shows the plain z.
fn signal_sign(signal: Signal) -> f64 {
    if signal == Signal::UnemploymentRate {
        -1.0
    } else {
        1.0
    }
}

/// An industry as tables and charts name it: its code, then its name.
fn industry_label(lang: Lang, code: &str) -> String {
    format!("{code} {}", industry(lang, code))
}

fn demand_table(lang: Lang, run: &TalentRun) -> Table {
    let period = run
        .demand_map
        .first()
        .and_then(|row| row.period)
        .map(|period| text::period(lang, period))
        .unwrap_or_default();
    Table {
        sheet: "TalentMap",
        title: lang.pick(
            &format!("表：行業人才需求地圖（{period}）"),
            &format!("Table: industry talent-demand map ({period})"),
        ),
        columns: [
            ("行業", "Industry"),
            ("就業人數", "Persons engaged"),
            ("職位空缺", "Vacancies"),
            ("空缺率 (%)", "Vacancy rate (%)"),
            ("按年變動（百分點）", "Change (pp)"),
            ("就業人數變動 (%)", "Engaged, change (%)"),
            ("薪金變動 (%)", "Pay, change (%)"),
            ("綜合分數", "Composite"),
            ("評級", "Rating"),
            ("成因", "Driver"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: run
            .demand_map
            .iter()
            .map(|row| {
                vec![
                    Cell::text(industry_label(lang, &row.industry.to_string())),
                    Cell::optional(row.persons_engaged, 0),
                    Cell::optional(row.vacancies, 0),
                    Cell::optional(row.vacancy_rate, 1),
                    Cell::optional(row.vacancy_rate_change, 1),
                    Cell::optional(row.persons_engaged_growth, 1),
                    Cell::optional(row.payroll_growth, 1),
                    Cell::optional(row.composite, 2),
                    row.rating
                        .map_or(Cell::Empty, |rated| Cell::text(rating(lang, rated))),
                    Cell::text(driver(lang, row.driver)),
                ]
            })
            .collect(),
        source: lang.pick(
            &format!("資料：統計處表215-16001（職位空缺及就業人數，私營機構）及表220-19023（名義薪金指數）；變動為與一年前比較；lmo 方法 {}。", run.ratings.method),
            &format!("Source: C&SD tables 215-16001 (vacancies and persons engaged, private sector) and 220-19023 (nominal payroll index); changes on a year earlier; lmo method {}.", run.ratings.method),
        ),
        show_last: None,
    }
}

fn gap_paragraphs(lang: Lang, gap: &GapForecast) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let last = gap.gap.history.last();
    let total = gap.anchor.first();
    if let (Some(&(last_year, last_value)), Some(total), Some(forecast)) =
        (last, total, total.and_then(|row| row.forecast))
    {
        let share = 100.0 * forecast.mean / total.published_high;
        paragraphs.push(lang.pick(
            &format!(
                "人才缺口以職位空缺調查中未填補的職位計算：{last_year}年平均為{}個。按阻尼趨勢模型（lmo 方法 {}，{}）推算，{}年約為{}個（80%預測區間{}至{}）。《2023年人力推算報告》公布{}年人手短缺約{}人；lmo 的數字約為其{}%。",
                text::number(last_value, 0),
                gap.method,
                gap.model,
                gap.anchor_year,
                text::number(forecast.mean, 0),
                text::number(forecast.lower80, 0),
                text::number(forecast.upper80, 0),
                gap.anchor_year,
                text::number(total.published_high, 0),
                text::number(share, 0),
            ),
            &format!(
                "The talent gap here is the posts left unfilled in the vacancy survey: {} on average in {last_year}. The damped-trend model (lmo method {}, {}) puts it at {} in {} (80% prediction interval {} to {}). The Report on 2023 Manpower Projection published a shortfall of about {} for {}; lmo's figure is about {}% of it.",
                text::number(last_value, 0),
                gap.method,
                gap.model,
                text::number(forecast.mean, 0),
                gap.anchor_year,
                text::number(forecast.lower80, 0),
                text::number(forecast.upper80, 0),
                text::number(total.published_high, 0),
                gap.anchor_year,
                text::number(share, 0),
            ),
        ));
    }
    paragraphs.push(lang.pick(
        &format!(
            "兩者量度的並非同一事物：人力推算的短缺是按經濟增長及人口推算的人力需求（{}人）減本地人力供應（{}人），涵蓋整體經濟，包括由輸入勞工填補或因請不到人而未開設的職位；職位空缺調查只涵蓋私營機構正在招聘的職位（建造地盤只計體力勞動工人），而趨勢模型只知道過去的空缺，其水平隨經濟周期起落。",
            text::number(gap.anchor_requirement, 0),
            text::number(gap.anchor_local_supply, 0),
        ),
        &format!(
            "The two measure different things: the projection's shortfall is the manpower requirement projected from growth and population ({}) less local supply ({}), across the economy, including posts filled by imported workers or never opened for want of staff; the vacancy survey covers only the posts private establishments are recruiting for (construction sites for manual workers only), and the trend model knows only past vacancies, whose level swings with the cycle.",
            text::number(gap.anchor_requirement, 0),
            text::number(gap.anchor_local_supply, 0),
        ),
    ));
    let basis = match &gap.level_basis {
        LevelBasis::Occupation { series } => lang.pick(
            &format!("各層次按數據庫中按職業劃分的職位空缺（{series}個數列）計算。"),
            &format!("Levels come from the vacancies by occupation in the store ({series} series)."),
        ),
        LevelBasis::IndustryAssumed { .. } => lang.pick(
            "數據庫沒有按職業劃分的職位空缺（統計處表215-16007），各層次暫按每個行業的主要層次（lmo 的假設）劃分：技術人員分佈於各行業，故該層次的數字遠低於人力推算。",
            "The store has no vacancies by occupation (C&SD table 215-16007), so each industry counts whole towards its main level (lmo's assumption): technicians work in every industry, so the skilled technical level comes out far below the projection's.",
        ),
        LevelBasis::None => lang.pick("未能按層次劃分。", "No split by level was possible."),
    };
    paragraphs.push(basis);
    if let Some(backtest) = &gap.backtest_gap {
        let score = |horizon: usize| {
            backtest
                .horizons
                .iter()
                .find(|score| score.horizon == horizon)
        };
        if let (Some(one), Some(four)) = (score(1), score(4)) {
            paragraphs.push(lang.pick(
                &format!(
                    "回測（以{}至{}年為起點，只用當時已有的數據）：一年後的預測平均誤差為{}%，四年後為{}%；一年後的實際數字有{}%落在80%預測區間內。",
                    backtest.first_origin,
                    backtest.last_origin,
                    text::number(one.mape, 0),
                    text::number(four.mape, 0),
                    text::number(100.0 * one.coverage80, 0),
                ),
                &format!(
                    "Backtest (origins {} to {}, each fitted only on the years before): the forecast one year ahead missed by {}% on average, four years ahead by {}%; {}% of actual values one year ahead fell inside the 80% interval.",
                    backtest.first_origin,
                    backtest.last_origin,
                    text::number(one.mape, 0),
                    text::number(four.mape, 0),
                    text::number(100.0 * one.coverage80, 0),
                ),
            ));
        }
    }
    paragraphs
}

fn gap_chart(lang: Lang, gap: &GapForecast) -> Figure {
    let history: Vec<(f64, f64)> = gap
        .gap
        .history
        .iter()
        .map(|&(year, value)| (f64::from(year) + 0.5, value))
        .collect();
    let joined = |pick: fn(&engine::talent::Forecast) -> f64| -> Vec<(f64, f64)> {
        history
            .last()
            .copied()
            .into_iter()
            .chain(
                gap.gap
                    .forecasts
                    .iter()
                    .map(|(year, forecast)| (f64::from(*year) + 0.5, pick(forecast))),
            )
            .collect()
    };
    let chart = TimeChart {
        width: CHART_WIDTH,
        height: 250.0,
        label: lang.pick(
            "職位空缺（年平均）及推算",
            "Vacancies (annual mean) and forecast",
        ),
        unit: lang.pick("個", "posts"),
        lines: vec![
            Line {
                name: lang.pick("職位空缺", "Vacancies"),
                points: history.clone(),
                color: palette::INK,
                dashed: false,
            },
            Line {
                name: lang.pick("推算", "Forecast"),
                points: joined(|forecast| forecast.mean),
                color: palette::SECOND,
                dashed: true,
            },
            Line {
                name: lang.pick("80%預測區間上限", "80% interval, upper"),
                points: joined(|forecast| forecast.upper80),
                color: palette::AXIS,
                dashed: true,
            },
            Line {
                name: lang.pick("下限", "lower"),
                points: joined(|forecast| forecast.lower80),
                color: palette::AXIS,
                dashed: true,
            },
        ],
        spans: Vec::new(),
        spans_label: None,
        bands: Vec::new(),
        from_zero: true,
    };
    Figure {
        svg: chart.to_svg(),
        caption: lang.pick(
            "圖8.2　人才缺口（未填補職位）及推算",
            "Chart 8.2  The talent gap (unfilled posts) and its forecast",
        ),
        note: lang.pick(
            &format!("四季調查的年平均；推算為 {} 模型，虛線為80%預測區間。資料：統計處表215-16001。", gap.model),
            &format!("Annual means of the four quarterly surveys; forecast by the {} model, dashed lines the 80% prediction interval. Source: C&SD table 215-16001.", gap.model),
        ),
    }
}

fn anchor_table(lang: Lang, gap: &GapForecast) -> Table {
    Table {
        sheet: "TalentGap2028",
        title: lang.pick(
            &format!("表：{}年人才缺口——lmo 推算與《2023年人力推算報告》", gap.anchor_year),
            &format!("Table: the talent gap in {}, lmo's forecast beside the Report on 2023 Manpower Projection", gap.anchor_year),
        ),
        columns: [
            ("層次", "Level"),
            ("人力推算（低）", "Published (low)"),
            ("人力推算（高）", "Published (high)"),
            ("lmo 推算", "lmo forecast"),
            ("80%區間下限", "80% lower"),
            ("80%區間上限", "80% upper"),
            ("95%區間下限", "95% lower"),
            ("95%區間上限", "95% upper"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: gap
            .anchor
            .iter()
            .map(|row| {
                vec![
                    Cell::text(lang.pick(&row.name_zh, &row.name_en)),
                    Cell::number(row.published_low, 0),
                    Cell::number(row.published_high, 0),
                    Cell::optional(row.forecast.map(|forecast| forecast.mean), 0),
                    Cell::optional(row.forecast.map(|forecast| forecast.lower80), 0),
                    Cell::optional(row.forecast.map(|forecast| forecast.upper80), 0),
                    Cell::optional(row.forecast.map(|forecast| forecast.lower95), 0),
                    Cell::optional(row.forecast.map(|forecast| forecast.upper95), 0),
                ]
            })
            .collect(),
        source: lang.pick(
            &format!("人力推算數字：勞工及福利局《2023年人力推算報告》（2024年11月14日）的約數；層次與職業的對應為 lmo 的假設（{}）。lmo：方法 {}，模型 {}。", gap.levels_status, gap.method, gap.model),
            &format!("Published figures: Labour and Welfare Bureau, Report on 2023 Manpower Projection (14 November 2024), rounded as published; the mapping of levels is lmo's ({}). lmo: method {}, model {}.", gap.levels_status, gap.method, gap.model),
        ),
        show_last: None,
    }
}

fn backtest_table(lang: Lang, gap: &GapForecast) -> Option<Table> {
    let gap_scores = gap.backtest_gap.as_ref()?;
    let demand_scores = gap.backtest_demand.as_ref();
    Some(Table {
        sheet: "TalentBacktest",
        title: lang.pick("表：推算的回測", "Table: backtest of the forecast"),
        columns: [
            ("推算年期", "Years ahead"),
            ("預測數目", "Forecasts"),
            ("空缺：平均絕對誤差 (%)", "Gap: mean absolute error (%)"),
            ("空缺：80%區間覆蓋 (%)", "Gap: inside 80% interval (%)"),
            ("空缺：95%區間覆蓋 (%)", "Gap: inside 95% interval (%)"),
            ("職位：平均絕對誤差 (%)", "Posts: mean absolute error (%)"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: gap_scores
            .horizons
            .iter()
            .map(|score| {
                vec![
                    Cell::number(score.horizon as f64, 0),
                    Cell::number(score.forecasts as f64, 0),
                    Cell::number(score.mape, 1),
                    Cell::number(100.0 * score.coverage80, 0),
                    Cell::number(100.0 * score.coverage95, 0),
                    Cell::optional(
                        demand_scores.and_then(|scores| {
                            scores
                                .horizons
                                .iter()
                                .find(|demand| demand.horizon == score.horizon)
                                .map(|demand| demand.mape)
                        }),
                        1,
                    ),
                ]
            })
            .collect(),
        source: lang.pick(
            &format!("以{}至{}年為起點：只用起點或以前的年度數據擬合，推算其後一至五年。", gap_scores.first_origin, gap_scores.last_origin),
            &format!("Origins {} to {}: fitted on the years up to the origin only, forecasting one to five years after it.", gap_scores.first_origin, gap_scores.last_origin),
        ),
        show_last: None,
    })
}

fn talent_list_part(lang: Lang, run: &TalentRun) -> (Vec<String>, Option<Table>) {
    let view = &run.talent_list;
    let Some(edition) = &view.edition else {
        return (Vec::new(), None);
    };
    let in_shortage = view
        .rows
        .iter()
        .filter(|row| row.rating == Some(Rating::Shortage))
        .count();
    let slack: Vec<String> = view
        .rows
        .iter()
        .filter(|row| row.local_slack.is_some())
        .map(|row| {
            lang.pick(
                if row.profession.name_zh.is_empty() {
                    &row.profession.name_en
                } else {
                    &row.profession.name_zh
                },
                &row.profession.name_en,
            )
        })
        .collect();
    let mut paragraphs = vec![lang.pick(
        &format!(
            "現行人才清單自{}起生效，共{}項專業；此處收錄當局公布中點名的{}項{}。按 lmo 的職業及行業對應，其中{}項所屬行業評為短缺。",
            text::date(lang, edition.effective),
            edition.professions_published,
            edition.professions.len(),
            if edition.entries_complete { "" } else { "（其餘未能取得，可按 data/hk/talent_list/ 的格式補上）" },
            in_shortage,
        ),
        &format!(
            "The Talent List in effect since {} has {} professions; the {} named in the announcement are entered here{}. By lmo's mapping to occupations and industries, {} of them belong to industries rated shortage.",
            text::date(lang, edition.effective),
            edition.professions_published,
            edition.professions.len(),
            if edition.entries_complete { "" } else { " (the rest could not be found here; add them in the form of data/hk/talent_list/)" },
            in_shortage,
        ),
    )];
    paragraphs.push(if slack.is_empty() {
        lang.pick(
            "沒有一項已收錄的專業所屬行業比整體勞動市場寬鬆。",
            "None of the professions entered belongs to an industry looser than the economy as a whole.",
        )
    } else {
        lang.pick(
            &format!("以下專業所屬的行業比整體勞動市場寬鬆，本地或有可用人手：{}。", text::list(lang, &slack)),
            &format!("These professions belong to industries looser than the economy as a whole, where local people may be available: {}.", text::list(lang, &slack)),
        )
    });
    let table = Table {
        sheet: "TalentList",
        title: lang.pick(
            "表：人才清單與本地統計",
            "Table: the Talent List beside local statistics",
        ),
        columns: [
            ("專業", "Profession"),
            ("ISCO-08", "ISCO-08"),
            ("比較對象", "Compared with"),
            ("評級", "Rating"),
            ("綜合分數", "Composite"),
            ("空缺率 (%)", "Vacancy rate (%)"),
            ("本地人手寬鬆", "Local slack"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: view
            .rows
            .iter()
            .map(|row| {
                vec![
                    Cell::text(lang.pick(
                        if row.profession.name_zh.is_empty() {
                            &row.profession.name_en
                        } else {
                            &row.profession.name_zh
                        },
                        &row.profession.name_en,
                    )),
                    Cell::text(row.profession.isco08.code()),
                    Cell::text(industry_label(lang, &row.compared_with)),
                    row.rating
                        .map_or(Cell::Empty, |rated| Cell::text(rating(lang, rated))),
                    Cell::optional(row.composite, 2),
                    Cell::optional(row.vacancy_rate, 1),
                    Cell::text(if row.local_slack.is_some() {
                        lang.pick("是", "yes")
                    } else {
                        String::new()
                    }),
                ]
            })
            .collect(),
        source: lang.pick(
            &format!(
                "人才清單：{}；職業及行業對應為 lmo 所作。",
                edition.sources.join("、")
            ),
            &format!(
                "Talent List: {}; the mapping to occupations and industries is lmo's.",
                edition.sources.join(", ")
            ),
        ),
        show_last: None,
    };
    (paragraphs, Some(table))
}

pub(crate) fn talent_section(
    run: &TalentRun,
    lang: Lang,
    id: &'static str,
    title: String,
) -> Section {
    let industries = &run.ratings.industries;
    let named = |wanted: Rating| -> Vec<String> {
        let mut rated: Vec<&engine::talent::GroupRating> = industries
            .iter()
            .filter(|rated| rated.rating.rating == wanted)
            .collect();
        rated.sort_by(|a, b| {
            b.rating
                .composite
                .abs()
                .total_cmp(&a.rating.composite.abs())
        });
        rated
            .iter()
            .map(|rated| {
                format!(
                    "{}（{}）",
                    industry(lang, &rated.code),
                    text::signed(rated.rating.composite, 2)
                )
            })
            .map(|text| {
                if lang == Lang::En {
                    text.replace('（', " (").replace('）', ")")
                } else {
                    text
                }
            })
            .collect()
    };
    let (shortage, surplus) = (named(Rating::Shortage), named(Rating::Surplus));
    let period = run
        .demand_map
        .first()
        .and_then(|row| row.period)
        .map(|period| text::period(lang, period))
        .unwrap_or_default();
    let none = lang.pick("無", "none");
    let mut paragraphs = vec![lang.pick(
        &format!(
            "按{}的職位空缺調查及薪金指數，lmo 為{}個行業評定人手短缺程度（方法 {}：空缺率、其按年變動、就業人數增長及薪金增長，各與全行業數字比較並標準化後加權）：短缺{}個——{}；過剩{}個——{}；其餘平衡。",
            period,
            industries.len(),
            run.ratings.method,
            shortage.len(),
            if shortage.is_empty() { none.clone() } else { text::list(lang, &shortage) },
            surplus.len(),
            if surplus.is_empty() { none.clone() } else { text::list(lang, &surplus) },
        ),
        &format!(
            "From the vacancy survey of {} and the payroll index, lmo rated {} industries (method {}: the vacancy rate, its change on a year, growth of persons engaged and of pay, each standardised against all industries and weighted): {} in shortage ({}); {} in surplus ({}); the rest balanced.",
            period,
            industries.len(),
            run.ratings.method,
            shortage.len(),
            if shortage.is_empty() { none.clone() } else { text::list(lang, &shortage) },
            surplus.len(),
            if surplus.is_empty() { none.clone() } else { text::list(lang, &surplus) },
        ),
    )];
    for rated in industries
        .iter()
        .filter(|rated| rated.rating.rating == Rating::Shortage)
    {
        paragraphs.push(lang.pick(
            &format!(
                "{}：{}（可信度{}）。依據：{}。",
                industry(lang, &rated.code),
                driver(lang, rated.rating.driver),
                confidence(lang, rated.rating.confidence),
                evidence(lang, rated)
            ),
            &format!(
                "{}: {} (confidence {}). Evidence: {}.",
                industry(lang, &rated.code),
                driver(lang, rated.rating.driver),
                confidence(lang, rated.rating.confidence),
                evidence(lang, rated)
            ),
        ));
    }
    if run.ratings.occupations.is_empty() {
        paragraphs.push(lang.pick(
            "數據庫沒有按職業劃分的數列（統計處表215-16007按行業及職業劃分的職位空缺、表210-06317按職業劃分的收入等並未附帶），故未能按職業評級；匯入後即會按職業評級。失業率亦沒有按行業劃分的數字，故成因只按薪金判斷：薪金增長落後為留任缺口，否則為培訓缺口。",
            "The store has no series by occupation (C&SD table 215-16007, vacancies by industry and occupation, and 210-06317, earnings by occupation, are not bundled), so occupations are not rated; once imported, they are. Nor is there unemployment by industry, so drivers rest on pay alone: pay lagging is a retention gap, otherwise a training gap.",
        ));
    } else {
        let occupation_shortages: Vec<String> = run
            .ratings
            .occupations
            .iter()
            .filter(|rated| rated.rating.rating == Rating::Shortage)
            .map(|rated| lang.pick(&rated.name_zh, &rated.name_en))
            .collect();
        paragraphs.push(lang.pick(
            &format!(
                "按職業評級的{}個組別中，短缺的有：{}。",
                run.ratings.occupations.len(),
                if occupation_shortages.is_empty() {
                    none.clone()
                } else {
                    text::list(lang, &occupation_shortages)
                }
            ),
            &format!(
                "Of the {} occupation groups rated, in shortage: {}.",
                run.ratings.occupations.len(),
                if occupation_shortages.is_empty() {
                    none.clone()
                } else {
                    text::list(lang, &occupation_shortages)
                }
            ),
        ));
    }
    let bars = BarChart {
        width: CHART_WIDTH,
        label: lang.pick(
            "各行業人手短缺的綜合分數",
            "Composite shortage score by industry",
        ),
        unit: lang.pick("標準差", "standard deviations"),
        bars: industries
            .iter()
            .map(|rated| Bar {
                label: industry_label(lang, &rated.code),
                value: rated.rating.composite,
                color: match rated.rating.rating {
                    Rating::Shortage => palette::DOWN,
                    Rating::Balanced => palette::AXIS,
                    Rating::Surplus => palette::UP,
                },
            })
            .collect(),
        decimals: 2,
    };
    let mut figures = vec![Figure {
        svg: bars.to_svg(),
        caption: lang.pick(
            "圖8.1　各行業的人手短缺綜合分數",
            "Chart 8.1  Composite shortage score by industry",
        ),
        note: lang.pick(
            "0.5或以上為短缺（紅），-0.5或以下為過剩（綠）。",
            "0.5 or more is shortage (red), -0.5 or less surplus (green).",
        ),
    }];
    paragraphs.extend(gap_paragraphs(lang, &run.gap));
    if !run.gap.gap.forecasts.is_empty() {
        figures.push(gap_chart(lang, &run.gap));
    }
    let (list_paragraphs, list_table) = talent_list_part(lang, run);
    paragraphs.extend(list_paragraphs);
    let mut tables = vec![demand_table(lang, run), anchor_table(lang, &run.gap)];
    tables.extend(backtest_table(lang, &run.gap));
    tables.extend(list_table);
    Section {
        id,
        title,
        paragraphs,
        figures,
        tables,
    }
}

pub(crate) fn exposure_section(
    view: &ExposureView,
    units: &ExposureView,
    lang: Lang,
    id: &'static str,
    title: String,
) -> Section {
    let mut ranked: Vec<&engine::talent::ExposureRow> = view.rows.iter().collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
    let describe = |row: &engine::talent::ExposureRow| {
        lang.pick(
            &format!(
                "{}（{}，{}個細類中{}個屬受影響級別）",
                isco_name(lang, row.code),
                text::number(row.score, 2),
                row.units_scored,
                row.units_exposed
            ),
            &format!(
                "{} ({}; {} of {} unit groups exposed)",
                isco_name(lang, row.code),
                text::number(row.score, 2),
                row.units_exposed,
                row.units_scored
            ),
        )
    };
    let top: Vec<String> = ranked.iter().take(3).map(|row| describe(row)).collect();
    let bottom = ranked.last().map(|row| describe(row)).unwrap_or_default();
    let count = |pick: fn(engine::talent::ExposureGradient) -> bool| {
        units
            .rows
            .iter()
            .filter(|row| row.gradient.is_some_and(pick))
            .count()
    };
    let exposed = count(engine::talent::ExposureGradient::is_exposed);
    let total = units.rows.len();
    let mut paragraphs = vec![
        lang.pick(
            &format!(
                "職業受生成式人工智能影響的程度取自國際勞工組織的2025年指數（{}），由 lmo 按其工作任務分數重新計算，與其公布的{}個職業的平均分數及級別相符。{}個職業細類中，{}個屬受影響級別（第1至4級）。",
                view.index.reference, total, total, exposed
            ),
            &format!(
                "Exposure of occupations to generative AI is the ILO's 2025 index ({}), recomputed by lmo from its task scores, which reproduces the published mean and class of all {} occupations. Of the {} unit groups, {} are in an exposed class (gradients 1 to 4).",
                view.index.reference, total, total, exposed
            ),
        ),
        lang.pick(
            &format!("以職業大類計，受影響最深的是{}；最淺的是{}。", text::list(lang, &top), bottom),
            &format!("By major group, the most exposed are {}; the least, {}.", text::list(lang, &top), bottom),
        ),
        if view.weighted_by_employment {
            lang.pick(
                &format!("大類分數按就業人數加權（{}）。", view.weights),
                &format!("Major groups are weighted by employment ({}).", view.weights),
            )
        } else {
            lang.pick(
                "數據庫沒有按職業細類劃分的就業人數（香港只公布大類；並無附帶），故大類分數以各細類相同權重計算，並非按就業人數加權。",
                "The store has no employment by unit group (Hong Kong publishes major groups only, and none is bundled), so each major group's score gives its unit groups equal weights, not employment weights.",
            )
        },
        lang.pick(
            "「轉型壓力」（受影響而需求收縮）與「增強」（受影響而需求增長）須有按職業劃分的就業趨勢；數據庫沒有香港的這類數字，故未有判定。以美國數據示範：lmo ai-exposure --us --level 4。",
            "Squeeze (轉型壓力: exposed and shrinking) and augmentation (exposed and growing) need an employment trend by occupation, which the store does not have for Hong Kong, so they are not judged here; the US files show them: lmo ai-exposure --us --level 4.",
        ),
    ];
    paragraphs.push(lang.pick(
        &format!(
            "另列 GPTs-are-GPTs 指數（{}）經美國勞工統計局 ISCO-08 與 SOC 對照表換算的分數作參考。",
            view.gpts_index.reference
        ),
        &format!(
            "GPTs-are-GPTs ({}) is shown beside it, brought to ISCO-08 through the BLS crosswalk.",
            view.gpts_index.reference
        ),
    ));
    let bars = BarChart {
        width: CHART_WIDTH,
        label: lang.pick(
            "各職業大類的平均分數",
            "Mean exposure score by ISCO-08 major group",
        ),
        unit: lang.pick("分數（0至1）", "score (0 to 1)"),
        bars: ranked
            .iter()
            .map(|row| Bar {
                label: isco_name(lang, row.code),
                value: row.score,
                color: palette::INK,
            })
            .collect(),
        decimals: 2,
    };
    let table = Table {
        sheet: "AIExposure",
        title: lang.pick(
            "表：職業大類受生成式人工智能影響的程度",
            "Table: exposure to generative AI by ISCO-08 major group",
        ),
        columns: [
            ("ISCO-08", "ISCO-08"),
            ("職業大類", "Major group"),
            ("平均分數", "Mean score"),
            ("細類數目", "Unit groups"),
            ("受影響細類", "Exposed unit groups"),
            ("GPTs-are-GPTs β", "GPTs-are-GPTs β"),
            ("權重", "Weights"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows: view
            .rows
            .iter()
            .map(|row| {
                vec![
                    Cell::text(row.code.code()),
                    Cell::text(isco_name(lang, row.code)),
                    Cell::number(row.score, 3),
                    Cell::number(row.units_scored as f64, 0),
                    Cell::number(row.units_exposed as f64, 0),
                    Cell::optional(row.gpts_beta, 3),
                    Cell::text(if view.weighted_by_employment {
                        lang.pick("就業人數", "employment")
                    } else {
                        lang.pick("相同權重", "equal")
                    }),
                ]
            })
            .collect(),
        source: format!(
            "{}; {}. {}; {}.",
            view.index.index, view.index.version, view.gpts_index.index, view.gpts_index.version
        ),
        show_last: None,
    };
    Section {
        id,
        title,
        paragraphs,
        figures: vec![Figure {
            svg: bars.to_svg(),
            caption: lang.pick(
                "圖9.1　各職業大類受生成式人工智能影響的平均分數",
                "Chart 9.1  Mean exposure to generative AI by major group",
            ),
            note: lang.pick(
                "國際勞工組織2025年指數，lmo 按任務分數重新計算。",
                "ILO 2025 index, recomputed by lmo from its task scores.",
            ),
        }],
        tables: vec![table],
    }
}

/// The catalogue in one language.
fn catalogue_part(run: &TalentRun, lang: Lang) -> Part {
    let levels = &run.levels;
    let catalogue = &run.catalogue;
    let mut rows = Vec::new();
    for entry in &catalogue.entries {
        let rated = &entry.industry;
        let industry_cells = |occupation: Option<&engine::talent::CatalogueOccupation>| {
            vec![
                Cell::text(industry_label(lang, &rated.code)),
                Cell::text(rating(lang, rated.rating.rating)),
                Cell::number(rated.rating.composite, 2),
                Cell::text(occupation.map_or_else(
                    || {
                        entry
                            .occupations_note
                            .as_ref()
                            .map_or_else(String::new, |_| {
                                lang.pick("未有按職業數據", "no occupation data")
                            })
                    },
                    |occupation| lang.pick(&occupation.name_zh, &occupation.name_en),
                )),
                Cell::text(level(
                    lang,
                    levels,
                    occupation
                        .and_then(|occupation| occupation.level.as_deref())
                        .or(rated.level.as_deref()),
                )),
                Cell::text(driver(
                    lang,
                    occupation.map_or(rated.rating.driver, |occupation| occupation.driver),
                )),
                Cell::text(if rated.rating.rating == Rating::Shortage {
                    evidence(lang, rated)
                } else {
                    String::new()
                }),
                Cell::text(
                    entry
                        .talent_list
                        .iter()
                        .map(|profession| {
                            if profession.name_zh.is_empty() {
                                profession.name_en.clone()
                            } else {
                                lang.pick(&profession.name_zh, &profession.name_en)
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(lang.pick("；", "; ").as_str()),
                ),
            ]
        };
        if entry.occupations.is_empty() {
            rows.push(industry_cells(None));
        } else {
            rows.extend(
                entry
                    .occupations
                    .iter()
                    .map(|occupation| industry_cells(Some(occupation))),
            );
        }
    }
    let shortage = catalogue
        .entries
        .iter()
        .filter(|entry| entry.industry.rating.rating == Rating::Shortage)
        .count();
    let table = Table {
        sheet: "Catalogue",
        title: lang.pick("表：本地化產業人才需求目錄", "Table: localised talent-needs catalogue"),
        columns: [
            ("行業", "Industry"),
            ("評級", "Rating"),
            ("綜合分數", "Composite"),
            ("短缺職業", "Occupation in shortage"),
            ("層次", "Level"),
            ("成因", "Driver"),
            ("依據", "Evidence"),
            ("人才清單上的專業", "On the Talent List"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en))
        .collect(),
        rows,
        source: lang.pick(
            &format!("資料：統計處表215-16001、220-19023；人才清單（{}起生效）；lmo 方法 {}。層次：按職業者依 ISCO-08 大類，否則為行業的主要層次（lmo 的假設）。", catalogue.talent_list_edition.map(|date| text::date(lang, date)).unwrap_or_default(), catalogue.method),
            &format!("Sources: C&SD tables 215-16001, 220-19023; the Talent List in effect since {}; lmo method {}. Level: by ISCO-08 major group for occupations, else the industry's main level (lmo's assumption).", catalogue.talent_list_edition.map(|date| text::date(lang, date)).unwrap_or_default(), catalogue.method),
        ),
        show_last: None,
    };
    let paragraphs = vec![
        lang.pick(
            &format!("本目錄按截至{}所知的數據，列出各行業的人手短缺評級、成因及依據，供培訓機構參考；短缺的行業（{}個）排在最前。", text::date(lang, catalogue.as_of), shortage),
            &format!("This catalogue lists, from the data known on {}, each industry's shortage rating with its driver and evidence, for training bodies; the industries in shortage ({}) come first.", text::date(lang, catalogue.as_of), shortage),
        ),
        if run.ratings.occupations.is_empty() {
            lang.pick(
                "香港按職業劃分的統計表（如統計處表215-16007按行業及職業劃分的職位空缺）並未附帶，故未能列出各行業的短缺職業；匯入後即會列出。",
                "Hong Kong's tables by occupation (such as C&SD table 215-16007, vacancies by industry and occupation) are not bundled, so no occupation in shortage can be named per industry yet; once imported, they are.",
            )
        } else {
            lang.pick(
                "短缺職業按數據庫中按行業及職業劃分的職位空缺列出，並以其整體評級為準。",
                "Occupations in shortage are those with vacancies in the industry whose economy-wide rating is shortage.",
            )
        },
    ];
    Part {
        lang,
        title: lang.pick("本地化產業人才需求目錄", "Localised talent-needs catalogue"),
        dateline: lang.pick(
            &format!("數據截至{}", text::date(lang, catalogue.as_of)),
            &format!("Data as known on {}", text::date(lang, catalogue.as_of)),
        ),
        sections: vec![Section {
            id: "catalogue",
            title: lang.pick("1. 各行業的人才需求", "1. Talent needs by industry"),
            paragraphs,
            figures: Vec::new(),
            tables: vec![table],
        }],
    }
}

/// The catalogue as one bilingual HTML page (Traditional Chinese, then English).
pub fn catalogue_html(run: &TalentRun, lmo_version: &str) -> String {
    let parts: Vec<Part> = [Lang::ZhHant, Lang::En]
        .into_iter()
        .map(|lang| catalogue_part(run, lang))
        .collect();
    let report = Report {
        title_zh: "本地化產業人才需求目錄",
        title_en: "Localised talent-needs catalogue",
        as_of: run.as_of,
        since: None,
        lmo_version: lmo_version.to_owned(),
        languages: Languages::Both,
        appendix: Vec::new(),
        parts,
    };
    crate::html::render(&report, None)
}
