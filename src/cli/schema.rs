//! `scoville schema`.

use std::process::ExitCode;

pub async fn run() -> anyhow::Result<ExitCode> {
    anyhow::bail!("`scoville schema` is not built yet")
}
