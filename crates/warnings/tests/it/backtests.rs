//! Real-time backtests on the real files: US unemployment by industry 2000–2010 against
//! NBER recessions, Hong Kong 1998–2026 against downturns derived from real GDP; plus
//! selection by metadata, determinism and the watch-list on the same data.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;

use expect_test::expect;
use indicators::{StlCache, TimeSeries};
use warnings::{
    AlertState, Backtest, Catalogue, EvaluateOptions, HK_DEFAULT_RULES, ReferenceEpisode, RuleSet,
    Score, ScoreOptions, US_INDUSTRY_RULES, backtest, downturns, evaluate, evaluate_with,
    parse_reference_episodes, score_against, watchlist,
};

use crate::support::{
    HK_PANEL, HK_SEV, alert_lines, data_dir, date, parse_data_file, period, us_industry_rates,
};

fn us_rules() -> RuleSet {
    RuleSet::from_toml("us-industry-unemployment.toml", US_INDUSTRY_RULES).unwrap()
}

fn hk_rules() -> RuleSet {
    RuleSet::from_toml("hk-default.toml", HK_DEFAULT_RULES).unwrap()
}

fn nber() -> Vec<ReferenceEpisode> {
    let path = data_dir().join("us/nber_cycle_dates.csv");
    parse_reference_episodes(
        "nber_cycle_dates.csv",
        &std::fs::read_to_string(path).unwrap(),
    )
    .unwrap()
}

/// The panel (lags from its map file) and the SEV vacancies, known 80 days after the end
/// of their quarter: the file's release of 2025-12-19 is the Sep 2025 quarter's, 80 days
/// on (the parsed metadata keeps the 30-day default of monthly tables).
fn hk_catalogue() -> Catalogue {
    let mut series = parse_data_file(HK_PANEL, None);
    series.extend(parse_data_file(HK_SEV, Some(80)));
    Catalogue { series }
}

fn hk_downturns() -> Vec<ReferenceEpisode> {
    let panel = parse_data_file(HK_PANEL, None);
    let gdp = panel
        .iter()
        .find(|series| series.meta.id.as_str() == "hk.panel.real_gdp.yoy_pct")
        .unwrap();
    let points = gdp
        .values
        .iter()
        .map(|known| (known.period, known.value))
        .collect();
    downturns(&TimeSeries::new(gdp.meta.frequency, points).unwrap(), 2)
}

/// Aggregate episodes in full, per-rule counts of the series episodes.
fn episode_lines(result: &Backtest) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut lines = Vec::new();
    for episode in &result.episodes {
        if matches!(episode.subject, warnings::Subject::Aggregate) {
            lines.push(format!(
                "{} {} opened {} (known {}) closed {} (known {})",
                episode.rule_id,
                episode.max_level,
                episode.opened,
                episode.known_from,
                episode
                    .closed
                    .map_or("-".into(), |closed| closed.to_string()),
                episode
                    .closed_known
                    .map_or("-".into(), |known| known.to_string()),
            ));
        } else {
            *counts.entry(&episode.rule_id).or_default() += 1;
        }
    }
    for (rule, count) in counts {
        lines.push(format!("{rule}: {count} episodes over all subjects"));
    }
    lines.join("\n")
}

fn score_lines(score: &Score) -> String {
    let mut lines: Vec<String> = score
        .episodes
        .iter()
        .map(|episode| {
            format!(
                "start {} end {}: {}",
                episode.reference.start,
                episode
                    .reference
                    .end
                    .map_or("-".into(), |end| end.to_string()),
                match (&episode.first_alarm, episode.lead_months) {
                    (Some(alarm), Some(lead)) => format!(
                        "first alarm {} {} known {}, lead {lead} months",
                        alarm.rule_id, alarm.subject, alarm.known_from
                    ),
                    _ => "missed".to_owned(),
                }
            )
        })
        .collect();
    lines.push(format!(
        "hits {} misses {} false alarms {} over {} months = {:.2} per decade",
        score.hits,
        score.misses,
        score.false_alarms.len(),
        score.months,
        score.false_alarms_per_decade
    ));
    lines.join("\n")
}

fn score_rule(result: &Backtest, reference: &[ReferenceEpisode], rule: &str) -> String {
    let options = ScoreOptions {
        rules: vec![rule.to_owned()],
        ..ScoreOptions::default()
    };
    format!(
        "{rule}:\n{}",
        score_lines(&score_against(result, reference, &options))
    )
}

#[test]
fn us_industry_backtest_2000_2010_against_nber_recessions() {
    let result = backtest(
        &us_rules(),
        &us_industry_rates("bls.cps.ur"),
        period("2000-01"),
        period("2010-03"),
    )
    .unwrap();
    expect![[r#"
        us-yoy-breadth yellow opened 2001-08 (known 2001-09-30) closed 2003-03 (known 2003-04-30)
        us-broad-downturn orange opened 2001-11 (known 2001-12-31) closed 2004-01 (known 2004-02-29)
        us-sahm-breadth red opened 2001-03 (known 2002-01-31) closed 2004-05 (known 2004-06-30)
        us-sahm-breadth red opened 2006-05 (known 2007-10-31) closed - (known -)
        us-broad-downturn orange opened 2007-07 (known 2008-03-31) closed - (known -)
        us-yoy-breadth red opened 2008-03 (known 2008-04-30) closed - (known -)
        us-industry-sahm: 65 episodes over all subjects
        us-industry-yoy-rise: 45 episodes over all subjects"#]]
    .assert_eq(&episode_lines(&result));
    let reference = nber();
    let scores: Vec<String> = ["us-sahm-breadth", "us-yoy-breadth", "us-broad-downturn"]
        .iter()
        .map(|rule| score_rule(&result, &reference, rule))
        .collect();
    expect![[r#"
        us-sahm-breadth:
        start 2001-03 end 2001-11: first alarm us-sahm-breadth * known 2002-01-31, lead -10 months
        start 2007-12 end 2009-06: first alarm us-sahm-breadth * known 2007-10-31, lead 2 months
        hits 2 misses 0 false alarms 0 over 123 months = 0.00 per decade
        us-yoy-breadth:
        start 2001-03 end 2001-11: first alarm us-yoy-breadth * known 2001-09-30, lead -6 months
        start 2007-12 end 2009-06: first alarm us-yoy-breadth * known 2008-04-30, lead -4 months
        hits 2 misses 0 false alarms 0 over 123 months = 0.00 per decade
        us-broad-downturn:
        start 2001-03 end 2001-11: first alarm us-broad-downturn * known 2001-12-31, lead -9 months
        start 2007-12 end 2009-06: first alarm us-broad-downturn * known 2008-03-31, lead -3 months
        hits 2 misses 0 false alarms 0 over 123 months = 0.00 per decade"#]]
    .assert_eq(&scores.join("\n"));
}

#[test]
fn hk_downturns_are_two_negative_real_gdp_quarters() {
    let lines: Vec<String> = hk_downturns()
        .iter()
        .map(|episode| format!("{} .. {}", episode.start, episode.end.unwrap()))
        .collect();
    expect![[r#"
        1998-01 .. 1999-03
        2001-10 .. 2002-03
        2008-10 .. 2009-09
        2019-07 .. 2020-12
        2022-01 .. 2022-12"#]]
    .assert_eq(&lines.join("\n"));
}

#[test]
fn hk_default_backtest_1998_2026_against_gdp_downturns() {
    let result = backtest(
        &hk_rules(),
        &hk_catalogue(),
        period("1998-01"),
        period("2026-06"),
    )
    .unwrap();
    expect![[r#"
        hk-vacancy-decline-breadth red opened 2008-12 (known 2009-03-31) closed 2010-03 (known 2010-06-30)
        hk-labour-downturn red opened 2008-Q4 (known 2009-03-31) closed 2010-Q1 (known 2010-04-30)
        hk-vacancy-decline-breadth blue opened 2016-06 (known 2016-09-30) closed 2017-03 (known 2017-06-30)
        hk-vacancy-decline-breadth red opened 2019-09 (known 2019-12-31) closed 2021-06 (known 2021-09-30)
        hk-labour-downturn red opened 2019-Q4 (known 2020-01-31) closed 2021-Q2 (known 2021-09-30)
        hk-unemployment-level: 3 episodes over all subjects
        hk-unemployment-sahm: 6 episodes over all subjects
        hk-vacancies-yoy-z: 58 episodes over all subjects"#]].assert_eq(&episode_lines(&result));
    let series_episodes: Vec<String> = result
        .episodes
        .iter()
        .filter(|episode| episode.rule_id.starts_with("hk-unemployment"))
        .map(|episode| {
            format!(
                "{} {} opened {} (known {}) closed {}",
                episode.rule_id,
                episode.max_level,
                episode.opened,
                episode.known_from,
                episode
                    .closed
                    .map_or("-".into(), |closed| closed.to_string())
            )
        })
        .collect();
    expect![[r#"
        hk-unemployment-level red opened 1998-Q3 (known 1998-10-31) closed 2007-Q4
        hk-unemployment-sahm red opened 1999-Q1 (known 1999-04-30) closed 2000-Q1
        hk-unemployment-sahm red opened 2001-Q3 (known 2001-10-31) closed 2003-Q4
        hk-unemployment-sahm red opened 2008-Q4 (known 2009-01-31) closed 2010-Q1
        hk-unemployment-level yellow opened 2009-Q1 (known 2009-04-30) closed 2011-Q1
        hk-unemployment-sahm red opened 2019-Q4 (known 2020-01-31) closed 2021-Q3
        hk-unemployment-level orange opened 2020-Q2 (known 2020-07-31) closed 2022-Q4
        hk-unemployment-sahm orange opened 2022-Q1 (known 2022-04-30) closed 2022-Q4
        hk-unemployment-sahm yellow opened 2025-Q2 (known 2025-07-31) closed -"#]]
    .assert_eq(&series_episodes.join("\n"));
    let reference = hk_downturns();
    let scores: Vec<String> = [
        "hk-unemployment-sahm",
        "hk-unemployment-level",
        "hk-vacancy-decline-breadth",
        "hk-labour-downturn",
    ]
    .iter()
    .map(|rule| score_rule(&result, &reference, rule))
    .collect();
    expect![[r#"
        hk-unemployment-sahm:
        start 1998-01 end 1999-03: missed
        start 2001-10 end 2002-03: first alarm hk-unemployment-sahm hk.panel.unemployment_rate_sa known 2001-10-31, lead 0 months
        start 2008-10 end 2009-09: first alarm hk-unemployment-sahm hk.panel.unemployment_rate_sa known 2009-01-31, lead -3 months
        start 2019-07 end 2020-12: first alarm hk-unemployment-sahm hk.panel.unemployment_rate_sa known 2020-01-31, lead -6 months
        start 2022-01 end 2022-12: first alarm hk-unemployment-sahm hk.panel.unemployment_rate_sa known 2022-04-30, lead -3 months
        hits 4 misses 1 false alarms 2 over 342 months = 0.70 per decade
        hk-unemployment-level:
        start 1998-01 end 1999-03: first alarm hk-unemployment-level hk.panel.unemployment_rate_sa known 1998-10-31, lead -9 months
        start 2001-10 end 2002-03: missed
        start 2008-10 end 2009-09: first alarm hk-unemployment-level hk.panel.unemployment_rate_sa known 2009-04-30, lead -6 months
        start 2019-07 end 2020-12: first alarm hk-unemployment-level hk.panel.unemployment_rate_sa known 2020-07-31, lead -12 months
        start 2022-01 end 2022-12: missed
        hits 3 misses 2 false alarms 0 over 342 months = 0.00 per decade
        hk-vacancy-decline-breadth:
        start 1998-01 end 1999-03: missed
        start 2001-10 end 2002-03: missed
        start 2008-10 end 2009-09: first alarm hk-vacancy-decline-breadth * known 2009-03-31, lead -5 months
        start 2019-07 end 2020-12: first alarm hk-vacancy-decline-breadth * known 2019-12-31, lead -5 months
        start 2022-01 end 2022-12: missed
        hits 2 misses 3 false alarms 1 over 342 months = 0.35 per decade
        hk-labour-downturn:
        start 1998-01 end 1999-03: missed
        start 2001-10 end 2002-03: missed
        start 2008-10 end 2009-09: first alarm hk-labour-downturn * known 2009-03-31, lead -5 months
        start 2019-07 end 2020-12: first alarm hk-labour-downturn * known 2020-01-31, lead -6 months
        start 2022-01 end 2022-12: missed
        hits 2 misses 3 false alarms 0 over 342 months = 0.00 per decade"#]].assert_eq(&scores.join("\n"));
}

#[test]
fn rules_select_subjects_by_metadata_on_another_data_set() {
    let as_of = date("2009-06-30");
    let state = AlertState::default();
    let ours = evaluate(&us_rules(), &us_industry_rates("bls.cps.ur"), &state, as_of).unwrap();
    let theirs = evaluate(
        &us_rules(),
        &us_industry_rates("other.source.rates"),
        &state,
        as_of,
    )
    .unwrap();
    assert!(ours.len() > 14, "{}", ours.len());
    assert_eq!(
        alert_lines(&ours).replace("bls.cps.ur.", ""),
        alert_lines(&theirs).replace("other.source.rates.", "")
    );
}

#[test]
fn evaluation_is_deterministic_whatever_the_catalogue_order() {
    let rules = us_rules();
    let catalogue = us_industry_rates("bls.cps.ur");
    let mut reversed = catalogue.clone();
    reversed.series.reverse();
    let as_of = date("2008-12-31");
    let state = AlertState::default();
    let first = evaluate(&rules, &catalogue, &state, as_of).unwrap();
    assert_eq!(first, evaluate(&rules, &catalogue, &state, as_of).unwrap());
    assert_eq!(first, evaluate(&rules, &reversed, &state, as_of).unwrap());
}

#[test]
fn alerts_do_not_depend_on_the_number_of_threads_or_the_stl_cache() {
    let rules = us_rules();
    let catalogue = us_industry_rates("bls.cps.ur");
    let on = |threads: usize, stl_cache: Option<&StlCache>| {
        let options = EvaluateOptions {
            threads: NonZeroUsize::new(threads).unwrap(),
            stl_cache,
        };
        evaluate_with(
            &rules,
            &catalogue,
            &AlertState::default(),
            date("2009-06-30"),
            &options,
        )
        .unwrap()
    };
    let alone = on(1, None);
    assert!(alone.len() > 10, "{} alerts", alone.len());
    assert_eq!(on(2, None), alone);
    assert_eq!(on(5, None), alone);
    let cache = StlCache::default();
    assert_eq!(on(2, Some(&cache)), alone);
    let fitted = cache.fitted();
    assert_eq!(fitted, catalogue.series.len(), "one fit per series");
    assert_eq!(on(3, Some(&cache)), alone);
    assert_eq!(cache.fitted(), fitted, "found, not fitted again");
}

#[test]
fn us_watchlist_ranks_industries_and_tracks_entries() {
    let rules = us_rules();
    let catalogue = us_industry_rates("bls.cps.ur");
    let alerts = evaluate(
        &rules,
        &catalogue,
        &AlertState::default(),
        date("2008-12-31"),
    )
    .unwrap();
    let lines: Vec<String> = watchlist(&alerts)
        .iter()
        .map(|entry| {
            let reasons: Vec<String> = entry
                .reasons
                .iter()
                .map(|reason| format!("{} {} {:.2}", reason.rule_id, reason.level, reason.measure))
                .collect();
            format!(
                "{} {} score {}: {}",
                entry.rank,
                entry.industry,
                entry.score,
                reasons.join("; ")
            )
        })
        .collect();
    expect![[r#"
        1 A score 8: us-industry-sahm red 3.99; us-industry-yoy-rise red 2.50
        2 F score 8: us-industry-sahm red 4.76; us-industry-yoy-rise red 5.10
        3 C score 7: us-industry-sahm red 2.01; us-industry-yoy-rise orange 2.10
        4 M+N score 7: us-industry-sahm red 2.30; us-industry-yoy-rise orange 2.37
        5 S score 7: us-industry-sahm red 2.10; us-industry-yoy-rise orange 2.27
        6 H score 6: us-industry-sahm orange 1.86; us-industry-yoy-rise orange 2.03
        7 G score 5: us-industry-sahm orange 1.62; us-industry-yoy-rise yellow 1.80
        8 I score 5: us-industry-sahm orange 1.29; us-industry-yoy-rise yellow 1.33
        9 J score 5: us-industry-sahm orange 1.29; us-industry-yoy-rise yellow 1.27
        10 K score 5: us-industry-sahm orange 1.29; us-industry-yoy-rise yellow 1.50
        11 P+Q score 4: us-industry-sahm yellow 0.94; us-industry-yoy-rise yellow 1.00"#]]
    .assert_eq(&lines.join("\n"));
    let result = backtest(&rules, &catalogue, period("2007-01"), period("2008-06")).unwrap();
    let events: Vec<String> = result
        .watchlist
        .iter()
        .map(|event| {
            format!(
                "{} {:?} {} score {}",
                event.as_of, event.change, event.industry, event.score
            )
        })
        .collect();
    expect![[r#"
        2007-01-31 Entered B score 4
        2007-02-28 Entered C score 1
        2007-03-31 Left C score 1
        2007-03-31 Entered F score 3
        2007-03-31 Entered J score 2
        2007-06-30 Left J score 2
        2007-06-30 Entered C score 1
        2007-07-31 Entered A score 2
        2007-08-31 Left C score 1
        2007-08-31 Entered H score 2
        2007-09-30 Left F score 4
        2007-09-30 Entered J score 1
        2007-09-30 Entered K score 1
        2007-10-31 Entered G score 1
        2007-10-31 Entered I score 1
        2007-11-30 Left A score 2
        2007-11-30 Left J score 1
        2007-11-30 Entered F score 2
        2007-11-30 Entered O score 1
        2007-12-31 Left B score 3
        2007-12-31 Left G score 1
        2007-12-31 Entered C score 1
        2008-01-31 Entered G score 1
        2008-02-29 Entered J score 3
        2008-03-31 Left O score 1
        2008-03-31 Entered A score 1
        2008-03-31 Entered S score 2
        2008-04-30 Entered P+Q score 1
        2008-05-31 Entered B score 1
        2008-05-31 Entered M+N score 1"#]]
    .assert_eq(&events.join("\n"));
}

#[test]
fn vacancy_rules_select_the_fifteen_industry_sections_by_metadata() {
    let rules = hk_rules();
    let select = rules
        .rule("hk-vacancies-yoy-z")
        .unwrap()
        .select
        .clone()
        .unwrap();
    let selected: Vec<String> = hk_catalogue()
        .series
        .iter()
        .filter(|series| select.matches(&series.meta))
        .map(|series| series.meta.industry.as_ref().unwrap().to_string())
        .collect();
    assert_eq!(
        selected.join(" "),
        "B C F G H I J K L M N P Q R S",
        "sections only: no groupings (B+D+E, G45-46, …) and no ALL"
    );
}

#[test]
fn reference_files_with_bad_rows_name_the_line() {
    let error = parse_reference_episodes(
        "cycles.csv",
        "peak,trough\n2001-03-01,2001-11-01\n2007-13-01,\n",
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "cycles.csv:3: '2007-13-01' is not a date (expected YYYY-MM-DD)"
    );
    let episodes = nber();
    assert_eq!(episodes.len(), 34);
    assert_eq!(episodes[33].start, period("2020-02"));
}

/// The HK level thresholds are percentiles of the SA unemployment rate 1998 Q1 – 2026 Q1
/// (linear interpolation, rounded to 0.1 pp, as rules/README.md says).
#[test]
fn hk_unemployment_levels_are_percentiles_of_its_history() {
    let panel = parse_data_file(HK_PANEL, None);
    let rate = panel
        .iter()
        .find(|series| series.meta.id.as_str() == "hk.panel.unemployment_rate_sa")
        .unwrap();
    let mut values: Vec<f64> = rate.values.iter().map(|known| known.value).collect();
    values.sort_by(f64::total_cmp);
    assert_eq!(values.len(), 113);
    let percentile = |p: f64| {
        let rank = (values.len() - 1) as f64 * p / 100.0;
        let low = values[rank.floor() as usize];
        let high = values[rank.ceil() as usize];
        let value = low + (high - low) * (rank - rank.floor());
        (value * 10.0).round() / 10.0
    };
    let rules = hk_rules();
    let enters: Vec<f64> = rules
        .rule("hk-unemployment-level")
        .unwrap()
        .levels
        .iter()
        .map(|level| level.enter)
        .collect();
    assert_eq!(
        enters,
        [
            percentile(60.0),
            percentile(75.0),
            percentile(90.0),
            percentile(95.0)
        ]
    );
    assert_eq!((percentile(25.0), percentile(50.0)), (3.3, 4.0));
}

/// A caller that supplies the catalogue month by month (as a store query `as_of` would)
/// gets the same backtest as one that passes every vintage at once.
#[test]
fn backtest_with_a_catalogue_per_month_end_matches_the_vintage_catalogue() {
    let catalogue = hk_catalogue();
    let (from, to) = (period("2008-01"), period("2010-12"));
    let whole = backtest(&hk_rules(), &catalogue, from, to).unwrap();
    let per_month = warnings::backtest_with(
        &hk_rules(),
        |as_of| Ok(std::borrow::Cow::Owned(catalogue.as_known_at(as_of))),
        from,
        to,
    )
    .unwrap();
    assert_eq!(whole, per_month);
    assert!(whole.episodes.len() > 5, "{}", whole.episodes.len());
}
