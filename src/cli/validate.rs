//! `scoville validate`.

use std::process::ExitCode;

pub async fn run(args: super::ValidateArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`scoville validate` is not built yet")
}
