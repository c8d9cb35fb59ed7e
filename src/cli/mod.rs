//! The command line: argv in, stdout/stderr and exit codes out. The only code that sees them.

mod apply;
mod common;
mod connect;
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
    /// no drift, 2 drift, 1 error)
    Drift(DriftArgs),
    /// Write manifests that describe the live org, to adopt scoville on an existing org
    Export(ExportArgs),
    /// The Edge API emulator: try scoville without a Chili Piper account
    #[command(subcommand)]
    Sandbox(SandboxCommand),
}

/// How to reach the Edge API, shared by every command that talks to it.
#[derive(Debug, Clone, Args)]
pub struct ConnectArgs {
    /// Use the built-in emulator seeded with the demo org; its state is kept in .scoville/
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// Edge API base URL (plain http:// only for loopback)
    #[arg(long, env = "SCOVILLE_ENDPOINT", value_name = "URL")]
    pub endpoint: Option<String>,
    /// Read the API token from this file instead of CHILI_PIPER_API_KEY
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Ceiling of concurrent requests. scoville starts at 32 in flight (or this, if lower) and
    /// adapts: more while answers are clean and prompt, half as many on 429/503/timeouts,
    /// waiting out `Retry-After`; it never exceeds this value (see docs/performance.md)
    #[arg(long, default_value_t = crate::edge::DEFAULT_PARALLELISM as u16, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub parallelism: u16,
    /// Print request counts per operation and bytes transferred at the end
    #[arg(long)]
    pub stats: bool,
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
    /// Versioned JSON for programs (docs/plan-json.md)
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
    let cli = Cli::parse();
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
            Command::Sandbox(command) => sandbox::run(command).await,
        }
    });
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}
