//! Meeting types, reminders and admin scheduling links on the wire, field by field as the
//! official extracts give them (edgeVersion 1.494.0, `gpts/meeting-type-management/openapi.yaml`
//! and `gpts/scheduling-link-management/openapi.yaml`).
//!
//! Durations are `FiniteDuration` strings (`"30 minutes"`); ids of meeting types are UUIDs.
//! Creates carry every required field; updates are patches (`Option` fields are left out when
//! `None`, and the API keeps what is omitted).

use serde::{Deserialize, Serialize};

use crate::model::{
    BookingLimitBy, BookingLimitTimeframe, LocationHost, LocationKind, MeetingTypeStatus,
    ReminderChannel, ReminderSendFrom, ReminderSendTo, ReminderSmsSendFrom, TriggerKind,
};

/// `SharedWith`: `{"type": "Workspace"}` or `{"type": "Teams", "teamIds": [...]}`. (The older
/// `SharedWith_Workspace`/`SharedWith_Teams` values are rejected by the API.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum SharedWith {
    Workspace,
    Teams {
        #[serde(rename = "teamIds", default)]
        team_ids: Vec<String>,
    },
}

/// `MeetingLocation`: one of eleven variants discriminated by `type`, each with its `index`
/// (its position: the default is 0, the others follow).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingLocation {
    #[serde(rename = "type")]
    pub kind: LocationKind,
    pub index: i32,
    /// Required by every variant but `AskTheGuest`, `CalendarPlatformConference` and
    /// `DefinedInMeetingType`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<LocationHost>,
    /// `DefinedInMeetingType` only (minLength 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `MeetingLocations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingLocations {
    pub default: MeetingLocation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub others: Option<Vec<MeetingLocation>>,
}

/// `MeetingBuffers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct MeetingBuffers {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// `MeetingBookingLimit` (all three fields required when set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingBookingLimit {
    pub limit_by: BookingLimitBy,
    pub timeframe: BookingLimitTimeframe,
    pub count: i32,
}

/// `ReminderTrigger`. `offset` is absent for the legacy, read-only `MeetingBooked` kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderTrigger {
    pub kind: TriggerKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<String>,
}

/// `Reminder`: what every reminder read answers (`meeting-type-reminder-list`, and the
/// `reminders` of `meeting-type-get`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reminder {
    pub id: String,
    pub workspace_id: String,
    pub channel: ReminderChannel,
    pub trigger: ReminderTrigger,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_to: Option<ReminderSendTo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_from: Option<ReminderSendFrom>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_send_from: Option<ReminderSmsSendFrom>,
}

/// `ReminderCreate` (body of meeting-type-reminder-create).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderCreate {
    pub workspace_id: String,
    pub channel: ReminderChannel,
    pub trigger: ReminderTrigger,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_to: Option<ReminderSendTo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_from: Option<ReminderSendFrom>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_send_from: Option<ReminderSmsSendFrom>,
}

/// `ReminderUpdate` (body of meeting-type-reminder-update; `workspaceId` goes in the query).
/// The channel cannot change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ReminderUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<ReminderTrigger>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_to: Option<ReminderSendTo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_from: Option<ReminderSendFrom>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_send_from: Option<ReminderSmsSendFrom>,
}

/// `MeetingType`: what meeting-type-list (with `reminders` null), -get, -create, -update and
/// the attach/detach operations answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingType {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub invite_title: String,
    pub invite_description: String,
    pub status: MeetingTypeStatus,
    /// Convenience flag: true iff `status` is `Active`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    pub duration: String,
    pub location: MeetingLocations,
    pub buffers: MeetingBuffers,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_limit: Option<MeetingBookingLimit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_with: Option<SharedWith>,
    /// Full reminders on meeting-type-get; null (absent) on the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminders: Option<Vec<Reminder>>,
}

/// `MeetingTypeCreate` (body of meeting-type-create).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingTypeCreate {
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
    pub location: Option<MeetingLocations>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_with: Option<SharedWith>,
    /// A UUID: a repeat with the same key and payload answers the meeting type already
    /// created; the same key with another payload is 409.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

/// `MeetingTypeUpdate` (body of meeting-type-update): a patch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct MeetingTypeUpdate {
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
    pub status: Option<MeetingTypeStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<MeetingLocations>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buffers: Option<MeetingBuffers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_limit: Option<MeetingBookingLimit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_with: Option<SharedWith>,
}

/// The filter body of every `scheduling-link-list-*` (all optional; an empty object lists every
/// link of the accessible workspaces). `filterDistributionIds` is round-robin only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LinksRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_workspace_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_link_slugs: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_meeting_type_id: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_distribution_ids: Option<Vec<String>>,
}

/// `{links: [...]}`: the answer of every `scheduling-link-list-*`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Links<T> {
    #[serde(default = "Vec::new")]
    pub links: Vec<T>,
}

/// `SchedulingLinkMemberDetail` (output only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkMember {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
}

/// `DistributionAssignment` as read; `members` is resolved at read time and never sent back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionAssignment {
    pub distribution_id: String,
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<LinkMember>>,
}

/// `DistributionAssignmentInput`: the lean write form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionAssignmentInput {
    pub distribution_id: String,
    pub required: bool,
}

/// `RoundRobinSchedulingLinkDetail` (list, create and update answer). `distributionId` and
/// `members` are deprecated in the extracts and not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundRobinLink {
    pub workspace_id: String,
    pub link_id: String,
    pub name: String,
    pub slug: String,
    #[serde(default)]
    pub meeting_type_ids: Vec<String>,
    pub assignments: Vec<DistributionAssignment>,
    pub booking_url: String,
}

/// `AdminSchedulingLinkDetail` and `GroupSchedulingLinkDetail` (the same fields: a group
/// link's host and members are not returned by any read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainLink {
    pub workspace_id: String,
    pub link_id: String,
    pub name: String,
    pub slug: String,
    #[serde(default)]
    pub meeting_type_ids: Vec<String>,
    pub booking_url: String,
}

/// `DistributionInvitation` of an ownership link, as read. Only the assignments are managed;
/// `host`, `bookerInvitation` and `alwaysInvitedUsers` are kept as JSON (never sent back:
/// updates are patches).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionInvitation {
    pub assignments: Vec<DistributionAssignment>,
    pub host: serde_json::Value,
    pub booker_invitation: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub always_invited_users: Option<serde_json::Value>,
}

/// `OwnershipSchedulingLinkDetail`. The ownership routing (`ownership`) and the booking page
/// (`pageConfig`) are kept as JSON: scoville reads them for export and never writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnershipLink {
    pub workspace_id: String,
    pub link_id: String,
    pub name: String,
    pub slug: String,
    #[serde(default)]
    pub meeting_type_ids: Vec<String>,
    pub ownership: serde_json::Value,
    pub distribution: DistributionInvitation,
    pub page_config: serde_json::Value,
    pub shared_with: SharedWith,
    pub booking_url: String,
}

/// `RoundRobinLinkCreate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundRobinLinkCreate {
    pub workspace_id: String,
    pub name: String,
    pub slug: String,
    pub meeting_type_ids: Vec<String>,
    /// The first is the round-robin host.
    pub distribution_ids: Vec<String>,
}

/// `AdminLinkCreate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminLinkCreate {
    pub workspace_id: String,
    pub name: String,
    pub slug: String,
    pub meeting_type_ids: Vec<String>,
}

/// `GroupLinkCreate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupLinkCreate {
    pub workspace_id: String,
    pub name: String,
    pub slug: String,
    pub meeting_type_ids: Vec<String>,
    pub host_user_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_member_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_member_ids: Option<Vec<String>>,
}

/// The patch of every `scheduling-link-update-*`: the fields of `RoundRobinLinkUpdate`,
/// `AdminLinkUpdate`, `GroupLinkUpdate` and `OwnershipLinkUpdate` that scoville sends (each
/// kind's own subset is set; the rest stay `None` and are left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LinkUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_type_ids: Option<Vec<String>>,
    /// Round-robin: the replacement distributions (the first is the host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution_ids: Option<Vec<String>>,
    /// Group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_user_id: Option<String>,
    /// Group: supplying members replaces the full member set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_member_ids: Option<Vec<String>>,
    /// Group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_member_ids: Option<Vec<String>>,
    /// Ownership: the fallback distribution routing. scoville sends it only when the fallback
    /// distributions change, with the live `host`, `bookerInvitation` and
    /// `alwaysInvitedUsers` unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<DistributionInvitationInput>,
}

/// `DistributionInvitationInput` of an ownership link update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionInvitationInput {
    pub assignments: Vec<DistributionAssignmentInput>,
    pub host: serde_json::Value,
    pub booker_invitation: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub always_invited_users: Option<serde_json::Value>,
}

/// `OwnershipLinkCreate`. scoville does not create ownership links (their ownership routing is
/// not managed); the emulator serves it with this shape. `ownership` (`OwnershipInvitation`)
/// and `pageConfig` (`LinkPageConfig`) are kept as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnershipLinkCreate {
    pub workspace_id: String,
    pub name: String,
    pub slug: String,
    pub meeting_type_ids: Vec<String>,
    pub ownership: serde_json::Value,
    pub distribution: DistributionInvitationInput,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_with: Option<SharedWith>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_config: Option<serde_json::Value>,
}
