//! `scoville apply`.

use std::process::ExitCode;

pub async fn run(args: super::ApplyArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`scoville apply` is not built yet")
}
