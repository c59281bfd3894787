//! Integration tests of the `arrears` crate: privacy, bad input, detection, levels and the
//! generator, over small CSV texts written in the tests and over generated files.

mod bad_input;
mod detection;
mod generator;
mod levels;
mod privacy;
mod properties;
mod support;
