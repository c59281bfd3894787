//! Alert events on the bundled vacancies table: an open alert is told once at each level,
//! and told again, as escalated, only when it rises to a level no earlier event told of.

use domain::Role;
use engine::demo::HONG_KONG_FILES;
use engine::notify::{Channel, EventFacts, Message, NewSubscription, Topic};
use engine::{Container, Engine, ImportRequest, ImportTime, RuleSet};

const AT: &str = "2026-01-15T02:00:00Z";

fn today() -> domain::Date {
    domain::parse_date("2026-01-15").unwrap()
}

fn vacancies_store(dir: &std::path::Path) -> Engine {
    let mut engine =
        Engine::open(&format!("sqlite://{}", dir.join("lmo.sqlite").display())).unwrap();
    let file = HONG_KONG_FILES
        .iter()
        .find(|file| file.name.contains("215-16001"))
        .expect("the vacancies table is bundled");
    let time = ImportTime {
        imported_at: "2026-01-15T10:00:00+08:00".to_owned(),
        today: today(),
    };
    let report = engine
        .import(
            ImportRequest {
                name: file.name.to_owned(),
                reader: Box::new(file.bytes),
                container: Container::Csv,
                format: None,
                mapping: None,
                vintage: None,
                allow_partial: false,
                correct: false,
                rejects_path: dir.join("rejects.csv"),
            },
            &time,
            &mut |_| {},
        )
        .unwrap();
    assert!(report.committed);
    engine
}

fn render(facts: &EventFacts<'_>) -> Message {
    let subject = match facts {
        EventFacts::Alert { id, escalated, .. } => format!("{id} escalated={escalated}"),
        _ => "other".to_owned(),
    };
    Message {
        subject,
        body_text: String::new(),
        body_json: "{}".to_owned(),
    }
}

/// The shipped rules with the vacancy rule's yellow threshold moved just below its blue
/// one: alerts open on the same periods, and those at -1.05 or below read yellow.
fn stricter_rules() -> RuleSet {
    const SHIPPED_LEVELS: &str = "level = \"blue\"\nenter = -1.0\nexit = -0.5\n[[rule.levels]]\nlevel = \"yellow\"\nenter = -1.5\nexit = -1.0";
    const MILDER_LEVELS: &str = "level = \"blue\"\nenter = -1.0\nexit = -0.5\n[[rule.levels]]\nlevel = \"yellow\"\nenter = -1.05\nexit = -0.75";
    let shipped = include_str!("../../warnings/rules/hk-default.toml");
    let rule = shipped
        .find("id = \"hk-vacancies-yoy-z\"")
        .expect("the vacancy rule");
    let levels = rule + shipped[rule..].find(SHIPPED_LEVELS).expect("its levels");
    let mut text = shipped.to_owned();
    text.replace_range(levels..levels + SHIPPED_LEVELS.len(), MILDER_LEVELS);
    RuleSet::from_toml("hk-stricter", &text).unwrap()
}

#[test]
fn an_alert_is_told_once_per_level_and_again_only_when_it_escalates() {
    let dir = tempfile::tempdir().unwrap();
    let mut engine = vacancies_store(dir.path());
    engine
        .add_user("lee.viewer", Role::Viewer, None, AT)
        .unwrap();
    engine
        .subscribe(&NewSubscription {
            user_name: "lee.viewer".to_owned(),
            topic: Topic::Level("blue".to_owned()),
            channel: Channel::Email,
            target: "lee@union.example".to_owned(),
            created_at: AT.to_owned(),
        })
        .unwrap();
    let shipped = engine::load_rules("hk-default").unwrap();
    let stricter = stricter_rules();
    let open_levels = |engine: &mut Engine, rules: &RuleSet| {
        engine
            .alerts(rules, today())
            .unwrap()
            .iter()
            .filter(|alert| alert.is_open())
            .map(|alert| (engine::alert_id_of(alert), alert.level()))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let before = open_levels(&mut engine, &shipped);
    let after = open_levels(&mut engine, &stricter);
    let rising = after
        .iter()
        .filter(|(id, level)| before.get(*id).is_some_and(|was| was < *level))
        .count();
    let new = after.keys().filter(|id| !before.contains_key(*id)).count();
    assert!(
        rising > 0,
        "the milder threshold raises some alerts: {after:?}"
    );

    let opened = engine
        .collect_alert_events(&shipped, today(), AT, &render)
        .unwrap();
    assert_eq!(opened.len(), before.len(), "every open alert is told");
    assert!(
        engine
            .collect_alert_events(&shipped, today(), AT, &render)
            .unwrap()
            .is_empty(),
        "the same alerts are not told twice"
    );

    let escalated = engine
        .collect_alert_events(&stricter, today(), AT, &render)
        .unwrap();
    assert_eq!(escalated.len(), rising + new);
    let record = engine.deliveries(None, 1000).unwrap();
    let kinds = |kind: &str| record.iter().filter(|row| row.event_kind == kind).count();
    assert_eq!(kinds("alert_opened"), opened.len() + new);
    assert_eq!(kinds("alert_escalated"), rising);
    assert!(
        record
            .iter()
            .filter(|row| row.event_kind == "alert_escalated")
            .all(|row| row.subject.ends_with("escalated=true")),
        "an escalation is worded as one"
    );

    // Back on the shipped rules the alerts read blue again: that level was told already.
    assert!(
        engine
            .collect_alert_events(&shipped, today(), AT, &render)
            .unwrap()
            .is_empty()
    );
}
