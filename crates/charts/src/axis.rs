//! Axes: round tick values, number labels, and the mapping from data to pixels.

use crate::palette;
use crate::svg::{MUTED, Svg, text_width};

/// Round tick values covering `[min, max]`, about `target` of them: steps of 1, 2, 2.5 or 5
/// times a power of ten. The first tick is at or below `min` and the last at or above `max`.
pub fn nice_ticks(min: f64, max: f64, target: usize) -> Vec<f64> {
    let (min, max) = if min.is_finite() && max.is_finite() {
        (min.min(max), min.max(max))
    } else {
        (0.0, 1.0)
    };
    let (min, max) = if max - min < f64::EPSILON * max.abs().max(1.0) {
        (min - 1.0, max + 1.0)
    } else {
        (min, max)
    };
    let step = nice_step((max - min) / target.max(1) as f64);
    let first = (min / step).floor() as i64;
    let last = (max / step).ceil() as i64;
    (first..=last).map(|index| index as f64 * step).collect()
}

fn nice_step(rough: f64) -> f64 {
    let magnitude = 10f64.powf(rough.log10().floor());
    let fraction = rough / magnitude;
    let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|&candidate| fraction <= candidate)
        .unwrap_or(10.0);
    nice * magnitude
}

/// Decimals needed to tell ticks `step` apart.
pub(crate) fn decimals_for(ticks: &[f64]) -> usize {
    let step = match ticks {
        [first, second, ..] => (second - first).abs(),
        _ => 1.0,
    };
    (0..4)
        .find(|&decimals| {
            let scaled = step * 10f64.powi(decimals);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(4) as usize
}

/// `value` with `decimals` decimals and thousands separators: `51,452`, `-0.35`.
pub fn format_number(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    // "-0.0" would read as a fall that is not there.
    let is_zero = text.chars().all(|c| c == '0' || c == '.');
    let sign = if value < 0.0 && !is_zero { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

/// A linear map from a data interval onto a pixel interval.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    pub(crate) domain: (f64, f64),
    pub(crate) range: (f64, f64),
}

impl Scale {
    pub(crate) fn map(self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if (d1 - d0).abs() < f64::EPSILON {
            return f64::midpoint(r0, r1);
        }
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }

    /// `value` mapped and held inside the range.
    pub(crate) fn clamp_map(self, value: f64) -> f64 {
        let (low, high) = (
            self.range.0.min(self.range.1),
            self.range.0.max(self.range.1),
        );
        self.map(value).clamp(low, high)
    }
}

/// Width the labels of `ticks` need, at the axis font size.
pub(crate) fn tick_label_width(ticks: &[f64]) -> f64 {
    let decimals = decimals_for(ticks);
    ticks
        .iter()
        .map(|&tick| text_width(&format_number(tick, decimals), 11.0))
        .fold(0.0, f64::max)
}

/// Horizontal grid lines with their labels left of `left`.
pub(crate) fn draw_y_grid(svg: &mut Svg, ticks: &[f64], scale: Scale, left: f64, right: f64) {
    let decimals = decimals_for(ticks);
    for &tick in ticks {
        let y = scale.map(tick);
        let stroke = if tick == 0.0 {
            palette::AXIS
        } else {
            palette::GRID
        };
        svg.line((left, y), (right, y), stroke, "");
        svg.text(
            (left - 4.0, y + 4.0),
            "end",
            &format_number(tick, decimals),
            MUTED,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_data() {
        assert_eq!(nice_ticks(2.8, 8.5, 5), vec![2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(
            nice_ticks(0.0, 100.0, 4),
            vec![0.0, 25.0, 50.0, 75.0, 100.0]
        );
        let ticks = nice_ticks(-1.3, 0.4, 5);
        assert!(ticks[0] <= -1.3 && *ticks.last().unwrap() >= 0.4);
        assert_eq!(nice_ticks(3.0, 3.0, 5), vec![2.0, 2.5, 3.0, 3.5, 4.0]);
    }

    #[test]
    fn numbers_have_separators_and_no_negative_zero() {
        assert_eq!(format_number(51_452.0, 0), "51,452");
        assert_eq!(format_number(-1_234_567.891, 2), "-1,234,567.89");
        assert_eq!(format_number(-0.04, 1), "0.0");
        assert_eq!(format_number(999.0, 0), "999");
        assert_eq!(format_number(0.5, 2), "0.50");
    }

    #[test]
    fn tick_decimals_follow_the_step() {
        assert_eq!(decimals_for(&[0.0, 2.5, 5.0]), 1);
        assert_eq!(decimals_for(&[0.0, 20_000.0]), 0);
        assert_eq!(decimals_for(&[0.0, 0.25]), 2);
    }
}
