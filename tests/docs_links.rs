//! The documentation points only at things that exist: every relative Markdown link in the
//! repository's own `.md` files resolves, and so does every file or folder ARCHITECTURE.md
//! names in backticks.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The repository's Markdown files, outside `target/` and hidden folders.
fn markdown_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                markdown_files(&path, found);
            }
        } else if name.ends_with(".md") {
            found.push(path);
        }
    }
}

/// The targets of `[text](target)` links in `text`.
fn link_targets(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("](") {
        rest = &rest[start + 2..];
        if let Some(end) = rest.find(')') {
            targets.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    targets
}

#[test]
fn every_relative_markdown_link_resolves() {
    let mut files = Vec::new();
    markdown_files(root(), &mut files);
    assert!(files.len() > 5, "the docs are found");
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for target in link_targets(&text) {
            let path = target.split('#').next().unwrap_or_default();
            if path.is_empty() || path.contains("://") || path.starts_with("mailto:") {
                continue;
            }
            let resolved = file.parent().unwrap().join(path);
            if !resolved.exists() {
                broken.push(format!(
                    "{}: {target}",
                    file.strip_prefix(root()).unwrap().display()
                ));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// Backticked words of ARCHITECTURE.md that name a file or folder of the repository: with a
/// `/` or a file extension, and none of the characters of addresses, URLs or placeholders.
fn named_paths(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|word| {
            !word.contains([' ', ':', '<', '{', '*', '+', '('])
                && !word.starts_with(['/', '.'])
                && (word.contains('/') || word.ends_with(".rs") || word.ends_with(".md"))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn every_path_named_in_the_architecture_exists() {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let paths = named_paths(&text);
    assert!(paths.len() > 20, "the paths are found: {paths:?}");
    let missing: Vec<&String> = paths
        .iter()
        .filter(|path| {
            // Paths are relative to the root (`benches/scale/main.rs`), to src/ (`edge/ops.rs`),
            // or, inside a module's paragraph, to that module (`vocab.rs` of `model/`).
            let modules = std::fs::read_dir(root().join("src"))
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .filter(|module| module.is_dir());
            !root().join(path).exists()
                && !root().join("src").join(path).exists()
                && !modules.into_iter().any(|module| module.join(path).exists())
        })
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
}
