//! `scoville sandbox`: run the Edge API emulator as a server, or forget its saved state.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::emulator::{self, ClockMode, Options, SANDBOX_STATE_FILE, Seed};

/// Written by `sandbox serve` while it serves the `--sandbox` state, so that a `--sandbox`
/// command does not work on a copy of the state the server will overwrite when it stops.
pub const SANDBOX_SERVER_FILE: &str = ".scoville/sandbox-server.json";

/// What the server file says.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerMarker {
    pub pid: u32,
    pub base_url: String,
    /// `host:port` the server listens on.
    pub address: String,
}

/// The running `sandbox serve` of the `--sandbox` state, if one answers.
pub fn running_server() -> Option<ServerMarker> {
    let text = crate::fsio::read_text_checked(
        Path::new(SANDBOX_SERVER_FILE),
        crate::fsio::Within::Anywhere,
        // A few lines of JSON.
        64 * 1024,
    )
    .ok()?;
    let marker: ServerMarker = serde_json::from_str(&text).ok()?;
    let address: std::net::SocketAddr = marker.address.parse().ok()?;
    // A marker left by a server that was killed is harmless: nothing listens there any more.
    std::net::TcpStream::connect_timeout(&address, std::time::Duration::from_millis(300)).ok()?;
    Some(marker)
}

use super::{SandboxCommand, SandboxServeArgs};

pub async fn run(command: SandboxCommand) -> anyhow::Result<ExitCode> {
    match command {
        SandboxCommand::Serve(args) => serve(args).await,
        SandboxCommand::Reset => reset(Path::new(SANDBOX_STATE_FILE)),
    }
}

/// The state file of `serve`: the one given, else the `--sandbox` one when serving the demo
/// org (so `serve` and `--sandbox` share an org), else none (a custom seed starts fresh).
fn state_file_of(args: &SandboxServeArgs) -> Option<PathBuf> {
    match (&args.state, &args.seed) {
        (Some(path), _) => Some(path.clone()),
        (None, None) => Some(PathBuf::from(SANDBOX_STATE_FILE)),
        (None, Some(_)) => None,
    }
}

async fn serve(args: SandboxServeArgs) -> anyhow::Result<ExitCode> {
    let seed = match &args.seed {
        Some(path) => Seed::load(path)?,
        None => emulator::demo_seed(),
    };
    let state_file = state_file_of(&args);
    let mut options = Options::new(seed.clone());
    options.clock = ClockMode::System;
    options.port = args.port;
    options.state_file = state_file.clone();
    let running = emulator::start(options).await?;

    let base_url = running.base_url();
    let shares_sandbox_state = state_file.as_deref() == Some(Path::new(SANDBOX_STATE_FILE));
    if shares_sandbox_state {
        let marker = ServerMarker {
            pid: std::process::id(),
            base_url: base_url.clone(),
            address: running.local_addr().to_string(),
        };
        super::common::write_atomically(
            Path::new(SANDBOX_SERVER_FILE),
            &serde_json::to_string_pretty(&marker).context("cannot encode the server marker")?,
        )?;
    }
    println!("scoville sandbox: the Edge API emulator is listening");
    println!("  base URL  {base_url}");
    println!(
        "  control   {}/_emulator/ (state, reset, journal, faults, ui/{{userId}}/...: see docs/sandbox.md)",
        running.url()
    );
    match &state_file {
        Some(path) => println!(
            "  state     {} (loaded if present, saved after every acknowledged write)",
            path.display()
        ),
        None => println!("  state     not saved (pass --state FILE to keep it)"),
    }
    println!();
    println!("Try it from another terminal:");
    if let Some(admin) = seed
        .tokens
        .iter()
        .find(|t| t.permissions.len() > 1 && t.permissions.iter().any(|p| !p.ends_with(".read")))
    {
        println!("  export CHILI_PIPER_API_KEY={}", admin.secret);
    }
    println!("  scoville plan --endpoint {base_url} examples/acme");
    for token in &seed.tokens {
        println!(
            "  token `{}`: {} ({} permissions)",
            token.id,
            token.secret,
            token.permissions.len()
        );
    }
    println!("Press Ctrl-C to stop.");

    wait_for_stop().await?;
    let stopped = running.shutdown().await;
    if shares_sandbox_state {
        let _ = std::fs::remove_file(SANDBOX_SERVER_FILE);
    }
    stopped?;
    match &state_file {
        Some(path) => eprintln!("stopped; state saved to {}", path.display()),
        None => eprintln!("stopped"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C, or SIGTERM (what `kill` and service managers send): both stop the server cleanly.
async fn wait_for_stop() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
        tokio::select! {
            interrupted = tokio::signal::ctrl_c() => interrupted.context("cannot wait for Ctrl-C"),
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c()
            .await
            .context("cannot wait for Ctrl-C")
    }
}

fn reset(path: &Path) -> anyhow::Result<ExitCode> {
    if let Some(server) = running_server() {
        anyhow::bail!(
            "a `scoville sandbox serve` (pid {}) is serving this sandbox at {}: stop it first, \
             or reset it with `curl -X POST {}/_emulator/reset`",
            server.pid,
            server.base_url,
            server.base_url.trim_end_matches("/api/fire-edge")
        );
    }
    match std::fs::remove_file(path) {
        Ok(()) => println!(
            "deleted {}: the next --sandbox run starts from the demo org",
            path.display()
        ),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => println!(
            "{} does not exist: the sandbox already starts from the demo org",
            path.display()
        ),
        Err(error) => {
            return Err(error).with_context(|| {
                format!("cannot delete {}: check its permissions", path.display())
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
