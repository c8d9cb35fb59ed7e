//! Plan step calls for meeting types, their reminders and admin scheduling links: the bodies,
//! the symbolic references to objects an earlier step creates (`MeetingTypeRef::FromStep`,
//! `DistributionRef::FromStep`, `ReminderRef::FromStep`, and `ReminderRef::SeededBy` for the
//! reminder `meeting-type-create` seeds by itself), and their resolution into wire requests.
//!
//! `body.rs` keeps the `Call` enum; its arms for these operations delegate here (`booking_op`,
//! `booking_references`) and to `body_booking_wire` (`booking_request`).

use serde::{Deserialize, Serialize};

use super::body::{Call, TeamRef, UserRef};
use super::types::StepId;
use crate::edge::ops::{self, Op};
use crate::edge::wire;
use crate::model::LinkKind;

/// What the applier appends to a `meeting-type-create` step's id to record the id of the
/// reminder that create seeded (the answer's `reminders[0].id`), for `ReminderRef::SeededBy`.
pub const SEEDED_SUFFIX: &str = "#seeded-reminder";

/// The name the API gives the reminder it seeds on `meeting-type-create` (official skill
/// notes: "Email 1 hour before", attached). Only used to name the steps that detach and
/// delete it: the id always comes from the create's answer.
pub const SEEDED_REMINDER_NAME: &str = "Email 1 hour before";

/// The key under which the seeded reminder of the create step `step` is recorded.
pub fn seeded_reminder_key(step: &StepId) -> StepId {
    StepId(format!("{step}{SEEDED_SUFFIX}"))
}

/// A meeting type id in a body: known, or the id of the meeting type an earlier step creates.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MeetingTypeRef {
    Id(String),
    /// `{"idFromStep": "...", "meetingType": "<name>"}`.
    FromStep {
        #[serde(rename = "idFromStep")]
        id_from_step: StepId,
        #[serde(rename = "meetingType")]
        meeting_type: String,
    },
}

/// A distribution id in a body: known, or the id of the distribution an earlier step creates.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DistributionRef {
    Id(String),
    /// `{"idFromStep": "...", "distribution": "<name>"}`.
    FromStep {
        #[serde(rename = "idFromStep")]
        id_from_step: StepId,
        distribution: String,
    },
}

/// A reminder id in a body: known, created by an earlier step, or the one an earlier
/// `meeting-type-create` seeded by itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ReminderRef {
    Id(String),
    /// `{"idFromStep": "...", "reminder": "<name>"}`.
    FromStep {
        #[serde(rename = "idFromStep")]
        id_from_step: StepId,
        reminder: String,
    },
    /// `{"seededBy": "<meeting-type-create step>"}`: the answer's `reminders[0].id`.
    SeededBy {
        #[serde(rename = "seededBy")]
        seeded_by: StepId,
    },
}

impl MeetingTypeRef {
    pub fn step(&self) -> Option<&StepId> {
        match self {
            MeetingTypeRef::Id(_) => None,
            MeetingTypeRef::FromStep { id_from_step, .. } => Some(id_from_step),
        }
    }

    /// The id, when the object exists already (not when a step of the plan creates it).
    pub fn id(&self) -> Option<&str> {
        match self {
            MeetingTypeRef::Id(id) => Some(id),
            MeetingTypeRef::FromStep { .. } => None,
        }
    }
}

impl DistributionRef {
    pub fn step(&self) -> Option<&StepId> {
        match self {
            DistributionRef::Id(_) => None,
            DistributionRef::FromStep { id_from_step, .. } => Some(id_from_step),
        }
    }

    /// The id, when the object exists already (not when a step of the plan creates it).
    pub fn id(&self) -> Option<&str> {
        match self {
            DistributionRef::Id(id) => Some(id),
            DistributionRef::FromStep { .. } => None,
        }
    }
}

impl ReminderRef {
    pub fn step(&self) -> Option<&StepId> {
        match self {
            ReminderRef::Id(_) => None,
            ReminderRef::FromStep { id_from_step, .. } => Some(id_from_step),
            ReminderRef::SeededBy { seeded_by } => Some(seeded_by),
        }
    }
}

/// `SharedWith` with team references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum SharedWithBody {
    Workspace,
    Teams {
        #[serde(rename = "teamIds")]
        team_ids: Vec<TeamRef>,
    },
}

/// `MeetingTypeCreate` with team references. `idempotencyKey` is always set: a UUID derived
/// from the plan (`idempotency_key`), so a create whose answer was lost is sent again as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingTypeCreateBody {
    pub workspace_id: String,
    pub name: String,
    pub duration: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<wire::MeetingLocations>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_with: Option<SharedWithBody>,
    pub idempotency_key: String,
}

/// `MeetingTypeUpdate` (a patch) with team references: only the fields that change are set.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingTypeUpdateBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<crate::model::MeetingTypeStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<wire::MeetingLocations>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buffers: Option<wire::MeetingBuffers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_limit: Option<wire::MeetingBookingLimit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_with: Option<SharedWithBody>,
}

impl MeetingTypeUpdateBody {
    pub fn is_empty(&self) -> bool {
        self == &MeetingTypeUpdateBody::default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingTypeParams {
    pub meeting_type_id: MeetingTypeRef,
}

/// The path ids of meeting-type-attach-reminder and meeting-type-detach-reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachParams {
    pub meeting_type_id: MeetingTypeRef,
    pub reminder_id: ReminderRef,
}

/// meeting-type-reminder-update's path id and the `?workspaceId=` the API requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderUpdateParams {
    pub reminder_id: String,
    pub workspace_id: String,
}

/// meeting-type-reminder-delete's path id (possibly the seeded reminder of a create of this
/// plan) and the `?workspaceId=` the API requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderDeleteParams {
    pub reminder_id: ReminderRef,
    pub workspace_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkIdParams {
    pub link_id: String,
}

/// `RoundRobinLinkCreate` with references; the first distribution is the round-robin host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundRobinLinkBody {
    pub workspace_id: String,
    pub name: String,
    pub slug: String,
    pub meeting_type_ids: Vec<MeetingTypeRef>,
    pub distribution_ids: Vec<DistributionRef>,
}

/// `GroupLinkCreate` with references (users the plan invites are `UserRef::FromStep`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupLinkBody {
    pub workspace_id: String,
    pub name: String,
    pub slug: String,
    pub meeting_type_ids: Vec<MeetingTypeRef>,
    pub host_user_id: UserRef,
    pub required_member_ids: Vec<UserRef>,
    pub optional_member_ids: Vec<UserRef>,
}

/// `AdminLinkCreate` with references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminLinkBody {
    pub workspace_id: String,
    pub name: String,
    pub slug: String,
    pub meeting_type_ids: Vec<MeetingTypeRef>,
}

/// The patch of a `scheduling-link-update-*` with references: only what changes is set (a
/// group link's host and members are set with every update of it, since no read returns them).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkUpdateBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_type_ids: Option<Vec<MeetingTypeRef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution_ids: Option<Vec<DistributionRef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_user_id: Option<UserRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_member_ids: Option<Vec<UserRef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_member_ids: Option<Vec<UserRef>>,
    /// Ownership links: the fallback distributions, with the live `host`, `bookerInvitation`
    /// and `alwaysInvitedUsers` sent back unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<OwnershipDistributionBody>,
}

/// `DistributionInvitationInput` with distribution references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnershipDistributionBody {
    pub assignments: Vec<OwnershipAssignmentBody>,
    pub host: serde_json::Value,
    pub booker_invitation: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub always_invited_users: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnershipAssignmentBody {
    pub distribution_id: DistributionRef,
    pub required: bool,
}

/// The pattern of every `Call` variant of this module, for the match arms of `body.rs`.
macro_rules! booking_calls {
    () => {
        $crate::plan::Call::MeetingTypeCreate { .. }
            | $crate::plan::Call::MeetingTypeUpdate { .. }
            | $crate::plan::Call::MeetingTypeDelete { .. }
            | $crate::plan::Call::MeetingTypeAttachReminder { .. }
            | $crate::plan::Call::MeetingTypeDetachReminder { .. }
            | $crate::plan::Call::ReminderCreate { .. }
            | $crate::plan::Call::ReminderUpdate { .. }
            | $crate::plan::Call::ReminderDelete { .. }
            | $crate::plan::Call::LinkCreateRoundRobin { .. }
            | $crate::plan::Call::LinkCreateGroup { .. }
            | $crate::plan::Call::LinkCreateAdminOneOnOne { .. }
            | $crate::plan::Call::LinkUpdateRoundRobin { .. }
            | $crate::plan::Call::LinkUpdateGroup { .. }
            | $crate::plan::Call::LinkUpdateAdminOneOnOne { .. }
            | $crate::plan::Call::LinkUpdateOwnership { .. }
            | $crate::plan::Call::LinkDeleteRoundRobin { .. }
            | $crate::plan::Call::LinkDeleteGroup { .. }
            | $crate::plan::Call::LinkDeleteAdminOneOnOne { .. }
            | $crate::plan::Call::LinkDeleteOwnership { .. }
    };
}
pub(crate) use booking_calls;

/// A link update or delete call of `kind`.
pub fn link_update(kind: LinkKind, params: LinkIdParams, body: LinkUpdateBody) -> Call {
    match kind {
        LinkKind::RoundRobin => Call::LinkUpdateRoundRobin { params, body },
        LinkKind::Group => Call::LinkUpdateGroup { params, body },
        LinkKind::AdminOneOnOne => Call::LinkUpdateAdminOneOnOne { params, body },
        LinkKind::Ownership => Call::LinkUpdateOwnership { params, body },
    }
}

pub fn link_delete(kind: LinkKind, params: LinkIdParams) -> Call {
    match kind {
        LinkKind::RoundRobin => Call::LinkDeleteRoundRobin { params },
        LinkKind::Group => Call::LinkDeleteGroup { params },
        LinkKind::AdminOneOnOne => Call::LinkDeleteAdminOneOnOne { params },
        LinkKind::Ownership => Call::LinkDeleteOwnership { params },
    }
}

impl Call {
    /// The kind of scheduling link a link call is about.
    pub fn link_kind(&self) -> Option<LinkKind> {
        Some(match self {
            Call::LinkCreateRoundRobin { .. }
            | Call::LinkUpdateRoundRobin { .. }
            | Call::LinkDeleteRoundRobin { .. } => LinkKind::RoundRobin,
            Call::LinkCreateGroup { .. }
            | Call::LinkUpdateGroup { .. }
            | Call::LinkDeleteGroup { .. } => LinkKind::Group,
            Call::LinkCreateAdminOneOnOne { .. }
            | Call::LinkUpdateAdminOneOnOne { .. }
            | Call::LinkDeleteAdminOneOnOne { .. } => LinkKind::AdminOneOnOne,
            Call::LinkUpdateOwnership { .. } | Call::LinkDeleteOwnership { .. } => {
                LinkKind::Ownership
            }
            _ => return None,
        })
    }

    /// The link id of a link update or delete.
    pub fn link_id(&self) -> Option<&str> {
        match self {
            Call::LinkUpdateRoundRobin { params, .. }
            | Call::LinkUpdateGroup { params, .. }
            | Call::LinkUpdateAdminOneOnOne { params, .. }
            | Call::LinkUpdateOwnership { params, .. }
            | Call::LinkDeleteRoundRobin { params }
            | Call::LinkDeleteGroup { params }
            | Call::LinkDeleteAdminOneOnOne { params }
            | Call::LinkDeleteOwnership { params } => Some(&params.link_id),
            _ => None,
        }
    }

    /// Whether the call completes a `meeting-type-create` of the same plan (the update of what
    /// the create cannot carry, and the detach and delete of the reminder it seeds): what it
    /// sends depends on that create's answer, so a plan made again after the create cannot
    /// hold the same step, and `apply::verify` does not compare it.
    pub fn completes_a_create(&self) -> bool {
        let seeded = |reminder: &ReminderRef| matches!(reminder, ReminderRef::SeededBy { .. });
        match self {
            Call::MeetingTypeUpdate { params, .. } => {
                matches!(params.meeting_type_id, MeetingTypeRef::FromStep { .. })
            }
            Call::MeetingTypeDetachReminder { params } => seeded(&params.reminder_id),
            Call::ReminderDelete { params } => seeded(&params.reminder_id),
            _ => false,
        }
    }

    /// The patch of a link update.
    pub fn link_update_body(&self) -> Option<&LinkUpdateBody> {
        match self {
            Call::LinkUpdateRoundRobin { body, .. }
            | Call::LinkUpdateGroup { body, .. }
            | Call::LinkUpdateAdminOneOnOne { body, .. }
            | Call::LinkUpdateOwnership { body, .. } => Some(body),
            _ => None,
        }
    }
}

/// The operation of a call of this module.
pub(super) fn booking_op(call: &Call) -> Op {
    let link = |kind: LinkKind, index: usize| ops::link_ops(kind)[index];
    match call {
        Call::MeetingTypeCreate { .. } => ops::MEETING_TYPE_CREATE,
        Call::MeetingTypeUpdate { .. } => ops::MEETING_TYPE_UPDATE,
        Call::MeetingTypeDelete { .. } => ops::MEETING_TYPE_DELETE,
        Call::MeetingTypeAttachReminder { .. } => ops::MEETING_TYPE_ATTACH_REMINDER,
        Call::MeetingTypeDetachReminder { .. } => ops::MEETING_TYPE_DETACH_REMINDER,
        Call::ReminderCreate { .. } => ops::MEETING_TYPE_REMINDER_CREATE,
        Call::ReminderUpdate { .. } => ops::MEETING_TYPE_REMINDER_UPDATE,
        Call::ReminderDelete { .. } => ops::MEETING_TYPE_REMINDER_DELETE,
        Call::LinkCreateRoundRobin { .. } => link(LinkKind::RoundRobin, 1),
        Call::LinkCreateGroup { .. } => link(LinkKind::Group, 1),
        Call::LinkCreateAdminOneOnOne { .. } => link(LinkKind::AdminOneOnOne, 1),
        Call::LinkUpdateRoundRobin { .. } => link(LinkKind::RoundRobin, 2),
        Call::LinkUpdateGroup { .. } => link(LinkKind::Group, 2),
        Call::LinkUpdateAdminOneOnOne { .. } => link(LinkKind::AdminOneOnOne, 2),
        Call::LinkUpdateOwnership { .. } => link(LinkKind::Ownership, 2),
        Call::LinkDeleteRoundRobin { .. } => link(LinkKind::RoundRobin, 3),
        Call::LinkDeleteGroup { .. } => link(LinkKind::Group, 3),
        Call::LinkDeleteAdminOneOnOne { .. } => link(LinkKind::AdminOneOnOne, 3),
        Call::LinkDeleteOwnership { .. } => link(LinkKind::Ownership, 3),
        // Only the calls of `booking_calls!` are passed here.
        _ => unreachable!("booking_op of a call outside booking_calls!"),
    }
}

/// Steps whose created ids a call of this module refers to.
pub(super) fn booking_references(call: &Call) -> Vec<StepId> {
    fn users(list: &[UserRef]) -> impl Iterator<Item = Option<&StepId>> {
        list.iter().map(UserRef::step)
    }
    fn types(list: &[MeetingTypeRef]) -> impl Iterator<Item = Option<&StepId>> {
        list.iter().map(MeetingTypeRef::step)
    }
    fn dists(list: &[DistributionRef]) -> impl Iterator<Item = Option<&StepId>> {
        list.iter().map(DistributionRef::step)
    }
    fn shared(shared: &Option<SharedWithBody>) -> Vec<Option<&StepId>> {
        match shared {
            Some(SharedWithBody::Teams { team_ids }) => {
                team_ids.iter().map(TeamRef::step).collect()
            }
            _ => Vec::new(),
        }
    }
    let mut out: Vec<Option<&StepId>> = Vec::new();
    match call {
        Call::MeetingTypeCreate { body } => out.extend(shared(&body.shared_with)),
        Call::MeetingTypeUpdate { params, body } => {
            out.push(params.meeting_type_id.step());
            out.extend(shared(&body.shared_with));
        }
        Call::MeetingTypeDelete { params } => out.push(params.meeting_type_id.step()),
        Call::MeetingTypeAttachReminder { params } | Call::MeetingTypeDetachReminder { params } => {
            out.push(params.meeting_type_id.step());
            out.push(params.reminder_id.step());
        }
        Call::ReminderDelete { params } => out.push(params.reminder_id.step()),
        Call::LinkCreateRoundRobin { body } => {
            out.extend(types(&body.meeting_type_ids));
            out.extend(dists(&body.distribution_ids));
        }
        Call::LinkCreateGroup { body } => {
            out.extend(types(&body.meeting_type_ids));
            out.push(body.host_user_id.step());
            out.extend(users(&body.required_member_ids));
            out.extend(users(&body.optional_member_ids));
        }
        Call::LinkCreateAdminOneOnOne { body } => out.extend(types(&body.meeting_type_ids)),
        _ => {
            if let Some(body) = call.link_update_body() {
                out.extend(types(body.meeting_type_ids.as_deref().unwrap_or_default()));
                out.extend(dists(body.distribution_ids.as_deref().unwrap_or_default()));
                out.push(body.host_user_id.as_ref().and_then(UserRef::step));
                out.extend(users(
                    body.required_member_ids.as_deref().unwrap_or_default(),
                ));
                out.extend(users(
                    body.optional_member_ids.as_deref().unwrap_or_default(),
                ));
                if let Some(distribution) = &body.distribution {
                    out.extend(
                        distribution
                            .assignments
                            .iter()
                            .map(|a| a.distribution_id.step()),
                    );
                }
            }
        }
    }
    out.into_iter().flatten().cloned().collect()
}
