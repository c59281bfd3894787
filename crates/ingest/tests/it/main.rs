//! Ingest tests over the real published files in data/ and over deliberately broken inputs.

mod bad_input;
mod json;
mod occupations;
mod real_files;
mod support;
mod workbook;
