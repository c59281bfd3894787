//! The BLS crosswalk between ISCO-08 and the US SOC 2010 (August 2012, updated June 2015):
//! many-to-many links, each with a `part` flag where one side matches only part of the other.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

use domain::{IscoCode, IscoLevel};

use crate::TalentError;
use crate::table::Table;

/// A detailed US SOC code, `NN-NNNN` (SOC 2010 and SOC 2018 write codes alike).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SocCode(String);

impl SocCode {
    /// Parses `NN-NNNN`; surrounding spaces are ignored (the BLS file has trailing ones).
    pub fn parse(text: &str) -> Result<SocCode, String> {
        let code = text.trim();
        let bytes = code.as_bytes();
        let well_formed = bytes.len() == 7
            && bytes[2] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(index, byte)| index == 2 || byte.is_ascii_digit());
        if well_formed {
            Ok(SocCode(code.to_owned()))
        } else {
            Err(format!("'{text}' is not a SOC code (NN-NNNN)"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SocCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One link of the crosswalk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrosswalkLink {
    pub isco: IscoCode,
    pub soc: SocCode,
    /// The BLS `part` mark: the ISCO group matches only part of the SOC occupation.
    pub part: bool,
    /// The workbook row of the link.
    pub row: usize,
}

/// The crosswalk, read from its first sheet ("ISCO-08 to 2010 SOC").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocIscoCrosswalk {
    pub file: String,
    pub links: Vec<CrosswalkLink>,
    by_soc: BTreeMap<SocCode, Vec<usize>>,
    by_isco: BTreeMap<IscoCode, Vec<usize>>,
}

const ISCO: &str = "ISCO-08 Code";
const PART: &str = "part";
const SOC: &str = "2010 SOC Code";

impl SocIscoCrosswalk {
    /// Reads `bls_isco08_soc2010_crosswalk.xls`.
    pub fn read(path: &Path) -> Result<SocIscoCrosswalk, TalentError> {
        SocIscoCrosswalk::from_table(&Table::open(path, &[ISCO, PART, SOC])?)
    }

    /// Reads the workbook from any reader; `file` names it in errors.
    pub fn read_from(file: &str, reader: impl Read) -> Result<SocIscoCrosswalk, TalentError> {
        SocIscoCrosswalk::from_table(&Table::workbook(file, reader, &[ISCO, PART, SOC])?)
    }

    fn from_table(table: &Table) -> Result<SocIscoCrosswalk, TalentError> {
        let (isco, part, soc) = (table.column(ISCO)?, table.column(PART)?, table.column(SOC)?);
        let mut links = Vec::new();
        for row in table.rows() {
            let code = row.parse(isco, IscoCode::parse)?;
            // Two links stop at a minor group ("matches to 3-digit ISCO").
            if code.level() < IscoLevel::Minor {
                return Err(row.error(
                    isco,
                    "links reach ISCO-08 unit or minor groups (4 or 3 digits)",
                ));
            }
            let part = match row.text(part) {
                "*" => true,
                "" => false,
                other => return Err(row.error(part, format!("'{other}' is neither '*' nor empty"))),
            };
            links.push(CrosswalkLink {
                isco: code,
                soc: row.parse(soc, SocCode::parse)?,
                part,
                row: row.number,
            });
        }
        let mut by_soc: BTreeMap<SocCode, Vec<usize>> = BTreeMap::new();
        let mut by_isco: BTreeMap<IscoCode, Vec<usize>> = BTreeMap::new();
        for (index, link) in links.iter().enumerate() {
            by_soc.entry(link.soc.clone()).or_default().push(index);
            by_isco.entry(link.isco).or_default().push(index);
        }
        Ok(SocIscoCrosswalk {
            file: table.file.clone(),
            links,
            by_soc,
            by_isco,
        })
    }

    /// The links of a SOC occupation.
    pub fn for_soc(&self, soc: &SocCode) -> Vec<&CrosswalkLink> {
        self.by_soc
            .get(soc)
            .map(|indices| indices.iter().map(|&index| &self.links[index]).collect())
            .unwrap_or_default()
    }

    /// The links of an ISCO-08 unit (or minor) group.
    pub fn for_isco(&self, isco: IscoCode) -> Vec<&CrosswalkLink> {
        self.by_isco
            .get(&isco)
            .map(|indices| indices.iter().map(|&index| &self.links[index]).collect())
            .unwrap_or_default()
    }

    /// The ISCO-08 groups with at least one link (unit groups, and two minor groups), in code
    /// order.
    pub fn isco_codes(&self) -> impl Iterator<Item = IscoCode> + '_ {
        self.by_isco.keys().copied()
    }
}
