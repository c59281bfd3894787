//! The bundled general-holiday calendar, working days and MPF contribution days.

use std::fmt::Write as _;

use expect_test::expect;
use labour_law::{Date, HolidayCalendar, LabourLawError};

use crate::date;

fn hk() -> &'static HolidayCalendar {
    HolidayCalendar::hong_kong()
}

#[test]
fn bundled_calendar_covers_2024_to_2027_and_names_its_source() {
    assert_eq!(hk().years(), 2024..=2027);
    assert!(
        hk().source().starts_with("Python package holidays 0.109"),
        "{}",
        hk().source()
    );
    let per_year: Vec<usize> = (2024..=2027)
        .map(|year| hk().holidays().filter(|(d, _)| d.year() == year).count())
        .collect();
    // 17 general holidays a year besides Sundays: one falling on a Sunday is replaced by
    // a weekday (e.g. the fourth day of Lunar New Year in 2024 and 2027).
    assert_eq!(per_year, [17, 17, 17, 17]);
    assert_eq!(
        hk().general_holiday(date("2024-02-13")).unwrap(),
        Some("The fourth day of Lunar New Year")
    );
}

#[test]
fn known_holidays_and_working_days() {
    let holiday = |d| hk().general_holiday(date(d)).unwrap();
    assert_eq!(holiday("2025-01-29"), Some("Lunar New Year's Day"));
    assert_eq!(
        holiday("2025-10-07"),
        Some("The day following the Chinese Mid-Autumn Festival")
    );
    // Ching Ming (5 Apr 2026) fell on a Sunday, so the next day is the holiday.
    assert_eq!(
        holiday("2026-04-06"),
        Some("The day following Ching Ming Festival")
    );
    assert_eq!(holiday("2025-10-08"), None);
    let working = |d| hk().is_working_day(date(d)).unwrap();
    assert!(working("2025-07-10")); // a Thursday
    assert!(!working("2025-05-10")); // a Saturday
    assert!(!working("2025-08-10")); // a Sunday
    assert!(!working("2025-10-01")); // National Day, a Wednesday
    assert!(!working("2025-12-26")); // the first weekday after Christmas, a Friday
}

#[test]
fn outside_the_covered_years_is_an_error() {
    assert_eq!(
        hk().is_working_day(date("2031-03-03"))
            .unwrap_err()
            .to_string(),
        "no holiday calendar for 2031"
    );
    // Even a Saturday: the answer must not depend on which dates happen to be checked.
    assert!(hk().is_working_day(date("2023-12-30")).is_err());
    // December 2027 contributions fall due in January 2028, which is not covered.
    assert_eq!(
        hk().contribution_day(date("2027-12-31")).unwrap_err(),
        LabourLawError::NoCalendar(2028)
    );
    assert!(hk().contribution_day(date("2027-11-30")).is_ok());
}

#[test]
fn contribution_days_of_2025_and_2026() {
    let mut table = String::new();
    for year in [2025_i16, 2026] {
        for month in 1..=12_i8 {
            let end = Date::new(year, month, 1).unwrap().last_of_month();
            let due = hk().contribution_day(end).unwrap();
            let tenth = Date::new(due.year(), due.month(), 10).unwrap();
            writeln!(
                table,
                "{end} → {due} {:?} (10th: {:?})",
                due.weekday(),
                tenth.weekday()
            )
            .unwrap();
        }
    }
    expect![[r#"
        2025-01-31 → 2025-02-10 Monday (10th: Monday)
        2025-02-28 → 2025-03-10 Monday (10th: Monday)
        2025-03-31 → 2025-04-10 Thursday (10th: Thursday)
        2025-04-30 → 2025-05-12 Monday (10th: Saturday)
        2025-05-31 → 2025-06-10 Tuesday (10th: Tuesday)
        2025-06-30 → 2025-07-10 Thursday (10th: Thursday)
        2025-07-31 → 2025-08-11 Monday (10th: Sunday)
        2025-08-31 → 2025-09-10 Wednesday (10th: Wednesday)
        2025-09-30 → 2025-10-10 Friday (10th: Friday)
        2025-10-31 → 2025-11-10 Monday (10th: Monday)
        2025-11-30 → 2025-12-10 Wednesday (10th: Wednesday)
        2025-12-31 → 2026-01-12 Monday (10th: Saturday)
        2026-01-31 → 2026-02-10 Tuesday (10th: Tuesday)
        2026-02-28 → 2026-03-10 Tuesday (10th: Tuesday)
        2026-03-31 → 2026-04-10 Friday (10th: Friday)
        2026-04-30 → 2026-05-11 Monday (10th: Sunday)
        2026-05-31 → 2026-06-10 Wednesday (10th: Wednesday)
        2026-06-30 → 2026-07-10 Friday (10th: Friday)
        2026-07-31 → 2026-08-10 Monday (10th: Monday)
        2026-08-31 → 2026-09-10 Thursday (10th: Thursday)
        2026-09-30 → 2026-10-12 Monday (10th: Saturday)
        2026-10-31 → 2026-11-10 Tuesday (10th: Tuesday)
        2026-11-30 → 2026-12-10 Thursday (10th: Thursday)
        2026-12-31 → 2027-01-11 Monday (10th: Sunday)
    "#]]
    .assert_eq(&table);
}

#[test]
fn contribution_day_by_hand() {
    let due = |end| hk().contribution_day(date(end)).unwrap().to_string();
    // 10 Aug 2025 is a Sunday: Monday 11 Aug.
    assert_eq!(due("2025-07-31"), "2025-08-11");
    // 10 May 2025 is a Saturday: Monday 12 May.
    assert_eq!(due("2025-04-30"), "2025-05-12");
    // A wage period ending mid-month is due on the 10th of the following month all the same.
    assert_eq!(due("2025-06-15"), "2025-07-10");
    // A gale or black-rainstorm warning on the 10th moves the day to the next working day.
    let closures = [date("2025-07-10"), date("2025-07-11")];
    assert_eq!(
        hk().contribution_day_with_closures(date("2025-06-30"), &closures)
            .unwrap()
            .to_string(),
        "2025-07-14"
    );
    // No 10th in 2025-2026 is a general holiday; a made-up calendar shows one moving the day.
    let calendar =
        HolidayCalendar::from_csv("# years: 2025-2025\ndate,name_en\n2025-07-10,Test day\n")
            .unwrap();
    assert_eq!(
        calendar
            .contribution_day(date("2025-06-30"))
            .unwrap()
            .to_string(),
        "2025-07-11"
    );
    assert_eq!(
        hk().working_day_on_or_after(date("2025-12-25"))
            .unwrap()
            .to_string(),
        "2025-12-29"
    );
}

#[test]
fn calendar_file_errors_name_the_line() {
    let good = "# years: 2025-2025\ndate,name_en\n2025-01-01,New Year\n";
    let calendar = HolidayCalendar::from_csv(good).unwrap();
    assert_eq!(calendar.years(), 2025..=2025);
    let cases = [
        "date,name_en\n2025-01-01,New Year\n",
        "# years: 2025-2025\n2025-01-01,New Year\n",
        "# years: 2025\ndate,name_en\n",
        "# years: 2026-2025\ndate,name_en\n",
        "# years: 2025-2025\ndate,name_en\n2025-01-01,New Year\n2025-01-01,Again\n",
        "# years: 2025-2025\ndate,name_en\n2024-12-31,Eve\n",
        "# years: 2025-2025\ndate,name_en\n2025-13-01,Nope\n",
        "# years: 2025-2025\ndate,name_en\n2025-01-01\n",
        "# years: 2025-2025\ndate,name_en\n2025-01-01,\"Quoted\"\n",
        "# years: 2025-2025\n",
    ];
    let messages: Vec<String> = cases
        .iter()
        .map(|text| HolidayCalendar::from_csv(text).unwrap_err().to_string())
        .collect();
    expect![[r#"
        holiday calendar, line 2: the '# years: FIRST-LAST' line must come before the rows
        holiday calendar, line 2: expected the header 'date,name_en', found '2025-01-01,New Year'
        holiday calendar, line 1: '2025' is not a year range (expected FIRST-LAST)
        holiday calendar, line 1: '2026-2025' is not a year range (expected FIRST-LAST)
        holiday calendar, line 4: 2025-01-01 is listed twice
        holiday calendar, line 3: 2024-12-31 is outside the declared years 2025-2025
        holiday calendar, line 3: '2025-13-01' is not a date (expected YYYY-MM-DD)
        holiday calendar, line 3: expected 'date,name_en', found '2025-01-01'
        holiday calendar, line 3: 2025-01-01: the name must be plain text without quotes
        holiday calendar, line 1: no 'date,name_en' header"#]]
    .assert_eq(&messages.join("\n"));
}
