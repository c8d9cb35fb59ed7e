//! `scoville plan`.

use std::process::ExitCode;

pub async fn run(args: super::PlanArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`scoville plan` is not built yet")
}
