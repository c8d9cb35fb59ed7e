//! The command line: argv in, stdout/stderr and exit codes out. The only code that sees them.

mod apply;
mod common;
mod connect;
mod docs;
mod doctor;
mod drift;
mod export;
mod plan;
mod sandbox;
mod schema;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// GitOps for Chili Piper: keep workspaces, teams, distributions, rules and licenses as YAML
/// manifests in git; validate, plan and apply them over the Edge API.
#[derive(Debug, Parser)]
#[command(name = "scoville", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Say more: list every unmanaged object in a text plan instead of counting them
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check manifests offline: schema, references, typos (exit 1 on any problem)
    Validate(ValidateArgs),
    /// Print the JSON Schema of the manifests (for editors)
    Schema,
    /// Read the live org, diff it against the manifests and print the plan
    Plan(PlanArgs),
    /// Apply a plan: plan now and confirm, or apply a saved plan file
    Apply(ApplyArgs),
    /// Report where the live org differs from the manifests, who changed it and when (exit 0
    /// no drift, 2 drift, 1 error; the JSON report is in docs/drift.md)
    Drift(DriftArgs),
    /// Write manifests that describe the live org, to adopt scoville on an existing org
    Export(ExportArgs),
    /// Check a token and an org, read-only: the first thing to run against a real org (exit 0
    /// when scoville can work with it, 1 otherwise)
    Doctor(DoctorArgs),
    /// The Edge API emulator: try scoville without a Chili Piper account
    #[command(subcommand)]
    Sandbox(SandboxCommand),
    /// Print the shell completion script for bash, zsh, fish or powershell
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `scoville man > scoville.1`
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: docs::CompletionShell,
}

/// How to reach the Edge API, shared by every command that talks to it.
#[derive(Debug, Clone, Args)]
pub struct ConnectArgs {
    /// Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under
    /// the current directory
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// Edge API base URL (plain http:// only for loopback)
    #[arg(long, env = "SCOVILLE_ENDPOINT", value_name = "URL")]
    pub endpoint: Option<String>,
    /// Read the API token from this file instead of CHILI_PIPER_API_KEY
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and
    /// adapts: more while answers are clean and prompt, half as many on 429/503/timeouts,
    /// waiting out `Retry-After`; it never exceeds this value. For apply, the steps of one phase
    /// run at once up to the same limit (see docs/performance.md)
    #[arg(long, default_value_t = crate::edge::DEFAULT_PARALLELISM as u16, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub parallelism: u16,
    /// Print request counts per operation and bytes transferred at the end
    #[arg(long)]
    pub stats: bool,
    /// Write every request and answer to FILE as JSON lines, with the token, emails and
    /// people's names replaced by placeholders, to attach to a bug report (docs/trace-http.md)
    #[arg(long, value_name = "FILE")]
    pub trace_http: Option<PathBuf>,
    /// Give up after this many seconds of Edge API calls in all (requests, retries and their
    /// waits; an apply's clock restarts after the confirmation). See docs/security.md
    #[arg(
        long,
        env = "SCOVILLE_TIMEOUT",
        value_name = "SECONDS",
        default_value_t = crate::edge::limits::DEFAULT_DEADLINE.as_secs(),
        value_parser = clap::value_parser!(u64).range(1..=86_400)
    )]
    pub timeout: u64,
}

/// Output format of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// Human-readable, with source snippets
    Text,
    /// GitHub Actions annotations (`::error file=...`)
    Github,
    /// JSON array of diagnostics
    Json,
}

/// Output format of plans and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// For people on a terminal (colour when it is one and NO_COLOR is unset)
    Text,
    /// Versioned JSON for programs (plan and apply: docs/plan-json.md; drift: docs/drift.md)
    Json,
    /// For a pull-request comment or an issue body (under GitHub's size limit)
    Markdown,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Manifest files or directories (default: the current directory)
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Text)]
    pub format: DiagnosticFormat,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Manifest files or directories (default: the current directory)
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Also save the plan as JSON to this file, for `scoville apply FILE`
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Allow deletes and removals past the policy's safety thresholds
    #[arg(long)]
    pub allow_destructive: bool,
    /// Exit 0 when there are no changes, 2 when there are, 1 on error
    #[arg(long)]
    pub detailed_exitcode: bool,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Manifest files or directories, or one saved plan file (*.json)
    pub paths: Vec<PathBuf>,
    /// Apply without asking (for CI)
    #[arg(long)]
    pub auto_approve: bool,
    /// Stop at the first failed step instead of running independent steps
    #[arg(long)]
    pub fail_fast: bool,
    /// Allow deletes and removals past the policy's safety thresholds
    #[arg(long)]
    pub allow_destructive: bool,
    /// Write the apply report as JSON to this file
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// After a fully successful apply, record what was applied (manifests hash, fingerprint of
    /// every managed object) to this file, for `scoville drift --last-applied FILE`
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct DriftArgs {
    /// Manifest files or directories (default: the current directory)
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// The record of the last apply (`scoville apply --record FILE`), to tell changes made in
    /// the org since from changes not applied yet
    #[arg(long, value_name = "FILE")]
    pub last_applied: Option<PathBuf>,
    /// Exit 0 when there is no drift, 2 when there is, 1 on error. drift always exits so; the
    /// flag is accepted so that `plan` and `drift` take the same one in scripts
    #[arg(long)]
    pub detailed_exitcode: bool,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Directory to write the manifests to (must be empty or not exist)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Output format of `doctor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DoctorFormat {
    /// For people on a terminal
    Text,
    /// JSON for programs (the report, `ok` and `blockers`)
    Json,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Manifest files or directories: also say which write permissions `apply` would need for
    /// their plan (optional; doctor needs no manifests)
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = DoctorFormat::Text)]
    pub format: DoctorFormat,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Run the emulator as an HTTP server on 127.0.0.1
    Serve(SandboxServeArgs),
    /// Forget the sandbox's saved state (the next --sandbox run starts from the demo org)
    Reset,
}

#[derive(Debug, Args)]
pub struct SandboxServeArgs {
    /// Port to listen on (0 picks a free one)
    #[arg(long, default_value_t = 4010)]
    pub port: u16,
    /// Load state from and save it to this JSON file
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Seed the org from this JSON file instead of the demo org
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
}

/// Parses argv, runs the command, and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    // Known before anything is read, so that whatever a manifest, a server or an argument
    // echoes, the token in the environment is removed from every message (even `validate`,
    // which never uses it, can be pointed at a file that holds it).
    if let Ok(value) = std::env::var(crate::edge::TOKEN_ENV_VAR) {
        crate::redact::register(&value);
    }
    let cli = Cli::parse();
    common::set_verbose(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(1);
        }
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            Command::Validate(args) => validate::run(args).await,
            Command::Schema => schema::run().await,
            Command::Plan(args) => plan::run(args).await,
            Command::Apply(args) => apply::run(args).await,
            Command::Drift(args) => drift::run(args).await,
            Command::Export(args) => export::run(args).await,
            Command::Doctor(args) => doctor::run(args).await,
            Command::Sandbox(command) => sandbox::run(command).await,
            Command::Completions(args) => docs::completions(args.shell),
            Command::Man => docs::man(),
        }
    });
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!(
                "error: {}",
                crate::redact::for_terminal(&crate::redact::redact(&format!("{error:#}")))
            );
            ExitCode::from(1)
        }
    }
}
