//! Checks of the workspace itself, so that what ARCHITECTURE.md says stays true. No code:
//! the checks are the tests.

#[cfg(test)]
mod layers;
