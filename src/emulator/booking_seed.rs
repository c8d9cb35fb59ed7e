//! The seed format of meeting types, reminders and scheduling links (by name, email and slug),
//! part of `Seed`'s workspaces.

use serde::{Deserialize, Serialize};

use crate::edge::wire::{MeetingBookingLimit, MeetingBuffers, MeetingLocations, ReminderTrigger};
use crate::model::{
    LinkKind, MeetingTypeStatus, ReminderChannel, ReminderSendFrom, ReminderSendTo,
    ReminderSmsSendFrom,
};

/// A meeting type of a seeded workspace. Omitted fields get meeting-type-create's defaults
/// (invite title = name, empty invite description, `Active`, location `AskTheGuest`, no
/// buffers, shared with the workspace); a seeded meeting type gets no reminder by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedMeetingType {
    pub name: String,
    /// A `FiniteDuration` string, as the API writes it (`30 minutes`).
    pub duration: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<MeetingTypeStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<MeetingLocations>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buffers: Option<MeetingBuffers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_limit: Option<MeetingBookingLimit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_with: Option<SeedSharedWith>,
    /// Names of reminders of the same workspace, attached in this order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reminders: Vec<String>,
}

/// `sharedWith` with teams by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum SeedSharedWith {
    Workspace,
    Teams {
        #[serde(default)]
        teams: Vec<String>,
    },
}

/// A reminder of a seeded workspace, in the API's shape without ids. A seed may hold the
/// legacy `MeetingBooked` trigger that the API no longer accepts on writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedReminder {
    pub name: String,
    pub channel: ReminderChannel,
    pub trigger: ReminderTrigger,
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

/// A scheduling link of a seeded workspace. `kind` is `round-robin`, `group`,
/// `admin-one-on-one` or `ownership`; each kind takes its own fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedLink {
    pub kind: LinkKind,
    pub name: String,
    pub slug: String,
    /// Meeting type names of the same workspace (at least one).
    pub meeting_types: Vec<String>,
    /// Round-robin (the first is the host) and ownership (the fallback, each required):
    /// distribution names of the same workspace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distributions: Vec<String>,
    /// Group: the host's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Group: required and optional members' emails.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub optional: Vec<String>,
    /// Ownership: the `OwnershipInvitation`, as the API takes it (required for that kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<serde_json::Value>,
    /// Ownership: the fallback's `host` (`{"type": "BookerIfExists"}` when absent) and
    /// `bookerInvitation` (`{"type": "DoNotInvite"}` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution_host: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booker_invitation: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_config: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_with: Option<SeedSharedWith>,
}
