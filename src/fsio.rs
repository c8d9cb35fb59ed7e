//! The one opener of every file scoville reads (manifests, `--token-file`, saved plans, apply
//! records, emulator seeds and state): it refuses what is not a regular file before reading a
//! byte of it, and reads with a hard size cap that holds whatever the file reports.
//!
//! Manifests come from pull requests anyone can open, so a manifest "file" may be a symbolic
//! link to `/proc/self/environ`, a FIFO that blocks forever, or a device that never ends. Every
//! refusal names the file and says what to do. Nothing here prints: callers turn [`OpenError`]
//! into their own diagnostics.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Cap of one manifest file: a manifest set describes one org by hand.
pub const MAX_MANIFEST_BYTES: u64 = 8 * 1024 * 1024;
/// Cap of a `--token-file`: a token is a line of text.
pub const MAX_TOKEN_FILE_BYTES: u64 = 64 * 1024;
/// Cap of the documents scoville writes and reads back (saved plans, apply records, emulator
/// seeds and state): generous, as they describe whole orgs.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

/// Where a file may be.
#[derive(Debug, Clone, Copy)]
pub enum Within<'a> {
    /// Inside this directory once every symbolic link is resolved (the manifest root).
    Root(&'a Path),
    /// Anywhere the user named, as long as it is a regular file outside the kernel's pseudo
    /// file systems (`/proc`, `/sys`, `/dev`).
    Anywhere,
}

/// A file read whole.
#[derive(Debug)]
pub struct Opened {
    pub bytes: Vec<u8>,
    /// The permission bits (unix), for the token file's "readable by others" warning.
    pub mode: Option<u32>,
}

/// Why a file was not read. Every variant names the file; none carries its content.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "{} leads outside {} (to {}): refusing to read it; replace the link with the file itself",
        path.display(), root.display(), target.display()
    )]
    OutsideRoot {
        path: PathBuf,
        root: PathBuf,
        target: PathBuf,
    },
    #[error(
        "{} is a {kind}, not a regular file: refusing to read it; give a regular file",
        path.display()
    )]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error(
        "{} is in a kernel pseudo file system ({}): refusing to read it; give a regular file",
        path.display(), target.display()
    )]
    PseudoFile { path: PathBuf, target: PathBuf },
    #[error(
        "{} reports a size of 0 bytes but has content (a special file): refusing it; give a \
         regular file",
        path.display()
    )]
    SizeLies { path: PathBuf },
    #[error(
        "{} is larger than {limit} bytes: refusing to read it; split it or give a smaller file",
        path.display()
    )]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{} is not UTF-8 text: save it as UTF-8", path.display())]
    NotUtf8 { path: PathBuf },
    #[error("cannot read {}: check that it exists and is readable", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl OpenError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            OpenError::OutsideRoot { path, .. }
            | OpenError::NotRegular { path, .. }
            | OpenError::PseudoFile { path, .. }
            | OpenError::SizeLies { path }
            | OpenError::TooLarge { path, .. }
            | OpenError::NotUtf8 { path }
            | OpenError::Io { path, .. } => path,
        }
    }

    /// Whether the file does not exist at all.
    pub fn is_not_found(&self) -> bool {
        matches!(self, OpenError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }
}

/// Reads `path` whole if it is a regular file where `within` allows, of at most `limit` bytes.
/// The checks run before the file is opened (so a FIFO never blocks and a device is never
/// read), again on the opened handle (so the file cannot be swapped in between), and the read
/// itself stops one byte past `limit` whatever size the file reports.
pub fn read_checked(path: &Path, within: Within<'_>, limit: u64) -> Result<Opened, OpenError> {
    let io_error = |source| OpenError::Io {
        path: path.to_path_buf(),
        source,
    };
    let target = fs::canonicalize(path).map_err(io_error)?;
    if let Within::Root(root) = within {
        let root = fs::canonicalize(root).map_err(|source| OpenError::Io {
            path: root.to_path_buf(),
            source,
        })?;
        if !target.starts_with(&root) {
            return Err(OpenError::OutsideRoot {
                path: path.to_path_buf(),
                root,
                target,
            });
        }
    }
    if is_pseudo(&target) {
        return Err(OpenError::PseudoFile {
            path: path.to_path_buf(),
            target,
        });
    }
    let metadata = fs::metadata(&target).map_err(io_error)?;
    refuse_unless_regular(path, &metadata)?;
    if metadata.len() > limit {
        return Err(OpenError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    let file = open_no_follow(&target).map_err(io_error)?;
    let opened = file.metadata().map_err(io_error)?;
    refuse_unless_regular(path, &opened)?;
    let mut bytes = Vec::with_capacity(usize::try_from(opened.len().min(limit)).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > limit {
        return Err(OpenError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    if opened.len() == 0 && !bytes.is_empty() {
        return Err(OpenError::SizeLies {
            path: path.to_path_buf(),
        });
    }
    Ok(Opened {
        bytes,
        mode: mode_of(&opened),
    })
}

/// [`read_checked`] for a text document (a saved plan, a record, a seed, emulator state).
pub fn read_text_checked(path: &Path, within: Within<'_>, limit: u64) -> Result<String, OpenError> {
    let opened = read_checked(path, within, limit)?;
    String::from_utf8(opened.bytes).map_err(|_| OpenError::NotUtf8 {
        path: path.to_path_buf(),
    })
}

/// The kind of a file that is not regular, for messages; `None` for a regular file.
pub fn irregular_kind(metadata: &fs::Metadata) -> Option<&'static str> {
    let file_type = metadata.file_type();
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("FIFO (named pipe)");
        }
        if file_type.is_socket() {
            return Some("socket");
        }
        if file_type.is_char_device() {
            return Some("character device");
        }
        if file_type.is_block_device() {
            return Some("block device");
        }
    }
    Some("special file")
}

fn refuse_unless_regular(path: &Path, metadata: &fs::Metadata) -> Result<(), OpenError> {
    match irregular_kind(metadata) {
        None => Ok(()),
        Some(kind) => Err(OpenError::NotRegular {
            path: path.to_path_buf(),
            kind,
        }),
    }
}

/// `/proc`, `/sys` and `/dev` hold files that report one size and read as another (or never
/// end), and `/proc/self/environ` holds the token itself.
fn is_pseudo(target: &Path) -> bool {
    ["/proc", "/sys", "/dev"]
        .iter()
        .any(|prefix| target.starts_with(prefix))
}

#[cfg(unix)]
fn open_no_follow(target: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: a FIFO swapped in after the checks must not block the open.
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(target)
}

#[cfg(not(unix))]
fn open_no_follow(target: &Path) -> io::Result<fs::File> {
    fs::File::open(target)
}

#[cfg(unix)]
fn mode_of(metadata: &fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    Some(metadata.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn mode_of(_: &fs::Metadata) -> Option<u32> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_inside_the_root_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yaml");
        fs::write(&file, "org: {}\n").unwrap();
        let opened = read_checked(&file, Within::Root(dir.path()), 100).unwrap();
        assert_eq!(opened.bytes, b"org: {}\n");
    }

    #[test]
    fn the_cap_holds_at_and_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yaml");
        fs::write(&file, vec![b'x'; 10]).unwrap();
        assert_eq!(
            read_checked(&file, Within::Anywhere, 10)
                .unwrap()
                .bytes
                .len(),
            10
        );
        let error = read_checked(&file, Within::Anywhere, 9).unwrap_err();
        assert!(
            matches!(error, OpenError::TooLarge { limit: 9, .. }),
            "{error}"
        );
    }
}
