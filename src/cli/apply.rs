//! `scoville apply`: plan and confirm, or show a saved plan file and confirm; then, right before
//! the first write, take the org's lock and verify the plan against a fresh read
//! (`apply::verify`); then run the steps and print what happened to each.

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};

use super::ApplyArgs;
use super::common::{
    LoadedAndRead, color_stdout, emit, fetch_live, is_saved_plan, load_and_read, saved_plan_among,
    stderr_is_terminal, write_atomically,
};
use super::connect::{Connection, connect};
use crate::apply::lock::{self, ApplyLock};
use crate::apply::{self, ApplyOptions, LogProgress, Progress, TerminalProgress, verify};
use crate::drift;
use crate::live::{Scope, SettingsScope};
use crate::plan::{self, Address, Plan, PlanInputs, PlanOptions, PlanOutcome};
use crate::render;

pub async fn run(args: ApplyArgs) -> anyhow::Result<ExitCode> {
    // A saved plan is recognized by its content, whatever its name; it must come alone.
    let saved_plan = match args.paths.as_slice() {
        [single] if is_saved_plan(single) => Some(single.clone()),
        [single] if single.extension().is_some_and(|ext| ext == "json") => Some(single.clone()),
        paths => {
            if let Some(plan) = saved_plan_among(paths) {
                bail!(
                    "`{}` is a saved plan: pass it alone (`scoville apply {}`), or pass only \
                     manifests to plan and apply them now",
                    plan.display(),
                    plan.display()
                );
            }
            None
        }
    };
    let (plan, inputs, connection) = match &saved_plan {
        Some(path) => {
            let plan = read_plan_file(path)?;
            let inputs = plan.inputs.clone();
            let connection = connect(&args.connect).await?;
            (plan, inputs, connection)
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
                &PlanOptions::new(&desired, args.allow_destructive).on(super::common::today()),
            );
            emit(&render::text_with(
                &plan,
                color_stdout(),
                super::common::verbose(),
            ))?;
            let inputs = PlanInputs {
                desired,
                allow_destructive: args.allow_destructive,
            };
            (plan, Some(inputs), connection)
        }
    };

    match plan.outcome() {
        PlanOutcome::Refused => {
            connection.close().await?;
            if saved_plan.is_some() {
                emit(&render::text_with(
                    &plan,
                    color_stdout(),
                    super::common::verbose(),
                ))?;
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
                emit(&render::text_with(
                    &plan,
                    color_stdout(),
                    super::common::verbose(),
                ))?;
            }
        }
    }
    if !args.auto_approve
        && let Err(error) = confirm(&plan)
    {
        connection.close().await?;
        return Err(error);
    }
    // The deadline covers the calls, not the time a person took to answer.
    connection.client.restart_deadline();

    // Right before the first write: one apply per org at a time on this machine, and the
    // plan must still be what a plan made now would say (`apply::verify`).
    let _lock = match lock_org(&connection, &plan) {
        Ok(lock) => lock,
        Err(error) => {
            connection.close().await?;
            return Err(error);
        }
    };
    if let Err(error) = verify::verify(&connection.client, &plan, inputs.as_ref()).await {
        connection.close().await?;
        return Err(error.into());
    }

    let progress: Arc<dyn Progress> = if stderr_is_terminal() {
        Arc::new(TerminalProgress::new())
    } else {
        Arc::new(LogProgress)
    };
    // From here on the first Ctrl-C (or SIGTERM) stops the apply cleanly, the second at once.
    let interrupt = apply::Interrupt::new(
        connection.client.options().parallelism,
        apply::DEFAULT_GRACE,
    );
    apply::listen_for_signals(interrupt.clone(), connection.save_sandbox_hook());
    let options = ApplyOptions {
        fail_fast: args.fail_fast,
        interrupt: Some(interrupt),
        recheck: inputs.map(Arc::new),
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
    Ok(if report.interrupted {
        ExitCode::from(apply::EXIT_INTERRUPTED)
    } else if report.succeeded() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn read_plan_file(path: &Path) -> anyhow::Result<Plan> {
    let text = crate::fsio::read_text_checked(
        path,
        crate::fsio::Within::Anywhere,
        crate::fsio::MAX_DOCUMENT_BYTES,
    )
    .context("cannot read the plan file")?;
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

/// What to read to record the objects a plan read: every workspace, and the settings of the
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
        ..Scope::default()
    }
}

/// The per-org apply lock for a real org (the sandbox is locked by `connect`, by its state
/// file). Keyed by endpoint and the tenant the plan was made for.
fn lock_org(connection: &Connection, plan: &Plan) -> anyhow::Result<Option<ApplyLock>> {
    if connection.is_sandbox() {
        return Ok(None);
    }
    let tenant = plan.tenant.as_deref().unwrap_or("unknown tenant");
    let endpoint = connection.client.endpoint().as_str();
    let path = lock::tenant_lock_path(endpoint, tenant);
    Ok(Some(lock::acquire(&path, &format!("tenant `{tenant}`"))?))
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
    let n_read = stdin
        .lock()
        .read_line(&mut answer)
        .context("cannot read the answer")?;
    if n_read == 0 {
        // End of input (Ctrl-D): end the prompt's line so the error starts on its own.
        eprintln!();
    }
    if answer.trim() != "yes" {
        bail!("apply cancelled: nothing was changed");
    }
    Ok(())
}
