//! Chinese names of C&SD table headings and row labels, from the maintained list
//! `data/hk/labels/csd_labels.toml` (each with the C&SD publication it was read in).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

const LABELS: &str = include_str!("../../../data/hk/labels/csd_labels.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabels {
    #[serde(default)]
    heading: Vec<Label>,
    #[serde(default)]
    category: Vec<Label>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Label {
    en: String,
    zh: String,
    source: String,
}

pub(crate) struct CsdLabels {
    headings: HashMap<String, String>,
    categories: HashMap<String, String>,
}

impl CsdLabels {
    /// The bundled list; it is checked by this module's tests, so reading it cannot fail.
    pub(crate) fn bundled() -> &'static CsdLabels {
        static BUNDLED: OnceLock<CsdLabels> = OnceLock::new();
        BUNDLED.get_or_init(|| CsdLabels::parse(LABELS).unwrap_or_else(|_| CsdLabels::empty()))
    }

    fn empty() -> CsdLabels {
        CsdLabels {
            headings: HashMap::new(),
            categories: HashMap::new(),
        }
    }

    fn parse(text: &str) -> Result<CsdLabels, String> {
        let raw: RawLabels = toml::from_str(text).map_err(|error| error.to_string())?;
        let map = |labels: Vec<Label>| -> Result<HashMap<String, String>, String> {
            labels
                .into_iter()
                .map(|label| {
                    if label.source.trim().is_empty() || label.zh.trim().is_empty() {
                        Err(format!("'{}' has no Chinese name or no source", label.en))
                    } else {
                        Ok((label.en, label.zh))
                    }
                })
                .collect()
        };
        Ok(CsdLabels {
            headings: map(raw.heading)?,
            categories: map(raw.category)?,
        })
    }

    /// The Chinese of a heading such as `Number of vacancies`, when C&SD's is known.
    pub(crate) fn heading(&self, english: &str) -> Option<&str> {
        self.headings.get(english).map(String::as_str)
    }

    /// The Chinese of a row label such as `F: Construction sites (manual workers only)`.
    pub(crate) fn category(&self, english: &str) -> Option<&str> {
        self.categories.get(english).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_reads_and_every_label_has_a_source() {
        let labels = CsdLabels::parse(LABELS).unwrap();
        assert_eq!(labels.heading("Number of vacancies"), Some("職位空缺數目"));
        assert_eq!(labels.heading("Vacancy rate"), None);
        assert!(CsdLabels::parse("[[heading]]\nen = \"x\"\nzh = \"乙\"\nsource = \"\"\n").is_err());
    }
}
