-- The group roles that the database's own grants are given to (grants.sql), one per lmo
-- role, named after the database (`<database>_viewer`, `_analyst`, `_case_officer`,
-- `_admin`) because roles belong to the whole cluster while an lmo store is one database:
-- a login's role in one store says nothing of another. Each holds the rights of the one
-- before: viewer < analyst < case officer < admin. An lmo user's database login is made a
-- member of the group of its lmo role, so that the database itself, not only lmo, keeps a
-- viewer's login out of the case tables.
DO $$
DECLARE
    suffix text;
    group_role text;
    lower_role text;
BEGIN
    IF octet_length(current_database()) > 50 THEN
        RAISE EXCEPTION 'the database name % is too long for lmo''s roles named after it (at most 50 bytes)',
            current_database();
    END IF;
    FOREACH suffix IN ARRAY ARRAY['viewer', 'analyst', 'case_officer', 'admin'] LOOP
        group_role := current_database() || '_' || suffix;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = group_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', group_role);
            EXCEPTION WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'lmo needs the group roles %_viewer, _analyst, _case_officer and _admin: a database administrator creates them (CREATE ROLE %I NOLOGIN; …), or the login that first opens the store needs CREATEROLE',
                    current_database(), group_role
                    USING ERRCODE = 'insufficient_privilege';
            END;
        END IF;
        IF lower_role IS NOT NULL AND NOT pg_has_role(group_role, lower_role, 'MEMBER') THEN
            EXECUTE format('GRANT %I TO %I', lower_role, group_role);
        END IF;
        lower_role := group_role;
    END LOOP;
END
$$;
