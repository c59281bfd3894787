//! Industry (HSIC 2.0) and occupation (C&SD major group) classifications, bilingual.

use std::fmt;

use crate::DomainError;

/// A section of the Hong Kong Standard Industrial Classification, Version 2.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HsicSection(u8);

/// English and Traditional Chinese names of the 21 HSIC 2.0 sections, A to U (hk-rules.md §5).
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
            IndustryCode::Divisions {
                section,
                first,
                last,
            } if first == last => format!("{} (division {first})", section.name_en()),
            IndustryCode::Divisions {
                section,
                first,
                last,
            } => format!("{} (divisions {first}–{last})", section.name_en()),
            IndustryCode::Sections(sections) => sections
                .iter()
                .map(|section| section.name_en())
                .collect::<Vec<_>>()
                .join("; "),
            IndustryCode::AllCovered => "All industry sections covered".to_owned(),
        }
    }

    pub fn name_zh(&self) -> String {
        match self {
            IndustryCode::Section(section) => section.name_zh().to_owned(),
            IndustryCode::Divisions {
                section,
                first,
                last,
            } if first == last => format!("{}（第{first}類）", section.name_zh()),
            IndustryCode::Divisions {
                section,
                first,
                last,
            } => format!("{}（第{first}至{last}類）", section.name_zh()),
            IndustryCode::Sections(sections) => sections
                .iter()
                .map(|section| section.name_zh())
                .collect::<Vec<_>>()
                .join("；"),
            IndustryCode::AllCovered => "所有涵蓋的行業主類".to_owned(),
        }
    }
}

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
}
