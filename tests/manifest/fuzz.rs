//! The loader never panics, whatever the bytes: random bytes, YAML-shaped token soup, and the
//! example manifests with flipped bytes, cut short or with lines moved. Problems it finds must
//! also render in every format without panicking.

use proptest::prelude::*;

use scoville::manifest;

/// The example manifests as (name, contents).
fn acme_files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir("examples/acme")
        .expect("examples/acme")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&path).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// Loads the example set with file `index` replaced by `bytes`, through the file system so
/// the byte-level path (UTF-8 checks, BOM) is exercised too.
fn load_with(index: usize, bytes: &[u8]) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let files = acme_files();
    for (i, (name, contents)) in files.iter().enumerate() {
        let contents = if i == index % files.len() {
            bytes
        } else {
            contents
        };
        std::fs::write(dir.path().join(name), contents).expect("write");
    }
    if let Err(diagnostics) = manifest::load(&[dir.path().to_path_buf()]) {
        assert!(!diagnostics.is_empty());
        let _ = diagnostics.render_text();
        let _ = diagnostics.render_github();
        let _ = diagnostics.render_json();
    }
}

/// Loads one text on its own, without the file system.
fn load_text(text: String) {
    if let Err(diagnostics) = manifest::load_texts(&[("fuzz.yaml".to_string(), text)]) {
        assert!(!diagnostics.is_empty());
        let _ = diagnostics.render_text();
        let _ = diagnostics.render_github();
        let _ = diagnostics.render_json();
    }
}

const TOKENS: &[&str] = &[
    "\n",
    "\n  ",
    "\n    ",
    "\n      ",
    "  ",
    " ",
    "- ",
    ": ",
    ":",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "#",
    "\"",
    "'",
    "&a ",
    "*a",
    "<<: ",
    "!!str ",
    "---\n",
    "~",
    "null",
    "true",
    "0",
    "-1",
    "10001",
    "1e999",
    ".nan",
    "0x1F",
    "org",
    "tenant",
    "policy",
    "prune",
    "\"*\"",
    "teams",
    "users",
    "workspaces",
    "members",
    "distributions",
    "rules",
    "settings",
    "team",
    "weights",
    "record",
    "meeting",
    "conversation",
    "handling",
    "type",
    "Strict",
    "all",
    "any",
    "field",
    "isAnyOf",
    "notEmpty",
    "ownership",
    "previously",
    "recreate",
    "ignore",
    "object",
    "a@b.example",
    "ava.thompson@acme.example",
    "Sales",
    "SF.Lead.Country",
    "é",
    "\t",
    "\r\n",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..120).prop_map(|tokens| tokens.concat())
}

/// An edit of one example file.
#[derive(Debug, Clone)]
enum Edit {
    FlipByte { at: usize, to: u8 },
    Truncate { at: usize },
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, to)| Edit::FlipByte { at, to }),
        any::<usize>().prop_map(|at| Edit::Truncate { at }),
        (any::<usize>(), 1..40usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), 1..80usize).prop_map(|(at, len)| Edit::Duplicate { at, len }),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    if bytes.is_empty() {
        return;
    }
    let n = bytes.len();
    match *edit {
        Edit::FlipByte { at, to } => bytes[at % n] = to,
        Edit::Truncate { at } => bytes.truncate(at % n),
        Edit::Delete { at, len } => {
            let start = at % n;
            bytes.drain(start..(start + len).min(n));
        }
        Edit::Duplicate { at, len } => {
            let start = at % n;
            let piece: Vec<u8> = bytes[start..(start + len).min(n)].to_vec();
            bytes.splice(start..start, piece);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn token_soup_does_not_panic(text in token_soup()) {
        load_text(text);
    }

    #[test]
    fn random_text_does_not_panic(text in "(?s).{0,400}") {
        load_text(text);
    }
}

// These go through the file system, so fewer cases.
proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_do_not_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), index in 0usize..5) {
        load_with(index, &bytes);
    }

    #[test]
    fn mutated_examples_do_not_panic(index in 0usize..5, edits in prop::collection::vec(edit(), 1..6)) {
        let files = acme_files();
        let mut bytes = files[index % files.len()].1.clone();
        for edit in &edits {
            apply(&mut bytes, edit);
        }
        load_with(index, &bytes);
    }
}

/// Shapes that once looked risky: deep nesting, aliases, huge numbers, a lone BOM.
#[test]
fn awkward_inputs_are_problems_not_panics() {
    let deep = format!("users: {}{}", "[".repeat(300), "]".repeat(300));
    let inputs = [
        deep,
        "a: &x [*x]\n".to_string(),
        "users: {a@b.example: {licenses: &l [distro]}, c@d.example: {licenses: *l}}\n".to_string(),
        "workspaces:\n  S:\n    distributions:\n      D:\n        team: t\n        weights: {a@b.example: 99999999999999999999999}\n".to_string(),
        "\u{feff}".to_string(),
        "users:\n  ? [a, b]\n  : {}\n".to_string(),
        "workspaces: {S: {rules: {R: {all: [{all: [{all: [{any: []}]}]}]}}}}\n".to_string(),
    ];
    for input in inputs {
        load_text(input);
    }
}
