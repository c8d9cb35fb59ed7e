//! Loading and saving the emulator's state as JSON; saves are atomic (temp file + rename).

use std::fs;
use std::io::Write;
use std::path::Path;

use super::EmulatorError;
use super::state::OrgState;

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

/// Writes the state next to `path` and renames it into place, so a crash never leaves half a
/// file; creates the parent directory.
pub fn save_state(path: &Path, state: &OrgState) -> Result<(), EmulatorError> {
    let failed = |source| EmulatorError::WriteState {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(failed)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".tmp-{}", std::process::id()));
    let temporary = std::path::PathBuf::from(temporary);
    let json = serde_json::to_vec_pretty(state).expect("the state serializes");
    let write = || -> std::io::Result<()> {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(&json)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    };
    write().map_err(|source| {
        let _ = fs::remove_file(&temporary);
        failed(source)
    })
}
