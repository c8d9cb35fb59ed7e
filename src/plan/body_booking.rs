//! Plan step calls for meeting types, their reminders and admin scheduling links: the bodies,
//! the symbolic references to objects an earlier step creates (`MeetingTypeRef::FromStep`,
//! `DistributionRef::FromStep`, `ReminderRef::FromStep`, and `ReminderRef::SeededBy` for the
//! reminder `meeting-type-create` seeds by itself), and their resolution into wire requests.
//!
//! `body.rs` keeps the `Call` enum; its arms for these operations delegate here
//! (`booking_op`, `booking_references`, `booking_request`).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::body::{Call, Resolver, TeamRef, UnresolvedReference, UserRef};
use super::types::StepId;
use crate::edge::ops::{self, Op};
use crate::edge::wire;
use crate::model::{
    BookingLimit, Buffers, LinkKind, Location, Locations, MeetingTypeSpec, ReminderSpec, Trigger,
};

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
}

impl DistributionRef {
    pub fn step(&self) -> Option<&StepId> {
        match self {
            DistributionRef::Id(_) => None,
            DistributionRef::FromStep { id_from_step, .. } => Some(id_from_step),
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

/// Path, query and body of a call of this module, every reference resolved.
pub(super) type Parts = (String, Vec<(String, String)>, Option<serde_json::Value>);

pub(super) fn booking_request(
    call: &Call,
    op: Op,
    resolver: &Resolver<'_>,
) -> Result<Parts, UnresolvedReference> {
    let none: &[&str] = &[];
    let json = |value: serde_json::Value| Some(value);
    let workspace_query = |id: &str| vec![("workspaceId".to_string(), id.to_string())];
    Ok(match call {
        Call::MeetingTypeCreate { body } => (
            op.path_with(none),
            vec![],
            json(to_json(&wire::MeetingTypeCreate {
                workspace_id: body.workspace_id.clone(),
                name: body.name.clone(),
                duration: body.duration.clone(),
                description: body.description.clone(),
                invite_title: body.invite_title.clone(),
                invite_description: body.invite_description.clone(),
                location: body.location.clone(),
                shared_with: resolver.shared_with(&body.shared_with)?,
                idempotency_key: Some(body.idempotency_key.clone()),
            })),
        ),
        Call::MeetingTypeUpdate { params, body } => (
            op.path_with(&[&resolver.meeting_type(&params.meeting_type_id)?]),
            vec![],
            json(to_json(&wire::MeetingTypeUpdate {
                name: body.name.clone(),
                description: body.description.clone(),
                invite_title: body.invite_title.clone(),
                invite_description: body.invite_description.clone(),
                duration: body.duration.clone(),
                status: body.status,
                location: body.location.clone(),
                buffers: body.buffers.clone(),
                meeting_limit: body.meeting_limit.clone(),
                shared_with: resolver.shared_with(&body.shared_with)?,
            })),
        ),
        Call::MeetingTypeDelete { params } => (
            op.path_with(&[&resolver.meeting_type(&params.meeting_type_id)?]),
            vec![],
            None,
        ),
        Call::MeetingTypeAttachReminder { params } | Call::MeetingTypeDetachReminder { params } => {
            (
                op.path_with(&[
                    &resolver.meeting_type(&params.meeting_type_id)?,
                    &resolver.reminder(&params.reminder_id)?,
                ]),
                vec![],
                None,
            )
        }
        Call::ReminderCreate { body } => (op.path_with(none), vec![], json(to_json(body))),
        Call::ReminderUpdate { params, body } => (
            op.path_with(&[&params.reminder_id]),
            workspace_query(&params.workspace_id),
            json(to_json(body)),
        ),
        Call::ReminderDelete { params } => (
            op.path_with(&[&resolver.reminder(&params.reminder_id)?]),
            workspace_query(&params.workspace_id),
            None,
        ),
        Call::LinkCreateRoundRobin { body } => (
            op.path_with(none),
            vec![],
            json(to_json(&wire::RoundRobinLinkCreate {
                workspace_id: body.workspace_id.clone(),
                name: body.name.clone(),
                slug: body.slug.clone(),
                meeting_type_ids: resolver.meeting_types(&body.meeting_type_ids)?,
                distribution_ids: resolver.distributions(&body.distribution_ids)?,
            })),
        ),
        Call::LinkCreateGroup { body } => (
            op.path_with(none),
            vec![],
            json(to_json(&wire::GroupLinkCreate {
                workspace_id: body.workspace_id.clone(),
                name: body.name.clone(),
                slug: body.slug.clone(),
                meeting_type_ids: resolver.meeting_types(&body.meeting_type_ids)?,
                host_user_id: resolver.user(&body.host_user_id)?,
                required_member_ids: Some(resolver.users(&body.required_member_ids)?),
                optional_member_ids: Some(resolver.users(&body.optional_member_ids)?),
            })),
        ),
        Call::LinkCreateAdminOneOnOne { body } => (
            op.path_with(none),
            vec![],
            json(to_json(&wire::AdminLinkCreate {
                workspace_id: body.workspace_id.clone(),
                name: body.name.clone(),
                slug: body.slug.clone(),
                meeting_type_ids: resolver.meeting_types(&body.meeting_type_ids)?,
            })),
        ),
        _ => {
            let link_id = call.link_id().unwrap_or_default();
            let body = match call.link_update_body() {
                Some(body) => json(to_json(&resolver.link_update(body)?)),
                None => None,
            };
            (op.path_with(&[link_id]), vec![], body)
        }
    })
}

impl Resolver<'_> {
    fn meeting_type(&self, meeting_type: &MeetingTypeRef) -> Result<String, UnresolvedReference> {
        match meeting_type {
            MeetingTypeRef::Id(id) => Ok(id.clone()),
            MeetingTypeRef::FromStep { id_from_step, .. } => self.step(id_from_step),
        }
    }

    fn meeting_types(&self, list: &[MeetingTypeRef]) -> Result<Vec<String>, UnresolvedReference> {
        list.iter().map(|item| self.meeting_type(item)).collect()
    }

    fn distribution_ref(
        &self,
        distribution: &DistributionRef,
    ) -> Result<String, UnresolvedReference> {
        match distribution {
            DistributionRef::Id(id) => Ok(id.clone()),
            DistributionRef::FromStep { id_from_step, .. } => self.step(id_from_step),
        }
    }

    fn distributions(&self, list: &[DistributionRef]) -> Result<Vec<String>, UnresolvedReference> {
        list.iter()
            .map(|item| self.distribution_ref(item))
            .collect()
    }

    fn reminder(&self, reminder: &ReminderRef) -> Result<String, UnresolvedReference> {
        match reminder {
            ReminderRef::Id(id) => Ok(id.clone()),
            ReminderRef::FromStep { id_from_step, .. } => self.step(id_from_step),
            ReminderRef::SeededBy { seeded_by } => self
                .lookup
                .created_id(&seeded_reminder_key(seeded_by))
                .ok_or_else(|| UnresolvedReference {
                    step: self.op_id.to_string(),
                    needs: seeded_by.clone(),
                }),
        }
    }

    fn shared_with(
        &self,
        shared: &Option<SharedWithBody>,
    ) -> Result<Option<wire::SharedWith>, UnresolvedReference> {
        Ok(match shared {
            None => None,
            Some(SharedWithBody::Workspace) => Some(wire::SharedWith::Workspace),
            Some(SharedWithBody::Teams { team_ids }) => Some(wire::SharedWith::Teams {
                team_ids: team_ids
                    .iter()
                    .map(|team| self.team(team))
                    .collect::<Result<_, _>>()?,
            }),
        })
    }

    fn link_update(&self, body: &LinkUpdateBody) -> Result<wire::LinkUpdate, UnresolvedReference> {
        let users =
            |list: &Option<Vec<UserRef>>| list.as_ref().map(|list| self.users(list)).transpose();
        Ok(wire::LinkUpdate {
            name: body.name.clone(),
            slug: body.slug.clone(),
            meeting_type_ids: body
                .meeting_type_ids
                .as_ref()
                .map(|list| self.meeting_types(list))
                .transpose()?,
            distribution_ids: body
                .distribution_ids
                .as_ref()
                .map(|list| self.distributions(list))
                .transpose()?,
            host_user_id: body
                .host_user_id
                .as_ref()
                .map(|user| self.user(user))
                .transpose()?,
            required_member_ids: users(&body.required_member_ids)?,
            optional_member_ids: users(&body.optional_member_ids)?,
            distribution: match &body.distribution {
                None => None,
                Some(distribution) => Some(wire::DistributionInvitationInput {
                    assignments: distribution
                        .assignments
                        .iter()
                        .map(|a| {
                            Ok(wire::DistributionAssignmentInput {
                                distribution_id: self.distribution_ref(&a.distribution_id)?,
                                required: a.required,
                            })
                        })
                        .collect::<Result<_, UnresolvedReference>>()?,
                    host: distribution.host.clone(),
                    booker_invitation: distribution.booker_invitation.clone(),
                    always_invited_users: distribution.always_invited_users.clone(),
                }),
            },
        })
    }
}

fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    // Plain structs with string keys: serialization cannot fail.
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// The wire form of a meeting's locations. `others` is always sent, empty or not: the API
/// rejects a location without it (official skill notes).
pub fn wire_locations(locations: &Locations) -> wire::MeetingLocations {
    let one = |location: &Location, index: i32| wire::MeetingLocation {
        kind: location.kind,
        index,
        host: location.host,
        value: location.value.clone(),
    };
    wire::MeetingLocations {
        default: one(&locations.default, 0),
        others: Some(
            locations
                .others
                .iter()
                .zip(1..)
                .map(|(location, index)| one(location, index))
                .collect(),
        ),
    }
}

pub fn wire_buffers(buffers: &Buffers) -> wire::MeetingBuffers {
    wire::MeetingBuffers {
        before: buffers.before.map(|span| span.wire()),
        after: buffers.after.map(|span| span.wire()),
    }
}

pub fn wire_limit(limit: &BookingLimit) -> wire::MeetingBookingLimit {
    wire::MeetingBookingLimit {
        limit_by: limit.limit_by,
        timeframe: limit.timeframe,
        count: i32::try_from(limit.count).unwrap_or(i32::MAX),
    }
}

pub fn wire_trigger(trigger: &Trigger) -> wire::ReminderTrigger {
    wire::ReminderTrigger {
        kind: trigger.kind,
        offset: trigger.offset.map(|span| span.wire()),
    }
}

/// The `ReminderCreate` of a declared reminder.
pub fn reminder_create(
    workspace_id: &str,
    name: &str,
    spec: &ReminderSpec,
) -> wire::ReminderCreate {
    wire::ReminderCreate {
        workspace_id: workspace_id.to_string(),
        channel: spec.channel,
        trigger: wire_trigger(&spec.trigger),
        name: name.to_string(),
        title: spec.title.clone(),
        body: spec.body.clone(),
        send_to: spec.send_to,
        send_from: spec.send_from,
        sms_send_from: spec.sms_send_from,
    }
}

/// The idempotency key of a meeting-type-create: a UUID (RFC 9562 version 8, the variant bits
/// of RFC 4122) made of the first 16 bytes of SHA-256 over the tenant, the workspace id, the
/// manifests' content hash, the meeting type's name and its declared content. The same plan
/// (and a plan made again from the same manifests against the same org, as `apply` does right
/// before writing) sends the same key, so a create whose answer was lost is sent again and the
/// API answers the meeting type it already created.
pub fn idempotency_key(
    tenant: &str,
    workspace_id: &str,
    content_hash: &str,
    name: &str,
    spec: &MeetingTypeSpec,
) -> String {
    let mut hasher = Sha256::new();
    for part in [
        "scoville meeting-type-create 1",
        tenant,
        workspace_id,
        content_hash,
        name,
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hasher.update(serde_json::to_vec(spec).unwrap_or_default());
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_are_version_8_uuids_stable_for_equal_inputs() {
        let spec = MeetingTypeSpec {
            duration: crate::model::Span(1800),
            description: None,
            invite_title: None,
            invite_description: None,
            status: None,
            location: None,
            buffers: None,
            meeting_limit: None,
            shared_with: None,
            reminders: None,
        };
        let key = idempotency_key("t", "w", "h", "Demo", &spec);
        assert_eq!(key, idempotency_key("t", "w", "h", "Demo", &spec));
        assert_ne!(key, idempotency_key("t", "w", "h", "Intro", &spec));
        assert_eq!(key.len(), 36);
        assert_eq!(&key[14..15], "8", "{key}");
        assert!(matches!(&key[19..20], "8" | "9" | "a" | "b"), "{key}");
    }

    #[test]
    fn a_seeded_reminder_resolves_from_the_create_steps_answer() {
        let create = StepId("meeting-type-create meetingType:Sales/Demo".into());
        let call = Call::ReminderDelete {
            params: ReminderDeleteParams {
                reminder_id: ReminderRef::SeededBy {
                    seeded_by: create.clone(),
                },
                workspace_id: "w-1".into(),
            },
        };
        assert_eq!(call.referenced_steps(), vec![create.clone()]);
        let unresolved = call.request(&|_: &StepId| None).unwrap_err();
        assert_eq!(unresolved.needs, create);
        let key = seeded_reminder_key(&create);
        let request = call
            .request(&|step: &StepId| (step == &key).then(|| "r-9".to_string()))
            .unwrap();
        assert_eq!(request.path, "/v1/org/meeting-type-reminders/r-9");
        assert_eq!(
            request.query,
            vec![("workspaceId".to_string(), "w-1".to_string())]
        );
        let json = serde_json::to_value(&call).unwrap();
        assert_eq!(json["op"], "meeting-type-reminder-delete");
        assert_eq!(
            json["params"]["reminderId"]["seededBy"],
            "meeting-type-create meetingType:Sales/Demo"
        );
    }
}
