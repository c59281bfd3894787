//! Reading single cells: published numbers and the symbols statistical offices put instead.

use domain::{Date, ObservationStatus, parse_value};

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Value(f64, ObservationStatus),
    /// Blank, `N.A.` or a confidential figure (`[*1]`): no value was published.
    NoValue,
    /// A lone `-`: "nil" or "not applicable" depending on the table's legend.
    Dash,
    Bad(String),
}

pub(crate) fn classify_cell(text: &str) -> Cell {
    let text = text.trim();
    match text {
        "" | "N.A." | "N.A" | "n.a." | "NA" | ".." | "..." => return Cell::NoValue,
        "-" | "–" | "—" => return Cell::Dash,
        _ => {}
    }
    if text.starts_with('[') && text.ends_with(']') {
        // C&SD markers: `[-§1]` "decrease of less than 0.05%", `[*1]` "not released".
        if text.contains('§') {
            return Cell::Value(0.0, ObservationStatus::BelowHalfUnit);
        }
        if text.contains('*') {
            return Cell::NoValue;
        }
        return Cell::Bad(format!("unknown symbol '{text}'"));
    }
    match parse_value(text) {
        Ok(value) => Cell::Value(value, ObservationStatus::Normal),
        Err(error @ domain::DomainError::NumberOutOfRange(_)) => Cell::Bad(error.to_string()),
        Err(_) => Cell::Bad(format!("'{text}' is not a number")),
    }
}

/// Parses C&SD's `19 December, 2025`.
pub(crate) fn parse_release_date(text: &str) -> Option<Date> {
    let words: Vec<&str> = text
        .split([' ', ','])
        .filter(|word| !word.is_empty())
        .collect();
    let [day, month_name, year] = words.as_slice() else {
        return None;
    };
    let month = domain::Period::from_year_and_label(year, month_name).ok()?;
    let day: i8 = day.parse().ok()?;
    let first = month.start_date();
    Date::new(first.year(), first.month(), day).ok()
}

/// Removes footnote references such as `(1)` from a heading or label.
pub(crate) fn strip_footnote_refs(text: &str) -> String {
    let mut result = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        match after.find(')') {
            Some(close) if close > 0 && after[..close].bytes().all(|b| b.is_ascii_digit()) => {
                result.push_str(rest[..open].trim_end());
                rest = &after[close + 1..];
            }
            _ => {
                result.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    result.push_str(rest);
    result.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csd_symbols_have_their_published_meaning() {
        assert_eq!(
            classify_cell("51452"),
            Cell::Value(51452.0, ObservationStatus::Normal)
        );
        assert_eq!(
            classify_cell("[-§1]"),
            Cell::Value(0.0, ObservationStatus::BelowHalfUnit)
        );
        assert_eq!(classify_cell("[*1]"), Cell::NoValue);
        assert_eq!(classify_cell("N.A."), Cell::NoValue);
        assert_eq!(classify_cell(" - "), Cell::Dash);
        assert!(matches!(classify_cell("[#9]"), Cell::Bad(_)));
        assert!(matches!(classify_cell("abc"), Cell::Bad(_)));
    }

    #[test]
    fn release_dates_and_footnotes() {
        assert_eq!(
            parse_release_date(" 19 December, 2025")
                .unwrap()
                .to_string(),
            "2025-12-19"
        );
        assert_eq!(parse_release_date("someday"), None);
        assert_eq!(strip_footnote_refs("Vacancy rate (1)"), "Vacancy rate");
        assert_eq!(
            strip_footnote_refs("Index (Q1 1999 = 100)"),
            "Index (Q1 1999 = 100)"
        );
    }
}
