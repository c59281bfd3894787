//! Ingest tests over the real published files in data/ and over deliberately broken inputs.

mod alfred;
mod bad_input;
mod hostile_workbooks;
mod json;
mod labels;
mod line_ends;
mod occupations;
mod real_files;
mod spreadsheets;
mod support;
mod workbook;
