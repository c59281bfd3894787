//! The industry watch-list (重點監測行業預警名單): industries ranked by a risk score, with
//! the alerts behind it, and its entries and exits over time.

use std::collections::BTreeMap;

use domain::{Date, IndustryCode, Period};

use crate::Level;
use crate::alert::{Alert, Subject};

/// One open alert counted in an industry's score.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchReason {
    pub rule_id: String,
    pub subject: Subject,
    pub level: Level,
    pub measure: f64,
    pub period: Period,
}

/// One industry on the list.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchEntry {
    /// 1 for the highest risk.
    pub rank: usize,
    pub industry: IndustryCode,
    /// Sum over the industry's open alerts of the current level's weight (blue 1, yellow
    /// 2, orange 3, red 4; `Level::weight`). Muted alerts count: a mute silences
    /// notifications, it does not make the risk go away.
    pub score: u32,
    /// Most severe first, then by rule id and subject.
    pub reasons: Vec<WatchReason>,
}

/// Industries with at least one open alert, ranked by score (highest first), ties broken
/// by industry code (`C` before `G47`); alerts without an industry, and the `ALL`
/// aggregate, are not industries and do not count.
pub fn watchlist(alerts: &[Alert]) -> Vec<WatchEntry> {
    let mut by_industry: BTreeMap<String, (IndustryCode, u32, Vec<WatchReason>)> = BTreeMap::new();
    for alert in alerts.iter().filter(|alert| alert.is_open()) {
        let Some(industry) = alert
            .industry
            .as_ref()
            .filter(|industry| **industry != IndustryCode::AllCovered)
        else {
            continue;
        };
        let entry = by_industry
            .entry(industry.to_string())
            .or_insert_with(|| (industry.clone(), 0, Vec::new()));
        entry.1 += alert.level().weight();
        entry.2.push(WatchReason {
            rule_id: alert.rule_id.clone(),
            subject: alert.subject.clone(),
            level: alert.level(),
            measure: alert.measure,
            period: alert.last_period,
        });
    }
    let mut entries: Vec<(String, WatchEntry)> = by_industry
        .into_iter()
        .map(|(code, (industry, score, mut reasons))| {
            reasons.sort_by(|a, b| {
                b.level
                    .cmp(&a.level)
                    .then_with(|| a.rule_id.cmp(&b.rule_id))
                    .then_with(|| a.subject.cmp(&b.subject))
            });
            let entry = WatchEntry {
                rank: 0,
                industry,
                score,
                reasons,
            };
            (code, entry)
        })
        .collect();
    entries
        .sort_by(|(code_a, a), (code_b, b)| b.score.cmp(&a.score).then_with(|| code_a.cmp(code_b)));
    entries
        .into_iter()
        .enumerate()
        .map(|(index, (_, mut entry))| {
            entry.rank = index + 1;
            entry
        })
        .collect()
}

/// Whether an industry joined or left the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchChange {
    Entered,
    Left,
}

/// One entry to or exit from the watch-list.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchEvent {
    pub as_of: Date,
    pub industry: IndustryCode,
    pub change: WatchChange,
    /// The score on entering, or the last score before leaving.
    pub score: u32,
}

/// Entries and exits between consecutive watch-lists, given in `as_of` order.
pub fn watchlist_history(snapshots: &[(Date, Vec<WatchEntry>)]) -> Vec<WatchEvent> {
    let mut events = Vec::new();
    let mut previous: BTreeMap<String, &WatchEntry> = BTreeMap::new();
    for (as_of, entries) in snapshots {
        let current: BTreeMap<String, &WatchEntry> = entries
            .iter()
            .map(|entry| (entry.industry.to_string(), entry))
            .collect();
        for (code, entry) in &previous {
            if !current.contains_key(code) {
                events.push(WatchEvent {
                    as_of: *as_of,
                    industry: entry.industry.clone(),
                    change: WatchChange::Left,
                    score: entry.score,
                });
            }
        }
        for (code, entry) in &current {
            if !previous.contains_key(code) {
                events.push(WatchEvent {
                    as_of: *as_of,
                    industry: entry.industry.clone(),
                    change: WatchChange::Entered,
                    score: entry.score,
                });
            }
        }
        previous = current;
    }
    events
}
