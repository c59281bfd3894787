//! talent tests over the real reference files in data/: the ISCO-08 structure, the ILO exposure
//! index (every published figure of all 427 occupations), the BLS crosswalk, GPTs-are-GPTs, OEWS
//! and the BLS projections.

mod exposure;
mod structure;
mod support;
mod talent_list;
mod us;
