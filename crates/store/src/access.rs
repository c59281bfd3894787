//! PostgreSQL's side of the roles: each lmo user's database login is a member of the group
//! role of its lmo role (created by migration 0009, given its rights by `grants.sql`, named
//! after the database: `<database>_viewer` and so on), so that the database refuses a
//! viewer's login the case tables even outside lmo.
//!
//! A SQLite store has no such layer: it is one operating-system user's file.

use domain::Role;

use crate::StoreError;
use crate::sql::{Sql, params, query_one, query_opt};

/// Every role, lowest first: each group role is a member of the one before.
const ROLES: [Role; 4] = [Role::Viewer, Role::Analyst, Role::CaseOfficer, Role::Admin];

/// The group role of `role` in `database`, as an SQL identifier.
fn group_role(database: &str, role: Role) -> String {
    quoted(&format!("{database}_{}", role.as_str()))
}

/// The login as an SQL identifier. User names are letters, digits and `. _ - @` (checked
/// before this is called), so quoting is enough; a double quote is doubled all the same.
fn quoted(login: &str) -> String {
    format!("\"{}\"", login.replace('"', "\"\""))
}

/// The database login whose session this is.
pub(crate) fn current_login(sql: &mut (impl Sql + ?Sized)) -> Result<String, StoreError> {
    query_one(sql, "SELECT current_user::text", &[])?.text(0)
}

/// Whether `login` is a login of the cluster. An lmo user without one uses lmo only through
/// the server (which logs in as itself); logins and their passwords are the database
/// administrator's, so lmo never creates one.
pub(crate) fn is_login(sql: &mut (impl Sql + ?Sized), login: &str) -> Result<bool, StoreError> {
    let found = query_opt(
        sql,
        "SELECT 1 FROM pg_roles WHERE rolname = $1 AND rolcanlogin",
        params![login],
    )?;
    Ok(found.is_some())
}

/// Makes `login` a member of the group role of `role`, and of no other group role of this
/// database. An admin's login may pass every group role on, so that admins can add users.
pub(crate) fn set_membership(
    sql: &mut (impl Sql + ?Sized),
    login: &str,
    role: Role,
) -> Result<(), StoreError> {
    let database = query_one(sql, "SELECT current_database()::text", &[])?.text(0)?;
    let login = quoted(login);
    let every_group = ROLES
        .iter()
        .map(|role| group_role(&database, *role))
        .collect::<Vec<_>>()
        .join(", ");
    sql.batch(&format!("REVOKE {every_group} FROM {login}"))?;
    let grant = if role == Role::Admin {
        format!("GRANT {every_group} TO {login} WITH ADMIN OPTION")
    } else {
        format!("GRANT {} TO {login}", group_role(&database, role))
    };
    sql.batch(&grant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_roles_are_named_after_the_database() {
        let groups: Vec<String> = ROLES.iter().map(|role| group_role("lmo", *role)).collect();
        assert_eq!(
            groups,
            [
                "\"lmo_viewer\"",
                "\"lmo_analyst\"",
                "\"lmo_case_officer\"",
                "\"lmo_admin\""
            ]
        );
    }

    #[test]
    fn a_quote_in_a_login_cannot_end_the_identifier() {
        assert_eq!(quoted("ho.admin"), "\"ho.admin\"");
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
    }
}
