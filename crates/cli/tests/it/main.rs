//! End-to-end tests of the `lmo` binary on the real data files, against SQLite and, when
//! `TEST_PG_URL` is set, PostgreSQL.

mod arrears;
mod backends;
mod cases;
mod commands;
mod compute;
mod concurrency;
mod everyday;
mod outputs;
mod serve;
mod sheets;
mod support;
mod talent;
mod warnings;
