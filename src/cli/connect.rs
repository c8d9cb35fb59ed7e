//! How every command that talks to the Edge API connects: an endpoint and a token, or, with
//! `--sandbox`, the in-process emulator with the demo admin token. Shared by plan, apply, drift
//! and export.

use std::path::PathBuf;

use anyhow::{Context, bail};

use super::ConnectArgs;
use crate::apply::lock::{self, ApplyLock};
use crate::edge::trace::HttpTrace;
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
        deadline: std::time::Duration::from_secs(args.timeout),
        ..ClientOptions::default()
    };
    let trace = args
        .trace_http
        .as_deref()
        .map(HttpTrace::create)
        .transpose()?;
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
        emulator_options.faults = sandbox_faults()?;
        let running = emulator::start(emulator_options)
            .await
            .context("cannot start the sandbox")?;
        let endpoint = Endpoint::parse(&running.base_url())
            .context("the sandbox's own address was refused")?;
        let token = ApiToken::from_literal(emulator::DEMO_ADMIN_TOKEN)
            .context("the sandbox's demo token was refused")?;
        let client = EdgeClient::new_traced(endpoint, token, options, trace)?;
        report_waits(&client);
        return Ok(Connection {
            client,
            sandbox: Some(running),
            _sandbox_lock: Some(sandbox_lock),
            print_stats: args.stats,
        });
    }
    // The token first: once registered, a token pasted by mistake as --endpoint is removed
    // from the message that refuses it.
    let token = ApiToken::load(args.token_file.as_deref())?;
    token.register_for_redaction();
    if let Some(warning) = token.permission_warning() {
        eprintln!("warning: {warning}");
    }
    let endpoint = match &args.endpoint {
        Some(given) => Endpoint::parse(given)?,
        None => Endpoint::production(),
    };
    let client = EdgeClient::new_traced(endpoint, token, options, trace)?;
    report_waits(&client);
    Ok(Connection {
        client,
        sandbox: None,
        _sandbox_lock: None,
        print_stats: args.stats,
    })
}

/// Long waits (a retry's pause, an answer slow to come) are said on standard error, so a CI
/// log shows what the command waits for rather than nothing.
fn report_waits(client: &EdgeClient) {
    client.set_wait_reporter(Box::new(|phrase| {
        eprintln!("{}", crate::redact::shown(phrase));
    }));
}

/// The environment variable holding the in-process sandbox's fault injection (the JSON of
/// `PUT /_emulator/faults`, docs/sandbox.md), e.g. `{"latencyMs": 200}` to watch an apply in
/// flight. Unset or empty: no faults.
pub const SANDBOX_FAULTS_ENV: &str = "SCOVILLE_SANDBOX_FAULTS";

fn sandbox_faults() -> anyhow::Result<emulator::FaultConfig> {
    match std::env::var(SANDBOX_FAULTS_ENV) {
        Ok(json) if !json.trim().is_empty() => serde_json::from_str(&json).with_context(|| {
            format!(
                "{SANDBOX_FAULTS_ENV} is not a fault configuration: see docs/sandbox.md, or unset it"
            )
        }),
        _ => Ok(emulator::FaultConfig::default()),
    }
}

impl Connection {
    /// Whether this talks to the in-process sandbox.
    pub fn is_sandbox(&self) -> bool {
        self.sandbox.is_some()
    }

    /// What to run before exiting abruptly (a second Ctrl-C during apply): saves the sandbox's
    /// state as it is, so every write the emulator completed is kept, as a real org keeps it.
    /// Does nothing without a sandbox.
    pub fn save_sandbox_hook(&self) -> impl Fn() + Send + 'static {
        let control = self.sandbox.as_ref().map(emulator::Running::control);
        move || {
            if let Some(control) = &control
                && let Err(error) = control.save()
            {
                eprintln!("error: {error}");
            }
        }
    }

    /// Prints `--stats` to stderr when asked, says where the `--trace-http` file is, then stops
    /// the sandbox (if any), saving its state to `.scoville/sandbox-state.json` so the next
    /// `--sandbox` run continues from it.
    pub async fn close(self) -> anyhow::Result<()> {
        if self.print_stats {
            eprint!("{}", self.client.stats().render());
        }
        if let Some(trace) = self.client.trace() {
            let n_lines = trace.finish()?;
            eprintln!(
                "wrote {n_lines} HTTP exchanges to {} (token, emails and names replaced)",
                trace.path().display()
            );
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
