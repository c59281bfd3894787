//! Occupations: ISCO-08 groups at any level, beside the C&SD major groups that Hong Kong tables use.
//!
//! C&SD numbers its major groups in its own way (hk-rules.md §6): ISCO major groups 1–5 keep their
//! numbers, ISCO 7, 8 and 9 become C&SD 6, 7 and 8, and ISCO 6 (skilled agricultural, forestry and
//! fishery workers) falls into C&SD 9 "Others" with the occupations not classifiable.
//! A bare digit therefore stays a C&SD group (the text stored before ISCO codes existed), and an
//! ISCO-08 code is always written with its prefix: `isco08:2512`.

use std::fmt;

use crate::{DomainError, OccupationGroup};

mod isco08;

use isco08::ISCO08;

/// The four levels of ISCO-08, by the number of digits in the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IscoLevel {
    Major,
    SubMajor,
    Minor,
    Unit,
}

impl IscoLevel {
    pub fn digits(self) -> usize {
        match self {
            IscoLevel::Major => 1,
            IscoLevel::SubMajor => 2,
            IscoLevel::Minor => 3,
            IscoLevel::Unit => 4,
        }
    }

    pub fn from_digits(digits: usize) -> Option<IscoLevel> {
        match digits {
            1 => Some(IscoLevel::Major),
            2 => Some(IscoLevel::SubMajor),
            3 => Some(IscoLevel::Minor),
            4 => Some(IscoLevel::Unit),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            IscoLevel::Major => "major group",
            IscoLevel::SubMajor => "sub-major group",
            IscoLevel::Minor => "minor group",
            IscoLevel::Unit => "unit group",
        }
    }
}

/// A group of the ILO's ISCO-08 structure at any level: `2`, `25`, `251` or `2512`.
///
/// Only codes in the ILO's structure file parse (10 major, 43 sub-major, 130 minor, 436 unit
/// groups). Ordered by code, which is the hierarchy read depth first.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IscoCode(u16);

impl IscoCode {
    /// Parses the digits of a code (`0110`, `25`); surrounding spaces are ignored.
    pub fn parse(text: &str) -> Result<IscoCode, DomainError> {
        let digits = text.trim();
        ISCO08
            .binary_search_by(|(code, _)| (*code).cmp(digits))
            .map(|index| IscoCode(index as u16))
            .map_err(|_| DomainError::IscoCode(text.to_owned()))
    }

    pub fn code(self) -> &'static str {
        ISCO08[usize::from(self.0)].0
    }

    pub fn level(self) -> IscoLevel {
        IscoLevel::from_digits(self.code().len()).expect("the table holds codes of 1 to 4 digits")
    }

    /// The ILO's English title, as in its structure file (runs of spaces collapsed).
    pub fn title_en(self) -> &'static str {
        ISCO08[usize::from(self.0)].1
    }

    /// The Traditional Chinese title C&SD gives the major group, where one C&SD major group is
    /// exactly this ISCO major group; `None` below the major level, for 6 (inside C&SD's
    /// "Others") and for 0 (no C&SD group).
    pub fn name_zh(self) -> Option<&'static str> {
        if self.level() != IscoLevel::Major || matches!(self.code(), "0" | "6") {
            return None;
        }
        self.csd_major_group().map(OccupationGroup::name_zh)
    }

    /// The group at `level` that contains this one (itself at its own level); `None` for a
    /// level below this code's.
    pub fn ancestor(self, level: IscoLevel) -> Option<IscoCode> {
        let code = self.code();
        (level.digits() <= code.len()).then(|| {
            IscoCode::parse(&code[..level.digits()])
                .expect("every prefix of an ISCO-08 code is a group of the structure")
        })
    }

    /// The group one level up; `None` for a major group.
    pub fn parent(self) -> Option<IscoCode> {
        let digits = self.code().len();
        (digits > 1).then(|| {
            self.ancestor(IscoLevel::from_digits(digits - 1).expect("1 to 3 digits"))
                .expect("a shorter level")
        })
    }

    #[must_use]
    pub fn major(self) -> IscoCode {
        self.ancestor(IscoLevel::Major)
            .expect("every code has a major group")
    }

    /// True when `self` is `group` or lies inside it.
    pub fn is_within(self, group: IscoCode) -> bool {
        self.code().starts_with(group.code())
    }

    /// The C&SD major group this ISCO group falls in (hk-rules.md §6); `None` for armed forces
    /// (ISCO 0), which C&SD tables do not show as a group.
    pub fn csd_major_group(self) -> Option<OccupationGroup> {
        let csd = match self.code().as_bytes()[0] {
            digit @ b'1'..=b'5' => digit,
            b'6' => b'9',
            b'7' => b'6',
            b'8' => b'7',
            b'9' => b'8',
            _ => return None,
        };
        Some(
            OccupationGroup::parse(std::str::from_utf8(&[csd]).expect("an ASCII digit"))
                .expect("1 to 9 is a C&SD major group"),
        )
    }

    /// Every group of the structure, in code order.
    pub fn all() -> impl Iterator<Item = IscoCode> {
        (0..ISCO08.len() as u16).map(IscoCode)
    }

    /// Every group at one level, in code order.
    pub fn at_level(level: IscoLevel) -> impl Iterator<Item = IscoCode> {
        IscoCode::all().filter(move |code| code.level() == level)
    }
}

impl fmt::Display for IscoCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for IscoCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IscoCode({})", self.code())
    }
}

/// The occupation a series carries: a C&SD major group, or an ISCO-08 group at any level.
///
/// Text form: `1`…`9` for a C&SD major group (the form stored before ISCO codes existed, read
/// unchanged), `isco08:<code>` for an ISCO-08 group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OccupationCode {
    CsdMajorGroup(OccupationGroup),
    Isco(IscoCode),
}

/// The prefix that marks an ISCO-08 code in text.
pub const ISCO08_PREFIX: &str = "isco08:";

impl OccupationCode {
    pub fn parse(text: &str) -> Result<OccupationCode, DomainError> {
        let trimmed = text.trim();
        match trimmed.get(..ISCO08_PREFIX.len()) {
            Some(prefix) if prefix.eq_ignore_ascii_case(ISCO08_PREFIX) => {
                IscoCode::parse(&trimmed[ISCO08_PREFIX.len()..])
                    .map(OccupationCode::Isco)
                    .map_err(|_| DomainError::IscoCode(text.to_owned()))
            }
            _ => OccupationGroup::parse(trimmed)
                .map(OccupationCode::CsdMajorGroup)
                .map_err(|_| DomainError::Occupation(text.to_owned())),
        }
    }

    /// An occupation as a table labels it: a code ([`OccupationCode::parse`]), a C&SD major
    /// group's name in English or Chinese, or `code: name` (`2: Professionals`).
    pub fn from_label(label: &str) -> Option<OccupationCode> {
        let label = label.trim();
        OccupationCode::parse(label)
            .ok()
            .or_else(|| OccupationGroup::from_name(label).map(OccupationCode::CsdMajorGroup))
            .or_else(|| {
                let (code, _) = label.split_once(": ")?;
                OccupationCode::parse(code).ok()
            })
    }

    pub fn name_en(self) -> &'static str {
        match self {
            OccupationCode::CsdMajorGroup(group) => group.name_en(),
            OccupationCode::Isco(code) => code.title_en(),
        }
    }

    /// The Traditional Chinese name where one is known: every C&SD major group, and the ISCO
    /// major groups that are one C&SD group each.
    pub fn name_zh(self) -> Option<&'static str> {
        match self {
            OccupationCode::CsdMajorGroup(group) => Some(group.name_zh()),
            OccupationCode::Isco(code) => code.name_zh(),
        }
    }

    /// The C&SD major group the occupation belongs to, for comparing with Hong Kong tables.
    pub fn csd_major_group(self) -> Option<OccupationGroup> {
        match self {
            OccupationCode::CsdMajorGroup(group) => Some(group),
            OccupationCode::Isco(code) => code.csd_major_group(),
        }
    }
}

impl From<OccupationGroup> for OccupationCode {
    fn from(group: OccupationGroup) -> OccupationCode {
        OccupationCode::CsdMajorGroup(group)
    }
}

impl From<IscoCode> for OccupationCode {
    fn from(code: IscoCode) -> OccupationCode {
        OccupationCode::Isco(code)
    }
}

impl fmt::Display for OccupationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OccupationCode::CsdMajorGroup(group) => write!(f, "{group}"),
            OccupationCode::Isco(code) => write!(f, "{ISCO08_PREFIX}{code}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_structure_has_the_ilo_counts_at_each_level() {
        let counts = [
            IscoLevel::Major,
            IscoLevel::SubMajor,
            IscoLevel::Minor,
            IscoLevel::Unit,
        ]
        .map(|level| IscoCode::at_level(level).count());
        assert_eq!(counts, [10, 43, 130, 436]);
        assert!(ISCO08.windows(2).all(|pair| pair[0].0 < pair[1].0));
        assert!(ISCO08.iter().all(|(_, title)| !title.contains("  ")));
    }

    #[test]
    fn codes_parse_at_every_level_with_titles_and_parents() {
        let unit = IscoCode::parse("2512").unwrap();
        assert_eq!(unit.title_en(), "Software Developers");
        assert_eq!(unit.level(), IscoLevel::Unit);
        let chain: Vec<_> = std::iter::successors(Some(unit), |code| code.parent())
            .map(|code| (code.code(), code.title_en()))
            .collect();
        assert_eq!(
            chain,
            [
                ("2512", "Software Developers"),
                ("251", "Software and Applications Developers and Analysts"),
                (
                    "25",
                    "Information and Communications Technology Professionals"
                ),
                ("2", "Professionals"),
            ]
        );
        assert!(unit.is_within(IscoCode::parse("25").unwrap()));
        assert!(!unit.is_within(IscoCode::parse("26").unwrap()));
        assert_eq!(unit.ancestor(IscoLevel::Unit), Some(unit));
        assert_eq!(
            IscoCode::parse("25").unwrap().ancestor(IscoLevel::Minor),
            None
        );
        assert_eq!(IscoCode::parse(" 0110 ").unwrap().major().code(), "0");
        for bad in ["", "9999", "2515", "25x", "12345", "isco08:2512", "-1"] {
            assert!(IscoCode::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn stored_csd_digits_read_as_before_and_isco_codes_carry_their_prefix() {
        for digit in 1..=9 {
            let text = digit.to_string();
            let code = OccupationCode::parse(&text).unwrap();
            assert_eq!(
                code,
                OccupationCode::from(OccupationGroup::parse(&text).unwrap())
            );
            assert_eq!(code.to_string(), text);
        }
        for text in [
            "isco08:2",
            "isco08:25",
            "isco08:251",
            "isco08:2512",
            "isco08:0110",
        ] {
            let code = OccupationCode::parse(text).unwrap();
            assert_eq!(code.to_string(), text);
            assert_eq!(OccupationCode::parse(&code.to_string()).unwrap(), code);
        }
        assert_eq!(
            OccupationCode::parse(" ISCO08:7 ").unwrap().name_en(),
            "Craft and Related Trades Workers"
        );
        for bad in ["0", "10", "isco08:", "isco08:99", "isco:25", "25"] {
            assert!(OccupationCode::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn table_labels_name_occupations_by_code_or_csd_name() {
        let label = |text: &str| OccupationCode::from_label(text).map(|code| code.to_string());
        assert_eq!(label("Professionals").as_deref(), Some("2"));
        assert_eq!(label("文書支援人員").as_deref(), Some("4"));
        assert_eq!(
            label("7: Plant and machine operators").as_deref(),
            Some("7")
        );
        assert_eq!(label("isco08:2512").as_deref(), Some("isco08:2512"));
        assert_eq!(
            label("isco08:2512: Software developers").as_deref(),
            Some("isco08:2512")
        );
        assert_eq!(label("All occupations"), None);
    }

    #[test]
    fn isco_major_groups_map_onto_csd_numbering() {
        let mapped: Vec<_> = IscoCode::at_level(IscoLevel::Major)
            .map(|code| {
                (
                    code.code(),
                    code.csd_major_group().map(OccupationGroup::number),
                    code.name_zh(),
                )
            })
            .collect();
        assert_eq!(
            mapped,
            [
                ("0", None, None),
                ("1", Some(1), Some("經理及行政級人員")),
                ("2", Some(2), Some("專業人員")),
                ("3", Some(3), Some("輔助專業人員")),
                ("4", Some(4), Some("文書支援人員")),
                ("5", Some(5), Some("服務工作及銷售人員")),
                ("6", Some(9), None),
                ("7", Some(6), Some("工藝及有關人員")),
                ("8", Some(7), Some("機台及機器操作員及裝配員")),
                ("9", Some(8), Some("非技術工人")),
            ]
        );
        let isco_code = OccupationCode::parse("isco08:7233").unwrap();
        assert_eq!(
            isco_code.csd_major_group().map(OccupationGroup::number),
            Some(6)
        );
        assert_eq!(isco_code.name_zh(), None);
    }
}
