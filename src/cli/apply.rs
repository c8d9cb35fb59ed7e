//! `scoville apply`: plan and confirm, or apply a saved plan file after checking it is not
//! stale; then run the steps and print what happened to each.

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};

use super::ApplyArgs;
use super::common::{
    LoadedAndRead, color_stdout, emit, fetch_live, load_and_read, stderr_is_terminal,
    write_atomically,
};
use super::connect::{Connection, connect};
use crate::apply::{self, ApplyOptions, LogProgress, Progress, TerminalProgress};
use crate::drift;
use crate::live::{Scope, SettingsScope};
use crate::plan::{self, Address, Plan, PlanOptions, PlanOutcome};
use crate::render;

pub async fn run(args: ApplyArgs) -> anyhow::Result<ExitCode> {
    let saved_plan = match args.paths.as_slice() {
        [single] if single.extension().is_some_and(|ext| ext == "json") => Some(single.clone()),
        _ => None,
    };
    let (plan, connection) = match &saved_plan {
        Some(path) => {
            let plan = read_plan_file(path)?;
            let connection = connect(&args.connect).await?;
            match check_not_stale(&connection, &plan).await {
                Ok(()) => (plan, connection),
                Err(error) => {
                    connection.close().await?;
                    return Err(error);
                }
            }
        }
        None => {
            let LoadedAndRead {
                desired,
                connection,
                live,
            } = match load_and_read(&args.paths, &args.connect).await? {
                Ok(loaded) => loaded,
                Err(code) => return Ok(code),
            };
            let live = match live {
                Ok(live) => live,
                Err(error) => {
                    connection.close().await?;
                    return Err(error);
                }
            };
            let plan = plan::plan(
                &desired,
                &live,
                &PlanOptions::new(&desired, args.allow_destructive),
            );
            emit(&render::text(&plan, color_stdout()))?;
            (plan, connection)
        }
    };

    match plan.outcome() {
        PlanOutcome::Refused => {
            connection.close().await?;
            if saved_plan.is_some() {
                emit(&render::text(&plan, color_stdout()))?;
            }
            return Ok(ExitCode::from(1));
        }
        PlanOutcome::NoChanges => {
            let recorded = match &args.record {
                Some(path) => write_record(&connection, &plan, path).await,
                None => Ok(()),
            };
            connection.close().await?;
            if saved_plan.is_some() {
                emit("No changes. The live org matches the manifests.\n")?;
            }
            recorded?;
            return Ok(ExitCode::SUCCESS);
        }
        PlanOutcome::Changes => {
            // A saved plan was reviewed elsewhere; show it again before anything is changed.
            if saved_plan.is_some() {
                emit(&render::text(&plan, color_stdout()))?;
            }
        }
    }
    if !args.auto_approve
        && let Err(error) = confirm(&plan)
    {
        connection.close().await?;
        return Err(error);
    }

    let progress: Arc<dyn Progress> = if stderr_is_terminal() {
        Arc::new(TerminalProgress::new())
    } else {
        Arc::new(LogProgress)
    };
    let options = ApplyOptions {
        fail_fast: args.fail_fast,
        ..ApplyOptions::default()
    };
    let report = apply::run(&connection.client, &plan, &options, progress).await;
    // Only a fully successful apply is recorded: a record claims the org is as the manifests
    // say, and a partial apply would make later drift reports call unfinished work drift.
    let recorded = match &args.record {
        Some(path) if report.succeeded() => write_record(&connection, &plan, path).await,
        Some(path) => {
            eprintln!(
                "not recording the apply in {}: it did not fully succeed; the previous record \
                 (if any) is left as it was",
                path.display()
            );
            Ok(())
        }
        None => Ok(()),
    };
    connection.close().await?;

    emit(&report.render_text())?;
    if let Some(path) = &args.report {
        let json =
            serde_json::to_string_pretty(&report).context("cannot encode the apply report")?;
        write_atomically(path, &(json + "\n"))?;
    }
    recorded?;
    Ok(if report.succeeded() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn read_plan_file(path: &Path) -> anyhow::Result<Plan> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the plan file {}", path.display()))?;
    Plan::from_json(&text).with_context(|| format!("{} is not a usable plan", path.display()))
}

/// Reads the org again after a successful apply and records its state for `scoville drift
/// --last-applied`. The clock is read here; the record itself is made by a pure function.
async fn write_record(connection: &Connection, plan: &Plan, path: &Path) -> anyhow::Result<()> {
    let live_after = fetch_live(connection, &scope_of(plan))
        .await
        .context("the apply succeeded but the org could not be read again to record it")?;
    let now = jiff::Timestamp::now();
    let applied_at = jiff::Timestamp::from_second(now.as_second())
        .unwrap_or(now)
        .to_string();
    let record = drift::last_applied(plan, &live_after, Some(applied_at));
    write_atomically(path, &record.to_json())
        .context("the apply succeeded but its record could not be written")?;
    eprintln!(
        "recorded the apply in {}: keep it (commit it or keep it as a CI artifact) for `scoville drift --last-applied {}`",
        path.display(),
        path.display()
    );
    Ok(())
}

/// What to read to check the objects a plan read: every workspace, and the settings of the
/// workspaces whose settings it read.
fn scope_of(plan: &Plan) -> Scope {
    let settings: BTreeSet<String> = plan
        .fingerprints
        .iter()
        .filter_map(|fingerprint| match Address::parse(&fingerprint.address) {
            Some(Address::Settings(workspace)) => Some(workspace),
            _ => None,
        })
        .collect();
    Scope {
        workspaces: None,
        settings: if settings.is_empty() {
            SettingsScope::Nothing
        } else {
            SettingsScope::Listed(settings)
        },
    }
}

/// Re-reads the org and refuses the plan if anything it read or touches changed since.
async fn check_not_stale(connection: &Connection, plan: &Plan) -> anyhow::Result<()> {
    let live = fetch_live(connection, &scope_of(plan)).await?;
    let live_tenant = live.tenant.as_ref().map(|tenant| tenant.tenant_id.as_str());
    if let (Some(planned), Some(now)) = (plan.tenant.as_deref(), live_tenant)
        && planned != now
    {
        bail!(
            "the plan was made for tenant `{planned}` but the token belongs to `{now}`: use the \
             token of `{planned}`, or plan again"
        );
    }
    let stale = plan::stale_objects(plan, &live);
    if stale.is_empty() {
        return Ok(());
    }
    let mut message = String::from("plan is stale, nothing was applied:");
    for object in &stale {
        message.push_str(&format!("\n  - {object}"));
    }
    message.push_str("\nre-run `scoville plan --out FILE` and review the new plan");
    bail!(message)
}

/// Asks on the terminal; refuses without one.
fn confirm(plan: &Plan) -> anyhow::Result<()> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        bail!(
            "refusing to apply without confirmation: standard input is not a terminal; review the plan and pass --auto-approve (as CI does)"
        );
    }
    let tenant = plan.tenant.as_deref().unwrap_or("the org");
    let calls = match plan.summary.api_calls {
        1 => "this API call".to_string(),
        n => format!("these {n} API calls"),
    };
    eprint!("\nApply {calls} to {tenant}? Only `yes` is accepted: ");
    std::io::stderr().flush().ok();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .context("cannot read the answer")?;
    if answer.trim() != "yes" {
        bail!("apply cancelled: nothing was changed");
    }
    Ok(())
}
