//! `scoville plan`: read the live org, diff it against the manifests, print the plan (and
//! save it for `scoville apply FILE`).

use std::process::ExitCode;

use super::common::{color_stdout, emit, fetch_live, load_manifests, write_atomically};
use super::connect::connect;
use super::{PlanArgs, ReportFormat};
use crate::live::Scope;
use crate::plan::{self, Plan, PlanInputs, PlanOptions, PlanOutcome};
use crate::render;

pub async fn run(args: PlanArgs) -> anyhow::Result<ExitCode> {
    let desired = match load_manifests(&args.paths) {
        Ok(desired) => desired,
        Err(code) => return Ok(code),
    };
    let connection = connect(&args.connect).await?;
    let live = fetch_live(&connection, &Scope::for_desired(&desired)).await;
    connection.close().await?;
    let live = live?;
    let plan = plan::plan(
        &desired,
        &live,
        &PlanOptions::new(&desired, args.allow_destructive).on(super::common::today()),
    );

    if let Some(out) = &args.out {
        if plan.outcome() == PlanOutcome::Refused {
            eprintln!(
                "the plan was refused, so it was not saved to {}: fix the problems it lists and \
                 plan again",
                out.display()
            );
        } else {
            // The saved file carries the manifests it was made from, so `apply FILE` can plan
            // again on a fresh read right before writing (`apply::verify`).
            let saved = Plan {
                inputs: Some(PlanInputs {
                    desired: desired.clone(),
                    allow_destructive: args.allow_destructive,
                }),
                ..plan.clone()
            };
            write_atomically(out, &render::json(&saved))?;
            eprintln!(
                "saved the plan to {}: apply exactly it with `scoville apply {}`",
                out.display(),
                out.display()
            );
        }
    }
    // A noun phrase: the Markdown note reads "The full plan is in <artifact>."
    let artifact = match &args.out {
        Some(out) => format!("`{}`", out.display()),
        None => "the JSON plan, which `scoville plan --out plan.json` saves".to_string(),
    };
    let rendered = match args.format {
        ReportFormat::Text => render::text_with(&plan, color_stdout(), super::common::verbose()),
        ReportFormat::Json => render::json(&plan),
        ReportFormat::Markdown => render::markdown(&plan, &artifact),
    };
    emit(&rendered)?;

    Ok(match plan.outcome() {
        PlanOutcome::Refused => ExitCode::from(1),
        PlanOutcome::NoChanges => ExitCode::SUCCESS,
        PlanOutcome::Changes if args.detailed_exitcode => ExitCode::from(2),
        PlanOutcome::Changes => ExitCode::SUCCESS,
    })
}
