//! Signed horizontal bars: contributions, counts by industry.

use crate::axis::{Scale, decimals_for, format_number, nice_ticks};
use crate::palette;
use crate::svg::{MUTED, Svg, fit_text, text_width};

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub color: &'static str,
}

/// Horizontal bars from a zero line, one row each, labels on the left and values at the
/// bar ends. The height follows from the number of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub width: f64,
    pub label: String,
    pub unit: String,
    pub bars: Vec<Bar>,
    /// Decimals of the values written at the bar ends.
    pub decimals: usize,
}

const ROW: f64 = 22.0;
const FONT: f64 = 11.0;

impl BarChart {
    pub fn height(&self) -> f64 {
        ROW * self.bars.len().max(1) as f64 + 44.0
    }

    pub fn to_svg(&self) -> String {
        let height = self.height();
        let low = self.bars.iter().map(|bar| bar.value).fold(0.0, f64::min);
        let high = self.bars.iter().map(|bar| bar.value).fold(0.0, f64::max);
        let mut ticks = nice_ticks(low, high, 4);
        // Whole numbers (counts, scores) get whole ticks.
        if self.decimals == 0 && ticks.len() > 1 && ticks[1] - ticks[0] < 1.0 {
            ticks = (low.floor() as i64..=high.ceil() as i64)
                .map(|tick| tick as f64)
                .collect();
        }
        let decimals = decimals_for(&ticks);
        let label_width = self
            .bars
            .iter()
            .map(|bar| text_width(&bar.label, FONT))
            .fold(0.0, f64::max)
            .min(self.width * 0.42);
        let value_room = 8.0 + 9.0 * (self.decimals as f64 + 5.0) * 0.6;
        let left = label_width + 14.0 + if low < 0.0 { value_room } else { 0.0 };
        let right = self.width - value_room;
        let top = 22.0;
        let bottom = height - 22.0;
        let scale = Scale {
            domain: (ticks[0], ticks[ticks.len() - 1]),
            range: (left, right),
        };
        let mut svg = Svg::new(self.width, height, &self.label);
        if !self.unit.is_empty() {
            svg.text((right, 14.0), "end", &self.unit, MUTED);
        }
        for &tick in &ticks {
            let x = scale.map(tick);
            let stroke = if tick == 0.0 {
                palette::AXIS
            } else {
                palette::GRID
            };
            svg.line((x, top), (x, bottom), stroke, "");
            svg.text(
                (x, bottom + 15.0),
                "middle",
                &format_number(tick, decimals),
                MUTED,
            );
        }
        let zero = scale.map(0.0);
        for (index, bar) in self.bars.iter().enumerate() {
            let y = top + ROW * index as f64;
            let end = scale.map(bar.value);
            svg.rect(
                end.min(zero),
                y + 4.0,
                (end - zero).abs(),
                ROW - 8.0,
                bar.color,
                "",
            );
            svg.text(
                (6.0, y + 15.0),
                "start",
                &fit_text(&bar.label, label_width, FONT),
                "",
            );
            let (at, anchor) = if bar.value < 0.0 {
                (end - 4.0, "end")
            } else {
                (end + 4.0, "start")
            };
            svg.text(
                (at, y + 15.0),
                anchor,
                &format_number(bar.value, self.decimals),
                MUTED,
            );
        }
        svg.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_grow_both_ways_from_zero() {
        let chart = BarChart {
            width: 300.0,
            label: "Contributions".to_owned(),
            unit: "pp".to_owned(),
            bars: vec![
                Bar {
                    label: "職位空缺".to_owned(),
                    value: 0.8,
                    color: palette::UP,
                },
                Bar {
                    label: "Unemployment".to_owned(),
                    value: -1.25,
                    color: palette::DOWN,
                },
            ],
            decimals: 2,
        };
        let svg = chart.to_svg();
        expect_test::expect![[r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 88" width="300" height="88" role="img" aria-label="Contributions" font-family="&#39;Noto Sans CJK TC&#39;, &#39;Noto Sans TC&#39;, &#39;Microsoft JhengHei&#39;, &#39;PingFang TC&#39;, sans-serif" font-size="11"><text x="254.2" y="14.0" text-anchor="end" fill="#333">pp</text><line x1="136.4" y1="22.0" x2="136.4" y2="66.0" stroke="#e5e5e5"/><text x="136.4" y="81.0" text-anchor="middle" fill="#333">-2</text><line x1="175.6" y1="22.0" x2="175.6" y2="66.0" stroke="#e5e5e5"/><text x="175.6" y="81.0" text-anchor="middle" fill="#333">-1</text><line x1="214.9" y1="22.0" x2="214.9" y2="66.0" stroke="#555555"/><text x="214.9" y="81.0" text-anchor="middle" fill="#333">0</text><line x1="254.2" y1="22.0" x2="254.2" y2="66.0" stroke="#e5e5e5"/><text x="254.2" y="81.0" text-anchor="middle" fill="#333">1</text><rect x="214.9" y="26.0" width="31.4" height="14.0" fill="#2e7d32"/><text x="6.0" y="37.0" text-anchor="start">職位空缺</text><text x="250.3" y="37.0" text-anchor="start" fill="#333">0.80</text><rect x="165.8" y="48.0" width="49.1" height="14.0" fill="#c62828"/><text x="6.0" y="59.0" text-anchor="start">Unemployment</text><text x="161.8" y="59.0" text-anchor="end" fill="#333">-1.25</text></svg>"##]].assert_eq(&svg);
    }
}
