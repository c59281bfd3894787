//! Conformance tests of the store: every case runs against SQLite and, when `TEST_PG_URL`
//! names a PostgreSQL server, against PostgreSQL, as `sqlite_<case>` and `postgres_<case>`.

mod case_workflow;
mod cases;
mod fixture;
mod serving;

/// Declares `$sqlite` and `$postgres` tests running `cases::$case` on each backend.
macro_rules! conformance {
    ($($case:ident => $sqlite:ident, $postgres:ident;)*) => {
        $(
            #[test]
            fn $sqlite() {
                fixture::with_sqlite(cases::$case);
            }

            #[test]
            fn $postgres() {
                fixture::with_postgres(cases::$case);
            }
        )*
    };
}

conformance! {
    fresh_import_stores_values_as_new =>
        sqlite_fresh_import_stores_values_as_new, postgres_fresh_import_stores_values_as_new;
    identical_reimport_changes_nothing =>
        sqlite_identical_reimport_changes_nothing, postgres_identical_reimport_changes_nothing;
    changed_value_becomes_new_vintage =>
        sqlite_changed_value_becomes_new_vintage, postgres_changed_value_becomes_new_vintage;
    as_of_returns_what_was_known =>
        sqlite_as_of_returns_what_was_known, postgres_as_of_returns_what_was_known;
    publication_lag_vintage_is_capped =>
        sqlite_publication_lag_vintage_is_capped, postgres_publication_lag_vintage_is_capped;
    explicit_vintages_are_kept =>
        sqlite_explicit_vintages_are_kept, postgres_explicit_vintages_are_kept;
    duplicate_rows_roll_back_everything =>
        sqlite_duplicate_rows_roll_back_everything, postgres_duplicate_rows_roll_back_everything;
    unknown_series_is_a_problem =>
        sqlite_unknown_series_is_a_problem, postgres_unknown_series_is_a_problem;
    allow_partial_keeps_good_rows =>
        sqlite_allow_partial_keeps_good_rows, postgres_allow_partial_keeps_good_rows;
    dropped_session_leaves_nothing =>
        sqlite_dropped_session_leaves_nothing, postgres_dropped_session_leaves_nothing;
    inferred_metadata_never_overwrites_declared =>
        sqlite_inferred_metadata_never_overwrites_declared,
        postgres_inferred_metadata_never_overwrites_declared;
    occupations_at_every_level_are_kept =>
        sqlite_occupations_at_every_level_are_kept, postgres_occupations_at_every_level_are_kept;
    list_series_filters_by_prefix_and_tag =>
        sqlite_list_series_filters_by_prefix_and_tag,
        postgres_list_series_filters_by_prefix_and_tag;
    imports_are_recorded => sqlite_imports_are_recorded, postgres_imports_are_recorded;
    reopening_keeps_data_without_rerunning_migrations =>
        sqlite_reopening_keeps_data_without_rerunning_migrations,
        postgres_reopening_keeps_data_without_rerunning_migrations;
    newer_schema_is_refused => sqlite_newer_schema_is_refused, postgres_newer_schema_is_refused;
    acknowledgements_are_listed_in_order_with_ids =>
        sqlite_acknowledgements_are_listed_in_order_with_ids,
        postgres_acknowledgements_are_listed_in_order_with_ids;
    mutes_are_listed_in_order_with_ids =>
        sqlite_mutes_are_listed_in_order_with_ids, postgres_mutes_are_listed_in_order_with_ids;
    stl_cache_is_replaced_whole_and_keeps_every_bit =>
        sqlite_stl_cache_is_replaced_whole_and_keeps_every_bit,
        postgres_stl_cache_is_replaced_whole_and_keeps_every_bit;
    empty_reason_is_refused_and_stores_nothing =>
        sqlite_empty_reason_is_refused_and_stores_nothing,
        postgres_empty_reason_is_refused_and_stores_nothing;
    version_1_database_migrates_keeping_observations =>
        sqlite_version_1_database_migrates_keeping_observations,
        postgres_version_1_database_migrates_keeping_observations;
    users_are_listed_with_roles =>
        sqlite_users_are_listed_with_roles, postgres_users_are_listed_with_roles;
    users_are_managed_by_admins_with_an_audit_log =>
        sqlite_users_are_managed_by_admins_with_an_audit_log,
        postgres_users_are_managed_by_admins_with_an_audit_log;
    saving_arrears_twice_changes_nothing =>
        sqlite_saving_arrears_twice_changes_nothing, postgres_saving_arrears_twice_changes_nothing;
    case_steps_are_audited => sqlite_case_steps_are_audited, postgres_case_steps_are_audited;
    invalid_case_steps_are_refused =>
        sqlite_invalid_case_steps_are_refused, postgres_invalid_case_steps_are_refused;
    roles_without_case_access_are_forbidden =>
        sqlite_roles_without_case_access_are_forbidden,
        postgres_roles_without_case_access_are_forbidden;
    an_edited_figure_of_the_same_release_is_a_correction =>
        sqlite_an_edited_figure_of_the_same_release_is_a_correction,
        postgres_an_edited_figure_of_the_same_release_is_a_correction;
    unreadable_rows_are_skipped_and_reported =>
        sqlite_unreadable_rows_are_skipped_and_reported,
        postgres_unreadable_rows_are_skipped_and_reported;
    opening_cases_is_all_or_nothing =>
        sqlite_opening_cases_is_all_or_nothing, postgres_opening_cases_is_all_or_nothing;
    database_grants_follow_the_roles =>
        sqlite_database_grants_follow_the_roles, postgres_database_grants_follow_the_roles;
    failed_save_leaves_the_store_as_it_was =>
        sqlite_failed_save_leaves_the_store_as_it_was,
        postgres_failed_save_leaves_the_store_as_it_was;
    tokens_expire_and_are_revoked_with_a_log =>
        sqlite_tokens_expire_and_are_revoked_with_a_log,
        postgres_tokens_expire_and_are_revoked_with_a_log;
    sessions_and_passwords_are_hashes_with_a_log =>
        sqlite_sessions_and_passwords_are_hashes_with_a_log,
        postgres_sessions_and_passwords_are_hashes_with_a_log;
    reports_are_archived_with_their_files =>
        sqlite_reports_are_archived_with_their_files,
        postgres_reports_are_archived_with_their_files;
    events_are_delivered_once_with_retries_recorded =>
        sqlite_events_are_delivered_once_with_retries_recorded,
        postgres_events_are_delivered_once_with_retries_recorded;
    the_data_version_moves_with_imports_and_decisions =>
        sqlite_the_data_version_moves_with_imports_and_decisions,
        postgres_the_data_version_moves_with_imports_and_decisions;
}
