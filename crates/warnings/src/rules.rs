//! Warning rules as written in TOML files, parsed into typed rules.
//!
//! The file format is documented in `rules/README.md`; every error names the line and
//! column of the table or value at fault, because rule files are edited by hand.

use std::collections::BTreeSet;
use std::ops::Range;

use domain::{Frequency, Tag};
use serde::Deserialize;
use toml::Spanned;

use crate::WarningError;
use crate::error::line_column;

pub use domain::AlertLevel as Level;

/// Which side of the thresholds is bad news.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// Values at or above `enter` raise the level (unemployment, Sahm gaps).
    Above,
    /// Values at or below `enter` raise the level (vacancy declines, negative z-scores).
    Below,
}

/// A transform applied to each subject series before the rule's own measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    None,
    /// `indicators::moving_average_3`.
    MovingAverage3,
    /// `indicators::yoy_pct`.
    YoyPct,
    /// `indicators::seasonally_adjust` (robust STL) on the data known at `as_of`, so a
    /// not-seasonally-adjusted series is adjusted in real time, never with hindsight.
    SeasonallyAdjusted,
}

impl Transform {
    fn parse(text: &str) -> Option<Transform> {
        match text {
            "none" => Some(Transform::None),
            "ma3" => Some(Transform::MovingAverage3),
            "yoy_pct" => Some(Transform::YoyPct),
            "stl" => Some(Transform::SeasonallyAdjusted),
            _ => None,
        }
    }

    /// Months of history before a point that the transform reads.
    pub(crate) fn lookback_months(self, step: i32) -> i32 {
        match self {
            Transform::None => 0,
            Transform::MovingAverage3 => 2 * step,
            Transform::YoyPct => 12,
            // STL uses the whole series; the inputs recorded are the last two years.
            Transform::SeasonallyAdjusted => 24,
        }
    }
}

/// How a change rule measures change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeMode {
    /// `x_t − x_{t−n}` in the series' unit (percentage points for rates).
    Absolute,
    /// `100 (x_t / x_{t−n} − 1)`.
    Percent,
}

/// What a breadth rule counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreadthMeasure {
    /// Triggered subjects / subjects with a value, 0–1.
    Share,
    /// Triggered subjects.
    Count,
}

/// Whether a composite rule needs all or any of its component rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Require {
    All,
    Any,
}

/// The measure a rule computes and compares with its levels.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// The (transformed) value itself.
    Threshold,
    /// Change over `periods` periods of the series.
    Change { periods: u32, mode: ChangeMode },
    /// `indicators::sahm`: 3-month average minus its low of the previous 12 months.
    Sahm { already_averaged: bool },
    /// `indicators::zscore_trailing` over `window` periods (the value included).
    ZScore { window: usize },
    /// How many subjects of rule `of` have an episode open at `at_least` or above.
    Breadth {
        of: String,
        measure: BreadthMeasure,
        at_least: Level,
    },
    /// All or any of `rules` have an episode open at `at_least` or above (on any subject).
    Composite {
        rules: Vec<String>,
        require: Require,
        at_least: Level,
    },
}

impl RuleKind {
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Threshold => "threshold",
            RuleKind::Change { .. } => "change",
            RuleKind::Sahm { .. } => "sahm",
            RuleKind::ZScore { .. } => "zscore",
            RuleKind::Breadth { .. } => "breadth",
            RuleKind::Composite { .. } => "composite",
        }
    }

    /// Breadth and composite rules look at other rules' alerts, not at series.
    pub fn is_aggregate(&self) -> bool {
        matches!(self, RuleKind::Breadth { .. } | RuleKind::Composite { .. })
    }
}

/// Which series a rule applies to, by metadata only, so that a rule set runs unchanged on
/// another data set of the same kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    /// The series must carry every one of these tags.
    pub tags: Vec<Tag>,
    /// Only series whose industry is one whole HSIC section (not groupings or `ALL`).
    pub industry_sections_only: bool,
    pub frequency: Option<Frequency>,
}

impl Selector {
    pub fn matches(&self, meta: &domain::SeriesMeta) -> bool {
        self.tags.iter().all(|tag| meta.tags.contains(tag))
            && (!self.industry_sections_only
                || meta
                    .industry
                    .as_ref()
                    .is_some_and(domain::IndustryCode::is_section))
            && self
                .frequency
                .is_none_or(|frequency| meta.frequency == frequency)
    }
}

/// One level of a rule: entered when the measure reaches `enter`, left when it falls back
/// past `exit` (milder than `enter`, which is the hysteresis).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LevelThreshold {
    pub level: Level,
    pub enter: f64,
    pub exit: f64,
}

/// One typed warning rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    /// Raised by whoever edits the rule, and stored with every alert.
    pub version: u32,
    pub title_en: String,
    pub title_zh: String,
    pub explanation_en: String,
    pub explanation_zh: String,
    pub kind: RuleKind,
    /// `None` for breadth and composite rules.
    pub select: Option<Selector>,
    pub transform: Transform,
    pub trigger: Trigger,
    /// Mildest first.
    pub levels: Vec<LevelThreshold>,
    /// Consecutive periods a higher level must hold before the alert opens or escalates.
    pub min_periods: u32,
    /// Consecutive periods below the exit threshold before the alert steps down or closes.
    pub min_periods_exit: u32,
    /// Periods after a close during which the same rule and subject cannot open again.
    pub cooldown_periods: u32,
    /// Line of the rule's table in its file.
    pub line: usize,
}

/// The rules of one file, in file order (which is also evaluation order).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    pub name: String,
    pub description: String,
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// Parses and checks a rule file; `name` (usually the file name) appears in errors.
    pub fn from_toml(name: &str, text: &str) -> Result<RuleSet, WarningError> {
        let raw: RawFile = toml::from_str(text).map_err(|error| {
            let offset = error.span().map_or(0, |span| span.start);
            located(name, text, offset, error.message().trim().to_owned())
        })?;
        let mut rules: Vec<Rule> = Vec::with_capacity(raw.rule.len());
        for raw_rule in raw.rule {
            let span = raw_rule.span();
            let rule = Checker {
                file: name,
                text,
                rule_span: span.clone(),
                earlier: &rules,
            }
            .rule(raw_rule.into_inner())?;
            rules.push(rule);
        }
        if rules.is_empty() {
            return Err(located(
                name,
                text,
                0,
                "the file defines no [[rule]]".into(),
            ));
        }
        Ok(RuleSet {
            name: name.to_owned(),
            description: raw.description.unwrap_or_default(),
            rules,
        })
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id == id)
    }
}

fn located(file: &str, text: &str, offset: usize, message: String) -> WarningError {
    let (line, column) = line_column(text, offset);
    WarningError::Rules {
        file: file.to_owned(),
        line,
        column,
        message,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    description: Option<String>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    version: Spanned<i64>,
    kind: Spanned<String>,
    title_en: Spanned<String>,
    title_zh: Spanned<String>,
    explanation_en: Spanned<String>,
    explanation_zh: Spanned<String>,
    select: Option<Spanned<RawSelect>>,
    transform: Option<Spanned<String>>,
    trigger: Option<Spanned<String>>,
    levels: Option<Spanned<Vec<Spanned<RawLevel>>>>,
    min_periods: Option<Spanned<i64>>,
    min_periods_exit: Option<Spanned<i64>>,
    cooldown_periods: Option<Spanned<i64>>,
    periods: Option<Spanned<i64>>,
    change: Option<Spanned<String>>,
    already_averaged: Option<Spanned<bool>>,
    window: Option<Spanned<i64>>,
    of: Option<Spanned<String>>,
    measure: Option<Spanned<String>>,
    at_least: Option<Spanned<String>>,
    rules: Option<Spanned<Vec<Spanned<String>>>>,
    require: Option<Spanned<String>>,
    level: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSelect {
    tags: Vec<Spanned<String>>,
    #[serde(default)]
    industry_sections_only: bool,
    frequency: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    level: Spanned<String>,
    enter: f64,
    exit: f64,
}

/// Bounds every count of periods (50 years of months), so that lags and look-backs
/// computed from them stay far inside `i32`.
const PERIODS_MAX: u32 = 600;

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    rule_span: Range<usize>,
    earlier: &'a [Rule],
}

impl Checker<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> WarningError {
        located(self.file, self.text, span.start, message.into())
    }

    fn count(
        &self,
        value: Option<Spanned<i64>>,
        name: &str,
        min: i64,
        default: u32,
    ) -> Result<u32, WarningError> {
        let Some(value) = value else {
            return Ok(default);
        };
        u32::try_from(*value.get_ref())
            .ok()
            .filter(|count| i64::from(*count) >= min && *count <= PERIODS_MAX)
            .ok_or_else(|| {
                self.error(
                    value.span(),
                    format!("`{name}` must be a whole number from {min} to {PERIODS_MAX}"),
                )
            })
    }

    fn level(&self, text: &Spanned<String>) -> Result<Level, WarningError> {
        Level::parse(text.get_ref()).map_err(|_| {
            self.error(
                text.span(),
                format!(
                    "unknown level '{}' (expected blue, yellow, orange or red)",
                    text.get_ref()
                ),
            )
        })
    }

    fn earlier_rule(&self, id: &Spanned<String>) -> Result<&Rule, WarningError> {
        self.earlier
            .iter()
            .find(|rule| rule.id == *id.get_ref())
            .ok_or_else(|| {
                self.error(
                    id.span(),
                    format!("rule '{}' is not defined earlier in the file", id.get_ref()),
                )
            })
    }

    fn rule(&self, raw: RawRule) -> Result<Rule, WarningError> {
        let id = raw.id.get_ref().trim().to_owned();
        let id_ok = !id.is_empty()
            && id.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
            });
        if !id_ok {
            return Err(self.error(
                raw.id.span(),
                format!("rule id '{id}' must be lowercase letters, digits and - _ ."),
            ));
        }
        if self.earlier.iter().any(|rule| rule.id == id) {
            return Err(self.error(raw.id.span(), format!("rule id '{id}' is defined twice")));
        }
        let version = u32::try_from(*raw.version.get_ref())
            .ok()
            .filter(|version| *version >= 1)
            .ok_or_else(|| {
                self.error(raw.version.span(), "`version` must be a whole number ≥ 1")
            })?;
        for text in [
            &raw.title_en,
            &raw.title_zh,
            &raw.explanation_en,
            &raw.explanation_zh,
        ] {
            if text.get_ref().trim().is_empty() {
                return Err(self.error(
                    text.span(),
                    "titles and explanations are required in English and Chinese",
                ));
            }
        }
        let kind = self.kind(&raw)?;
        let select = match (&raw.select, kind.is_aggregate()) {
            (Some(select), true) => {
                return Err(self.error(
                    select.span(),
                    format!(
                        "a {} rule takes its subjects from other rules: remove [rule.select]",
                        kind.name()
                    ),
                ));
            }
            (None, false) => {
                return Err(self.error(
                    self.rule_span.clone(),
                    format!(
                        "rule '{id}': a {} rule needs [rule.select] with tags",
                        kind.name()
                    ),
                ));
            }
            (Some(select), false) => Some(self.select(select)?),
            (None, true) => None,
        };
        let transform = match &raw.transform {
            None => Transform::None,
            Some(_) if kind.is_aggregate() => {
                return Err(self.error(
                    self.rule_span.clone(),
                    format!(
                        "rule '{id}': `transform` does not apply to a {} rule",
                        kind.name()
                    ),
                ));
            }
            Some(text) => Transform::parse(text.get_ref()).ok_or_else(|| {
                self.error(
                    text.span(),
                    format!(
                        "unknown transform '{}' (expected none, ma3, yoy_pct or stl)",
                        text.get_ref()
                    ),
                )
            })?,
        };
        let trigger = match &raw.trigger {
            None => Trigger::Above,
            // A composite's measure is 1 when its condition holds: "below" would invert it.
            Some(text) if matches!(kind, RuleKind::Composite { .. }) => {
                return Err(self.error(text.span(), "`trigger` does not apply to a composite rule"));
            }
            Some(text) => match text.get_ref().as_str() {
                "above" => Trigger::Above,
                "below" => Trigger::Below,
                other => {
                    return Err(self.error(
                        text.span(),
                        format!("unknown trigger '{other}' (expected above or below)"),
                    ));
                }
            },
        };
        let levels = self.levels(&raw, &kind, trigger)?;
        Ok(Rule {
            id,
            version,
            title_en: raw.title_en.into_inner(),
            title_zh: raw.title_zh.into_inner(),
            explanation_en: raw.explanation_en.into_inner(),
            explanation_zh: raw.explanation_zh.into_inner(),
            kind,
            select,
            transform,
            trigger,
            levels,
            min_periods: self.count(raw.min_periods, "min_periods", 1, 1)?,
            min_periods_exit: self.count(raw.min_periods_exit, "min_periods_exit", 1, 1)?,
            cooldown_periods: self.count(raw.cooldown_periods, "cooldown_periods", 0, 0)?,
            line: line_column(self.text, self.rule_span.start).0,
        })
    }

    fn kind(&self, raw: &RawRule) -> Result<RuleKind, WarningError> {
        let kind_name = raw.kind.get_ref().as_str();
        // Parameters of other kinds are errors, so a misplaced one is never silently ignored.
        let present: [(&str, Option<Range<usize>>); 9] = [
            ("periods", raw.periods.as_ref().map(Spanned::span)),
            ("change", raw.change.as_ref().map(Spanned::span)),
            (
                "already_averaged",
                raw.already_averaged.as_ref().map(Spanned::span),
            ),
            ("window", raw.window.as_ref().map(Spanned::span)),
            ("of", raw.of.as_ref().map(Spanned::span)),
            ("measure", raw.measure.as_ref().map(Spanned::span)),
            ("at_least", raw.at_least.as_ref().map(Spanned::span)),
            ("rules", raw.rules.as_ref().map(Spanned::span)),
            ("require", raw.require.as_ref().map(Spanned::span)),
        ];
        let allowed: &[&str] = match kind_name {
            "threshold" => &[],
            "change" => &["periods", "change"],
            "sahm" => &["already_averaged"],
            "zscore" => &["window"],
            "breadth" => &["of", "measure", "at_least"],
            "composite" => &["rules", "require", "at_least"],
            other => {
                return Err(self.error(
                    raw.kind.span(),
                    format!("unknown rule kind '{other}' (expected threshold, change, sahm, zscore, breadth or composite)"),
                ));
            }
        };
        for (name, span) in &present {
            if let Some(span) = span
                && !allowed.contains(name)
            {
                return Err(self.error(
                    span.clone(),
                    format!("`{name}` does not apply to a {kind_name} rule"),
                ));
            }
        }
        let missing = |name: &str| {
            self.error(
                self.rule_span.clone(),
                format!(
                    "rule '{}': a {kind_name} rule needs `{name}`",
                    raw.id.get_ref()
                ),
            )
        };
        let at_least = || match &raw.at_least {
            Some(text) => self.level(text),
            None => Ok(Level::Blue),
        };
        Ok(match kind_name {
            "threshold" => RuleKind::Threshold,
            "change" => {
                let periods = self.count(raw.periods.clone(), "periods", 1, 0)?;
                if periods == 0 {
                    return Err(missing("periods"));
                }
                let mode = match raw.change.as_ref().map(|text| text.get_ref().as_str()) {
                    None | Some("absolute") => ChangeMode::Absolute,
                    Some("percent") => ChangeMode::Percent,
                    Some(other) => {
                        return Err(self.error(
                            raw.change
                                .as_ref()
                                .map_or(self.rule_span.clone(), Spanned::span),
                            format!("unknown change '{other}' (expected absolute or percent)"),
                        ));
                    }
                };
                RuleKind::Change { periods, mode }
            }
            "sahm" => RuleKind::Sahm {
                already_averaged: raw
                    .already_averaged
                    .as_ref()
                    .is_some_and(|flag| *flag.get_ref()),
            },
            "zscore" => {
                let window = self.count(raw.window.clone(), "window", 2, 0)?;
                if window == 0 {
                    return Err(missing("window"));
                }
                RuleKind::ZScore {
                    window: window as usize,
                }
            }
            "breadth" => {
                let of = raw.of.as_ref().ok_or_else(|| missing("of"))?;
                let component = self.earlier_rule(of)?;
                if component.kind.is_aggregate() {
                    return Err(self.error(
                        of.span(),
                        format!(
                            "breadth counts the subjects of a series rule; '{}' is a {} rule",
                            component.id,
                            component.kind.name()
                        ),
                    ));
                }
                let measure = match raw.measure.as_ref().map(|text| text.get_ref().as_str()) {
                    None | Some("share") => BreadthMeasure::Share,
                    Some("count") => BreadthMeasure::Count,
                    Some(other) => {
                        return Err(self.error(
                            raw.measure
                                .as_ref()
                                .map_or(self.rule_span.clone(), Spanned::span),
                            format!("unknown measure '{other}' (expected share or count)"),
                        ));
                    }
                };
                RuleKind::Breadth {
                    of: component.id.clone(),
                    measure,
                    at_least: at_least()?,
                }
            }
            _ => {
                let list = raw.rules.as_ref().ok_or_else(|| missing("rules"))?;
                if list.get_ref().is_empty() {
                    return Err(self.error(list.span(), "`rules` lists no rule"));
                }
                let rules = list
                    .get_ref()
                    .iter()
                    .map(|id| self.earlier_rule(id).map(|rule| rule.id.clone()))
                    .collect::<Result<Vec<_>, _>>()?;
                let require = match raw.require.as_ref().map(|text| text.get_ref().as_str()) {
                    None | Some("all") => Require::All,
                    Some("any") => Require::Any,
                    Some(other) => {
                        return Err(self.error(
                            raw.require
                                .as_ref()
                                .map_or(self.rule_span.clone(), Spanned::span),
                            format!("unknown require '{other}' (expected all or any)"),
                        ));
                    }
                };
                RuleKind::Composite {
                    rules,
                    require,
                    at_least: at_least()?,
                }
            }
        })
    }

    fn select(&self, raw: &Spanned<RawSelect>) -> Result<Selector, WarningError> {
        let select = raw.get_ref();
        if select.tags.is_empty() {
            return Err(self.error(raw.span(), "`select.tags` must name at least one tag"));
        }
        let tags = select
            .tags
            .iter()
            .map(|tag| {
                Tag::parse(tag.get_ref()).map_err(|error| self.error(tag.span(), error.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let frequency = select
            .frequency
            .as_ref()
            .map(|text| {
                Frequency::parse(text.get_ref())
                    .map_err(|error| self.error(text.span(), error.to_string()))
            })
            .transpose()?;
        Ok(Selector {
            tags,
            industry_sections_only: select.industry_sections_only,
            frequency,
        })
    }

    fn levels(
        &self,
        raw: &RawRule,
        kind: &RuleKind,
        trigger: Trigger,
    ) -> Result<Vec<LevelThreshold>, WarningError> {
        if let RuleKind::Composite { .. } = kind {
            if let Some(levels) = &raw.levels {
                return Err(self.error(
                    levels.span(),
                    "a composite rule raises one `level`, it has no [[rule.levels]]",
                ));
            }
            let level = raw.level.as_ref().ok_or_else(|| {
                self.error(
                    self.rule_span.clone(),
                    format!(
                        "rule '{}': a composite rule needs `level`",
                        raw.id.get_ref()
                    ),
                )
            })?;
            // The composite measure is 1 while the condition holds and 0 otherwise.
            return Ok(vec![LevelThreshold {
                level: self.level(level)?,
                enter: 1.0,
                exit: 1.0,
            }]);
        }
        if let Some(level) = &raw.level {
            return Err(self.error(
                level.span(),
                "`level` belongs to composite rules; use [[rule.levels]]",
            ));
        }
        let raw_levels = raw.levels.as_ref().ok_or_else(|| {
            self.error(
                self.rule_span.clone(),
                format!(
                    "rule '{}' needs at least one [[rule.levels]]",
                    raw.id.get_ref()
                ),
            )
        })?;
        let mut levels: Vec<LevelThreshold> = Vec::new();
        for raw_level in raw_levels.get_ref() {
            let span = raw_level.span();
            let raw_level = raw_level.get_ref();
            let level = self.level(&raw_level.level)?;
            let threshold = LevelThreshold {
                level,
                enter: raw_level.enter,
                exit: raw_level.exit,
            };
            if !threshold.enter.is_finite() || !threshold.exit.is_finite() {
                return Err(self.error(span, "`enter` and `exit` must be finite numbers"));
            }
            let (milder_exit, word) = match trigger {
                Trigger::Above => (threshold.exit <= threshold.enter, "at or below"),
                Trigger::Below => (threshold.exit >= threshold.enter, "at or above"),
            };
            if !milder_exit {
                return Err(self.error(
                    span,
                    format!("level {level}: `exit` must be {word} `enter` ({}), so that the level is left at a milder value", threshold.enter),
                ));
            }
            if let Some(previous) = levels.last() {
                let more_severe = match trigger {
                    Trigger::Above => threshold.enter > previous.enter,
                    Trigger::Below => threshold.enter < previous.enter,
                };
                if level <= previous.level || !more_severe {
                    return Err(self.error(
                        span,
                        format!("level {level} must be more severe than {} in both name and `enter` (levels are listed mildest first)", previous.level),
                    ));
                }
            }
            if let RuleKind::Breadth {
                measure: BreadthMeasure::Share,
                ..
            } = kind
                && !(0.0..=1.0).contains(&threshold.enter)
            {
                return Err(self.error(span, "a breadth share is between 0 and 1"));
            }
            levels.push(threshold);
        }
        if levels.is_empty() {
            return Err(self.error(raw_levels.span(), "`levels` is empty"));
        }
        Ok(levels)
    }
}

/// Tags every rule of the set selects on, for callers that load only the series needed.
pub fn selected_tags(rules: &RuleSet) -> BTreeSet<Tag> {
    rules
        .rules
        .iter()
        .filter_map(|rule| rule.select.as_ref())
        .flat_map(|select| select.tags.iter().cloned())
        .collect()
}
