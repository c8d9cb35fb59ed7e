//! The drift report as a GitHub issue body (what the nightly `drift.yml` posts): the summary
//! line, a table of drifted objects with who and when, a collapsible section per object,
//! accepted drift and ignore entries to review; always under GitHub's 65,536-character limit,
//! cut with a note when longer.

use std::fmt::Write as _;

use super::phrases::{
    author_short, ignore_entry, last_apply_line, marker, origin_line, origin_short,
    provenance_line, record_is_usable, summary_line,
};
use super::text::manifests_to_org_diff;
use super::types::{DriftReport, DriftedObject, IgnoreStatus, Provenance};
use crate::render::markdown::{BUDGET, cell, code, html, inline, left_out};
use crate::render::{MARKDOWN_LIMIT, count};

/// The report as Markdown for an issue body.
pub fn markdown(report: &DriftReport) -> String {
    let mut out = String::new();
    let tenant = report
        .tenant
        .as_deref()
        .map(|tenant| format!(" for `{}`", code(tenant)))
        .unwrap_or_default();
    let _ = writeln!(out, "### scoville drift{tenant}\n");
    let _ = writeln!(out, "**{}**\n", inline(&summary_line(report)));
    let hash: String = report.content_hash.chars().take(12).collect();
    let _ = writeln!(
        out,
        "Manifests `{hash}`, checked on {}. {}\n",
        report.checked_on,
        inline(&last_apply_line(report))
    );

    if !report.errors.is_empty() {
        for error in &report.errors {
            let _ = writeln!(out, "- :x: {}", inline(&error.message));
        }
        out.push('\n');
        return out;
    }

    let with_origin = record_is_usable(report);
    let mut rows_left_out = 0;
    let mut details_left_out = 0;
    let mut other_left_out = Vec::new();
    if !report.objects.is_empty() {
        if with_origin {
            out.push_str(
                "| | Object | What differs | Last changed | By | Since the last apply |\n\
                 |:-:|---|---|---|---|---|\n",
            );
        } else {
            out.push_str(
                "| | Object | What differs | Last changed | By |\n|:-:|---|---|---|---|\n",
            );
        }
        for (index, object) in report.objects.iter().enumerate() {
            let (when, by) = when_and_by(&object.provenance);
            let mut row = format!(
                "| `{}` | `{}` | {} | {} | {} |",
                marker(object),
                code(&object.address),
                cell(&object.summary),
                cell(&when),
                cell(&by)
            );
            if with_origin {
                let _ = write!(row, " {} |", origin_short(&object.origin));
            }
            row.push('\n');
            if out.len() + row.len() > BUDGET / 2 {
                rows_left_out = report.objects.len() - index;
                break;
            }
            out.push_str(&row);
        }
        out.push('\n');
        for (index, object) in report.objects.iter().enumerate() {
            let section = details(object, with_origin);
            if out.len() + section.len() > BUDGET {
                details_left_out = report.objects.len() - index;
                break;
            }
            out.push_str(&section);
        }
    }

    if !report.accepted.is_empty() {
        let mut section = format!(
            "#### Accepted drift ({}, not counted)\n\n| Object | Reason | Until | Entry |\n|---|---|---|---|\n",
            count(report.accepted.len(), "object", "objects")
        );
        for object in &report.accepted {
            let Some(entry) = &object.accepted_by else {
                continue;
            };
            let _ = writeln!(
                section,
                "| `{}` | {} | {} | `{}:{}` |",
                code(&object.address),
                cell(&entry.reason),
                entry.expires.as_deref().unwrap_or("no expiry"),
                code(&entry.source.file),
                entry.source.line
            );
        }
        section.push('\n');
        for object in &report.accepted {
            section.push_str(&details(object, with_origin));
        }
        if out.len() + section.len() > BUDGET {
            other_left_out.push("the accepted drift");
        } else {
            out.push_str(&section);
        }
    }

    let to_review: Vec<_> = report
        .ignore_entries
        .iter()
        .filter(|entry| entry.status != IgnoreStatus::Applied)
        .collect();
    if !to_review.is_empty() {
        let mut section = String::from("#### Ignore entries to review\n\n");
        for status in to_review {
            let entry = &status.entry;
            let what = match status.status {
                IgnoreStatus::Expired => {
                    ":hourglass: **expired**, no longer ignores anything: renew or remove it"
                }
                IgnoreStatus::Unused => {
                    "unused, nothing it names differs now: remove it when the difference is gone for good"
                }
                IgnoreStatus::Applied => continue,
            };
            let _ = writeln!(
                section,
                "- `{}` {}: {what}",
                code(&entry.object),
                inline(&ignore_entry(entry))
            );
        }
        section.push('\n');
        if out.len() + section.len() > BUDGET {
            other_left_out.push("the ignore entries to review");
        } else {
            out.push_str(&section);
        }
    }

    if !report.warnings.is_empty() {
        let mut section = String::from("> [!NOTE]\n");
        for warning in &report.warnings {
            let _ = writeln!(section, "> - {}", inline(&warning.message));
        }
        section.push('\n');
        if out.len() + section.len() > BUDGET {
            other_left_out.push("the planner's notes");
        } else {
            out.push_str(&section);
        }
    }

    if report.summary.unmanaged > 0 {
        let _ = writeln!(
            out,
            "{} the manifests do not mention {} left alone: not drift (`scoville plan` lists them).\n",
            count(report.summary.unmanaged, "live object", "live objects"),
            if report.summary.unmanaged == 1 {
                "is"
            } else {
                "are"
            }
        );
    }
    if !report.objects.is_empty() {
        out.push_str(
            "Undo drift with `scoville apply`; keep a change by writing it into the manifests, \
             or accept it under `policy.ignore` with a reason and an expiry date.\n\n",
        );
    }

    if let Some(left_out) = left_out(rows_left_out, details_left_out, &other_left_out) {
        let _ = writeln!(
            out,
            "> [!NOTE]\n> This report is cut to stay under GitHub's {MARKDOWN_LIMIT}-character limit: {left_out} left out. Run `scoville drift` (or `--format json`) for the full report.\n"
        );
    }
    out
}

/// The "Last changed" and "By" cells.
fn when_and_by(provenance: &Provenance) -> (String, String) {
    match provenance {
        Provenance::Metadata {
            updated_at,
            updated_by,
            ..
        } => (updated_at.clone(), author_short(updated_by)),
        Provenance::Absent { .. } => ("not in the org".to_string(), "no record".to_string()),
        Provenance::NotKept | Provenance::NoMetadata { .. } => {
            ("no record".to_string(), "no record".to_string())
        }
    }
}

/// The collapsible section of one object.
fn details(object: &DriftedObject, with_origin: bool) -> String {
    let mut body = String::new();
    if let Some(entry) = &object.accepted_by {
        let _ = writeln!(body, "Accepted: {}\n", inline(&ignore_entry(entry)));
    }
    let _ = writeln!(
        body,
        "- Who and when: {}",
        inline(&provenance_line(&object.provenance))
    );
    if with_origin {
        let origin = origin_line(&object.origin);
        let mut letters = origin.chars();
        let capitalized: String = letters
            .next()
            .map(|first| first.to_uppercase().chain(letters).collect())
            .unwrap_or_default();
        let _ = writeln!(body, "- {}", inline(&capitalized));
    }
    for difference in &object.differences {
        for fact in &difference.facts {
            let _ = writeln!(body, "- {}", inline(fact));
        }
        if let Some(diff) = manifests_to_org_diff(&difference.detail) {
            let longest = diff
                .iter()
                .flat_map(|(_, line)| line.split(|c| c != '`'))
                .map(str::len)
                .max()
                .unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            let _ = writeln!(body, "\n`-` the manifests, `+` the org:\n\n{fence}diff");
            for (tag, line) in diff {
                match tag {
                    '…' => body.push_str("@@ … @@\n"),
                    tag => {
                        let _ = writeln!(body, "{tag}{line}");
                    }
                }
            }
            let _ = writeln!(body, "{fence}\n");
        }
        let _ = writeln!(
            body,
            "- `scoville apply` would run `{}`",
            code(difference.step.as_str())
        );
    }
    format!(
        "<details><summary><code>{} {}</code> {}</summary>\n\n{body}\n</details>\n\n",
        marker(object),
        html(&object.address),
        html(&object.summary)
    )
}
