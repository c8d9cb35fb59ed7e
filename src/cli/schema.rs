//! `scoville schema`: print the JSON Schema of the manifest files, for editors
//! (`# yaml-language-server: $schema=...`).

use std::io::Write;
use std::process::ExitCode;

pub async fn run() -> anyhow::Result<ExitCode> {
    let schema = crate::manifest::json_schema();
    std::io::stdout().lock().write_all(schema.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
