//! The layering of ARCHITECTURE.md, enforced: a crate depends only on crates in layers
//! below its own, and only the store reaches a database.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The layers listed in ARCHITECTURE.md's `layers` block, top first.
fn layers() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(workspace_root().join("ARCHITECTURE.md")).unwrap();
    let block = text
        .split("```layers\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("ARCHITECTURE.md has a ```layers block");
    block
        .lines()
        .map(|line| {
            line.split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|layer| !layer.is_empty())
        .collect()
}

/// Every crate of the workspace with the names of its (non-dev) dependencies.
fn crates() -> BTreeMap<String, BTreeSet<String>> {
    let mut crates = BTreeMap::new();
    for entry in std::fs::read_dir(workspace_root().join("crates")).unwrap() {
        let manifest = entry.unwrap().path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let manifest: toml::Table = toml::from_str(&text).unwrap();
        let name = manifest["package"]["name"].as_str().unwrap().to_owned();
        let dependencies = manifest
            .get("dependencies")
            .and_then(toml::Value::as_table)
            .map(|table| table.keys().cloned().collect())
            .unwrap_or_default();
        crates.insert(name, dependencies);
    }
    crates
}

#[test]
fn every_crate_depends_only_on_layers_below_its_own() {
    let layers = layers();
    let depth: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(depth, layer)| layer.iter().map(move |name| (name.as_str(), depth)))
        .collect();
    let crates = crates();
    let mut wrong = Vec::new();
    for (name, dependencies) in &crates {
        if name == "tidy" {
            continue;
        }
        let Some(&own) = depth.get(name.as_str()) else {
            wrong.push(format!(
                "crate {name} is missing from ARCHITECTURE.md's layers"
            ));
            continue;
        };
        for dependency in dependencies {
            match depth.get(dependency.as_str()) {
                Some(&theirs) if theirs <= own => wrong.push(format!(
                    "{name} depends on {dependency}, which is not in a layer below it"
                )),
                _ => {}
            }
        }
    }
    for name in depth.keys() {
        if !crates.contains_key(*name) {
            wrong.push(format!(
                "ARCHITECTURE.md lists {name}, which is not a crate"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn only_the_store_reaches_a_database() {
    let drivers = ["rusqlite", "postgres", "tokio-postgres", "sqlx"];
    let reaching: Vec<String> = crates()
        .into_iter()
        .filter(|(_, dependencies)| drivers.iter().any(|driver| dependencies.contains(*driver)))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(reaching, ["store"]);
}

#[test]
fn the_vocabulary_does_no_io_and_knows_no_format() {
    let domain = &crates()["domain"];
    for forbidden in [
        "serde",
        "serde_json",
        "csv",
        "calamine",
        "rusqlite",
        "postgres",
    ] {
        assert!(!domain.contains(forbidden), "domain depends on {forbidden}");
    }
}
