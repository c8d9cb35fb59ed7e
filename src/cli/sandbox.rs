//! `scoville sandbox`.

use std::process::ExitCode;

pub async fn run(command: super::SandboxCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`scoville sandbox` is not built yet")
}
