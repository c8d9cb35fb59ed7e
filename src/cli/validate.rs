//! `scoville validate`: load the manifests offline and report every problem, or a one-line
//! summary of what they declare.

use std::process::ExitCode;

use super::{DiagnosticFormat, ValidateArgs};
use crate::manifest;
use crate::model::Desired;

pub async fn run(args: ValidateArgs) -> anyhow::Result<ExitCode> {
    match manifest::load(&args.paths) {
        Ok(desired) => {
            let summary = summary(&desired);
            match args.format {
                // stdout stays machine-readable: an empty list of problems.
                DiagnosticFormat::Json => {
                    super::common::emit("[]\n")?;
                    eprintln!("{summary}");
                }
                DiagnosticFormat::Text | DiagnosticFormat::Github => {
                    super::common::emit(&format!("{summary}\n"))?
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(diagnostics) => {
            match args.format {
                DiagnosticFormat::Text => {
                    eprint!("{}", crate::redact::shown(&diagnostics.render_text()));
                    eprintln!();
                    eprintln!(
                        "error: found {diagnostics}; fix them and run `scoville validate` again"
                    );
                }
                DiagnosticFormat::Github => super::common::emit(&diagnostics.render_github())?,
                DiagnosticFormat::Json => super::common::emit(&diagnostics.render_json())?,
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// `manifests are valid: 26 users, 3 workspaces, 7 teams, 4 distributions, 5 rules`, then the
/// meeting types, reminders and scheduling links when there are any.
pub fn summary(desired: &Desired) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let workspaces = desired.workspaces.values();
    let n_teams: usize = workspaces.clone().map(|w| w.teams.len()).sum();
    let n_distributions: usize = workspaces.clone().map(|w| w.distributions.len()).sum();
    let n_rules: usize = workspaces.clone().map(|w| w.rules.len()).sum();
    let mut line = format!(
        "manifests are valid: {}, {}, {}, {}, {}",
        count(desired.users.len(), "user", "users"),
        count(desired.workspaces.len(), "workspace", "workspaces"),
        count(n_teams, "team", "teams"),
        count(n_distributions, "distribution", "distributions"),
        count(n_rules, "rule", "rules"),
    );
    let booking = [
        (
            workspaces.clone().map(|w| w.meeting_types.len()).sum(),
            "meeting type",
            "meeting types",
        ),
        (
            workspaces.clone().map(|w| w.reminders.len()).sum(),
            "reminder",
            "reminders",
        ),
        (
            workspaces.map(|w| w.links.len()).sum::<usize>(),
            "scheduling link",
            "scheduling links",
        ),
    ];
    for (n, one, many) in booking {
        if n > 0 {
            line.push_str(&format!(", {}", count(n, one, many)));
        }
    }
    line
}
