//! The booking layer of a generated convergence case: reminders, meeting types and
//! scheduling links (round-robin over the workspace's distributions, or admin one-on-one), on
//! the org's side and the manifests' side, with the oracle that judges the emulator's final
//! state against them.
//!
//! The manifests are never refused by the planner: a declared link names only declared
//! meeting types and distributions, a link keeps its kind, and the org's links the manifests
//! do not declare are pruned (an undeclared link left in place could hold a distribution or a
//! meeting type that the manifests delete, which the planner rightly refuses).

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use scoville::edge::wire;
use scoville::emulator::{OrgState, SeedLink, SeedMeetingType, SeedReminder};
use scoville::model::{LinkKind, ObjectKind, ReminderChannel, TriggerKind};

/// The name of the reminder meeting-type-create seeds by itself (official onboarding notes).
const SEEDED_REMINDER: &str = "Email 1 hour before";
/// Lengths of time the generator picks from, in minutes.
const MINUTES: [u32; 4] = [15, 30, 45, 60];
/// Reminder, meeting type and link slots per workspace in the manifests (existing ones first).
const SLOTS: usize = 3;

#[derive(Debug, Clone)]
pub struct BookingKnobs {
    /// The org's reminders: an index into `MINUTES` each.
    pub org_reminders: Vec<u8>,
    /// The org's meeting types: (duration index, mask over the org's reminders).
    pub org_meeting_types: Vec<(u8, u8)>,
    /// The org's links: (mask over the org's meeting types, mask over its distributions; an
    /// empty distribution mask makes an admin one-on-one link).
    pub org_links: Vec<(u8, u8)>,
    /// Declared reminders: the offset index.
    pub reminder_slots: Vec<Option<u8>>,
    /// Declared meeting types: (duration index, mask over the declared reminders, renamed).
    pub meeting_type_slots: Vec<Option<(u8, u8, bool)>>,
    /// Declared links: (name variant, mask over declared meeting types, mask over declared
    /// distributions).
    pub link_slots: Vec<Option<(u8, u8, u8)>>,
    /// Bit 0: prune meeting types; bit 1: prune reminders.
    pub prune: u8,
}

pub fn knobs() -> impl Strategy<Value = BookingKnobs> {
    (
        prop::collection::vec(0..4u8, 0..=2),
        prop::collection::vec((0..4u8, any::<u8>()), 0..=2),
        prop::collection::vec((1..4u8, any::<u8>()), 0..=2),
        prop::collection::vec(prop::option::weighted(0.7, 0..4u8), SLOTS),
        prop::collection::vec(
            prop::option::weighted(0.7, (0..4u8, any::<u8>(), prop::bool::weighted(0.15))),
            SLOTS,
        ),
        prop::collection::vec(
            prop::option::weighted(0.6, (0..2u8, 1..8u8, any::<u8>())),
            SLOTS,
        ),
        0..4u8,
    )
        .prop_map(
            |(
                org_reminders,
                org_meeting_types,
                org_links,
                reminder_slots,
                meeting_type_slots,
                link_slots,
                prune,
            )| BookingKnobs {
                org_reminders,
                org_meeting_types,
                org_links,
                reminder_slots,
                meeting_type_slots,
                link_slots,
                prune,
            },
        )
}

/// A workspace's reminders, meeting types and links, by name (links by slug).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BookingModel {
    /// Reminder name -> offset in minutes (before the meeting).
    pub reminders: BTreeMap<String, u32>,
    pub meeting_types: BTreeMap<String, MeetingTypeModel>,
    pub links: BTreeMap<String, LinkModel>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeetingTypeModel {
    pub minutes: u32,
    pub reminders: BTreeSet<String>,
    /// Only in manifests: the former name of a meeting type renamed in place.
    pub previously: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkModel {
    pub name: String,
    pub meeting_types: Vec<String>,
    /// Round-robin: the distributions in order; empty for an admin one-on-one link.
    pub distributions: Vec<String>,
}

impl LinkModel {
    fn kind(&self) -> LinkKind {
        if self.distributions.is_empty() {
            LinkKind::AdminOneOnOne
        } else {
            LinkKind::RoundRobin
        }
    }
}

fn pick(names: &[String], mask: u8) -> Vec<&String> {
    names
        .iter()
        .enumerate()
        .filter(|(bit, _)| *bit < 8 && mask & (1 << bit) != 0)
        .map(|(_, name)| name)
        .collect()
}

fn owned(names: Vec<&String>) -> Vec<String> {
    names.into_iter().cloned().collect()
}

/// The org's booking layer and the manifests' of workspace `w`, over the org's distributions
/// (`org_distributions`) and the declared ones (`declared_distributions`). Returns the kinds
/// the manifests prune.
pub fn build(
    w: usize,
    knobs: &BookingKnobs,
    org_distributions: &[String],
    declared_distributions: &[String],
) -> (BookingModel, BookingModel, BTreeSet<ObjectKind>) {
    let mut before = BookingModel::default();
    for (i, offset) in knobs.org_reminders.iter().enumerate() {
        before
            .reminders
            .insert(format!("rem-{w}-{i}"), MINUTES[usize::from(*offset)]);
    }
    let org_reminders: Vec<String> = before.reminders.keys().cloned().collect();
    for (i, (duration, mask)) in knobs.org_meeting_types.iter().enumerate() {
        before.meeting_types.insert(
            format!("mt-{w}-{i}"),
            MeetingTypeModel {
                minutes: MINUTES[usize::from(*duration)],
                reminders: owned(pick(&org_reminders, *mask)).into_iter().collect(),
                previously: None,
            },
        );
    }
    let org_meeting_types: Vec<String> = before.meeting_types.keys().cloned().collect();
    if !org_meeting_types.is_empty() {
        for (i, (mt_mask, d_mask)) in knobs.org_links.iter().enumerate() {
            let mut meeting_types = owned(pick(&org_meeting_types, *mt_mask));
            if meeting_types.is_empty() {
                meeting_types.push(org_meeting_types[0].clone());
            }
            before.links.insert(
                format!("link-{w}-{i}"),
                LinkModel {
                    name: format!("Link {w}-{i}"),
                    meeting_types,
                    distributions: owned(pick(org_distributions, *d_mask)),
                },
            );
        }
    }

    let mut after = BookingModel::default();
    for (slot, offset) in knobs.reminder_slots.iter().enumerate() {
        if let Some(offset) = offset {
            after
                .reminders
                .insert(format!("rem-{w}-{slot}"), MINUTES[usize::from(*offset)]);
        }
    }
    let declared_reminders: Vec<String> = after.reminders.keys().cloned().collect();
    for (slot, declared) in knobs.meeting_type_slots.iter().enumerate() {
        let Some((duration, mask, rename)) = declared else {
            continue;
        };
        let name = format!("mt-{w}-{slot}");
        let renamed = *rename && before.meeting_types.contains_key(&name);
        let model = MeetingTypeModel {
            minutes: MINUTES[usize::from(*duration)],
            reminders: owned(pick(&declared_reminders, *mask))
                .into_iter()
                .collect(),
            previously: renamed.then(|| name.clone()),
        };
        let key = if renamed {
            format!("{name}-renamed")
        } else {
            name
        };
        after.meeting_types.insert(key, model);
    }
    let declared_meeting_types: Vec<String> = after.meeting_types.keys().cloned().collect();
    for (slot, declared) in knobs.link_slots.iter().enumerate() {
        let Some((variant, mt_mask, d_mask)) = declared else {
            continue;
        };
        let meeting_types = owned(pick(&declared_meeting_types, *mt_mask));
        if meeting_types.is_empty() {
            continue;
        }
        let slug = format!("link-{w}-{slot}");
        let link = LinkModel {
            name: format!("Link {w}-{slot} v{variant}"),
            meeting_types,
            distributions: owned(pick(declared_distributions, *d_mask)),
        };
        // A link's kind cannot change: an org link of the other kind stays undeclared (and so
        // is pruned).
        if before
            .links
            .get(&slug)
            .is_some_and(|org| org.kind() != link.kind())
        {
            continue;
        }
        after.links.insert(slug, link);
    }
    let mut prune: BTreeSet<ObjectKind> = [ObjectKind::MeetingTypes, ObjectKind::Reminders]
        .into_iter()
        .enumerate()
        .filter(|(bit, _)| knobs.prune & (1 << bit) != 0)
        .map(|(_, kind)| kind)
        .collect();
    prune.insert(ObjectKind::SchedulingLinks);
    (before, after, prune)
}

impl BookingModel {
    /// The workspace's seed entries: reminders, meeting types, links.
    pub fn to_seed(&self) -> (Vec<SeedReminder>, Vec<SeedMeetingType>, Vec<SeedLink>) {
        let reminders = self
            .reminders
            .iter()
            .map(|(name, minutes)| SeedReminder {
                name: name.clone(),
                channel: ReminderChannel::Email,
                trigger: wire::ReminderTrigger {
                    kind: TriggerKind::BeforeMeeting,
                    offset: Some(format!("{minutes} minutes")),
                },
                title: None,
                body: format!("Reminder {name}"),
                send_to: None,
                send_from: None,
                sms_send_from: None,
            })
            .collect();
        let meeting_types = self
            .meeting_types
            .iter()
            .map(|(name, m)| SeedMeetingType {
                name: name.clone(),
                duration: format!("{} minutes", m.minutes),
                description: None,
                invite_title: None,
                invite_description: None,
                status: None,
                location: None,
                buffers: None,
                meeting_limit: None,
                shared_with: None,
                reminders: m.reminders.iter().cloned().collect(),
            })
            .collect();
        let links = self
            .links
            .iter()
            .map(|(slug, link)| SeedLink {
                kind: link.kind(),
                name: link.name.clone(),
                slug: slug.clone(),
                meeting_types: link.meeting_types.clone(),
                distributions: link.distributions.clone(),
                host: None,
                required: Vec::new(),
                optional: Vec::new(),
                ownership: None,
                distribution_host: None,
                booker_invitation: None,
                page_config: None,
                shared_with: None,
            })
            .collect();
        (reminders, meeting_types, links)
    }

    /// The workspace's `reminders`, `meetingTypes` and `schedulingLinks` keys, as a person
    /// would write them.
    pub fn to_yaml(&self) -> String {
        let quoted = |names: &mut dyn Iterator<Item = &String>| {
            names
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut text = String::from("    reminders:\n");
        if self.reminders.is_empty() {
            text = String::from("    reminders: {}\n");
        }
        for (name, minutes) in &self.reminders {
            text.push_str(&format!(
                "      {name}:\n        channel: Email\n        trigger: {{kind: BeforeMeeting, offset: {minutes}m}}\n        body: \"Reminder {name}\"\n"
            ));
        }
        if self.meeting_types.is_empty() {
            text.push_str("    meetingTypes: {}\n");
        } else {
            text.push_str("    meetingTypes:\n");
        }
        for (name, m) in &self.meeting_types {
            text.push_str(&format!(
                "      {name}:\n        duration: {}m\n        reminders: [{}]\n",
                m.minutes,
                quoted(&mut m.reminders.iter())
            ));
            if let Some(previous) = &m.previously {
                text.push_str(&format!("        previously: [{previous}]\n"));
            }
        }
        if self.links.is_empty() {
            text.push_str("    schedulingLinks: {}\n");
        } else {
            text.push_str("    schedulingLinks:\n");
        }
        for (slug, link) in &self.links {
            text.push_str(&format!(
                "      {slug}:\n        kind: {}\n        name: \"{}\"\n        meetingTypes: [{}]\n",
                link.kind().as_str(),
                link.name,
                quoted(&mut link.meeting_types.iter())
            ));
            if !link.distributions.is_empty() {
                text.push_str(&format!(
                    "        distributions: [{}]\n",
                    quoted(&mut link.distributions.iter())
                ));
            }
        }
        text
    }
}

/// What is wrong with workspace `workspace_id`'s booking layer in the final `state`, against
/// the org it started with (`before`), the manifests' model (`declared`) and the kinds they
/// prune. `distribution_name` names the state's distributions by id.
pub fn problems(
    state: &OrgState,
    workspace: &str,
    workspace_id: &str,
    before: &BookingModel,
    declared: &BookingModel,
    prune: &BTreeSet<ObjectKind>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let minutes = |text: &str| -> Option<u32> {
        scoville::model::Span::parse(text)
            .ok()
            .and_then(|span| u32::try_from(span.0 / 60).ok())
    };

    // Reminders: one per name, the declared ones with their offset; undeclared ones stay
    // unless pruned, and even then while a meeting type the manifests leave alone holds them.
    let mut reminders: BTreeMap<&str, Vec<&wire::Reminder>> = BTreeMap::new();
    let mut reminder_name: BTreeMap<&str, &str> = BTreeMap::new();
    for reminder in state
        .reminders
        .values()
        .filter(|r| r.workspace_id == workspace_id)
    {
        reminders.entry(&reminder.name).or_default().push(reminder);
        reminder_name.insert(&reminder.id, &reminder.name);
    }
    let renamed: BTreeSet<&String> = declared
        .meeting_types
        .values()
        .filter_map(|m| m.previously.as_ref())
        .collect();
    let surviving_undeclared: Vec<&MeetingTypeModel> = before
        .meeting_types
        .iter()
        .filter(|(name, _)| {
            !declared.meeting_types.contains_key(*name)
                && !renamed.contains(name)
                && !prune.contains(&ObjectKind::MeetingTypes)
        })
        .map(|(_, m)| m)
        .collect();
    let mut expected_reminders: BTreeMap<&String, u32> =
        declared.reminders.iter().map(|(n, m)| (n, *m)).collect();
    for (name, offset) in &before.reminders {
        let held = surviving_undeclared
            .iter()
            .any(|m| m.reminders.contains(name));
        if !declared.reminders.contains_key(name)
            && (!prune.contains(&ObjectKind::Reminders) || held)
        {
            expected_reminders.insert(name, *offset);
        }
    }
    for (name, found) in &reminders {
        if found.len() > 1 && *name != SEEDED_REMINDER {
            problems.push(format!(
                "workspace {workspace} has {} reminders `{name}`",
                found.len()
            ));
        }
        // The reminder a meeting-type create seeds is removed by the same apply; when that
        // apply stops before (a fault on the detach), the next one detaches it and it stays,
        // unattached and so never sent, as an unmanaged reminder until reminders are pruned.
        let attached = |reminder: &wire::Reminder| {
            state
                .meeting_types
                .values()
                .any(|m| m.reminder_ids.contains(&reminder.id))
        };
        let left_seeded = *name == SEEDED_REMINDER
            && !prune.contains(&ObjectKind::Reminders)
            && found.iter().all(|r| !attached(r));
        if !left_seeded && !expected_reminders.keys().any(|n| n.as_str() == *name) {
            problems.push(format!(
                "reminder {workspace}/{name} should not be there (seeded, pruned or from nowhere)"
            ));
        }
    }
    for (name, offset) in &expected_reminders {
        match reminders.get(name.as_str()).and_then(|r| r.first()) {
            None => problems.push(format!("reminder {workspace}/{name} is missing")),
            Some(found) => {
                let got = found.trigger.offset.as_deref().and_then(minutes);
                if got != Some(*offset) {
                    problems.push(format!(
                        "reminder {workspace}/{name} is sent {got:?} minutes before, expected {offset}"
                    ));
                }
            }
        }
    }

    // Meeting types: one per name; declared ones with their duration and exact reminders;
    // undeclared ones as they were unless pruned.
    let mut meeting_types: BTreeMap<&str, Vec<&scoville::emulator::StoredMeetingType>> =
        BTreeMap::new();
    let mut meeting_type_name: BTreeMap<&str, &str> = BTreeMap::new();
    for stored in state
        .meeting_types
        .values()
        .filter(|m| m.meeting_type.workspace_id == workspace_id)
    {
        meeting_types
            .entry(&stored.meeting_type.name)
            .or_default()
            .push(stored);
        meeting_type_name.insert(&stored.meeting_type.id, &stored.meeting_type.name);
    }
    let mut expected_meeting_types: BTreeMap<&String, &MeetingTypeModel> =
        declared.meeting_types.iter().collect();
    for (name, m) in &before.meeting_types {
        if !declared.meeting_types.contains_key(name)
            && !renamed.contains(name)
            && !prune.contains(&ObjectKind::MeetingTypes)
        {
            expected_meeting_types.insert(name, m);
        }
    }
    for (name, found) in &meeting_types {
        if found.len() > 1 {
            problems.push(format!(
                "workspace {workspace} has {} meeting types `{name}`",
                found.len()
            ));
        }
        if !expected_meeting_types.keys().any(|n| n.as_str() == *name) {
            problems.push(format!(
                "meeting type {workspace}/{name} should not be there (pruned, renamed or from nowhere)"
            ));
        }
    }
    for (name, expected) in &expected_meeting_types {
        let Some(found) = meeting_types.get(name.as_str()).and_then(|m| m.first()) else {
            problems.push(format!("meeting type {workspace}/{name} is missing"));
            continue;
        };
        let got = minutes(&found.meeting_type.duration);
        if got != Some(expected.minutes) {
            problems.push(format!(
                "meeting type {workspace}/{name} lasts {got:?} minutes, expected {}",
                expected.minutes
            ));
        }
        let attached: BTreeSet<String> = found
            .reminder_ids
            .iter()
            .map(|id| {
                reminder_name
                    .get(id.as_str())
                    .map_or(format!("<{id}>"), |n| n.to_string())
            })
            .collect();
        if attached != expected.reminders {
            problems.push(format!(
                "meeting type {workspace}/{name} has reminders {attached:?}, expected {:?}",
                expected.reminders
            ));
        }
    }

    // Links: exactly the declared ones (undeclared ones are always pruned here).
    let distribution_name: BTreeMap<&str, &str> = state
        .distributions
        .values()
        .map(|d| {
            (
                d.distribution_id.as_str(),
                d.name.as_deref().unwrap_or("<unnamed>"),
            )
        })
        .collect();
    let name_of = |names: &BTreeMap<&str, &str>, id: &String| {
        names
            .get(id.as_str())
            .map_or(format!("<{id}>"), |n| n.to_string())
    };
    let mut links: BTreeMap<&str, Vec<&scoville::emulator::StoredLink>> = BTreeMap::new();
    for link in state
        .links
        .values()
        .filter(|l| l.workspace_id == workspace_id)
    {
        links.entry(&link.slug).or_default().push(link);
    }
    for (slug, found) in &links {
        if found.len() > 1 {
            problems.push(format!(
                "workspace {workspace} has {} links `{slug}`",
                found.len()
            ));
        }
        if !declared.links.contains_key(*slug) {
            problems.push(format!("link {workspace}/{slug} should be gone (pruned)"));
        }
    }
    for (slug, expected) in &declared.links {
        let Some(found) = links.get(slug.as_str()).and_then(|l| l.first()) else {
            problems.push(format!("link {workspace}/{slug} is missing"));
            continue;
        };
        let got = LinkModel {
            name: found.name.clone(),
            meeting_types: found
                .meeting_type_ids
                .iter()
                .map(|id| name_of(&meeting_type_name, id))
                .collect(),
            distributions: found
                .distribution_ids
                .iter()
                .map(|id| name_of(&distribution_name, id))
                .collect(),
        };
        if &got != expected || found.kind != expected.kind() {
            problems.push(format!(
                "link {workspace}/{slug} is {:?} {got:?}, expected {expected:?}",
                found.kind
            ));
        }
    }
    problems
}
