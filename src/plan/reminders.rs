//! Reminders of one workspace: create, update (a patch of the changed fields; the channel
//! cannot change), rename via `previously`, and delete when the policy prunes them, never while
//! a meeting type the manifests leave alone still has it attached.

use std::collections::{BTreeMap, BTreeSet};

use super::body::Call;
use super::body_booking::{
    ReminderDeleteParams, ReminderRef, ReminderUpdateParams, SEEDED_REMINDER_NAME,
};
use super::body_booking_wire::{reminder_create, wire_trigger};
use super::booking::BookingPlan;
use super::builder::{Draft, Planner, at};
use super::problems::PlanProblem;
use super::types::{Action, Address, Detail, StepId};
use super::workspace::{Match, WorkspacePlan, former_names};
use crate::edge::wire;
use crate::model::{LiveReminder, ObjectKind, OpaqueKind, ReminderSpec};

impl Planner<'_> {
    pub(super) fn plan_reminders(
        &mut self,
        ws: &WorkspacePlan,
        booking: &mut BookingPlan,
        live: &[LiveReminder],
    ) {
        let desired = ws.desired;
        let mut claimed = BTreeSet::new();
        for (name, reminder) in &desired.reminders {
            // One scoville could not read is refused by `plan_opaque`, never created again.
            if ws.opaque.contains(&(OpaqueKind::Reminder, name.clone())) {
                continue;
            }
            let address = Address::Reminder(ws.name.to_string(), name.clone());
            self.read(address.clone());
            for previous in &reminder.previously {
                self.read(Address::Reminder(ws.name.to_string(), previous.clone()));
            }
            let matched = self.match_by_name(
                live,
                |r: &LiveReminder| (r.name.as_str(), r.id.as_str()),
                "reminder",
                ws.name,
                name,
                &former_names(&reminder.previously, |n| desired.reminders.contains_key(n)),
                &reminder.source,
                &claimed,
            );
            let (live_reminder, renamed) = match matched {
                Match::Problem => continue,
                Match::New => {
                    let step = self.add_step(
                        Draft {
                            call: Call::ReminderCreate {
                                body: reminder_create(&ws.live.id, name, &reminder.spec),
                            },
                            target: address,
                            action: Action::Create,
                            destructive: false,
                            reason: at(&reminder.source),
                            depends_on: BTreeSet::new(),
                            detail: Detail::Reminder {
                                name: name.clone(),
                                previously: None,
                                before: None,
                                after: Some(reminder.spec.clone()),
                                changed: Vec::new(),
                                seeded_by: None,
                            },
                        },
                        None,
                    );
                    booking.reminders.insert(
                        name.clone(),
                        ReminderRef::FromStep {
                            id_from_step: step,
                            reminder: name.clone(),
                        },
                    );
                    continue;
                }
                Match::Existing(found) => (found, false),
                Match::Renamed(found) => (found, true),
            };
            claimed.insert(live_reminder.id.clone());
            booking.matched_reminders.insert(live_reminder.id.clone());
            booking
                .reminders
                .insert(name.clone(), ReminderRef::Id(live_reminder.id.clone()));
            self.count_managed(ObjectKind::Reminders, 1);
            if live_reminder.spec.channel != reminder.spec.channel {
                let word = |spec: &ReminderSpec| format!("{:?}", spec.channel);
                self.problem(PlanProblem::ReminderChannelChange {
                    workspace: ws.name.to_string(),
                    reminder: name.clone(),
                    from: word(&live_reminder.spec),
                    to: word(&reminder.spec),
                    at: reminder.source.clone(),
                });
                continue;
            }
            let (patch, changed, after) =
                reminder_patch(&live_reminder.spec, &reminder.spec, renamed.then_some(name));
            if changed.is_empty() {
                continue;
            }
            self.add_step(
                Draft {
                    call: Call::ReminderUpdate {
                        params: ReminderUpdateParams {
                            reminder_id: live_reminder.id.clone(),
                            workspace_id: ws.live.id.clone(),
                        },
                        body: patch,
                    },
                    target: address,
                    action: if renamed {
                        Action::Rename
                    } else {
                        Action::Update
                    },
                    destructive: false,
                    reason: at(&reminder.source),
                    depends_on: BTreeSet::new(),
                    detail: Detail::Reminder {
                        name: name.clone(),
                        previously: renamed.then(|| live_reminder.name.clone()),
                        before: Some(live_reminder.spec.clone()),
                        after: Some(after),
                        changed,
                        seeded_by: None,
                    },
                },
                None,
            );
        }
        // Undeclared live reminders may be named by meeting types too, when unique (not one a
        // declaration renames: its old name is gone after the plan).
        let mut by_name: BTreeMap<&str, Vec<&LiveReminder>> = BTreeMap::new();
        for reminder in live {
            by_name.entry(&reminder.name).or_default().push(reminder);
        }
        by_name.retain(|_, found| {
            !found
                .iter()
                .any(|r| booking.matched_reminders.contains(&r.id))
        });
        for (name, found) in by_name {
            if let ([one], false) = (found.as_slice(), booking.reminders.contains_key(name)) {
                booking
                    .reminders
                    .insert(name.to_string(), ReminderRef::Id(one.id.clone()));
            }
        }
    }

    /// Live reminders the manifests do not declare: deleted when the policy prunes reminders
    /// here and no meeting type keeps them attached after the plan, listed otherwise.
    pub(super) fn prune_reminders(
        &mut self,
        ws: &WorkspacePlan,
        booking: &BookingPlan,
        live: &[LiveReminder],
    ) {
        let prune = self.prune_reason(ws.name, ObjectKind::Reminders);
        let mut n_by_name: BTreeMap<&str, usize> = BTreeMap::new();
        for reminder in live {
            *n_by_name.entry(&reminder.name).or_default() += 1;
        }
        for reminder in live {
            if booking.matched_reminders.contains(&reminder.id) {
                continue;
            }
            let address = Address::Reminder(ws.name.to_string(), reminder.name.clone());
            // Meeting types that keep it attached: every live one that has it, except those
            // the plan deletes or detaches it from.
            let detaches = booking.detaches.get(&reminder.id);
            let kept_by: Vec<String> = ws
                .live
                .meeting_types
                .iter()
                .flatten()
                .filter(|meeting_type| meeting_type.reminder_ids.contains(&reminder.id))
                .filter(|meeting_type| {
                    !booking.deleted_meeting_types.contains_key(&meeting_type.id)
                        && !detaches.is_some_and(|steps| {
                            steps.iter().any(|(from, _)| from == &meeting_type.id)
                        })
                })
                .map(|meeting_type| format!("`{}`", meeting_type.name))
                .collect();
            let ignored = self.ignored(&[&address]).is_some();
            match &prune {
                Some(reason) if !ignored && kept_by.is_empty() && booking.attachments_known => {
                    self.read(address.clone());
                    self.count_managed(ObjectKind::Reminders, 1);
                    self.count_removal(ObjectKind::Reminders, address.to_string());
                    let suffix =
                        (n_by_name[reminder.name.as_str()] > 1).then_some(reminder.id.as_str());
                    let step = self.add_step(
                        Draft {
                            call: Call::ReminderDelete {
                                params: ReminderDeleteParams {
                                    reminder_id: ReminderRef::Id(reminder.id.clone()),
                                    workspace_id: ws.live.id.clone(),
                                },
                            },
                            target: address,
                            action: Action::Delete,
                            destructive: true,
                            reason: reason.clone(),
                            depends_on: BTreeSet::new(),
                            detail: Detail::Reminder {
                                name: reminder.name.clone(),
                                previously: None,
                                before: Some(reminder.spec.clone()),
                                after: None,
                                changed: Vec::new(),
                                seeded_by: None,
                            },
                        },
                        suffix,
                    );
                    for (_, detach) in detaches.into_iter().flatten() {
                        self.add_edge(detach, &step);
                    }
                }
                _ => {
                    let detail = if !booking.attachments_known {
                        "meeting types not read, so its use is unknown".to_string()
                    } else if kept_by.is_empty() {
                        unattached(&reminder.name, &detached_from(ws, detaches))
                    } else {
                        format!("in use by meeting type {}", kept_by.join(", "))
                    };
                    self.list_unmanaged(&address, "reminder", detail);
                }
            }
        }
    }
}

/// The meeting types, by name in backticks, that the plan detaches a reminder from.
fn detached_from(ws: &WorkspacePlan, detaches: Option<&Vec<(String, StepId)>>) -> Vec<String> {
    ws.live
        .meeting_types
        .iter()
        .flatten()
        .filter(|meeting_type| {
            detaches.is_some_and(|steps| steps.iter().any(|(from, _)| from == &meeting_type.id))
        })
        .map(|meeting_type| format!("`{}`", meeting_type.name))
        .collect()
}

/// What the list of unmanaged objects says of a reminder no meeting type has after the plan.
/// One the plan detaches is still attached now; one named as the reminder meeting-type-create
/// seeds is most likely the seed an apply stopped before deleting (the plan of a create deletes
/// it, a later plan cannot tell it from one made by hand), so the way to remove it is said.
fn unattached(name: &str, detached_from: &[String]) -> String {
    let mut detail = if detached_from.is_empty() {
        "attached to no meeting type".to_string()
    } else {
        format!(
            "attached to no meeting type once the plan detaches it from {}",
            detached_from.join(", ")
        )
    };
    if name == SEEDED_REMINDER_NAME {
        detail.push_str(
            "; named as the reminder meeting-type-create seeds (an apply stopped before \
             deleting it leaves it): delete it in Chili Piper, or prune reminders here",
        );
    }
    detail
}

/// The patch from `live` to `declared` (fields the manifests leave out are left alone), the
/// changed fields in the API's words, and the content after the patch.
fn reminder_patch(
    live: &ReminderSpec,
    declared: &ReminderSpec,
    rename: Option<&String>,
) -> (wire::ReminderUpdate, Vec<String>, ReminderSpec) {
    let mut patch = wire::ReminderUpdate::default();
    let mut changed = Vec::new();
    let mut after = live.clone();
    if let Some(name) = rename {
        patch.name = Some(name.clone());
        changed.push("name".to_string());
    }
    if declared.trigger != live.trigger {
        patch.trigger = Some(wire_trigger(&declared.trigger));
        after.trigger = declared.trigger;
        changed.push("trigger".to_string());
    }
    if declared.title.is_some() && declared.title != live.title {
        patch.title.clone_from(&declared.title);
        after.title.clone_from(&declared.title);
        changed.push("title".to_string());
    }
    if declared.body != live.body {
        patch.body = Some(declared.body.clone());
        after.body.clone_from(&declared.body);
        changed.push("body".to_string());
    }
    if declared.send_to.is_some() && declared.send_to != live.send_to {
        patch.send_to = declared.send_to;
        after.send_to = declared.send_to;
        changed.push("sendTo".to_string());
    }
    if declared.send_from.is_some() && declared.send_from != live.send_from {
        patch.send_from = declared.send_from;
        after.send_from = declared.send_from;
        changed.push("sendFrom".to_string());
    }
    if declared.sms_send_from.is_some() && declared.sms_send_from != live.sms_send_from {
        patch.sms_send_from = declared.sms_send_from;
        after.sms_send_from = declared.sms_send_from;
        changed.push("smsSendFrom".to_string());
    }
    (patch, changed, after)
}
