//! `scoville export`: read the live org and write manifests that describe it, all or nothing.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::common::fetch_live;
use super::connect::connect;
use crate::live::Scope;

pub async fn run(args: super::ExportArgs) -> anyhow::Result<ExitCode> {
    // Refuse a non-empty directory before any request: nothing is read for nothing.
    check_out_dir(&args.out)?;
    let connection = connect(&args.connect).await?;
    let read = fetch_live(&connection, &Scope::everything_with_settings()).await;
    // Close (save the sandbox, print --stats) whether or not the read worked.
    let closed = connection.close().await;
    let live = without_secrets(read.context("cannot export the live org")?)?;
    closed?;
    let exported = crate::manifest::export(&live);
    let files: Vec<(PathBuf, String)> = exported
        .iter()
        .map(|file| (file.path.clone(), file.contents.clone()))
        .collect();
    write_all_or_nothing(&args.out, &files)?;
    eprintln!(
        "wrote {} manifest file{} to {}",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        args.out.display()
    );
    // What the manifests cannot hold is left out, and said so (a comment in the file says it
    // too): a plan from these manifests lists it as unmanaged and leaves it alone.
    for (path, line) in exported
        .iter()
        .flat_map(|file| file.skipped.iter().map(move |line| (&file.path, line)))
    {
        eprintln!(
            "{}: {}",
            args.out.join(path).display(),
            crate::redact::shown(line)
        );
    }
    // Objects scoville could not read are left out, and said so: the manifests do not
    // describe them, and a plan from these manifests leaves them alone.
    for line in crate::manifest::export_skipped(&live) {
        eprintln!("{}", crate::redact::shown(&line));
    }
    if let Some(why) = &live.booking_unread {
        eprintln!(
            "note: meeting types, reminders and scheduling links are not exported: {why}; the \
             manifests leave them alone (give the token `meeting-type.read` and \
             `scheduling-links.read` to export them too)"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The org with every registered secret removed from its texts: a name or body the server
/// answers may carry the token, and no exported file may hold it. Removed before the manifests
/// are written, so the YAML quotes what replaces it like any other text.
fn without_secrets(live: crate::model::Live) -> anyhow::Result<crate::model::Live> {
    let mut value = serde_json::to_value(&live).context("cannot encode the live org")?;
    if !crate::redact::redact_json(&mut value) {
        return Ok(live);
    }
    serde_json::from_value(value).context(
        "the org holds the API token in a name or address, which no export may write: \
         find and change it in Chili Piper, then export again",
    )
}

/// `out` must not exist, or be an empty directory.
fn check_out_dir(out: &Path) -> anyhow::Result<()> {
    match std::fs::metadata(out) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error).with_context(|| format!("cannot inspect {}", out.display())),
        Ok(metadata) if !metadata.is_dir() => bail!(
            "{} exists and is not a directory: choose a new directory for the export",
            out.display()
        ),
        Ok(_) => {
            let mut entries = std::fs::read_dir(out)
                .with_context(|| format!("cannot read the directory {}", out.display()))?;
            if entries.next().is_some() {
                bail!(
                    "{} is not empty: export writes into a new or empty directory so it never \
                     overwrites manifests; choose another one",
                    out.display()
                );
            }
            Ok(())
        }
    }
}

/// Writes every file under a temporary sibling directory, then renames it to `out` (or, when
/// `out` is an existing empty directory, moves its entries in), so a failure part-way leaves no
/// half-written export behind.
fn write_all_or_nothing(out: &Path, files: &[(PathBuf, String)]) -> anyhow::Result<()> {
    for (path, _) in files {
        let plain = path
            .components()
            .all(|component| matches!(component, Component::Normal(_)));
        if !plain || path.as_os_str().is_empty() {
            bail!(
                "refusing to write `{}`: export paths must be relative and stay inside the \
                 output directory (this is a bug in scoville; please report it)",
                path.display()
            );
        }
    }
    check_out_dir(out)?;
    // `--out .` or `--out dir/..` name an existing (empty) directory by a path whose last part
    // is not its name: resolve it, so the staging directory lands beside it, not inside.
    let resolved;
    let out = if out.exists() {
        resolved = std::fs::canonicalize(out)
            .with_context(|| format!("cannot resolve the path {}", out.display()))?;
        resolved.as_path()
    } else {
        out
    };
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create the directory {}", parent.display()))?;
    let name = out
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".to_string());
    let staging = parent.join(format!(".{name}.scoville-export-{}", std::process::id()));
    std::fs::create_dir(&staging).with_context(|| {
        format!(
            "cannot create the staging directory {} (remove it if a previous export left it)",
            staging.display()
        )
    })?;
    let written = write_files(&staging, files).and_then(|()| {
        if out.exists() {
            move_entries_into(&staging, out)
        } else {
            std::fs::rename(&staging, out)
                .with_context(|| format!("cannot move the export into {}", out.display()))
        }
    });
    let _ = std::fs::remove_dir_all(&staging);
    written
}

/// Moves the staged top-level entries into the existing, empty `out`: the directory itself is
/// kept (someone's shell may be in it), each rename is atomic, and a failure moves back what
/// was moved so `out` is empty again.
fn move_entries_into(staging: &Path, out: &Path) -> anyhow::Result<()> {
    let entries: Vec<PathBuf> = std::fs::read_dir(staging)
        .with_context(|| format!("cannot read {}", staging.display()))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot read {}", staging.display()))?;
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    for from in entries {
        let to = out.join(from.file_name().expect("read_dir entries have names"));
        if let Err(error) = std::fs::rename(&from, &to) {
            for (back_from, back_to) in moved.iter().rev() {
                let _ = std::fs::rename(back_to, back_from);
            }
            return Err(error)
                .with_context(|| format!("cannot move the export into {}", out.display()));
        }
        moved.push((from, to));
    }
    Ok(())
}

fn write_files(root: &Path, files: &[(PathBuf, String)]) -> anyhow::Result<()> {
    for (path, contents) in files {
        let target = root.join(path);
        if let Some(directory) = target.parent() {
            std::fs::create_dir_all(directory)
                .with_context(|| format!("cannot create {}", directory.display()))?;
        }
        std::fs::write(&target, contents)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(PathBuf, String)> {
        vec![
            (PathBuf::from("org.yaml"), "tenant: acme\n".to_string()),
            (
                PathBuf::from("workspaces/sales.yaml"),
                "name: Sales\n".to_string(),
            ),
        ]
    }

    #[test]
    fn writes_into_a_new_directory() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("manifests");
        write_all_or_nothing(&out, &files()).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("workspaces/sales.yaml")).unwrap(),
            "name: Sales\n"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging directory is left behind");
    }

    #[test]
    fn writes_into_an_empty_directory() {
        let dir = tempfile::tempdir().unwrap();
        write_all_or_nothing(dir.path(), &files()).unwrap();
        assert!(dir.path().join("org.yaml").exists());
    }

    #[test]
    fn writes_into_an_empty_directory_named_by_dot() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("manifests");
        std::fs::create_dir(&out).unwrap();
        write_all_or_nothing(&out.join("."), &files()).unwrap();
        assert!(out.join("org.yaml").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_a_non_empty_directory_and_leaves_it_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keep.yaml"), "mine").unwrap();
        let error = write_all_or_nothing(dir.path(), &files()).unwrap_err();
        assert!(error.to_string().contains("is not empty"), "{error}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("keep.yaml")).unwrap(),
            "mine"
        );
        assert!(!dir.path().join("org.yaml").exists());
    }

    #[test]
    fn a_failure_part_way_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("manifests");
        // A file and a directory of the same name: the second write fails.
        let clashing = vec![
            (PathBuf::from("a"), "file".to_string()),
            (PathBuf::from("a/b.yaml"), "nested".to_string()),
        ];
        assert!(write_all_or_nothing(&out, &clashing).is_err());
        assert!(!out.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn refuses_paths_that_leave_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("manifests");
        for bad in ["../escape.yaml", "/etc/passwd", ""] {
            let files = vec![(PathBuf::from(bad), String::new())];
            assert!(write_all_or_nothing(&out, &files).is_err(), "{bad}");
        }
        assert!(!out.exists());
    }
}
