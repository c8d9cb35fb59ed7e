//! How every command that talks to the Edge API connects: an endpoint and a token, or, with
//! `--sandbox`, the in-process emulator with the demo admin token. Shared by plan, apply, drift
//! and export.

use std::path::PathBuf;

use anyhow::{Context, bail};

use super::ConnectArgs;
use crate::apply::lock::{self, ApplyLock};
use crate::edge::{ApiToken, ClientOptions, EdgeClient, Endpoint};
use crate::emulator::{self, ClockMode, Options, SANDBOX_STATE_FILE};

/// A client, and the sandbox it talks to when there is one. Call [`Connection::close`] when
/// done: it saves the sandbox's state and prints `--stats`.
pub struct Connection {
    pub client: EdgeClient,
    sandbox: Option<emulator::Running>,
    /// Held while the sandbox's state is loaded and until it is saved, so that two commands
    /// in one folder cannot each save over what the other changed.
    _sandbox_lock: Option<ApplyLock>,
    print_stats: bool,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("client", &self.client)
            .field("sandbox", &self.sandbox.is_some())
            .finish()
    }
}

/// Connects as `args` say. Nothing is sent yet: the first request is the command's own.
pub async fn connect(args: &ConnectArgs) -> anyhow::Result<Connection> {
    let options = ClientOptions {
        parallelism: usize::from(args.parallelism),
        ..ClientOptions::default()
    };
    if args.sandbox {
        if args.endpoint.is_some() || args.token_file.is_some() {
            bail!(
                "--sandbox talks to the built-in emulator with its demo token: drop --endpoint \
                 and --token-file, or drop --sandbox to use a real org"
            );
        }
        if let Some(server) = super::sandbox::running_server() {
            bail!(
                "a `scoville sandbox serve` (pid {}) is serving the sandbox's state, and would \
                 overwrite what this command changes when it stops: talk to it with \
                 `--endpoint {}` instead of --sandbox, or stop it first",
                server.pid,
                server.base_url
            );
        }
        let state_file = PathBuf::from(SANDBOX_STATE_FILE);
        let sandbox_lock = lock::acquire(
            &lock::state_file_lock_path(&state_file),
            &format!("the sandbox state {SANDBOX_STATE_FILE}"),
        )?;
        let mut emulator_options = Options::new(emulator::demo_seed());
        emulator_options.clock = ClockMode::System;
        // Loaded when it exists (else the demo org), saved again by `close`.
        emulator_options.state_file = Some(state_file);
        let running = emulator::start(emulator_options)
            .await
            .context("cannot start the sandbox")?;
        let endpoint = Endpoint::parse(&running.base_url())
            .context("the sandbox's own address was refused")?;
        let token = ApiToken::from_literal(emulator::DEMO_ADMIN_TOKEN)
            .context("the sandbox's demo token was refused")?;
        let client = EdgeClient::new(endpoint, token, options)?;
        return Ok(Connection {
            client,
            sandbox: Some(running),
            _sandbox_lock: Some(sandbox_lock),
            print_stats: args.stats,
        });
    }
    let endpoint = match &args.endpoint {
        Some(given) => Endpoint::parse(given)?,
        None => Endpoint::production(),
    };
    let token = ApiToken::load(args.token_file.as_deref())?;
    let client = EdgeClient::new(endpoint, token, options)?;
    Ok(Connection {
        client,
        sandbox: None,
        _sandbox_lock: None,
        print_stats: args.stats,
    })
}

impl Connection {
    /// Whether this talks to the in-process sandbox.
    pub fn is_sandbox(&self) -> bool {
        self.sandbox.is_some()
    }

    /// Prints `--stats` to stderr when asked, then stops the sandbox (if any), saving its state
    /// to `.scoville/sandbox-state.json` so the next `--sandbox` run continues from it.
    pub async fn close(self) -> anyhow::Result<()> {
        if self.print_stats {
            eprint!("{}", self.client.stats().render());
        }
        if let Some(running) = self.sandbox {
            running
                .shutdown()
                .await
                .context("cannot save the sandbox's state")?;
        }
        Ok(())
    }
}
