//! The level state machine on short synthetic series: what a user relies on when an
//! alert opens, escalates, eases, closes, or is muted and acknowledged.

use expect_test::expect;
use warnings::{AlertState, Catalogue, RuleSet, Subject, WarningError, evaluate};

use crate::support::{alert_lines, date, period, synthetic};

/// A threshold rule on `unemployment-rate` series: blue 5 (exit 4), yellow 6 (exit 5.5),
/// red 8 (exit 7), with extra settings spliced in.
fn threshold_rule(extra: &str) -> RuleSet {
    let text = format!(
        r#"
[[rule]]
id = "u-level"
version = 3
kind = "threshold"
title_en = "Unemployment high"
title_zh = "失業率偏高"
explanation_en = "Test rule."
explanation_zh = "測試規則。"
{extra}
[rule.select]
tags = ["unemployment-rate"]
[[rule.levels]]
level = "blue"
enter = 5.0
exit = 4.0
[[rule.levels]]
level = "yellow"
enter = 6.0
exit = 5.5
[[rule.levels]]
level = "red"
enter = 8.0
exit = 7.0
"#
    );
    RuleSet::from_toml("test.toml", &text).unwrap()
}

fn run(rules: &RuleSet, values: &[f64]) -> String {
    let catalogue = Catalogue {
        series: vec![synthetic(
            "test.u",
            &["unemployment-rate"],
            "2020-01",
            values,
        )],
    };
    let alerts = evaluate(
        rules,
        &catalogue,
        &AlertState::default(),
        date("2030-01-01"),
    )
    .unwrap();
    alert_lines(&alerts)
}

#[test]
fn a_value_oscillating_between_exit_and_enter_does_not_flap() {
    let lines = run(
        &threshold_rule(""),
        &[3.0, 5.2, 4.5, 5.1, 4.2, 5.3, 4.1, 3.9, 3.5, 4.9, 5.0],
    );
    expect![[r#"
        u-level test.u blue@2020-02 opened 2020-02 closed 2020-08
        u-level test.u blue@2020-11 opened 2020-11 closed -"#]]
    .assert_eq(&lines);
}

#[test]
fn min_periods_ignores_single_spikes_on_entry_and_exit() {
    let rules = threshold_rule("min_periods = 2\nmin_periods_exit = 2");
    let lines = run(&rules, &[3.0, 5.5, 3.0, 5.5, 5.5, 3.0, 5.5, 3.0, 3.0, 3.0]);
    expect![[r#"
        u-level test.u blue@2020-05 opened 2020-05 closed 2020-09"#]]
    .assert_eq(&lines);
}

#[test]
fn cooldown_keeps_a_closed_alert_from_reopening_at_once() {
    let values = [5.5, 3.0, 5.5, 5.5, 5.5, 5.5, 3.0];
    expect![[r#"
        u-level test.u blue@2020-01 opened 2020-01 closed 2020-02
        u-level test.u blue@2020-03 opened 2020-03 closed 2020-07"#]]
    .assert_eq(&run(&threshold_rule(""), &values));
    expect![[r#"
        u-level test.u blue@2020-01 opened 2020-01 closed 2020-02
        u-level test.u blue@2020-06 opened 2020-06 closed 2020-07"#]]
    .assert_eq(&run(&threshold_rule("cooldown_periods = 3"), &values));
}

#[test]
fn escalation_and_easing_stay_within_one_episode() {
    let lines = run(
        &threshold_rule(""),
        &[5.5, 6.5, 8.5, 7.5, 6.8, 5.2, 4.5, 3.0],
    );
    expect![[r#"
        u-level test.u blue@2020-01>yellow@2020-02>red@2020-03>yellow@2020-05>blue@2020-06 opened 2020-01 closed 2020-08"#]]
    .assert_eq(&lines);
}

#[test]
fn alerts_record_rule_version_inputs_with_vintages_and_as_of() {
    let rules = threshold_rule("");
    let mut series = synthetic("test.u", &["unemployment-rate"], "2020-01", &[4.0, 5.5]);
    // A revision of January published later must not be seen before its vintage.
    series.values.push(warnings::KnownValue {
        period: period("2020-02"),
        value: 3.0,
        vintage: date("2020-06-01"),
    });
    let catalogue = Catalogue {
        series: vec![series],
    };
    let before = evaluate(
        &rules,
        &catalogue,
        &AlertState::default(),
        date("2020-03-31"),
    )
    .unwrap();
    assert_eq!(before.len(), 1);
    let alert = &before[0];
    assert_eq!((alert.rule_id.as_str(), alert.rule_version), ("u-level", 3));
    assert_eq!(alert.as_of, date("2020-03-31"));
    assert_eq!(alert.measure, 5.5);
    assert_eq!(alert.inputs.len(), 1);
    assert_eq!(alert.inputs[0].period, period("2020-02"));
    assert_eq!(alert.inputs[0].vintage, date("2020-03-10"));
    // Nothing is known before the first vintage; after the revision the alert is gone.
    assert!(
        evaluate(
            &rules,
            &catalogue,
            &AlertState::default(),
            date("2020-02-09")
        )
        .unwrap()
        .is_empty()
    );
    assert!(
        evaluate(
            &rules,
            &catalogue,
            &AlertState::default(),
            date("2020-06-01")
        )
        .unwrap()
        .is_empty()
    );
}

#[test]
fn muted_alerts_are_kept_and_marked_and_escalation_reopens_an_acknowledgement() {
    let rules = threshold_rule("");
    let catalogue = |values: &[f64]| Catalogue {
        series: vec![synthetic(
            "test.u",
            &["unemployment-rate"],
            "2020-01",
            values,
        )],
    };
    let as_of = date("2030-01-01");
    let mut state = AlertState::default();
    let alerts = evaluate(&rules, &catalogue(&[5.5, 5.6]), &state, as_of).unwrap();
    assert!(alerts[0].needs_attention());
    assert!(matches!(
        state.acknowledge(&alerts[0], "chan", " ", as_of),
        Err(WarningError::State(_))
    ));
    state
        .acknowledge(&alerts[0], "chan", "seen, known seasonal rise", as_of)
        .unwrap();
    let acknowledged = evaluate(&rules, &catalogue(&[5.5, 5.6]), &state, as_of).unwrap();
    assert!(!acknowledged[0].needs_attention());
    assert_eq!(
        acknowledged[0].acknowledgement.as_ref().unwrap().user,
        "chan"
    );
    // The same episode escalates to yellow: it needs attention again.
    let escalated = evaluate(&rules, &catalogue(&[5.5, 5.6, 6.5]), &state, as_of).unwrap();
    assert_eq!(escalated.len(), 1);
    assert!(escalated[0].needs_attention());
    // Muted until 2020-03: still returned, marked, not asking for attention; a later
    // period is no longer covered by the mute.
    let subject = Subject::Series(domain::SeriesId::parse("test.u").unwrap());
    state
        .mute(
            "u-level",
            subject.clone(),
            period("2020-03"),
            "wong",
            "data under review",
            as_of,
        )
        .unwrap();
    let muted = evaluate(&rules, &catalogue(&[5.5, 5.6, 6.5]), &state, as_of).unwrap();
    assert_eq!(muted.len(), 1);
    assert_eq!(muted[0].muted.as_ref().unwrap().reason, "data under review");
    assert!(!muted[0].needs_attention());
    let later = evaluate(&rules, &catalogue(&[5.5, 5.6, 6.5, 6.6]), &state, as_of).unwrap();
    assert!(later[0].muted.is_none());
    assert!(state.unmute("u-level", &subject));
}

#[test]
fn breadth_and_composite_count_other_rules_alerts() {
    let text = format!(
        "{}{}",
        include_str!("../../rules/us-industry-unemployment.toml")
            .split("# 2. Year-on-year")
            .next()
            .unwrap()
            .replace("transform = \"stl\"\n", ""),
        r#"
[[rule]]
id = "breadth"
version = 1
kind = "breadth"
of = "us-industry-sahm"
measure = "count"
at_least = "yellow"
title_en = "t"
title_zh = "t"
explanation_en = "t"
explanation_zh = "t"
[[rule.levels]]
level = "orange"
enter = 2
exit = 1

[[rule]]
id = "both"
version = 1
kind = "composite"
rules = ["us-industry-sahm", "breadth"]
require = "all"
at_least = "orange"
level = "red"
title_en = "t"
title_zh = "t"
explanation_en = "t"
explanation_zh = "t"
"#
    );
    let rules = RuleSet::from_toml("inline.toml", &text).unwrap();
    // Two industries rise from 4% by 0.6 pp a month from 2021-03 (`b` stops in May),
    // a third stays flat: breadth counts 2 from April, the composite needs both rules.
    let flat = [4.0; 14];
    let mut rising = flat.to_vec();
    rising.extend([4.6, 5.2, 5.8, 6.0]);
    let tagged = |id: &str, values: &[f64]| {
        let mut series = synthetic(id, &["industry-unemployment-rate"], "2020-01", values);
        series.meta.frequency = domain::Frequency::Monthly;
        series
    };
    let catalogue = Catalogue {
        series: vec![
            tagged("a", &rising),
            tagged("b", &rising[..17]),
            tagged("c", &[flat.as_slice(), &[4.0; 4]].concat()),
        ],
    };
    let alerts = evaluate(
        &rules,
        &catalogue,
        &AlertState::default(),
        date("2030-01-01"),
    )
    .unwrap();
    expect![[r#"
        us-industry-sahm a yellow@2021-04>orange@2021-05 opened 2021-04 closed -
        us-industry-sahm b yellow@2021-04>orange@2021-05 opened 2021-04 closed -
        breadth * orange@2021-04 opened 2021-04 closed -
        both * red@2021-05 opened 2021-05 closed -"#]]
    .assert_eq(&alert_lines(&alerts));
    let breadth = alerts
        .iter()
        .find(|alert| alert.rule_id == "breadth")
        .unwrap();
    // In June `b` has no value, so only `a` is counted: 1 triggered subject holds the
    // orange level (exit 1) and is the one contributor recorded.
    assert_eq!(breadth.contributors.len(), 1, "{:?}", breadth.contributors);
}
