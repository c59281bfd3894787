//! Properties of the level state machine on arbitrary series.

use proptest::prelude::*;
use warnings::{AlertState, Catalogue, Level, RuleSet, evaluate};

use crate::support::{date, synthetic};

fn rules(min_periods: u32, cooldown: u32) -> RuleSet {
    let text = format!(
        r#"
[[rule]]
id = "p"
version = 1
kind = "threshold"
title_en = "t"
title_zh = "t"
explanation_en = "t"
explanation_zh = "t"
min_periods = {min_periods}
min_periods_exit = {min_periods}
cooldown_periods = {cooldown}
[rule.select]
tags = ["x"]
[[rule.levels]]
level = "blue"
enter = 5.0
exit = 4.0
[[rule.levels]]
level = "red"
enter = 7.0
exit = 6.0
"#
    );
    RuleSet::from_toml("p.toml", &text).unwrap()
}

proptest! {
    /// Episodes never overlap, each opens at or above the mildest `enter` and closes below
    /// the mildest `exit`, and at most one is open: de-duplication holds for any input.
    #[test]
    fn episodes_are_disjoint_and_open_and_close_at_their_thresholds(
        values in proptest::collection::vec(2.0_f64..9.0, 1..60),
        min_periods in 1_u32..4,
        cooldown in 0_u32..4,
    ) {
        let catalogue = Catalogue { series: vec![synthetic("s", &["x"], "2000-01", &values)] };
        let alerts = evaluate(&rules(min_periods, cooldown), &catalogue, &AlertState::default(), date("2100-01-01")).unwrap();
        let value_at = |period: domain::Period| {
            let start = domain::Period::parse("2000-01").unwrap().end_month_index();
            values[(period.end_month_index() - start) as usize]
        };
        prop_assert!(alerts.iter().filter(|alert| alert.is_open()).count() <= 1);
        for pair in alerts.windows(2) {
            let closed = pair[0].closed.unwrap();
            prop_assert!(closed < pair[1].opened);
            prop_assert!(pair[1].opened.end_month_index() - closed.end_month_index() > i32::try_from(cooldown).unwrap());
        }
        for alert in &alerts {
            prop_assert!(value_at(alert.opened) >= 5.0);
            prop_assert!(alert.level_changes[0].level == Level::Blue || value_at(alert.opened) >= 7.0);
            if let Some(closed) = alert.closed {
                prop_assert!(value_at(closed) < 4.0);
            }
        }
    }
}
