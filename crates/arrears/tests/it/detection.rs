//! Each kind of default is found, with its amounts, its reasons and its place in the ranking.

use arrears::{RowStatus, assess_payroll, assess_remittance};
use expect_test::expect;

use crate::support::{Inputs, employer_row, mpf_row, pay_row, ranked, ranked_as_of, run};

/// One employer per kind: the June contribution day is Thursday 10 July 2025 and the wage
/// deadline Monday 7 July 2025; the run is as of 31 July.
fn one_employer_per_kind() -> Inputs {
    let mut inputs = Inputs::default();
    for id in [
        "E01", "E02", "E03", "E04", "E05", "E06", "E07", "E08", "E09", "E10",
    ] {
        inputs.register.push_str(&employer_row(id, 20));
    }
    let on_time_pay = |employer: &str, worker| {
        pay_row(
            employer,
            worker,
            "20000.00",
            "20000.00",
            "2025-07-07",
            "176",
        )
    };
    let on_time_mpf = |employer: &str, worker| mpf_row(employer, worker, "1000.00", "2025-07-10");
    // E01 MPF unpaid; E02 MPF paid 5 days late; E03 MPF short by HK$100.
    inputs
        .remittances
        .push_str(&mpf_row("E01", 1, "1000.00", ""));
    inputs
        .remittances
        .push_str(&mpf_row("E02", 2, "1000.00", "2025-07-15"));
    inputs
        .remittances
        .push_str(&mpf_row("E03", 3, "900.00", "2025-07-08"));
    inputs.payroll.push_str(&on_time_pay("E01", 1));
    inputs.payroll.push_str(&on_time_pay("E02", 2));
    inputs.payroll.push_str(&on_time_pay("E03", 3));
    // E04 wages 3 days late; E05 unpaid; E06 short by HK$5,000; E07 HK$7,000 for 176 hours
    // (HK$39.77 an hour, below HK$42.10: owed the rest of HK$7,409.60).
    for worker in 4..=7 {
        inputs
            .remittances
            .push_str(&on_time_mpf(&format!("E0{worker}"), worker));
    }
    inputs.payroll.push_str(&pay_row(
        "E04",
        4,
        "20000.00",
        "20000.00",
        "2025-07-10",
        "176",
    ));
    inputs
        .payroll
        .push_str(&pay_row("E05", 5, "20000.00", "0.00", "", "176"));
    inputs.payroll.push_str(&pay_row(
        "E06",
        6,
        "20000.00",
        "15000.00",
        "2025-07-05",
        "176",
    ));
    inputs.payroll.push_str(&pay_row(
        "E07",
        7,
        "7000.00",
        "7000.00",
        "2025-07-05",
        "176",
    ));
    // E08 all on time, paid on the very deadlines: not listed.
    inputs.remittances.push_str(&on_time_mpf("E08", 8));
    inputs.payroll.push_str(&on_time_pay("E08", 8));
    // E09 a report and no data; E10 a report and unpaid MPF.
    inputs
        .reports
        .push_str("E09,2025-07-20,3,60000.00,union,wages of June not paid\n");
    inputs
        .reports
        .push_str("E10,2025-07-20,1,2000.00,hotline,MPF not paid\n");
    inputs
        .remittances
        .push_str(&mpf_row("E10", 10, "1000.00", ""));
    inputs
}

#[test]
fn each_kind_of_default_is_found_with_its_reason() {
    let run = run(&one_employer_per_kind());
    assert!(run.rejects.is_empty(), "{:?}", run.rejects);
    expect![[r#"
        E05 yellow workers=1 arrears=20000.00 surcharge=0.00 late=0 months=1 [wages_unpaid] wages unpaid more than 7 days after the wage period
        E06 yellow workers=1 arrears=5000.00 surcharge=0.00 late=0 months=1 [wages_short] wages paid short of wages due
        E01 yellow workers=1 arrears=2000.00 surcharge=100.00 late=0 months=1 [mpf_unpaid] MPF contributions unpaid after the contribution day
        E10 yellow workers=1 arrears=2000.00 surcharge=100.00 late=0 months=1 [mpf_unpaid] MPF contributions unpaid after the contribution day; worker report confirmed by data
        E07 yellow workers=1 arrears=409.60 surcharge=0.00 late=0 months=1 [below_minimum_wage] pay below the statutory minimum wage
        E03 yellow workers=1 arrears=100.00 surcharge=5.00 late=0 months=1 [mpf_short] MPF contributions below the mandatory amount
        E02 yellow workers=1 arrears=0.00 surcharge=100.00 late=5 months=1 [mpf_late] MPF contributions paid after the contribution day
        E04 yellow workers=1 arrears=0.00 surcharge=0.00 late=3 months=1 [wages_late] wages paid more than 7 days after the wage period
        E09 yellow workers=0 arrears=0.00 surcharge=0.00 late=0 months=0 [report_without_data] worker report, not yet confirmed by data
    "#]]
    .assert_eq(&ranked(&run.detection));
}

#[test]
fn reasons_are_bilingual() {
    let run = run(&one_employer_per_kind());
    let e09 = run
        .detection
        .employers
        .iter()
        .find(|employer| employer.employer_id == "E09")
        .unwrap();
    let texts: Vec<String> = e09
        .reasons
        .iter()
        .map(|reason| format!("{} | {} | {}", reason.as_str(), reason.en(), reason.zh()))
        .collect();
    expect![[r#"
        [
            "report_unconfirmed | worker report, not yet confirmed by data | 工人舉報，尚未獲數據證實",
        ]
    "#]]
    .assert_debug_eq(&texts);
}

#[test]
fn nothing_is_due_before_the_deadlines() {
    // Unpaid MPF and unpaid wages of June: the wages are overdue from 8 July (deadline
    // 7 July), the MPF only from 11 July (contribution day 10 July).
    let mut inputs = Inputs::default();
    inputs.register.push_str(&employer_row("E01", 5));
    inputs
        .remittances
        .push_str(&mpf_row("E01", 1, "1000.00", ""));
    inputs
        .payroll
        .push_str(&pay_row("E01", 1, "20000.00", "0.00", "", "176"));
    let at = |day: &str| ranked_as_of(&inputs, day);
    expect![[r#""#]].assert_eq(&at("2025-07-07"));
    expect![[r#"
        E01 yellow workers=1 arrears=20000.00 surcharge=0.00 late=0 months=1 [wages_unpaid] wages unpaid more than 7 days after the wage period
    "#]].assert_eq(&at("2025-07-08"));
    expect![[r#"
        E01 yellow workers=1 arrears=20000.00 surcharge=0.00 late=0 months=1 [wages_unpaid] wages unpaid more than 7 days after the wage period
    "#]].assert_eq(&at("2025-07-10"));
    expect![[r#"
        E01 yellow workers=1 arrears=22000.00 surcharge=100.00 late=0 months=1 [mpf_unpaid wages_unpaid] MPF contributions unpaid after the contribution day; wages unpaid more than 7 days after the wage period
    "#]].assert_eq(&at("2025-07-11"));
}

#[test]
fn a_worker_paid_both_late_and_short_counts_once() {
    let mut inputs = Inputs::default();
    inputs.register.push_str(&employer_row("E01", 5));
    inputs
        .remittances
        .push_str(&mpf_row("E01", 1, "500.00", "2025-07-20"));
    inputs
        .payroll
        .push_str(&pay_row("E01", 1, "20000.00", "0.00", "", ""));
    let run = run(&inputs);
    expect![[r#"
        E01 yellow workers=1 arrears=20500.00 surcharge=100.00 late=10 months=1 [mpf_late mpf_short wages_unpaid] MPF contributions paid after the contribution day; MPF contributions below the mandatory amount; wages unpaid more than 7 days after the wage period
    "#]]
    .assert_eq(&ranked(&run.detection));
}

#[test]
fn pay_below_the_minimum_wage_is_owed_up_to_it_once_the_wages_are_due() {
    // 176 hours at HK$42.10 (June 2025) make a minimum wage of HK$7,409.60.
    let mut inputs = Inputs::default();
    inputs.register.push_str(&employer_row("E01", 5));
    // Agreed HK$7,000, paid HK$6,500: short of the agreement by HK$500 and of the minimum
    // wage by HK$909.60, which is what is owed.
    inputs.payroll.push_str(&pay_row(
        "E01",
        1,
        "7000.00",
        "6500.00",
        "2025-07-05",
        "176",
    ));
    // Agreed and paid exactly the minimum wage; and no hours recorded, so no minimum to
    // judge by: neither is a default.
    inputs.payroll.push_str(&pay_row(
        "E01",
        2,
        "7409.60",
        "7409.60",
        "2025-07-05",
        "176",
    ));
    inputs
        .payroll
        .push_str(&pay_row("E01", 3, "7000.00", "7000.00", "2025-07-05", ""));
    let at = |day: &str| ranked_as_of(&inputs, day);
    // Before the wage deadline (7 July) the pay is already below the minimum, but nothing is
    // owed yet.
    expect![[r#"
        E01 yellow workers=1 arrears=0.00 surcharge=0.00 late=0 months=1 [below_minimum_wage] pay below the statutory minimum wage
    "#]].assert_eq(&at("2025-07-07"));
    expect![[r#"
        E01 yellow workers=1 arrears=909.60 surcharge=0.00 late=0 months=1 [wages_short below_minimum_wage] wages paid short of wages due; pay below the statutory minimum wage
    "#]].assert_eq(&at("2025-07-08"));
}

#[test]
fn row_verdicts_follow_the_legal_deadlines() {
    // Checked through the public per-row functions the CLI uses for case detail.
    let inputs = one_employer_per_kind();
    let run = run(&inputs);
    assert!(run.rejects.is_empty());
    let pseudonymiser = labour_law::Pseudonymiser::new(crate::support::KEY).unwrap();
    let register_text = format!("{}{}", crate::support::REGISTER_HEADER, inputs.register);
    let (register, _) = arrears::read_register(register_text.as_bytes(), "r.csv", |_| {}).unwrap();
    let context = arrears::ParseContext {
        pseudonymiser: &pseudonymiser,
        as_of: crate::support::as_of(),
        register: &register,
        law: arrears::Law::hong_kong(),
    };
    let mut statuses = Vec::new();
    let text = format!(
        "{}{}",
        crate::support::REMITTANCE_HEADER,
        inputs.remittances
    );
    arrears::read_remittances(text.as_bytes(), "m.csv", &context, |parsed| {
        if let arrears::Parsed::Record(row) = parsed {
            let verdict = assess_remittance(&row, context.as_of);
            statuses.push(format!(
                "mpf line {}: {:?} due {} by {} late {}",
                row.line, verdict.status, verdict.due, verdict.contribution_day, verdict.days_late
            ));
        }
    })
    .unwrap();
    let text = format!("{}{}", crate::support::PAYROLL_HEADER, inputs.payroll);
    arrears::read_payroll(text.as_bytes(), "p.csv", &context, |parsed| {
        if let arrears::Parsed::Record(row) = parsed {
            let verdict = assess_payroll(&row, context.as_of);
            statuses.push(format!(
                "pay line {}: {:?} by {} late {} below minimum {}",
                row.line,
                verdict.status,
                verdict.due_by,
                verdict.days_late,
                verdict.below_minimum_wage
            ));
        }
    })
    .unwrap();
    assert!(
        statuses
            .iter()
            .any(|s| s.contains(&format!("{:?}", RowStatus::OnTime)))
    );
    expect![[r#"
        mpf line 2: Unpaid due 2000.00 by 2025-07-10 late 0
        mpf line 3: Late due 2000.00 by 2025-07-10 late 5
        mpf line 4: Short due 2000.00 by 2025-07-10 late 0
        mpf line 5: OnTime due 2000.00 by 2025-07-10 late 0
        mpf line 6: OnTime due 2000.00 by 2025-07-10 late 0
        mpf line 7: OnTime due 2000.00 by 2025-07-10 late 0
        mpf line 8: OnTime due 2000.00 by 2025-07-10 late 0
        mpf line 9: OnTime due 2000.00 by 2025-07-10 late 0
        mpf line 10: Unpaid due 2000.00 by 2025-07-10 late 0
        pay line 2: OnTime by 2025-07-07 late 0 below minimum false
        pay line 3: OnTime by 2025-07-07 late 0 below minimum false
        pay line 4: OnTime by 2025-07-07 late 0 below minimum false
        pay line 5: Late by 2025-07-07 late 3 below minimum false
        pay line 6: Unpaid by 2025-07-07 late 0 below minimum false
        pay line 7: Short by 2025-07-07 late 0 below minimum false
        pay line 8: OnTime by 2025-07-07 late 0 below minimum true
        pay line 9: OnTime by 2025-07-07 late 0 below minimum false
    "#]]
    .assert_eq(&(statuses.join("\n") + "\n"));
}

#[test]
fn a_black_rainstorm_on_the_tenth_moves_the_contribution_day() {
    let closures_file = "date,warning\n2025-07-10,black-rainstorm\n2025-07-10,gale\n2025-07-1x,gale\n2025-07-14,typhoon\n";
    let mut rejects = Vec::new();
    let (closures, summary) =
        arrears::read_closures(closures_file.as_bytes(), "closures.csv", |reject| {
            rejects.push(reject.to_string());
        })
        .unwrap();
    assert_eq!(summary.records, 2);
    expect![[r#"
        [
            "closures.csv:4:1 (column 'date'): not a date (expected YYYY-MM-DD)",
            "closures.csv:5:2 (column 'warning'): not a closing warning (expected gale or black-rainstorm)",
        ]
    "#]]
    .assert_debug_eq(&rejects);

    let pseudonymiser = labour_law::Pseudonymiser::new(crate::support::KEY).unwrap();
    let register_text = format!(
        "{}E01,Example Ltd,F,Kwun Tong,20\n",
        crate::support::REGISTER_HEADER
    );
    let (register, _) = arrears::read_register(register_text.as_bytes(), "r.csv", |_| {}).unwrap();
    let verdicts = |closures: &[labour_law::Date]| {
        let context = arrears::ParseContext {
            pseudonymiser: &pseudonymiser,
            as_of: crate::support::as_of(),
            register: &register,
            law: arrears::Law {
                closures,
                ..arrears::Law::hong_kong()
            },
        };
        let text = format!(
            "{}E01,A123456(3),Chan Tai Man,2025-06-01,2025-06-30,20000.00,1000.00,1000.00,2025-07-11\n",
            crate::support::REMITTANCE_HEADER
        );
        let mut out = Vec::new();
        arrears::read_remittances(text.as_bytes(), "m.csv", &context, |parsed| {
            if let arrears::Parsed::Record(row) = parsed {
                let verdict = assess_remittance(&row, context.as_of);
                out.push((verdict.contribution_day.to_string(), verdict.status));
            }
        })
        .unwrap();
        out
    };
    // Paid on Friday 11 July: a day late without the closure, on time with it.
    assert_eq!(verdicts(&[]), [("2025-07-10".to_owned(), RowStatus::Late)]);
    assert_eq!(
        verdicts(&closures),
        [("2025-07-11".to_owned(), RowStatus::OnTime)]
    );
}
