//! The HTTP server end to end: the real app on a loopback port over a fresh store.

mod auth;
mod errors;
mod notify;
mod pages;
mod routes;
mod support;
