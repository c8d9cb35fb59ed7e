//! `scoville export` for what prospects book: a workspace's `reminders`, `meetingTypes` and
//! `schedulingLinks`, written for the workspaces whose booking objects were read, in the form
//! `check_booking` reads back, so that the exported manifests validate and plan to no changes.
//!
//! What the manifest form cannot hold is left out with a comment saying why: an object whose
//! name another object of its kind shares (or reads the same as), a reminder with the legacy
//! `MeetingBooked` trigger, a link whose meeting types or distributions are not written. A
//! value of a written object that `validate` would refuse is omitted, which leaves it as it
//! is live. A group link's host and members are not readable: the link is written without
//! them, with a comment, and `notes` says so for standard error.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use super::check::is_slug;
use super::export::skip_comment;
use super::yaml_text::scalar;
use crate::model::names::name_key;
use crate::model::{
    LinkTarget, LiveLink, LiveMeetingType, LiveReminder, LiveWorkspace, Location, LocationKind,
    MeetingTypeSpec, ReminderChannel, SharedWith, Span, TriggerKind,
};

/// What the rest of the workspace's file holds, which booking objects may refer to.
pub(super) struct Written<'a> {
    pub teams: BTreeSet<&'a str>,
    pub distributions: BTreeSet<&'a str>,
}

/// The `reminders`, `meetingTypes` and `schedulingLinks` sections of a workspace's file, for
/// the collections that were read (`Some`) and are not empty.
/// What they leave out is also added to `skipped`.
pub(super) fn sections(
    workspace: &LiveWorkspace,
    written: &Written<'_>,
    skipped: &mut Vec<String>,
) -> String {
    let mut out = String::new();
    let mut reminders_written = BTreeSet::new();
    if let Some(reminders) = &workspace.reminders {
        let mut lines = String::new();
        let shared = shared_names(reminders.iter().map(|r| r.name.as_str()));
        for reminder in reminders {
            match reminder_problem(reminder, &shared) {
                Some(why) => skip_comment(&mut lines, skipped, "reminder", &reminder.name, &why),
                None => {
                    write_reminder(&mut lines, reminder);
                    reminders_written.insert(reminder.name.as_str());
                }
            }
        }
        section(&mut out, "reminders", &lines);
    }
    let mut meeting_types_written = BTreeSet::new();
    if let Some(meeting_types) = &workspace.meeting_types {
        let mut lines = String::new();
        let shared = shared_names(meeting_types.iter().map(|m| m.name.as_str()));
        for meeting_type in meeting_types {
            match name_problem(&meeting_type.name, &meeting_type.id, &shared) {
                Some(why) => skip_comment(
                    &mut lines,
                    skipped,
                    "meeting type",
                    &meeting_type.name,
                    &why,
                ),
                None if meeting_type.spec.duration == Span(0) => skip_comment(
                    &mut lines,
                    skipped,
                    "meeting type",
                    &meeting_type.name,
                    "it lasts no time at all, which validate refuses",
                ),
                None => {
                    let reminders = workspace.reminders.as_ref().map(|_| &reminders_written);
                    write_meeting_type(&mut lines, meeting_type, written, reminders);
                    meeting_types_written.insert(meeting_type.name.as_str());
                }
            }
        }
        section(&mut out, "meetingTypes", &lines);
    }
    if let Some(links) = &workspace.links {
        let mut lines = String::new();
        let shared = shared_names(links.iter().map(|l| l.slug.as_str()));
        for link in links {
            match link_problem(link, &shared, written, &meeting_types_written) {
                Some(why) => skip_comment(&mut lines, skipped, "scheduling link", &link.slug, &why),
                None => write_link(&mut lines, link),
            }
        }
        section(&mut out, "schedulingLinks", &lines);
    }
    out
}

/// One line per group link written without its host and members, for standard error.
pub(super) fn notes(workspace: &LiveWorkspace) -> Vec<String> {
    workspace
        .links
        .iter()
        .flatten()
        .filter(|link| matches!(link.spec.target, LinkTarget::Group { .. }))
        .map(|link| {
            format!(
                "group link `{}` of workspace `{}`: the API does not return its host and members, so they are not written; add `host:` and `members:` to manage them",
                link.slug, workspace.name
            )
        })
        .collect()
}

fn section(out: &mut String, key: &str, lines: &str) {
    if !lines.is_empty() {
        let _ = writeln!(out, "    {key}:");
        out.push_str(lines);
    }
}

/// Names (by what a reader sees) that more than one object of a kind has.
fn shared_names<'a>(names: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for name in names {
        *counts.entry(name_key(name)).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(key, _)| key)
        .collect()
}

fn name_problem(name: &str, id: &str, shared: &BTreeSet<String>) -> Option<String> {
    if name.trim().is_empty() {
        return Some(format!("it has no name (id {id})"));
    }
    if shared.contains(&name_key(name)) {
        return Some(format!(
            "another object of this kind has the same name (or one that reads the same) and manifests name them uniquely; rename one in Chili Piper and export again (this one is id {id})"
        ));
    }
    None
}

fn reminder_problem(reminder: &LiveReminder, shared: &BTreeSet<String>) -> Option<String> {
    name_problem(&reminder.name, &reminder.id, shared).or_else(|| {
        let trigger = reminder.spec.trigger;
        if trigger.kind == TriggerKind::MeetingBooked || trigger.offset.is_none() {
            Some(
                "it has the legacy `MeetingBooked` trigger (never sent), which manifests cannot write; give it a timed trigger in Chili Piper and export again"
                    .to_string(),
            )
        } else {
            None
        }
    })
}

/// The API's name of an enumeration value (`ZoomOneTimeLink`).
fn word<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn write_reminder(out: &mut String, reminder: &LiveReminder) {
    let spec = &reminder.spec;
    let _ = writeln!(out, "      {}:", scalar(&reminder.name));
    let _ = writeln!(out, "        channel: {}", word(&spec.channel));
    if let Some(offset) = spec.trigger.offset {
        let _ = writeln!(
            out,
            "        trigger: {{kind: {}, offset: {}}}",
            word(&spec.trigger.kind),
            offset.manifest()
        );
    }
    if let Some(title) = &spec.title {
        let _ = writeln!(out, "        title: {}", scalar(title));
    }
    let _ = writeln!(out, "        body: {}", scalar(&spec.body));
    if let Some(send_to) = &spec.send_to {
        let _ = writeln!(out, "        sendTo: {}", word(send_to));
    }
    if let Some(send_from) = &spec.send_from {
        let _ = writeln!(out, "        sendFrom: {}", word(send_from));
    }
    // `validate` takes `smsSendFrom` on SMS reminders only; left out, it stays as it is live.
    if let Some(sms_send_from) = &spec.sms_send_from
        && spec.channel == ReminderChannel::Sms
    {
        let _ = writeln!(out, "        smsSendFrom: {}", word(sms_send_from));
    }
}

/// Whether `validate` takes the location: `host` exactly for the kinds that need one,
/// `value` exactly for `DefinedInMeetingType`.
fn location_writable(location: &Location) -> bool {
    let defined = location.kind == LocationKind::DefinedInMeetingType;
    location.host.is_some() == location.kind.needs_host()
        && location
            .value
            .as_ref()
            .is_some_and(|v| !v.trim().is_empty())
            == defined
}

fn location_flow(location: &Location) -> String {
    let mut parts = vec![format!("type: {}", word(&location.kind))];
    if let Some(host) = &location.host {
        parts.push(format!("host: {}", word(host)));
    }
    if let Some(value) = &location.value {
        parts.push(format!("value: {}", scalar(value)));
    }
    format!("{{{}}}", parts.join(", "))
}

/// A meeting type. `reminders_written` is `None` when the workspace's reminders were not read.
fn write_meeting_type(
    out: &mut String,
    meeting_type: &LiveMeetingType,
    written: &Written<'_>,
    reminders_written: Option<&BTreeSet<&str>>,
) {
    let spec: &MeetingTypeSpec = &meeting_type.spec;
    let _ = writeln!(out, "      {}:", scalar(&meeting_type.name));
    let _ = writeln!(out, "        duration: {}", spec.duration.manifest());
    for (key, text) in [
        ("description", &spec.description),
        ("inviteTitle", &spec.invite_title),
        ("inviteDescription", &spec.invite_description),
    ] {
        if let Some(text) = text {
            let _ = writeln!(out, "        {key}: {}", scalar(text));
        }
    }
    if let Some(status) = &spec.status {
        let _ = writeln!(out, "        status: {}", word(status));
    }
    if let Some(location) = &spec.location {
        let all = std::iter::once(&location.default).chain(&location.others);
        if all.clone().all(location_writable) {
            let _ = writeln!(out, "        location:");
            let _ = writeln!(
                out,
                "          default: {}",
                location_flow(&location.default)
            );
            if !location.others.is_empty() {
                let others: Vec<String> = location.others.iter().map(location_flow).collect();
                let _ = writeln!(out, "          others: [{}]", others.join(", "));
            }
        } else {
            let _ = writeln!(
                out,
                "        # location left out: one of its locations has a host or value its type does not take; it stays as it is live"
            );
        }
    }
    if let Some(buffers) = &spec.buffers {
        let mut parts = Vec::new();
        if let Some(before) = buffers.before {
            parts.push(format!("before: {}", before.manifest()));
        }
        if let Some(after) = buffers.after {
            parts.push(format!("after: {}", after.manifest()));
        }
        if !parts.is_empty() {
            let _ = writeln!(out, "        buffers: {{{}}}", parts.join(", "));
        }
    }
    if let Some(limit) = &spec.meeting_limit
        && i64::from(limit.count) <= i64::from(i32::MAX)
    {
        let _ = writeln!(
            out,
            "        meetingLimit: {{limitBy: {}, timeframe: {}, count: {}}}",
            word(&limit.limit_by),
            word(&limit.timeframe),
            limit.count
        );
    }
    match &spec.shared_with {
        Some(SharedWith::Workspace) => {
            let _ = writeln!(out, "        sharedWith: workspace");
        }
        Some(SharedWith::Teams(teams)) => {
            let missing: Vec<&str> = teams
                .iter()
                .map(String::as_str)
                .filter(|team| !written.teams.contains(team))
                .collect();
            if missing.is_empty() {
                let names: Vec<String> = teams.iter().map(|t| scalar(t)).collect();
                let _ = writeln!(out, "        sharedWith: {{teams: [{}]}}", names.join(", "));
            } else {
                let _ = writeln!(
                    out,
                    "        # sharedWith left out: team {} is not written to the manifests; it stays as it is live",
                    missing.join(", ")
                );
            }
        }
        None => {}
    }
    if let (Some(reminders), Some(written_reminders)) = (&spec.reminders, reminders_written) {
        let missing: Vec<&str> = reminders
            .iter()
            .map(String::as_str)
            .filter(|name| !written_reminders.contains(name))
            .collect();
        if missing.is_empty() {
            let names: Vec<String> = reminders.iter().map(|r| scalar(r)).collect();
            let _ = writeln!(out, "        reminders: [{}]", names.join(", "));
        } else {
            let _ = writeln!(
                out,
                "        # reminders left out: {} not written to the manifests; the attachments stay as they are live",
                missing.join(", ")
            );
        }
    }
}

fn link_problem(
    link: &LiveLink,
    shared: &BTreeSet<String>,
    written: &Written<'_>,
    meeting_types_written: &BTreeSet<&str>,
) -> Option<String> {
    if !is_slug(&link.slug) {
        return Some(format!(
            "its slug is not lowercase letters, digits, `-` and `_` (id {})",
            link.id
        ));
    }
    if shared.contains(&name_key(&link.slug)) {
        return Some(format!(
            "another link of the workspace has this slug (this one is id {})",
            link.id
        ));
    }
    if link.spec.name.trim().is_empty() {
        return Some(format!("it has no name (id {})", link.id));
    }
    if link.spec.meeting_types.is_empty() {
        return Some("it offers no meeting type, which validate refuses".to_string());
    }
    let missing: Vec<&str> = link
        .spec
        .meeting_types
        .iter()
        .map(String::as_str)
        .filter(|name| !meeting_types_written.contains(name))
        .collect();
    if !missing.is_empty() {
        return Some(format!(
            "its meeting types {} are not written to the manifests",
            missing.join(", ")
        ));
    }
    let distributions = link.spec.target.distributions();
    if matches!(
        link.spec.target,
        LinkTarget::RoundRobin { .. } | LinkTarget::Ownership { .. }
    ) && distributions.is_empty()
    {
        return Some(format!(
            "it is {} link without distributions",
            match link.spec.target {
                LinkTarget::RoundRobin { .. } => "a round-robin",
                _ => "an ownership",
            }
        ));
    }
    let missing: Vec<&str> = distributions
        .into_iter()
        .filter(|name| !written.distributions.contains(name))
        .collect();
    if !missing.is_empty() {
        return Some(format!(
            "its distributions {} are not written to the manifests",
            missing.join(", ")
        ));
    }
    let listed = |names: Vec<&str>| names.len() != names.iter().collect::<BTreeSet<_>>().len();
    if listed(link.spec.meeting_types.iter().map(String::as_str).collect())
        || listed(link.spec.target.distributions())
    {
        return Some("it lists a meeting type or distribution twice".to_string());
    }
    None
}

fn write_link(out: &mut String, link: &LiveLink) {
    let spec = &link.spec;
    let _ = writeln!(out, "      {}:", scalar(&link.slug));
    let _ = writeln!(out, "        kind: {}", spec.target.kind().as_str());
    let _ = writeln!(out, "        name: {}", scalar(&spec.name));
    let names: Vec<String> = spec.meeting_types.iter().map(|m| scalar(m)).collect();
    let _ = writeln!(out, "        meetingTypes: [{}]", names.join(", "));
    match &spec.target {
        LinkTarget::RoundRobin { distributions } => {
            let names: Vec<String> = distributions.iter().map(|d| scalar(d)).collect();
            let _ = writeln!(out, "        distributions: [{}]", names.join(", "));
        }
        LinkTarget::Ownership { distributions } => {
            if distributions.is_empty() {
                let _ = writeln!(out, "        distributions: []");
            } else {
                let _ = writeln!(out, "        distributions:");
                for (name, required) in distributions {
                    let _ = writeln!(
                        out,
                        "          - {{name: {}, required: {required}}}",
                        scalar(name)
                    );
                }
            }
            let _ = writeln!(
                out,
                "        # the ownership routing (owner lookup, host, booker invitation) stays as it is live"
            );
        }
        LinkTarget::Group { .. } => {
            let _ = writeln!(
                out,
                "        # host and members: the API does not return them; add `host: <email>` and"
            );
            let _ = writeln!(
                out,
                "        # `members: {{required: [...], optional: [...]}}` to manage them"
            );
        }
        LinkTarget::AdminOneOnOne => {}
    }
}
