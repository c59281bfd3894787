//! Lines over time, with shaded spans (downturns) and horizontal bands (alert levels).

use crate::axis::{Scale, draw_y_grid, nice_ticks, tick_label_width};
use crate::palette;
use crate::svg::{LegendItem, MUTED, Svg, draw_legend, legend_height};

/// One line. `x` is a fractional year (`2025.75` is the end of September 2025).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub color: &'static str,
    pub dashed: bool,
}

/// A shaded span of the x axis, from one fractional year to another.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub from: f64,
    pub to: f64,
}

/// A horizontal band of the y axis (an alert level's range); `to` may be infinite.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub from: f64,
    pub to: f64,
    pub color: &'static str,
    pub label: String,
}

/// Lines over time.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeChart {
    pub width: f64,
    pub height: f64,
    /// For screen readers; the visible title belongs to the page around the chart.
    pub label: String,
    /// The unit, written above the y axis.
    pub unit: String,
    pub lines: Vec<Line>,
    pub spans: Vec<Span>,
    /// The legend entry of the spans (none when `None`).
    pub spans_label: Option<String>,
    pub bands: Vec<Band>,
    /// Draw the y axis from zero (counts, indices) rather than around the data (rates).
    pub from_zero: bool,
}

const TOP_PAD: f64 = 6.0;
const BOTTOM_AXIS: f64 = 22.0;
const RIGHT_PAD: f64 = 14.0;

impl TimeChart {
    pub fn to_svg(&self) -> String {
        let points = || self.lines.iter().flat_map(|line| line.points.iter());
        let (mut x_min, mut x_max) = points().fold((f64::MAX, f64::MIN), |(low, high), p| {
            (low.min(p.0), high.max(p.0))
        });
        let (mut y_min, mut y_max) = points().fold((f64::MAX, f64::MIN), |(low, high), p| {
            (low.min(p.1), high.max(p.1))
        });
        if x_min > x_max {
            (x_min, x_max, y_min, y_max) = (0.0, 1.0, 0.0, 1.0);
        }
        if self.from_zero {
            y_min = y_min.min(0.0);
            y_max = y_max.max(0.0);
        }
        let ticks = nice_ticks(y_min, y_max, 5);
        let (y_low, y_high) = (ticks[0], ticks[ticks.len() - 1]);

        let mut legend: Vec<LegendItem<'_>> = self
            .lines
            .iter()
            .map(|line| LegendItem {
                label: &line.name,
                color: line.color,
                filled: false,
                dashed: line.dashed,
            })
            .collect();
        if let (Some(label), false) = (&self.spans_label, self.spans.is_empty()) {
            legend.push(LegendItem {
                label,
                color: palette::SHADE,
                filled: true,
                dashed: false,
            });
        }
        let visible_bands: Vec<&Band> = self
            .bands
            .iter()
            .filter(|band| band.from < y_high && band.to > y_low)
            .collect();
        for band in &visible_bands {
            legend.push(LegendItem {
                label: &band.label,
                color: band.color,
                filled: true,
                dashed: false,
            });
        }
        let left = tick_label_width(&ticks) + 10.0;
        let legend_top = TOP_PAD;
        let legend_rows = legend_height(&legend, left, self.width - left - RIGHT_PAD);
        let unit_row = if self.unit.is_empty() { 0.0 } else { 16.0 };
        let top = legend_top + legend_rows + unit_row + 6.0;
        let bottom = self.height - BOTTOM_AXIS;
        let right = self.width - RIGHT_PAD;

        let x_scale = Scale {
            domain: (x_min, x_max),
            range: (left, right),
        };
        let y_scale = Scale {
            domain: (y_low, y_high),
            range: (bottom, top),
        };
        let mut svg = Svg::new(self.width, self.height, &self.label);
        draw_legend(&mut svg, &legend, left, legend_top, right - left);
        if !self.unit.is_empty() {
            svg.text((left - 4.0, top - 8.0), "start", &self.unit, MUTED);
        }
        for band in &visible_bands {
            let y0 = y_scale.clamp_map(band.from);
            let y1 = y_scale.clamp_map(band.to);
            svg.rect(
                left,
                y1.min(y0),
                right - left,
                (y0 - y1).abs(),
                band.color,
                r#" fill-opacity="0.55""#,
            );
        }
        for span in &self.spans {
            if span.to < x_min || span.from > x_max {
                continue;
            }
            let x0 = x_scale.clamp_map(span.from);
            let x1 = x_scale.clamp_map(span.to);
            svg.rect(
                x0,
                top,
                (x1 - x0).max(1.0),
                bottom - top,
                palette::SHADE,
                r#" fill-opacity="0.7""#,
            );
        }
        draw_y_grid(&mut svg, &ticks, y_scale, left, right);
        draw_year_axis(&mut svg, x_scale, bottom);
        for line in &self.lines {
            let pixels: Vec<(f64, f64)> = line
                .points
                .iter()
                .map(|&(x, y)| (x_scale.map(x), y_scale.map(y)))
                .collect();
            let dash = if line.dashed {
                r#" stroke-width="2" stroke-dasharray="5 3""#
            } else {
                r#" stroke-width="2""#
            };
            if pixels.len() == 1 {
                svg.circle(pixels[0], 3.0, line.color, "");
            }
            svg.polyline(&pixels, line.color, dash);
            if let Some(&last) = pixels.last() {
                svg.circle(last, 3.0, line.color, "");
            }
        }
        svg.finish()
    }
}

/// Year ticks under the plot: every year, or every 2, 5 or 10 years on longer spans.
fn draw_year_axis(svg: &mut Svg, scale: Scale, bottom: f64) {
    let (from, to) = scale.domain;
    let (left, right) = scale.range;
    svg.line((left, bottom), (right, bottom), palette::AXIS, "");
    let years = (to - from).max(0.0);
    let step = [1, 2, 5, 10, 20]
        .into_iter()
        .find(|&step| years / f64::from(step) <= 10.0)
        .unwrap_or(50);
    let first = from.ceil() as i32;
    let last = to.floor() as i32;
    for year in first..=last {
        if year.rem_euclid(step) != 0 && step > 1 {
            continue;
        }
        let x = scale.map(f64::from(year));
        svg.line((x, bottom), (x, bottom + 4.0), palette::AXIS, "");
        svg.text((x, bottom + 16.0), "middle", &year.to_string(), MUTED);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> TimeChart {
        TimeChart {
            width: 320.0,
            height: 160.0,
            label: "Unemployment rate 失業率".to_owned(),
            unit: "%".to_owned(),
            lines: vec![Line {
                name: "失業率 <SA>".to_owned(),
                points: vec![
                    (2008.25, 3.4),
                    (2008.75, 4.1),
                    (2009.25, 5.4),
                    (2009.75, 4.9),
                ],
                color: palette::INK,
                dashed: false,
            }],
            spans: vec![Span {
                from: 2008.5,
                to: 2009.5,
            }],
            spans_label: Some("Downturn".to_owned()),
            bands: vec![
                Band {
                    from: 4.5,
                    to: 5.3,
                    color: palette::BLUE,
                    label: "blue".to_owned(),
                },
                Band {
                    from: 7.3,
                    to: f64::INFINITY,
                    color: palette::RED,
                    label: "red".to_owned(),
                },
            ],
            from_zero: false,
        }
    }

    #[test]
    fn a_time_chart_draws_lines_spans_and_the_bands_in_view() {
        let svg = chart().to_svg();
        expect_test::expect![[r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 160" width="320" height="160" role="img" aria-label="Unemployment rate 失業率" font-family="&#39;Noto Sans CJK TC&#39;, &#39;Noto Sans TC&#39;, &#39;Microsoft JhengHei&#39;, &#39;PingFang TC&#39;, sans-serif" font-size="11"><line x1="29.1" y1="14.0" x2="45.1" y2="14.0" stroke="#1f4e79" stroke-width="2"/><text x="51.1" y="18.0" text-anchor="start">失業率 &lt;SA&gt;</text><rect x="130.0" y="9.0" width="16.0" height="10.0" fill="#d9d9d9"/><text x="152.0" y="18.0" text-anchor="start">Downturn</text><rect x="217.1" y="9.0" width="16.0" height="10.0" fill="#bfdbfe"/><text x="239.1" y="18.0" text-anchor="start">blue</text><text x="25.1" y="38.0" text-anchor="start" fill="#333">%</text><rect x="29.1" y="53.4" width="276.9" height="29.4" fill="#bfdbfe" fill-opacity="0.55"/><rect x="75.3" y="46.0" width="184.6" height="92.0" fill="#d9d9d9" fill-opacity="0.7"/><line x1="29.1" y1="138.0" x2="306.0" y2="138.0" stroke="#e5e5e5"/><text x="25.1" y="142.0" text-anchor="end" fill="#333">3.0</text><line x1="29.1" y1="119.6" x2="306.0" y2="119.6" stroke="#e5e5e5"/><text x="25.1" y="123.6" text-anchor="end" fill="#333">3.5</text><line x1="29.1" y1="101.2" x2="306.0" y2="101.2" stroke="#e5e5e5"/><text x="25.1" y="105.2" text-anchor="end" fill="#333">4.0</text><line x1="29.1" y1="82.8" x2="306.0" y2="82.8" stroke="#e5e5e5"/><text x="25.1" y="86.8" text-anchor="end" fill="#333">4.5</text><line x1="29.1" y1="64.4" x2="306.0" y2="64.4" stroke="#e5e5e5"/><text x="25.1" y="68.4" text-anchor="end" fill="#333">5.0</text><line x1="29.1" y1="46.0" x2="306.0" y2="46.0" stroke="#e5e5e5"/><text x="25.1" y="50.0" text-anchor="end" fill="#333">5.5</text><line x1="29.1" y1="138.0" x2="306.0" y2="138.0" stroke="#555555"/><line x1="167.6" y1="138.0" x2="167.6" y2="142.0" stroke="#555555"/><text x="167.6" y="154.0" text-anchor="middle" fill="#333">2009</text><polyline points="29.1,123.3 121.4,97.5 213.7,49.7 306.0,68.1" fill="none" stroke="#1f4e79" stroke-width="2"/><circle cx="306.0" cy="68.1" r="3.0" fill="#1f4e79"/></svg>"##]].assert_eq(&svg);
    }

    #[test]
    fn a_band_out_of_view_is_neither_drawn_nor_in_the_legend() {
        let svg = chart().to_svg();
        assert!(!svg.contains(">red<"));
        assert!(!svg.contains(palette::RED));
    }

    #[test]
    fn the_same_chart_gives_the_same_bytes() {
        assert_eq!(chart().to_svg(), chart().to_svg());
    }

    #[test]
    fn an_empty_chart_is_still_a_document() {
        let mut empty = chart();
        empty.lines.clear();
        let svg = empty.to_svg();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
