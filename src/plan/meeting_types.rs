//! Meeting types of one workspace: create (with an idempotency key derived from the plan,
//! then the fields the create cannot carry in a following update), update (a patch of the
//! changed fields; what the manifests leave out is left alone), rename via `previously`,
//! delete when pruned, and the reminder attachments the manifests list. A create seeds a
//! reminder by itself: when the manifests list the meeting type's reminders, the plan detaches
//! and deletes it right after the create; otherwise it stays attached and in use.

use std::collections::BTreeSet;

use super::body::Call;
use super::body_booking::{
    AttachParams, MeetingTypeCreateBody, MeetingTypeParams, MeetingTypeRef, MeetingTypeUpdateBody,
    ReminderDeleteParams, ReminderRef, SEEDED_REMINDER_NAME, SharedWithBody,
};
use super::body_booking_wire::{idempotency_key, wire_buffers, wire_limit, wire_locations};
use super::booking::BookingPlan;
use super::builder::{Draft, Planner, at};
use super::problems::PlanProblem;
use super::types::{Action, Address, Detail, StepId};
use super::workspace::{Match, WorkspacePlan, former_names};
use crate::model::{
    DesiredMeetingType, LiveMeetingType, MeetingTypeSpec, ObjectKind, OpaqueKind, SharedWith,
    Source,
};

impl Planner<'_> {
    pub(super) fn plan_meeting_types(
        &mut self,
        ws: &WorkspacePlan,
        booking: &mut BookingPlan,
        live: &[LiveMeetingType],
    ) {
        let desired = ws.desired;
        let mut claimed = BTreeSet::new();
        for (name, meeting_type) in &desired.meeting_types {
            // One scoville could not read is refused by `plan_opaque`, never created again.
            if ws.opaque.contains(&(OpaqueKind::MeetingType, name.clone())) {
                continue;
            }
            let address = Address::MeetingType(ws.name.to_string(), name.clone());
            self.read(address.clone());
            for previous in &meeting_type.previously {
                self.read(Address::MeetingType(ws.name.to_string(), previous.clone()));
            }
            let matched = self.match_by_name(
                live,
                |m: &LiveMeetingType| (m.name.as_str(), m.id.as_str()),
                "meeting type",
                ws.name,
                name,
                &former_names(&meeting_type.previously, |n| {
                    desired.meeting_types.contains_key(n)
                }),
                &meeting_type.source,
                &claimed,
            );
            match matched {
                Match::Problem => {}
                Match::New => self.create_meeting_type(ws, booking, meeting_type),
                Match::Existing(found) | Match::Renamed(found) => {
                    claimed.insert(found.id.clone());
                    booking.matched_meeting_types.insert(found.id.clone());
                    booking
                        .meeting_types
                        .insert(name.clone(), MeetingTypeRef::Id(found.id.clone()));
                    self.count_managed(ObjectKind::MeetingTypes, 1);
                    self.update_meeting_type(ws, booking, meeting_type, found);
                }
            }
        }

        let prune = self.prune_reason(ws.name, ObjectKind::MeetingTypes);
        for found in live {
            if booking.matched_meeting_types.contains(&found.id) {
                continue;
            }
            let address = Address::MeetingType(ws.name.to_string(), found.name.clone());
            let ignored = self.ignored(&[&address]).is_some();
            match &prune {
                Some(reason) if !ignored => {
                    self.read(address.clone());
                    self.count_managed(ObjectKind::MeetingTypes, 1);
                    self.count_removal(ObjectKind::MeetingTypes, address.to_string());
                    let n_same = live.iter().filter(|m| m.name == found.name).count();
                    let step = self.add_step(
                        Draft {
                            call: Call::MeetingTypeDelete {
                                params: MeetingTypeParams {
                                    meeting_type_id: MeetingTypeRef::Id(found.id.clone()),
                                },
                            },
                            target: address,
                            action: Action::Delete,
                            destructive: true,
                            reason: reason.clone(),
                            depends_on: BTreeSet::new(),
                            detail: Detail::MeetingType {
                                name: found.name.clone(),
                                previously: None,
                                before: Some(found.spec.clone()),
                                after: None,
                                changed: Vec::new(),
                            },
                        },
                        (n_same > 1).then_some(found.id.as_str()),
                    );
                    booking
                        .deleted_meeting_types
                        .insert(found.id.clone(), (found.name.clone(), step, reason.clone()));
                }
                _ => self.list_unmanaged(
                    &address,
                    "meeting type",
                    format!(
                        "{}{}",
                        found.spec.duration,
                        found
                            .spec
                            .status
                            .map(|status| format!(", {status:?}"))
                            .unwrap_or_default()
                    ),
                ),
            }
        }
    }

    fn create_meeting_type(
        &mut self,
        ws: &WorkspacePlan,
        booking: &mut BookingPlan,
        declared: &DesiredMeetingType,
    ) {
        let (name, spec, source) = (&declared.name, &declared.spec, &declared.source);
        let address = Address::MeetingType(ws.name.to_string(), name.clone());
        let Some(shared_with) = self.shared_with_body(ws, &spec.shared_with, name, source) else {
            return;
        };
        let tenant = self
            .live
            .tenant
            .as_ref()
            .map(|tenant| tenant.tenant_id.as_str())
            .unwrap_or_default();
        let key = idempotency_key(tenant, &ws.live.id, &self.desired.content_hash, name, spec);
        let create = self.add_step(
            Draft {
                call: Call::MeetingTypeCreate {
                    body: MeetingTypeCreateBody {
                        workspace_id: ws.live.id.clone(),
                        name: name.clone(),
                        duration: spec.duration.wire(),
                        description: spec.description.clone(),
                        invite_title: spec.invite_title.clone(),
                        invite_description: spec.invite_description.clone(),
                        location: spec.location.as_ref().map(wire_locations),
                        shared_with,
                        idempotency_key: key,
                    },
                },
                target: address.clone(),
                action: Action::Create,
                destructive: false,
                reason: at(source),
                depends_on: BTreeSet::new(),
                detail: Detail::MeetingType {
                    name: name.clone(),
                    previously: None,
                    before: None,
                    after: Some(spec.clone()),
                    changed: Vec::new(),
                },
            },
            None,
        );
        let meeting_type = MeetingTypeRef::FromStep {
            id_from_step: create.clone(),
            meeting_type: name.clone(),
        };
        booking
            .meeting_types
            .insert(name.clone(), meeting_type.clone());
        let mut ready = vec![create.clone()];
        // What meeting-type-create cannot carry goes in an update right after it.
        let follow_up = MeetingTypeUpdateBody {
            status: spec.status,
            buffers: spec.buffers.as_ref().map(wire_buffers),
            meeting_limit: spec.meeting_limit.as_ref().map(wire_limit),
            ..Default::default()
        };
        if !follow_up.is_empty() {
            let changed = [
                ("status", follow_up.status.is_some()),
                ("buffers", follow_up.buffers.is_some()),
                ("meetingLimit", follow_up.meeting_limit.is_some()),
            ]
            .iter()
            .filter(|(_, set)| *set)
            .map(|(field, _)| field.to_string())
            .collect();
            ready.push(self.add_step(
                Draft {
                    call: Call::MeetingTypeUpdate {
                        params: MeetingTypeParams {
                            meeting_type_id: meeting_type.clone(),
                        },
                        body: follow_up,
                    },
                    target: address.clone(),
                    action: Action::Update,
                    destructive: false,
                    reason: format!("{}, fields meeting-type-create cannot carry", at(source)),
                    depends_on: BTreeSet::new(),
                    detail: Detail::MeetingType {
                        name: name.clone(),
                        previously: None,
                        before: None,
                        after: None,
                        changed,
                    },
                },
                None,
            ));
        }
        let Some(wanted) = &spec.reminders else {
            // The seeded reminder stays attached, and in use, as the manifests leave the
            // meeting type's reminders alone.
            booking.meeting_type_steps.insert(name.clone(), ready);
            return;
        };
        for reminder in wanted {
            let Some(reminder_ref) = self.reminder_ref(ws, booking, reminder, name, source) else {
                continue;
            };
            ready.push(self.attach(
                ws,
                name,
                reminder,
                meeting_type.clone(),
                reminder_ref,
                source,
            ));
        }
        // The reminder the create seeds by itself is not in the list: detach and delete it.
        let seeded = ReminderRef::SeededBy {
            seeded_by: create.clone(),
        };
        let detach = self.add_step(
            Draft {
                call: Call::MeetingTypeDetachReminder {
                    params: AttachParams {
                        meeting_type_id: meeting_type,
                        reminder_id: seeded.clone(),
                    },
                },
                target: address,
                action: Action::Remove,
                destructive: false,
                reason: format!("{}, which lists the reminders without it", at(source)),
                depends_on: BTreeSet::new(),
                detail: Detail::Attachment {
                    meeting_type: name.clone(),
                    reminder: SEEDED_REMINDER_NAME.to_string(),
                    seeded_by: Some(name.clone()),
                },
            },
            Some(SEEDED_REMINDER_NAME),
        );
        let delete = self.add_step(
            Draft {
                call: Call::ReminderDelete {
                    params: ReminderDeleteParams {
                        reminder_id: seeded,
                        workspace_id: ws.live.id.clone(),
                    },
                },
                target: Address::Reminder(ws.name.to_string(), SEEDED_REMINDER_NAME.to_string()),
                action: Action::Delete,
                destructive: false,
                reason: format!("{}, which lists the reminders without it", at(source)),
                depends_on: BTreeSet::new(),
                detail: Detail::Reminder {
                    name: SEEDED_REMINDER_NAME.to_string(),
                    previously: None,
                    before: None,
                    after: None,
                    changed: Vec::new(),
                    seeded_by: Some(name.clone()),
                },
            },
            Some(name),
        );
        self.add_edge(&detach, &delete);
        ready.push(detach);
        booking.meeting_type_steps.insert(name.clone(), ready);
    }

    fn update_meeting_type(
        &mut self,
        ws: &WorkspacePlan,
        booking: &mut BookingPlan,
        declared: &DesiredMeetingType,
        live: &LiveMeetingType,
    ) {
        let (name, spec, source) = (&declared.name, &declared.spec, &declared.source);
        let address = Address::MeetingType(ws.name.to_string(), name.clone());
        let renamed = live.name != *name;
        let (mut patch, mut changed, after) =
            meeting_type_patch(&live.spec, spec, renamed.then_some(name));
        if spec.shared_with.is_some() && spec.shared_with != live.spec.shared_with {
            let Some(shared_with) = self.shared_with_body(ws, &spec.shared_with, name, source)
            else {
                return;
            };
            patch.shared_with = shared_with;
            changed.push("sharedWith".to_string());
        }
        let mut ready = Vec::new();
        if !changed.is_empty() {
            ready.push(self.add_step(
                Draft {
                    call: Call::MeetingTypeUpdate {
                        params: MeetingTypeParams {
                            meeting_type_id: MeetingTypeRef::Id(live.id.clone()),
                        },
                        body: patch,
                    },
                    target: address.clone(),
                    action: if renamed {
                        Action::Rename
                    } else {
                        Action::Update
                    },
                    destructive: false,
                    reason: at(source),
                    depends_on: BTreeSet::new(),
                    detail: Detail::MeetingType {
                        name: name.clone(),
                        previously: renamed.then(|| live.name.clone()),
                        before: Some(live.spec.clone()),
                        after: Some(after),
                        changed,
                    },
                },
                None,
            ));
        }
        if let Some(wanted) = &spec.reminders {
            let mut wanted_ids = BTreeSet::new();
            for reminder in wanted {
                let Some(reminder_ref) = self.reminder_ref(ws, booking, reminder, name, source)
                else {
                    continue;
                };
                if let ReminderRef::Id(id) = &reminder_ref {
                    wanted_ids.insert(id.clone());
                    if live.reminder_ids.contains(id) {
                        continue;
                    }
                }
                let meeting_type = MeetingTypeRef::Id(live.id.clone());
                ready.push(self.attach(ws, name, reminder, meeting_type, reminder_ref, source));
            }
            for id in &live.reminder_ids {
                if wanted_ids.contains(id) {
                    continue;
                }
                let reminder_name = ws
                    .live
                    .reminders
                    .iter()
                    .flatten()
                    .find(|r| &r.id == id)
                    .map_or_else(|| format!("<{id}>"), |r| r.name.clone());
                let suffix = format!("{reminder_name}#{id}");
                let step = self.add_step(
                    Draft {
                        call: Call::MeetingTypeDetachReminder {
                            params: AttachParams {
                                meeting_type_id: MeetingTypeRef::Id(live.id.clone()),
                                reminder_id: ReminderRef::Id(id.clone()),
                            },
                        },
                        target: address.clone(),
                        action: Action::Remove,
                        destructive: false,
                        reason: at(source),
                        depends_on: BTreeSet::new(),
                        detail: Detail::Attachment {
                            meeting_type: name.clone(),
                            reminder: reminder_name,
                            seeded_by: None,
                        },
                    },
                    Some(&suffix),
                );
                booking
                    .detaches
                    .entry(id.clone())
                    .or_default()
                    .push((live.id.clone(), step));
            }
        }
        booking.meeting_type_steps.insert(name.clone(), ready);
    }

    /// An attach step: `meeting-type-attach-reminder meetingType:W/M#<reminder>`.
    fn attach(
        &mut self,
        ws: &WorkspacePlan,
        name: &str,
        reminder: &str,
        meeting_type: MeetingTypeRef,
        reminder_ref: ReminderRef,
        source: &Source,
    ) -> StepId {
        self.add_step(
            Draft {
                call: Call::MeetingTypeAttachReminder {
                    params: AttachParams {
                        meeting_type_id: meeting_type,
                        reminder_id: reminder_ref,
                    },
                },
                target: Address::MeetingType(ws.name.to_string(), name.to_string()),
                action: Action::Add,
                destructive: false,
                reason: at(source),
                depends_on: BTreeSet::new(),
                detail: Detail::Attachment {
                    meeting_type: name.to_string(),
                    reminder: reminder.to_string(),
                    seeded_by: None,
                },
            },
            Some(reminder),
        )
    }

    /// A reminder a meeting type lists, by name: declared, or live with a unique name.
    fn reminder_ref(
        &mut self,
        ws: &WorkspacePlan,
        booking: &BookingPlan,
        reminder: &str,
        meeting_type: &str,
        source: &Source,
    ) -> Option<ReminderRef> {
        self.read(Address::Reminder(ws.name.to_string(), reminder.to_string()));
        if let Some(found) = booking.reminders.get(reminder) {
            return Some(found.clone());
        }
        if let Some(id) = self.opaque_id(ws, OpaqueKind::Reminder, reminder) {
            return Some(ReminderRef::Id(id));
        }
        let ids: Vec<String> = ws
            .live
            .reminders
            .iter()
            .flatten()
            .filter(|r| r.name == reminder)
            .map(|r| r.id.clone())
            .collect();
        if let [id] = ids.as_slice()
            && booking.matched_reminders.contains(id)
        {
            self.problem(PlanProblem::RenamedReference {
                workspace: ws.name.to_string(),
                kind: "reminder".to_string(),
                name: reminder.to_string(),
                used_by: format!("meeting type `{meeting_type}`"),
                at: source.clone(),
            });
        } else if ids.len() > 1 {
            self.problem(PlanProblem::DuplicateName {
                kind: "reminder".to_string(),
                workspace: ws.name.to_string(),
                name: reminder.to_string(),
                ids,
                at: source.clone(),
            });
        } else {
            self.problem(PlanProblem::UnknownReference {
                workspace: ws.name.to_string(),
                kind: "reminder".to_string(),
                name: reminder.to_string(),
                used_by: format!("meeting type `{meeting_type}`"),
                at: source.clone(),
            });
        }
        None
    }

    /// `sharedWith` with team references: `Some(None)` when the manifests leave it out, `None`
    /// when a team is unknown (reported).
    fn shared_with_body(
        &mut self,
        ws: &WorkspacePlan,
        shared_with: &Option<SharedWith>,
        meeting_type: &str,
        source: &Source,
    ) -> Option<Option<SharedWithBody>> {
        match shared_with {
            None => Some(None),
            Some(SharedWith::Workspace) => Some(Some(SharedWithBody::Workspace)),
            Some(SharedWith::Teams(teams)) => {
                let used_by = format!("meeting type `{meeting_type}`");
                let mut team_ids = Vec::new();
                for team in teams {
                    team_ids.push(self.resolve_team(ws, team, &used_by, source)?.team_ref);
                }
                Some(Some(SharedWithBody::Teams { team_ids }))
            }
        }
    }
}

/// The patch from `live` to `declared` (every field but `sharedWith`, which needs team ids),
/// the changed fields in the API's words, and the content after the patch. A `None` in the
/// declaration leaves the field alone; so does a booking limit declared as none while one is
/// set live (the API cannot remove one).
fn meeting_type_patch(
    live: &MeetingTypeSpec,
    declared: &MeetingTypeSpec,
    rename: Option<&String>,
) -> (MeetingTypeUpdateBody, Vec<String>, MeetingTypeSpec) {
    let mut patch = MeetingTypeUpdateBody::default();
    let mut changed = Vec::new();
    let mut after = live.clone();
    if let Some(name) = rename {
        patch.name = Some(name.clone());
        changed.push("name".to_string());
    }
    if declared.duration != live.duration {
        patch.duration = Some(declared.duration.wire());
        after.duration = declared.duration;
        changed.push("duration".to_string());
    }
    let texts = [
        (
            "description",
            &declared.description,
            &live.description,
            &mut patch.description,
            &mut after.description,
        ),
        (
            "inviteTitle",
            &declared.invite_title,
            &live.invite_title,
            &mut patch.invite_title,
            &mut after.invite_title,
        ),
        (
            "inviteDescription",
            &declared.invite_description,
            &live.invite_description,
            &mut patch.invite_description,
            &mut after.invite_description,
        ),
    ];
    for (field, wanted, now, send, then) in texts {
        if wanted.is_some() && wanted != now {
            send.clone_from(wanted);
            then.clone_from(wanted);
            changed.push(field.to_string());
        }
    }
    if declared.status.is_some() && declared.status != live.status {
        patch.status = declared.status;
        after.status = declared.status;
        changed.push("status".to_string());
    }
    if let Some(location) = &declared.location
        && Some(location) != live.location.as_ref()
    {
        patch.location = Some(wire_locations(location));
        after.location = Some(location.clone());
        changed.push("location".to_string());
    }
    if let Some(buffers) = &declared.buffers
        && Some(buffers) != live.buffers.as_ref()
    {
        patch.buffers = Some(wire_buffers(buffers));
        after.buffers = Some(*buffers);
        changed.push("buffers".to_string());
    }
    if let Some(limit) = &declared.meeting_limit
        && Some(limit) != live.meeting_limit.as_ref()
    {
        patch.meeting_limit = Some(wire_limit(limit));
        after.meeting_limit = Some(*limit);
        changed.push("meetingLimit".to_string());
    }
    if declared.shared_with.is_some() {
        after.shared_with.clone_from(&declared.shared_with);
    }
    if declared.reminders.is_some() {
        after.reminders.clone_from(&declared.reminders);
    }
    (patch, changed, after)
}
