//! Finding and reading the files of a manifest set: directories are walked in sorted path
//! order, each file is parsed and decoded on its own, and the content hash covers every
//! file's name and bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::check::{self, DecodedFile, problem};
use super::diagnostic::{Diagnostic, Diagnostics};
use super::format::ManifestFile;
use super::node::{self, NodeDeserializer, Pos, Sink, Value};
use crate::model::Desired;

/// A file of the set.
struct Found {
    path: PathBuf,
    /// The path as shown in diagnostics and `Source`s.
    display: String,
    /// The name hashed into `content_hash`: relative to the directory given, so the hash
    /// does not depend on where scoville runs.
    hash_name: String,
    /// The manifest root the file must stay inside once links are resolved: the directory
    /// given, or the directory of a file given.
    root: PathBuf,
}

/// Loads a manifest set. Each path is a file or a directory (walked recursively for `*.yaml`
/// and `*.yml`, skipping names that start with `.`); an empty slice means the current
/// directory. Either the whole set is valid and `Desired` is returned, or every problem
/// found is returned.
pub fn load(paths: &[PathBuf]) -> Result<Desired, Diagnostics> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut problems = Vec::new();
    let found = discover(paths, &mut problems);

    let mut hasher = Sha256::new();
    let mut texts = BTreeMap::new();
    let mut decoded = Vec::new();
    for file in &found {
        let bytes = match read_file(file) {
            Ok(bytes) => bytes,
            Err(diagnostic) => {
                problems.push(diagnostic.relabel(&file.display));
                continue;
            }
        };
        hasher.update(file.hash_name.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
        if let Some(file_decoded) = decode_bytes(&file.display, &bytes, &mut problems) {
            texts.insert(file.display.clone(), file_decoded.text);
            decoded.push(DecodedFile {
                file: Arc::from(file.display.as_str()),
                manifest: file_decoded.manifest,
                tainted: file_decoded.tainted,
                root_tainted: file_decoded.root_tainted,
            });
        } else {
            // Problems in a file that could not be decoded still show its lines.
            let text = String::from_utf8_lossy(&bytes);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            texts.insert(file.display.clone(), text.to_string());
        }
    }

    let all_decoded = decoded.len() == found.len();
    let mut desired = check::assemble(&mut decoded, all_decoded, &mut problems);
    if !problems.is_empty() {
        return Err(Diagnostics::new(problems, texts));
    }
    desired.content_hash = hex(&hasher.finalize());
    Ok(desired)
}

/// Loads manifests given as (file name, contents) pairs, without touching the file system:
/// for tests and for checking what `export` writes. Names are used as given.
pub fn load_texts(files: &[(String, String)]) -> Result<Desired, Diagnostics> {
    let mut problems = Vec::new();
    let mut hasher = Sha256::new();
    let mut texts = BTreeMap::new();
    let mut decoded = Vec::new();
    let mut sorted: Vec<&(String, String)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, contents) in sorted {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update((contents.len() as u64).to_le_bytes());
        hasher.update(contents.as_bytes());
        texts.insert(name.clone(), contents.clone());
        if let Some(file_decoded) = decode_bytes(name, contents.as_bytes(), &mut problems) {
            decoded.push(DecodedFile {
                file: Arc::from(name.as_str()),
                manifest: file_decoded.manifest,
                tainted: file_decoded.tainted,
                root_tainted: file_decoded.root_tainted,
            });
        }
    }
    if files.is_empty() {
        problems.push(Diagnostic::whole_file("", "no manifest files to load"));
    }
    let all_decoded = decoded.len() == files.len();
    let mut desired = check::assemble(&mut decoded, all_decoded, &mut problems);
    if !problems.is_empty() {
        return Err(Diagnostics::new(problems, texts));
    }
    desired.content_hash = hex(&hasher.finalize());
    Ok(desired)
}

impl Diagnostic {
    fn relabel(mut self, file: &str) -> Diagnostic {
        self.source.file = Arc::from(file);
        self
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One file, decoded.
struct Decoded {
    manifest: ManifestFile,
    tainted: BTreeSet<Pos>,
    root_tainted: bool,
    text: String,
}

/// Parses and decodes one file's bytes. `None` when nothing usable came out (reported).
fn decode_bytes(file: &str, bytes: &[u8], problems: &mut Vec<Diagnostic>) -> Option<Decoded> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            problems.push(
                problem(
                    file,
                    Pos {
                        line: u32::try_from(line).unwrap_or(u32::MAX),
                        column: u32::try_from(column).unwrap_or(u32::MAX),
                        length: 1,
                    },
                    "this file is not UTF-8 text",
                )
                .with_hint("save the file as UTF-8"),
            );
            return None;
        }
    };
    // A duplicate key is reported and the file is still read (first of each key), so one
    // mistake does not hide the others.
    let (root, failures) = node::parse_all(text);
    for failure in failures {
        let mut diagnostic = match failure.pos {
            Some(pos) => problem(file, pos, failure.message),
            None => Diagnostic::whole_file(file, failure.message),
        };
        diagnostic.hint = failure.hint;
        if let Some(first) = failure.first {
            diagnostic.related.push((
                check::source(&Arc::from(file), first),
                "first given here".to_string(),
            ));
        }
        problems.push(diagnostic);
    }
    let root = root?;
    let empty = match &root.value {
        Value::Null => true,
        Value::Map(entries) => entries.is_empty(),
        _ => false,
    };
    if empty {
        problems.push(
            Diagnostic::whole_file(file, "empty manifest file")
                .with_hint("add `org:`, `users:` or `workspaces:`, or delete the file"),
        );
        // It declares nothing, which is known: references elsewhere are still checked.
        return Some(Decoded {
            manifest: ManifestFile::default(),
            tainted: BTreeSet::new(),
            root_tainted: false,
            text: text.to_string(),
        });
    }
    let sink = Sink::default();
    let result = ManifestFile::deserialize(NodeDeserializer::new(&root, &sink));
    let (mut errors, tainted) = sink.into_parts();
    let manifest = match result {
        Ok(manifest) => Some(manifest),
        Err(error) if error.quiet => None,
        Err(error) => {
            errors.push(error);
            None
        }
    };
    for error in errors {
        let pos = error.pos.unwrap_or(Pos {
            line: 1,
            column: 1,
            length: 0,
        });
        let mut diagnostic = problem(file, pos, error.message);
        diagnostic.hint = error.hint;
        problems.push(diagnostic);
    }
    manifest.map(|manifest| Decoded {
        root_tainted: tainted.contains(&root.pos),
        manifest,
        tainted,
        text: text.to_string(),
    })
}

/// Reads one manifest through the one opener (`crate::fsio`): a regular file inside its
/// manifest root, at most `MAX_MANIFEST_BYTES`, refused before a byte is read otherwise.
fn read_file(file: &Found) -> Result<Vec<u8>, Diagnostic> {
    crate::fsio::read_checked(
        &file.path,
        crate::fsio::Within::Root(&file.root),
        crate::fsio::MAX_MANIFEST_BYTES,
    )
    .map(|opened| opened.bytes)
    .map_err(|error| {
        if let crate::fsio::OpenError::Io { source, .. } = &error {
            return Diagnostic::whole_file("", format!("cannot read this file: {source}"))
                .with_hint("check that the file exists and is readable");
        }
        let hint = match error {
            crate::fsio::OpenError::Io { .. } => "check that the file exists and is readable",
            crate::fsio::OpenError::TooLarge { .. } => {
                "manifest files are read whole; split it into smaller files"
            }
            _ => "manifests must be regular files inside the manifest directory",
        };
        Diagnostic::whole_file("", error.to_string()).with_hint(hint)
    })
}

/// Every manifest file under `paths`, sorted by displayed path, each once.
fn discover(paths: &[PathBuf], problems: &mut Vec<Diagnostic>) -> Vec<Found> {
    let current_dir = std::env::current_dir().ok();
    let mut found = Vec::new();
    for path in paths {
        let shown = display_path(path, current_dir.as_deref());
        let metadata = match fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                problems.push(
                    Diagnostic::whole_file(&shown, "no such file or directory")
                        .with_hint("pass the directory that holds the manifests"),
                );
                continue;
            }
            Err(error) => {
                problems.push(Diagnostic::whole_file(
                    &shown,
                    format!("cannot read: {error}"),
                ));
                continue;
            }
        };
        if metadata.is_dir() {
            let before = found.len();
            walk(
                path,
                Path::new(""),
                path,
                current_dir.as_deref(),
                &mut found,
                problems,
            );
            if found.len() == before {
                problems.push(
                    Diagnostic::whole_file(&shown, "no manifest files (*.yaml, *.yml) here")
                        .with_hint(
                            "pass the directory that holds the manifests, or write them with `scoville export`",
                        ),
                );
            }
        } else {
            let hash_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| shown.clone());
            let root = path
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf();
            found.push(Found {
                path: path.clone(),
                display: shown,
                hash_name,
                root,
            });
        }
    }
    found.sort_by(|a, b| a.display.cmp(&b.display));
    let mut seen = BTreeSet::new();
    found.retain(|file| {
        let identity = fs::canonicalize(&file.path).unwrap_or_else(|_| file.path.clone());
        seen.insert(identity)
    });
    found
}

fn walk(
    dir: &Path,
    relative: &Path,
    root: &Path,
    current_dir: Option<&Path>,
    found: &mut Vec<Found>,
    problems: &mut Vec<Diagnostic>,
) {
    let shown = display_path(dir, current_dir);
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            problems.push(Diagnostic::whole_file(
                &shown,
                format!("cannot read this directory: {error}"),
            ));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        if name_text.starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Symbolic links to directories are not followed, so a link cycle cannot loop.
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            walk(
                &path,
                &relative.join(&name),
                root,
                current_dir,
                found,
                problems,
            );
            continue;
        }
        let is_manifest = Path::new(&name)
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml");
        if !is_manifest {
            continue;
        }
        if file_type.is_symlink() && fs::metadata(&path).map(|m| m.is_dir()).unwrap_or(false) {
            continue;
        }
        found.push(Found {
            display: display_path(&path, current_dir),
            hash_name: slash_path(&relative.join(&name)),
            path,
            root: root.to_path_buf(),
        });
    }
}

/// A path as given, relative to the current directory when it is inside it, without a
/// leading `./`, with `/` separators.
fn display_path(path: &Path, current_dir: Option<&Path>) -> String {
    let relative = match current_dir {
        Some(current) if path.is_absolute() => path.strip_prefix(current).unwrap_or(path),
        _ => path,
    };
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    let shown = slash_path(relative);
    if shown.is_empty() {
        ".".to_string()
    } else {
        shown
    }
}

fn slash_path(path: &Path) -> String {
    path.to_string_lossy()
        .replace(std::path::MAIN_SEPARATOR, "/")
}
