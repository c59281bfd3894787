//! Keyed pseudonyms: stable, key-dependent, normalising, never leaking the value.

use expect_test::expect;
use labour_law::{Hkid, LabourLawError, PseudonymKind, Pseudonymiser};

const KEY: &[u8] = b"lmo-test-key-0123456789abcdef";

fn pseudonymiser() -> Pseudonymiser {
    Pseudonymiser::new(KEY).unwrap()
}

#[test]
fn known_values_are_stable() {
    // Stored pseudonyms are join keys, so the derivation must never change silently. The
    // values were computed independently with Python's hmac/hashlib over
    // b"hkid\0A123456(3)" and b"name\0chan tai man".
    let p = pseudonymiser();
    let hkid = p.pseudonym(PseudonymKind::Hkid, "a1234563").unwrap();
    let name = p
        .pseudonym(PseudonymKind::Name, "  CHAN   Tai\u{3000}Man ")
        .unwrap();
    let chinese = p.name("陳 大文").unwrap();
    expect![[r#"

        p_5701612538eb3990baac1b5b1f5b15f4
        p_c72e52fd38c7154fd3459181943890eb
        p_c8588244016415c3734d7c1b8f53933e"#]]
    .assert_eq(&format!("\n{hkid}\n{name}\n{chinese}"));
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
fn names_differing_in_spacing_or_case_share_a_pseudonym() {
    let p = pseudonymiser();
    let reference = p.name("Chan Tai Man").unwrap();
    for variant in [
        "CHAN TAI MAN",
        "  chan\ttai  man ",
        "Chan\u{3000}Tai Man",
        "chan tai\nman",
    ] {
        assert_eq!(p.name(variant).unwrap(), reference, "{variant:?}");
    }
    assert_ne!(p.name("Chan Taiman").unwrap(), reference);
    assert_eq!(p.name(" \t ").unwrap_err(), LabourLawError::EmptyName);
}

#[test]
fn kinds_are_separated() {
    // The same text as an HKID and as a name must not collide.
    let p = pseudonymiser();
    assert_ne!(
        p.pseudonym(PseudonymKind::Hkid, "A123456(3)").unwrap(),
        p.pseudonym(PseudonymKind::Name, "A123456(3)").unwrap()
    );
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
    assert!(
        pseudonymiser()
            .pseudonym(PseudonymKind::Hkid, "A123456(4)")
            .is_err()
    );
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
fn short_and_long_values_are_the_same_hmac() {
    // Short messages take a two-compression path, long ones the `hmac` crate: both must be
    // HMAC-SHA256 over `kind NUL value`, at every length around one SHA-256 block.
    use std::fmt::Write as _;

    use hmac::{Hmac, KeyInit, Mac};
    let expected = |value: &str| {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(KEY).unwrap();
        mac.update(b"name\0");
        mac.update(value.as_bytes());
        let bytes = mac.finalize().into_bytes();
        let hex = bytes[..16].iter().fold(String::new(), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        });
        format!("p_{hex}")
    };
    for length in [1, 49, 50, 51, 55, 64, 200] {
        let name = "x".repeat(length);
        assert_eq!(
            pseudonymiser().name(&name).unwrap().to_string(),
            expected(&name),
            "length {length}"
        );
    }
}
