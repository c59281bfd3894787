//! Who is acting: never a name given in a flag. On PostgreSQL the database login, which each
//! user has and the database authenticates; on SQLite, a single-user desktop file, the
//! operating-system user running lmo. The store then checks that user's lmo role.

use anyhow::Context;
use engine::Engine;

/// The lmo user acting in this run.
pub(crate) fn acting_user(engine: &mut Engine) -> anyhow::Result<String> {
    if let Some(login) = engine.database_login()? {
        return Ok(login);
    }
    whoami::username().context("cannot tell which operating-system user is running lmo")
}
