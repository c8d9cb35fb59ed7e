//! Meeting types and their reminders: list, get, create (with an idempotency key and the seeded
//! "Email 1 hour before" reminder), patch updates, delete, attach and detach.

use serde::{Deserialize, Serialize};

use crate::edge::wire::{
    MeetingBuffers, MeetingLocation, MeetingLocations, MeetingType, MeetingTypeCreate,
    MeetingTypeUpdate, Reminder, ReminderCreate, ReminderTrigger, ReminderUpdate, SharedWith,
};
use crate::model::{
    LocationKind, MeetingTypeStatus, ReminderChannel, ReminderSendFrom, ReminderSendTo, Span,
    TriggerKind,
};

use super::super::error::ApiError;
use super::{Actor, IdKind, OrgState};

/// The name of the reminder meeting-type-create seeds by itself (official skill notes).
pub const SEEDED_REMINDER_NAME: &str = "Email 1 hour before";

/// A meeting type as the emulator keeps it: the served shape (its `reminders` always `None`)
/// and the ids of the attached reminders, in the order they were attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredMeetingType {
    pub meeting_type: MeetingType,
    #[serde(default)]
    pub reminder_ids: Vec<String>,
}

/// What an idempotency key of meeting-type-create was first sent with, and what it made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdempotentCreate {
    /// The create body without its key.
    pub payload: MeetingTypeCreate,
    pub meeting_type_id: String,
}

/// A Scala `FiniteDuration` string as the API takes it: `N unit` (`30 minutes`, `1 hour`).
/// Anything else is `400 Invalid value for: body`.
pub fn check_finite_duration(text: &str) -> Result<(), ApiError> {
    let trimmed = text.trim();
    match trimmed.split_once(char::is_whitespace) {
        Some(_) if Span::parse(trimmed).is_ok() => Ok(()),
        _ => Err(ApiError::InvalidBody),
    }
}

/// Whether a text is UUID-shaped (`format: uuid` of the extracts).
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn check_location(location: &MeetingLocation) -> Result<(), ApiError> {
    let host_ok = !location.kind.needs_host() || location.host.is_some();
    let value_ok = location.kind != LocationKind::DefinedInMeetingType
        || location.value.as_deref().is_none_or(|v| !v.is_empty());
    if host_ok && value_ok {
        Ok(())
    } else {
        Err(ApiError::InvalidBody)
    }
}

/// A location needs its `others` (even empty: the official skill notes say both create and
/// update reject a location without it), a host for the kinds that take one, and a non-empty
/// `value` when it has one.
fn check_locations(locations: &MeetingLocations) -> Result<(), ApiError> {
    let others = locations.others.as_ref().ok_or(ApiError::InvalidBody)?;
    check_location(&locations.default)?;
    others.iter().try_for_each(check_location)
}

fn check_buffers(buffers: &MeetingBuffers) -> Result<(), ApiError> {
    [&buffers.before, &buffers.after]
        .into_iter()
        .flatten()
        .try_for_each(|b| check_finite_duration(b))
}

/// A writable trigger: not `MeetingBooked` (official skill notes: rejected with 400), with an
/// `offset` that is a `FiniteDuration`.
fn check_trigger(trigger: &ReminderTrigger) -> Result<(), ApiError> {
    if trigger.kind == TriggerKind::MeetingBooked {
        return Err(ApiError::InvalidBody);
    }
    check_finite_duration(trigger.offset.as_deref().ok_or(ApiError::InvalidBody)?)
}

impl OrgState {
    pub(super) fn stored_meeting_type(
        &self,
        meeting_type_id: &str,
    ) -> Result<&StoredMeetingType, ApiError> {
        self.meeting_types
            .get(meeting_type_id)
            .ok_or_else(|| ApiError::not_found("meeting type", "meetingTypeId", meeting_type_id))
    }

    /// The meeting type as served, with its `reminders` when `with_reminders` (get and the
    /// writes) or without (the list, whose items carry `reminders: null`).
    pub fn meeting_type_view(
        &self,
        stored: &StoredMeetingType,
        with_reminders: bool,
    ) -> MeetingType {
        let mut meeting_type = stored.meeting_type.clone();
        meeting_type.is_active = Some(meeting_type.status == MeetingTypeStatus::Active);
        meeting_type.reminders = with_reminders.then(|| {
            stored
                .reminder_ids
                .iter()
                .filter_map(|id| self.reminders.get(id).cloned())
                .collect()
        });
        meeting_type
    }

    /// meeting-type-list: every meeting type, or those of one workspace, in creation order.
    pub fn list_meeting_types(&self, workspace_id: Option<&str>) -> Vec<&StoredMeetingType> {
        self.meeting_types
            .values()
            .filter(|m| workspace_id.is_none_or(|w| m.meeting_type.workspace_id == w))
            .collect()
    }

    /// meeting-type-get.
    pub fn get_meeting_type(&self, meeting_type_id: &str) -> Result<MeetingType, ApiError> {
        let stored = self.stored_meeting_type(meeting_type_id)?;
        Ok(self.meeting_type_view(stored, true))
    }

    /// Teams of `sharedWith` must exist and be of the workspace.
    pub(super) fn check_shared_with(
        &self,
        shared_with: &SharedWith,
        workspace_id: &str,
    ) -> Result<(), ApiError> {
        if let SharedWith::Teams { team_ids } = shared_with {
            for team_id in team_ids {
                let team = self.team(team_id)?;
                if team.workspace_id != workspace_id {
                    return Err(ApiError::team_not_in_workspace(team_id, workspace_id));
                }
            }
        }
        Ok(())
    }

    /// meeting-type-create: fills the product defaults (invite title = name, empty invite
    /// description, `Active`, location `AskTheGuest`, no buffers, shared with the workspace),
    /// seeds a new "Email 1 hour before" reminder in the workspace and attaches it. With an
    /// `idempotencyKey` already used: the same payload answers the meeting type it made (as it
    /// is now, or 404 when it was deleted since), another payload is 409.
    pub fn create_meeting_type(
        &mut self,
        actor: &Actor,
        request: &MeetingTypeCreate,
    ) -> Result<MeetingType, ApiError> {
        let payload = MeetingTypeCreate {
            idempotency_key: None,
            ..request.clone()
        };
        if let Some(key) = &request.idempotency_key {
            if !is_uuid(key) {
                return Err(ApiError::InvalidBody);
            }
            if let Some(earlier) = self.idempotency_keys.get(key) {
                if earlier.payload != payload {
                    return Err(ApiError::idempotency_key_reused(key));
                }
                return self.get_meeting_type(&earlier.meeting_type_id.clone());
            }
        }
        check_finite_duration(&request.duration)?;
        if let Some(location) = &request.location {
            check_locations(location)?;
        }
        self.workspace(&request.workspace_id)?;
        if request.name.trim().is_empty() {
            return Err(ApiError::name_required("meeting type"));
        }
        if let Some(shared_with) = &request.shared_with {
            self.check_shared_with(shared_with, &request.workspace_id)?;
        }
        self.stamp(actor);
        let reminder_id = self.new_id(IdKind::Reminder);
        self.reminders.insert(
            reminder_id.clone(),
            Reminder {
                id: reminder_id.clone(),
                workspace_id: request.workspace_id.clone(),
                channel: ReminderChannel::Email,
                trigger: ReminderTrigger {
                    kind: TriggerKind::BeforeMeeting,
                    offset: Some("1 hour".to_string()),
                },
                name: SEEDED_REMINDER_NAME.to_string(),
                title: Some("Your meeting starts in 1 hour".to_string()),
                body: "This is a reminder that your meeting with {!CP.Host.FullName} starts in 1 hour."
                    .to_string(),
                send_to: Some(ReminderSendTo::SendToAllGuests),
                send_from: Some(ReminderSendFrom::SendFromHost),
                sms_send_from: None,
            },
        );
        let id = self.new_id(IdKind::MeetingType);
        let meeting_type = MeetingType {
            id: id.clone(),
            workspace_id: request.workspace_id.clone(),
            name: request.name.clone(),
            description: request.description.clone(),
            invite_title: request
                .invite_title
                .clone()
                .unwrap_or_else(|| request.name.clone()),
            invite_description: request.invite_description.clone().unwrap_or_default(),
            status: MeetingTypeStatus::Active,
            is_active: None,
            duration: request.duration.clone(),
            location: request.location.clone().unwrap_or_else(default_location),
            buffers: MeetingBuffers::default(),
            meeting_limit: None,
            shared_with: Some(request.shared_with.clone().unwrap_or(SharedWith::Workspace)),
            reminders: None,
        };
        self.meeting_types.insert(
            id.clone(),
            StoredMeetingType {
                meeting_type,
                reminder_ids: vec![reminder_id],
            },
        );
        if let Some(key) = &request.idempotency_key {
            self.idempotency_keys.insert(
                key.clone(),
                IdempotentCreate {
                    payload,
                    meeting_type_id: id.clone(),
                },
            );
        }
        self.get_meeting_type(&id)
    }

    /// meeting-type-update: a patch (omitted fields keep their value).
    pub fn update_meeting_type(
        &mut self,
        actor: &Actor,
        meeting_type_id: &str,
        patch: &MeetingTypeUpdate,
    ) -> Result<MeetingType, ApiError> {
        let workspace_id = self
            .stored_meeting_type(meeting_type_id)?
            .meeting_type
            .workspace_id
            .clone();
        if let Some(duration) = &patch.duration {
            check_finite_duration(duration)?;
        }
        if let Some(buffers) = &patch.buffers {
            check_buffers(buffers)?;
        }
        if let Some(location) = &patch.location {
            check_locations(location)?;
        }
        if patch.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(ApiError::name_required("meeting type"));
        }
        if let Some(shared_with) = &patch.shared_with {
            self.check_shared_with(shared_with, &workspace_id)?;
        }
        self.stamp(actor);
        let stored = self
            .meeting_types
            .get_mut(meeting_type_id)
            .expect("checked above");
        let m = &mut stored.meeting_type;
        macro_rules! keep_or_set {
            ($($field:ident),*) => {$(
                if let Some(value) = &patch.$field {
                    m.$field = value.clone();
                }
            )*};
        }
        keep_or_set!(
            name,
            invite_title,
            invite_description,
            duration,
            status,
            location,
            buffers
        );
        if let Some(description) = &patch.description {
            m.description = Some(description.clone());
        }
        if let Some(limit) = &patch.meeting_limit {
            m.meeting_limit = Some(limit.clone());
        }
        if let Some(shared_with) = &patch.shared_with {
            m.shared_with = Some(shared_with.clone());
        }
        self.get_meeting_type(meeting_type_id)
    }

    /// meeting-type-delete: refused (409 `MeetingTypeInUse`) while a scheduling link offers it.
    pub fn delete_meeting_type(
        &mut self,
        actor: &Actor,
        meeting_type_id: &str,
    ) -> Result<(), ApiError> {
        self.stored_meeting_type(meeting_type_id)?;
        if let Some(link) = self
            .links
            .values()
            .find(|l| l.meeting_type_ids.iter().any(|id| id == meeting_type_id))
        {
            return Err(ApiError::in_use(
                "MeetingTypeInUse",
                "meeting type",
                meeting_type_id,
                &link.link_id,
            ));
        }
        self.stamp(actor);
        self.meeting_types.remove(meeting_type_id);
        Ok(())
    }

    /// The meeting type and reminder of attach/detach: both must exist, in one workspace.
    fn check_attachment(&self, meeting_type_id: &str, reminder_id: &str) -> Result<(), ApiError> {
        let stored = self.stored_meeting_type(meeting_type_id)?;
        let reminder = self.reminder(reminder_id)?;
        if reminder.workspace_id != stored.meeting_type.workspace_id {
            return Err(ApiError::not_in_workspace(
                "ReminderNotInWorkspace",
                "reminder",
                reminder_id,
                &stored.meeting_type.workspace_id,
            ));
        }
        Ok(())
    }

    /// meeting-type-attach-reminder: idempotent (an attached reminder stays attached once).
    pub fn attach_reminder(
        &mut self,
        actor: &Actor,
        meeting_type_id: &str,
        reminder_id: &str,
    ) -> Result<MeetingType, ApiError> {
        self.check_attachment(meeting_type_id, reminder_id)?;
        if !self.meeting_types[meeting_type_id]
            .reminder_ids
            .iter()
            .any(|id| id == reminder_id)
        {
            self.stamp(actor);
            let stored = self
                .meeting_types
                .get_mut(meeting_type_id)
                .expect("checked above");
            stored.reminder_ids.push(reminder_id.to_string());
        }
        self.get_meeting_type(meeting_type_id)
    }

    /// meeting-type-detach-reminder: idempotent (detaching what is not attached changes nothing).
    pub fn detach_reminder(
        &mut self,
        actor: &Actor,
        meeting_type_id: &str,
        reminder_id: &str,
    ) -> Result<MeetingType, ApiError> {
        self.check_attachment(meeting_type_id, reminder_id)?;
        if self.meeting_types[meeting_type_id]
            .reminder_ids
            .iter()
            .any(|id| id == reminder_id)
        {
            self.stamp(actor);
            let stored = self
                .meeting_types
                .get_mut(meeting_type_id)
                .expect("checked above");
            stored.reminder_ids.retain(|id| id != reminder_id);
        }
        self.get_meeting_type(meeting_type_id)
    }

    fn reminder(&self, reminder_id: &str) -> Result<&Reminder, ApiError> {
        self.reminders
            .get(reminder_id)
            .ok_or_else(|| ApiError::not_found("reminder", "reminderId", reminder_id))
    }

    /// The reminder of an update or delete, which must be in the `workspaceId` given: a
    /// reminder of another workspace is not found there.
    fn reminder_in(&self, reminder_id: &str, workspace_id: &str) -> Result<&Reminder, ApiError> {
        self.reminder(reminder_id)
            .ok()
            .filter(|r| r.workspace_id == workspace_id)
            .ok_or_else(|| ApiError::not_found("reminder", "reminderId", reminder_id))
    }

    /// meeting-type-reminder-list: every reminder, or those of one workspace, in creation order.
    pub fn list_reminders(&self, workspace_id: Option<&str>) -> Vec<&Reminder> {
        self.reminders
            .values()
            .filter(|r| workspace_id.is_none_or(|w| r.workspace_id == w))
            .collect()
    }

    /// meeting-type-reminder-create: a timed trigger is required.
    pub fn create_reminder(
        &mut self,
        actor: &Actor,
        request: &ReminderCreate,
    ) -> Result<Reminder, ApiError> {
        check_trigger(&request.trigger)?;
        self.workspace(&request.workspace_id)?;
        if request.name.trim().is_empty() {
            return Err(ApiError::name_required("reminder"));
        }
        self.stamp(actor);
        let id = self.new_id(IdKind::Reminder);
        let reminder = Reminder {
            id: id.clone(),
            workspace_id: request.workspace_id.clone(),
            channel: request.channel,
            trigger: request.trigger.clone(),
            name: request.name.clone(),
            title: request.title.clone(),
            body: request.body.clone(),
            send_to: request.send_to,
            send_from: request.send_from,
            sms_send_from: request.sms_send_from,
        };
        self.reminders.insert(id, reminder.clone());
        Ok(reminder)
    }

    /// meeting-type-reminder-update: a patch; the channel cannot change.
    pub fn update_reminder(
        &mut self,
        actor: &Actor,
        reminder_id: &str,
        workspace_id: &str,
        patch: &ReminderUpdate,
    ) -> Result<Reminder, ApiError> {
        self.reminder_in(reminder_id, workspace_id)?;
        if let Some(trigger) = &patch.trigger {
            check_trigger(trigger)?;
        }
        if patch.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(ApiError::name_required("reminder"));
        }
        self.stamp(actor);
        let reminder = self.reminders.get_mut(reminder_id).expect("checked above");
        if let Some(name) = &patch.name {
            reminder.name = name.clone();
        }
        if let Some(trigger) = &patch.trigger {
            reminder.trigger = trigger.clone();
        }
        if let Some(body) = &patch.body {
            reminder.body = body.clone();
        }
        if patch.title.is_some() {
            reminder.title = patch.title.clone();
        }
        if patch.send_to.is_some() {
            reminder.send_to = patch.send_to;
        }
        if patch.send_from.is_some() {
            reminder.send_from = patch.send_from;
        }
        if patch.sms_send_from.is_some() {
            reminder.sms_send_from = patch.sms_send_from;
        }
        Ok(reminder.clone())
    }

    /// meeting-type-reminder-delete: also detaches it from every meeting type.
    pub fn delete_reminder(
        &mut self,
        actor: &Actor,
        reminder_id: &str,
        workspace_id: &str,
    ) -> Result<(), ApiError> {
        self.reminder_in(reminder_id, workspace_id)?;
        self.stamp(actor);
        self.reminders.remove(reminder_id);
        for stored in self.meeting_types.values_mut() {
            stored.reminder_ids.retain(|id| id != reminder_id);
        }
        Ok(())
    }
}

/// The location a meeting type gets when its create names none: ask the guest.
pub fn default_location() -> MeetingLocations {
    MeetingLocations {
        default: MeetingLocation {
            kind: LocationKind::AskTheGuest,
            index: 0,
            host: None,
            value: None,
        },
        others: Some(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finite_durations_need_a_number_and_a_unit() {
        for good in ["30 minutes", "1 hour", "2 days", "90 seconds", "45 MINUTES"] {
            assert!(check_finite_duration(good).is_ok(), "{good}");
        }
        for bad in [
            "30m",
            "1h30m",
            "",
            "minutes",
            "thirty minutes",
            "30 fortnights",
            "-5 minutes",
        ] {
            assert!(check_finite_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn uuids_are_recognized() {
        assert!(is_uuid("6d747970-0000-4000-8000-000000000001"));
        assert!(!is_uuid("not-a-uuid"));
        assert!(!is_uuid("6d747970-0000-4000-8000-00000000000g"));
    }
}
