//! The operation table against Chili Piper's official material: every operation in `ops.rs`
//! must be in the official catalogue with the same method and path and not be deprecated there,
//! and an operation marked official must carry the permission the official extracts list.
//!
//! The official files live beside the checkout (`../shared/edge-api/official/gpts/`);
//! `SCOVILLE_EDGE_CATALOGUE` names another `edge-operations.yaml` (its directory holds the
//! extracts, one `<name>/openapi.yaml` each). `.ci/run` always sets it, so in CI these checks
//! run or fail. A clone without the official files beside it (a contributor's first
//! `cargo test`) skips them and says so on standard error, rather than failing on files the
//! repository does not ship.

use std::collections::BTreeMap;
use std::path::PathBuf;

use scoville::edge::ops::{self, Provenance};
use serde::Deserialize;

const CATALOGUE_VARIABLE: &str = "SCOVILLE_EDGE_CATALOGUE";

#[derive(Debug, Deserialize)]
struct Catalogue {
    #[serde(rename = "edgeVersion")]
    edge_version: String,
    operations: BTreeMap<String, CatalogueEntry>,
}

#[derive(Debug, Deserialize)]
struct CatalogueEntry {
    method: String,
    path: String,
    #[serde(default)]
    deprecated: bool,
    #[serde(default)]
    replacement: Option<String>,
}

/// The catalogue to check against, and whether it was asked for by `SCOVILLE_EDGE_CATALOGUE`.
fn catalogue_path() -> (PathBuf, bool) {
    match std::env::var_os(CATALOGUE_VARIABLE) {
        Some(path) => (PathBuf::from(path), true),
        None => (
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/edge-api/official/gpts/edge-operations.yaml"),
            false,
        ),
    }
}

/// The official catalogue, or `None` (after a note on standard error) when it was not asked
/// for and is not beside the checkout. Asked for and unreadable is a failure.
fn read_catalogue(test: &str) -> Option<(PathBuf, Catalogue)> {
    let (path, asked) = catalogue_path();
    if !asked && !path.exists() {
        // Written to the stderr handle, not with eprintln!, which the test harness captures
        // and shows only for failures: a skip must be seen.
        let note = format!(
            "note: {test} skipped: the official Edge API catalogue is not beside the checkout \
             ({}); set {CATALOGUE_VARIABLE} to its edge-operations.yaml to run it (.ci/run does)\n",
            path.display()
        );
        std::io::Write::write_all(&mut std::io::stderr(), note.as_bytes()).unwrap();
        return None;
    }
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "cannot read the official Edge API catalogue at {} ({error}): check out the shared \
             official files beside the repository, or set {CATALOGUE_VARIABLE} to the path of \
             edge-operations.yaml",
            path.display()
        )
    });
    let catalogue: Catalogue = serde_saphyr::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not the catalogue: {error}", path.display()));
    Some((path, catalogue))
}

#[test]
fn every_operation_is_in_the_official_catalogue_with_its_method_and_path() {
    let Some((path, catalogue)) =
        read_catalogue("every_operation_is_in_the_official_catalogue_with_its_method_and_path")
    else {
        return;
    };
    assert_eq!(catalogue.edge_version, "1.494.0", "{}", path.display());
    let mut problems = Vec::new();
    for op in ops::ALL {
        let Some(entry) = catalogue.operations.get(op.id) else {
            problems.push(format!("{}: not in the catalogue", op.id));
            continue;
        };
        if entry.deprecated {
            problems.push(format!(
                "{}: deprecated in the catalogue (replacement: {})",
                op.id,
                entry.replacement.as_deref().unwrap_or("none named")
            ));
        }
        if !entry.method.eq_ignore_ascii_case(op.method.as_str()) {
            problems.push(format!(
                "{}: method {} but the catalogue says {}",
                op.id,
                op.method.as_str(),
                entry.method
            ));
        }
        if entry.path != op.path {
            problems.push(format!(
                "{}: path {} but the catalogue says {}",
                op.id, op.path, entry.path
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Operation id to (method, path, permissions) of every operation some extract describes.
fn extract_operations(gpts: &std::path::Path) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut directories: Vec<_> = std::fs::read_dir(gpts)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", gpts.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("openapi.yaml"))
        .filter(|path| path.is_file())
        .collect();
    directories.sort();
    assert!(!directories.is_empty(), "no extracts in {}", gpts.display());
    for path in directories {
        let text = std::fs::read_to_string(&path).unwrap();
        let document: serde_json::Value = serde_saphyr::from_str(&text)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let Some(paths) = document["paths"].as_object() else {
            continue;
        };
        for operations in paths.values() {
            for operation in operations.as_object().into_iter().flat_map(|o| o.values()) {
                let Some(id) = operation["x-mcp-tool"].as_str() else {
                    continue;
                };
                let permissions: Vec<String> = operation["X-Chili-Required-Permissions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p.as_str().map(str::to_string))
                    .collect();
                found.entry(id.to_string()).or_insert(permissions);
            }
        }
    }
    found
}

#[test]
fn official_operations_carry_the_permissions_of_the_official_extracts() {
    let Some((path, _)) =
        read_catalogue("official_operations_carry_the_permissions_of_the_official_extracts")
    else {
        return;
    };
    let gpts = path.parent().expect("the catalogue is in a directory");
    let extracts = extract_operations(gpts);
    let mut problems = Vec::new();
    for op in ops::ALL {
        match (extracts.get(op.id), op.provenance) {
            (Some(permissions), _) if permissions.as_slice() != [op.permission] => {
                problems.push(format!(
                    "{}: permission {} but the extracts say {permissions:?}",
                    op.id, op.permission
                ));
            }
            (None, Provenance::Official) => problems.push(format!(
                "{}: marked official but no extract describes it; mark it not stated",
                op.id
            )),
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
