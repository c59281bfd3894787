//! HKID parsing and check digits. Every id here is a specimen or was constructed by
//! computing its check digit; none belongs to a person as far as the authors know.

use labour_law::{Hkid, HkidProblem, LabourLawError};
use proptest::prelude::*;

#[test]
fn accepts_the_specimen_and_its_spellings() {
    // A123456(3) is the example of the scheme in public descriptions of it.
    let canonical = Hkid::parse("A123456(3)").unwrap();
    for text in ["A1234563", "a123456(3)", "a1234563", "  A123456(3)\t"] {
        assert_eq!(Hkid::parse(text).unwrap(), canonical, "{text:?}");
    }
}

#[test]
fn check_digits_of_constructed_ids() {
    // Computed independently (Python) from the published scheme: one letter with the
    // implicit space, two letters, and the `A` (10) and `0` (11) cases.
    for text in [
        "XA000000(8)",
        "B000000(6)",
        "Z999999(0)",
        "M000001(4)",
        "WX123450(A)",
        "G100002(A)",
        "G100007(0)",
        "K020202(9)",
    ] {
        assert!(Hkid::parse(text).is_ok(), "{text} rejected");
    }
}

#[test]
fn a_wrong_check_digit_is_rejected_without_saying_the_right_one() {
    let error = Hkid::parse("A123456(4)").unwrap_err();
    assert_eq!(error, LabourLawError::Hkid(HkidProblem::CheckDigit));
    assert_eq!(error.to_string(), "not an HKID: check digit does not match");
}

#[test]
fn bad_shapes_are_rejected() {
    for text in [
        "",
        "A12345(3)",
        "A1234567(3)",
        "ABC123456(3)",
        "1123456(3)",
        "A123456(B)",
        "A123456(3",
        "A123456()",
        "A 123456(3)",
        "A123456[3]",
        "Ａ123456(3)",
        "(3)",
    ] {
        assert_eq!(
            Hkid::parse(text).unwrap_err(),
            LabourLawError::Hkid(HkidProblem::Shape),
            "{text:?}"
        );
    }
}

#[test]
fn errors_and_debug_never_show_the_digits() {
    let id = Hkid::parse("WX123450(A)").unwrap();
    assert_eq!(format!("{id:?}"), "Hkid(WX******(*))");
    assert_eq!(
        format!("{:?}", Hkid::parse("A123456(3)").unwrap()),
        "Hkid(A******(*))"
    );
    for text in ["K020202(8)", "K02020(9)", "K0202028"] {
        let message = Hkid::parse(text).unwrap_err().to_string();
        assert!(!message.contains("0202"), "{message}");
    }
}

proptest! {
    /// Of the eleven possible check characters exactly one is accepted.
    #[test]
    fn exactly_one_check_digit_fits(prefix in "[A-Z]{1,2}", digits in "[0-9]{6}") {
        let accepted = "0123456789A"
            .chars()
            .filter(|check| Hkid::parse(&format!("{prefix}{digits}({check})")).is_ok())
            .count();
        prop_assert_eq!(accepted, 1);
    }

    #[test]
    fn debug_never_contains_the_digits(prefix in "[A-Z]{1,2}", digits in "[0-9]{6}") {
        for check in "0123456789A".chars() {
            if let Ok(id) = Hkid::parse(&format!("{prefix}{digits}({check})")) {
                let debug = format!("{id:?}");
                prop_assert!(!debug.contains(&digits));
            }
        }
    }
}
