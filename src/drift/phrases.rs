//! Sentences both the text and the Markdown renderings use: who, when, since the last apply,
//! the summary line.

use super::types::{
    Author, DriftOutcome, DriftReport, DriftedObject, IgnoreEntryRef, Origin, Provenance,
};
use crate::plan::{Action, Detail};
use crate::render::count;

/// The summary line every rendering ends with.
pub fn summary_line(report: &DriftReport) -> String {
    let summary = &report.summary;
    let accepted = if summary.accepted > 0 {
        format!(
            " {} accepted by the policy's ignore list.",
            count(summary.accepted, "object is", "objects are")
        )
    } else {
        String::new()
    };
    match report.outcome() {
        DriftOutcome::Refused => format!(
            "Drift not checked: {} to fix first.",
            count(report.errors.len(), "problem", "problems")
        ),
        DriftOutcome::NoDrift => format!("No drift. The live org matches the manifests.{accepted}"),
        DriftOutcome::Drift => {
            let objects = count(summary.drifted, "object differs", "objects differ");
            let split = if record_is_usable(report) {
                let mut parts = Vec::new();
                if summary.changed_after_apply > 0 {
                    parts.push(format!(
                        "{} changed after the last apply",
                        summary.changed_after_apply
                    ));
                }
                if summary.not_applied_yet > 0 {
                    parts.push(format!("{} not applied yet", summary.not_applied_yet));
                }
                if summary.cannot_tell > 0 {
                    parts.push(format!("{} cannot tell", summary.cannot_tell));
                }
                parts.join(", ")
            } else {
                "changed in the org or not applied yet: without a record of the last apply \
                 the two cannot be told apart"
                    .to_string()
            };
            format!("Drift: {objects} from the manifests ({split}).{accepted}")
        }
    }
}

/// Whether the report was read against a usable record of the last apply.
pub fn record_is_usable(report: &DriftReport) -> bool {
    report
        .last_applied
        .as_ref()
        .is_some_and(|info| info.unusable.is_none())
}

/// What the report knows about the last apply, in one sentence.
pub fn last_apply_line(report: &DriftReport) -> String {
    match &report.last_applied {
        None => "No record of the last apply was given (`--last-applied FILE`): a change made in \
                 the org and a change merged but not applied yet look the same, so this report \
                 cannot tell them apart."
            .to_string(),
        Some(info) => match &info.unusable {
            Some(why) => format!("The record of the last apply was not used: {why}."),
            None => {
                let hash: String = info.content_hash.chars().take(12).collect();
                let at = info
                    .applied_at
                    .as_deref()
                    .map(|at| format!(" at {at}"))
                    .unwrap_or_default();
                let since = if info.manifests_changed {
                    "the manifests have changed since"
                } else {
                    "the manifests have not changed since"
                };
                format!("Last apply: manifests {hash}{at}; {since}.")
            }
        },
    }
}

/// `-` the object is missing from the org, `+` the org has it and the manifests do not, `~`
/// it differs.
pub fn marker(object: &DriftedObject) -> char {
    if object
        .differences
        .iter()
        .any(|d| d.action == Action::Create && !matches!(d.detail, Detail::Licenses { .. }))
    {
        '-'
    } else if object
        .differences
        .iter()
        .any(|d| d.action == Action::Delete)
    {
        '+'
    } else {
        '~'
    }
}

/// A caller, for people: `ava@acme.example (a person)`, `API key \`ci\``.
pub fn author(author: &Author) -> String {
    match author {
        Author::Person {
            email: Some(email),
            reference,
            ..
        } => format!("{email} (a person, {reference})"),
        Author::Person {
            email: None,
            user_id,
            ..
        } => format!("user {user_id} (a person no longer in the org)"),
        Author::ApiKey { key_id, reference } => {
            format!("API key `{key_id}` (an integration or script, {reference})")
        }
        Author::Unknown { reference } if reference.is_empty() => "an unrecorded caller".to_string(),
        Author::Unknown { reference } => format!("`{reference}`"),
    }
}

/// A short caller for a table cell.
pub fn author_short(author: &Author) -> String {
    match author {
        Author::Person {
            email: Some(email), ..
        } => format!("{email} (person)"),
        Author::Person { user_id, .. } => format!("user {user_id} (person)"),
        Author::ApiKey { key_id, .. } => format!("API key {key_id}"),
        Author::Unknown { reference } if reference.is_empty() => "unrecorded".to_string(),
        Author::Unknown { reference } => reference.clone(),
    }
}

/// Who changed the object last and when, or why nobody can say.
pub fn provenance_line(provenance: &Provenance) -> String {
    match provenance {
        Provenance::Metadata {
            of,
            updated_at,
            updated_by,
            revision,
            ..
        } => {
            let whose = if of.starts_with("the ") {
                String::new()
            } else {
                format!(
                    " (from the metadata of {of}, which covers both its members and its settings)"
                )
            };
            format!(
                "last changed {updated_at} by {}, revision {revision}{whose}",
                author(updated_by)
            )
        }
        Provenance::Absent {
            existed_after_last_apply: true,
        } => "not in the org: it existed after the last apply, so it was deleted since; the API \
              keeps no record of who deleted it or when"
            .to_string(),
        Provenance::Absent {
            existed_after_last_apply: false,
        } => "not in the org: deleted, or never created; the API keeps no record of who deleted \
              an object or when"
            .to_string(),
        Provenance::NotKept => {
            "the API keeps no record of who changes a user's licenses or when".to_string()
        }
        Provenance::NoMetadata { of } => {
            format!("the API does not tell who changed this {of} or when (it keeps no metadata)")
        }
    }
}

/// Since the last apply: real drift, not applied yet, or why it cannot be told.
pub fn origin_line(origin: &Origin) -> String {
    match origin {
        Origin::ChangedAfterApply {
            applied_at: Some(at),
        } => format!("changed in the org after the last apply ({at})"),
        Origin::ChangedAfterApply { applied_at: None } => {
            "changed in the org after the last apply".to_string()
        }
        Origin::NotAppliedYet => "not applied yet: the manifests changed since the last apply, \
                                  and the org is as that apply left it"
            .to_string(),
        Origin::CannotTell { why } => format!("cannot tell: {why}"),
    }
}

/// A short origin for a table cell.
pub fn origin_short(origin: &Origin) -> &'static str {
    match origin {
        Origin::ChangedAfterApply { .. } => "changed after the last apply",
        Origin::NotAppliedYet => "not applied yet",
        Origin::CannotTell { .. } => "cannot tell",
    }
}

/// An ignore entry in words: reason, expiry and where it is.
pub fn ignore_entry(entry: &IgnoreEntryRef) -> String {
    let expires = entry
        .expires
        .as_deref()
        .map(|day| format!(", until {day}"))
        .unwrap_or_default();
    format!(
        "\"{}\" ({}:{}{expires})",
        entry.reason, entry.source.file, entry.source.line
    )
}
