//! Pieces every command shares: loading manifests or printing why not, terminal detection,
//! a spinner for long reads, atomic file writes, and reading the live org.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use super::ConnectArgs;
use super::connect::{Connection, connect};
use crate::live::{self, Scope};
use crate::manifest;
use crate::model::{Desired, Live};

/// Whether `path` is a saved plan (`scoville plan --out FILE`), whatever its name: a regular
/// file holding one JSON object with `formatVersion` and `steps`. Directories, unreadable
/// files and anything else are not.
pub fn is_saved_plan(path: &Path) -> bool {
    if !path.is_file() {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    if !text.trim_start().starts_with('{') {
        return false;
    }
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text)
        .is_ok_and(|object| object.contains_key("formatVersion") && object.contains_key("steps"))
}

/// The first of `paths` that is a saved plan, for commands that take manifests only.
pub fn saved_plan_among(paths: &[PathBuf]) -> Option<&PathBuf> {
    paths.iter().find(|path| is_saved_plan(path))
}

/// Loads the manifests, or prints every problem to stderr and returns exit code 1. A saved plan
/// among the paths is refused with one message instead of a problem per key.
pub fn load_manifests(paths: &[PathBuf]) -> Result<Desired, ExitCode> {
    if let Some(plan) = saved_plan_among(paths) {
        eprintln!(
            "error: `{}` is a saved plan, not a manifest: apply it alone with `scoville apply {}`",
            plan.display(),
            plan.display()
        );
        return Err(ExitCode::from(1));
    }
    manifest::load(paths).map_err(|diagnostics| {
        eprint!("{}", crate::redact::shown(&diagnostics.render_text()));
        eprintln!();
        eprintln!("error: found {diagnostics}; fix them (see `scoville validate`) and run again");
        ExitCode::from(1)
    })
}

static VERBOSE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Records the global `-v/--verbose` flag; called once, after parsing argv.
pub fn set_verbose(verbose: bool) {
    let _ = VERBOSE.set(verbose);
}

/// Whether `-v/--verbose` was given.
pub fn verbose() -> bool {
    VERBOSE.get().copied().unwrap_or(false)
}

/// Whether to colour standard output: a terminal, and `NO_COLOR` unset or empty.
pub fn color_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Whether standard error is a terminal (progress bars and spinners go there).
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// A spinner on standard error while `message` is in progress; nothing when not a terminal.
pub fn spinner(message: &str) -> Option<ProgressBar> {
    if !stderr_is_terminal() {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(100));
    Some(bar)
}

/// Reads the live org, with a spinner on a terminal.
pub async fn fetch_live(connection: &Connection, scope: &Scope) -> anyhow::Result<Live> {
    let spinner = spinner("reading the live org");
    let live = live::fetch(&connection.client, scope).await;
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    Ok(live?)
}

/// The manifests, a connection, and the live org read for them (or why it could not be read;
/// the caller closes the connection either way).
pub struct LoadedAndRead {
    pub desired: Desired,
    pub connection: Connection,
    pub live: anyhow::Result<Live>,
}

/// Loads the manifests and reads the live org at the same time: the reads start before the
/// manifests are parsed, and only the distribution settings requests wait for them (they read
/// the workspaces whose settings the manifests manage). Problems in the manifests are reported
/// first, as when they were loaded before connecting: they print and give exit code 1, and the
/// reads in flight are dropped.
pub async fn load_and_read(
    paths: &[PathBuf],
    connect_args: &ConnectArgs,
) -> anyhow::Result<Result<LoadedAndRead, ExitCode>> {
    let connection = match connect(connect_args).await {
        Ok(connection) => connection,
        Err(error) => {
            if let Err(code) = load_manifests(paths) {
                return Ok(Err(code));
            }
            return Err(error);
        }
    };
    let (scope_sender, scope_receiver) = tokio::sync::oneshot::channel::<Scope>();
    let client = connection.client.clone();
    let reading = tokio::spawn(async move {
        live::fetch_when(&client, async move { scope_receiver.await.ok() }).await
    });
    // Parsing is CPU work on this thread; the reads go on on the runtime's workers meanwhile.
    let desired = match load_manifests(paths) {
        Ok(desired) => desired,
        Err(code) => {
            reading.abort();
            connection.close().await?;
            return Ok(Err(code));
        }
    };
    // The receiver only goes away with the reading task, which ends early only on an error
    // that the join below reports.
    let _ = scope_sender.send(Scope::for_desired(&desired));
    let spinner = spinner("reading the live org");
    let joined = reading.await;
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    let live = match joined {
        Ok(Ok(Some(live))) => Ok(live),
        Ok(Ok(None)) => unreachable!("the scope was sent before waiting for the reads"),
        Ok(Err(error)) => Err(error.into()),
        Err(join_error) if join_error.is_panic() => {
            std::panic::resume_unwind(join_error.into_panic())
        }
        Err(join_error) => unreachable!("the reading task is not cancelled here: {join_error}"),
    };
    Ok(Ok(LoadedAndRead {
        desired,
        connection,
        live,
    }))
}

/// Writes `contents` to `path` atomically: a temporary file beside it, then a rename, so a
/// reader never sees half a file and a failure leaves the old one intact. No registered secret
/// is written (a saved plan, report or record quotes names and bodies the server answered).
pub fn write_atomically(path: &Path, contents: &str) -> anyhow::Result<()> {
    let contents = &crate::redact::redact(contents);
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    let file_name = path
        .file_name()
        .with_context(|| format!("{} is not a file path", path.display()))?;
    let temporary = parent.join(format!(
        ".{}.tmp-{}",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    std::fs::write(&temporary, contents)
        .with_context(|| format!("cannot write {}", temporary.display()))?;
    std::fs::rename(&temporary, path).with_context(|| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write {}", path.display())
    })
}

/// Writes `text` to standard output. A reader that went away (`| head`, `| true`) is not an
/// error worth a panic: the rest of the output is dropped and the command carries on.
pub fn emit(text: &str) -> anyhow::Result<()> {
    // The one way to standard output: no registered secret passes, whatever the server sent.
    let text = crate::redact::for_terminal(&crate::redact::redact(text));
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(error).context("cannot write to standard output")
        }
        _ => Ok(()),
    }
}

/// Today in UTC: the day ignore entries' expiry is judged against, read here so that the
/// planner and drift stay free of clocks.
pub fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}
