//! `scoville sandbox`: run the Edge API emulator as a server, or forget its saved state.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::emulator::{self, ClockMode, Options, SANDBOX_STATE_FILE, Seed};

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
    println!("scoville sandbox: the Edge API emulator is listening");
    println!("  base URL  {base_url}");
    println!("  control   {}/_emulator/state", running.url());
    match &state_file {
        Some(path) => println!(
            "  state     {} (loaded if present, saved on Ctrl-C)",
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

    tokio::signal::ctrl_c()
        .await
        .context("cannot wait for Ctrl-C")?;
    running.shutdown().await?;
    match &state_file {
        Some(path) => eprintln!("stopped; state saved to {}", path.display()),
        None => eprintln!("stopped"),
    }
    Ok(ExitCode::SUCCESS)
}

fn reset(path: &Path) -> anyhow::Result<ExitCode> {
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
