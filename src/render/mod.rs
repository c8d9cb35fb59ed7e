//! Renderers of plans: text (terminal), JSON (the versioned plan file) and Markdown (a
//! pull-request comment). Pure functions of a `Plan`: no I/O, no clock; the CLI decides where
//! the output goes and whether to colour it (TTY, `NO_COLOR`).

mod booking;
pub(crate) mod markdown;
mod text;
mod unmanaged;
mod yamlish;

pub use markdown::{MARKDOWN_LIMIT, markdown};
pub use text::{text, text_with};
pub use unmanaged::{UnmanagedLine, kind_plural, unmanaged_lines};

use crate::plan::{Action, Address, Call, Detail, Plan, Step};

/// The plan as pretty-printed JSON (`docs/plan-json.md`), ending with a newline. This is also
/// the saved plan file that `scoville apply FILE` reads back with `Plan::from_json`.
pub fn json(plan: &Plan) -> String {
    // `Plan` holds only strings, numbers, sequences and string-keyed maps: serialization
    // cannot fail.
    let mut out = serde_json::to_string_pretty(plan).unwrap_or_default();
    out.push('\n');
    out
}

/// The summary line every rendering ends with.
pub fn summary_line(plan: &Plan) -> String {
    if !plan.errors.is_empty() {
        return format!(
            "Plan refused: {} to fix first; nothing is planned.",
            count(plan.errors.len(), "problem", "problems")
        );
    }
    if plan.steps.is_empty() {
        return "No changes. The live org matches the manifests.".to_string();
    }
    let summary = &plan.summary;
    format!(
        "Plan: {} to add, {} to change, {} to destroy ({}).",
        summary.to_add,
        summary.to_change,
        summary.to_destroy,
        count(summary.api_calls, "API call", "API calls")
    )
}

pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A few words on what a step does, e.g. `add 2 members`, `rename from \`Old\``.
pub(crate) fn describe(step: &Step) -> String {
    let members = |n: usize| count(n, "member", "members");
    let n_users = match &step.detail {
        Detail::Members { users } => users.len(),
        Detail::Licenses { users } => users.len(),
        _ => 0,
    };
    let previously = match &step.detail {
        Detail::Distribution { previously, .. } | Detail::Rule { previously, .. } => {
            previously.clone()
        }
        _ => None,
    };
    match &step.call {
        Call::UserInvite { body } => match &body.name {
            Some(name) => format!("invite {name}"),
            None => "invite".to_string(),
        },
        Call::UserUpdateLicenses { .. } => match step.action {
            Action::Remove => format!("take licenses from {}", count(n_users, "user", "users")),
            // The early call also carries seat-neutral moves (one user releases what another
            // gets), which make it destructive.
            _ if step.destructive => {
                format!("move licenses between {}", count(n_users, "user", "users"))
            }
            _ => format!("grant licenses to {}", count(n_users, "user", "users")),
        },
        Call::WorkspaceAddUsers { .. } | Call::TeamAddUsers { .. } => {
            format!("add {}", members(n_users))
        }
        Call::WorkspaceRemoveUsers { .. } | Call::TeamRemoveUsers { .. } => {
            format!("remove {}", members(n_users))
        }
        Call::TeamCreate { .. } => format!("create with {}", members(n_users)),
        Call::TeamDelete { .. } => format!("delete (had {})", members(n_users)),
        Call::DistributionSettingsUpdate { .. } => "update".to_string(),
        Call::DistributionCreate { .. } | Call::RuleCreate { .. } => "create".to_string(),
        Call::DistributionUpdate { .. } | Call::RuleModify { .. } => match previously {
            Some(previous) => format!("rename from `{previous}`"),
            None => "update".to_string(),
        },
        Call::DistributionDelete { .. } | Call::RuleDelete { .. } => "delete".to_string(),
        crate::plan::booking_calls!() => booking::describe(step),
    }
}

/// The kind heading a step is grouped under, and its order among headings.
pub(crate) fn kind_of(step: &Step) -> (usize, &'static str) {
    match Address::parse(&step.target) {
        Some(Address::User(_) | Address::Licenses(_)) | None => (0, "users and licenses"),
        Some(Address::Members(_) | Address::Workspace(_)) => (1, "members"),
        Some(Address::Team(..)) => (2, "teams"),
        Some(Address::Settings(_)) => (3, "settings"),
        Some(Address::Distribution(..)) => (4, "distributions"),
        Some(Address::Rule(..)) => (5, "rules"),
        Some(Address::Reminder(..)) => (6, "reminders"),
        Some(Address::MeetingType(..)) => (7, "meeting types"),
        Some(Address::Link(..)) => (8, "scheduling links"),
    }
}

/// The steps of one kind in one workspace, under their heading.
pub(crate) type KindGroup<'p> = (&'static str, Vec<&'p Step>);

/// Steps grouped by workspace (org-level first), then by kind, keeping plan order inside a
/// group.
pub(crate) fn grouped(plan: &Plan) -> Vec<(Option<&str>, Vec<KindGroup<'_>>)> {
    let mut workspaces: Vec<Option<&str>> =
        plan.steps.iter().map(|s| s.workspace.as_deref()).collect();
    workspaces.sort();
    workspaces.dedup();
    workspaces
        .into_iter()
        .map(|workspace| {
            let mut kinds: Vec<(usize, &'static str)> = plan
                .steps
                .iter()
                .filter(|s| s.workspace.as_deref() == workspace)
                .map(kind_of)
                .collect();
            kinds.sort();
            kinds.dedup();
            let groups = kinds
                .into_iter()
                .map(|kind| {
                    let steps = plan
                        .steps
                        .iter()
                        .filter(|s| s.workspace.as_deref() == workspace && kind_of(s) == kind)
                        .collect();
                    (kind.1, steps)
                })
                .collect();
            (workspace, groups)
        })
        .collect()
}

/// The before and after text of a step's object, for a line diff.
pub(crate) fn before_after(step: &Step) -> Option<(String, String)> {
    detail_before_after(&step.detail)
}

/// The before and after text of a step's detail (the drift report reads details apart from
/// their steps).
pub(crate) fn detail_before_after(detail: &Detail) -> Option<(String, String)> {
    match detail {
        Detail::Distribution { before, after, .. } => Some((
            before
                .as_ref()
                .map(yamlish::distribution)
                .unwrap_or_default(),
            after
                .as_ref()
                .map(yamlish::distribution)
                .unwrap_or_default(),
        )),
        Detail::Rule { before, after, .. } => Some((
            before.as_ref().map(yamlish::rule).unwrap_or_default(),
            after.as_ref().map(yamlish::rule).unwrap_or_default(),
        )),
        Detail::Settings { before, after } => Some((
            before.as_ref().map(yamlish::settings).unwrap_or_default(),
            yamlish::settings(after),
        )),
        Detail::MeetingType { .. } | Detail::Reminder { .. } | Detail::Link(_) => {
            booking::before_after(detail)
        }
        Detail::Invite { .. }
        | Detail::Licenses { .. }
        | Detail::Members { .. }
        | Detail::Attachment { .. } => None,
    }
}

/// One line of a diff: `' '` context, `'-'` removed, `'+'` added, `'…'` skipped context.
pub(crate) type DiffLine = (char, String);

/// A line diff with three lines of context around changes.
pub(crate) fn line_diff(before: &str, after: &str) -> Vec<DiffLine> {
    let diff = similar::TextDiff::from_lines(before, after);
    let before_lines: Vec<&str> = before.lines().collect();
    let after_lines: Vec<&str> = after.lines().collect();
    let mut lines = Vec::new();
    for (index, group) in diff.grouped_ops(3).iter().enumerate() {
        if index > 0 {
            lines.push(('…', String::new()));
        }
        // The keys a hunk is nested under, so that `sofia: 8` is not shown without its
        // `limits:` and `caps:`.
        let first = group.first().and_then(|op| diff.iter_changes(op).next());
        if let Some(first) = first {
            let (text, at) = match first.old_index() {
                Some(at) => (&before_lines, at),
                None => (&after_lines, first.new_index().unwrap_or(0)),
            };
            lines.extend(
                ancestors(text, at)
                    .into_iter()
                    .map(|line| (' ', line.to_string())),
            );
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let tag = match change.tag() {
                    similar::ChangeTag::Equal => ' ',
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                };
                lines.push((tag, change.value().trim_end_matches('\n').to_string()));
            }
        }
    }
    lines
}

/// The lines above `text[at]` with less indentation, outermost first: the keys it is nested in.
fn ancestors<'t>(text: &[&'t str], at: usize) -> Vec<&'t str> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut wanted = text.get(at).map_or(0, |line| indent(line));
    let mut found = Vec::new();
    for line in text[..at.min(text.len())].iter().rev() {
        if wanted == 0 {
            break;
        }
        if !line.trim().is_empty() && indent(line) < wanted {
            wanted = indent(line);
            found.push(*line);
        }
    }
    found.reverse();
    found
}

/// The steps of one phase for display: their ids, or for a large phase (hundreds of
/// invitations) the number of calls per operation.
pub(crate) fn phase_summary(phase: &[crate::plan::StepId]) -> Vec<String> {
    if phase.len() <= 6 {
        return phase.iter().map(|id| id.as_str().to_string()).collect();
    }
    calls_by_op(
        phase
            .iter()
            .map(|id| id.as_str().split(' ').next().unwrap_or_default()),
    )
    .into_iter()
    .map(|(op, n)| format!("{n} × {op}"))
    .collect()
}

/// How many calls of each operation, in order of first appearance.
pub(crate) fn calls_by_op<'o>(ops: impl Iterator<Item = &'o str>) -> Vec<(&'o str, usize)> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for op in ops {
        match counts.iter_mut().find(|(name, _)| *name == op) {
            Some((_, n)) => *n += 1,
            None => counts.push((op, 1)),
        }
    }
    counts
}

/// A license set change as `+chat -concierge`.
pub(crate) fn license_delta(
    before: &std::collections::BTreeSet<crate::model::License>,
    after: &std::collections::BTreeSet<crate::model::License>,
) -> String {
    let mut parts: Vec<String> = after
        .difference(before)
        .map(|l| format!("+{}", l.as_str()))
        .collect();
    parts.extend(before.difference(after).map(|l| format!("-{}", l.as_str())));
    if parts.is_empty() {
        "no change".to_string()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod line_diff_tests {
    use super::line_diff;

    #[test]
    fn a_nested_change_keeps_the_keys_it_is_under() {
        // Regression: a cap change far down a distribution showed `liam: 8` with no
        // `meeting:`/`limits:`/`caps:` above it.
        let before = "team: inbound-sdr\nmeeting:\n  handling: {type: Strict}\n  limits:\n    reset: {type: Daily}\n    other: 1\n    more: 2\n    caps:\n      liam: 8\n";
        let after = before.replace("liam: 8", "liam: 9");
        let lines = line_diff(before, &after);
        let text: Vec<String> = lines
            .iter()
            .map(|(tag, line)| format!("{tag}{line}"))
            .collect();
        assert_eq!(
            text,
            [
                " meeting:",
                "   limits:",
                "     other: 1",
                "     more: 2",
                "     caps:",
                "-      liam: 8",
                "+      liam: 9",
            ]
        );
    }
}
