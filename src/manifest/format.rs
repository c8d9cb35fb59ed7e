//! The manifest file format: the Rust types a YAML manifest file is read into, and from which
//! the JSON Schema (`scoville schema`) is generated, so the two cannot disagree.
//!
//! Every doc comment here becomes a `description` in the schema and shows up on hover in
//! editors. Keys are camelCase, like the Edge API's and the leaf enums' names. Names of
//! workspaces, teams, distributions and rules are mapping keys, so the same name twice in one
//! file is a duplicate-key error from the YAML parser.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;

pub mod booking;

use super::wrappers::{At, Checked, Keyed};
use crate::model::{
    CappingReset, License, MeetingHandling, MeetingLimitReset, ObjectKind, RecordHandling,
    SearchOwnershipBy, WorkspaceSettings,
};

/// A scoville manifest file. A manifest set is every `*.yaml` / `*.yml` file of a directory,
/// read in sorted path order; each file holds any of the sections `org`, `users` and
/// `workspaces`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `org`, `users` and/or `workspaces`"
)]
#[schemars(title = "scoville manifest")]
pub struct ManifestFile {
    /// Org-level settings: the tenant this manifest set belongs to, and the policy (pruning,
    /// safety thresholds, accepted drift). At most one file of the set may declare each.
    pub org: Option<Checked<Org>>,
    /// Users by email address (case-insensitive). Every user a workspace, team or
    /// distribution mentions must be declared here, in any file of the set.
    pub users: Option<Checked<Keyed<Checked<Option<User>>>>>,
    /// Workspaces by name. A workspace must already exist in the org (the Edge API cannot
    /// create one); each may be declared in one file only. A workspace with no value
    /// (`Sales:`) is declared with nothing managed, like `Sales: {}`.
    pub workspaces: Option<Checked<Keyed<Checked<Option<Workspace>>>>>,
}

/// Org-level settings.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `tenant` and/or `policy`"
)]
pub struct Org {
    /// The tenant these manifests belong to: the `tenantId` the Edge API reports for the
    /// token's org, e.g. `acme-corp.app3`. A plan against any other org is refused.
    pub tenant: Option<At<String>>,
    /// What scoville may delete, when a plan is too destructive to apply without
    /// `--allow-destructive`, and which differences from the live org are accepted.
    pub policy: Option<At<Checked<Policy>>>,
}

/// The policy block.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `prune`, `thresholds`, `allowDestructive` and/or `ignore`"
)]
pub struct Policy {
    /// Per workspace name (`*` for every workspace), the kinds of objects whose live
    /// instances the manifests do not declare are deleted (`teams`, `distributions`, `rules`,
    /// `meetingTypes`, `reminders`, `schedulingLinks`) or removed (`workspaceMembers`).
    /// Without an entry, undeclared objects are left alone.
    pub prune: Option<Keyed<Vec<At<ObjectKind>>>>,
    /// When deletes and removals are too many to apply without `--allow-destructive`.
    pub thresholds: Option<Thresholds>,
    /// Lets plans past the thresholds, as `--allow-destructive` does. Default `false`.
    pub allow_destructive: Option<bool>,
    /// Known, accepted differences between the manifests and the live org: the plan leaves
    /// these objects alone and the drift report lists them as ignored.
    pub ignore: Option<Vec<At<Ignore>>>,
}

/// Safety thresholds for deletes and removals, counted per kind of object.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `maxPercent`, `minManaged` and/or `maxCount`"
)]
pub struct Thresholds {
    /// Refuse a plan whose deletes/removals of one kind exceed this percentage of the
    /// managed objects of that kind. Default 30.
    pub max_percent: Option<At<i64>>,
    /// ...but only once there are at least this many managed objects of the kind, so small
    /// orgs are not blocked by a single delete. Default 10.
    pub min_managed: Option<At<i64>>,
    /// Refuse a plan whose deletes/removals of one kind exceed this count, whatever the
    /// percentage. No limit by default.
    pub max_count: Option<At<i64>>,
}

/// One accepted difference.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `object`, `reason` and `expires`"
)]
pub struct Ignore {
    /// The object's address: `team:Workspace/name`, `distribution:Workspace/name`,
    /// `rule:Workspace/name`, `members:Workspace` (workspace membership),
    /// `settings:Workspace` (distribution settings), `user:email` (invite and licenses),
    /// `meetingType:Workspace/name`, `reminder:Workspace/name` or `link:Workspace/slug`
    /// (a scheduling link).
    pub object: At<String>,
    /// Why the difference is accepted, for the next reader.
    pub reason: At<String>,
    /// `YYYY-MM-DD`: after this day the entry no longer applies and is reported as expired.
    pub expires: Option<At<String>>,
}

/// A user of the org.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `name`, `licenses` and/or `invite`"
)]
pub struct User {
    /// Full name, used when inviting the user.
    pub name: Option<At<String>>,
    /// The exact set of product licenses the user holds. Omit to leave the user's licenses
    /// alone; `[]` removes every license.
    pub licenses: Option<Vec<At<License>>>,
    /// Whether scoville may invite the user when the org has no user with this email.
    /// Default `false`: a missing user is then a plan error.
    pub invite: Option<bool>,
}

/// A workspace and what it contains.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `members`, `teams`, `distributions`, `rules`, `settings`, `meetingTypes`, `reminders` and/or `schedulingLinks`"
)]
pub struct Workspace {
    /// Emails of the workspace's members. Listed users are added; live members who are not
    /// listed stay unless the policy prunes `workspaceMembers` here.
    pub members: Option<Checked<Vec<At<String>>>>,
    /// Teams by name: either a list of member emails or a mapping with `members`,
    /// `previously` and `recreate`. A team's member list is exact: others are removed.
    pub teams: Option<Keyed<Checked<Team>>>,
    /// Distributions by name.
    pub distributions: Option<Keyed<Checked<Distribution>>>,
    /// Routing rules by name.
    pub rules: Option<Keyed<Checked<Rule>>>,
    /// The workspace's distribution settings (fairness, credit-back, vacations). Omit to
    /// leave them alone.
    pub settings: Option<At<Checked<WorkspaceSettings>>>,
    /// Meeting types by name. Omit to leave the workspace's meeting types alone; `{}`
    /// manages none (live ones are deleted only under `prune: [meetingTypes]`).
    pub meeting_types: Option<Keyed<Checked<booking::MeetingType>>>,
    /// Meeting-type reminders by name. Omit to leave them alone; `{}` manages none.
    pub reminders: Option<Keyed<Checked<booking::Reminder>>>,
    /// Admin scheduling links (public booking pages) by slug, which is part of the booking
    /// URL: lowercase letters, digits, `-` and `_`. Omit to leave them alone; `{}` manages
    /// none.
    pub scheduling_links: Option<Keyed<Checked<booking::SchedulingLink>>>,
}

/// The workspace `Sales:` (no value) and `Sales: {}` declare: nothing managed.
pub static EMPTY_WORKSPACE: Workspace = Workspace {
    members: None,
    teams: None,
    distributions: None,
    rules: None,
    settings: None,
    meeting_types: None,
    reminders: None,
    scheduling_links: None,
};

/// A team: the short form is the list of its members' emails.
#[derive(Debug, Clone, PartialEq)]
pub enum Team {
    Members(Vec<At<String>>),
    Details(TeamDetails),
}

impl Team {
    /// The member list, or `None` when the team gives none (`sdr:` or a mapping without
    /// `members`): its live members are then left alone.
    pub fn members(&self) -> Option<&[At<String>]> {
        match self {
            Team::Members(members) => Some(members),
            Team::Details(details) => details.members.as_deref(),
        }
    }
}

impl<'de> Deserialize<'de> for Team {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Team, D::Error> {
        struct TeamVisitor;
        impl<'de> serde::de::Visitor<'de> for TeamVisitor {
            type Value = Team;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of member emails or a mapping with `members`")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Team, A::Error> {
                let members = Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(Team::Members(members))
            }
            // `sdr:` declares the team without a member list, like `sdr: {}`.
            fn visit_unit<E: serde::de::Error>(self) -> Result<Team, E> {
                Ok(Team::Details(TeamDetails {
                    members: None,
                    previously: Vec::new(),
                    recreate: None,
                }))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Team, E> {
                self.visit_unit()
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Team, A::Error> {
                let details =
                    TeamDetails::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Team::Details(details))
            }
        }
        deserializer.deserialize_any(TeamVisitor)
    }
}

impl JsonSchema for Team {
    fn schema_name() -> Cow<'static, str> {
        "Team".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A team: the list of its members' emails (exact; `[]` empties the team), a mapping with `members`, `previously` and `recreate`, or no value to declare the team and leave its members alone.",
            "anyOf": [
                { "type": "null" },
                {
                    "type": "array",
                    "description": "Emails of the team's members (each must be a member of the workspace).",
                    "items": { "type": "string" },
                },
                generator.subschema_for::<TeamDetails>(),
            ],
        })
    }
}

/// A team in long form.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `members`, `previously` and/or `recreate`"
)]
pub struct TeamDetails {
    /// Emails of the team's members (each must be a member of the workspace). The list is
    /// exact: live members not listed are removed, and `[]` empties the team. Omit it to
    /// leave the team's live members alone.
    pub members: Option<Vec<At<String>>>,
    /// Former names of the team. The Edge API cannot rename a team, so a live team under a
    /// former name is a plan error unless `recreate: true` allows delete and create.
    #[serde(default)]
    pub previously: Vec<At<String>>,
    /// Allow renaming by deleting the team under its former name and creating it anew
    /// (distributions that use it must be updated by the same plan). Default `false`.
    #[serde(default)]
    pub recreate: Option<At<bool>>,
}

/// A distribution: how a workspace assigns records, meetings or conversations to a team.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `team`, `record`/`meeting`/`conversation`, `weights`..."
)]
pub struct Distribution {
    /// Name of the team (of the same workspace) the distribution draws from.
    pub team: At<String>,
    /// Record assignment (leads, accounts...). Give exactly one of `record`, `meeting` and
    /// `conversation`.
    pub record: Option<At<RecordAssignment>>,
    /// Meeting assignment. Give exactly one of `record`, `meeting` and `conversation`.
    pub meeting: Option<At<MeetingAssignment>>,
    /// Conversation assignment, written `conversation: {}`. Give exactly one of `record`,
    /// `meeting` and `conversation`.
    pub conversation: Option<At<ConversationAssignment>>,
    /// Weight per team member email, 0 to 10000 (0 disables a member without removing them
    /// from the team). The distribution's weights become exactly this mapping; `{}` removes
    /// every weight. Omit it to leave the live weights alone.
    pub weights: Option<Keyed<At<i64>>>,
    /// Manual calibration per team member email (a signed adjustment of the member's count).
    /// `{}` removes every calibration; omit it to leave the live calibration alone.
    pub calibration: Option<Keyed<At<i64>>>,
    /// Per-member caps on assignments and when they reset. `{}` means no capping; omit it to
    /// leave the live capping alone.
    pub capping: Option<At<Capping>>,
    /// Former names: a live distribution under one of them is renamed in place.
    #[serde(default)]
    pub previously: Vec<At<String>>,
}

/// Record assignment settings.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `handling`"
)]
pub struct RecordAssignment {
    /// `{type: Strict}` assigns strictly in turn; `{type: WorkingHours}` only within
    /// working hours.
    pub handling: RecordHandling,
}

/// Meeting assignment settings.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `handling` and `limits`"
)]
pub struct MeetingAssignment {
    /// `{type: Flexible, reassignmentType: SameUser|AnyTeamMember, allowPickingAssignee:
    /// bool}` or `{type: Strict, hideAssignee: bool}`.
    pub handling: MeetingHandling,
    /// Per-member meeting limits. `{}` means no limits; omit it to leave the live limits
    /// alone.
    pub limits: Option<At<MeetingLimits>>,
}

/// Per-member meeting limits.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `caps` and `reset`"
)]
pub struct MeetingLimits {
    /// Maximum meetings per member email within one reset period. Give it with `reset`, or
    /// neither (`limits: {}`) for no limits.
    pub caps: Option<Keyed<At<i64>>>,
    /// When the counts reset: `{type: Daily|Weekly|Monthly, every, startsOn (YYYY-MM-DD),
    /// timezone, ...}`.
    pub reset: Option<MeetingLimitReset>,
}

/// Conversation assignment has no settings.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "an empty mapping `{}`"
)]
pub struct ConversationAssignment {}

/// Per-member assignment caps.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `caps` and `reset`"
)]
pub struct Capping {
    /// Maximum assignments per member email within one reset period. Give it with `reset`,
    /// or neither (`capping: {}`) for no capping.
    pub caps: Option<Keyed<At<i64>>>,
    /// When the counts reset: `{type: HourlyRolling}`, `{type: Daily, timeZone}`,
    /// `{type: Weekly, timeZone, dayOfWeek (1 = Monday)}` or `{type: Monthly, timeZone}`.
    pub reset: Option<CappingReset>,
}

/// A routing rule: a condition tree, given as `all:` (and) or `any:` (or) at the top.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `all`, `any` or `condition`"
)]
pub struct Rule {
    /// Makes this an ownership rule, which resolves a record's owner. Default `false`.
    pub ownership: Option<At<bool>>,
    /// For ownership rules, and required there: the team (of the same workspace) owners are
    /// looked up in.
    pub team: Option<At<String>>,
    /// Matches when every condition matches. Give one of `all`, `any` and `condition`.
    pub all: Option<Vec<At<Condition>>>,
    /// Matches when at least one condition matches. Give one of `all`, `any` and
    /// `condition`.
    pub any: Option<Vec<At<Condition>>>,
    /// A single condition at the top instead of a group. Give one of `all`, `any` and
    /// `condition`.
    pub condition: Option<At<Condition>>,
    /// Name of the top-level `all`/`any` group, if it has one.
    pub group_name: Option<At<String>>,
    /// Former names: a live rule under one of them is renamed in place.
    #[serde(default)]
    pub previously: Vec<At<String>>,
}

/// One condition: a nested group (`all` / `any`), a field test (`field` plus one operator
/// key), an object test (`object` plus `exists`) or an ownership lookup (`ownership`).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a condition such as `{field: SF.Lead.Country, isAnyOf: [US, CA]}`"
)]
pub struct Condition {
    /// A nested group that matches when every condition matches.
    pub all: Option<Vec<At<Condition>>>,
    /// A nested group that matches when at least one condition matches.
    pub any: Option<Vec<At<Condition>>>,
    /// Name of a nested group.
    pub name: Option<At<String>>,
    /// The field tested, as `SOURCE.Object.Field`, e.g. `SF.Lead.Country`. Sources: `SF`
    /// (Salesforce), `DF` (form), `CP` (Chili Piper), `HS` (HubSpot), `MK` (Marketo).
    pub field: Option<At<String>>,
    /// The field equals one of the values.
    pub is_any_of: Option<At<Operand>>,
    /// The field equals none of the values.
    pub is_not_any_of: Option<At<Operand>>,
    /// The field starts with one of the values.
    pub starts_with_any_of: Option<At<Operand>>,
    /// The field ends with one of the values.
    pub ends_with_any_of: Option<At<Operand>>,
    /// The field contains one of the values.
    pub contains_any_of: Option<At<Operand>>,
    /// The field contains none of the values.
    pub contains_none_of: Option<At<Operand>>,
    /// The field equals the value.
    pub equal: Option<At<Operand>>,
    /// The field does not equal the value.
    pub not_equal: Option<At<Operand>>,
    /// The field contains the value.
    pub contains: Option<At<Operand>>,
    /// The field does not contain the value.
    pub does_not_contain: Option<At<Operand>>,
    /// The field starts with the value.
    pub starts_with: Option<At<Operand>>,
    /// The field ends with the value.
    pub ends_with: Option<At<Operand>>,
    /// The field is less than the value (the API's `<`).
    pub less_than: Option<At<Operand>>,
    /// The field is greater than the value (the API's `>`).
    pub greater_than: Option<At<Operand>>,
    /// The field is at most the value (the API's `<=`).
    pub at_most: Option<At<Operand>>,
    /// The field is at least the value (the API's `>=`).
    pub at_least: Option<At<Operand>>,
    /// `empty: true`: the field has no value.
    pub empty: Option<At<bool>>,
    /// `notEmpty: true`: the field has a value.
    pub not_empty: Option<At<bool>>,
    /// An object tested for existence, as `SOURCE.Object`, e.g. `SF.MatchedAccount`; give
    /// `exists` too.
    pub object: Option<At<String>>,
    /// With `object`: whether the object must exist (`true`) or not exist (`false`).
    pub exists: Option<At<bool>>,
    /// An ownership lookup (ownership rules only).
    pub ownership: Option<At<Ownership>>,
}

/// An ownership lookup.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a mapping with `field`, `searchBy` and/or `team`"
)]
pub struct Ownership {
    /// The field holding the owner, as `SOURCE.Object.Field`, e.g. `SF.Account.OwnerId`.
    pub field: Option<At<String>>,
    /// How the owner is searched for.
    pub search_by: Option<SearchOwnershipBy>,
    /// The team (of the same workspace) the owner must belong to.
    pub team: Option<At<String>>,
}

/// What a field is compared with: a value (string, number, boolean), a list of values (for
/// the `...AnyOf` operators), another field as `{field: SOURCE.Object.Field}`, or a relative
/// date window as `{type: RelativeDay|RelativeWeek|RelativeMonth|RelativeQuarter|RelativeYear,
/// offset, length, timeZone}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Operand(pub serde_json::Value);

impl<'de> Deserialize<'de> for Operand {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Operand, D::Error> {
        serde_json::Value::deserialize(deserializer).map(Operand)
    }
}

impl JsonSchema for Operand {
    fn schema_name() -> Cow<'static, str> {
        "Operand".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A value (string, number, boolean), a list of values for the `...AnyOf` operators, another field as `{field: SOURCE.Object.Field}`, or a relative date window as `{type: RelativeDay, offset, length, timeZone}`.",
            "anyOf": [
                { "type": ["string", "number", "boolean"] },
                { "type": "array", "items": { "type": ["string", "number", "boolean"] } },
                {
                    "type": "object",
                    "description": "Another field to compare with.",
                    "properties": {
                        "field": {
                            "type": "string",
                            "description": "The other field, as `SOURCE.Object.Field`.",
                        },
                    },
                    "required": ["field"],
                    "additionalProperties": false,
                },
                generator.subschema_for::<crate::model::Evaluable>(),
            ],
        })
    }
}
