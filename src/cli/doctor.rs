//! `scoville doctor`: the first thing to run against a real org. Reads only; with manifests,
//! also says which write permissions `apply` would need. Exit 0 when scoville can work with
//! the org read-only, 1 otherwise.

use std::process::ExitCode;

use super::common::{emit, load_manifests, spinner};
use super::connect::connect;
use super::{DoctorArgs, DoctorFormat};
use crate::doctor;
use crate::live::{self, Scope};
use crate::plan::{self, PlanOptions};

pub async fn run(args: DoctorArgs) -> anyhow::Result<ExitCode> {
    let desired = if args.paths.is_empty() {
        None
    } else {
        match load_manifests(&args.paths) {
            Ok(desired) => Some(desired),
            Err(code) => return Ok(code),
        }
    };
    let connection = connect(&args.connect).await?;
    let spinner = spinner("examining the org (reads only)");
    let examination = doctor::examine(&connection.client).await;
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    connection.close().await?;
    let mut report = examination.report;
    if let (Some(desired), Some(parts)) = (&desired, examination.parts) {
        // The same reads `plan` makes, translated for the manifests' scope.
        if let Ok(live) = live::to_live(parts, &Scope::for_desired(desired)) {
            let plan = plan::plan(desired, &live, &PlanOptions::new(desired, false));
            report.write_needs = Some(doctor::write_needs(&plan));
        }
    }
    emit(&match args.format {
        DoctorFormat::Text => doctor::text(&report),
        DoctorFormat::Json => report.json(),
    })?;
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
