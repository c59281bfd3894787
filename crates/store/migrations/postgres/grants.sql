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
    -- The archive of generated reports: everyone reads it, analysts add to it.
    EXECUTE 'GRANT SELECT ON reports, report_files TO ' || viewer;
    EXECUTE 'GRANT INSERT, UPDATE, DELETE ON reports, report_files TO ' || analyst;
    -- Users, their credentials, subscriptions and the notifications' outbox are managed by
    -- admins, and by the server's own login, which holds the admin group.
    EXECUTE 'GRANT INSERT, UPDATE ON users, user_events TO ' || admin;
    EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON api_tokens, sessions, passwords,
        credential_events, subscriptions, notification_events, notification_deliveries TO '
        || admin;
END
$$;
