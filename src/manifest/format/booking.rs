//! The manifest format of what a prospect books: a workspace's `meetingTypes`, `reminders`
//! and `schedulingLinks`. Like the rest of `format`, these types are what the YAML is read
//! into and what the JSON Schema is generated from; `check_booking` turns them into the
//! domain types of `model::booking`.
//!
//! Lengths of time are strings here (`30m`, `1h30m`, or the API's `30 minutes`) and are read
//! with `Span::parse` by the checks, so a bad one is reported with its place and a hint.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;

use super::super::wrappers::At;
use crate::model::{
    BookingLimitBy, BookingLimitTimeframe, LinkKind, LocationHost, LocationKind, MeetingTypeStatus,
    ReminderChannel, ReminderSendFrom, ReminderSendTo, ReminderSmsSendFrom, TriggerKind,
};

/// A meeting type: what a guest books (its length, invite text, where it takes place).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `duration` and optional `description`, `inviteTitle`, `location`..."
)]
pub struct MeetingType {
    /// How long the meeting lasts, e.g. `30m`, `1h`, `1h30m` (or the API's `30 minutes`).
    pub duration: At<String>,
    /// Internal description, shown to admins only, never to guests. Omit to leave it alone.
    pub description: Option<At<String>>,
    /// The calendar invite's subject, shown to guests; may use `{!CP.*}` merge tags. The API
    /// sets it to the meeting type's name on create. Omit to leave it alone.
    pub invite_title: Option<At<String>>,
    /// The calendar invite's body, shown to guests; may use `{!CP.*}` merge tags. Omit to leave
    /// it alone.
    pub invite_description: Option<At<String>>,
    /// `Active` or `Inactive`. Omit to leave it alone.
    pub status: Option<At<MeetingTypeStatus>>,
    /// Where the meeting takes place: a default location and others the guest may pick.
    /// Omit to leave it alone.
    pub location: Option<At<Locations>>,
    /// Time kept free before and after the meeting. Omit to leave it alone.
    pub buffers: Option<At<Buffers>>,
    /// At most `count` bookings per guest email (or domain) per timeframe. The API cannot
    /// remove a limit once set: omitting it leaves the live limit as it is.
    pub meeting_limit: Option<At<MeetingLimit>>,
    /// Who in the workspace may use the meeting type: `workspace` (everyone) or
    /// `{teams: [team names]}`. Omit to leave it alone.
    pub shared_with: Option<At<SharedWith>>,
    /// Names of the workspace's reminders attached to the meeting type, exactly: others are
    /// detached, `[]` detaches every one. Omit to leave the attachments alone.
    pub reminders: Option<Vec<At<String>>>,
    /// Former names: a live meeting type under one of them is renamed in place.
    #[serde(default)]
    pub previously: Vec<At<String>>,
}

/// The default location and the others a guest may pick.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `default` and optional `others`"
)]
pub struct Locations {
    /// The location a booking gets unless the guest picks another.
    pub default: At<Location>,
    /// Other locations the guest may pick, in order. Default none.
    #[serde(default)]
    pub others: Vec<At<Location>>,
}

/// One location.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `type`, and `host` or `value` as the type needs"
)]
pub struct Location {
    /// The kind of location, as the API names it (`ZoomOneTimeLink`, `AskTheGuest`,
    /// `DefinedInMeetingType`...).
    #[serde(rename = "type")]
    pub kind: At<LocationKind>,
    /// Whose conference or address is used: `Host`, `AssigneeIfExists` or `BookerIfExists`.
    /// Required for every type except `AskTheGuest`, `CalendarPlatformConference` and
    /// `DefinedInMeetingType`, which take none.
    pub host: Option<At<LocationHost>>,
    /// `DefinedInMeetingType` only, and required there: the fixed location (an address, a
    /// dial-in).
    pub value: Option<At<String>>,
}

/// Time kept free around a meeting.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `before` and/or `after`"
)]
pub struct Buffers {
    /// Kept free before the meeting, e.g. `5m`.
    pub before: Option<At<String>>,
    /// Kept free after the meeting, e.g. `10m`.
    pub after: Option<At<String>>,
}

/// A booking limit.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `limitBy`, `timeframe` and `count`"
)]
pub struct MeetingLimit {
    /// Counted per guest `Email` or per email `Domain`.
    pub limit_by: At<BookingLimitBy>,
    /// `Hourly`, `Daily`, `Weekly`, `Monthly` or `Yearly`.
    pub timeframe: At<BookingLimitTimeframe>,
    /// The most bookings within one timeframe, 0 to 2147483647.
    pub count: At<i64>,
}

/// Who may use a meeting type.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SharedWith {
    /// Everyone in the workspace.
    Workspace,
    /// The members of these teams of the workspace, by name.
    Teams(Vec<At<String>>),
}

impl JsonSchema for SharedWith {
    fn schema_name() -> Cow<'static, str> {
        "SharedWith".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Who may use the meeting type: `workspace` (everyone in the workspace) or `{teams: [team names]}`.",
            "oneOf": [
                {
                    "type": "string",
                    "const": "workspace",
                    "description": "Everyone in the workspace.",
                },
                {
                    "type": "object",
                    "properties": {
                        "teams": {
                            "type": "array",
                            "items": { "type": "string" },
                            "description": "Names of teams of the workspace whose members may use it.",
                        },
                    },
                    "required": ["teams"],
                    "additionalProperties": false,
                },
            ],
        })
    }
}

/// A meeting-type reminder: a message sent before or after a meeting.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `channel`, `trigger` and `body`"
)]
pub struct Reminder {
    /// `Email` or `Sms`. The API cannot change it once the reminder exists.
    pub channel: At<ReminderChannel>,
    /// When the reminder is sent: `{kind: BeforeMeeting|BeforeMeetingNoResponse|AfterMeeting,
    /// offset: 1h}`.
    pub trigger: At<Trigger>,
    /// The subject line (email). Omit to leave it alone.
    pub title: Option<At<String>>,
    /// The message sent.
    pub body: At<String>,
    /// `SendToAllGuests` or `SendToMainGuestOnly`. Omit to leave it alone.
    pub send_to: Option<At<ReminderSendTo>>,
    /// `SendFromHost`, `SendFromBooker` or `SendFromNoReply`. Omit to leave it alone.
    pub send_from: Option<At<ReminderSendFrom>>,
    /// SMS only: `AnyNumber` or `LocalAreaNumber`. Omit to leave it alone.
    pub sms_send_from: Option<At<ReminderSmsSendFrom>>,
    /// Former names: a live reminder under one of them is renamed in place.
    #[serde(default)]
    pub previously: Vec<At<String>>,
}

/// When a reminder is sent.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `kind` and `offset`"
)]
pub struct Trigger {
    /// `BeforeMeeting`, `BeforeMeetingNoResponse` or `AfterMeeting`. (`MeetingBooked` is a
    /// legacy kind the API refuses on writes.)
    pub kind: At<TriggerKind>,
    /// How long before or after the meeting, e.g. `1h`, `1d`, `15m`. Required.
    pub offset: Option<At<String>>,
}

/// An admin scheduling link: a public booking page, keyed by its slug.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `kind`, `name` and `meetingTypes`"
)]
pub struct SchedulingLink {
    /// `round-robin`, `group`, `admin-one-on-one` or `ownership`. The API has other
    /// operations per kind, so the kind of a live link never changes.
    pub kind: At<LinkKind>,
    /// The link's name.
    pub name: At<String>,
    /// Names of the workspace's meeting types the link offers, in order (at least one).
    pub meeting_types: At<Vec<At<String>>>,
    /// Round-robin: names of the distributions bookings are spread across, in order (at
    /// least one; the first is the round-robin host). Ownership: the fallback distributions
    /// as `{name, required}`.
    pub distributions: Option<At<Vec<At<LinkDistribution>>>>,
    /// Group links: the host's email. The API does not return a group link's host and
    /// members on reads, so scoville sends them together when it creates or updates the link
    /// and cannot see them change by hand. Omit `host` (and `members`) to leave both as they
    /// are live; a new group link needs a host.
    pub host: Option<At<String>>,
    /// Group links, with `host`: `{required: [emails], optional: [emails]}`, exactly (omitted
    /// or `{}`: no members).
    pub members: Option<At<GroupMembers>>,
    /// Former slugs. Changing a slug breaks every published booking URL of the link: the
    /// plan shows it as destructive, with the old and the new URL.
    #[serde(default)]
    pub previously: Vec<At<String>>,
}

/// The members of a group link.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `required` and/or `optional`"
)]
pub struct GroupMembers {
    /// Emails of the members who must all be free for a slot to be offered.
    #[serde(default)]
    pub required: Vec<At<String>>,
    /// Emails of the members invited when they are free.
    #[serde(default)]
    pub optional: Vec<At<String>>,
}

/// A distribution of a link: its name (round-robin) or `{name, required}` (ownership
/// fallback).
#[derive(Debug, Clone, PartialEq)]
pub enum LinkDistribution {
    Name(String),
    Fallback(FallbackDistribution),
}

/// An ownership link's fallback distribution.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `name` and `required`"
)]
pub struct FallbackDistribution {
    /// The distribution's name.
    pub name: At<String>,
    /// Whether the distribution's assignee must attend.
    pub required: At<bool>,
}

impl<'de> Deserialize<'de> for LinkDistribution {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<LinkDistribution, D::Error> {
        struct LinkDistributionVisitor;
        impl<'de> serde::de::Visitor<'de> for LinkDistributionVisitor {
            type Value = LinkDistribution;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a distribution name or a mapping with `name` and `required`")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<LinkDistribution, E> {
                Ok(LinkDistribution::Name(text.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<LinkDistribution, A::Error> {
                FallbackDistribution::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(LinkDistribution::Fallback)
            }
        }
        deserializer.deserialize_any(LinkDistributionVisitor)
    }
}

impl JsonSchema for LinkDistribution {
    fn schema_name() -> Cow<'static, str> {
        "LinkDistribution".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A distribution of the workspace: its name (round-robin links), or `{name, required}` (an ownership link's fallback distributions).",
            "anyOf": [
                { "type": "string" },
                generator.subschema_for::<FallbackDistribution>(),
            ],
        })
    }
}
