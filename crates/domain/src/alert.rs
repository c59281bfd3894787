//! The vocabulary of early-warning alerts.

use crate::coded::coded;

coded! {
    /// Alert levels, mildest first, as in mainland unemployment warnings.
    pub enum AlertLevel: "an alert level" {
        /// Watch.
        Blue = "blue",
        Yellow = "yellow",
        Orange = "orange",
        Red = "red",
    }
}

impl AlertLevel {
    pub fn name_zh(self) -> &'static str {
        match self {
            AlertLevel::Blue => "藍色",
            AlertLevel::Yellow => "黃色",
            AlertLevel::Orange => "橙色",
            AlertLevel::Red => "紅色",
        }
    }

    /// Weight in the watch-list risk score: blue 1, yellow 2, orange 3, red 4.
    pub fn weight(self) -> u32 {
        match self {
            AlertLevel::Blue => 1,
            AlertLevel::Yellow => 2,
            AlertLevel::Orange => 3,
            AlertLevel::Red => 4,
        }
    }
}
