-- What each group role of 0009_access_roles may read and write. Applied after every
-- migration, so that a new table gets its grants; a store test fails for a table that no
-- group role may read.
DO $$
DECLARE
    viewer text := quote_ident(current_database() || '_viewer');
    analyst text := quote_ident(current_database() || '_analyst');
    case_officer text := quote_ident(current_database() || '_case_officer');
    admin text := quote_ident(current_database() || '_admin');
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %s', current_schema(), viewer);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %s', current_schema(), analyst);
    -- Published statistics, derived series, the alerts' audit and who the users are:
    -- everyone reads.
    EXECUTE 'GRANT SELECT ON schema_migrations, series, series_tags, imports, observations,
        observation_corrections, stl_cache, alert_acknowledgements, alert_mutes,
        users, user_events TO ' || viewer;
    -- Analysts import, compute, acknowledge and mute.
    EXECUTE 'GRANT INSERT, UPDATE, DELETE ON series, series_tags, imports, observations,
        observation_corrections, stl_cache, alert_acknowledgements, alert_mutes TO ' || analyst;
    -- Employer-level arrears and cases: case officers and admins only.
    EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON employers, arrears_results, arrears_saves,
        cases, case_events TO ' || case_officer;
    -- Users are managed by admins.
    EXECUTE 'GRANT INSERT, UPDATE ON users, user_events TO ' || admin;
END
$$;
