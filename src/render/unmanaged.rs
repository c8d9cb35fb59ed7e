//! The unmanaged objects of a plan, folded for people: a kind with a few objects lists each,
//! a kind with many is one line of counts per workspace, so a no-change plan of an adopted org
//! with thousands of members outside the manifests stays one screen. The JSON plan (and the
//! text plan with `--verbose`) lists every object.

use std::collections::BTreeMap;

use super::count;
use crate::plan::{Plan, Unmanaged};

/// Kinds with at most this many objects are listed one by one.
pub const LISTED_AT_MOST: usize = 3;

/// Workspaces named in a folded line; the rest are counted.
const WORKSPACES_NAMED: usize = 4;

/// One line of the unmanaged section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnmanagedLine<'p> {
    /// One object, as the plan lists it.
    Object(&'p Unmanaged),
    /// Many objects of one kind: e.g. `400 members in Sales` or `5000 members in 50
    /// workspaces: Sales (130), Support (98), … and 46 more`, with how many of them the
    /// policy's ignore entries cover.
    Folded { summary: String, n_ignored: usize },
}

/// The plural of an unmanaged kind as the plan names it (`member` -> `members`).
pub fn kind_plural(kind: &str) -> String {
    match kind {
        "" => "objects".to_string(),
        kind if kind.ends_with('s') => kind.to_string(),
        kind => format!("{kind}s"),
    }
}

/// The lines of the unmanaged section: every object when `verbose`, else folded by kind
/// (kinds in the order the plan first lists them).
pub fn unmanaged_lines(plan: &Plan, verbose: bool) -> Vec<UnmanagedLine<'_>> {
    if verbose {
        return plan.unmanaged.iter().map(UnmanagedLine::Object).collect();
    }
    let mut kinds: Vec<&str> = Vec::new();
    let mut by_kind: BTreeMap<&str, Vec<&Unmanaged>> = BTreeMap::new();
    for object in &plan.unmanaged {
        let objects = by_kind.entry(object.kind.as_str()).or_default();
        if objects.is_empty() {
            kinds.push(object.kind.as_str());
        }
        objects.push(object);
    }
    let mut lines = Vec::new();
    for kind in kinds {
        let objects = &by_kind[kind];
        if objects.len() <= LISTED_AT_MOST {
            lines.extend(objects.iter().map(|object| UnmanagedLine::Object(object)));
        } else {
            lines.push(fold(kind, objects));
        }
    }
    lines
}

fn fold(kind: &str, objects: &[&Unmanaged]) -> UnmanagedLine<'static> {
    let mut per_workspace: BTreeMap<Option<&str>, usize> = BTreeMap::new();
    for object in objects {
        *per_workspace
            .entry(object.workspace.as_deref())
            .or_default() += 1;
    }
    let plural = kind_plural(kind);
    let what = format!("{} {plural}", objects.len());
    let summary = match per_workspace.len() {
        1 => match per_workspace.keys().next().copied().flatten() {
            Some(workspace) => format!("{what} in {workspace}"),
            None => what,
        },
        n_workspaces => {
            // Largest first, then by name, so the line names the workspaces that matter most.
            let mut largest: Vec<(Option<&str>, usize)> = per_workspace.into_iter().collect();
            largest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut named: Vec<String> = largest
                .iter()
                .take(WORKSPACES_NAMED)
                .map(|(workspace, n)| format!("{} ({n})", workspace.unwrap_or("org")))
                .collect();
            if n_workspaces > WORKSPACES_NAMED {
                named.push(format!("… and {} more", n_workspaces - WORKSPACES_NAMED));
            }
            format!(
                "{what} in {}: {}",
                count(n_workspaces, "workspace", "workspaces"),
                named.join(", ")
            )
        }
    };
    UnmanagedLine::Folded {
        summary,
        n_ignored: objects.iter().filter(|o| o.ignored.is_some()).count(),
    }
}

/// The note under a folded section saying where the full list is.
pub const FOLDED_NOTE: &str = "(folded: `--verbose` lists each object, as the JSON plan does)";
