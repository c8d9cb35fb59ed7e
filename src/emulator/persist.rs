//! Loading and saving the emulator's state as JSON. A save is atomic and durable: the state is
//! written to a temporary file of its own (unique per save, so concurrent saves never share
//! one), synced, renamed over the state file, and the directory synced; saves are serialized
//! and each snapshots the state only once it holds the lock, so a later save never writes an
//! older state. With a state file, every acknowledged write is saved before it is answered
//! (`server::persist_writes`), so a `kill -9` loses nothing that was answered.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::EmulatorError;
use super::server::Shared;
use super::state::OrgState;

/// Serializes saves across the process: a save snapshots the state after taking it.
static SAVING: Mutex<()> = Mutex::new(());

/// Numbers the temporary files of this process.
static N_SAVES: AtomicU64 = AtomicU64::new(0);

/// Reads a state file written by `save_state`.
pub fn load_state(path: &Path) -> Result<OrgState, EmulatorError> {
    let text = crate::fsio::read_text_checked(
        path,
        crate::fsio::Within::Anywhere,
        crate::fsio::MAX_DOCUMENT_BYTES,
    )
    .map_err(|source| EmulatorError::ReadState {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| EmulatorError::ParseState {
        path: path.to_path_buf(),
        source,
    })
}

/// Saves the running emulator's current state to its state file, if it has one.
pub(crate) fn save_shared(shared: &Shared) -> Result<(), EmulatorError> {
    let Some(path) = &shared.state_file else {
        return Ok(());
    };
    let _saving = SAVING.lock().unwrap_or_else(|p| p.into_inner());
    let json = serde_json::to_vec_pretty(&*shared.read()).expect("the state serializes");
    write_durably(path, &json)
}

/// Writes `state` to `path` atomically and durably; creates the parent directory.
pub fn save_state(path: &Path, state: &OrgState) -> Result<(), EmulatorError> {
    let json = serde_json::to_vec_pretty(state).expect("the state serializes");
    let _saving = SAVING.lock().unwrap_or_else(|p| p.into_inner());
    write_durably(path, &json)
}

fn write_durably(path: &Path, json: &[u8]) -> Result<(), EmulatorError> {
    let failed = |source| EmulatorError::WriteState {
        path: path.to_path_buf(),
        source,
    };
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(failed)?;
    let temporary = temporary_beside(path);
    let write = || -> std::io::Result<()> {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(json)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        fs::rename(&temporary, path)?;
        // The rename itself is durable only once the directory is.
        #[cfg(unix)]
        fs::File::open(parent)?.sync_all()?;
        Ok(())
    };
    write().map_err(|source| {
        let _ = fs::remove_file(&temporary);
        failed(source)
    })
}

/// `.<name>.tmp-<pid>-<n>` beside `path`: unique per save of this process, and per process.
fn temporary_beside(path: &Path) -> PathBuf {
    let n = N_SAVES.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_save_has_its_own_temporary_file() {
        let path = Path::new("dir/state.json");
        assert_ne!(temporary_beside(path), temporary_beside(path));
    }
}
