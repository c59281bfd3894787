//! A path through an x–y plane in time order, such as a Beveridge curve.

use crate::axis::{Scale, decimals_for, draw_y_grid, format_number, nice_ticks, tick_label_width};
use crate::palette;
use crate::svg::{BOLD, MUTED, Svg};

/// One point of the path; labelled points get their label written beside them.
#[derive(Debug, Clone, PartialEq)]
pub struct PathPoint {
    pub x: f64,
    pub y: f64,
    pub label: Option<String>,
}

/// Points joined in order, older ones fainter, the last one marked.
#[derive(Debug, Clone, PartialEq)]
pub struct PathChart {
    pub width: f64,
    pub height: f64,
    pub label: String,
    pub x_label: String,
    pub y_label: String,
    pub points: Vec<PathPoint>,
    pub color: &'static str,
}

impl PathChart {
    pub fn to_svg(&self) -> String {
        let (x_min, x_max, y_min, y_max) = self.points.iter().fold(
            (f64::MAX, f64::MIN, f64::MAX, f64::MIN),
            |(x0, x1, y0, y1), point| {
                (
                    x0.min(point.x),
                    x1.max(point.x),
                    y0.min(point.y),
                    y1.max(point.y),
                )
            },
        );
        let (x_ticks, y_ticks) = if self.points.is_empty() {
            (nice_ticks(0.0, 1.0, 5), nice_ticks(0.0, 1.0, 5))
        } else {
            (nice_ticks(x_min, x_max, 6), nice_ticks(y_min, y_max, 5))
        };
        let left = tick_label_width(&y_ticks) + 10.0;
        let top = 26.0;
        let right = self.width - 16.0;
        let bottom = self.height - 40.0;
        let x_scale = Scale {
            domain: (x_ticks[0], x_ticks[x_ticks.len() - 1]),
            range: (left, right),
        };
        let y_scale = Scale {
            domain: (y_ticks[0], y_ticks[y_ticks.len() - 1]),
            range: (bottom, top),
        };
        let mut svg = Svg::new(self.width, self.height, &self.label);
        svg.text((left - 4.0, 16.0), "start", &self.y_label, MUTED);
        draw_y_grid(&mut svg, &y_ticks, y_scale, left, right);
        let x_decimals = decimals_for(&x_ticks);
        for &tick in &x_ticks {
            let x = x_scale.map(tick);
            svg.line((x, top), (x, bottom), palette::GRID, "");
            svg.text(
                (x, bottom + 15.0),
                "middle",
                &format_number(tick, x_decimals),
                MUTED,
            );
        }
        svg.text(
            (f64::midpoint(left, right), bottom + 32.0),
            "middle",
            &self.x_label,
            MUTED,
        );
        let pixels: Vec<(f64, f64)> = self
            .points
            .iter()
            .map(|point| (x_scale.map(point.x), y_scale.map(point.y)))
            .collect();
        let count = pixels.len();
        for (index, pair) in pixels.windows(2).enumerate() {
            let opacity = 0.2 + 0.8 * (index + 1) as f64 / count.max(1) as f64;
            svg.line(
                pair[0],
                pair[1],
                self.color,
                &format!(r#" stroke-width="1.5" stroke-opacity="{opacity:.2}""#),
            );
        }
        for (index, (point, &pixel)) in self.points.iter().zip(&pixels).enumerate() {
            let is_last = index + 1 == count;
            let opacity = 0.2 + 0.8 * (index + 1) as f64 / count.max(1) as f64;
            if is_last {
                svg.circle(pixel, 5.0, palette::SECOND, "");
            } else {
                svg.circle(
                    pixel,
                    2.5,
                    self.color,
                    &format!(r#" fill-opacity="{opacity:.2}""#),
                );
            }
            if let Some(label) = &point.label {
                let anchor = if pixel.0 > f64::midpoint(left, right) {
                    "end"
                } else {
                    "start"
                };
                let dx = if anchor == "end" { -7.0 } else { 7.0 };
                svg.text((pixel.0 + dx, pixel.1 - 6.0), anchor, label, BOLD);
            }
        }
        svg.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_is_drawn_in_order_and_labels_stay_inside() {
        let chart = PathChart {
            width: 240.0,
            height: 160.0,
            label: "Beveridge curve".to_owned(),
            x_label: "Unemployment rate (%)".to_owned(),
            y_label: "Vacancy rate (%)".to_owned(),
            points: vec![
                PathPoint {
                    x: 3.0,
                    y: 2.5,
                    label: Some("2019".to_owned()),
                },
                PathPoint {
                    x: 5.5,
                    y: 1.2,
                    label: None,
                },
                PathPoint {
                    x: 3.8,
                    y: 1.9,
                    label: Some("Q3 2025".to_owned()),
                },
            ],
            color: palette::INK,
        };
        let svg = chart.to_svg();
        expect_test::expect![[r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 160" width="240" height="160" role="img" aria-label="Beveridge curve" font-family="&#39;Noto Sans CJK TC&#39;, &#39;Noto Sans TC&#39;, &#39;Microsoft JhengHei&#39;, &#39;PingFang TC&#39;, sans-serif" font-size="11"><text x="25.1" y="16.0" text-anchor="start" fill="#333">Vacancy rate (%)</text><line x1="29.1" y1="120.0" x2="224.0" y2="120.0" stroke="#e5e5e5"/><text x="25.1" y="124.0" text-anchor="end" fill="#333">1.0</text><line x1="29.1" y1="88.7" x2="224.0" y2="88.7" stroke="#e5e5e5"/><text x="25.1" y="92.7" text-anchor="end" fill="#333">1.5</text><line x1="29.1" y1="57.3" x2="224.0" y2="57.3" stroke="#e5e5e5"/><text x="25.1" y="61.3" text-anchor="end" fill="#333">2.0</text><line x1="29.1" y1="26.0" x2="224.0" y2="26.0" stroke="#e5e5e5"/><text x="25.1" y="30.0" text-anchor="end" fill="#333">2.5</text><line x1="29.1" y1="26.0" x2="29.1" y2="120.0" stroke="#e5e5e5"/><text x="29.1" y="135.0" text-anchor="middle" fill="#333">3.0</text><line x1="68.1" y1="26.0" x2="68.1" y2="120.0" stroke="#e5e5e5"/><text x="68.1" y="135.0" text-anchor="middle" fill="#333">3.5</text><line x1="107.1" y1="26.0" x2="107.1" y2="120.0" stroke="#e5e5e5"/><text x="107.1" y="135.0" text-anchor="middle" fill="#333">4.0</text><line x1="146.1" y1="26.0" x2="146.1" y2="120.0" stroke="#e5e5e5"/><text x="146.1" y="135.0" text-anchor="middle" fill="#333">4.5</text><line x1="185.0" y1="26.0" x2="185.0" y2="120.0" stroke="#e5e5e5"/><text x="185.0" y="135.0" text-anchor="middle" fill="#333">5.0</text><line x1="224.0" y1="26.0" x2="224.0" y2="120.0" stroke="#e5e5e5"/><text x="224.0" y="135.0" text-anchor="middle" fill="#333">5.5</text><text x="126.6" y="152.0" text-anchor="middle" fill="#333">Unemployment rate (%)</text><line x1="29.1" y1="26.0" x2="224.0" y2="107.5" stroke="#1f4e79" stroke-width="1.5" stroke-opacity="0.47"/><line x1="224.0" y1="107.5" x2="91.5" y2="63.6" stroke="#1f4e79" stroke-width="1.5" stroke-opacity="0.73"/><circle cx="29.1" cy="26.0" r="2.5" fill="#1f4e79" fill-opacity="0.47"/><text x="36.1" y="20.0" text-anchor="start" fill="#111" font-weight="bold">2019</text><circle cx="224.0" cy="107.5" r="2.5" fill="#1f4e79" fill-opacity="0.73"/><circle cx="91.5" cy="63.6" r="5.0" fill="#c55a11"/><text x="98.5" y="57.6" text-anchor="start" fill="#111" font-weight="bold">Q3 2025</text></svg>"##]].assert_eq(&svg);
    }
}
