//! Industry (HSIC 2.0) and occupation (C&SD major group) classifications, bilingual.

use std::fmt;

use crate::DomainError;

/// A section of the Hong Kong Standard Industrial Classification, Version 2.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HsicSection(u8);

/// English and Traditional Chinese names of the 21 HSIC 2.0 sections, A to U, as listed with
/// their sources in `data/hk/labels/hsic_v2.csv` (an `ingest` test checks them against it).
const SECTION_NAMES: [(&str, &str); 21] = [
    ("Agriculture, forestry and fishing", "農業、林業及漁業"),
    ("Mining and quarrying", "採礦及採石"),
    ("Manufacturing", "製造"),
    ("Electricity and gas supply", "電力及燃氣供應"),
    (
        "Water supply; sewerage, waste management and remediation activities",
        "自來水供應；污水處理、廢棄物管理及污染防治活動",
    ),
    ("Construction", "建造"),
    (
        "Import/export, wholesale and retail trades",
        "進出口貿易、批發及零售業",
    ),
    (
        "Transportation, storage, postal and courier services",
        "運輸、倉庫、郵政及速遞服務",
    ),
    (
        "Accommodation and food service activities",
        "住宿及膳食服務活動",
    ),
    ("Information and communications", "資訊及通訊"),
    ("Financial and insurance activities", "金融及保險活動"),
    ("Real estate activities", "地產活動"),
    (
        "Professional, scientific and technical activities",
        "專業、科學及技術活動",
    ),
    (
        "Administrative and support service activities",
        "行政及支援服務活動",
    ),
    ("Public administration", "公共行政"),
    ("Education", "教育"),
    (
        "Human health and social work activities",
        "人類保健及社會工作活動",
    ),
    ("Arts, entertainment and recreation", "藝術、娛樂及康樂活動"),
    ("Other service activities", "其他服務活動"),
    (
        "Work activities within domestic households",
        "家庭住戶內部工作活動",
    ),
    (
        "Activities of extraterritorial organisations and bodies",
        "享有治外法權的組織及團體活動",
    ),
];

impl HsicSection {
    pub fn parse(text: &str) -> Result<HsicSection, DomainError> {
        let trimmed = text.trim();
        match trimmed.as_bytes() {
            [letter @ b'A'..=b'U'] => Ok(HsicSection(letter - b'A')),
            _ => Err(DomainError::Industry(text.to_owned())),
        }
    }

    pub fn letter(self) -> char {
        char::from(b'A' + self.0)
    }

    pub fn name_en(self) -> &'static str {
        SECTION_NAMES[usize::from(self.0)].0
    }

    pub fn name_zh(self) -> &'static str {
        SECTION_NAMES[usize::from(self.0)].1
    }

    pub fn all() -> impl Iterator<Item = HsicSection> {
        (0..21).map(HsicSection)
    }
}

/// An industry as C&SD publishes it: one section, a division range within a section,
/// a grouping of sections, or all sections a survey covers.
///
/// Canonical codes: `C`, `G47`, `G45-46`, `B+D+E`, `P+Q+R+S`, `ALL`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndustryCode {
    Section(HsicSection),
    Divisions {
        section: HsicSection,
        first: u8,
        last: u8,
    },
    Sections(Vec<HsicSection>),
    AllCovered,
}

impl IndustryCode {
    /// Parses a canonical code or the code part of a C&SD label (`B, D & E`, `P - S`, `G45-46`,
    /// `All industry sections covered`).
    pub fn parse(text: &str) -> Result<IndustryCode, DomainError> {
        let error = || DomainError::Industry(text.to_owned());
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("ALL")
            || trimmed.to_ascii_lowercase().starts_with("all industr")
        {
            return Ok(IndustryCode::AllCovered);
        }
        let compact: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some((first, last)) = compact.split_once('-')
            && first.len() == 1
            && last.len() == 1
        {
            let first = HsicSection::parse(first)?;
            let last = HsicSection::parse(last)?;
            if first >= last {
                return Err(error());
            }
            return Ok(IndustryCode::Sections(
                (first.0..=last.0).map(HsicSection).collect(),
            ));
        }
        if compact.contains([',', '&', '+']) {
            let mut sections = compact
                .split([',', '&', '+'])
                .map(HsicSection::parse)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| error())?;
            sections.sort();
            sections.dedup();
            if sections.len() < 2 {
                return Err(error());
            }
            return Ok(IndustryCode::Sections(sections));
        }
        let mut chars = compact.chars();
        let section = HsicSection::parse(&chars.next().ok_or_else(error)?.to_string())?;
        let divisions = chars.as_str();
        if divisions.is_empty() {
            return Ok(IndustryCode::Section(section));
        }
        let (first, last) = divisions.split_once('-').unwrap_or((divisions, divisions));
        let parse_division = |digits: &str| {
            (digits.len() == 2 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse::<u8>().ok())
                .flatten()
                .filter(|division| (1..=99).contains(division))
                .ok_or_else(error)
        };
        let (first, last) = (parse_division(first)?, parse_division(last)?);
        if first > last {
            return Err(error());
        }
        Ok(IndustryCode::Divisions {
            section,
            first,
            last,
        })
    }

    /// The HSIC sections this industry covers; empty for [`IndustryCode::AllCovered`].
    pub fn sections(&self) -> Vec<HsicSection> {
        match self {
            IndustryCode::Section(section) | IndustryCode::Divisions { section, .. } => {
                vec![*section]
            }
            IndustryCode::Sections(sections) => sections.clone(),
            IndustryCode::AllCovered => Vec::new(),
        }
    }

    /// True for a single whole section, the level at which industries are compared.
    pub fn is_section(&self) -> bool {
        matches!(self, IndustryCode::Section(_))
    }

    pub fn name_en(&self) -> String {
        match self {
            IndustryCode::Section(section) => section.name_en().to_owned(),
            IndustryCode::Divisions { .. } => match self.division_names() {
                Some((name_en, _)) => name_en.to_owned(),
                None => self.divisions_label_en(),
            },
            IndustryCode::Sections(sections) => sections
                .iter()
                .map(|section| section.name_en())
                .collect::<Vec<_>>()
                .join("; "),
            IndustryCode::AllCovered => ALL_COVERED.0.to_owned(),
        }
    }

    pub fn name_zh(&self) -> String {
        match self {
            IndustryCode::Section(section) => section.name_zh().to_owned(),
            IndustryCode::Divisions { .. } => match self.division_names() {
                Some((_, name_zh)) => name_zh.to_owned(),
                None => self.divisions_label_zh(),
            },
            IndustryCode::Sections(sections) => sections
                .iter()
                .map(|section| section.name_zh())
                .collect::<Vec<_>>()
                .join("；"),
            IndustryCode::AllCovered => ALL_COVERED.1.to_owned(),
        }
    }

    /// The published names of a division range C&SD tables show, when it has one.
    fn division_names(&self) -> Option<(&'static str, &'static str)> {
        let IndustryCode::Divisions {
            section,
            first,
            last,
        } = self
        else {
            return None;
        };
        DIVISION_NAMES
            .iter()
            .find(|(letter, range, _, _)| *letter == section.letter() && *range == (*first, *last))
            .map(|(_, _, name_en, name_zh)| (*name_en, *name_zh))
    }

    /// A division range without a published name is named by its place in the
    /// classification, never by its section's name (which covers more).
    fn divisions_label_en(&self) -> String {
        match self {
            IndustryCode::Divisions {
                section,
                first,
                last,
            } if first == last => format!("HSIC section {}, division {first:02}", section.letter()),
            IndustryCode::Divisions {
                section,
                first,
                last,
            } => format!(
                "HSIC section {}, divisions {first:02}–{last:02}",
                section.letter()
            ),
            _ => String::new(),
        }
    }

    fn divisions_label_zh(&self) -> String {
        match self {
            IndustryCode::Divisions {
                section,
                first,
                last,
            } if first == last => format!("行業主類{}的行業大類{first:02}", section.letter()),
            IndustryCode::Divisions {
                section,
                first,
                last,
            } => format!(
                "行業主類{}的行業大類{first:02}至{last:02}",
                section.letter()
            ),
            _ => String::new(),
        }
    }

    /// Reads an industry label as tables write it, in English or Traditional Chinese: a code
    /// before a colon (`G47: Retail`, `G45-46：進出口貿易及批發`, `B, D & E: …`), a code alone,
    /// or a name this crate knows (an HSIC 2.0 section, a named division range, all industries
    /// covered).
    pub fn from_label(text: &str) -> Result<IndustryCode, DomainError> {
        let label = text.trim();
        if let Some((code, name)) = label.split_once([':', '：']) {
            // `G (part of): Retail trade` names its industry after the colon.
            return IndustryCode::parse(code)
                .or_else(|_| IndustryCode::from_name(name))
                .map_err(|_| DomainError::Industry(text.to_owned()));
        }
        IndustryCode::parse(label)
            .or_else(|_| IndustryCode::from_name(label))
            .map_err(|_| DomainError::Industry(text.to_owned()))
    }

    fn from_name(name: &str) -> Result<IndustryCode, DomainError> {
        let label = name.trim();
        let is = |name: &str| name == label || name.eq_ignore_ascii_case(label);
        if let Some(section) =
            HsicSection::all().find(|section| is(section.name_en()) || is(section.name_zh()))
        {
            return Ok(IndustryCode::Section(section));
        }
        if let Some((letter, (first, last), _, _)) = DIVISION_NAMES
            .iter()
            .find(|(_, _, name_en, name_zh)| is(name_en) || is(name_zh))
        {
            let section = HsicSection::parse(&letter.to_string())?;
            return Ok(IndustryCode::Divisions {
                section,
                first: *first,
                last: *last,
            });
        }
        if is(ALL_COVERED.0) || is(ALL_COVERED.1) {
            return Ok(IndustryCode::AllCovered);
        }
        Err(DomainError::Industry(name.to_owned()))
    }
}

/// Everything a survey covers, as C&SD names it: "All industry sections covered" in table
/// 215-16001, "所有涵蓋行業" in its Chinese press releases on the same survey (e.g.
/// "二零二零年六月就業及職位空缺統計數字",
/// <https://www.info.gov.hk/gia/general/202009/21/P2020092100310.htm>).
const ALL_COVERED: (&str, &str) = ("All industry sections covered", "所有涵蓋行業");

/// Division ranges C&SD tables publish, with the names C&SD gives them (checked against
/// `data/hk/labels/hsic_v2.csv` by `ingest`'s tests; sources there).
const DIVISION_NAMES: [(char, (u8, u8), &str, &str); 2] = [
    (
        'G',
        (45, 46),
        "Import/export and wholesale trades",
        "進出口貿易及批發",
    ),
    ('G', (47, 47), "Retail trade", "零售業"),
];

impl fmt::Display for IndustryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndustryCode::Section(section) => write!(f, "{}", section.letter()),
            IndustryCode::Divisions {
                section,
                first,
                last,
            } if first == last => write!(f, "{}{first:02}", section.letter()),
            IndustryCode::Divisions {
                section,
                first,
                last,
            } => write!(f, "{}{first:02}-{last:02}", section.letter()),
            IndustryCode::Sections(sections) => {
                for (index, section) in sections.iter().enumerate() {
                    if index > 0 {
                        f.write_str("+")?;
                    }
                    write!(f, "{}", section.letter())?;
                }
                Ok(())
            }
            IndustryCode::AllCovered => f.write_str("ALL"),
        }
    }
}

/// A C&SD occupation major group (ISCO-08 based with local adaptation), 1 to 9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OccupationGroup(u8);

/// English and Traditional Chinese names of the major groups (hk-rules.md §6).
const OCCUPATION_NAMES: [(&str, &str); 9] = [
    ("Managers and administrators", "經理及行政級人員"),
    ("Professionals", "專業人員"),
    ("Associate professionals", "輔助專業人員"),
    ("Clerical support workers", "文書支援人員"),
    ("Service and sales workers", "服務工作及銷售人員"),
    ("Craft and related workers", "工藝及有關人員"),
    (
        "Plant and machine operators and assemblers",
        "機台及機器操作員及裝配員",
    ),
    ("Elementary occupations", "非技術工人"),
    ("Others", "其他"),
];

impl OccupationGroup {
    pub fn parse(text: &str) -> Result<OccupationGroup, DomainError> {
        match text.trim().as_bytes() {
            [digit @ b'1'..=b'9'] => Ok(OccupationGroup(digit - b'0')),
            _ => Err(DomainError::Occupation(text.to_owned())),
        }
    }

    /// A major group by the name C&SD prints in its tables, English or Chinese, ignoring case,
    /// surrounding spaces and footnote marks (`Professionals (1)`); `None` for any other text.
    pub fn from_name(name: &str) -> Option<OccupationGroup> {
        let name = name.trim();
        let name = match name.rfind(" (") {
            Some(at) if name.ends_with(')') => name[..at].trim_end(),
            _ => name,
        };
        OCCUPATION_NAMES
            .iter()
            .position(|(en, zh)| en.eq_ignore_ascii_case(name) || *zh == name)
            .and_then(|index| u8::try_from(index + 1).ok())
            .map(OccupationGroup)
    }

    pub fn number(self) -> u8 {
        self.0
    }

    pub fn name_en(self) -> &'static str {
        OCCUPATION_NAMES[usize::from(self.0) - 1].0
    }

    pub fn name_zh(self) -> &'static str {
        OCCUPATION_NAMES[usize::from(self.0) - 1].1
    }
}

impl fmt::Display for OccupationGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csd_industry_labels_parse_to_canonical_codes() {
        let cases = [
            ("C", "C"),
            ("B, D & E", "B+D+E"),
            ("M & N", "M+N"),
            ("P - S", "P+Q+R+S"),
            ("G45-46", "G45-46"),
            ("G47", "G47"),
            ("All industry sections covered", "ALL"),
            ("D+E+B", "B+D+E"),
        ];
        for (label, canonical) in cases {
            let code = IndustryCode::parse(label).unwrap();
            assert_eq!(code.to_string(), canonical, "{label}");
            assert_eq!(IndustryCode::parse(canonical).unwrap(), code);
        }
    }

    #[test]
    fn occupation_groups_are_found_by_their_csd_names() {
        for (name, number) in [
            ("Managers and administrators", 1),
            ("plant and machine operators and assemblers", 7),
            ("Elementary occupations (2)", 8),
            ("非技術工人", 8),
            (" Others ", 9),
        ] {
            assert_eq!(
                OccupationGroup::from_name(name).map(OccupationGroup::number),
                Some(number),
                "{name}"
            );
        }
        assert_eq!(OccupationGroup::from_name("Managers"), None);
    }

    #[test]
    fn rejects_unknown_industries() {
        for label in ["Z", "", "G4", "G46-45", "S-P", "B &", "c"] {
            assert!(IndustryCode::parse(label).is_err(), "{label}");
        }
    }

    #[test]
    fn names_are_bilingual() {
        let retail = IndustryCode::parse("G").unwrap();
        assert_eq!(
            retail.name_en(),
            "Import/export, wholesale and retail trades"
        );
        assert_eq!(retail.name_zh(), "進出口貿易、批發及零售業");
        assert_eq!(HsicSection::all().count(), 21);
        let group = OccupationGroup::parse("2").unwrap();
        assert_eq!(
            (group.name_en(), group.name_zh()),
            ("Professionals", "專業人員")
        );
        assert!(OccupationGroup::parse("0").is_err());
    }

    #[test]
    fn a_division_range_is_never_named_after_its_whole_section() {
        let wholesale = IndustryCode::parse("G45-46").unwrap();
        assert_eq!(wholesale.name_en(), "Import/export and wholesale trades");
        assert_eq!(wholesale.name_zh(), "進出口貿易及批發");
        assert!(!wholesale.name_zh().contains("零售"));
        let retail = IndustryCode::parse("G47").unwrap();
        assert_eq!(
            (retail.name_en(), retail.name_zh()),
            ("Retail trade".to_owned(), "零售業".to_owned())
        );
        let education = IndustryCode::parse("P85").unwrap();
        assert_eq!(education.name_en(), "HSIC section P, division 85");
        assert_eq!(education.name_zh(), "行業主類P的行業大類85");
        assert_eq!(IndustryCode::AllCovered.name_zh(), "所有涵蓋行業");
    }

    #[test]
    fn labels_in_either_language_name_their_industry() {
        let cases = [
            ("G47: Retail", "G47"),
            ("G45-46：進出口貿易及批發", "G45-46"),
            (
                "B, D & E: Mining and quarrying; and electricity and gas supply",
                "B+D+E",
            ),
            ("製造", "C"),
            ("Manufacturing", "C"),
            ("進出口貿易及批發", "G45-46"),
            ("G (part of): Retail trade", "G47"),
            ("所有涵蓋行業", "ALL"),
            ("All industry sections covered", "ALL"),
            ("C", "C"),
        ];
        for (label, code) in cases {
            let industry = IndustryCode::from_label(label).map(|industry| industry.to_string());
            assert_eq!(industry.as_deref(), Ok(code), "{label}");
        }
        for label in [
            "Retail",
            "零售",
            "G (part of)",
            "86: Human health activities",
            "",
        ] {
            assert!(IndustryCode::from_label(label).is_err(), "{label}");
        }
    }
}
