//! Writing SVG text: escaping, the document frame, text width estimates.

use std::fmt::Write;

use crate::FONT_FAMILY;

/// Attributes of secondary text (tick labels, units).
pub(crate) const MUTED: &str = r##" fill="#333""##;
/// Attributes of labels that must stand out.
pub(crate) const BOLD: &str = r##" fill="#111" font-weight="bold""##;

/// Text made safe for XML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(character),
        }
    }
    out
}

/// Estimated width of `text` at `font_size`: CJK and full-width characters take one em,
/// others a little over half.
pub(crate) fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars()
        .map(|character| {
            if u32::from(character) >= 0x2E80 {
                1.0
            } else {
                0.58
            }
        })
        .sum::<f64>()
        * font_size
}

/// `text` cut with an ellipsis to fit `width` at `font_size`.
pub(crate) fn fit_text(text: &str, width: f64, font_size: f64) -> String {
    if text_width(text, font_size) <= width {
        return text.to_owned();
    }
    let mut fitted = String::new();
    for character in text.chars() {
        fitted.push(character);
        if text_width(&fitted, font_size) + font_size > width {
            fitted.pop();
            break;
        }
    }
    fitted.push('…');
    fitted
}

/// An SVG document being written; coordinates are written to one decimal.
pub(crate) struct Svg {
    out: String,
}

impl Svg {
    pub(crate) fn new(width: f64, height: f64, label: &str) -> Svg {
        let mut out = String::new();
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="img" aria-label="{}" font-family="{}" font-size="11">"#,
            escape(label),
            escape(FONT_FAMILY),
        );
        Svg { out }
    }

    pub(crate) fn rect(
        &mut self,
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        fill: &str,
        extra: &str,
    ) {
        let _ = write!(
            self.out,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{fill}"{extra}/>"#,
            width.max(0.0),
            height.max(0.0),
        );
    }

    pub(crate) fn line(&mut self, from: (f64, f64), to: (f64, f64), stroke: &str, extra: &str) {
        let _ = write!(
            self.out,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{stroke}"{extra}/>"#,
            from.0, from.1, to.0, to.1,
        );
    }

    pub(crate) fn polyline(&mut self, points: &[(f64, f64)], stroke: &str, extra: &str) {
        if points.is_empty() {
            return;
        }
        let mut coordinates = String::new();
        for (index, (x, y)) in points.iter().enumerate() {
            if index > 0 {
                coordinates.push(' ');
            }
            let _ = write!(coordinates, "{x:.1},{y:.1}");
        }
        let _ = write!(
            self.out,
            r#"<polyline points="{coordinates}" fill="none" stroke="{stroke}"{extra}/>"#,
        );
    }

    pub(crate) fn circle(&mut self, center: (f64, f64), radius: f64, fill: &str, extra: &str) {
        let _ = write!(
            self.out,
            r#"<circle cx="{:.1}" cy="{:.1}" r="{radius:.1}" fill="{fill}"{extra}/>"#,
            center.0, center.1,
        );
    }

    /// Text at `(x, y)`; `anchor` is `start`, `middle` or `end`.
    pub(crate) fn text(&mut self, at: (f64, f64), anchor: &str, text: &str, extra: &str) {
        let _ = write!(
            self.out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}"{extra}>{}</text>"#,
            at.0,
            at.1,
            escape(text),
        );
    }

    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// One legend entry: a swatch (line or filled box) and its label.
pub(crate) struct LegendItem<'a> {
    pub(crate) label: &'a str,
    pub(crate) color: &'a str,
    pub(crate) filled: bool,
    pub(crate) dashed: bool,
}

/// Lays the legend out in rows across `width` from `left`, returning the height used.
pub(crate) fn legend_height(items: &[LegendItem<'_>], left: f64, width: f64) -> f64 {
    legend_rows(items, left, width).len() as f64 * LEGEND_ROW
}

pub(crate) const LEGEND_ROW: f64 = 18.0;
const LEGEND_FONT: f64 = 11.0;

fn legend_rows(items: &[LegendItem<'_>], left: f64, width: f64) -> Vec<Vec<(f64, usize)>> {
    let mut rows: Vec<Vec<(f64, usize)>> = Vec::new();
    let mut x = left;
    for (index, item) in items.iter().enumerate() {
        let item_width = 22.0 + text_width(item.label, LEGEND_FONT) + 14.0;
        if rows.is_empty() || (x + item_width > left + width && x > left) {
            rows.push(Vec::new());
            x = left;
        }
        if let Some(row) = rows.last_mut() {
            row.push((x, index));
        }
        x += item_width;
    }
    rows
}

/// Draws the legend with its first row's baseline at `top + 13`.
pub(crate) fn draw_legend(
    svg: &mut Svg,
    items: &[LegendItem<'_>],
    left: f64,
    top: f64,
    width: f64,
) {
    for (row_index, row) in legend_rows(items, left, width).iter().enumerate() {
        let y = top + row_index as f64 * LEGEND_ROW;
        for &(x, index) in row {
            let item = &items[index];
            if item.filled {
                svg.rect(x, y + 3.0, 16.0, 10.0, item.color, "");
            } else {
                let dash = if item.dashed {
                    r#" stroke-width="2" stroke-dasharray="4 3""#
                } else {
                    r#" stroke-width="2""#
                };
                svg.line((x, y + 8.0), (x + 16.0, y + 8.0), item.color, dash);
            }
            svg.text((x + 22.0, y + 12.0), "start", item.label, "");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_labels_is_escaped() {
        assert_eq!(
            escape(r#"A&B <"x"> 'y'"#),
            "A&amp;B &lt;&quot;x&quot;&gt; &#39;y&#39;"
        );
    }

    #[test]
    fn chinese_is_wider_than_latin() {
        assert!(text_width("失業率", 10.0) > text_width("abc", 10.0));
        assert_eq!(text_width("失業率", 10.0), 30.0);
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        let fitted = fit_text(
            "Professional, scientific and technical activities",
            80.0,
            10.0,
        );
        assert!(fitted.ends_with('…'));
        assert!(text_width(&fitted, 10.0) <= 80.0);
        assert_eq!(fit_text("Short", 80.0, 10.0), "Short");
    }
}
