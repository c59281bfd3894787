//! Indicator tests: published-figure checks on the real files in data/, data-driven cases
//! in `test_data/cases`, and properties.

mod breadth;
mod cases;
mod climate;
mod properties;
mod published;
mod support;
