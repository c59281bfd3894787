//! Periods as people write them in tables: C&SD's Chinese labels, English month and quarter
//! names, fiscal years.

use super::{MONTH_ABBREVIATIONS, MONTH_NAMES, Period, PeriodKind, fiscal_year, parse_year};
use crate::DomainError;

/// One piece of a written period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    /// Digits (Arabic, full-width or Chinese numerals up to 十二), with how many were written.
    Number(u16, usize),
    /// A run of ASCII letters: a month name or `Q`.
    Word(&'a str),
    /// 年
    Year,
    /// 月
    Month,
    /// 第
    Ordinal,
    /// 季
    Quarter,
    /// `-`, `–`, `—`, `~`, 至, `to`: the two ends of a range.
    Range,
    Slash,
}

impl Period {
    /// Reads a period in any of the forms C&SD, the Government and spreadsheet users write:
    /// the canonical forms of [`Period::parse`]; `2025年`, `2025年1月`, `2025年第3季`,
    /// `2025年1月至3月`, `2025年1月 - 3月`, `2024年12月至2025年2月` (three months);
    /// `Jan 2025`, `January 2025`, `Q3 2025`, `2025 Q3`, `2025Q3`, `Jan - Mar 2025`,
    /// `Dec 2025–Feb 2026`; `2025/26` and `2025/26年度` (a fiscal year, April to March).
    ///
    /// ```
    /// use domain::Period;
    ///
    /// assert_eq!(Period::read("2025年1月至3月").unwrap().to_string(), "2025-03/3M");
    /// assert_eq!(Period::read("Q3 2025").unwrap().to_string(), "2025-Q3");
    /// assert_eq!(Period::read("2025/26").unwrap().label_en(), "2025/26");
    /// ```
    pub fn read(text: &str) -> Result<Period, DomainError> {
        if let Ok(period) = Period::parse(text) {
            return Ok(period);
        }
        let error = || DomainError::PeriodText(text.trim().to_owned());
        let tokens = tokens(text).ok_or_else(error)?;
        from_tokens(&tokens).ok_or_else(error)
    }
}

fn from_tokens(tokens: &[Token<'_>]) -> Option<Period> {
    use Token::{Month, Number, Ordinal, Quarter, Range, Slash, Word, Year};
    let kind = match *tokens {
        [Number(year, 4), Year] => PeriodKind::Year(year_of(year)?),
        [Number(year, 4), Year, Number(month, _), Month] => PeriodKind::Month {
            year: year_of(year)?,
            month: month_number(month)?,
        },
        [Word(name), Number(year, 4)] | [Number(year, 4), Word(name)] => PeriodKind::Month {
            year: year_of(year)?,
            month: month_of_name(name)?,
        },
        [Number(year, 4), Year, Ordinal, Number(quarter, _), Quarter]
        | [Number(year, 4), Year, Number(quarter, _), Quarter]
        | [Word("Q" | "q"), Number(quarter, 1), Number(year, 4)]
        | [Number(year, 4), Word("Q" | "q"), Number(quarter, 1)] => PeriodKind::Quarter {
            year: year_of(year)?,
            quarter: u8::try_from(quarter).ok().filter(|q| (1..=4).contains(q))?,
        },
        // 2025年1月至3月: the end month is in the same year unless it comes before the start.
        [
            Number(year, 4),
            Year,
            Number(first, _),
            Month,
            Range,
            Number(last, _),
            Month,
        ] => three_months(
            year_of(year)?,
            month_number(first)?,
            None,
            month_number(last)?,
        )?,
        [
            Number(year, 4),
            Year,
            Number(first, _),
            Month,
            Range,
            Number(last_year, 4),
            Year,
            Number(last, _),
            Month,
        ] => three_months(
            year_of(year)?,
            month_number(first)?,
            Some(year_of(last_year)?),
            month_number(last)?,
        )?,
        // Jan - Mar 2025; Dec - Feb 2026 ends in the year written.
        [Word(first), Range, Word(last), Number(year, 4)] => {
            let (first, last) = (month_of_name(first)?, month_of_name(last)?);
            let start_year = if first > last { year - 1 } else { year };
            three_months(year_of(start_year)?, first, Some(year_of(year)?), last)?
        }
        [
            Word(first),
            Number(first_year, 4),
            Range,
            Word(last),
            Number(year, 4),
        ] => three_months(
            year_of(first_year)?,
            month_of_name(first)?,
            Some(year_of(year)?),
            month_of_name(last)?,
        )?,
        [
            Number(first_year, 4),
            Slash,
            Number(second, digits @ (2 | 4)),
        ]
        | [
            Number(first_year, 4),
            Slash,
            Number(second, digits @ (2 | 4)),
            Year,
        ] => {
            let second = format!("{second:0digits$}");
            return fiscal_year(year_of(first_year)?, &second);
        }
        _ => return None,
    };
    Period::new(kind).ok()
}

/// The three months from `first` (in `year`) to `last` (in `last_year`, or the year that
/// makes them three months), when they are three months.
fn three_months(year: i16, first: u8, last_year: Option<i16>, last: u8) -> Option<PeriodKind> {
    let end_year = last_year.unwrap_or(if last < first { year + 1 } else { year });
    let start = i32::from(year) * 12 + i32::from(first);
    let end = i32::from(end_year) * 12 + i32::from(last);
    (end - start == 2).then_some(PeriodKind::ThreeMonthsEnding {
        year: end_year,
        month: last,
    })
}

fn year_of(number: u16) -> Option<i16> {
    parse_year(&number.to_string())
}

fn month_number(number: u16) -> Option<u8> {
    u8::try_from(number).ok().filter(|m| (1..=12).contains(m))
}

/// `Sep`, `Sept`, `September` (any case); not other prefixes.
fn month_of_name(word: &str) -> Option<u8> {
    let position = |names: &[&str]| {
        names
            .iter()
            .position(|name| name.eq_ignore_ascii_case(word))
    };
    let index = position(&MONTH_ABBREVIATIONS)
        .or_else(|| position(&MONTH_NAMES))
        .or_else(|| word.eq_ignore_ascii_case("Sept").then_some(8))?;
    u8::try_from(index + 1).ok()
}

fn tokens(text: &str) -> Option<Vec<Token<'_>>> {
    let mut tokens = Vec::new();
    let mut rest = text.trim();
    while let Some(ch) = rest.chars().next() {
        let width = ch.len_utf8();
        let token = match ch {
            _ if ch.is_whitespace() || matches!(ch, ',' | '.' | '，') => None,
            '0'..='9' | '０'..='９' => {
                let end = rest
                    .find(|c: char| !(c.is_ascii_digit() || ('０'..='９').contains(&c)))
                    .unwrap_or(rest.len());
                // Full-width digits (０-９) as Chinese input methods type them.
                let digits: String = rest[..end]
                    .chars()
                    .map(|c| match c {
                        '０'..='９' => char::from(b'0' + (u32::from(c) - u32::from('０')) as u8),
                        _ => c,
                    })
                    .collect();
                let count = digits.chars().count();
                let value = digits.parse().ok()?;
                rest = &rest[end..];
                tokens.push(Token::Number(value, count));
                continue;
            }
            'a'..='z' | 'A'..='Z' => {
                let end = rest
                    .find(|c: char| !c.is_ascii_alphabetic())
                    .unwrap_or(rest.len());
                let word = &rest[..end];
                rest = &rest[end..];
                tokens.push(if word.eq_ignore_ascii_case("to") {
                    Token::Range
                } else {
                    Token::Word(word)
                });
                continue;
            }
            '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' => {
                let end = rest
                    .find(|c: char| chinese_digit(c).is_none())
                    .unwrap_or(rest.len());
                let value = chinese_number(&rest[..end])?;
                rest = &rest[end..];
                tokens.push(Token::Number(value, 1));
                continue;
            }
            '年' => Some(Token::Year),
            '月' => Some(Token::Month),
            '第' => Some(Token::Ordinal),
            '季' => Some(Token::Quarter),
            // 年度 (fiscal year) and 季度 (quarter) read as 年 and 季.
            '度' if matches!(tokens.last(), Some(Token::Year | Token::Quarter)) => None,
            '-' | '–' | '—' | '~' | '～' | '至' | '－' => Some(Token::Range),
            '/' | '／' => Some(Token::Slash),
            _ => return None,
        };
        tokens.extend(token);
        rest = &rest[width..];
    }
    Some(tokens)
}

fn chinese_digit(ch: char) -> Option<u16> {
    "一二三四五六七八九十"
        .chars()
        .position(|digit| digit == ch)
        .and_then(|index| u16::try_from(index + 1).ok())
}

/// 一 to 十二, as months and quarters are written.
fn chinese_number(text: &str) -> Option<u16> {
    let digits: Vec<u16> = text.chars().map(chinese_digit).collect::<Option<_>>()?;
    match digits.as_slice() {
        [digit] => Some(*digit),
        [10, digit] if *digit < 10 => Some(10 + digit),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_people_write_are_read() {
        let cases = [
            ("2025年", "2025"),
            ("2025年1月", "2025-01"),
            ("2025 年 12 月", "2025-12"),
            ("2025年第3季", "2025-Q3"),
            ("2025年第三季", "2025-Q3"),
            ("2025年第3季度", "2025-Q3"),
            ("2025年1月至3月", "2025-03/3M"),
            ("2025年1月 - 3月", "2025-03/3M"),
            ("2025年1月–2025年3月", "2025-03/3M"),
            ("2024年12月至2025年2月", "2025-02/3M"),
            ("2024年12月至2月", "2025-02/3M"),
            ("Jan 2025", "2025-01"),
            ("January 2025", "2025-01"),
            ("Sept 2025", "2025-09"),
            ("2025 Q3", "2025-Q3"),
            ("2025Q3", "2025-Q3"),
            ("Q3 2025", "2025-Q3"),
            ("Jan - Mar 2025", "2025-03/3M"),
            ("Jul–Sep 2025", "2025-09/3M"),
            ("Dec - Feb 2026", "2026-02/3M"),
            ("Dec 2025–Feb 2026", "2026-02/3M"),
            ("2025/26", "2025/26"),
            ("1999/00", "1999/00"),
            ("2025/2026", "2025/26"),
            ("2025/26年度", "2025/26"),
            ("2025-09", "2025-09"),
        ];
        for (text, expected) in cases {
            let period = Period::read(text).map(|period| period.to_string());
            assert_eq!(period.as_deref(), Ok(expected), "{text}");
        }
    }

    #[test]
    fn labels_read_back() {
        for text in [
            "2025",
            "2025-Q3",
            "2025-09",
            "2026-02/3M",
            "2025/26",
            "1999/00",
        ] {
            let period = Period::parse(text).unwrap();
            assert_eq!(Period::read(&period.label_en()), Ok(period), "{text}");
            assert_eq!(Period::read(&period.label_zh()), Ok(period), "{text}");
        }
    }

    #[test]
    fn what_is_not_a_period_is_refused() {
        for text in [
            "2025年13月",
            "2025年第5季",
            "2025年1月至4月",
            "Jan - Feb 2025",
            "Janu 2025",
            "Q5 2025",
            "2025/27",
            "25/26",
            "Mar-25",
            "3/2025",
            "2025年1月1日",
            "",
            "全年",
        ] {
            assert!(Period::read(text).is_err(), "{text}");
        }
    }
}
