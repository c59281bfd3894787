//! The frame of every page (header, navigation, language switch, who is signed in) and the
//! small pieces pages share: level badges, numbers, tables of the report.

use domain::Role;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{Ctx, query};

/// The dashboard's language: the report's, so that the same words are used
/// ([`Lang::ZhHant`] or [`Lang::En`]; never `Both` here).
pub(crate) use reports::Lang;

/// The pages of the navigation, with the least role that sees each.
const NAVIGATION: [(&str, &str, &str, Role); 8] = [
    ("/", "概覽", "Overview", Role::Viewer),
    ("/series", "數列", "Series", Role::Viewer),
    ("/alerts", "預警", "Alerts", Role::Viewer),
    ("/watchlist", "監測名單", "Watch-list", Role::Viewer),
    ("/arrears", "欠薪及強積金", "Arrears", Role::Analyst),
    ("/cases", "個案", "Cases", Role::CaseOfficer),
    ("/talent", "人才需求", "Talent", Role::Viewer),
    ("/reports", "報告", "Reports", Role::Viewer),
];

pub(crate) fn role_name(lang: Lang, role: Role) -> String {
    match role {
        Role::Viewer => lang.pick("檢視者", "viewer"),
        Role::Analyst => lang.pick("分析員", "analyst"),
        Role::CaseOfficer => lang.pick("個案主任", "case officer"),
        Role::Admin => lang.pick("管理員", "admin"),
    }
}

/// A series' unit as the report names it: `%`, `HK$`, 數目 / number, 指數 / index.
pub(crate) fn unit_name(lang: Lang, unit: &str) -> String {
    match unit {
        "number" | "persons" => lang.pick("數目", "number"),
        "index" => lang.pick("指數", "index"),
        "pp" => lang.pick("百分點", "percentage points"),
        other => other.to_owned(),
    }
}

/// A link to the same page in the other language.
pub(crate) fn language_switch(lang: Lang, here: &str) -> Markup {
    let (to, label, label_lang) = match lang {
        Lang::En => ("zh-Hant", "中文", "zh-Hant"),
        _ => ("en", "English", "en"),
    };
    html! {
        a.lang-switch href=(format!("/lang?{}", query(&[("to", to), ("next", here)])))
            lang=(label_lang) hreflang=(label_lang) { (label) }
    }
}

/// A page without the navigation (login, errors).
pub(crate) fn bare(lang: Lang, title: &str, body: &Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/assets/lmo.css";
            }
            body { (body) }
        }
    }
}

/// A page in the dashboard's frame.
pub(crate) fn frame(ctx: &Ctx, title: &str, content: &Markup) -> Markup {
    let lang = ctx.lang;
    let path = ctx.here.split('?').next().unwrap_or("/");
    let current = |href: &str| {
        if href == "/" {
            path == "/"
        } else {
            path == href || path.starts_with(&format!("{href}/"))
        }
    };
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · lmo" }
                link rel="stylesheet" href="/assets/lmo.css";
            }
            body {
                a.skip href="#main" { (lang.pick("跳至內容", "Skip to content")) }
                header.top {
                    a.brand href="/" { "lmo " span.brand-zh lang="zh-Hant" { "勞動市場觀測站" } }
                    nav aria-label=(lang.pick("主要", "Main")) {
                        ul {
                            @for (href, zh, en, least) in NAVIGATION {
                                @if ctx.caller.role >= least {
                                    li {
                                        a href=(href) aria-current=[current(href).then_some("page")] {
                                            (lang.pick(zh, en))
                                        }
                                    }
                                }
                            }
                        }
                    }
                    div.who {
                        (language_switch(lang, &ctx.here))
                        span.user { (ctx.caller.user_name) " · " (role_name(lang, ctx.caller.role)) }
                        form.inline method="post" action="/logout" {
                            input type="hidden" name="csrf_token" value=(ctx.csrf());
                            button.link type="submit" { (lang.pick("登出", "Log out")) }
                        }
                    }
                }
                main #main { (content) }
                footer {
                    (lang.pick("數據來自政府統計處、勞工處及積金局的公開資料；欠薪數據按角色顯示。",
                        "Data from C&SD, the Labour Department and the MPFA as published; arrears shown by role."))
                    " · " a href="/v1/docs" { "API /v1" }
                }
            }
        }
    }
}

/// An alert level as a coloured badge with its name (colour is never the only cue).
pub(crate) fn level_badge(lang: Lang, level: engine::AlertLevel) -> Markup {
    html! { span class=(format!("badge level-{}", level.as_str())) { (reports::text::level(lang, level)) } }
}

pub(crate) fn arrears_badge(lang: Lang, level: domain::ArrearsLevel) -> Markup {
    html! {
        span class=(format!("badge level-{}", level.as_str())) {
            (reports::text::arrears_level(lang, level))
        }
    }
}

/// A chart's SVG (the charts crate escapes its text) in a figure with its caption.
pub(crate) fn figure(svg: &str, caption: &str, note: &str) -> Markup {
    figure_for_both(svg, None, caption, note)
}

/// A chart drawn twice, for a laptop and for a phone's narrow screen (its text would be
/// too small scaled down); the style sheet shows one of them.
pub(crate) fn figure_for_both(
    wide: &str,
    narrow: Option<&str>,
    caption: &str,
    note: &str,
) -> Markup {
    html! {
        figure.chart {
            @if let Some(narrow) = narrow {
                div.svg.wide { (PreEscaped(wide)) }
                div.svg.narrow aria-hidden="true" { (PreEscaped(narrow)) }
            } @else {
                div.svg { (PreEscaped(wide)) }
            }
            figcaption {
                strong { (caption) }
                @if !note.is_empty() { " " span.note { (note) } }
            }
        }
    }
}

/// A table of the report, scrolling sideways on a narrow screen.
pub(crate) fn report_table(table: &reports::Table) -> Markup {
    let skip = table
        .show_last
        .map_or(0, |last| table.rows.len().saturating_sub(last));
    html! {
        div.table-scroll {
            table {
                caption { (table.title) }
                thead { tr { @for column in &table.columns { th scope="col" { (column) } } } }
                tbody {
                    @for row in table.rows.iter().skip(skip) {
                        tr {
                            @for cell in row {
                                @match cell {
                                    reports::Cell::Text(text) => td { (text) },
                                    reports::Cell::Number { value, decimals } => {
                                        td.num { (reports::text::number(*value, *decimals)) }
                                    }
                                    reports::Cell::Empty => td { "–" },
                                }
                            }
                        }
                    }
                }
            }
        }
        p.note { (table.source) }
    }
}

/// A report section's sentences, charts and tables.
pub(crate) fn report_section(section: &reports::Section) -> Markup {
    html! {
        @for paragraph in &section.paragraphs { p { (paragraph) } }
        @for figure_ in &section.figures { (figure(&figure_.svg, &figure_.caption, &figure_.note)) }
        @for table in &section.tables { (report_table(table)) }
    }
}

/// A message after a form went through.
pub(crate) fn flash(text: &str) -> Markup {
    html! { p.flash role="status" { (text) } }
}
