//! `scoville drift`: read the live org (a read-only token suffices), compare it with the
//! manifests and report each drifted object with who changed it and when. Exit 0 no drift,
//! 2 drift, 1 error. The clock is read here (today's date, for ignore entries' expiry) so that
//! `drift/` stays pure.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::common::{LoadedAndRead, color_stdout, load_and_read, load_manifests};
use super::{DriftArgs, ReportFormat};
use crate::drift::{self, DriftOptions, DriftOutcome, LastApplied};

pub async fn run(args: DriftArgs) -> anyhow::Result<ExitCode> {
    // Read the record before connecting, so a wrong path fails before any request (problems
    // in the manifests are still reported first).
    let last_applied = match args.last_applied.as_deref().map(read_record).transpose() {
        Ok(record) => record,
        Err(error) => {
            if let Err(code) = load_manifests(&args.paths) {
                return Ok(code);
            }
            return Err(error);
        }
    };
    let LoadedAndRead {
        desired,
        connection,
        live,
    } = match load_and_read(&args.paths, &args.connect).await? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    connection.close().await?;
    let live = live?;

    let today = super::common::today();
    let report = drift::drift(
        &desired,
        &live,
        &DriftOptions {
            today,
            last_applied: last_applied.as_ref(),
        },
    );
    let rendered = match args.format {
        ReportFormat::Text => drift::text(&report, color_stdout()),
        ReportFormat::Json => drift::json(&report),
        ReportFormat::Markdown => drift::markdown(&report),
    };
    super::common::emit(&rendered)?;
    Ok(match report.outcome() {
        DriftOutcome::Refused => ExitCode::from(1),
        DriftOutcome::NoDrift => ExitCode::SUCCESS,
        DriftOutcome::Drift => ExitCode::from(2),
    })
}

fn read_record(path: &Path) -> anyhow::Result<LastApplied> {
    let text = crate::fsio::read_text_checked(
        path,
        crate::fsio::Within::Anywhere,
        crate::fsio::MAX_DOCUMENT_BYTES,
    )
    .context("cannot read the record of the last apply: check the path, or drop --last-applied")?;
    LastApplied::from_json(&text)
        .with_context(|| format!("{} is not a usable apply record", path.display()))
}
