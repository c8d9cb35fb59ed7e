//! `scoville export`.

use std::process::ExitCode;

pub async fn run(args: super::ExportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`scoville export` is not built yet")
}
