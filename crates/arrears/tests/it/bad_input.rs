//! Every kind of bad input is a reject naming file, line, column and reason; the run goes on.

use std::fmt::Write as _;

use arrears::{ArrearsError, Law, ParseContext, Parsed, read_register, read_remittances};
use expect_test::expect;
use labour_law::Pseudonymiser;

use crate::support::{
    Inputs, KEY, REMITTANCE_HEADER, as_of, bad_hkid, employer_row, hkid, mpf_row, pay_row,
    rejects_text, run,
};

#[test]
fn each_bad_remittance_row_is_rejected_with_its_position_and_reason() {
    let mut inputs = Inputs::default();
    inputs.register.push_str(&employer_row("E01", 20));
    let good = hkid("C123456");
    let rows = [
        // line 2: fine
        mpf_row("E01", 1, "1000.00", "2025-07-08"),
        // 3: too few fields
        "E01,x\n".to_owned(),
        // 4: employer not registered
        mpf_row("E99", 2, "1000.00", "2025-07-08"),
        // 5: HKID check digit wrong
        format!(
            "E01,{},Chan Tai Man,2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-07-08\n",
            bad_hkid("C654321")
        ),
        // 6: not an HKID at all
        "E01,12345,Chan Tai Man,2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-07-08\n"
            .to_owned(),
        // 7: empty name
        format!("E01,{good},,2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-07-08\n"),
        // 8: negative amount
        format!(
            "E01,{good},Chan Tai Man,2025-06-01,2025-06-30,-20000.00,1000.00,1000.00,2025-07-08\n"
        ),
        // 9: amount with one decimal
        format!(
            "E01,{good},Chan Tai Man,2025-06-01,2025-06-30,20000.5,1000.00,1000.00,2025-07-08\n"
        ),
        // 10: future payment date
        format!(
            "E01,{good},Chan Tai Man,2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-08-01\n"
        ),
        // 11: not a date
        format!(
            "E01,{good},Chan Tai Man,2025-06-01,30/06/2025,20000.00,1000.00,1000.00,2025-07-08\n"
        ),
        // 12: period ends before it starts
        format!(
            "E01,{good},Chan Tai Man,2025-06-01,2025-05-31,20000.00,1000.00,1000.00,2025-07-08\n"
        ),
        // 13: employer contribution above the HK$1,500 cap
        format!(
            "E01,{good},Chan Tai Man,2025-06-01,2025-06-30,40000.00,1500.01,1500.00,2025-07-08\n"
        ),
        // 14: employee contribution above the cap
        format!(
            "E01,{good},Chan Tai Man,2025-06-01,2025-06-30,40000.00,1500.00,1600.00,2025-07-08\n"
        ),
        // 15: fine (first row of this worker)
        format!(
            "E01,{good},Chan Tai Man,2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-07-08\n"
        ),
        // 16: duplicate of line 15 (the id written another way)
        format!(
            "E01,{},chan tai man,2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-07-09\n",
            good.replace(['(', ')'], "")
        ),
        // 17: a period the holiday calendar does not cover
        format!(
            "E01,{good},Chan Tai Man,2023-06-01,2023-06-30,20000.00,1000.00,1000.00,2023-07-08\n"
        ),
        // 18: a period before the MPF tables start
        format!(
            "E01,{good},Chan Tai Man,2010-06-01,2010-06-30,20000.00,1000.00,1000.00,2025-07-08\n"
        ),
    ];
    inputs.remittances = rows.concat();
    let run = run(&inputs);
    expect![[r#"
        mpf.csv:3: expected 9 fields (employer_id,employee_id,employee_name,period_start,period_end,relevant_income,employer_contribution,employee_contribution,paid_on), found 2
            raw: [redacted],[redacted]
        mpf.csv:4:1 (column 'employer_id'): the employer is not in the employer register
            raw: [redacted],[redacted],[redacted],2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-07-08
        mpf.csv:5:2 (column 'employee_id'): not an HKID: check digit does not match
            raw: E01,[redacted],[redacted],2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-07-08
        mpf.csv:6:2 (column 'employee_id'): not an HKID: expected one or two letters, six digits and a check digit (0-9 or A)
            raw: E01,[redacted],[redacted],2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-07-08
        mpf.csv:7:3 (column 'employee_name'): the name is empty
            raw: E01,[redacted],,2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-07-08
        mpf.csv:8:6 (column 'relevant_income'): the amount is negative (-20000.00)
            raw: E01,[redacted],[redacted],2025-06-01,2025-06-30,-20000.00,1000.00,1000.00,2025-07-08
        mpf.csv:9:6 (column 'relevant_income'): not an amount of money (expected digits with two decimals or none, e.g. 1234.56)
            raw: E01,[redacted],[redacted],2025-06-01,2025-06-30,20000.5,1000.00,1000.00,2025-07-08
        mpf.csv:10:9 (column 'paid_on'): 2025-08-01 is after the as-of date 2025-07-31
            raw: E01,[redacted],[redacted],2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-08-01
        mpf.csv:11:5 (column 'period_end'): not a date (expected YYYY-MM-DD)
            raw: E01,[redacted],[redacted],2025-06-01,30/06/2025,20000.00,1000.00,1000.00,2025-07-08
        mpf.csv:12:5 (column 'period_end'): 2025-05-31 is before period_start 2025-06-01
            raw: E01,[redacted],[redacted],2025-06-01,2025-05-31,20000.00,1000.00,1000.00,2025-07-08
        mpf.csv:13:7 (column 'employer_contribution'): 1500.01 is above the maximum mandatory contribution of 1500.00
            raw: E01,[redacted],[redacted],2025-06-01,2025-06-30,40000.00,1500.01,1500.00,2025-07-08
        mpf.csv:14:8 (column 'employee_contribution'): 1600.00 is above the maximum mandatory contribution of 1500.00
            raw: E01,[redacted],[redacted],2025-06-01,2025-06-30,40000.00,1500.00,1600.00,2025-07-08
        mpf.csv:16: duplicate row: this employer, employee and period_start 2025-06-01 appear on an earlier row
            raw: E01,[redacted],[redacted],2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-07-09
        mpf.csv:17:5 (column 'period_end'): no holiday calendar for 2023
            raw: E01,[redacted],[redacted],2023-06-01,2023-06-30,20000.00,1000.00,1000.00,2023-07-08
        mpf.csv:18:4 (column 'period_start'): no value of mpf_relevant_income_min for 2010-06-01: the table starts on 2013-11-01
            raw: E01,[redacted],[redacted],2010-06-01,2010-06-30,20000.00,1000.00,1000.00,2025-07-08
    "#]]
    .assert_eq(&rejects_text(&run.rejects));
}

#[test]
fn each_bad_payroll_register_and_report_row_is_rejected() {
    let mut inputs = Inputs::default();
    inputs.register.push_str(&employer_row("E01", 20));
    // Register: listed twice, unknown section, headcount not a number, empty district.
    inputs.register.push_str(&employer_row("E01", 20));
    inputs.register.push_str("E02,Two Ltd,Z,Kwun Tong,5\n");
    inputs.register.push_str("E03,Three Ltd,G,Kwun Tong,five\n");
    inputs.register.push_str("E04,Four Ltd,G,,5\n");
    inputs.payroll.push_str(&pay_row(
        "E01",
        1,
        "20000.00",
        "20000.00",
        "2025-07-05",
        "176",
    ));
    inputs.payroll.push_str(&pay_row(
        "E01",
        1,
        "20000.00",
        "20000.00",
        "2025-07-05",
        "176",
    ));
    inputs
        .payroll
        .push_str(&pay_row("E01", 2, "20000.00", "-1.00", "2025-07-05", "176"));
    inputs.payroll.push_str(&pay_row(
        "E01",
        3,
        "20000.00",
        "20000.00",
        "2025-07-05",
        "17.5.0",
    ));
    inputs.payroll.push_str(&pay_row(
        "E01",
        4,
        "20000.00",
        "20000.00",
        "2025-07-05",
        "-3",
    ));
    inputs.payroll.push_str(&pay_row(
        "E02",
        5,
        "20000.00",
        "20000.00",
        "2025-07-05",
        "176",
    ));
    inputs
        .reports
        .push_str("E01,2025-08-02,3,100.00,union,future\n");
    inputs
        .reports
        .push_str("E01,2025-07-02,0,100.00,union,nobody\n");
    inputs
        .reports
        .push_str("E01,2025-07-02,2,100.00,,no channel\n");
    inputs
        .reports
        .push_str("E05,2025-07-02,2,100.00,union,\"Chan Tai Man, A123456(3), not paid\"\n");
    let run = run(&inputs);
    expect![[r#"
        employers.csv:3: this employer_id is listed on an earlier line too
            raw: E01,E01 Trading Ltd,G,Kwun Tong,20
        employers.csv:4:3 (column 'hsic_section'): not an HSIC section (a letter from A to U)
            raw: E02,Two Ltd,[redacted],Kwun Tong,5
        employers.csv:5:5 (column 'headcount'): not a whole number from 0 to 4294967295
            raw: E03,Three Ltd,G,Kwun Tong,[redacted]
        employers.csv:6:4 (column 'district'): the cell is empty
            raw: E04,Four Ltd,G,,5
        payroll.csv:3: duplicate row: this employer, employee and period_start 2025-06-01 appear on an earlier row
            raw: E01,[redacted],[redacted],2025-06-01,2025-06-30,20000.00,20000.00,2025-07-05,176
        payroll.csv:4:7 (column 'wages_paid'): the amount is negative (-1.00)
            raw: E01,[redacted],[redacted],2025-06-01,2025-06-30,20000.00,-1.00,2025-07-05,176
        payroll.csv:5:9 (column 'hours_worked'): not a number of hours (e.g. 176 or 37.50)
            raw: E01,[redacted],[redacted],2025-06-01,2025-06-30,20000.00,20000.00,2025-07-05,17.5.0
        payroll.csv:6:9 (column 'hours_worked'): not a number of hours (e.g. 176 or 37.50)
            raw: E01,[redacted],[redacted],2025-06-01,2025-06-30,20000.00,20000.00,2025-07-05,-3
        payroll.csv:7:1 (column 'employer_id'): the employer is not in the employer register
            raw: [redacted],[redacted],[redacted],2025-06-01,2025-06-30,20000.00,20000.00,2025-07-05,176
        reports.csv:2:2 (column 'reported_on'): 2025-08-02 is after the as-of date 2025-07-31
            raw: E01,2025-08-02,3,100.00,[redacted],[redacted]
        reports.csv:3:3 (column 'workers_affected'): a report names at least one worker affected
            raw: E01,2025-07-02,0,100.00,[redacted],[redacted]
        reports.csv:4:5 (column 'channel'): the cell is empty
            raw: E01,2025-07-02,2,100.00,,[redacted]
        reports.csv:5:1 (column 'employer_id'): the employer is not in the employer register
            raw: [redacted],2025-07-02,2,100.00,[redacted],[redacted]
    "#]]
    .assert_eq(&rejects_text(&run.rejects));
}

#[test]
fn rows_that_are_not_utf8_are_rejected_and_the_read_goes_on() {
    let mut text = REMITTANCE_HEADER.as_bytes().to_vec();
    text.extend_from_slice(
        b"E01,A123456(3),Chan \xff Man,2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-07-08\n",
    );
    text.extend_from_slice(mpf_row("E01", 1, "1000.00", "2025-07-08").as_bytes());
    let register_text = format!(
        "{}{}",
        crate::support::REGISTER_HEADER,
        employer_row("E01", 3)
    );
    let (register, _) = read_register(register_text.as_bytes(), "r.csv", |_| {}).unwrap();
    let pseudonymiser = Pseudonymiser::new(KEY).unwrap();
    let context = ParseContext {
        pseudonymiser: &pseudonymiser,
        as_of: as_of(),
        register: &register,
        law: Law::hong_kong(),
    };
    let mut out = Vec::new();
    let summary = read_remittances(text.as_slice(), "mpf.csv", &context, |parsed| {
        out.push(match parsed {
            Parsed::Record(row) => format!("record at line {}", row.line),
            Parsed::Reject(reject) => format!("{reject} / raw: {}", reject.raw),
        });
    })
    .unwrap();
    expect![[r#"
        (
            [
                "mpf.csv:2:3 (column 'employee_name'): not valid UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\") / raw: [redacted]",
                "record at line 3",
            ],
            ReadSummary {
                rows_read: 2,
                records: 1,
                rejected: 1,
            },
        )
    "#]].assert_debug_eq(&(out, summary));
}

#[test]
fn totals_past_what_64_bit_cents_hold_are_rejected_not_changed() {
    // Wages of HK$50 million million unpaid, twice: the second would take the employer's
    // arrears past HK$92,233,720,368,547,758.07. So would a second claim in the reports.
    let mut inputs = Inputs::default();
    inputs.register.push_str(&employer_row("E01", 3));
    let huge = "50000000000000000.00";
    for (line, body) in [(2, "A111111"), (3, "A222222"), (4, "A333333")] {
        let wages = if line == 4 { "100.00" } else { huge };
        writeln!(
            inputs.payroll,
            "E01,{},Chan Tai Man,2025-06-01,2025-06-30,{wages},0.00,,",
            hkid(body)
        )
        .unwrap();
    }
    writeln!(inputs.reports, "E01,2025-07-20,1,{huge},union,").unwrap();
    writeln!(inputs.reports, "E01,2025-07-21,1,{huge},union,").unwrap();
    let (detection, summary, rejects) = crate::support::detect_run(&inputs);
    expect![[r#"
        payroll.csv:3: the employer's total would pass HK$92233720368547758.07, more than lmo adds up; the row is left out of the counts
            raw: [redacted]
        reports.csv:3: the employer's total would pass HK$92233720368547758.07, more than lmo adds up; the row is left out of the counts
            raw: [redacted]
    "#]]
    .assert_eq(&rejects_text(&rejects));
    let employer = &detection.employers[0];
    assert_eq!(employer.wage_arrears.to_string(), "50000000000000100.00");
    assert_eq!(employer.amount_claimed.to_string(), huge);
    assert_eq!((summary.payroll.records, summary.payroll.rejected), (2, 1));
    assert_eq!((summary.reports.records, summary.reports.rejected), (1, 1));
}

#[test]
fn a_wrong_or_missing_header_stops_the_file_without_quoting_it() {
    let register = arrears::Register::default();
    let pseudonymiser = Pseudonymiser::new(KEY).unwrap();
    let context = ParseContext {
        pseudonymiser: &pseudonymiser,
        as_of: as_of(),
        register: &register,
        law: Law::hong_kong(),
    };
    let headerless =
        "E01,A123456(3),Chan Tai Man,2025-06-01,2025-06-30,20000.00,1000.00,1000.00,\n";
    let error = read_remittances(headerless.as_bytes(), "mpf.csv", &context, |_| {}).unwrap_err();
    expect!["mpf.csv:1: expected the header 'employer_id,employee_id,employee_name,period_start,period_end,relevant_income,employer_contribution,employee_contribution,paid_on'; column 1 differs (or the header row is missing)"].assert_eq(&error.to_string());
    let error = read_remittances(&b""[..], "mpf.csv", &context, |_| {}).unwrap_err();
    assert!(matches!(error, ArrearsError::Empty { .. }));
    expect!["mpf.csv: the file is empty; expected the header 'employer_id,employee_id,employee_name,period_start,period_end,relevant_income,employer_contribution,employee_contribution,paid_on'"].assert_eq(&error.to_string());
    // Blank lines are no header either, and no empty file.
    let error = read_remittances(&b"\r\n\n"[..], "mpf.csv", &context, |_| {}).unwrap_err();
    assert!(
        matches!(error, ArrearsError::Header { column: 1, .. }),
        "{error}"
    );
    // A byte-order mark before the header is fine.
    let with_bom = format!("\u{feff}{REMITTANCE_HEADER}");
    read_remittances(with_bom.as_bytes(), "mpf.csv", &context, |_| {}).unwrap();
}
