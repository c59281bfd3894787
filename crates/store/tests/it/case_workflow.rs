//! Conformance cases of the arrears case workflow: users and roles, saved arrears results,
//! cases and their audit log.

use domain::{
    ArrearsLevel, CaseAction, CaseState, Date, DefaultKind, Intervention, Period, Reason, Referral,
    Role,
};
use store::{
    ArrearsBatch, ArrearsResultRow, ArrearsSaved, Case, CaseEvent, CaseFacts, CaseFilter,
    CaseOpened, CaseTransition, EmployerRecord, NewCase, RoleChange, Store, StoreError, User,
};

use crate::fixture::Fixture;

fn user(name: &str, role: Role) -> User {
    User {
        user_name: name.to_owned(),
        role,
        created_at: "2025-07-01T09:00:00+08:00".to_owned(),
    }
}

/// The first admin, then the others added by that admin.
fn add_users(store: &mut dyn Store) {
    store
        .add_user(&user("ho.admin", Role::Admin), None)
        .expect("add the first admin");
    for (name, role) in [
        ("wong.officer", Role::CaseOfficer),
        ("lee.viewer", Role::Viewer),
        ("ng.analyst", Role::Analyst),
        ("chan.officer", Role::CaseOfficer),
    ] {
        store
            .add_user(&user(name, role), Some("ho.admin"))
            .expect("add user");
    }
}

fn employer(id: &str, name: &str) -> EmployerRecord {
    EmployerRecord {
        employer_id: id.to_owned(),
        name: name.to_owned(),
        hsic_section: "I".to_owned(),
        district: "Yau Tsim Mong".to_owned(),
        headcount: 40,
    }
}

fn result(id: &str, level: &str, arrears_cents: i64) -> ArrearsResultRow {
    ArrearsResultRow {
        employer_id: id.to_owned(),
        level: ArrearsLevel::parse(level).expect("level"),
        workers_affected: 12,
        arrears_cents,
        surcharge_cents: arrears_cents / 20,
        max_days_late: 35,
        months_in_default: 2,
        kinds: vec![DefaultKind::MpfUnpaid, DefaultKind::WagesLate],
        reasons: vec![Reason::MpfUnpaid, Reason::WagesLate],
    }
}

fn batch(period: &str, detected_at: &str, results: Vec<ArrearsResultRow>) -> ArrearsBatch {
    ArrearsBatch {
        period: period.parse().expect("period"),
        as_of: "2025-08-20".parse().expect("date"),
        detected_at: detected_at.to_owned(),
        saved_by: "wong.officer".to_owned(),
        employers: results
            .iter()
            .map(|row| employer(&row.employer_id, &format!("{} Limited", row.employer_id)))
            .collect(),
        results,
    }
}

/// One case opened on its own, as `lmo cases open` does for a single employer.
trait OpenCase {
    fn open_case(&mut self, case: &NewCase) -> Result<CaseOpened, StoreError>;
}

impl OpenCase for dyn Store + '_ {
    fn open_case(&mut self, case: &NewCase) -> Result<CaseOpened, StoreError> {
        let opened = self.open_cases(std::slice::from_ref(case))?;
        assert_eq!(opened.len(), 1);
        Ok(opened[0])
    }
}

fn june() -> Period {
    Period::parse("2025-06").expect("period")
}

fn forbidden<T: std::fmt::Debug>(outcome: Result<T, StoreError>) -> String {
    match outcome {
        Err(StoreError::Forbidden(message)) => message,
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

fn invalid<T: std::fmt::Debug>(outcome: Result<T, StoreError>) -> String {
    match outcome {
        Err(StoreError::Invalid(message)) => message,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn date(text: &str) -> Date {
    text.parse().expect("date")
}

fn facts() -> CaseFacts {
    CaseFacts {
        workers_affected: 12,
        arrears_cents: 1_234_500,
        surcharge_cents: 61_725,
        max_days_late: 35,
        kinds: vec![DefaultKind::MpfUnpaid, DefaultKind::WagesLate],
        reasons: vec![Reason::MpfUnpaid, Reason::GroupDispute],
    }
}

fn new_case(employer_id: &str, user_name: &str, at: &str) -> NewCase {
    NewCase {
        employer_id: employer_id.to_owned(),
        period: june(),
        level: ArrearsLevel::Red,
        facts: facts(),
        due_on: date("2025-08-23"),
        user_name: user_name.to_owned(),
        note: "opened from the 2025-06 arrears results".to_owned(),
        at: at.to_owned(),
    }
}

/// A step with the next one due a week after `at` (none once resolved).
fn step(case_id: i64, to: CaseState, user_name: &str, note: &str, at: &str) -> CaseTransition {
    let due_on = date(&at[..10])
        .checked_add(jiff::Span::new().days(7))
        .expect("date");
    CaseTransition {
        case_id,
        to,
        referral: None,
        assignee: None,
        intervention: None,
        due_on: (!to.is_final()).then_some(due_on),
        user_name: user_name.to_owned(),
        note: note.to_owned(),
        at: at.to_owned(),
    }
}

/// An intervention of `how`.
fn intervene(
    case_id: i64,
    how: Intervention,
    user_name: &str,
    note: &str,
    at: &str,
) -> CaseTransition {
    CaseTransition {
        intervention: Some(how),
        ..step(case_id, CaseState::Intervening, user_name, note, at)
    }
}

fn role_change(name: &str, role: Role, by: &str, note: &str) -> RoleChange {
    RoleChange {
        user_name: name.to_owned(),
        role,
        by: by.to_owned(),
        note: note.to_owned(),
        at: "2025-08-01T10:00:00+08:00".to_owned(),
    }
}

pub(crate) fn users_are_managed_by_admins_with_an_audit_log(fixture: &mut Fixture) {
    let store = fixture.store();
    add_users(store);
    // Once there is an admin, only an admin adds users.
    assert!(
        forbidden(store.add_user(&user("tam.new", Role::Admin), None)).contains("only an admin")
    );
    assert_eq!(
        forbidden(store.add_user(&user("tam.new", Role::Admin), Some("wong.officer"))),
        "user wong.officer (role case_officer) is not an admin: only an admin manages users"
    );
    assert!(
        forbidden(store.add_user(&user("tam.new", Role::Viewer), Some("nobody")))
            .contains("unknown user 'nobody'")
    );
    // A case officer who leaves the team loses case access at once.
    store.require_case_access("wong.officer").expect("officer");
    let changed = store
        .change_role(&role_change(
            "wong.officer",
            Role::Viewer,
            "ho.admin",
            "moved to the research team",
        ))
        .expect("change role");
    assert_eq!(changed.role, Role::Viewer);
    assert!(forbidden(store.require_case_access("wong.officer")).contains("no case access"));
    // What a role change needs.
    let refused = [
        role_change("lee.viewer", Role::Admin, "chan.officer", "promote"),
        role_change("lee.viewer", Role::Admin, "wong.officer", "promote"),
    ];
    for change in &refused {
        assert!(forbidden(store.change_role(change)).contains("not an admin"));
    }
    assert!(
        invalid(store.change_role(&role_change("lee.viewer", Role::Analyst, "ho.admin", " ")))
            .contains("needs a note")
    );
    assert_eq!(
        invalid(store.change_role(&role_change("nobody", Role::Analyst, "ho.admin", "x"))),
        "no user nobody"
    );
    assert_eq!(
        invalid(store.change_role(&role_change("lee.viewer", Role::Viewer, "ho.admin", "x"))),
        "user lee.viewer already has the role viewer"
    );
    assert_eq!(
        invalid(store.change_role(&role_change("ho.admin", Role::Analyst, "ho.admin", "x"))),
        "user ho.admin is the last admin: make another user admin first"
    );
    // With a second admin, the first may step down.
    store
        .change_role(&role_change(
            "ng.analyst",
            Role::Admin,
            "ho.admin",
            "deputy",
        ))
        .expect("second admin");
    store
        .change_role(&role_change(
            "ho.admin",
            Role::CaseOfficer,
            "ng.analyst",
            "hand-over",
        ))
        .expect("first admin steps down");
    // Every add and change is in the log, in order; refused ones are not.
    let log: Vec<String> = store
        .user_events()
        .expect("user events")
        .iter()
        .map(|event| {
            format!(
                "{} {} {}->{} by {} '{}' {}",
                event.user_name,
                event.action.as_str(),
                event.old_role.map_or("-", Role::as_str),
                event.new_role.as_str(),
                event.by.as_deref().unwrap_or("-"),
                event.note,
                event.at
            )
        })
        .collect();
    assert_eq!(
        log,
        [
            "ho.admin added -->admin by - '' 2025-07-01T09:00:00+08:00",
            "wong.officer added -->case_officer by ho.admin '' 2025-07-01T09:00:00+08:00",
            "lee.viewer added -->viewer by ho.admin '' 2025-07-01T09:00:00+08:00",
            "ng.analyst added -->analyst by ho.admin '' 2025-07-01T09:00:00+08:00",
            "chan.officer added -->case_officer by ho.admin '' 2025-07-01T09:00:00+08:00",
            "wong.officer role_changed case_officer->viewer by ho.admin 'moved to the research team' 2025-08-01T10:00:00+08:00",
            "ng.analyst role_changed analyst->admin by ho.admin 'deputy' 2025-08-01T10:00:00+08:00",
            "ho.admin role_changed admin->case_officer by ng.analyst 'hand-over' 2025-08-01T10:00:00+08:00",
        ]
    );
}

pub(crate) fn users_are_listed_with_roles(fixture: &mut Fixture) {
    let store = fixture.store();
    assert_eq!(store.users().expect("users"), []);
    add_users(store);
    let listed: Vec<(String, Role)> = store
        .users()
        .expect("users")
        .into_iter()
        .map(|user| (user.user_name, user.role))
        .collect();
    assert_eq!(
        listed,
        [
            ("chan.officer".to_owned(), Role::CaseOfficer),
            ("ho.admin".to_owned(), Role::Admin),
            ("lee.viewer".to_owned(), Role::Viewer),
            ("ng.analyst".to_owned(), Role::Analyst),
            ("wong.officer".to_owned(), Role::CaseOfficer),
        ]
    );
    assert_eq!(
        invalid(store.add_user(&user("lee.viewer", Role::Admin), Some("ho.admin"))),
        "user lee.viewer already exists"
    );
    // Names that could forge rows in tables and logs, or that no one could type.
    for forged in [
        " ",
        "",
        "lee viewer",
        "ho.admin\nwong.officer  admin",
        "\u{1b}[31mred",
        "tab\there",
        &"x".repeat(65),
    ] {
        let message = invalid(store.add_user(&user(forged, Role::Admin), Some("ho.admin")));
        assert!(message.contains("is not a user name"), "{message}");
        assert!(
            !message.contains('\n') && !message.contains('\u{1b}'),
            "{message}"
        );
    }
    store
        .add_user(&user("陳.officer-2@ld", Role::Viewer), Some("ho.admin"))
        .expect("letters of any script, digits and . _ - @");
    assert_eq!(store.users().expect("users").len(), 6);
    assert_eq!(
        store.users().expect("users")[2],
        user("lee.viewer", Role::Viewer)
    );
}

pub(crate) fn saving_arrears_twice_changes_nothing(fixture: &mut Fixture) {
    let store = fixture.store();
    add_users(store);
    let first = batch(
        "2025-06",
        "2025-08-20T10:00:00Z",
        vec![
            result("E0002", "red", 1_234_500),
            result("E0001", "orange", 50_000),
        ],
    );
    let saved = store.save_arrears(&first).expect("save");
    assert_eq!(
        saved,
        ArrearsSaved {
            employers_new: 2,
            results_new: 2,
            ..ArrearsSaved::default()
        }
    );
    let stored = store.arrears_results(june()).expect("results");
    assert_eq!(
        stored
            .iter()
            .map(|row| (row.result.clone(), row.detected_at.as_str()))
            .collect::<Vec<_>>(),
        [
            (result("E0001", "orange", 50_000), "2025-08-20T10:00:00Z"),
            (result("E0002", "red", 1_234_500), "2025-08-20T10:00:00Z"),
        ]
    );
    assert_eq!(
        store.employer("E0001").expect("employer"),
        Some(employer("E0001", "E0001 Limited"))
    );

    // The same run again, later: nothing changes, not even detected_at.
    let again = ArrearsBatch {
        detected_at: "2025-08-21T10:00:00Z".to_owned(),
        ..first.clone()
    };
    assert_eq!(
        store.save_arrears(&again).expect("save again"),
        ArrearsSaved {
            results_unchanged: 2,
            ..ArrearsSaved::default()
        }
    );
    assert_eq!(store.arrears_results(june()).expect("results"), stored);

    // Another period is kept apart.
    let july = batch(
        "2025-07",
        "2025-09-20T10:00:00Z",
        vec![result("E0001", "red", 90_000)],
    );
    store.save_arrears(&july).expect("save July");

    // A corrected run replaces the period: one changed, one gone, one new.
    let corrected = batch(
        "2025-06",
        "2025-08-22T10:00:00Z",
        vec![
            result("E0001", "red", 70_000),
            result("E0003", "yellow", 1_000),
        ],
    );
    assert_eq!(
        store.save_arrears(&corrected).expect("save corrected"),
        ArrearsSaved {
            employers_new: 1,
            results_new: 1,
            results_changed: 1,
            results_removed: 1,
            ..ArrearsSaved::default()
        }
    );
    let stored: Vec<ArrearsResultRow> = store
        .arrears_results(june())
        .expect("results")
        .into_iter()
        .map(|row| row.result)
        .collect();
    assert_eq!(
        stored,
        [
            result("E0001", "red", 70_000),
            result("E0003", "yellow", 1_000)
        ]
    );
    assert_eq!(
        store
            .arrears_results("2025-07".parse().expect("period"))
            .expect("July")
            .len(),
        1
    );

    // A batch naming an employer twice is refused whole.
    let twice = batch(
        "2025-06",
        "2025-08-23T10:00:00Z",
        vec![result("E0009", "red", 1), result("E0009", "red", 2)],
    );
    assert!(invalid(store.save_arrears(&twice)).contains("listed twice"));
    assert_eq!(store.arrears_results(june()).expect("results").len(), 2);
    assert_eq!(store.employer("E0009").expect("employer"), None);

    // Every save is in the audit log, each replacing the one before of its period.
    let log: Vec<(i64, String, &str, u64, Option<i64>)> = store
        .arrears_saves("ho.admin", None)
        .expect("saves")
        .iter()
        .map(|save| {
            (
                save.id,
                save.period.to_string(),
                if save.saved_at.starts_with("2025-08-21") {
                    "again"
                } else {
                    "run"
                },
                save.saved.results_unchanged,
                save.replaces,
            )
        })
        .collect();
    let ids: Vec<i64> = log.iter().map(|entry| entry.0).collect();
    assert_eq!(
        log,
        [
            (ids[0], "2025-06".to_owned(), "run", 0, None),
            (ids[1], "2025-06".to_owned(), "again", 2, Some(ids[0])),
            (ids[2], "2025-07".to_owned(), "run", 0, None),
            (ids[3], "2025-06".to_owned(), "run", 0, Some(ids[1])),
        ]
    );
    assert_eq!(
        store
            .arrears_saves("wong.officer", Some(june()))
            .expect("June saves")
            .len(),
        3
    );
}

pub(crate) fn case_steps_are_audited(fixture: &mut Fixture) {
    let store = fixture.store();
    add_users(store);
    let opened = store
        .open_case(&new_case("E0001", "ho.admin", "2025-08-21T09:00:00+08:00"))
        .expect("open");
    let CaseOpened::Opened(id) = opened else {
        panic!("expected a new case, got {opened:?}");
    };
    // An open case per employer: opening again writes nothing.
    assert_eq!(
        store
            .open_case(&new_case(
                "E0001",
                "wong.officer",
                "2025-08-22T09:00:00+08:00"
            ))
            .expect("open again"),
        CaseOpened::AlreadyOpen(id)
    );
    let other = store
        .open_case(&new_case(
            "E0002",
            "wong.officer",
            "2025-08-21T09:05:00+08:00",
        ))
        .expect("open other")
        .id();
    assert!(other > id);

    let assign = CaseTransition {
        assignee: Some("wong.officer".to_owned()),
        ..step(
            id,
            CaseState::Assigned,
            "ho.admin",
            "to Wong",
            "2025-08-21T10:00:00+08:00",
        )
    };
    let case = store.case_transition(&assign).expect("assign");
    assert_eq!(
        (case.state, case.assignee.as_deref()),
        (CaseState::Assigned, Some("wong.officer"))
    );
    let reassign = CaseTransition {
        assignee: Some("chan.officer".to_owned()),
        ..step(
            id,
            CaseState::Assigned,
            "ho.admin",
            "Wong on leave",
            "2025-08-21T11:00:00+08:00",
        )
    };
    store.case_transition(&reassign).expect("reassign");
    store
        .case_transition(&intervene(
            id,
            Intervention::Call,
            "chan.officer",
            "called the employer",
            "2025-08-22T15:00:00+08:00",
        ))
        .expect("intervene");
    // A second contact is a step of its own; the case stays intervening.
    let visited = store
        .case_transition(&intervene(
            id,
            Intervention::Visit,
            "chan.officer",
            "visited the site office; promised payment by Friday",
            "2025-08-27T10:00:00+08:00",
        ))
        .expect("intervene again");
    assert_eq!(visited.state, CaseState::Intervening);
    assert_eq!(visited.due_on, Some(date("2025-09-03")));
    let refer = CaseTransition {
        referral: Some(Referral::Mpfa),
        ..step(
            id,
            CaseState::Referred,
            "chan.officer",
            "no payment after 14 days",
            "2025-09-05T09:30:00+08:00",
        )
    };
    let case = store.case_transition(&refer).expect("refer");
    assert_eq!(
        case,
        Case {
            id,
            employer_id: "E0001".to_owned(),
            period: june(),
            level: ArrearsLevel::Red,
            state: CaseState::Referred,
            referral: Some(Referral::Mpfa),
            assignee: Some("chan.officer".to_owned()),
            facts: Some(facts()),
            due_on: Some(date("2025-09-12")),
            opened_at: "2025-08-21T09:00:00+08:00".to_owned(),
            updated_at: "2025-09-05T09:30:00+08:00".to_owned(),
        }
    );
    assert_eq!(store.case("wong.officer", id).expect("case"), case);

    let events = store.case_events("wong.officer", id).expect("events");
    let ids: Vec<i64> = events.iter().map(|event| event.id).collect();
    assert!(ids.is_sorted_by(|a, b| a < b), "ids {ids:?}");
    let log: Vec<(&str, CaseAction, Option<CaseState>, CaseState, &str)> = events
        .iter()
        .map(|event: &CaseEvent| {
            assert_eq!(event.case_id, id);
            (
                event.user_name.as_str(),
                event.action,
                event.from_state,
                event.to_state,
                event.note.as_str(),
            )
        })
        .collect();
    assert_eq!(
        log,
        [
            (
                "ho.admin",
                CaseAction::Open,
                None,
                CaseState::Discover,
                "opened from the 2025-06 arrears results"
            ),
            (
                "ho.admin",
                CaseAction::Assign,
                Some(CaseState::Discover),
                CaseState::Assigned,
                "to Wong"
            ),
            (
                "ho.admin",
                CaseAction::Reassign,
                Some(CaseState::Assigned),
                CaseState::Assigned,
                "Wong on leave"
            ),
            (
                "chan.officer",
                CaseAction::Intervene(Some(Intervention::Call)),
                Some(CaseState::Assigned),
                CaseState::Intervening,
                "called the employer"
            ),
            (
                "chan.officer",
                CaseAction::Intervene(Some(Intervention::Visit)),
                Some(CaseState::Intervening),
                CaseState::Intervening,
                "visited the site office; promised payment by Friday"
            ),
            (
                "chan.officer",
                CaseAction::Refer(Referral::Mpfa),
                Some(CaseState::Intervening),
                CaseState::Referred,
                "no payment after 14 days"
            ),
        ]
    );
    assert_eq!(events[5].at, "2025-09-05T09:30:00+08:00");
    assert_eq!(events[5].due_on, Some(date("2025-09-12")));
    assert_eq!(events[0].due_on, Some(date("2025-08-23")));

    let listed = |store: &mut dyn Store, filter: CaseFilter| -> Vec<i64> {
        store
            .cases("ho.admin", &filter)
            .expect("cases")
            .iter()
            .map(|case| case.id)
            .collect()
    };
    assert_eq!(listed(store, CaseFilter::default()), [id, other]);
    // A referred case awaits the referral's outcome: it is still open.
    assert_eq!(
        listed(
            store,
            CaseFilter {
                open_only: true,
                ..CaseFilter::default()
            }
        ),
        [id, other]
    );
    // What is due, most urgent first: the other case's first step was due on 23 August.
    assert_eq!(
        listed(
            store,
            CaseFilter {
                due_by: Some(date("2025-09-30")),
                ..CaseFilter::default()
            }
        ),
        [other, id]
    );
    assert_eq!(
        listed(
            store,
            CaseFilter {
                due_by: Some(date("2025-08-31")),
                ..CaseFilter::default()
            }
        ),
        [other]
    );
    assert_eq!(
        listed(
            store,
            CaseFilter {
                state: Some(CaseState::Referred),
                ..CaseFilter::default()
            }
        ),
        [id]
    );
    assert_eq!(
        listed(
            store,
            CaseFilter {
                employer_id: Some("E0002".to_owned()),
                ..CaseFilter::default()
            }
        ),
        [other]
    );

    // The referral's outcome resolves the case; then a new default of the same employer
    // opens a new case.
    let outcome = store
        .case_transition(&step(
            id,
            CaseState::Resolved,
            "chan.officer",
            "MPFA recovered the contributions and the surcharge",
            "2025-09-30T16:00:00+08:00",
        ))
        .expect("outcome");
    assert_eq!(
        (outcome.state, outcome.referral, outcome.due_on),
        (CaseState::Resolved, Some(Referral::Mpfa), None)
    );
    let reopened = store
        .open_case(&new_case(
            "E0001",
            "wong.officer",
            "2025-10-01T09:00:00+08:00",
        ))
        .expect("open after referral");
    assert!(matches!(reopened, CaseOpened::Opened(new) if new > other));

    // Straight from discover to the insolvency fund is allowed.
    let wound_up = CaseTransition {
        referral: Some(Referral::InsolvencyFund),
        ..step(
            other,
            CaseState::Referred,
            "wong.officer",
            "employer wound up",
            "2025-08-23T09:00:00+08:00",
        )
    };
    let case = store
        .case_transition(&wound_up)
        .expect("refer from discover");
    assert_eq!(case.referral, Some(Referral::InsolvencyFund));
}

pub(crate) fn invalid_case_steps_are_refused(fixture: &mut Fixture) {
    let store = fixture.store();
    add_users(store);
    let id = store
        .open_case(&new_case(
            "E0001",
            "wong.officer",
            "2025-08-21T09:00:00+08:00",
        ))
        .expect("open")
        .id();
    let at = "2025-08-21T10:00:00+08:00";
    assert_eq!(
        invalid(store.case_transition(&step(id, CaseState::Intervening, "wong.officer", "x", at))),
        format!(
            "case {id} is discover: it cannot move to intervening (allowed: assigned, referred)"
        )
    );
    assert!(
        invalid(store.case_transition(&step(id, CaseState::Resolved, "wong.officer", "x", at)))
            .contains("cannot move to resolved")
    );
    let assign = CaseTransition {
        assignee: Some("wong.officer".to_owned()),
        ..step(id, CaseState::Assigned, "wong.officer", "x", at)
    };
    let undated = CaseTransition {
        due_on: None,
        ..assign.clone()
    };
    assert!(invalid(store.case_transition(&undated)).contains("next step is due"));
    let how_on_assign = CaseTransition {
        intervention: Some(Intervention::Call),
        ..assign.clone()
    };
    assert!(invalid(store.case_transition(&how_on_assign)).contains("only for an intervention"));
    assert!(
        invalid(store.case_transition(&step(id, CaseState::Referred, "wong.officer", "x", at)))
            .contains("needs a referral target")
    );
    assert!(
        invalid(store.case_transition(&step(id, CaseState::Assigned, "wong.officer", "x", at)))
            .contains("needs an officer")
    );
    for (assignee, message) in [
        ("lee.viewer", "only case officers and admins take cases"),
        ("nobody", "unknown user 'nobody'"),
    ] {
        let to_viewer = CaseTransition {
            assignee: Some(assignee.to_owned()),
            ..step(id, CaseState::Assigned, "wong.officer", "x", at)
        };
        assert!(invalid(store.case_transition(&to_viewer)).contains(message));
    }
    let blank_note = CaseTransition {
        assignee: Some("wong.officer".to_owned()),
        ..step(id, CaseState::Assigned, "wong.officer", "  ", at)
    };
    assert!(invalid(store.case_transition(&blank_note)).contains("needs a note"));
    match store.case_transition(&step(999, CaseState::Assigned, "wong.officer", "x", at)) {
        Err(StoreError::NotFound(message)) => assert_eq!(message, "no case 999"),
        other => panic!("expected NotFound, got {other:?}"),
    }
    // Nothing was written by the refusals.
    assert_eq!(
        store.case_events("wong.officer", id).expect("events").len(),
        1
    );
    assert_eq!(
        store.case("wong.officer", id).expect("case").state,
        CaseState::Discover
    );

    // An intervention says how the officer acted.
    store.case_transition(&assign).expect("assign");
    assert!(
        invalid(store.case_transition(&step(id, CaseState::Intervening, "wong.officer", "x", at)))
            .contains("says how the officer acted (call, letter, visit, meeting)")
    );
    // A resolved case has no next step to be due, and moves no more.
    let refer = CaseTransition {
        referral: Some(Referral::LabourTribunal),
        ..step(id, CaseState::Referred, "wong.officer", "claim filed", at)
    };
    store.case_transition(&refer).expect("refer");
    let dated_outcome = CaseTransition {
        due_on: Some(date("2025-12-01")),
        ..step(id, CaseState::Resolved, "wong.officer", "award paid", at)
    };
    assert!(invalid(store.case_transition(&dated_outcome)).contains("no next step"));
    store
        .case_transition(&step(
            id,
            CaseState::Resolved,
            "wong.officer",
            "award paid",
            at,
        ))
        .expect("outcome");
    let again = CaseTransition {
        referral: Some(Referral::Mpfa),
        ..step(id, CaseState::Referred, "wong.officer", "again", at)
    };
    assert_eq!(
        invalid(store.case_transition(&again)),
        format!(
            "case {id} is resolved: it cannot move to referred (allowed: none: the case is closed)"
        )
    );
    assert_eq!(
        store.case_events("wong.officer", id).expect("events").len(),
        4
    );
}

pub(crate) fn roles_without_case_access_are_forbidden(fixture: &mut Fixture) {
    let store = fixture.store();
    add_users(store);
    let id = store
        .open_case(&new_case(
            "E0001",
            "wong.officer",
            "2025-08-21T09:00:00+08:00",
        ))
        .expect("open")
        .id();
    let at = "2025-08-21T10:00:00+08:00";
    for (name, role) in [("lee.viewer", "viewer"), ("ng.analyst", "analyst")] {
        let expected = format!("user {name} (role {role}) has no case access");
        assert_eq!(
            forbidden(store.cases(name, &CaseFilter::default())),
            expected
        );
        assert_eq!(forbidden(store.case(name, id)), expected);
        assert_eq!(forbidden(store.case_events(name, id)), expected);
        assert_eq!(
            forbidden(store.open_case(&new_case("E0002", name, at))),
            expected
        );
        let assign = CaseTransition {
            assignee: Some("wong.officer".to_owned()),
            ..step(id, CaseState::Assigned, name, "x", at)
        };
        assert_eq!(forbidden(store.case_transition(&assign)), expected);
        assert_eq!(forbidden(store.require_case_access(name)), expected);
        let save = ArrearsBatch {
            saved_by: name.to_owned(),
            ..batch("2025-06", at, vec![result("E0002", "red", 1)])
        };
        assert_eq!(forbidden(store.save_arrears(&save)), expected);
        assert_eq!(forbidden(store.arrears_saves(name, None)), expected);
    }
    assert!(forbidden(store.cases("nobody", &CaseFilter::default())).contains("unknown user"));
    assert!(forbidden(store.require_case_access("nobody")).contains("unknown user"));
    for name in ["wong.officer", "ho.admin"] {
        store.require_case_access(name).expect("case access");
    }
    // Nothing was written by the refusals.
    assert_eq!(
        store
            .cases("ho.admin", &CaseFilter::default())
            .expect("cases")
            .len(),
        1
    );
    assert_eq!(store.case_events("ho.admin", id).expect("events").len(), 1);
}

pub(crate) fn failed_save_leaves_the_store_as_it_was(fixture: &mut Fixture) {
    let store = fixture.store();
    add_users(store);
    let first = batch(
        "2025-06",
        "2025-08-20T10:00:00Z",
        vec![result("E0001", "orange", 50_000)],
    );
    store.save_arrears(&first).expect("save");
    let before = store.arrears_results(june()).expect("results");

    // The second employer breaks a constraint after the first rows were written: the whole
    // run is rolled back, as a killed process would leave it.
    let mut broken = batch(
        "2025-06",
        "2025-08-21T10:00:00Z",
        vec![result("E0002", "red", 1), result("E0003", "red", 2)],
    );
    broken.employers[1].headcount = -1;
    assert!(store.save_arrears(&broken).is_err());
    assert_eq!(store.arrears_results(june()).expect("results"), before);
    assert_eq!(store.employer("E0002").expect("employer"), None);
    assert_eq!(
        store.arrears_saves("ho.admin", None).expect("saves").len(),
        1
    );

    fixture.reopen().expect("reopen");
    let store = fixture.store();
    assert_eq!(store.arrears_results(june()).expect("results"), before);
    assert_eq!(
        store.save_arrears(&first).expect("save again"),
        ArrearsSaved {
            results_unchanged: 1,
            ..ArrearsSaved::default()
        }
    );
}

/// `lmo cases open` opens every case of a run or none: a case the store refuses half-way
/// leaves no case of the run open.
pub(crate) fn opening_cases_is_all_or_nothing(fixture: &mut Fixture) {
    let store = fixture.store();
    add_users(store);
    let at = "2025-08-21T09:00:00+08:00";
    let cases = [
        new_case("E0001", "wong.officer", at),
        new_case("E0002", "wong.officer", at),
        new_case("E0003", "wong.officer", at),
    ];
    let mut refused = cases.clone();
    refused[2].note.clear();
    assert!(invalid(store.open_cases(&refused)).contains("needs a note"));
    let all = CaseFilter::default();
    assert_eq!(store.cases("wong.officer", &all).expect("cases"), []);

    let opened = store.open_cases(&cases).expect("open");
    assert!(
        opened
            .iter()
            .all(|outcome| matches!(outcome, CaseOpened::Opened(_))),
        "{opened:?}"
    );
    let again = store.open_cases(&cases).expect("open again");
    let ids: Vec<i64> = opened.iter().map(|outcome| outcome.id()).collect();
    assert_eq!(
        again,
        ids.iter()
            .map(|id| CaseOpened::AlreadyOpen(*id))
            .collect::<Vec<_>>()
    );
}

/// Whether a login's own client may read `table` (PostgreSQL's answer to the grants).
fn may_read(client: &mut postgres::Client, table: &str) -> bool {
    match client.query_one(&format!("SELECT count(*) FROM {table}"), &[]) {
        Ok(_) => true,
        Err(error) => {
            assert_eq!(
                error.code(),
                Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
                "{error}"
            );
            false
        }
    }
}

/// The tables only case officers and admins may read.
const CASE_TABLES: [&str; 5] = [
    "employers",
    "arrears_results",
    "arrears_saves",
    "cases",
    "case_events",
];

pub(crate) fn database_grants_follow_the_roles(fixture: &mut Fixture) {
    let login = fixture
        .store()
        .database_login()
        .expect("the session's login");
    let Some(mut as_viewer) = fixture.client_as("lee.viewer") else {
        // A SQLite file has no logins: its operating-system user is the CLI's concern.
        assert_eq!(login, None);
        return;
    };
    assert!(login.is_some_and(|login| !login.is_empty()));
    let store = fixture.store();
    add_users(store);
    // A user without a database login uses lmo through the server only: added, with no
    // grants to pass on.
    store
        .add_user(&user("no.such.login", Role::Admin), Some("ho.admin"))
        .expect("a user without a login");

    // Even with psql, a viewer reads the statistics and not a single case table.
    assert!(may_read(&mut as_viewer, "observations"));
    assert!(may_read(&mut as_viewer, "users"));
    for table in CASE_TABLES {
        assert!(!may_read(&mut as_viewer, table), "the viewer reads {table}");
    }
    let mut as_analyst = fixture.client_as("ng.analyst").expect("PostgreSQL");
    assert!(!may_read(&mut as_analyst, "cases"));
    let mut as_officer = fixture.client_as("wong.officer").expect("PostgreSQL");
    for table in CASE_TABLES {
        assert!(
            may_read(&mut as_officer, table),
            "the officer cannot read {table}"
        );
    }
    // Credentials are the admins' (and the server's login's) alone, even as hashes.
    for table in ["api_tokens", "sessions", "passwords", "credential_events"] {
        assert!(
            !may_read(&mut as_officer, table),
            "the officer reads {table}"
        );
    }
    // Every table is covered by the grants: an admin reads them all.
    let mut as_admin = fixture.client_as("ho.admin").expect("PostgreSQL");
    let tables: Vec<String> = as_admin
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            &[],
        )
        .expect("tables")
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert!(tables.len() >= 15, "{tables:?}");
    for table in &tables {
        assert!(
            may_read(&mut as_admin, table),
            "no group role reads {table}"
        );
    }

    // The role goes with the lmo role: the officer moved to research reads no case.
    fixture
        .store()
        .change_role(&role_change(
            "wong.officer",
            Role::Viewer,
            "ho.admin",
            "moved to the research team",
        ))
        .expect("change the role");
    let mut as_former_officer = fixture.client_as("wong.officer").expect("PostgreSQL");
    assert!(!may_read(&mut as_former_officer, "cases"));

    // The store opened as the viewer's login: lmo says the database refused, not that it broke.
    let url = fixture.url_as("lee.viewer").expect("PostgreSQL");
    let mut viewer_store = store::open(&url).expect("a viewer opens the store");
    assert_eq!(
        viewer_store.database_login().expect("login").as_deref(),
        Some("lee.viewer")
    );
    let message = forbidden(viewer_store.arrears_results(june()));
    assert!(
        message.starts_with("the database refused this login: permission denied for table"),
        "{message}"
    );
    // An admin's login adds users itself: it may pass the group roles on.
    let admin_url = fixture.url_as("ho.admin").expect("PostgreSQL");
    let mut admin_store = store::open(&admin_url).expect("an admin opens the store");
    admin_store
        .add_user(&user("tam.new", Role::CaseOfficer), Some("ho.admin"))
        .expect("the admin's login adds a user");
    let mut as_new = fixture.client_as("tam.new").expect("PostgreSQL");
    assert!(may_read(&mut as_new, "cases"));
}
