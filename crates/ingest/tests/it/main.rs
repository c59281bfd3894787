//! Ingest tests over the real published files in data/ and over deliberately broken inputs.

mod bad_input;
mod hostile_workbooks;
mod json;
mod line_ends;
mod real_files;
mod support;
mod workbook;
