use domain::{IscoCode, IscoLevel};
use talent::isco::{read_isco_structure, read_isco_structure_from, render_domain_table};

use crate::support::{data, ilo_index};

#[test]
fn isco08_table_in_domain_is_the_ilo_structure_file() {
    let entries = read_isco_structure(&data("isco/ilo_isco08_structure_and_definitions_en.xlsx"))
        .expect("the ILO structure file reads");
    assert_eq!(entries.len(), 619);
    expect_test::expect_file!["../../../domain/src/occupation/isco08.rs"]
        .assert_eq(&render_domain_table(&entries));
}

#[test]
fn the_427_scored_occupations_carry_the_structure_titles() {
    let index = ilo_index();
    assert_eq!(index.occupations.len(), 427);
    let mismatched: Vec<_> = index
        .occupations
        .iter()
        .filter(|occupation| {
            occupation
                .title
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                != occupation.code.title_en()
        })
        .map(|occupation| occupation.code.code())
        .collect();
    assert_eq!(mismatched, Vec::<&str>::new());
    let unscored: Vec<_> = IscoCode::at_level(IscoLevel::Unit)
        .filter(|code| index.occupation(*code).is_none())
        .map(IscoCode::code)
        .collect();
    assert_eq!(
        unscored,
        [
            "0110", "0210", "0310", "1439", "3139", "3435", "5249", "7319", "8189"
        ]
    );
}

#[test]
fn a_broken_structure_file_names_the_file() {
    let error = read_isco_structure_from("structure.xlsx", &b"not a workbook"[..]).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("structure.xlsx: not a readable workbook"),
        "{error}"
    );
}
