//! The terminal rendering of a plan: grouped by workspace and kind, `+` create / `~` change /
//! `-` delete / `>` rename, line diffs of configurations, shares of assignment, unmanaged
//! objects, the execution order, and the summary line last. Colour only when asked.

use std::fmt::Write as _;

use super::unmanaged::{FOLDED_NOTE, UnmanagedLine, unmanaged_lines};
use super::{
    before_after, count, describe, grouped, license_delta, line_diff, phase_summary, summary_line,
};
use crate::plan::{Action, Detail, Plan, Step};

/// ANSI styles, or nothing when colour is off.
struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
    fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }
    fn alarm(&self, text: &str) -> String {
        self.paint("1;31", text)
    }
    fn marker(&self, tag: char, text: &str) -> String {
        match tag {
            '+' => self.paint("32", text),
            '-' => self.paint("31", text),
            '~' => self.paint("33", text),
            '>' => self.paint("36", text),
            _ => text.to_string(),
        }
    }
}

/// The plan for a terminal. `color` adds ANSI colours; the caller decides (TTY, `NO_COLOR`).
/// Many unmanaged objects of one kind are folded into a line of counts.
pub fn text(plan: &Plan, color: bool) -> String {
    text_with(plan, color, false)
}

/// [`text`], listing every unmanaged object when `verbose` (`--verbose`).
pub fn text_with(plan: &Plan, color: bool, verbose: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    let tenant = plan.tenant.as_deref().unwrap_or("(unknown tenant)");
    let hash: String = plan.content_hash.chars().take(12).collect();
    let _ = writeln!(
        out,
        "{}",
        style.bold(&format!("scoville plan for {tenant} (manifests {hash})"))
    );
    out.push('\n');

    if !plan.errors.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            style.alarm(&format!(
                "Nothing is planned: {} must be fixed first.",
                count(plan.errors.len(), "problem", "problems")
            ))
        );
        out.push('\n');
        for error in &plan.errors {
            let _ = writeln!(out, "  {} {}", style.alarm("error:"), error.message);
            if let Some(at) = error.problem.at() {
                let _ = writeln!(out, "    {} {at}", style.dim("-->"));
            }
            for address in error.problem.addresses() {
                let _ = writeln!(out, "      {}", style.red(&format!("- {address}")));
            }
            out.push('\n');
        }
    }

    let destructive: Vec<&Step> = plan.steps.iter().filter(|s| s.destructive).collect();
    if !destructive.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            style.alarm(&format!(
                "!! This plan deletes or removes ({}):",
                count(destructive.len(), "destructive step", "destructive steps")
            ))
        );
        for step in &destructive {
            let _ = writeln!(
                out,
                "{}",
                style.alarm(&format!("!!   - {}  {}", step.target, describe(step)))
            );
        }
        out.push('\n');
    }

    for (workspace, kinds) in grouped(plan) {
        let heading = match workspace {
            Some(workspace) => format!("Workspace {workspace}"),
            None => "Org".to_string(),
        };
        let _ = writeln!(out, "{}", style.bold(&heading));
        for (kind, steps) in kinds {
            let _ = writeln!(out, "  {kind}");
            for step in steps {
                write_step(&mut out, &style, step);
            }
        }
        out.push('\n');
    }

    if !plan.warnings.is_empty() {
        let _ = writeln!(out, "{}", style.bold("Warnings"));
        for warning in &plan.warnings {
            let _ = writeln!(out, "  ! {}", warning.message);
        }
        out.push('\n');
    }

    if !plan.unmanaged.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            style.bold("Unmanaged (not in the manifests, left alone)")
        );
        let mut folded = false;
        for line in unmanaged_lines(plan, verbose) {
            match line {
                UnmanagedLine::Object(unmanaged) => {
                    let ignored = unmanaged
                        .ignored
                        .as_ref()
                        .map(|reason| format!("  [ignored: {reason}]"))
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "  {}  {}{ignored}",
                        unmanaged.address,
                        style.dim(&unmanaged.detail)
                    );
                }
                UnmanagedLine::Folded { summary, n_ignored } => {
                    folded = true;
                    let ignored = match n_ignored {
                        0 => String::new(),
                        n => format!("  [{n} ignored by the policy]"),
                    };
                    let _ = writeln!(out, "  {summary}{ignored}");
                }
            }
        }
        if folded {
            let _ = writeln!(out, "  {}", style.dim(FOLDED_NOTE));
        }
        out.push('\n');
    }

    if !plan.phases.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            style.bold(&format!(
                "Execution order ({} in {}; steps of one phase run in any order)",
                count(plan.steps.len(), "API call", "API calls"),
                count(plan.phases.len(), "phase", "phases")
            ))
        );
        for (index, phase) in plan.phases.iter().enumerate() {
            let listed = phase_summary(phase).join(", ");
            let _ = writeln!(out, "  {}. {listed}", index + 1);
        }
        out.push('\n');
    }

    let _ = writeln!(out, "{}", style.bold(&summary_line(plan)));
    out
}

/// Under a step that grants licenses: the plan cannot know whether the org has the seats.
pub(crate) const SEATS_NOTE: &str = "note: the Edge API exposes no seat count, so the plan cannot \
     check that the org has a free seat for each license granted; without one, this step fails \
     at apply";

fn write_step(out: &mut String, style: &Style, step: &Step) {
    let marker = step.action.marker();
    let destructive = if step.destructive {
        format!("  {}", style.alarm("[destructive]"))
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "    {} {}  {}  {}{destructive}",
        style.marker(marker, &marker.to_string()),
        style.marker(marker, &step.target),
        describe(step),
        style.dim(&format!("({})", step.reason))
    );
    let indent = "        ";
    match &step.detail {
        Detail::Invite { .. } => {}
        Detail::Licenses { users } => {
            for change in users {
                let _ = writeln!(
                    out,
                    "{indent}{}  {}  {}",
                    change.email,
                    license_delta(&change.before, &change.after),
                    style.dim(&format!("({})", change.reason))
                );
            }
            if users
                .iter()
                .any(|c| c.after.iter().any(|l| !c.before.contains(l)))
            {
                let _ = writeln!(out, "{indent}{}", style.dim(SEATS_NOTE));
            }
        }
        Detail::Members { users } => {
            let tag = match step.action {
                Action::Remove | Action::Delete => '-',
                _ => '+',
            };
            for user in users {
                let _ = writeln!(
                    out,
                    "{indent}{} {}  {}",
                    style.marker(tag, &tag.to_string()),
                    user.user,
                    style.dim(&format!("({})", user.reason))
                );
            }
        }
        Detail::Distribution { shares, .. } => {
            write_diff(out, style, step, indent);
            if !shares.is_empty() {
                let _ = writeln!(out, "{indent}share of assignments:");
                let width = shares
                    .iter()
                    .map(|s| s.email.as_str().len())
                    .max()
                    .unwrap_or(0);
                for share in shares {
                    let show = |value: Option<crate::plan::Share>| {
                        value.map_or_else(|| "-".to_string(), |v| v.to_string())
                    };
                    let (before, after) = (show(share.before), show(share.after));
                    let line =
                        format!("{:width$}  {before:>6} -> {after:>6}", share.email.as_str());
                    let tag = if share.before == share.after {
                        ' '
                    } else {
                        '~'
                    };
                    let _ = writeln!(out, "{indent}  {}", style.marker(tag, &line));
                }
            }
        }
        Detail::Rule { .. }
        | Detail::Settings { .. }
        | Detail::MeetingType { .. }
        | Detail::Reminder { .. } => write_diff(out, style, step, indent),
        Detail::Attachment { .. } => {}
        Detail::Link(link) => {
            write_diff(out, style, step, indent);
            for line in super::booking::link_lines(link) {
                let _ = writeln!(out, "{indent}{}", style.dim(&line));
            }
        }
    }
}

fn write_diff(out: &mut String, style: &Style, step: &Step, indent: &str) {
    let Some((before, after)) = before_after(step) else {
        return;
    };
    for (tag, line) in line_diff(&before, &after) {
        let text = match tag {
            '…' => format!("{indent}  …"),
            tag => format!("{indent}{tag} {line}"),
        };
        let _ = writeln!(out, "{}", style.marker(tag, &text));
    }
}
