//! The statutory wage deadline and lateness in days.

use labour_law::{Parameters, days_late};

use crate::date;

#[test]
fn wages_are_due_seven_days_after_the_period() {
    let hk = Parameters::hong_kong();
    let due = |end| hk.wage_due_by(date(end)).unwrap().to_string();
    assert_eq!(due("2025-06-30"), "2025-07-07");
    // Calendar days: a month end, a leap day and a year end carry over.
    assert_eq!(due("2024-02-29"), "2024-03-07");
    assert_eq!(due("2025-12-31"), "2026-01-07");
    // Holidays do not extend the deadline (1 Oct 2025 is a general holiday).
    assert_eq!(due("2025-09-30"), "2025-10-07");
    assert!(hk.wage_due_by(date("2008-05-07")).is_err());
}

#[test]
fn days_late_counts_calendar_days_after_the_deadline() {
    let due_by = date("2025-07-07");
    assert_eq!(days_late(due_by, date("2025-07-01")), 0);
    assert_eq!(days_late(due_by, date("2025-07-07")), 0);
    assert_eq!(days_late(due_by, date("2025-07-08")), 1);
    assert_eq!(days_late(due_by, date("2025-08-07")), 31);
    assert_eq!(days_late(due_by, date("2026-07-07")), 365);
}
