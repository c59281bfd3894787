//! Conformance cases of what the HTTP server keeps: credentials (hashes only), the report
//! archive, subscriptions and the outbox of notifications, and the data version.

use domain::Role;
use store::{
    ArchivedReport, Channel, CredentialAction, DeliveryOutcome, NewEvent, NewSubscription,
    NewToken, Principal, ReportFile, Store, StoreError, Topic, User,
};

use crate::fixture::Fixture;

const HASH_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const HASH_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

fn add_users(store: &mut dyn Store) {
    let user = |name: &str, role| User {
        user_name: name.to_owned(),
        role,
        created_at: "2026-01-05T09:00:00+08:00".to_owned(),
    };
    store
        .add_user(&user("ho", Role::Admin), None)
        .expect("first admin");
    store
        .add_user(&user("lee", Role::Viewer), Some("ho"))
        .expect("viewer");
    store
        .add_user(&user("wong", Role::CaseOfficer), Some("ho"))
        .expect("officer");
}

fn principal(name: &str, role: Role) -> Principal {
    Principal {
        user_name: name.to_owned(),
        role,
    }
}

fn token(user: &str, hash: &str, by: Option<&str>) -> NewToken {
    NewToken {
        user_name: user.to_owned(),
        token_hash: hash.to_owned(),
        label: "test".to_owned(),
        created_by: by.map(str::to_owned),
        created_at: "2026-01-05T01:00:00Z".to_owned(),
        expires_at: "2026-02-05T01:00:00Z".to_owned(),
    }
}

pub(crate) fn tokens_expire_and_are_revoked_with_a_log(fixture: &mut Fixture) {
    let store = fixture.store();
    add_users(store);
    let id = store
        .add_token(&token("lee", HASH_A, None))
        .expect("a token made on the database itself");
    assert_eq!(
        store
            .token_user(HASH_A, "2026-01-06T00:00:00Z")
            .expect("read"),
        Some(principal("lee", Role::Viewer))
    );
    assert_eq!(
        store
            .token_user(HASH_A, "2026-02-05T01:00:00Z")
            .expect("read"),
        None,
        "a token is no longer valid at its expiry"
    );
    assert_eq!(
        store
            .token_user(HASH_B, "2026-01-06T00:00:00Z")
            .expect("read"),
        None
    );
    assert!(matches!(
        store.add_token(&token("lee", HASH_B, Some("wong"))),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.add_token(&token("nobody", HASH_B, Some("ho"))),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.add_token(&token("lee", "not-a-hash", Some("ho"))),
        Err(StoreError::Invalid(_))
    ));
    let revoked = store
        .revoke_token(id, "ho", "2026-01-07T00:00:00Z")
        .expect("revoke");
    assert_eq!(revoked.revoked_by.as_deref(), Some("ho"));
    assert_eq!(
        store
            .token_user(HASH_A, "2026-01-07T00:00:01Z")
            .expect("read"),
        None
    );
    assert!(matches!(
        store.revoke_token(id, "ho", "2026-01-07T00:00:00Z"),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.revoke_token(99, "ho", "2026-01-07T00:00:00Z"),
        Err(StoreError::NotFound(_))
    ));
    let listed = store.tokens(Some("lee")).expect("tokens");
    assert_eq!(listed.len(), 1);
    assert!(store.tokens(Some("wong")).expect("tokens").is_empty());
    let log: Vec<(String, CredentialAction, Option<String>)> = store
        .credential_events()
        .expect("log")
        .into_iter()
        .map(|event| (event.user_name, event.action, event.by))
        .collect();
    assert_eq!(
        log,
        [
            ("lee".to_owned(), CredentialAction::TokenCreated, None),
            (
                "lee".to_owned(),
                CredentialAction::TokenRevoked,
                Some("ho".to_owned())
            ),
        ]
    );
}

pub(crate) fn sessions_and_passwords_are_hashes_with_a_log(fixture: &mut Fixture) {
    let store = fixture.store();
    add_users(store);
    assert_eq!(store.password("wong").expect("read"), None);
    store
        .set_password(
            "wong",
            "$argon2id$v=19$fake",
            Some("ho"),
            "2026-01-05T01:00:00Z",
        )
        .expect("set");
    assert_eq!(
        store.password("wong").expect("read"),
        Some(("$argon2id$v=19$fake".to_owned(), Role::CaseOfficer))
    );
    assert!(matches!(
        store.set_password("wong", "plain text", None, "2026-01-05T01:00:00Z"),
        Err(StoreError::Invalid(_))
    ));
    store
        .add_session(
            "wong",
            HASH_A,
            "2026-01-05T01:00:00Z",
            "2026-01-05T13:00:00Z",
        )
        .expect("session");
    assert_eq!(
        store
            .session_user(HASH_A, "2026-01-05T12:59:59Z")
            .expect("read"),
        Some(principal("wong", Role::CaseOfficer))
    );
    assert_eq!(
        store
            .session_user(HASH_A, "2026-01-05T13:00:00Z")
            .expect("read"),
        None
    );
    store
        .end_session(HASH_A, "2026-01-05T02:00:00Z")
        .expect("logout");
    store
        .end_session(HASH_A, "2026-01-05T03:00:00Z")
        .expect("a second logout changes nothing");
    assert_eq!(
        store
            .session_user(HASH_A, "2026-01-05T02:00:01Z")
            .expect("read"),
        None
    );
    store
        .add_refused_login("mallory", "2026-01-05T04:00:00Z")
        .expect("log");
    let actions: Vec<(String, CredentialAction)> = store
        .credential_events()
        .expect("log")
        .into_iter()
        .map(|event| (event.user_name, event.action))
        .collect();
    assert_eq!(
        actions,
        [
            ("wong".to_owned(), CredentialAction::PasswordSet),
            ("wong".to_owned(), CredentialAction::Login),
            ("wong".to_owned(), CredentialAction::Logout),
            ("mallory".to_owned(), CredentialAction::LoginRefused),
        ]
    );
}

pub(crate) fn reports_are_archived_with_their_files(fixture: &mut Fixture) {
    let store = fixture.store();
    add_users(store);
    let report = ArchivedReport {
        id: 0,
        as_of: domain::parse_date("2026-01-31").expect("date"),
        since: domain::parse_date("2025-12-31").expect("date"),
        languages: "both".to_owned(),
        generated_by: "lee".to_owned(),
        generated_at: "2026-02-01T09:00:00+08:00".to_owned(),
    };
    let bytes: Vec<u8> = (0..=255).collect();
    let files = [
        ReportFile {
            format: "html".to_owned(),
            content_type: "text/html; charset=utf-8".to_owned(),
            bytes: "<p>報告</p>".as_bytes().to_vec(),
        },
        ReportFile {
            format: "xlsx".to_owned(),
            content_type: "application/octet-stream".to_owned(),
            bytes: bytes.clone(),
        },
    ];
    let id = store.add_report(&report, &files).expect("archive");
    let second = store.add_report(&report, &files[..1]).expect("archive");
    let listed = store.reports().expect("reports");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].0.id, second, "newest first");
    assert_eq!(listed[1].1, ["html", "xlsx"]);
    assert_eq!(listed[1].0, ArchivedReport { id, ..report });
    assert_eq!(
        store
            .report_file(id, "xlsx")
            .expect("file")
            .map(|file| file.bytes),
        Some(bytes),
        "every byte comes back"
    );
    assert_eq!(store.report_file(second, "xlsx").expect("file"), None);
    assert_eq!(store.report_file(77, "html").expect("file"), None);
}

pub(crate) fn events_are_delivered_once_with_retries_recorded(fixture: &mut Fixture) {
    let store = fixture.store();
    add_users(store);
    let subscribe = |store: &mut dyn Store, user: &str, topic: Topic| {
        store.add_subscription(&NewSubscription {
            user_name: user.to_owned(),
            topic,
            channel: Channel::Webhook,
            target: "http://127.0.0.1:9/hook".to_owned(),
            created_at: "2026-01-05T01:00:00Z".to_owned(),
        })
    };
    assert!(matches!(
        subscribe(store, "lee", Topic::OwnCases),
        Err(StoreError::Forbidden(_))
    ));
    let lee = subscribe(store, "lee", Topic::Reports).expect("subscribe");
    let wong = subscribe(store, "wong", Topic::Level("orange".to_owned())).expect("subscribe");
    assert_eq!(store.subscriptions(None).expect("all").len(), 2);
    assert_eq!(
        store.subscriptions(Some("lee")).expect("own"),
        std::slice::from_ref(&lee)
    );
    let event = NewEvent {
        key: "report/1".to_owned(),
        kind: "report_published".to_owned(),
        subject: "報告 published".to_owned(),
        body_text: "text".to_owned(),
        body_json: "{}".to_owned(),
    };
    let now = "2026-01-05T02:00:00Z";
    let first = store
        .add_event(&event, &[lee.clone(), wong.clone()], now)
        .expect("event");
    assert!(first.is_some());
    assert_eq!(
        store.add_event(&event, &[lee], now).expect("again"),
        None,
        "an event is recorded once"
    );
    assert!(store.event_recorded("report/1").expect("known"));
    let claimed = store
        .claim_deliveries(now, "2026-01-05T02:05:00Z", 10)
        .expect("claim");
    assert_eq!(claimed.len(), 2);
    assert_eq!(claimed[0].attempts, 1);
    assert_eq!(claimed[0].subject, "報告 published");
    assert!(
        store
            .claim_deliveries(now, "2026-01-05T02:05:00Z", 10)
            .expect("claim")
            .is_empty(),
        "a claimed delivery is not due again before its lease ends"
    );
    store
        .finish_delivery(claimed[0].id, &DeliveryOutcome::Sent { at: now.to_owned() })
        .expect("sent");
    store
        .finish_delivery(
            claimed[1].id,
            &DeliveryOutcome::Retry {
                error: "connection refused".to_owned(),
                next_attempt_at: "2026-01-05T02:01:00Z".to_owned(),
            },
        )
        .expect("retry");
    let again = store
        .claim_deliveries("2026-01-05T02:01:00Z", "2026-01-05T02:06:00Z", 10)
        .expect("claim");
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 2);
    store
        .finish_delivery(
            again[0].id,
            &DeliveryOutcome::Failed {
                error: "gave up".to_owned(),
            },
        )
        .expect("failed");
    let record = store.deliveries(None, 10).expect("record");
    let statuses: Vec<(&str, &str, i64)> = record
        .iter()
        .map(|delivery| {
            (
                delivery.user_name.as_str(),
                delivery.status.as_str(),
                delivery.attempts,
            )
        })
        .collect();
    assert_eq!(statuses, [("wong", "failed", 2), ("lee", "sent", 1)]);
    assert_eq!(store.deliveries(Some("lee"), 10).expect("own").len(), 1);
    assert!(matches!(
        store.end_subscription(wong.id, Some("lee"), now),
        Err(StoreError::NotFound(_))
    ));
    store
        .end_subscription(wong.id, Some("wong"), now)
        .expect("unsubscribe");
    assert_eq!(store.subscriptions(Some("wong")).expect("own"), []);
    assert_eq!(
        store.deliveries(Some("wong"), 10).expect("record").len(),
        1,
        "the record outlives the subscription"
    );
}

pub(crate) fn the_data_version_moves_with_imports_and_decisions(fixture: &mut Fixture) {
    let store = fixture.store();
    let before = store.data_version().expect("version");
    assert_eq!(before, store::DataVersion::default());
    store
        .add_mute(&store::AlertMute {
            rule_id: "r".to_owned(),
            subject: "*".to_owned(),
            until_period: domain::Period::parse("2026-03").expect("period"),
            user_name: "lee".to_owned(),
            reason: "noise".to_owned(),
            at: "2026-01-05".to_owned(),
        })
        .expect("mute");
    let after = store.data_version().expect("version");
    assert_eq!(after.mutes, 1);
    assert_ne!(before, after);
}
