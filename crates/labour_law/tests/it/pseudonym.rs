//! Keyed pseudonyms of HKIDs: stable, key-dependent, never leaking the value.

use expect_test::expect;
use labour_law::{Hkid, Pseudonymiser};

const KEY: &[u8] = b"lmo-test-key-0123456789abcdef";

fn pseudonymiser() -> Pseudonymiser {
    Pseudonymiser::new(KEY).unwrap()
}

#[test]
fn known_values_are_stable() {
    // Stored pseudonyms are join keys, so the derivation must never change silently. The
    // value was computed independently with Python's hmac/hashlib over b"hkid\0A123456(3)".
    let p = pseudonymiser();
    let hkid = p.hkid(&Hkid::parse("a1234563").unwrap());
    expect![[r#"

        p_5701612538eb3990baac1b5b1f5b15f4"#]]
    .assert_eq(&format!("\n{hkid}"));
}

#[test]
fn same_key_and_value_give_the_same_pseudonym() {
    let id = Hkid::parse("A123456(3)").unwrap();
    assert_eq!(
        pseudonymiser().hkid(&id),
        Pseudonymiser::new(KEY).unwrap().hkid(&id)
    );
    assert_eq!(pseudonymiser().hkid(&id).to_string().len(), 2 + 32);
}

#[test]
fn a_different_key_gives_a_different_pseudonym() {
    let id = Hkid::parse("A123456(3)").unwrap();
    let other = Pseudonymiser::new(b"another-key-of-sufficient-length").unwrap();
    assert_ne!(pseudonymiser().hkid(&id), other.hkid(&id));
}

#[test]
fn short_keys_and_bad_hkids_are_rejected() {
    assert_eq!(
        Pseudonymiser::new(b"fifteen bytes!!")
            .unwrap_err()
            .to_string(),
        "a pseudonym key needs at least 16 bytes, this one has 15"
    );
    assert!(Pseudonymiser::new(b"sixteen bytes!!!").is_ok());
    assert!(Hkid::parse("A123456(4)").is_err());
}

#[test]
fn keys_of_one_repeated_character_or_white_space_are_refused() {
    for key in [
        "aaaaaaaaaaaaaaaa",
        "                ",
        "\t\t\t\t\n\n\n\n\r\r\r\r    ",
        "x x x x x x x x x x",
        "陳陳陳陳陳陳",
        "0000000000000000000000000000000000000000",
    ] {
        assert_eq!(
            Pseudonymiser::new(key.as_bytes()).unwrap_err(),
            labour_law::LabourLawError::KeyNotSecret,
            "{key:?}"
        );
    }
    // Two characters are enough to pass this check (length is checked on its own).
    assert!(Pseudonymiser::new(b"abababababababab").is_ok());
}

#[test]
fn debug_output_hides_key_and_values() {
    let p = pseudonymiser();
    let debug = format!("{p:?}");
    assert_eq!(debug, "Pseudonymiser { key: <redacted> }");
    let id = Hkid::parse("A123456(3)").unwrap();
    let pseudonym = p.hkid(&id);
    assert!(!format!("{pseudonym:?}{pseudonym}").contains("123456"));
}

#[test]
fn a_pseudonym_is_the_hmac_of_the_canonical_hkid() {
    // HMAC-SHA256 over `hkid NUL canonical HKID`, for HKIDs with one letter and with two.
    use std::fmt::Write as _;

    use hmac::{Hmac, KeyInit, Mac};
    let expected = |canonical: &str| {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(KEY).unwrap();
        mac.update(b"hkid\0");
        mac.update(canonical.as_bytes());
        let bytes = mac.finalize().into_bytes();
        let hex = bytes[..16].iter().fold(String::new(), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        });
        format!("p_{hex}")
    };
    for (typed, canonical) in [("a1234563", "A123456(3)"), ("wx123450a", "WX123450(A)")] {
        let hkid = Hkid::parse(typed).unwrap();
        assert_eq!(
            pseudonymiser().hkid(&hkid).to_string(),
            expected(canonical),
            "{typed}"
        );
    }
}
