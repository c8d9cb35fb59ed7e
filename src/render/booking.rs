//! What the renderers show of meeting-type, reminder and scheduling-link steps: a few words
//! per step, YAML-ish text of each side for the line diff (in the manifests' own words:
//! `30m`, team names, reminder names), and the extra lines of a link step (booking URLs,
//! each distribution's share of bookings, notes on what cannot be verified).

use std::fmt::Write as _;

use super::yamlish::{flow_of, scalar};
use crate::model::{LinkSpec, LinkTarget, Location, MeetingTypeSpec, ReminderSpec, SharedWith};
use crate::plan::{Action, Call, Detail, LinkDetail, Step};

/// A few words on a booking step (`create`, `rename from \`Old\``, `attach reminder \`x\``).
pub(crate) fn describe(step: &Step) -> String {
    match &step.detail {
        Detail::Attachment {
            reminder,
            seeded_by,
            ..
        } => {
            let which = match seeded_by {
                Some(_) => "the reminder the create seeds".to_string(),
                None => format!("reminder `{reminder}`"),
            };
            match step.call {
                Call::MeetingTypeDetachReminder { .. } => format!("detach {which}"),
                _ => format!("attach {which}"),
            }
        }
        Detail::Reminder {
            seeded_by: Some(meeting_type),
            ..
        } => format!("delete the reminder the create of `{meeting_type}` seeds"),
        Detail::MeetingType {
            previously,
            changed,
            ..
        }
        | Detail::Reminder {
            previously,
            changed,
            ..
        } => words(step.action, previously.as_deref(), changed, None),
        Detail::Link(link) => words(
            step.action,
            link.previously.as_deref(),
            &link.changed,
            Some(link),
        ),
        _ => String::new(),
    }
}

fn words(
    action: Action,
    previously: Option<&str>,
    changed: &[String],
    link: Option<&LinkDetail>,
) -> String {
    // A slug change says so in its own words.
    let changed: Vec<&String> = changed
        .iter()
        .filter(|field| {
            let renamed_field = if link.is_some() { "slug" } else { "name" };
            !(previously.is_some() && *field == renamed_field)
        })
        .collect();
    let fields = if changed.is_empty() {
        String::new()
    } else {
        format!(
            " ({})",
            changed
                .iter()
                .map(|f| manifest_key(f, link.is_some()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    match (action, previously, link) {
        (Action::Create, ..) => "create".to_string(),
        (Action::Delete, _, Some(link)) => match &link.booking_url {
            Some(url) => format!("delete (booking URL {url} stops working)"),
            None => "delete".to_string(),
        },
        (Action::Delete, ..) => "delete".to_string(),
        // Listed under "This plan deletes or removes": say what is lost, as a delete does.
        (_, Some(previous), Some(_)) if changed.is_empty() => {
            format!("change slug from `{previous}` (the old booking URL stops working)")
        }
        (_, Some(previous), Some(_)) => format!(
            "change slug from `{previous}` (the old booking URL stops working) and update{fields}"
        ),
        (_, Some(previous), None) => format!("rename from `{previous}`{fields}"),
        _ if changed.is_empty() => "update".to_string(),
        _ => format!("update{fields}"),
    }
}

/// A changed field as the manifests spell it: a link's `changed` lists the API's fields
/// (`meetingTypeIds`, `distributionIds`, an ownership link's `distribution`, as the JSON plan
/// keeps them), while the reader of a text or Markdown plan wrote `meetingTypes` and
/// `distributions`.
fn manifest_key(field: &str, of_link: bool) -> &str {
    match (of_link, field) {
        (true, "meetingTypeIds") => "meetingTypes",
        (true, "distributionIds" | "distribution") => "distributions",
        _ => field,
    }
}

/// The before and after texts of a booking detail, for a line diff.
pub(crate) fn before_after(detail: &Detail) -> Option<(String, String)> {
    match detail {
        Detail::MeetingType { before, after, .. } => Some((
            before.as_ref().map(meeting_type).unwrap_or_default(),
            after.as_ref().map(meeting_type).unwrap_or_default(),
        )),
        Detail::Reminder {
            before,
            after,
            seeded_by: None,
            ..
        } => Some((
            before.as_ref().map(reminder).unwrap_or_default(),
            after.as_ref().map(reminder).unwrap_or_default(),
        )),
        Detail::Link(link) => Some((
            link.before.as_ref().map(link_text).unwrap_or_default(),
            link.after.as_ref().map(link_text).unwrap_or_default(),
        )),
        _ => None,
    }
}

/// A meeting type's content, one fact per line; what the manifests leave alone is not shown.
pub(crate) fn meeting_type(spec: &MeetingTypeSpec) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "duration: {}", spec.duration);
    let mut text = |key: &str, value: &Option<String>| {
        if let Some(value) = value {
            let _ = writeln!(out, "{key}: {}", scalar(value));
        }
    };
    text("description", &spec.description);
    text("inviteTitle", &spec.invite_title);
    text("inviteDescription", &spec.invite_description);
    if let Some(status) = spec.status {
        let _ = writeln!(out, "status: {}", flow_of(&status));
    }
    if let Some(locations) = &spec.location {
        let _ = writeln!(out, "location: {}", location(&locations.default));
        for other in &locations.others {
            let _ = writeln!(out, "  other: {}", location(other));
        }
    }
    if let Some(buffers) = &spec.buffers {
        let span = |s: Option<crate::model::Span>| s.map_or("-".to_string(), |s| s.to_string());
        let _ = writeln!(
            out,
            "buffers: {{before: {}, after: {}}}",
            span(buffers.before),
            span(buffers.after)
        );
    }
    if let Some(limit) = &spec.meeting_limit {
        let _ = writeln!(
            out,
            "meetingLimit: {} per {} {}",
            limit.count,
            flow_of(&limit.limit_by),
            flow_of(&limit.timeframe)
        );
    }
    match &spec.shared_with {
        Some(SharedWith::Workspace) => {
            let _ = writeln!(out, "sharedWith: workspace");
        }
        Some(SharedWith::Teams(teams)) => {
            let names: Vec<String> = teams.iter().map(|t| scalar(t)).collect();
            let _ = writeln!(out, "sharedWith: [{}]", names.join(", "));
        }
        None => {}
    }
    if let Some(reminders) = &spec.reminders {
        let _ = writeln!(out, "reminders:");
        for name in reminders {
            let _ = writeln!(out, "  - {}", scalar(name));
        }
    }
    out
}

fn location(location: &Location) -> String {
    let mut text = flow_of(&location.kind);
    if let Some(host) = location.host {
        let _ = write!(text, " (host: {})", flow_of(&host));
    }
    if let Some(value) = &location.value {
        let _ = write!(text, " {}", scalar(value));
    }
    text
}

/// A reminder's content, one fact per line.
pub(crate) fn reminder(spec: &ReminderSpec) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "channel: {}", flow_of(&spec.channel));
    let offset = spec
        .trigger
        .offset
        .map(|span| format!(" {span}"))
        .unwrap_or_default();
    let _ = writeln!(out, "trigger: {}{offset}", flow_of(&spec.trigger.kind));
    if let Some(title) = &spec.title {
        let _ = writeln!(out, "title: {}", scalar(title));
    }
    let _ = writeln!(out, "body: {}", scalar(&spec.body));
    if let Some(send_to) = spec.send_to {
        let _ = writeln!(out, "sendTo: {}", flow_of(&send_to));
    }
    if let Some(send_from) = spec.send_from {
        let _ = writeln!(out, "sendFrom: {}", flow_of(&send_from));
    }
    if let Some(sms) = spec.sms_send_from {
        let _ = writeln!(out, "smsSendFrom: {}", flow_of(&sms));
    }
    out
}

/// A link's content, one fact per line (distributions in order: the first is the host).
pub(crate) fn link_text(spec: &LinkSpec) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "kind: {}", spec.target.kind().as_str());
    let _ = writeln!(out, "name: {}", scalar(&spec.name));
    let _ = writeln!(out, "meetingTypes:");
    for name in &spec.meeting_types {
        let _ = writeln!(out, "  - {}", scalar(name));
    }
    match &spec.target {
        LinkTarget::RoundRobin { distributions } => {
            let _ = writeln!(out, "distributions:");
            for name in distributions {
                let _ = writeln!(out, "  - {}", scalar(name));
            }
        }
        LinkTarget::Ownership { distributions } => {
            let _ = writeln!(out, "distributions:");
            for (name, required) in distributions {
                let required = if *required { " (required)" } else { "" };
                let _ = writeln!(out, "  - {}{required}", scalar(name));
            }
        }
        LinkTarget::Group {
            host,
            required,
            optional,
        } => {
            if let Some(host) = host {
                let _ = writeln!(out, "host: {host}");
            }
            for (key, members) in [("required", required), ("optional", optional)] {
                if !members.is_empty() {
                    let _ = writeln!(out, "{key}:");
                    for email in members {
                        let _ = writeln!(out, "  - {email}");
                    }
                }
            }
        }
        LinkTarget::AdminOneOnOne => {}
    }
    out
}

/// The lines a link step shows under its diff: URLs, shares of bookings, notes.
pub(crate) fn link_lines(link: &LinkDetail) -> Vec<String> {
    let mut lines = Vec::new();
    match (&link.booking_url, &link.new_booking_url) {
        (Some(old), Some(new)) => lines.push(format!(
            "booking URL: {old} -> {new} (the new one derived from the old with the new slug; \
             every published link to the old URL breaks)"
        )),
        (Some(url), None) => lines.push(format!("booking URL: {url}")),
        _ => {}
    }
    if !link.bookings.is_empty() {
        // In a sentence a lone `-` reads as a dash ("Enterprise Leads - -> 50.0%"): a
        // distribution not on the link (or no link yet) gets `none` of its bookings.
        let show = |share: Option<crate::plan::Share>| {
            share.map_or_else(|| "none".to_string(), |share| share.to_string())
        };
        let parts: Vec<String> = link
            .bookings
            .iter()
            .map(|b| format!("{} {} -> {}", b.distribution, show(b.before), show(b.after)))
            .collect();
        lines.push(format!(
            "bookings across: {} (assuming an even spread across the link's distributions)",
            parts.join(", ")
        ));
    }
    lines.extend(link.notes.iter().map(|note| format!("note: {note}")));
    lines
}
