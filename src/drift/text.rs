//! The terminal rendering of a drift report: each drifted object with what differs, who changed
//! it last and when, and whether that was after the last apply; then accepted drift, ignore
//! entries to review, and the summary line last.

use std::fmt::Write as _;

use super::phrases::{
    ignore_entry, last_apply_line, marker, origin_line, provenance_line, record_is_usable,
    summary_line,
};
use super::types::{DriftReport, DriftedObject, IgnoreStatus};
use crate::render::{count, detail_before_after, line_diff};

/// The report for a terminal. `color` adds ANSI colours; the caller decides (TTY, `NO_COLOR`).
pub fn text(report: &DriftReport, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let bold = |text: &str| paint("1", text);
    let mut out = String::new();
    let tenant = report.tenant.as_deref().unwrap_or("(unknown tenant)");
    let hash: String = report.content_hash.chars().take(12).collect();
    let _ = writeln!(
        out,
        "{}",
        bold(&format!(
            "scoville drift for {tenant} (manifests {hash}, checked on {})",
            report.checked_on
        ))
    );
    out.push('\n');

    if !report.errors.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint(
                "1;31",
                &format!(
                    "Drift cannot be checked: {} must be fixed first.",
                    count(report.errors.len(), "problem", "problems")
                )
            )
        );
        for error in &report.errors {
            let _ = writeln!(out, "  error: {}", error.message);
        }
        out.push('\n');
        let _ = writeln!(out, "{}", bold(&summary_line(report)));
        return out;
    }

    let _ = writeln!(out, "{}", last_apply_line(report));
    out.push('\n');

    let with_origin = record_is_usable(report);
    let mut workspace: Option<Option<&str>> = None;
    for object in &report.objects {
        if workspace != Some(object.workspace.as_deref()) {
            workspace = Some(object.workspace.as_deref());
            if !out.ends_with("\n\n") {
                out.push('\n');
            }
            let heading = match object.workspace.as_deref() {
                Some(name) => format!("Workspace {name}"),
                None => "Org".to_string(),
            };
            let _ = writeln!(out, "{}", bold(&heading));
        }
        write_object(&mut out, object, with_origin, &paint);
    }
    if !report.objects.is_empty() {
        out.push('\n');
    }

    if !report.accepted.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            bold("Accepted drift (policy.ignore; not counted)")
        );
        for object in &report.accepted {
            write_object(&mut out, object, with_origin, &paint);
        }
        out.push('\n');
    }

    let to_review: Vec<_> = report
        .ignore_entries
        .iter()
        .filter(|entry| entry.status != IgnoreStatus::Applied)
        .collect();
    if !to_review.is_empty() {
        let _ = writeln!(out, "{}", bold("Ignore entries to review"));
        for status in to_review {
            let entry = &status.entry;
            let line = match status.status {
                IgnoreStatus::Expired => format!(
                    "! expired: {} {}: it no longer ignores anything; renew it or remove it",
                    entry.object,
                    ignore_entry(entry)
                ),
                IgnoreStatus::Unused => format!(
                    "? unused: {} {}: nothing it names differs now; remove it when the \
                     difference is gone for good",
                    entry.object,
                    ignore_entry(entry)
                ),
                IgnoreStatus::Applied => continue,
            };
            let _ = writeln!(out, "  {line}");
        }
        out.push('\n');
    }

    if !report.warnings.is_empty() {
        let _ = writeln!(out, "{}", bold("Notes"));
        for warning in &report.warnings {
            let _ = writeln!(out, "  ! {}", warning.message);
        }
        out.push('\n');
    }

    if report.summary.unmanaged > 0 {
        let _ = writeln!(
            out,
            "{} the manifests do not mention {} left alone: not drift (`scoville plan` lists them).",
            count(report.summary.unmanaged, "live object", "live objects"),
            if report.summary.unmanaged == 1 {
                "is"
            } else {
                "are"
            }
        );
        out.push('\n');
    }
    if !report.objects.is_empty() {
        let _ = writeln!(
            out,
            "Undo drift with `scoville apply`; keep a change by writing it into the manifests, or \
             accept it under `policy.ignore` with a reason and an expiry date."
        );
        out.push('\n');
    }
    let _ = writeln!(out, "{}", bold(&summary_line(report)));
    out
}

fn write_object(
    out: &mut String,
    object: &DriftedObject,
    with_origin: bool,
    paint: &dyn Fn(&str, &str) -> String,
) {
    let tag = marker(object);
    let code = match tag {
        '-' => "31",
        '+' => "32",
        _ => "33",
    };
    let _ = writeln!(
        out,
        "  {} {}  {}",
        paint(code, &tag.to_string()),
        paint(code, &object.address),
        object.summary
    );
    let indent = "      ";
    if let Some(entry) = &object.accepted_by {
        let _ = writeln!(out, "{indent}accepted: {}", ignore_entry(entry));
    }
    let _ = writeln!(out, "{indent}{}", provenance_line(&object.provenance));
    if with_origin {
        let _ = writeln!(out, "{indent}{}", origin_line(&object.origin));
    }
    for difference in &object.differences {
        for fact in &difference.facts {
            let _ = writeln!(out, "{indent}- {fact}");
        }
        if let Some(diff) = manifests_to_org_diff(&difference.detail) {
            let _ = writeln!(out, "{indent}diff (- manifests, + org):");
            for (tag, line) in diff {
                let text = match tag {
                    '…' => format!("{indent}  …"),
                    tag => format!("{indent}{tag} {line}"),
                };
                let painted = match tag {
                    '-' => paint("31", &text),
                    '+' => paint("32", &text),
                    _ => text,
                };
                let _ = writeln!(out, "{painted}");
            }
        }
        let _ = writeln!(
            out,
            "{indent}`scoville apply` would run: {}",
            difference.step
        );
    }
}

/// The line diff from the manifests to the org of a configuration both sides have; `None`
/// for other details (members and licenses are listed as facts).
pub(super) fn manifests_to_org_diff(detail: &crate::plan::Detail) -> Option<Vec<(char, String)>> {
    use crate::plan::Detail;
    let both = match detail {
        Detail::Distribution { before, after, .. } => before.is_some() && after.is_some(),
        Detail::Rule { before, after, .. } => before.is_some() && after.is_some(),
        Detail::Settings { before, .. } => before.is_some(),
        // Meeting types, reminders and links: both sides when the detail has them; the
        // rendering of each side is the plan renderer's (`detail_before_after`).
        other => super::booking::has_both_sides(other),
    };
    if !both {
        return None;
    }
    let (live, manifests) = detail_before_after(detail)?;
    Some(line_diff(&manifests, &live))
}
