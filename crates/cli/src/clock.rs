//! The wall clock, read here and only here: every other crate takes the time it is given,
//! and clippy's `disallowed-methods` (clippy.toml) refuses a clock read anywhere else.
//!
//! Times people read are Hong Kong time (`Asia/Hong_Kong`: UTC+8, no daylight saving since
//! 1979) in one format, `2025-08-21T09:00:00+08:00`.

use engine::ImportTime;

/// Hong Kong's offset from UTC, the one time zone of every time lmo writes.
fn hong_kong() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::fixed(jiff::tz::offset(8))
}

/// A timestamp in the one format people read: Hong Kong time to the second, with its offset.
pub(crate) fn format_timestamp(timestamp: jiff::Timestamp) -> String {
    timestamp
        .to_zoned(hong_kong())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Now.
pub(crate) fn timestamp() -> jiff::Timestamp {
    #[allow(clippy::disallowed_methods)] // the one place that reads the clock
    jiff::Timestamp::now()
}

/// Now, and today's date in Hong Kong.
pub(crate) fn now() -> ImportTime {
    let now = timestamp();
    ImportTime {
        imported_at: format_timestamp(now),
        today: now.to_zoned(hong_kong()).date(),
    }
}

#[cfg(test)]
mod tests {
    use super::format_timestamp;

    #[test]
    fn timestamps_are_hong_kong_time_to_the_second() {
        let utc: jiff::Timestamp = "2025-08-21T01:00:00.123Z".parse().unwrap();
        assert_eq!(format_timestamp(utc), "2025-08-21T09:00:00+08:00");
    }
}
