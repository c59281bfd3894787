//! The report as one self-contained HTML page (charts inline), styled for the screen and
//! for A4 print: a bilingual title page, a table of contents, page numbers.

use std::fmt::Write;

use crate::Report;
use crate::text::{self, Lang};
use crate::view::{Cell, Figure, Part, Section, Table};

const STYLE: &str = r#"
:root { --ink: #1f2937; --muted: #4b5563; --rule: #d1d5db; --accent: #1f4e79; }
* { box-sizing: border-box; }
body { font-family: 'Noto Sans CJK TC', 'Noto Sans TC', 'Microsoft JhengHei', 'PingFang TC', sans-serif;
  color: var(--ink); font-size: 10.5pt; line-height: 1.55; margin: 0 auto; max-width: 190mm; padding: 0 8mm; }
h1, h2, h3 { color: var(--accent); line-height: 1.3; }
h2 { font-size: 15pt; border-bottom: 2px solid var(--accent); padding-bottom: 2pt; margin: 0 0 8pt; }
p { margin: 0 0 7pt; text-align: justify; }
.cover { min-height: 250mm; display: flex; flex-direction: column; justify-content: center; text-align: center; }
.cover h1 { font-size: 30pt; margin: 0; }
.cover p { text-align: center; }
.cover .en-title { font-size: 22pt; color: var(--accent); margin: 4pt 0 28pt; }
.cover .meta { color: var(--muted); font-size: 11pt; margin: 2pt 0; }
.toc h2 { margin-top: 0; }
.toc ol { list-style: none; padding: 0; margin: 0 0 14pt; }
.toc li { display: flex; gap: 6pt; padding: 2pt 0; border-bottom: 1px dotted var(--rule); }
.toc li a { color: var(--ink); text-decoration: none; flex: 1; }
.toc .page { color: var(--muted); min-width: 2em; text-align: right; }
.toc h3 { font-size: 12pt; margin: 10pt 0 4pt; }
article > header { margin-bottom: 10pt; }
article > header h1 { font-size: 20pt; margin: 0; }
article > header p { color: var(--muted); }
section.section { break-before: page; }
figure { margin: 8pt 0 10pt; break-inside: avoid; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-weight: bold; font-size: 9.5pt; margin-top: 3pt; }
.note, .source { color: var(--muted); font-size: 8.5pt; margin: 2pt 0 8pt; text-align: left; }
.generated { border: 2px solid #c62828; color: #c62828; font-weight: bold; padding: 4pt 6pt; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 6pt 0 2pt; }
caption { text-align: left; font-weight: bold; font-size: 9.5pt; padding-bottom: 3pt; }
th, td { border-bottom: 1px solid var(--rule); padding: 2pt 4pt; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eef2f7; text-align: left; font-weight: bold; }
td.short { white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.table-wrap { break-inside: auto; }
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8.5pt; color: #6b7280; }
  @top-right { content: "TITLE"; font-size: 7.5pt; color: #9ca3af; } }
@page :first { @bottom-center { content: none; } @top-right { content: none; } }
@media print { body { max-width: none; padding: 0; } .cover, .toc { break-after: page; } article { break-before: page; } }
"#;

/// Cells of at most this many characters are kept on one line.
const SHORT_CELL: usize = 12;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(character),
        }
    }
    out
}

/// Where each section starts in the printed PDF, by language tag and section anchor.
pub(crate) type TocPages = Vec<((&'static str, &'static str), u32)>;

/// The page: the cover, the contents, each language's part.
pub(crate) fn render(report: &Report, pages: Option<&TocPages>) -> String {
    let first_lang = report.parts.first().map_or(Lang::En, |part| part.lang);
    let mut out = String::with_capacity(256 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"lmo {}\">\n<title>{zh} {en} {}</title>\n<style>{}</style>\n</head>\n<body>\n",
        first_lang.tag(),
        escape(&report.lmo_version),
        report.as_of,
        STYLE.replace("TITLE", &format!("{} {}", report.title_zh, report.title_en)),
        zh = escape(report.title_zh),
        en = escape(report.title_en),
    );
    cover(&mut out, report);
    contents(&mut out, report, pages);
    for part in &report.parts {
        render_part(&mut out, part);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn cover(out: &mut String, report: &Report) {
    let _ = write!(
        out,
        "<section class=\"cover\">\n<h1 lang=\"zh-Hant\">{zh}</h1>\n<p class=\"en-title\" lang=\"en\">{en}</p>\n<p class=\"meta\">數據截至 {zh_as_of} ｜ Data as known on {en_as_of}</p>\n",
        zh = escape(report.title_zh),
        en = escape(report.title_en),
        zh_as_of = text::date(Lang::ZhHant, report.as_of),
        en_as_of = text::date(Lang::En, report.as_of),
    );
    if let Some(since) = report.since {
        let _ = writeln!(
            out,
            "<p class=\"meta\">與截至 {} 的報告比較 ｜ Compared with the report as of {}</p>",
            text::date(Lang::ZhHant, since),
            text::date(Lang::En, since),
        );
    }
    let _ = write!(
        out,
        "<p class=\"meta\">lmo {} ｜ 香港勞動市場觀測站 Labour Market Observatory</p>\n</section>\n",
        escape(&report.lmo_version),
    );
}

fn contents(out: &mut String, report: &Report, pages: Option<&TocPages>) {
    out.push_str("<nav class=\"toc\">\n<h2>目錄 Contents</h2>\n");
    for part in &report.parts {
        let tag = part.lang.tag();
        let _ = writeln!(
            out,
            "<h3 lang=\"{tag}\">{}</h3>\n<ol lang=\"{tag}\">",
            escape(&part.title)
        );
        for section in &part.sections {
            let page = pages
                .and_then(|pages| {
                    pages
                        .iter()
                        .find(|((lang, id), _)| *lang == tag && *id == section.id)
                })
                .map(|(_, page)| page.to_string())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<li><a href=\"#{tag}-{id}\">{title}</a><span class=\"page\">{page}</span></li>",
                id = section.id,
                title = escape(&section.title),
            );
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</nav>\n");
}

fn render_part(out: &mut String, part: &Part) {
    let tag = part.lang.tag();
    let _ = write!(
        out,
        "<article lang=\"{tag}\" id=\"{tag}\">\n<header>\n<h1>{}</h1>\n<p>{}</p>\n</header>\n",
        escape(&part.title),
        escape(&part.dateline),
    );
    for (index, section) in part.sections.iter().enumerate() {
        render_section(out, tag, section, index == 0);
    }
    out.push_str("</article>\n");
}

fn render_section(out: &mut String, tag: &str, section: &Section, first: bool) {
    // The first section shares its page with the part's heading.
    let class = if first { "section-first" } else { "section" };
    let _ = write!(
        out,
        "<section class=\"{class}\" id=\"{tag}-{}\">\n<h2>{}</h2>\n",
        section.id,
        escape(&section.title)
    );
    for paragraph in &section.paragraphs {
        let generated =
            paragraph.starts_with("模擬數據") || paragraph.starts_with("GENERATED DATA");
        let class = if generated {
            " class=\"generated\""
        } else {
            ""
        };
        let _ = writeln!(out, "<p{class}>{}</p>", escape(paragraph));
    }
    for figure in &section.figures {
        render_figure(out, figure);
    }
    for table in &section.tables {
        render_table(out, table, tag);
    }
    out.push_str("</section>\n");
}

fn render_figure(out: &mut String, figure: &Figure) {
    let _ = write!(
        out,
        "<figure>\n{}\n<figcaption>{}</figcaption>\n<p class=\"note\">{}</p>\n</figure>\n",
        figure.svg,
        escape(&figure.caption),
        escape(&figure.note),
    );
}

fn render_table(out: &mut String, table: &Table, tag: &str) {
    let shown = table
        .show_last
        .map_or(0, |last| table.rows.len().saturating_sub(last));
    let _ = write!(
        out,
        "<div class=\"table-wrap\">\n<table>\n<caption>{}</caption>\n<thead><tr>",
        escape(&table.title)
    );
    for column in &table.columns {
        let _ = write!(out, "<th>{}</th>", escape(column));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows[shown..] {
        out.push_str("<tr>");
        for cell in row {
            match cell {
                // Short cells (levels, periods, dates, table ids) never break inside.
                Cell::Text(text) if text.chars().count() <= SHORT_CELL => {
                    let _ = write!(out, "<td class=\"short\">{}</td>", escape(text));
                }
                Cell::Text(text) => {
                    let _ = write!(out, "<td>{}</td>", escape(text));
                }
                Cell::Number { value, decimals } => {
                    let _ = write!(
                        out,
                        "<td class=\"num\">{}</td>",
                        text::number(*value, *decimals)
                    );
                }
                Cell::Empty => out.push_str("<td class=\"num\">–</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    let mut source = table.source.clone();
    if shown > 0 {
        source.push_str(if tag == "en" {
            " Latest rows only; the XLSX appendix has the full table."
        } else {
            "　只列最近數期；完整數據見 XLSX 附錄。"
        });
    }
    let _ = writeln!(out, "<p class=\"source\">{}</p>\n</div>", escape(&source));
}
