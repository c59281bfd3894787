//! Rule files: the shipped defaults parse and are documented; invalid files say where.

use expect_test::expect;
use warnings::{HK_DEFAULT_RULES, RuleKind, RuleSet, US_INDUSTRY_RULES};

#[test]
fn shipped_rule_files_parse_with_bilingual_texts() {
    for (name, text) in [
        ("hk-default.toml", HK_DEFAULT_RULES),
        ("us-industry-unemployment.toml", US_INDUSTRY_RULES),
    ] {
        let rules = RuleSet::from_toml(name, text).unwrap();
        let readme = include_str!("../../rules/README.md");
        for rule in &rules.rules {
            assert!(
                !rule.title_zh.is_empty() && !rule.explanation_zh.is_empty(),
                "{}",
                rule.id
            );
            assert!(
                readme.contains(&format!("`{}`", rule.id)),
                "{} is not documented in rules/README.md",
                rule.id
            );
        }
    }
    let hk = RuleSet::from_toml("hk-default.toml", HK_DEFAULT_RULES).unwrap();
    let kinds: Vec<&str> = hk.rules.iter().map(|rule| rule.kind.name()).collect();
    assert_eq!(
        kinds,
        ["threshold", "sahm", "zscore", "breadth", "composite"]
    );
    assert!(matches!(
        hk.rule("hk-unemployment-sahm").unwrap().kind,
        RuleKind::Sahm {
            already_averaged: true
        }
    ));
}

fn error_of(text: &str) -> String {
    RuleSet::from_toml("rules.toml", text)
        .unwrap_err()
        .to_string()
}

const HEAD: &str = r#"[[rule]]
id = "r"
version = 1
kind = "threshold"
title_en = "t"
title_zh = "t"
explanation_en = "t"
explanation_zh = "t"
"#;

const SELECT: &str = r#"[rule.select]
tags = ["unemployment-rate"]
"#;

const LEVEL: &str = r#"[[rule.levels]]
level = "blue"
enter = 5.0
exit = 4.0
"#;

#[test]
fn invalid_rule_files_name_the_line() {
    let cases = [
        ("syntax", "[[rule]]\nid = \"r\nversion = 1\n".to_owned()),
        ("typo", format!("{HEAD}treshold = 5\n{SELECT}{LEVEL}")),
        ("missing field", HEAD.replace("version = 1\n", "")),
        (
            "unknown kind",
            format!("{}{SELECT}{LEVEL}", HEAD.replace("threshold", "trend")),
        ),
        (
            "exit above enter",
            format!(
                "{HEAD}{SELECT}{LEVEL}[[rule.levels]]\nlevel = \"red\"\nenter = 8.0\nexit = 9.0\n"
            ),
        ),
        (
            "levels out of order",
            format!(
                "{HEAD}{SELECT}{LEVEL}[[rule.levels]]\nlevel = \"yellow\"\nenter = 4.5\nexit = 4.0\n"
            ),
        ),
        (
            "unknown level",
            format!("{HEAD}{SELECT}{}", LEVEL.replace("blue", "amber")),
        ),
        ("no select", format!("{HEAD}{LEVEL}")),
        (
            "bad tag",
            format!(
                "{HEAD}{}{LEVEL}",
                SELECT.replace("unemployment-rate", "Unemployment Rate")
            ),
        ),
        (
            "misplaced parameter",
            format!("{HEAD}window = 8\n{SELECT}{LEVEL}"),
        ),
        (
            "unknown reference",
            format!(
                "{HEAD}{SELECT}{LEVEL}\n[[rule]]\nid = \"b\"\nversion = 1\nkind = \"breadth\"\nof = \"nope\"\ntitle_en = \"t\"\ntitle_zh = \"t\"\nexplanation_en = \"t\"\nexplanation_zh = \"t\"\n{}",
                LEVEL.replace("5.0", "0.5").replace("4.0", "0.4")
            ),
        ),
        (
            "duplicate id",
            format!("{HEAD}{SELECT}{LEVEL}{HEAD}{SELECT}{LEVEL}"),
        ),
        (
            "missing chinese",
            format!(
                "{}{SELECT}{LEVEL}",
                HEAD.replace("title_zh = \"t\"", "title_zh = \"\"")
            ),
        ),
        (
            "trigger on composite",
            format!(
                "{HEAD}{SELECT}{LEVEL}\n[[rule]]\nid = \"c\"\nversion = 1\nkind = \"composite\"\nrules = [\"r\"]\nlevel = \"red\"\ntrigger = \"below\"\ntitle_en = \"t\"\ntitle_zh = \"t\"\nexplanation_en = \"t\"\nexplanation_zh = \"t\"\n"
            ),
        ),
        ("empty file", String::new()),
    ];
    let lines: Vec<String> = cases
        .iter()
        .map(|(name, text)| format!("{name}: {}", error_of(text)))
        .collect();
    expect![[r#"
        syntax: rules.toml:2:8: invalid basic string, expected `"`
        typo: rules.toml:9:1: unknown field `treshold`, expected one of `id`, `version`, `kind`, `title_en`, `title_zh`, `explanation_en`, `explanation_zh`, `select`, `transform`, `trigger`, `levels`, `min_periods`, `min_periods_exit`, `cooldown_periods`, `periods`, `change`, `already_averaged`, `window`, `of`, `measure`, `at_least`, `rules`, `require`, `level`
        missing field: rules.toml:1:1: missing field `version`
        unknown kind: rules.toml:4:8: unknown rule kind 'trend' (expected threshold, change, sahm, zscore, breadth or composite)
        exit above enter: rules.toml:15:1: level red: `exit` must be at or below `enter` (8), so that the level is left at a milder value
        levels out of order: rules.toml:15:1: level yellow must be more severe than blue in both name and `enter` (levels are listed mildest first)
        unknown level: rules.toml:12:9: unknown level 'amber' (expected blue, yellow, orange or red)
        no select: rules.toml:1:1: rule 'r': a threshold rule needs [rule.select] with tags
        bad tag: rules.toml:10:9: 'Unemployment Rate' is not a tag (1-64 characters: lowercase letters, digits and . _ - :)
        misplaced parameter: rules.toml:9:10: `window` does not apply to a threshold rule
        unknown reference: rules.toml:20:6: rule 'nope' is not defined earlier in the file
        duplicate id: rules.toml:16:6: rule id 'r' is defined twice
        missing chinese: rules.toml:6:12: titles and explanations are required in English and Chinese
        trigger on composite: rules.toml:22:11: `trigger` does not apply to a composite rule
        empty file: rules.toml:1:1: the file defines no [[rule]]"#]].assert_eq(&lines.join("\n"));
}
