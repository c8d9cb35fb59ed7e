//! What a prospect books, in domain form: meeting types, their reminders and the admin
//! scheduling links that offer them (round-robin, group, admin one-on-one, ownership).
//!
//! Shapes follow Chili Piper's official extracts (edgeVersion 1.494.0,
//! `gpts/meeting-type-management/openapi.yaml` and `gpts/scheduling-link-management/openapi.yaml`),
//! translated to names and emails: no id appears on the desired side, and the live side keeps
//! ids for the applier. Enum values serialize to the API's own strings, which are also what a
//! manifest author writes.

use std::collections::BTreeSet;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Email, Source};

/// A length of time, in whole seconds: a meeting's duration, a buffer, a reminder's offset.
///
/// The API writes these as Scala `FiniteDuration` strings (`"30 minutes"`, `"1 hour"`); the
/// manifests write them compactly (`30m`, `1h`, `1h30m`, `1d`, `45s`). `Span::parse` reads
/// both; `Span::manifest` and `Span::wire` write each form, the wire one in the largest unit
/// that divides the value exactly (`5400` seconds is `"90 minutes"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Span(pub u64);

/// Why a text is not a length of time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    /// Not written as one.
    #[error(
        "`{0}` is not a length of time: write it like `30m`, `1h`, `1h30m`, `2d` or `45s` \
         (or as the API does, `30 minutes`)"
    )]
    Unreadable(String),
    /// Longer than the API's `FiniteDuration` can hold ([`Span::MAX`]).
    #[error("`{0}` is longer than the API can hold: use at most `{max}`", max = Span::MAX)]
    TooLong(String),
}

const UNITS: [(u64, &str, &str, &str); 4] = [
    (86_400, "d", "day", "days"),
    (3_600, "h", "hour", "hours"),
    (60, "m", "minute", "minutes"),
    (1, "s", "second", "seconds"),
];

impl Span {
    /// The longest length of time the API takes, in seconds. The official extracts call these
    /// Scala `FiniteDuration` strings; a `FiniteDuration` holds at most `i64::MAX` nanoseconds
    /// (about 106751 days), and a longer one cannot be created. That bound is scoville's
    /// reading of the Scala type, not a number the official files state: it is kept here only.
    pub const MAX: Span = Span(i64::MAX as u64 / 1_000_000_000);

    /// Reads `30m`, `1h30m`, `2d`, `45s` (units d, h, m, s, each at most once, largest first)
    /// or the API's `FiniteDuration` form `N unit` (`30 minutes`, `1 hour`, `2 days`,
    /// `90 seconds`, also `MINUTES` and abbreviations `min`/`sec`).
    /// A length longer than [`Span::MAX`] is [`SpanError::TooLong`].
    pub fn parse(text: &str) -> Result<Span, SpanError> {
        let span = Span::parse_unbounded(text)?;
        if span > Span::MAX {
            return Err(SpanError::TooLong(text.to_string()));
        }
        Ok(span)
    }

    /// Reads either form; a number too large for `u64` seconds is [`SpanError::TooLong`].
    fn parse_unbounded(text: &str) -> Result<Span, SpanError> {
        let err = || SpanError::Unreadable(text.to_string());
        let too_long = || SpanError::TooLong(text.to_string());
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(err());
        }
        if let Some((number, unit)) = trimmed.split_once(char::is_whitespace) {
            let number = number.trim();
            if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            let n: u64 = number.parse().map_err(|_| too_long())?;
            let unit = unit.trim().to_ascii_lowercase();
            let scale = match unit.as_str() {
                "day" | "days" | "d" => 86_400,
                "hour" | "hours" | "h" => 3_600,
                "minute" | "minutes" | "min" | "mins" | "m" => 60,
                "second" | "seconds" | "sec" | "secs" | "s" => 1,
                _ => return Err(err()),
            };
            return n.checked_mul(scale).map(Span).ok_or_else(too_long);
        }
        let mut total: u64 = 0;
        let mut digits = String::new();
        let mut last_unit = usize::MAX;
        for c in trimmed.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            let position = UNITS
                .iter()
                .position(|(_, short, ..)| short.starts_with(c.to_ascii_lowercase()))
                .ok_or_else(err)?;
            if digits.is_empty() || (last_unit != usize::MAX && position <= last_unit) {
                return Err(err());
            }
            let n: u64 = digits.parse().map_err(|_| too_long())?;
            total = n
                .checked_mul(UNITS[position].0)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(too_long)?;
            digits.clear();
            last_unit = position;
        }
        if !digits.is_empty() || last_unit == usize::MAX {
            return Err(err());
        }
        Ok(Span(total))
    }

    /// The compact manifest form: `1h30m`, `30m`, `0s`.
    pub fn manifest(self) -> String {
        if self.0 == 0 {
            return "0s".to_string();
        }
        let mut rest = self.0;
        let mut out = String::new();
        for (scale, short, ..) in UNITS {
            if rest >= scale {
                out.push_str(&format!("{}{short}", rest / scale));
                rest %= scale;
            }
        }
        out
    }

    /// The API's `FiniteDuration` form, in the largest unit that divides the value:
    /// `"1 hour"`, `"90 minutes"`, `"0 seconds"`.
    pub fn wire(self) -> String {
        let (scale, _, one, many) = UNITS
            .iter()
            .copied()
            .find(|(scale, ..)| self.0.is_multiple_of(*scale) && self.0 >= *scale)
            .unwrap_or(UNITS[3]);
        let n = self.0 / scale;
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.manifest())
    }
}

/// `MeetingTypeStatus` of the official extracts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum MeetingTypeStatus {
    Active,
    Inactive,
}

/// The `type` of a `MeetingLocation` (official extracts: eleven variants).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum LocationKind {
    AskTheGuest,
    CalendarPlatformConference,
    /// Carries a fixed `value` (an address, a dial-in).
    DefinedInMeetingType,
    GoToMeetingLink,
    GongLink,
    HostsDefaultConferenceDetails,
    HostsDefaultPhysicalLocation,
    RingCentralLink,
    TeamsMeetingLink,
    WebexLink,
    ZoomOneTimeLink,
}

impl LocationKind {
    /// Whether the official variant requires a `host` (`MeetingLocationHost`).
    pub fn needs_host(self) -> bool {
        !matches!(
            self,
            LocationKind::AskTheGuest
                | LocationKind::CalendarPlatformConference
                | LocationKind::DefinedInMeetingType
        )
    }
}

/// `MeetingLocationHost`: whose conference or address a location uses.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum LocationHost {
    Host,
    AssigneeIfExists,
    BookerIfExists,
}

/// One meeting location. The wire's `index` is the position in `MeetingLocations` (default
/// first, then `others`) and is not kept.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub kind: LocationKind,
    /// Required by the kinds for which `LocationKind::needs_host`; absent otherwise.
    pub host: Option<LocationHost>,
    /// `DefinedInMeetingType` only: the fixed location text (non-empty).
    pub value: Option<String>,
}

/// `MeetingLocations`: the default location and the others a guest may pick.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Locations {
    pub default: Location,
    pub others: Vec<Location>,
}

/// `MeetingBuffers`: time kept free before and after a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Buffers {
    pub before: Option<Span>,
    pub after: Option<Span>,
}

/// `MeetingBookingLimitBy`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum BookingLimitBy {
    Email,
    Domain,
}

/// `MeetingBookingLimitTimeframe`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum BookingLimitTimeframe {
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// `MeetingBookingLimit`: at most `count` bookings per person (or domain) per timeframe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BookingLimit {
    pub limit_by: BookingLimitBy,
    pub timeframe: BookingLimitTimeframe,
    pub count: u32,
}

/// `SharedWith`: who in the workspace may use a meeting type. Teams by name here; the wire
/// carries `teamIds` (`{"type": "Teams", "teamIds": [...]}` or `{"type": "Workspace"}`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SharedWith {
    Workspace,
    Teams(BTreeSet<String>),
}

/// A meeting type's content. `None` in an optional field of a desired meeting type means the
/// manifests leave it as it is live (updates are patches: the API keeps omitted fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingTypeSpec {
    pub duration: Span,
    /// Internal description (admins only).
    pub description: Option<String>,
    /// Calendar-invite subject shown to guests; the API defaults it to the name on create.
    pub invite_title: Option<String>,
    /// Calendar-invite body shown to guests.
    pub invite_description: Option<String>,
    pub status: Option<MeetingTypeStatus>,
    pub location: Option<Locations>,
    pub buffers: Option<Buffers>,
    /// The API cannot remove a booking limit once set (an update omitting it keeps it).
    pub meeting_limit: Option<BookingLimit>,
    pub shared_with: Option<SharedWith>,
    /// Names of the workspace's reminders attached to it, exactly; `None` leaves the live
    /// attachments alone.
    pub reminders: Option<BTreeSet<String>>,
}

/// `ReminderChannel`. Immutable once the reminder exists (official skill notes).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum ReminderChannel {
    Email,
    Sms,
}

/// `ReminderTriggerKind`. `MeetingBooked` is read-only: the API rejects it on writes with 400
/// and never sent such reminders (official skill notes, CEH-11761).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum TriggerKind {
    BeforeMeeting,
    BeforeMeetingNoResponse,
    AfterMeeting,
    MeetingBooked,
}

/// `ReminderTrigger`: when a reminder is sent. `offset` is required for every writable kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trigger {
    pub kind: TriggerKind,
    pub offset: Option<Span>,
}

/// `ReminderSendTo`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum ReminderSendTo {
    SendToAllGuests,
    SendToMainGuestOnly,
}

/// `ReminderSendFrom`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum ReminderSendFrom {
    SendFromHost,
    SendFromBooker,
    SendFromNoReply,
}

/// `ReminderSmsSendFrom`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum ReminderSmsSendFrom {
    AnyNumber,
    LocalAreaNumber,
}

/// A reminder's content. `None` in an optional field of a desired reminder leaves it as it is
/// live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderSpec {
    pub channel: ReminderChannel,
    pub trigger: Trigger,
    /// Subject line (email).
    pub title: Option<String>,
    pub body: String,
    pub send_to: Option<ReminderSendTo>,
    pub send_from: Option<ReminderSendFrom>,
    pub sms_send_from: Option<ReminderSmsSendFrom>,
}

/// The four kinds of admin scheduling link, each with its own operations.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// Bookings spread across distributions (`scheduling-link-*-round-robin`).
    RoundRobin,
    /// A fixed host with required and optional members (`scheduling-link-*-group`).
    Group,
    /// `scheduling-link-*-admin-one-on-one`.
    AdminOneOnOne,
    /// Record owner first, distributions as fallback (`scheduling-link-*-ownership`).
    Ownership,
}

impl LinkKind {
    pub const ALL: [LinkKind; 4] = [
        LinkKind::RoundRobin,
        LinkKind::Group,
        LinkKind::AdminOneOnOne,
        LinkKind::Ownership,
    ];

    /// The manifests' word for the kind (`round-robin`, `group`, `admin-one-on-one`,
    /// `ownership`), which is also the suffix of its official operation names.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::RoundRobin => "round-robin",
            LinkKind::Group => "group",
            LinkKind::AdminOneOnOne => "admin-one-on-one",
            LinkKind::Ownership => "ownership",
        }
    }
}

/// What a link routes to, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LinkTarget {
    /// Distributions by name, in order: the first is the round-robin host (official).
    RoundRobin {
        distributions: Vec<String>,
    },
    /// The host and members by email. The API does not return them on reads
    /// (`GroupSchedulingLinkDetail` has neither), so on a live link they are `None`/empty and
    /// `readable` is false.
    Group {
        host: Option<Email>,
        required: BTreeSet<Email>,
        optional: BTreeSet<Email>,
    },
    AdminOneOnOne,
    /// The fallback distributions by name with whether their assignees are required. The
    /// ownership routing itself (`ownership`, hosts, booker invitation) is left as it is live:
    /// updates are patches and scoville never sends it.
    Ownership {
        distributions: Vec<(String, bool)>,
    },
}

impl LinkTarget {
    pub fn kind(&self) -> LinkKind {
        match self {
            LinkTarget::RoundRobin { .. } => LinkKind::RoundRobin,
            LinkTarget::Group { .. } => LinkKind::Group,
            LinkTarget::AdminOneOnOne => LinkKind::AdminOneOnOne,
            LinkTarget::Ownership { .. } => LinkKind::Ownership,
        }
    }

    /// Names of the distributions the link uses, in order.
    pub fn distributions(&self) -> Vec<&str> {
        match self {
            LinkTarget::RoundRobin { distributions } => {
                distributions.iter().map(String::as_str).collect()
            }
            LinkTarget::Ownership { distributions } => {
                distributions.iter().map(|(d, _)| d.as_str()).collect()
            }
            LinkTarget::Group { .. } | LinkTarget::AdminOneOnOne => Vec::new(),
        }
    }
}

/// A scheduling link's content, keyed elsewhere by its slug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkSpec {
    pub name: String,
    /// Names of the meeting types offered, in order (at least one).
    pub meeting_types: Vec<String>,
    pub target: LinkTarget,
}

/// A meeting type the manifests declare, by name within its workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiredMeetingType {
    pub name: String,
    /// Former names: a live meeting type under one of them is renamed by an update.
    pub previously: Vec<String>,
    pub spec: MeetingTypeSpec,
    pub source: Source,
}

/// A reminder the manifests declare, by name within its workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiredReminder {
    pub name: String,
    /// Former names: a live reminder under one of them is renamed by an update.
    pub previously: Vec<String>,
    pub spec: ReminderSpec,
    pub source: Source,
}

/// A scheduling link the manifests declare, by slug within its workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiredLink {
    pub slug: String,
    /// Former slugs. Changing a slug breaks every published booking URL: the plan shows it as
    /// destructive, with the old and the new URL, and applies it only when destructive
    /// changes are allowed.
    pub previously: Vec<String>,
    pub spec: LinkSpec,
    pub source: Source,
}

/// A meeting type as read (`meeting-type-list`, then `meeting-type-get` for its reminders).
/// Meeting types, reminders and links carry no `metadata` in the official shapes, so drift
/// cannot say who changed them or when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveMeetingType {
    /// A UUID (`MeetingTypeId`).
    pub id: String,
    pub name: String,
    /// Every optional field is `Some` when the API gave it; `reminders` holds reminder names
    /// (or `<id>` for an id no reminder of the workspace has).
    pub spec: MeetingTypeSpec,
    /// Ids of the attached reminders, in the order the API gave them.
    pub reminder_ids: Vec<String>,
}

/// A reminder as read (`meeting-type-reminder-list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveReminder {
    pub id: String,
    pub name: String,
    pub spec: ReminderSpec,
}

/// A scheduling link as read (`scheduling-link-list-<kind>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveLink {
    /// `linkId`.
    pub id: String,
    pub slug: String,
    /// The live public URL (`bookingUrl`), quoted by every plan that deletes the link or
    /// changes its slug.
    pub booking_url: String,
    /// Meeting types by name (or `<id>` when the workspace has no meeting type with that id);
    /// distributions likewise.
    pub spec: LinkSpec,
    /// Members per distribution as the API resolved them at read time (round-robin
    /// `assignments[].members`, output only), by distribution name: for the plan's share of
    /// bookings.
    pub resolved_members: Vec<(String, Vec<Email>)>,
    /// Ownership links: the fallback routing besides its distributions, as the API gave it,
    /// to send back unchanged when the fallback distributions change (an update replaces the
    /// whole `distribution`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_routing: Option<FallbackRouting>,
}

/// The `host`, `bookerInvitation` and `alwaysInvitedUsers` of an ownership link's fallback
/// (`DistributionInvitation` of the official extracts), kept as JSON: scoville does not model
/// them and never changes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FallbackRouting {
    pub host: serde_json::Value,
    pub booker_invitation: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub always_invited_users: Option<serde_json::Value>,
}
