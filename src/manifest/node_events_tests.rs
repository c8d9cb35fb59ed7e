//! The fast path (`node_events.rs`) against serde-saphyr's: whenever the fast path gives a
//! tree, it is the tree serde-saphyr gives, positions and source texts included; it never
//! accepts a text serde-saphyr refuses. Checked on every YAML file of the repository, on a
//! synthetic org's manifests (which must all take the fast path, or loading is slow again), and
//! on generated documents full of scalars whose type is easy to get wrong.

use std::path::Path;

use proptest::prelude::*;

use super::node::parse_with_serde;
use super::node_events;

/// Compares the two ways on `text`; true when the fast path took it.
fn same_tree(text: &str) -> bool {
    match node_events::parse(text) {
        Some(fast) => {
            assert_eq!(
                Ok(fast),
                parse_with_serde(text),
                "the fast path differs on:\n{text}"
            );
            true
        }
        None => false,
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        {
            out.push(path);
        }
    }
}

#[test]
fn every_yaml_file_of_the_repository_reads_the_same_both_ways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["examples", "tests", "docs", ".github"] {
        yaml_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "found only {} YAML files", files.len());
    let mut fast = 0;
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        fast += usize::from(same_tree(&text));
    }
    // Most files are plain manifests; the rest (broken on purpose, anchors, tags) fall back.
    assert!(
        fast * 2 > files.len(),
        "only {fast} of {} files took the fast path",
        files.len()
    );
}

#[test]
fn a_synthetic_orgs_manifests_all_take_the_fast_path() {
    use crate::bench::synthetic::{Size, SyntheticOrg};
    let org = SyntheticOrg::generate(Size::Small, 7);
    for (name, text) in org.manifests().iter().chain(&org.variant(20).manifests) {
        assert!(same_tree(text), "{name} fell back to the slow path");
    }
}

#[test]
fn the_fast_path_leaves_what_it_cannot_reproduce_to_serde_saphyr() {
    for text in [
        "a: 1\na: 2\n",
        "base: &b {x: 1}\nother: *b\n",
        "<<: {x: 1}\ny: 2\n",
        "a: !!str 12\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "",
        "? [a, b]\n: c\n",
        "1: one\n",
        "a: 0x1F\n",
        "a: [1, 2\n",
        "a:\n\t- b\n",
    ] {
        assert!(node_events::parse(text).is_none(), "{text:?}");
    }
}

/// Plain scalars the fast path types itself, many of them close to another type.
const SURE: &[&str] = &[
    "0",
    "7",
    "-0",
    "-12",
    "120",
    "0.5",
    "-0.0",
    "10.25",
    "123456789012345678",
    "~",
    "null",
    "Null",
    "NULL",
    "true",
    "False",
    "TRUE",
    "yes",
    "off",
    "y",
    "2024-01-31",
    "09:30",
    "1:30",
    "a b",
    "ana@example.com",
    "1-2",
    "e5",
    "E",
    "x_y",
    "Inbound SDR",
    "ü",
    "Zoë",
    "a.b",
    "null_ish",
    "true!",
    "-e",
    "1e",
    "0.1.2",
    "1-e5",
    "a+b",
];

/// Plain scalars the fast path leaves to serde-saphyr.
const UNSURE: &[&str] = &[
    "007",
    "0x1F",
    "0o17",
    "0b101",
    "+1",
    "1_000",
    "1e3",
    "1E-3",
    "1e+5",
    "1.",
    ".5",
    "01.5",
    ".inf",
    "-.Inf",
    "+.INF",
    ".nan",
    "NaN",
    "inf",
    "Infinity",
    "nan",
    "12345678901234567890",
    "-9223372036854775808",
    "-",
    "--",
    "1.2.3",
    "0.1e2",
];

/// Quoted and block scalars, which are strings whatever they say.
const OTHER: &[&str] = &[
    "'007'",
    "\"true\"",
    "''",
    "\"\"",
    "'a: b'",
    "\"tab\\there\"",
];

#[derive(Debug, Clone)]
enum Doc {
    Scalar(String),
    Seq(Vec<Doc>),
    Map(Vec<(String, Doc)>),
    Flow(Vec<String>),
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => prop::sample::select(SURE).prop_map(str::to_string),
        1 => prop::sample::select(UNSURE).prop_map(str::to_string),
        3 => prop::sample::select(OTHER).prop_map(str::to_string),
        4 => "[a-z]{1,6}( [a-z]{1,4})?",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        30 => "[a-z]{1,3}",
        1 => prop::sample::select(&["'q'", "\"1\"", "true", "1", "null", "<<", "~", "a b"][..])
            .prop_map(str::to_string),
    ]
}

fn doc() -> impl Strategy<Value = Doc> {
    let leaf = prop_oneof![
        4 => scalar().prop_map(Doc::Scalar),
        1 => prop::collection::vec(scalar(), 0..4).prop_map(Doc::Flow),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..5).prop_map(Doc::Seq),
            prop::collection::vec((key(), inner), 1..5).prop_map(Doc::Map),
        ]
    })
}

/// Block YAML for `doc` at `indent`, after a key or a dash.
fn render(doc: &Doc, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match doc {
        Doc::Scalar(text) => {
            out.push(' ');
            out.push_str(text);
            out.push('\n');
        }
        Doc::Flow(items) => {
            out.push_str(" [");
            out.push_str(&items.join(", "));
            out.push_str("]\n");
        }
        Doc::Seq(items) => {
            out.push('\n');
            for item in items {
                out.push_str(&pad);
                out.push('-');
                render(item, indent + 2, out);
            }
        }
        Doc::Map(entries) => {
            out.push('\n');
            for (key, value) in entries {
                out.push_str(&pad);
                out.push_str(key);
                out.push(':');
                render(value, indent + 2, out);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn generated_documents_read_the_same_both_ways(
        entries in prop::collection::vec((key(), doc()), 1..6),
        comment in any::<bool>(),
        cut in any::<prop::sample::Index>(),
        insert in prop::sample::select(&["", ":", "\t", "- ", "'", "&x ", "*x", "#", "\n  "][..]),
    ) {
        let mut text = String::new();
        if comment {
            text.push_str("# generated\n");
        }
        render(&Doc::Map(entries), 0, &mut text);
        // The document as rendered, from its first line break on (the root mapping).
        let text = text.replacen('\n', "", usize::from(!comment));
        same_tree(&text);
        // And once more with something inserted at a random character boundary.
        let mut at = cut.index(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mutated = format!("{}{insert}{}", &text[..at], &text[at..]);
        same_tree(&mutated);
    }
}
