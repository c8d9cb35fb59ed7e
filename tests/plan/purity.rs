//! The pure modules stay pure: no HTTP client, no async runtime, no file writes, no clock, no
//! randomness in `plan/`, `model/`, `manifest/`, `render/` or `drift/` (house style: "purity is
//! checked, not hoped for"). Reading manifest files is the loader's job and allowed; the drift
//! report's "today" is passed in by the CLI.

use std::path::{Path, PathBuf};

const PURE_MODULES: [&str; 5] = [
    "src/plan",
    "src/model",
    "src/manifest",
    "src/render",
    "src/drift",
];

const FORBIDDEN: [(&str, &str); 12] = [
    ("reqwest", "an HTTP client"),
    ("std::net", "the network"),
    ("tokio", "the async runtime"),
    ("fs::write", "a file write"),
    ("File::create", "a file write"),
    ("OpenOptions", "a file write"),
    ("SystemTime", "the clock"),
    ("Instant::now", "the clock"),
    ("Timestamp::now", "the clock"),
    ("Zoned::now", "the clock"),
    ("std::env::var", "the environment"),
    ("rand::", "randomness"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn pure_modules_do_no_io_and_read_no_clock() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for module in PURE_MODULES {
        rust_files(&root.join(module), &mut files);
    }
    assert!(
        files.len() > 10,
        "found the sources ({} files)",
        files.len()
    );
    let mut violations = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            for (needle, what) in FORBIDDEN {
                if line.contains(needle) {
                    violations.push(format!(
                        "{}:{}: `{needle}` ({what}) in a pure module",
                        file.strip_prefix(root).unwrap().display(),
                        number + 1
                    ));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
