//! The checks of a workspace's `meetingTypes`, `reminders` and `schedulingLinks`, and their
//! translation into `model::booking`: lengths of time, locations, reminder triggers, slugs,
//! former names and references by name. What each kind of link takes is `check_links`'.
//!
//! A reference to a reminder, meeting type, distribution or team is checked against the
//! workspace's declarations only when the workspace manages that collection (its key is
//! given). When the key is omitted the collection is left alone, and the name is looked up in
//! the live org by the planner, which knows it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::format::{self, booking as fmt};
use super::{Checker, WorkspaceScope, problem, source};
use crate::manifest::node::{Pos, closest};
use crate::manifest::wrappers::{At, Checked, Keyed};
use crate::model::{
    BookingLimit, Buffers, DesiredLink, DesiredMeetingType, DesiredReminder, DesiredWorkspace,
    Location, LocationKind, Locations, MeetingTypeSpec, ReminderChannel, ReminderSpec, SharedWith,
    Span, SpanError, Trigger, TriggerKind,
};

/// The hint for a text that is not a length of time.
const SPAN_HINT: &str =
    "write it like `30m`, `1h`, `1h30m`, `2d` or `45s` (or as the API does, `30 minutes`)";

/// The names a workspace declares of one collection, or `None` when it leaves the collection
/// alone (its key is omitted): references are then checked by the planner against the org.
pub(super) type Declared<'f> = Option<BTreeSet<&'f str>>;

fn declared<V>(collection: &Option<Keyed<V>>) -> Declared<'_> {
    collection
        .as_ref()
        .map(|entries| entries.iter().map(|(key, _)| key.value.as_str()).collect())
}

/// Whether `slug` may be a link's slug: `[-0-9a-z_]+` (official skill notes).
pub fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A slug that reads like `text`: lowercase, runs of anything else made one `-`.
fn slug_like(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// What the workspace being checked declares, for the references of its booking objects.
pub(super) struct Names<'f> {
    pub workspace: &'f str,
    pub teams: Declared<'f>,
    pub distributions: Declared<'f>,
    pub reminders: Declared<'f>,
    pub meeting_types: Declared<'f>,
}

impl Checker<'_> {
    /// Checks and builds the workspace's meeting types, reminders and scheduling links into
    /// `built`.
    pub(super) fn booking(
        &mut self,
        file: &Arc<str>,
        scope: &WorkspaceScope<'_>,
        workspace: &format::Workspace,
        built: &mut DesiredWorkspace,
    ) {
        let names = Names {
            workspace: scope.name,
            teams: declared(&workspace.teams),
            distributions: declared(&workspace.distributions),
            reminders: declared(&workspace.reminders),
            meeting_types: declared(&workspace.meeting_types),
        };
        if let Some(reminders) = &workspace.reminders {
            for (key, entry) in reminders.iter() {
                if let Checked::Valid(reminder) = entry
                    && let Some(spec) = self.reminder(file, key, reminder)
                {
                    built.reminders.insert(
                        key.value.clone(),
                        DesiredReminder {
                            name: key.value.clone(),
                            previously: strings(&reminder.previously),
                            spec,
                            source: source(file, key.pos),
                        },
                    );
                }
            }
            self.check_names(
                file,
                scope,
                "reminder",
                reminders
                    .iter()
                    .map(|(key, entry)| (key, entry.valid().map(|r| r.previously.as_slice()))),
            );
        }
        if let Some(meeting_types) = &workspace.meeting_types {
            for (key, entry) in meeting_types.iter() {
                if let Checked::Valid(meeting_type) = entry
                    && let Some(spec) = self.meeting_type(file, &names, key, meeting_type)
                {
                    built.meeting_types.insert(
                        key.value.clone(),
                        DesiredMeetingType {
                            name: key.value.clone(),
                            previously: strings(&meeting_type.previously),
                            spec,
                            source: source(file, key.pos),
                        },
                    );
                }
            }
            self.check_names(
                file,
                scope,
                "meeting type",
                meeting_types
                    .iter()
                    .map(|(key, entry)| (key, entry.valid().map(|m| m.previously.as_slice()))),
            );
        }
        if let Some(links) = &workspace.scheduling_links {
            for (key, entry) in links.iter() {
                self.slug(file, key);
                if let Checked::Valid(link) = entry {
                    for former in &link.previously {
                        self.slug(file, former);
                    }
                    if let Some(spec) = self.link(file, &names, key, link) {
                        built.links.insert(
                            key.value.clone(),
                            DesiredLink {
                                slug: key.value.clone(),
                                previously: strings(&link.previously),
                                spec,
                                source: source(file, key.pos),
                            },
                        );
                    }
                }
            }
            self.check_names(
                file,
                scope,
                "scheduling link",
                links
                    .iter()
                    .map(|(key, entry)| (key, entry.valid().map(|l| l.previously.as_slice()))),
            );
        }
    }

    /// Reports a slug that is not `[-0-9a-z_]+` (an empty one is reported as an empty name).
    fn slug(&mut self, file: &Arc<str>, slug: &At<String>) {
        if slug.value.is_empty() || is_slug(&slug.value) {
            return;
        }
        let suggestion = slug_like(&slug.value);
        let hint = if suggestion.is_empty() {
            "a slug is part of the booking URL: use lowercase letters, digits, `-` and `_`"
                .to_string()
        } else {
            format!(
                "a slug is part of the booking URL: use lowercase letters, digits, `-` and `_`, e.g. `{suggestion}`"
            )
        };
        self.push(
            problem(
                file,
                slug.pos,
                format!("`{}` is not a valid slug", slug.value),
            )
            .with_hint(hint),
        );
    }

    /// Reads a length of time, reporting it when it is not one.
    fn span(&mut self, file: &Arc<str>, what: &str, at: &At<String>) -> Option<Span> {
        match Span::parse(&at.value) {
            Ok(span) => Some(span),
            Err(SpanError::TooLong(_)) => {
                self.push(
                    problem(
                        file,
                        at.pos,
                        format!("{what}: `{}` is longer than the API can hold", at.value),
                    )
                    .with_hint(format!(
                        "use at most `{}` (the API's lengths of time stop there)",
                        Span::MAX
                    )),
                );
                None
            }
            Err(SpanError::Unreadable(_)) => {
                self.push(
                    problem(
                        file,
                        at.pos,
                        format!("{what}: `{}` is not a length of time", at.value),
                    )
                    .with_hint(SPAN_HINT),
                );
                None
            }
        }
    }

    /// Checks a reference by name to a collection of the workspace. `false` when it is
    /// reported as undeclared.
    pub(super) fn named(
        &mut self,
        file: &Arc<str>,
        what: &str,
        (kind, key): (&str, &str),
        declared: &Declared<'_>,
        workspace: &str,
        at: &At<String>,
    ) -> bool {
        let Some(names) = declared else {
            return true;
        };
        if names.contains(at.value.as_str()) {
            return true;
        }
        let hint = match closest(&at.value, names.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => {
                format!("declare it under `{key}:` of `{workspace}`, or remove it from this list")
            }
        };
        self.push(
            problem(
                file,
                at.pos,
                format!(
                    "{what} refers to {kind} `{}`, which workspace `{workspace}` does not declare",
                    at.value
                ),
            )
            .with_hint(hint),
        );
        false
    }

    /// Reports every name listed twice in `list` (`what` is the list, e.g. "the reminders of
    /// meeting type `Demo`").
    pub(super) fn listed_once(
        &mut self,
        file: &Arc<str>,
        what: &str,
        list: &[&At<String>],
    ) -> bool {
        let mut seen: BTreeMap<&str, Pos> = BTreeMap::new();
        let mut ok = true;
        for at in list {
            if let Some(first) = seen.get(at.value.as_str()) {
                let mut diagnostic = problem(
                    file,
                    at.pos,
                    format!("`{}` is listed twice in {what}", at.value),
                )
                .with_hint("remove the second one");
                diagnostic
                    .related
                    .push((source(file, *first), "first listed here".to_string()));
                self.push(diagnostic);
                ok = false;
            } else {
                seen.insert(&at.value, at.pos);
            }
        }
        ok
    }

    fn meeting_type(
        &mut self,
        file: &Arc<str>,
        names: &Names<'_>,
        name: &At<String>,
        meeting_type: &fmt::MeetingType,
    ) -> Option<MeetingTypeSpec> {
        let what = format!("meeting type `{}`", name.value);
        let mut ok = true;
        let duration = self.span(file, &what, &meeting_type.duration);
        if duration == Some(Span(0)) {
            self.push(
                problem(
                    file,
                    meeting_type.duration.pos,
                    format!("{what} lasts no time at all"),
                )
                .with_hint("give the meeting's length, e.g. `30m`"),
            );
            ok = false;
        }
        let location = meeting_type
            .location
            .as_ref()
            .and_then(|at| self.locations(file, &what, &at.value));
        ok &= meeting_type.location.is_none() || location.is_some();

        let buffers = meeting_type.buffers.as_ref().map(|at| {
            let mut read = |span: &Option<At<String>>| {
                span.as_ref().and_then(|span| {
                    let read = self.span(file, &what, span);
                    ok &= read.is_some();
                    read
                })
            };
            Buffers {
                before: read(&at.value.before),
                after: read(&at.value.after),
            }
        });

        let meeting_limit = meeting_type.meeting_limit.as_ref().and_then(|at| {
            let limit = &at.value;
            let max = i64::from(i32::MAX);
            match u32::try_from(limit.count.value) {
                Ok(count) if limit.count.value <= max => Some(BookingLimit {
                    limit_by: limit.limit_by.value,
                    timeframe: limit.timeframe.value,
                    count,
                }),
                _ => {
                    self.push(
                        problem(
                            file,
                            limit.count.pos,
                            format!(
                                "{what}: the booking limit {} is out of range",
                                limit.count.value
                            ),
                        )
                        .with_hint(format!("use a number from 0 to {max}")),
                    );
                    ok = false;
                    None
                }
            }
        });

        let shared_with = meeting_type.shared_with.as_ref().map(|at| match &at.value {
            fmt::SharedWith::Workspace => SharedWith::Workspace,
            fmt::SharedWith::Teams(teams) => {
                let list: Vec<&At<String>> = teams.iter().collect();
                ok &= self.listed_once(file, &format!("the teams {what} is shared with"), &list);
                for team in teams {
                    ok &= self.named(
                        file,
                        &what,
                        ("team", "teams"),
                        &names.teams,
                        names.workspace,
                        team,
                    );
                }
                SharedWith::Teams(strings(teams).into_iter().collect())
            }
        });

        let reminders = meeting_type.reminders.as_ref().map(|list| {
            let refs: Vec<&At<String>> = list.iter().collect();
            ok &= self.listed_once(file, &format!("the reminders of {what}"), &refs);
            for reminder in list {
                ok &= self.named(
                    file,
                    &what,
                    ("reminder", "reminders"),
                    &names.reminders,
                    names.workspace,
                    reminder,
                );
            }
            strings(list).into_iter().collect::<BTreeSet<String>>()
        });

        if !ok {
            return None;
        }
        Some(MeetingTypeSpec {
            duration: duration?,
            description: text(&meeting_type.description),
            invite_title: text(&meeting_type.invite_title),
            invite_description: text(&meeting_type.invite_description),
            status: meeting_type.status.as_ref().map(|s| s.value),
            location,
            buffers,
            meeting_limit,
            shared_with,
            reminders,
        })
    }

    fn locations(
        &mut self,
        file: &Arc<str>,
        what: &str,
        locations: &fmt::Locations,
    ) -> Option<Locations> {
        let default = self.location(file, what, &locations.default);
        let mut others = Vec::new();
        let mut ok = default.is_some();
        for other in &locations.others {
            match self.location(file, what, other) {
                Some(location) => others.push(location),
                None => ok = false,
            }
        }
        ok.then_some(Locations {
            default: default?,
            others,
        })
    }

    /// One location: `host` exactly for the kinds that need one, `value` exactly for
    /// `DefinedInMeetingType` (official `MeetingLocation` variants).
    fn location(
        &mut self,
        file: &Arc<str>,
        what: &str,
        at: &At<fmt::Location>,
    ) -> Option<Location> {
        let location = &at.value;
        let kind = location.kind.value;
        let kind_name = location_kind_name(kind);
        let mut ok = true;
        match (&location.host, kind.needs_host()) {
            (None, true) => {
                self.push(
                    problem(
                        file,
                        at.pos,
                        format!("{what}: location type `{kind_name}` needs a `host`"),
                    )
                    .with_hint(
                        "add `host: Host`, `host: AssigneeIfExists` or `host: BookerIfExists`",
                    ),
                );
                ok = false;
            }
            (Some(host), false) => {
                self.push(
                    problem(
                        file,
                        host.pos,
                        format!("{what}: location type `{kind_name}` takes no `host`"),
                    )
                    .with_hint("remove `host`"),
                );
                ok = false;
            }
            _ => {}
        }
        let defined = kind == LocationKind::DefinedInMeetingType;
        match (&location.value, defined) {
            (Some(value), true) if value.value.trim().is_empty() => {
                self.push(
                    problem(file, value.pos, format!("{what}: the location is empty"))
                        .with_hint("write the address or dial-in guests should use"),
                );
                ok = false;
            }
            (None, true) => {
                self.push(
                    problem(
                        file,
                        at.pos,
                        format!("{what}: location type `DefinedInMeetingType` needs a `value`"),
                    )
                    .with_hint("add `value:` with the address or dial-in guests should use"),
                );
                ok = false;
            }
            (Some(value), false) => {
                self.push(
                    problem(
                        file,
                        value.pos,
                        format!("{what}: location type `{kind_name}` takes no `value`"),
                    )
                    .with_hint(
                        "remove `value`, or use `type: DefinedInMeetingType` for a fixed location",
                    ),
                );
                ok = false;
            }
            _ => {}
        }
        ok.then(|| Location {
            kind,
            host: location.host.as_ref().map(|h| h.value),
            value: location.value.as_ref().map(|v| v.value.clone()),
        })
    }

    fn reminder(
        &mut self,
        file: &Arc<str>,
        name: &At<String>,
        reminder: &fmt::Reminder,
    ) -> Option<ReminderSpec> {
        let what = format!("reminder `{}`", name.value);
        let trigger = &reminder.trigger.value;
        let mut ok = true;
        if trigger.kind.value == TriggerKind::MeetingBooked {
            self.push(
                problem(
                    file,
                    trigger.kind.pos,
                    format!("{what}: a `MeetingBooked` trigger cannot be written"),
                )
                .with_hint(
                    "the API refuses it on writes (it is a legacy kind whose reminders were never sent): use `BeforeMeeting`, `BeforeMeetingNoResponse` or `AfterMeeting` with an `offset`",
                ),
            );
            ok = false;
        }
        let offset = match &trigger.offset {
            Some(offset) => self.span(file, &what, offset),
            None => {
                if trigger.kind.value != TriggerKind::MeetingBooked {
                    self.push(
                        problem(
                            file,
                            reminder.trigger.pos,
                            format!("{what}: the trigger has no `offset`"),
                        )
                        .with_hint(
                            "add how long before or after the meeting it is sent, e.g. `offset: 1h`",
                        ),
                    );
                }
                None
            }
        };
        ok &= offset.is_some();
        if let Some(sms_from) = &reminder.sms_send_from
            && reminder.channel.value == ReminderChannel::Email
        {
            self.push(
                problem(
                    file,
                    sms_from.pos,
                    format!("{what}: `smsSendFrom` is for SMS reminders"),
                )
                .with_hint("remove it, or set `channel: Sms` on a new reminder"),
            );
            ok = false;
        }
        ok.then(|| ReminderSpec {
            channel: reminder.channel.value,
            trigger: Trigger {
                kind: trigger.kind.value,
                offset,
            },
            title: text(&reminder.title),
            body: reminder.body.value.clone(),
            send_to: reminder.send_to.as_ref().map(|v| v.value),
            send_from: reminder.send_from.as_ref().map(|v| v.value),
            sms_send_from: reminder.sms_send_from.as_ref().map(|v| v.value),
        })
    }
}

fn strings(list: &[At<String>]) -> Vec<String> {
    list.iter().map(|at| at.value.clone()).collect()
}

fn text(at: &Option<At<String>>) -> Option<String> {
    at.as_ref().map(|at| at.value.clone())
}

fn location_kind_name(kind: LocationKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_letters_digits_dashes_and_underscores() {
        assert!(is_slug("demo-sales_2"));
        for bad in ["", "Demo", "demo sales", "démo", "demo/sales"] {
            assert!(!is_slug(bad), "{bad:?}");
        }
        assert_eq!(slug_like("Demo Sales / EMEA"), "demo-sales-emea");
        assert_eq!(slug_like("  "), "");
    }
}
