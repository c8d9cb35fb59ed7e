//! The lock that keeps two applies on one machine from writing to one org at once: an
//! exclusive advisory lock on a file named after the org (endpoint and tenant), or, for the
//! sandbox, beside its state file. The lock is released when the holder ends, even by a crash,
//! because the operating system drops it with the file handle.
//!
//! It uses the standard library's `File::try_lock` (stable since Rust 1.89): `flock` on Unix,
//! `LockFileEx` on Windows, with no extra dependency.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub struct ApplyLock {
    // Held for its lock; never read.
    _file: File,
    path: PathBuf,
}

impl ApplyLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Why a lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another scoville command is writing to {what} on this machine (it holds the lock {}): \
         wait for it to finish, then plan and apply again",
        path.display()
    )]
    Busy { what: String, path: PathBuf },
    #[error("cannot take the lock {}: check that its folder is writable", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Takes the lock at `path` without waiting, creating the file (and its folder) when needed.
/// `what` names the locked thing in the refusal ("tenant `acme.app3`", "the sandbox").
pub fn acquire(path: &Path, what: &str) -> Result<ApplyLock, LockError> {
    let io = |source| LockError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => Ok(ApplyLock {
            _file: file,
            path: path.to_path_buf(),
        }),
        Err(std::fs::TryLockError::WouldBlock) => Err(LockError::Busy {
            what: what.to_string(),
            path: path.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(io(source)),
    }
}

/// The lock file of applies to `tenant` through `endpoint`: one file per org in the system's
/// temporary folder, named by a hash (the endpoint may hold characters a file name cannot).
pub fn tenant_lock_path(endpoint: &str, tenant: &str) -> PathBuf {
    let hash = Sha256::digest(format!("{endpoint}\n{tenant}").as_bytes());
    let name: String = hash.iter().take(12).map(|b| format!("{b:02x}")).collect();
    std::env::temp_dir().join(format!("scoville-apply-{name}.lock"))
}

/// The lock file of a sandbox state file: beside it, with `.lock` added.
pub fn state_file_lock_path(state_file: &Path) -> PathBuf {
    let mut name = state_file.as_os_str().to_os_string();
    name.push(".lock");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("org.lock");
        let first = acquire(&path, "tenant `acme`").unwrap();
        let second = acquire(&path, "tenant `acme`").unwrap_err();
        assert!(
            second
                .to_string()
                .starts_with("another scoville command is writing to tenant `acme`"),
            "{second}"
        );
        drop(first);
        acquire(&path, "tenant `acme`").unwrap();
    }

    #[test]
    fn lock_paths_are_per_org() {
        assert_ne!(
            tenant_lock_path("https://a.example", "t1"),
            tenant_lock_path("https://a.example", "t2")
        );
        assert_eq!(
            state_file_lock_path(Path::new(".scoville/sandbox-state.json")),
            PathBuf::from(".scoville/sandbox-state.json.lock")
        );
    }
}
