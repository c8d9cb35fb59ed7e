//! `scoville drift`.

use std::process::ExitCode;

pub async fn run(args: super::DriftArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`scoville drift` is not built yet")
}
