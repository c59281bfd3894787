use std::path::PathBuf;

use talent::crosswalk::SocIscoCrosswalk;
use talent::ilo::IloExposureIndex;

/// A file of the repository's `data/` directory.
pub(crate) fn data(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(relative)
}

pub(crate) fn ilo_index() -> IloExposureIndex {
    IloExposureIndex::read(&data("ai/ilo_genai_exposure_isco08_gmyrek_2025.xlsx"))
        .expect("the ILO workbook reads")
}

pub(crate) fn crosswalk() -> SocIscoCrosswalk {
    SocIscoCrosswalk::read(&data("ai/bls_isco08_soc2010_crosswalk.xls"))
        .expect("the crosswalk reads")
}
