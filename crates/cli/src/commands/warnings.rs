//! `lmo alerts`, `lmo watchlist` and `lmo backtest`: the warning rules over the store.

use std::process::ExitCode;

use engine::{Alert, Engine};
use serde::Serialize;

use crate::args::warnings::{AlertAction, AlertsArgs, BacktestArgs, ComputeArgs, WatchlistArgs};
use crate::args::{Lang, OutputArgs};
use crate::output::{Table, in_language, print_result};

#[derive(Serialize)]
struct EntryDto {
    rank: usize,
    industry: String,
    industry_en: String,
    industry_zh: String,
    score: u32,
    reasons: Vec<String>,
}

#[derive(Serialize)]
struct EpisodeDto {
    rule_id: String,
    subject: String,
    max_level: &'static str,
    opened: String,
    known_from: String,
    closed: Option<String>,
    closed_known: Option<String>,
}

#[derive(Serialize)]
struct ScoreDto {
    rule_id: String,
    hits: usize,
    misses: usize,
    lead_months: Vec<Option<i32>>,
    reference_starts: Vec<String>,
    false_alarms: usize,
    false_alarms_per_decade: f64,
}

/// An episode with its rule's score, one CSV or XLSX row per episode.
#[derive(Serialize)]
struct EpisodeRowDto<'a> {
    #[serde(flatten)]
    episode: &'a EpisodeDto,
    rule_hits: Option<usize>,
    rule_misses: Option<usize>,
    rule_false_alarms_per_decade: Option<f64>,
}

#[derive(Serialize)]
struct BacktestDto {
    from: String,
    to: String,
    episodes: Vec<EpisodeDto>,
    scores: Vec<ScoreDto>,
}

#[derive(Serialize)]
struct AlertDto {
    id: String,
    rule_id: String,
    rule_version: u32,
    title_en: String,
    title_zh: String,
    subject: String,
    industry: Option<String>,
    level: &'static str,
    max_level: &'static str,
    opened: String,
    closed: Option<String>,
    last_period: String,
    measure: f64,
    inputs: Vec<InputDto>,
    contributors: Vec<String>,
    as_of: String,
    needs_attention: bool,
    acknowledged_by: Option<String>,
    muted_until: Option<String>,
}

#[derive(Serialize)]
struct InputDto {
    period: String,
    value: f64,
    vintage: String,
}

#[derive(Serialize)]
struct DerivedDto {
    id: String,
    title_en: String,
    title_zh: String,
    source: String,
    periods: usize,
    last_period: Option<String>,
    last_value: Option<f64>,
}

pub(crate) fn compute(
    engine: &mut Engine,
    args: &ComputeArgs,
    quiet: bool,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    let sets = engine::indicator_sets(args.indicators.as_deref())?;
    let time = crate::clock::now();
    let as_of = args.as_of.unwrap_or(time.today);
    let spinner = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new_spinner()
    };
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let report = engine.compute(&sets, as_of, &time, &mut |step| {
        spinner.set_message(format!("computing: {step}"));
    });
    spinner.finish_and_clear();
    let report = report?;
    for reason in &report.skipped {
        eprintln_note(&format!("skipped: {reason}"));
    }
    let dtos: Vec<DerivedDto> = report
        .derived
        .iter()
        .map(|series| DerivedDto {
            id: series.meta.id.to_string(),
            title_en: series.meta.title_en.clone(),
            title_zh: series.meta.title_zh.clone(),
            source: series.meta.source.clone(),
            periods: series.points.len(),
            last_period: series.points.last().map(|(period, _)| period.to_string()),
            last_value: series.points.last().map(|(_, value)| *value),
        })
        .collect();
    print_result(&args.output, &dtos, &dtos, || {
        let mut table = Table::new(vec!["id", "periods", "last", "value", "title"]);
        for dto in &dtos {
            table.row(vec![
                dto.id.clone(),
                dto.periods.to_string(),
                dto.last_period.clone().unwrap_or_default(),
                dto.last_value
                    .map(|value| format!("{value:.2}"))
                    .unwrap_or_default(),
                in_language(lang, &dto.title_en, &dto.title_zh),
            ]);
        }
        table.with_heading(format!(
            "{} as of {as_of}: {} derived series; {} values new, {} revised, {} unchanged.\n",
            report.description,
            dtos.len(),
            report.rows_new,
            report.rows_revised,
            report.rows_unchanged
        ))
    })?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn alerts(
    engine: &mut Engine,
    args: &AlertsArgs,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    let today = crate::clock::now().today;
    match &args.action {
        Some(AlertAction::Ack(ack)) => {
            let rules = engine::load_rules(&ack.rules)?;
            let user = crate::identity::acting_user(engine)?;
            let alert = engine.acknowledge(&rules, &ack.id, &user, &ack.reason, today)?;
            println_stdout(&format!(
                "acknowledged {} at level {} by {user}",
                engine::alert_id_of(&alert),
                alert.level().as_str(),
            ))?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(AlertAction::Mute(mute)) => {
            let rules = engine::load_rules(&mute.rules)?;
            let user = crate::identity::acting_user(engine)?;
            let request = engine::MuteRequest {
                rule_id: &mute.rule,
                subject: &mute.subject,
                until: mute.until,
                user: &user,
                reason: &mute.reason,
            };
            engine.mute(&rules, &request, today)?;
            println_stdout(&format!(
                "muted {} on {} until {} by {user}",
                mute.rule, mute.subject, mute.until
            ))?;
            return Ok(ExitCode::SUCCESS);
        }
        None => {}
    }
    let rules = engine::load_rules(&args.rules)?;
    let as_of = args.as_of.unwrap_or(today);
    let alerts = engine.alerts(&rules, as_of)?;
    let shown: Vec<&Alert> = alerts
        .iter()
        .filter(|alert| args.all || alert.is_open())
        .filter(|alert| args.level.is_none_or(|level| alert.level() >= level))
        .collect();
    let title = |alert: &Alert| {
        rules
            .rule(&alert.rule_id)
            .map(|rule| (rule.title_en.clone(), rule.title_zh.clone()))
            .unwrap_or_default()
    };
    let dtos: Vec<AlertDto> = shown
        .iter()
        .map(|alert| {
            let (title_en, title_zh) = title(alert);
            AlertDto {
                id: engine::alert_id_of(alert),
                rule_id: alert.rule_id.clone(),
                rule_version: alert.rule_version,
                title_en,
                title_zh,
                subject: alert.subject.to_string(),
                industry: alert.industry.as_ref().map(ToString::to_string),
                level: alert.level().as_str(),
                max_level: alert.max_level().as_str(),
                opened: alert.opened.to_string(),
                closed: alert.closed.map(|period| period.to_string()),
                last_period: alert.last_period.to_string(),
                measure: alert.measure,
                inputs: alert
                    .inputs
                    .iter()
                    .map(|input| InputDto {
                        period: input.period.to_string(),
                        value: input.value,
                        vintage: input.vintage.to_string(),
                    })
                    .collect(),
                contributors: alert
                    .contributors
                    .iter()
                    .map(|contributor| format!("{}/{}", contributor.rule_id, contributor.subject))
                    .collect(),
                as_of: alert.as_of.to_string(),
                needs_attention: alert.needs_attention(),
                acknowledged_by: alert.acknowledgement.as_ref().map(|ack| ack.user.clone()),
                muted_until: alert.muted.as_ref().map(|mute| mute.until.to_string()),
            }
        })
        .collect();
    print_result(&args.output, &dtos, &dtos, || {
        let mut table = Table::new(vec![
            "level", "opened", "closed", "last", "measure", "seen", "id", "title",
        ]);
        for alert in &shown {
            let (title_en, title_zh) = title(alert);
            table.row(vec![
                alert.level().as_str().to_owned(),
                alert.opened.to_string(),
                alert
                    .closed
                    .map_or_else(|| "open".to_owned(), |period| period.to_string()),
                alert.last_period.to_string(),
                format!("{:.2}", alert.measure),
                if alert.muted.is_some() {
                    "muted"
                } else if alert.needs_attention() || alert.closed.is_some() {
                    "-"
                } else {
                    "ack"
                }
                .to_owned(),
                engine::alert_id_of(alert),
                in_language(lang, &title_en, &title_zh),
            ]);
        }
        table.with_heading(format!(
            "Alerts of rule set '{}' as of {as_of}: {} shown of {} episodes known.\n",
            rules.name,
            shown.len(),
            alerts.len()
        ))
    })?;
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stderr)]
fn eprintln_note(text: &str) {
    eprintln!("{text}");
}

fn println_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    writeln!(std::io::stdout().lock(), "{text}")?;
    Ok(())
}

pub(crate) fn watchlist(
    engine: &mut Engine,
    args: &WatchlistArgs,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    let rules = engine::load_rules(&args.rules)?;
    if let Some((from, to)) = args.history {
        return watchlist_history(engine, &rules, (from, to), &args.output, lang);
    }
    let as_of = args.as_of.unwrap_or_else(|| crate::clock::now().today);
    let entries = engine.watchlist(&rules, as_of)?;
    let dtos: Vec<EntryDto> = entries
        .iter()
        .map(|entry| EntryDto {
            rank: entry.rank,
            industry: entry.industry.to_string(),
            industry_en: entry.industry.name_en(),
            industry_zh: entry.industry.name_zh(),
            score: entry.score,
            reasons: entry
                .reasons
                .iter()
                .map(|reason| {
                    format!(
                        "{} {} ({:.2} in {})",
                        reason.level.as_str(),
                        reason.rule_id,
                        reason.measure,
                        reason.period
                    )
                })
                .collect(),
        })
        .collect();
    print_result(&args.output, &dtos, &dtos, || {
        let mut table = Table::new(vec!["rank", "industry", "score", "reasons", "name"]);
        for dto in &dtos {
            table.row(vec![
                dto.rank.to_string(),
                dto.industry.clone(),
                dto.score.to_string(),
                dto.reasons.join("; "),
                in_language(lang, &dto.industry_en, &dto.industry_zh),
            ]);
        }
        table.with_heading(format!(
            "Industry watch-list 重點監測行業預警名單, rule set '{}', as of {as_of}: {} industries.\n",
            rules.name,
            dtos.len()
        ))
    })?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct WatchEventDto {
    as_of: String,
    industry: String,
    change: &'static str,
    score: u32,
    name_en: String,
    name_zh: String,
}

fn watchlist_history(
    engine: &mut Engine,
    rules: &engine::RuleSet,
    (from, to): (domain::Period, domain::Period),
    output: &OutputArgs,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    let events = engine.watchlist_history(rules, from, to)?;
    let dtos: Vec<WatchEventDto> = events
        .iter()
        .map(|event| WatchEventDto {
            as_of: event.as_of.to_string(),
            industry: event.industry.to_string(),
            change: match event.change {
                engine::WatchChange::Entered => "entered",
                engine::WatchChange::Left => "left",
            },
            score: event.score,
            name_en: event.industry.name_en(),
            name_zh: event.industry.name_zh(),
        })
        .collect();
    print_result(output, &dtos, &dtos, || {
        let mut table = Table::new(vec!["as_of", "change", "industry", "score", "name"]);
        for dto in &dtos {
            table.row(vec![
                dto.as_of.clone(),
                dto.change.to_owned(),
                dto.industry.clone(),
                dto.score.to_string(),
                in_language(lang, &dto.name_en, &dto.name_zh),
            ]);
        }
        table
    })?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn backtest(engine: &mut Engine, args: &BacktestArgs) -> anyhow::Result<ExitCode> {
    let rules = engine::load_rules(&args.rules)?;
    let reference = engine.reference_episodes(&args.episodes)?;
    let report = engine.backtest(&rules, reference, args.from, args.to)?;
    let backtest = &report.backtest;
    let dto = BacktestDto {
        from: backtest.from.to_string(),
        to: backtest.to.to_string(),
        episodes: backtest
            .episodes
            .iter()
            .map(|episode| EpisodeDto {
                rule_id: episode.rule_id.clone(),
                subject: episode.subject.to_string(),
                max_level: episode.max_level.as_str(),
                opened: episode.opened.to_string(),
                known_from: episode.known_from.to_string(),
                closed: episode.closed.map(|period| period.to_string()),
                closed_known: episode.closed_known.map(|date| date.to_string()),
            })
            .collect(),
        scores: report
            .scores
            .iter()
            .map(|rule| ScoreDto {
                rule_id: rule.rule_id.clone(),
                hits: rule.score.hits,
                misses: rule.score.misses,
                lead_months: rule
                    .score
                    .episodes
                    .iter()
                    .map(|episode| episode.lead_months)
                    .collect(),
                reference_starts: rule
                    .score
                    .episodes
                    .iter()
                    .map(|episode| episode.reference.start.to_string())
                    .collect(),
                false_alarms: rule.score.false_alarms.len(),
                false_alarms_per_decade: rule.score.false_alarms_per_decade,
            })
            .collect(),
    };
    let rows: Vec<EpisodeRowDto<'_>> = dto
        .episodes
        .iter()
        .map(|episode| {
            let score = dto
                .scores
                .iter()
                .find(|score| score.rule_id == episode.rule_id);
            EpisodeRowDto {
                episode,
                rule_hits: score.map(|score| score.hits),
                rule_misses: score.map(|score| score.misses),
                rule_false_alarms_per_decade: score.map(|score| score.false_alarms_per_decade),
            }
        })
        .collect();
    print_result(&args.output, &dto, &rows, || {
        let mut episodes = Table::new(vec![
            "rule", "level", "opened", "alarm", "closed", "subject",
        ]);
        for episode in &dto.episodes {
            episodes.row(vec![
                episode.rule_id.clone(),
                episode.max_level.to_owned(),
                episode.opened.clone(),
                episode.known_from.clone(),
                episode.closed.clone().unwrap_or_else(|| "open".to_owned()),
                episode.subject.clone(),
            ]);
        }
        episodes.with_heading(format!(
            "Backtest of '{}' from {} to {}: {} alert episodes opened in real time.\n",
            rules.name,
            dto.from,
            dto.to,
            dto.episodes.len()
        ))
    })?;
    if args.output.json || args.output.csv {
        return Ok(ExitCode::SUCCESS);
    }
    // For people, the scores follow in a table of their own.
    let people = OutputArgs::default();
    print_result(&people, &dto, &dto.scores, || {
        let mut scores = Table::new(vec![
            "rule",
            "hits",
            "misses",
            "false alarms/decade",
            "lead months per reference episode",
        ]);
        for score in &dto.scores {
            let leads: Vec<String> = score
                .reference_starts
                .iter()
                .zip(&score.lead_months)
                .map(|(start, lead)| match lead {
                    Some(months) => format!("{start}: {months:+}"),
                    None => format!("{start}: miss"),
                })
                .collect();
            scores.row(vec![
                score.rule_id.clone(),
                score.hits.to_string(),
                score.misses.to_string(),
                format!("{:.2}", score.false_alarms_per_decade),
                leads.join(", "),
            ]);
        }
        scores.with_heading(
            "\nAgainst the reference episodes (lead = months from the alarm to the start; negative = after):\n"
                .to_owned(),
        )
    })?;
    Ok(ExitCode::SUCCESS)
}
