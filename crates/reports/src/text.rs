//! Words in Traditional Chinese (as C&SD writes them) and English: dates, periods, numbers,
//! changes, levels. The dashboard (`api`) uses the same words.

use domain::{Date, Period};
use engine::report::AlertLevel;

/// A language of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Traditional Chinese, as C&SD writes it.
    ZhHant,
    En,
    /// Both, for the labels of the XLSX appendix (`失業率 Unemployment rate`).
    Both,
}

impl Lang {
    /// The BCP 47 tag of the language (`zh-Hant`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhHant => "zh-Hant",
            Lang::En => "en",
            Lang::Both => "mul",
        }
    }

    /// One of two texts by language; both joined for [`Lang::Both`].
    pub fn pick(self, zh: &str, en: &str) -> String {
        match self {
            Lang::ZhHant => zh.to_owned(),
            Lang::En => en.to_owned(),
            Lang::Both if zh == en => zh.to_owned(),
            Lang::Both => format!("{zh} {en}"),
        }
    }
}

pub fn date(lang: Lang, date: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let zh = format!("{}年{}月{}日", date.year(), date.month(), date.day());
    let en = format!(
        "{} {} {}",
        date.day(),
        MONTHS[usize::try_from(date.month() - 1).unwrap_or(0)],
        date.year()
    );
    lang.pick(&zh, &en)
}

pub fn period(lang: Lang, period: Period) -> String {
    lang.pick(&period.label_zh(), &period.label_en())
}

pub fn number(value: f64, decimals: usize) -> String {
    charts::format_number(value, decimals)
}

/// A number with a sign: `+0.5`, `-1.2`, `0.0`.
pub fn signed(value: f64, decimals: usize) -> String {
    let text = number(value, decimals);
    if text.starts_with('-') || text.chars().all(|c| c == '0' || c == '.') {
        text
    } else {
        format!("+{text}")
    }
}

/// A value with its unit as people write it: `3.8%`, `HK$21,200`, `51,452`.
pub fn with_unit(lang: Lang, value: f64, decimals: usize, unit: &str) -> String {
    let figure = number(value, decimals);
    match unit {
        "%" => format!("{figure}%"),
        "HK$" => format!("HK${figure}"),
        "persons" | "number" | "index" | "" => figure,
        "pp" => format!("{figure}{}", lang.pick("個百分點", " pp")),
        other => format!("{figure} {other}"),
    }
}

/// How a value moved, in words: "up 0.1 percentage point", "下降2.3%", "unchanged".
/// Rates (unit `%`) move in percentage points, everything else in per cent.
pub fn change(lang: Lang, from: f64, to: f64, decimals: usize, unit: &str) -> String {
    let is_rate = unit == "%";
    let difference = if is_rate {
        to - from
    } else if from == 0.0 {
        f64::NAN
    } else {
        100.0 * (to - from) / from.abs()
    };
    let shown_decimals = if is_rate { decimals } else { 1 };
    let magnitude = number(difference.abs(), shown_decimals);
    if difference.is_nan() {
        return lang.pick("無從比較", "not comparable");
    }
    if magnitude.chars().all(|c| c == '0' || c == '.') {
        return lang.pick("不變", "unchanged");
    }
    let up = difference > 0.0;
    match (lang, is_rate) {
        (Lang::En, true) => format!(
            "{} {magnitude} percentage point{}",
            if up { "up" } else { "down" },
            if difference.abs() > 1.0 { "s" } else { "" }
        ),
        (Lang::En, false) => format!("{} {magnitude}%", if up { "up" } else { "down" }),
        (_, true) => format!("{}{magnitude}個百分點", if up { "上升" } else { "下降" }),
        (_, false) => format!("{}{magnitude}%", if up { "上升" } else { "下降" }),
    }
}

pub fn level(lang: Lang, level: AlertLevel) -> String {
    lang.pick(level.name_zh(), level.as_str())
}

pub fn arrears_level(lang: Lang, level: domain::ArrearsLevel) -> String {
    lang.pick(level.name_zh(), level.as_str())
}

/// Money in cents as `HK$1,234,567`.
pub fn money(cents: impl Into<i128>) -> String {
    format!("HK${}", number(cents.into() as f64 / 100.0, 0))
}

/// A list joined as people write it: `A, B and C` / `A、B及C`.
pub fn list(lang: Lang, items: &[String]) -> String {
    match (lang, items) {
        (_, []) => String::new(),
        (_, [one]) => one.clone(),
        (Lang::En, [init @ .., last]) => format!("{} and {last}", init.join(", ")),
        (_, [init @ .., last]) => format!("{}及{last}", init.join("、")),
    }
}

/// A count with a noun: "1 alert", "3 alerts", "3項預警".
pub fn count(lang: Lang, n: usize, zh_measure: &str, en_singular: &str, en_plural: &str) -> String {
    match lang {
        Lang::En => format!("{n} {}", if n == 1 { en_singular } else { en_plural }),
        _ => format!("{n}{zh_measure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_read_as_publishers_write_them() {
        assert_eq!(
            change(Lang::En, 3.9, 3.8, 1, "%"),
            "down 0.1 percentage point"
        );
        assert_eq!(
            change(Lang::En, 3.7, 5.2, 1, "%"),
            "up 1.5 percentage points"
        );
        assert_eq!(change(Lang::ZhHant, 3.9, 3.8, 1, "%"), "下降0.1個百分點");
        assert_eq!(change(Lang::En, 3.8, 3.8, 1, "%"), "unchanged");
        assert_eq!(
            change(Lang::ZhHant, 49_531.0, 51_452.0, 0, "number"),
            "上升3.9%"
        );
        assert_eq!(change(Lang::En, 20_500.0, 21_200.0, 0, "HK$"), "up 3.4%");
        assert_eq!(
            change(Lang::En, 2.0, 3.0, 1, "%"),
            "up 1.0 percentage point"
        );
    }

    #[test]
    fn dates_and_lists_in_both_languages() {
        let day = domain::parse_date("2026-08-31").unwrap();
        assert_eq!(date(Lang::ZhHant, day), "2026年8月31日");
        assert_eq!(date(Lang::En, day), "31 Aug 2026");
        let items = ["F".to_owned(), "H".to_owned(), "L".to_owned()];
        assert_eq!(list(Lang::En, &items), "F, H and L");
        assert_eq!(list(Lang::ZhHant, &items), "F、H及L");
        assert_eq!(signed(0.5, 2), "+0.50");
        assert_eq!(signed(-0.004, 2), "0.00");
    }
}
