//! The pull-request comment: the summary line, a table of every step with destructive ones
//! first, details in collapsible sections, unmanaged objects and the execution order, always
//! below GitHub's 65,536-character comment limit. What does not fit is left out with a note
//! that points at the full plan artifact.

use std::fmt::Write as _;

use super::{
    before_after, calls_by_op, count, describe, license_delta, line_diff, phase_summary,
    summary_line,
};
use crate::plan::{Detail, Plan, Step};

/// GitHub's limit on the body of an issue or pull-request comment, in characters.
pub const MARKDOWN_LIMIT: usize = 65_536;

/// What the rendering may use, in bytes (never fewer than characters), leaving room for the
/// truncation note and a margin for whoever wraps the comment (e.g. a sticky-comment marker).
pub(crate) const BUDGET: usize = MARKDOWN_LIMIT - 4_096;

/// The plan as a pull-request comment. `artifact_hint` is a noun phrase saying where the full
/// plan is, e.g. "the `plan.json` artifact of this workflow run"; the truncation note reads
/// "The full plan is in <artifact_hint>."
pub fn markdown(plan: &Plan, artifact_hint: &str) -> String {
    let mut out = String::new();
    let tenant = plan
        .tenant
        .as_deref()
        .map(|tenant| format!(" for `{}`", code(tenant)))
        .unwrap_or_default();
    let _ = writeln!(out, "### scoville plan{tenant}\n");
    let _ = writeln!(out, "**{}**\n", summary_line(plan));

    if !plan.errors.is_empty() {
        for error in &plan.errors {
            let at = error
                .problem
                .at()
                .map(|at| format!(" (`{}:{}`)", code(&at.file), at.line))
                .unwrap_or_default();
            let _ = writeln!(out, "- :x: {}{at}", inline(&error.message));
            for address in error.problem.addresses().iter().take(50) {
                let _ = writeln!(out, "  - `{}`", code(address));
            }
            if error.problem.addresses().len() > 50 {
                let _ = writeln!(
                    out,
                    "  - … and {} more",
                    error.problem.addresses().len() - 50
                );
            }
        }
        out.push('\n');
    }

    let destructive = plan.steps.iter().filter(|s| s.destructive).count();
    if destructive > 0 {
        let _ = writeln!(
            out,
            "> [!CAUTION]\n> **This plan deletes or removes:** {}, listed first below.\n",
            count(destructive, "destructive step", "destructive steps")
        );
    }
    if !plan.warnings.is_empty() {
        let _ = writeln!(out, "> [!WARNING]");
        for warning in &plan.warnings {
            let _ = writeln!(out, "> - {}", inline(&warning.message));
        }
        out.push('\n');
    }

    // Large plans: the calls per operation first, so a cut table still shows the whole.
    if plan.steps.len() > 30 {
        out.push_str("| Operation | Calls |\n|---|--:|\n");
        for (op, n) in calls_by_op(plan.steps.iter().map(|s| s.call.op().id)) {
            let _ = writeln!(out, "| `{op}` | {n} |");
        }
        out.push('\n');
    }

    // Destructive steps first, then plan order.
    let mut ordered: Vec<&Step> = plan.steps.iter().filter(|s| s.destructive).collect();
    ordered.extend(plan.steps.iter().filter(|s| !s.destructive));

    let mut rows_left_out = 0;
    let mut details_left_out = 0;
    let mut other_left_out = Vec::new();
    if !ordered.is_empty() {
        out.push_str("| | Object | Change | Why |\n|:-:|---|---|---|\n");
        for (index, step) in ordered.iter().enumerate() {
            let change = if step.destructive {
                format!("**{}** :warning:", cell(&describe(step)))
            } else {
                cell(&describe(step))
            };
            let row = format!(
                "| `{}` | `{}` | {change} | {} |\n",
                step.action.marker(),
                code(&step.target),
                cell(&step.reason)
            );
            if out.len() + row.len() > BUDGET / 2 {
                rows_left_out = ordered.len() - index;
                break;
            }
            out.push_str(&row);
        }
        out.push('\n');
        for (index, step) in ordered.iter().enumerate() {
            let Some(section) = details(step) else {
                continue;
            };
            if out.len() + section.len() > BUDGET {
                details_left_out = ordered[index..]
                    .iter()
                    .filter(|s| details(s).is_some())
                    .count();
                break;
            }
            out.push_str(&section);
        }
    }

    if !plan.unmanaged.is_empty() {
        let mut section = format!(
            "<details><summary>Unmanaged: {} not in the manifests, left alone</summary>\n\n",
            count(plan.unmanaged.len(), "object", "objects")
        );
        for unmanaged in &plan.unmanaged {
            let ignored = unmanaged
                .ignored
                .as_ref()
                .map(|reason| format!(" (ignored: {})", inline(reason)))
                .unwrap_or_default();
            let _ = writeln!(
                section,
                "- `{}` {}{ignored}",
                code(&unmanaged.address),
                inline(&unmanaged.detail)
            );
        }
        section.push_str("\n</details>\n\n");
        if out.len() + section.len() > BUDGET {
            other_left_out.push("the unmanaged objects");
        } else {
            out.push_str(&section);
        }
    }

    if !plan.phases.is_empty() {
        let mut section = format!(
            "<details><summary>Execution order: {} in {}</summary>\n\n",
            count(plan.steps.len(), "API call", "API calls"),
            count(plan.phases.len(), "phase", "phases")
        );
        for (index, phase) in plan.phases.iter().enumerate() {
            let ids: Vec<String> = phase_summary(phase)
                .iter()
                .map(|entry| format!("`{}`", code(entry)))
                .collect();
            let _ = writeln!(section, "{}. {}", index + 1, ids.join(", "));
        }
        section.push_str("\n</details>\n\n");
        if out.len() + section.len() > BUDGET {
            other_left_out.push("the execution order");
        } else {
            out.push_str(&section);
        }
    }

    if let Some(left_out) = left_out(rows_left_out, details_left_out, &other_left_out) {
        let _ = writeln!(
            out,
            "> [!NOTE]\n> This comment is cut to stay under GitHub's 65,536-character limit: {left_out} left out. The full plan is in {}.\n",
            inline(artifact_hint)
        );
    }
    out
}

/// What a rendering cut to fit the budget left out, in words (`3 rows of the table, 2 detail
/// sections`), or `None` when nothing was.
pub(crate) fn left_out(rows: usize, details: usize, others: &[&str]) -> Option<String> {
    let mut missing = Vec::new();
    if rows > 0 {
        missing.push(format!("{} of the table", count(rows, "row", "rows")));
    }
    if details > 0 {
        missing.push(count(details, "detail section", "detail sections"));
    }
    missing.extend(others.iter().map(|s| s.to_string()));
    (!missing.is_empty()).then(|| missing.join(", "))
}

/// The collapsible section of a step, for steps with more to show than the table row.
fn details(step: &Step) -> Option<String> {
    let mut body = String::new();
    match &step.detail {
        Detail::Invite { .. } => return None,
        Detail::Licenses { users } => {
            body.push_str("| User | Licenses | Why |\n|---|---|---|\n");
            for change in users {
                let _ = writeln!(
                    body,
                    "| `{}` | {} | {} |",
                    code(change.email.as_str()),
                    cell(&license_delta(&change.before, &change.after)),
                    cell(&change.reason)
                );
            }
        }
        Detail::Members { users } => {
            if users.is_empty() {
                return None;
            }
            let tag = step.action.marker();
            for user in users {
                let _ = writeln!(
                    body,
                    "- `{tag}` `{}` {}",
                    code(&user.user),
                    inline(&format!("({})", user.reason))
                );
            }
        }
        Detail::Distribution { shares, .. } => {
            push_diff(&mut body, step);
            if !shares.is_empty() {
                body.push_str(
                    "\n| Rep | Weight | Share before | Share after |\n|---|--:|--:|--:|\n",
                );
                for share in shares {
                    let weight = |w: Option<u32>| w.map_or("-".to_string(), |w| w.to_string());
                    let show = |s: Option<crate::plan::Share>| {
                        s.map_or("-".to_string(), |s| s.to_string())
                    };
                    let weights = if share.weight_before == share.weight_after {
                        weight(share.weight_after)
                    } else {
                        format!(
                            "{} → {}",
                            weight(share.weight_before),
                            weight(share.weight_after)
                        )
                    };
                    let _ = writeln!(
                        body,
                        "| `{}` | {weights} | {} | {} |",
                        code(share.email.as_str()),
                        show(share.before),
                        show(share.after)
                    );
                }
            }
        }
        Detail::Rule { .. }
        | Detail::Settings { .. }
        | Detail::MeetingType { .. }
        | Detail::Reminder { .. } => push_diff(&mut body, step),
        Detail::Attachment { .. } => return None,
        Detail::Link(link) => {
            push_diff(&mut body, step);
            for line in super::booking::link_lines(link) {
                let _ = writeln!(body, "- {}", inline(line.trim()));
            }
        }
    }
    // A rename that changes nothing else has nothing to unfold: its row in the table says it
    // all, and an empty `<details>` in a pull request only looks broken.
    if body.trim().is_empty() {
        return None;
    }
    let warning = if step.destructive { " :warning:" } else { "" };
    Some(format!(
        "<details><summary><code>{} {}</code> {}{warning}</summary>\n\n{body}\n</details>\n\n",
        step.action.marker(),
        html(&step.target),
        html(&describe(step))
    ))
}

fn push_diff(body: &mut String, step: &Step) {
    let Some((before, after)) = before_after(step) else {
        return;
    };
    if before == after {
        return;
    }
    // A fence longer than any backtick run inside, so names cannot close it.
    let longest = before
        .split(|c| c != '`')
        .chain(after.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(body, "{fence}diff");
    for (tag, line) in line_diff(&before, &after) {
        match tag {
            '…' => body.push_str("@@ … @@\n"),
            tag => {
                let _ = writeln!(body, "{tag}{line}");
            }
        }
    }
    let _ = writeln!(body, "{fence}");
}

/// Text for inside a code span in a table: no pipes, no backticks, one line.
pub(crate) fn code(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('`', "'")
        .replace('\n', " ")
}

/// Text for a table cell.
pub(crate) fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

/// Text outside code: one line, with HTML and Markdown-significant angle brackets escaped.
pub(crate) fn inline(text: &str) -> String {
    text.replace('\n', " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text inside HTML.
pub(crate) fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('`', "'")
}
