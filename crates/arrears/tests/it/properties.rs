//! Property tests: whatever the non-personal cells hold, a row is one record or one reject,
//! nothing panics, and the HKID and name of the row never appear in the output.

use std::fmt::Write as _;

use arrears::{Law, ParseContext, Parsed, read_register, read_remittances};
use labour_law::Pseudonymiser;
use proptest::prelude::*;

use crate::support::{KEY, REGISTER_HEADER, REMITTANCE_HEADER, as_of, employer_row, hkid};

/// Cells of digits, dots, dashes and slashes (no letters, so they cannot spell the name).
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9./-]{0,12}",
        Just("2025-06-01".to_owned()),
        Just("2025-06-30".to_owned()),
        Just("20000.00".to_owned()),
        Just("1000.00".to_owned()),
        Just(String::new()),
    ]
}

proptest! {
    #[test]
    fn any_row_is_one_record_or_one_reject_and_never_leaks(
        cells in proptest::collection::vec(cell(), 6),
        digits in 0u32..1_000_000,
        employer_known in any::<bool>(),
    ) {
        let id = hkid(&format!("Q{digits:06}"));
        let name = "Zyxw Qvut";
        let employer = if employer_known { "E01" } else { "E02" };
        let row = format!(
            "{employer},{id},{name},{}\n",
            cells.join(",")
        );
        let register_text = format!("{REGISTER_HEADER}{}", employer_row("E01", 3));
        let (register, _) = read_register(register_text.as_bytes(), "r.csv", |_| {}).unwrap();
        let pseudonymiser = Pseudonymiser::new(KEY).unwrap();
        let context = ParseContext {
            pseudonymiser: &pseudonymiser,
            as_of: as_of(),
            register: &register,
            law: Law::hong_kong(),
        };
        let text = format!("{REMITTANCE_HEADER}{row}");
        let mut output = String::new();
        let mut items = 0;
        let summary = read_remittances(text.as_bytes(), "mpf.csv", &context, |parsed| {
            items += 1;
            match parsed {
                Parsed::Record(record) => write!(output, "{record:?}").unwrap(),
                Parsed::Reject(reject) => write!(output, "{reject} {} {reject:?}", reject.raw).unwrap(),
            }
        })
        .unwrap();
        prop_assert_eq!(items, 1);
        prop_assert_eq!(summary.rows_read, 1);
        let bare = id.replace(['(', ')'], "");
        prop_assert!(!output.contains(&id));
        prop_assert!(!output.contains(&bare));
        prop_assert!(!output.to_lowercase().contains(&name.to_lowercase()));
    }
}
