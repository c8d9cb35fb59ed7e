//! The leaf vocabulary shared by manifests, live state and the wire: licenses, rule operators,
//! data references and the distribution/settings enums whose names are the API's own.
//!
//! These enums serialize to the exact strings the Edge API uses, which are also the strings a
//! manifest author writes, so one definition serves both. Anything that carries ids (wire) or
//! emails and names (domain) lives elsewhere.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A Chili Piper product license.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum License {
    /// Distro (lead routing and distribution).
    Distro,
    /// ChiliCal for the organisation.
    ChiliCalOrg,
    /// Concierge (inbound form routing).
    Concierge,
    /// Concierge Live.
    ConciergeLive,
    /// Chat.
    Chat,
    /// Handoff.
    Handoff,
}

impl License {
    pub const ALL: [License; 6] = [
        License::Distro,
        License::ChiliCalOrg,
        License::Concierge,
        License::ConciergeLive,
        License::Chat,
        License::Handoff,
    ];

    /// The API's and the manifests' name of the license.
    pub fn as_str(self) -> &'static str {
        match self {
            License::Distro => "distro",
            License::ChiliCalOrg => "chiliCalOrg",
            License::Concierge => "concierge",
            License::ConciergeLive => "conciergeLive",
            License::Chat => "chat",
            License::Handoff => "handoff",
        }
    }
}

/// A user's license tier (`Tier` of the official extracts). A tier the API adds later is kept
/// as `Unknown` with its text, so reading such a user never fails; scoville refuses to send it
/// back in a write (see `plan`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tier {
    RoutingAndScheduling,
    Experiences,
    ChiliDataPlatform,
    /// A tier the official extracts (edgeVersion 1.494.0) do not list.
    #[serde(untagged)]
    Unknown(String),
}

impl Tier {
    /// Whether this is a tier of the official extracts.
    pub fn is_known(&self) -> bool {
        !matches!(self, Tier::Unknown(_))
    }
}

/// Where a rule condition reads its data from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum DataSource {
    /// Salesforce.
    SF,
    /// Form data.
    DF,
    /// Chili Piper.
    CP,
    /// HubSpot.
    HS,
    /// Marketo.
    MK,
    /// An assignment table.
    AT,
}

/// `and` / `or` of a condition group.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum LogicalOperator {
    And,
    Or,
}

/// Comparison operator of a value condition.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum Operator {
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "startsWithAnyOf")]
    StartsWithAnyOf,
    #[serde(rename = "endsWithAnyOf")]
    EndsWithAnyOf,
    #[serde(rename = "isAnyOf")]
    IsAnyOf,
    #[serde(rename = "isNotAnyOf")]
    IsNotAnyOf,
    #[serde(rename = "equal")]
    Equal,
    #[serde(rename = "notEqual")]
    NotEqual,
    #[serde(rename = "contains")]
    Contains,
    #[serde(rename = "doesNotContain")]
    DoesNotContain,
    #[serde(rename = "containsAnyOf")]
    ContainsAnyOf,
    #[serde(rename = "containsNoneOf")]
    ContainsNoneOf,
    #[serde(rename = "startsWith")]
    StartsWith,
    #[serde(rename = "endsWith")]
    EndsWith,
}

impl Operator {
    pub const ALL: [Operator; 16] = [
        Operator::Lt,
        Operator::Gt,
        Operator::Le,
        Operator::Ge,
        Operator::StartsWithAnyOf,
        Operator::EndsWithAnyOf,
        Operator::IsAnyOf,
        Operator::IsNotAnyOf,
        Operator::Equal,
        Operator::NotEqual,
        Operator::Contains,
        Operator::DoesNotContain,
        Operator::ContainsAnyOf,
        Operator::ContainsNoneOf,
        Operator::StartsWith,
        Operator::EndsWith,
    ];

    /// The API's spelling of the operator.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Lt => "<",
            Operator::Gt => ">",
            Operator::Le => "<=",
            Operator::Ge => ">=",
            Operator::StartsWithAnyOf => "startsWithAnyOf",
            Operator::EndsWithAnyOf => "endsWithAnyOf",
            Operator::IsAnyOf => "isAnyOf",
            Operator::IsNotAnyOf => "isNotAnyOf",
            Operator::Equal => "equal",
            Operator::NotEqual => "notEqual",
            Operator::Contains => "contains",
            Operator::DoesNotContain => "doesNotContain",
            Operator::ContainsAnyOf => "containsAnyOf",
            Operator::ContainsNoneOf => "containsNoneOf",
            Operator::StartsWith => "startsWith",
            Operator::EndsWith => "endsWith",
        }
    }
}

/// Operator of a condition that takes no value.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum SingleOperator {
    Empty,
    NotEmpty,
}

/// How an ownership condition searches for the owner.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum SearchOwnershipBy {
    CrmIdOrEmail,
    SalesforceIdOrEmail,
    TeamMemberFullNames,
}

/// A field of a CRM or form object that a condition reads.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct DataReference {
    /// Data source: SF (Salesforce), DF (form), CP (Chili Piper), HS (HubSpot), MK (Marketo),
    /// AT (assignment table).
    pub source: DataSource,
    /// Object name, e.g. `Lead`, `Account`, or a matched object such as `MatchedAccount`.
    pub object: String,
    /// Field name on the object, e.g. `Country`.
    pub field: String,
}

/// A relative time window for evaluable (date) conditions.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(tag = "type")]
pub enum Evaluable {
    RelativeDay(RelativeWindow),
    RelativeWeek(RelativeWindow),
    RelativeMonth(RelativeWindow),
    RelativeQuarter(RelativeWindow),
    RelativeYear(RelativeWindow),
}

/// Offset and length of a relative time window, in units of its kind.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RelativeWindow {
    /// Start of the window relative to now (negative is in the past).
    pub offset: i32,
    /// Length of the window, at least 1.
    pub length: u32,
    /// IANA time zone, e.g. `America/New_York`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// How a Record distribution handles assignments.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(tag = "type")]
pub enum RecordHandling {
    /// Assign strictly in turn.
    Strict,
    /// Only assign within working hours.
    WorkingHours,
}

/// Whom a flexible meeting distribution may reassign to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum ReassignmentType {
    SameUser,
    AnyTeamMember,
}

/// How a Meeting distribution handles assignments.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(tag = "type", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum MeetingHandling {
    /// The booker may pick; reassignment as configured.
    Flexible {
        /// Whom a meeting may be reassigned to: `SameUser` or `AnyTeamMember`.
        reassignment_type: ReassignmentType,
        /// Whether the booker may pick the assignee.
        allow_picking_assignee: bool,
    },
    /// Strict round robin.
    Strict {
        /// Whether the assignee is hidden from the booker.
        hide_assignee: bool,
    },
}

/// Day of the week for weekly meeting-limit resets.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum DayOfWeek {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

/// When per-user meeting limits reset.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(tag = "type", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum MeetingLimitReset {
    /// Every `every` days at `resetLocalTime` (HH:MM).
    Daily {
        /// Number of days between resets.
        every: u32,
        /// First day of the schedule, `YYYY-MM-DD`.
        starts_on: String,
        /// Local time of the reset, `HH:MM` (quote it in YAML: `"00:00"`).
        reset_local_time: String,
        /// IANA time zone, e.g. `America/New_York`.
        timezone: String,
    },
    /// Every `every` weeks on `resetDayOfWeek`.
    Weekly {
        /// Number of weeks between resets.
        every: u32,
        /// First day of the schedule, `YYYY-MM-DD`.
        starts_on: String,
        /// Day of the reset, `MONDAY` .. `SUNDAY`.
        reset_day_of_week: DayOfWeek,
        /// IANA time zone, e.g. `America/New_York`.
        timezone: String,
    },
    /// Every `every` months on `resetDay` (1..28).
    Monthly {
        /// Number of months between resets.
        every: u32,
        /// First day of the schedule, `YYYY-MM-DD`.
        starts_on: String,
        /// Day of the month of the reset, 1..28.
        reset_day: u32,
        /// IANA time zone, e.g. `America/New_York`.
        timezone: String,
    },
}

/// When per-user caps of a distribution reset.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(tag = "type", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum CappingReset {
    /// A rolling one-hour window.
    HourlyRolling,
    /// Every day in the time zone.
    Daily {
        /// IANA time zone, e.g. `America/New_York`.
        time_zone: String,
    },
    /// Every week on `dayOfWeek` (1 = Monday .. 7 = Sunday).
    Weekly {
        /// IANA time zone, e.g. `America/New_York`.
        time_zone: String,
        /// Day of the reset, 1 = Monday .. 7 = Sunday.
        day_of_week: u8,
    },
    /// Every month.
    Monthly {
        /// IANA time zone, e.g. `America/New_York`.
        time_zone: String,
    },
}

/// Tie-break ordering when two users have equal levels.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum OrderIfEqualState {
    AsConfigured,
    Random,
}

/// When workspace round-robin counters reset.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(tag = "type", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum WorkspaceResetPeriodicity {
    /// Every day.
    Daily {
        /// IANA time zone, e.g. `America/New_York`.
        time_zone: String,
    },
    /// Every week on `dayOfWeek` (1 = Monday .. 7 = Sunday).
    Weekly {
        /// Day of the reset, 1 = Monday .. 7 = Sunday.
        day_of_week: u8,
        /// IANA time zone, e.g. `America/New_York`.
        time_zone: String,
    },
    /// Every month.
    Monthly {
        /// IANA time zone, e.g. `America/New_York`.
        time_zone: String,
    },
    /// `firstMonth` (1..3) is the first month of each quarter.
    Quarterly {
        /// The first month of each quarter, 1..3.
        first_month: u8,
        /// IANA time zone, e.g. `America/New_York`.
        time_zone: String,
    },
    /// `monthOfYear` (1..12).
    Yearly {
        /// The month of the reset, 1..12.
        month_of_year: u8,
        /// IANA time zone, e.g. `America/New_York`.
        time_zone: String,
    },
    Never,
}

/// Whether vacation state is read live or from cache.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum VacationFreshness {
    Cached,
    RealTime,
}

/// Vacation-awareness of a workspace's distributions.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VacationBuffer {
    /// Days before a vacation starts to stop assigning to the user.
    pub days_before_start: i32,
    /// Days before a vacation ends after which the user becomes assignable again.
    pub days_before_end: i32,
    /// Whether vacations are recognised at all.
    pub recognition_enabled: bool,
    /// Whether vacation state is read live or cached.
    pub freshness: VacationFreshness,
}

/// A workspace's round-robin fairness settings, shared by all its distributions.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkspaceSettings {
    /// Whether vacationing users are calibrated out of the fairness equation.
    pub calibrate_vacation: bool,
    /// Whether a cancelled meeting credits the assignment back to the user.
    pub credit_back_cancelled: bool,
    /// Whether a no-show credits the assignment back to the user.
    pub credit_back_no_show: bool,
    /// Tie-break ordering for equal levels.
    pub order_if_equal_state: OrderIfEqualState,
    /// When the per-period counters reset.
    pub reset_periodicity: WorkspaceResetPeriodicity,
    /// Vacation-awareness configuration.
    pub vacation_buffer: VacationBuffer,
}
