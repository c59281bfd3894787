//! Where the per-employee row parsers take their cells from.
//!
//! A [`Row`] gives any cell of a row read by the general reader, and says why a cell is
//! wrong. A [`PlainLine`] reads the cells of a plain line (see [`crate::rows::BlockTable`])
//! in order, straight from the block's text: a date is ten bytes and its delimiter, an
//! amount is read digit by digit up to its delimiter, and no line is split first. It only
//! takes cells written as they should be; at anything else it gives up, and the line is
//! read again as a [`Row`], which finds the same values or says what is wrong. So both
//! give the same records, and rejects always come from the [`Row`].

use jiff::civil::Date;
use labour_law::Money;

use crate::Reject;
use crate::rows::{Row, trim_cell};

/// The cells of one row, read by index (in order for a [`PlainLine`]).
pub(crate) trait Cells<'c> {
    /// Why a row was not read: a [`Reject`] from a [`Row`]; [`GiveUp`] from a
    /// [`PlainLine`].
    type Fail;

    /// The line the row starts on.
    fn line(&self) -> u64;

    /// A failure of cell `index`; `reason` is only called when the failure is a reject.
    fn fail(&self, index: usize, reason: impl FnOnce() -> String) -> Self::Fail;

    /// The text of cell `index`, trimmed.
    fn text(&mut self, index: usize) -> Result<&'c str, Self::Fail>;

    /// The date in cell `index` (`YYYY-MM-DD`), `None` when the cell is empty. `last`
    /// remembers the column's last date and its text.
    fn date(&mut self, index: usize, last: &mut LastDate) -> Result<Option<Date>, Self::Fail>;

    /// The amount in cell `index`: HK$ with two decimals or none, not negative.
    fn amount(&mut self, index: usize) -> Result<Money, Self::Fail>;
}

/// The last date read in one column and its text: the dates of a file repeat from row to
/// row (every row of a month has the same period), and comparing ten bytes is cheaper than
/// reading and checking a date.
#[derive(Default, Clone, Copy)]
pub(crate) struct LastDate(Option<([u8; 10], Date)>);

impl LastDate {
    fn read(&mut self, text: &str) -> Option<Date> {
        match self.0 {
            Some((known, date)) if text.as_bytes() == known => Some(date),
            _ => {
                let date = domain::parse_date(text).ok()?;
                if let Ok(known) = text.as_bytes().try_into() {
                    self.0 = Some((known, date));
                }
                Some(date)
            }
        }
    }
}

impl<'t> Cells<'t> for &Row<'t> {
    type Fail = Reject;

    fn line(&self) -> u64 {
        Row::line(self)
    }

    fn fail(&self, index: usize, reason: impl FnOnce() -> String) -> Reject {
        self.reject(index, reason())
    }

    fn text(&mut self, index: usize) -> Result<&'t str, Reject> {
        Ok(self.cell(index))
    }

    fn date(&mut self, index: usize, last: &mut LastDate) -> Result<Option<Date>, Reject> {
        let text = self.cell(index);
        if text.is_empty() {
            return Ok(None);
        }
        last.read(text)
            .map(Some)
            .ok_or_else(|| self.reject(index, NOT_A_DATE))
    }

    fn amount(&mut self, index: usize) -> Result<Money, Reject> {
        let amount = Money::parse(self.cell(index)).map_err(|_| {
            self.reject(
                index,
                "not an amount of money (expected digits with two decimals or none, e.g. 1234.56)",
            )
        })?;
        if amount.is_negative() {
            return Err(self.reject(index, format!("the amount is negative ({amount})")));
        }
        Ok(amount)
    }
}

/// The reason a date cell is rejected. Like every reason of the rows of a person, it names
/// no value: the cell may hold a name or an HKID in the wrong place.
pub(crate) const NOT_A_DATE: &str = "not a date (expected YYYY-MM-DD)";

/// A [`PlainLine`] met a cell it does not take; the line is read again as a [`Row`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GiveUp;

/// The cells of one plain line, read in order from the block's text.
pub(crate) struct PlainLine<'b> {
    /// The whole block (valid UTF-8, no quote, carriage returns only in `\r\n` line ends).
    text: &'b str,
    /// Where the next cell starts.
    at: usize,
    next_index: usize,
    last_index: usize,
    line: u64,
}

impl<'b> PlainLine<'b> {
    pub(crate) fn new(text: &'b str, start: usize, columns: usize, line: u64) -> PlainLine<'b> {
        PlainLine {
            text,
            at: start,
            next_index: 0,
            last_index: columns.saturating_sub(1),
            line,
        }
    }

    /// Where the line ends (after its line feed, or at the end of the block), once every
    /// cell has been read; `None` before.
    pub(crate) fn end(&self) -> Option<usize> {
        (self.next_index > self.last_index).then(|| self.at.min(self.text.len()))
    }

    /// Takes cell `index`, which ends at `end`, if `end` holds the delimiter a cell there
    /// must end with: a comma, or for the last cell the line end (`\n` or `\r\n`) or the end
    /// of the block.
    fn take(&mut self, index: usize, end: usize) -> Result<&'b str, GiveUp> {
        if index != self.next_index {
            return Err(GiveUp);
        }
        let last = index == self.last_index;
        // A plain block has carriage returns only right before line feeds.
        let (delimited, width) = match self.text.as_bytes().get(end) {
            Some(b',') => (!last, 1),
            Some(b'\n') | None => (last, 1),
            Some(b'\r') => (last, 2),
            Some(_) => (false, 0),
        };
        if !delimited {
            return Err(GiveUp);
        }
        let cell = self.text.get(self.at..end).ok_or(GiveUp)?;
        self.at = end + width;
        self.next_index += 1;
        Ok(cell)
    }

    /// Where the cell that starts at `at` ends: the next comma or line end.
    fn scan(&self) -> usize {
        let bytes = self.text.as_bytes();
        let mut end = self.at;
        while let Some(&byte) = bytes.get(end) {
            if matches!(byte, b',' | b'\n' | b'\r') {
                break;
            }
            end += 1;
        }
        end
    }
}

impl<'b> Cells<'b> for PlainLine<'b> {
    type Fail = GiveUp;

    fn line(&self) -> u64 {
        self.line
    }

    fn fail(&self, _index: usize, _reason: impl FnOnce() -> String) -> GiveUp {
        GiveUp
    }

    fn text(&mut self, index: usize) -> Result<&'b str, GiveUp> {
        let end = self.scan();
        self.take(index, end).map(trim_cell)
    }

    fn date(&mut self, index: usize, last: &mut LastDate) -> Result<Option<Date>, GiveUp> {
        // Empty, or exactly ten bytes: anything else (spaces, other shapes) is the Row's.
        if let Ok(empty) = self.take(index, self.at) {
            debug_assert!(empty.is_empty());
            return Ok(None);
        }
        let text = self.take(index, self.at + 10)?;
        last.read(text).map(Some).ok_or(GiveUp)
    }

    fn amount(&mut self, index: usize) -> Result<Money, GiveUp> {
        // Digits, then a point and two digits or nothing: what `Money::parse` reads as a
        // non-negative amount, without signs, spaces or more than 15 whole digits.
        const WHOLE_DIGITS_MAX: usize = 15;
        let bytes = self.text.as_bytes();
        let mut end = self.at;
        let mut value: i64 = 0;
        while let Some(&byte) = bytes.get(end) {
            let digit = byte.wrapping_sub(b'0');
            if digit > 9 {
                break;
            }
            value = value * 10 + i64::from(digit);
            end += 1;
        }
        let whole_digits = end - self.at;
        if whole_digits == 0 || whole_digits > WHOLE_DIGITS_MAX {
            return Err(GiveUp);
        }
        let mut cents = value * 100;
        if let [b'.', tens @ b'0'..=b'9', units @ b'0'..=b'9', ..] = bytes[end..] {
            cents += i64::from(tens - b'0') * 10 + i64::from(units - b'0');
            end += 3;
        }
        self.take(index, end)?;
        Ok(Money::from_cents(cents))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use jiff::civil::date;
    use labour_law::Pseudonymiser;
    use proptest::prelude::*;

    use super::{GiveUp, PlainLine};
    use crate::inputs::{EmployeeRow, Law, ParseContext, Payroll, Remittance};
    use crate::register::{Employer, Register};
    use crate::rows::{BlockTable, Layout, Row};

    fn register() -> Register {
        let mut register = Register::default();
        for id in ["E1", "E2"] {
            let employer = Employer {
                id: id.to_owned(),
                name: "Employer".to_owned(),
                section: domain::HsicSection::parse("F").unwrap(),
                district: "Kwun Tong".to_owned(),
                headcount: 12,
            };
            register.insert(employer).unwrap();
        }
        register
    }

    /// Reads `line` (with its line end) both ways: the plain path's record (`None` where it
    /// gives up) and the general path's record or reject.
    fn both<T>(
        line: &str,
        layout: &'static Layout,
        mut parse_plain: impl FnMut(&mut PlainLine<'_>) -> Result<T, GiveUp>,
        mut parse_row: impl FnMut(&Row<'_>) -> Result<T, crate::Reject>,
    ) -> (Option<T>, Result<T, String>) {
        let block = line;
        let file: Arc<str> = Arc::from("f.csv");
        let mut plain_table = BlockTable::new(block.as_bytes(), Arc::clone(&file), layout, 2);
        let plain =
            plain_table
                .next_plain(|cells| parse_plain(cells))
                .map(|(offset, line, record)| {
                    assert_eq!((offset, line), (0, 2));
                    record
                });
        let mut row_table = BlockTable::new(block.as_bytes(), file, layout, 2);
        let row = match row_table.next_row() {
            Some(Ok(row)) => parse_row(&row).map_err(|reject| reject.to_string()),
            Some(Err(reject)) => Err(reject.to_string()),
            None => Err("blank".to_owned()),
        };
        (plain, row)
    }

    /// [`both`] for a per-employee row format, as of 31 July 2025.
    fn read_both<T: EmployeeRow>(line: &str) -> (Option<T>, Result<T, String>) {
        let register = register();
        let pseudonymiser = Pseudonymiser::new(b"a test key, not a secret, 32 b.").unwrap();
        let context = ParseContext {
            pseudonymiser: &pseudonymiser,
            as_of: date(2025, 7, 31),
            register: &register,
            law: Law::hong_kong(),
        };
        let (mut plain_memo, mut row_memo) = (T::Memo::default(), T::Memo::default());
        both(
            line,
            T::LAYOUT,
            |cells| T::parse(cells, &context, &mut plain_memo),
            |row| T::parse(&mut &*row, &context, &mut row_memo),
        )
    }

    #[test]
    fn canonical_lines_take_the_plain_path_and_others_the_general_one() {
        let canonical = [
            "E1,A123456(3),陳大文,2025-06-01,2025-06-30,15000.00,750.00,750.00,2025-07-10",
            "E2,A1234563,Chan Tai Man,2025-06-01,2025-06-30,6000,300.00,0.00,",
        ];
        for line in canonical {
            for line_end in ["\n", "\r\n"] {
                let (plain, row) = read_both::<Remittance>(&format!("{line}{line_end}"));
                assert!(plain.is_some(), "{line}{line_end:?}");
                assert_eq!(plain, row.ok(), "{line}{line_end:?}");
            }
        }
        // Each of these is off somewhere. The plain path reads at most the ones whose
        // values are clear (spaces around text), and then as the general reader does; the
        // others the general reader reads (spaces around a date) or rejects with a reason.
        for (line, readable) in [
            (
                "E1, A123456(3),Chan,2025-06-01,2025-06-30,15000.00,750.00,750.00,2025-07-10",
                true,
            ),
            (
                "E1,A123456(3),Chan,2025-06-01 ,2025-06-30,15000.00,750.00,750.00,2025-07-10",
                true,
            ),
            (
                "E1,A123456(3),Chan,2025-06-01,2025-06-30,15000.5,750.00,750.00,2025-07-10",
                false,
            ),
            (
                "E1,A123456(3),Chan,2025-06-01,2025-06-30,-1.00,750.00,750.00,2025-07-10",
                false,
            ),
            (
                "E1,A123456(3),Chan,2025-06-01,2025-06-30,15000.00,750.00,750.00,2025-07-10,x",
                false,
            ),
            (
                "E1,A123456(3),Chan,2025-06-01,2025-06-30,15000.00,750.00,750.00",
                false,
            ),
            (
                "E3,A123456(3),Chan,2025-06-01,2025-06-30,15000.00,750.00,750.00,2025-07-10",
                false,
            ),
            (
                "E1,A123456(4),Chan,2025-06-01,2025-06-30,15000.00,750.00,750.00,2025-07-10",
                false,
            ),
            (
                "E1,A123456(3), ,2025-06-01,2025-06-30,15000.00,750.00,750.00,2025-07-10",
                false,
            ),
            (
                "E1,A123456(3),Chan,2025-06-01,2025-06-30,15000.00,1600.00,750.00,2025-07-10",
                false,
            ),
            (
                "E1,A123456(3),Chan,2025-06-01,2025-06-30,15000.00,750.00,750.00,2025-08-01",
                false,
            ),
        ] {
            let (plain, row) = read_both::<Remittance>(&format!("{line}\n"));
            assert_eq!(row.is_ok(), readable, "{line}: {row:?}");
            if let Some(plain) = plain {
                assert_eq!(Ok(plain), row, "{line}");
            }
        }
        let (plain, row) = read_both::<Payroll>(
            "E1,A123456(3),Chan,2025-06-01,2025-06-30,20000.00,20000.00,2025-07-03,176\r\n",
        );
        assert!(plain.is_some());
        assert_eq!(plain, row.ok());
    }

    /// Cells written well, or a little off in the ways files are.
    fn cell(good: &'static [&'static str], off: &'static [&'static str]) -> BoxedStrategy<String> {
        prop_oneof![
            4 => proptest::sample::select(good),
            1 => proptest::sample::select(off),
        ]
        .prop_map(str::to_owned)
        .boxed()
    }

    proptest! {
        /// Wherever the plain path reads a row, the general reader reads the same record.
        #[test]
        fn the_plain_path_reads_what_the_general_reader_reads(
            employer in cell(&["E1", "E2"], &["E3", " E1", "", "e1"]),
            hkid in cell(&["A123456(3)", "A1234563"], &["a123456(3)", "A123456(4)", "", "A123456(3) "]),
            name in cell(&["Chan", "陳大文"], &["", " ", "　"]),
            start in cell(&["2025-06-01"], &["2025-6-01", "", "2025-06-01 ", "2025-02-30"]),
            end in cell(&["2025-06-30"], &["2025-05-31", "2025-06-31", ""]),
            income in cell(&["15000.00", "6000", "7100.00", "40000.00"], &["15000.5", "-1.00", " 15000.00", "1e3", "", "0015000.00"]),
            employer_share in cell(&["750.00", "300.00", "1500.00"], &["1500.01", "750", ".5"]),
            worker_share in cell(&["750.00", "0.00", "1500.00"], &["0", "2000.00", "750.000"]),
            paid_on in cell(&["2025-07-10", "2025-07-21", ""], &["2025-08-01", "2025-07-32", " "]),
            extra in cell(&[""], &[",x", ","]),
            windows in any::<bool>(),
        ) {
            let line = [employer, hkid, name, start, end, income, employer_share, worker_share, paid_on]
                .join(",") + &extra + if windows { "\r\n" } else { "\n" };
            let (plain, row) = read_both::<Remittance>(&line);
            if let Some(plain) = plain {
                prop_assert_eq!(Ok(plain), row, "{}", line);
            }
        }
    }
}
