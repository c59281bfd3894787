//! No HKID and no name from the input appears in anything the crate produces.

use std::fmt::Write as _;

use crate::support::{Inputs, bad_hkid, employer_row, hkid, run};

/// HKIDs and names as they appear in the files, and the other forms of the same ids.
struct Person {
    hkid: String,
    name: &'static str,
}

fn people() -> Vec<Person> {
    vec![
        Person {
            hkid: hkid("A123456"),
            name: "CHAN Tai Man",
        },
        Person {
            hkid: hkid("XA765432"),
            name: "陳大文",
        },
        Person {
            hkid: hkid("Z246813"),
            name: "Wong Siu Ming",
        },
        // Invalid ids: rejected, and still never shown.
        Person {
            hkid: bad_hkid("K135790"),
            name: "Lee Ka Yan",
        },
        Person {
            hkid: bad_hkid("M975310"),
            name: "Ho Mei Ling",
        },
    ]
}

#[test]
fn no_hkid_or_name_appears_in_records_rejects_messages_or_results() {
    let mut inputs = Inputs::default();
    inputs.register.push_str(&employer_row("E01", 30));
    for (index, person) in people().iter().enumerate() {
        let Person { hkid, name } = person;
        // A good row (or an invalid-HKID reject), then rows rejected for other reasons:
        // duplicate, negative amount, future date, unregistered employer, bad field count.
        for (employer, income, paid_on) in [
            ("E01", "20000.00", ""),
            ("E01", "20000.00", ""),
            ("E01", "-1.00", "2025-07-08"),
            ("E01", "20000.00", "2026-01-01"),
            ("E99", "20000.00", "2025-07-08"),
        ] {
            writeln!(
                inputs.remittances,
                "{employer},{hkid},{name},2025-06-01,2025-06-30,{income},1000.00,1000.00,{paid_on}"
            )
            .unwrap();
            writeln!(
                inputs.payroll,
                "{employer},{hkid},{name},2025-06-0{},2025-06-30,{income},0.00,{paid_on},176",
                1 + index % 2
            )
            .unwrap();
        }
        writeln!(inputs.payroll, "E01,{hkid},{name},2025-06-01").unwrap();
        writeln!(
            inputs.reports,
            "E01,2025-07-20,1,100.00,union,\"{name} {hkid}\""
        )
        .unwrap();
        writeln!(
            inputs.reports,
            "E01,2025-09-20,1,100.00,union,\"{name} {hkid}\""
        )
        .unwrap();
    }
    let run = run(&inputs);
    // The run did something: records, rejects of each kind, a listed employer.
    assert!(
        run.records_debug.lines().count() >= 6,
        "{}",
        run.records_debug
    );
    assert!(run.rejects.len() >= 30, "{}", run.rejects.len());
    assert_eq!(run.detection.employers.len(), 1);

    let mut everything = run.records_debug.clone();
    for reject in &run.rejects {
        writeln!(everything, "{reject}\n{}\n{reject:?}", reject.raw).unwrap();
    }
    writeln!(everything, "{:?}", run.detection).unwrap();
    let headerless = inputs.remittances.clone();
    let error = arrears::read_remittances(
        headerless.as_bytes(),
        "mpf.csv",
        &arrears::ParseContext {
            pseudonymiser: &labour_law::Pseudonymiser::new(crate::support::KEY).unwrap(),
            as_of: crate::support::as_of(),
            register: &arrears::Register::default(),
            law: arrears::Law::hong_kong(),
        },
        |_| {},
    )
    .unwrap_err();
    writeln!(everything, "{error}\n{error:?}").unwrap();

    let haystack = everything.to_lowercase();
    for Person { hkid, name } in people() {
        let digits: String = hkid.chars().filter(char::is_ascii_digit).take(6).collect();
        let bare = hkid.replace(['(', ')'], "");
        for needle in [hkid.clone(), bare, digits, name.to_owned()] {
            assert!(
                !haystack.contains(&needle.to_lowercase()),
                "'{needle}' appears in the output"
            );
        }
    }
    // The redaction marker shows where personal cells were.
    assert!(everything.contains(arrears::REDACTED));
}

#[test]
fn an_hkid_or_a_name_in_the_wrong_column_is_never_quoted() {
    let mut inputs = Inputs::default();
    inputs.register.push_str(&employer_row("E01", 30));
    let people = people();
    let [first, second, third, fourth, fifth] = &people[..] else {
        unreachable!()
    };
    let (a, b, c) = (&first.hkid, &second.hkid, &third.hkid);
    for row in [
        // An HKID in employer_id, and one with its name in the wrong order.
        format!(
            "{a},{b},{},2025-06-01,2025-06-30,20000.00,0.00,,176",
            second.name
        ),
        format!("E01,{c},{a},2025-06-01,2025-06-30,20000.00,0.00,,176"),
        // An HKID in hours_worked; a name in paid_on, in wages_due, in period_start.
        format!(
            "E01,{b},{},2025-06-01,2025-06-30,20000.00,0.00,,{c}",
            second.name
        ),
        format!(
            "E01,{c},{},2025-06-01,2025-06-30,20000.00,0.00,{},176",
            third.name, fourth.name
        ),
        format!(
            "E01,{a},{},2025-06-01,2025-06-30,{},0.00,,176",
            first.name, fifth.name
        ),
        format!(
            "E01,{a},{},{},2025-06-30,20000.00,0.00,,176",
            first.name, fourth.name
        ),
        // A name with an unquoted comma spills into the next cells.
        format!(
            "E01,{b},Chan, {},2025-06-01,2025-06-30,20000.00,0.00,,176",
            fifth.name
        ),
        format!("E01,{c},{},{}", third.name, fourth.name),
    ] {
        writeln!(inputs.payroll, "{row}").unwrap();
        // The same cells in a remittance row, one column to the left of hours.
        writeln!(
            inputs.remittances,
            "{}",
            row.replace(",0.00,,", ",1000.00,1000.00,")
        )
        .unwrap();
    }
    writeln!(
        inputs.reports,
        "{a},2025-07-20,1,100.00,union,\"{}\"",
        first.name
    )
    .unwrap();
    writeln!(
        inputs.reports,
        "E01,{},1,100.00,{},x",
        fourth.name, fifth.name
    )
    .unwrap();
    // An HKID with a wrong check digit where a level or an HSIC section belongs (the
    // register's and prior summaries' word columns).
    writeln!(inputs.register, "E02,Two Ltd,{},Kwun Tong,x", fourth.hkid).unwrap();
    writeln!(inputs.prior, "E01,2025-05,{},1,100.00", fifth.hkid).unwrap();
    let run = run(&inputs);
    assert!(run.rejects.len() >= 16, "{}", run.rejects.len());
    let mut everything = String::new();
    for reject in &run.rejects {
        writeln!(everything, "{reject}\n{}\n{reject:?}", reject.raw).unwrap();
    }
    let haystack = everything.to_lowercase();
    for Person { hkid, name } in people {
        let bare = hkid.replace(['(', ')'], "");
        let digits: String = hkid.chars().filter(char::is_ascii_digit).take(6).collect();
        for needle in [hkid.clone(), bare, digits, name.to_owned()] {
            assert!(
                !haystack.contains(&needle.to_lowercase()),
                "'{needle}' appears in a reject:\n{everything}"
            );
        }
        for part in name.split(' ').filter(|part| part.len() > 3) {
            assert!(
                !haystack.contains(&part.to_lowercase()),
                "'{part}' appears in a reject:\n{everything}"
            );
        }
    }
    // The rows are still located and explained: file, line, column and problem.
    assert!(
        everything.contains(
            "payroll.csv:2:1 (column 'employer_id'): the employer is not in the employer register"
        ),
        "{everything}"
    );
    assert!(
        everything.contains("payroll.csv:5:8 (column 'paid_on'): not a date"),
        "{everything}"
    );
}
