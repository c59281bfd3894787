//! The report on the bundled real Hong Kong data, built the way `lmo demo` builds its store.

mod support;

mod pdf;
mod report;
