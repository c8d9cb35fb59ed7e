//! Serde types for the Edge API's JSON, written from the official extracts (edgeVersion 1.494.0).
//!
//! These are the only types that know the API's camelCase field names. The emulator serves
//! them and the client reads them; `live/` and `apply/` convert to and from `model/`.
//!
//! Tolerant reader, strict writer: the objects of a list are read through `Tolerant`, so one
//! object with a variant, enum value or shape scoville does not know is kept as JSON with the
//! reason instead of failing the whole read; request bodies are exactly the official shapes.

mod booking;
mod keycheck;
mod lite;
mod rule;
mod settings;
mod tolerant;
#[cfg(test)]
mod tolerant_equivalence;

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

pub use crate::model::Tier;
pub use crate::model::WorkspaceSettings;
use crate::model::{CappingReset, MeetingHandling, MeetingLimitReset, RecordHandling};
pub use booking::*;
pub use rule::*;
pub use settings::*;
pub use tolerant::{PageItem, Tolerant, sent_back, unknown_fields};

/// A page of a list call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub results: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// The error body of non-400 failures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub error_code: String,
    pub error_message: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub arguments: BTreeMap<String, String>,
}

/// `SimpleMetadata`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
    pub revision: i64,
}

/// Team metadata. Untyped in the official extracts, so it is read leniently: every field may be
/// absent (a string field reads as empty, the revision as 0) or of another type, and fields it
/// does not name are ignored. What the API has been seen to send: `SimpleMetadata` plus when
/// each member was added. The emulator serves it whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TeamMetadata {
    #[serde(flatten)]
    pub base: Metadata,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_members_metadata: Option<TeamMembersMetadata>,
}

impl<'de> Deserialize<'de> for TeamMetadata {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = serde_json::Value::deserialize(deserializer)?;
        let text = |name: &str| raw[name].as_str().unwrap_or_default().to_string();
        let added_at = raw["teamMembersMetadata"]["addedAt"]
            .as_object()
            .map(|added| {
                added
                    .iter()
                    .filter_map(|(id, at)| Some((id.clone(), at.as_str()?.to_string())))
                    .collect()
            });
        Ok(TeamMetadata {
            base: Metadata {
                created_at: text("createdAt"),
                created_by: text("createdBy"),
                updated_at: text("updatedAt"),
                updated_by: text("updatedBy"),
                revision: raw["revision"].as_i64().unwrap_or_default(),
            },
            team_members_metadata: added_at.map(|added_at| TeamMembersMetadata { added_at }),
        })
    }
}

/// `teamMembersMetadata`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TeamMembersMetadata {
    /// User id to the time it was added.
    #[serde(default)]
    pub added_at: BTreeMap<String, String>,
}

/// `TenantInfo`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum TenantInfo {
    Organization {
        #[serde(rename = "tenantData")]
        tenant_data: TenantData,
        #[serde(default)]
        domains: Vec<String>,
    },
    Personal {
        #[serde(rename = "tenantData")]
        tenant_data: TenantData,
        email: String,
    },
}

impl TenantInfo {
    pub fn tenant_data(&self) -> &TenantData {
        match self {
            TenantInfo::Organization { tenant_data, .. }
            | TenantInfo::Personal { tenant_data, .. } => tenant_data,
        }
    }
}

/// `TenantData`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantData {
    pub tenant_id: String,
    pub cluster: String,
    pub subdomain: String,
}

/// `Workspace`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emoji: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    pub metadata: Metadata,
}

/// `UserLicenses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UserLicenses {
    #[serde(default)]
    pub distro: bool,
    pub chili_cal_org: bool,
    #[serde(default)]
    pub concierge: bool,
    #[serde(default)]
    pub concierge_live: bool,
    #[serde(default)]
    pub chat: bool,
    pub handoff: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    /// The fields of the JSON this was read from that scoville does not know (a license flag
    /// of a newer API), as paths under `licenses`; filled by the reader of `User`, never sent.
    #[serde(skip)]
    pub unknown_fields: Vec<String>,
}

/// Reads a user's `licenses`, noting the fields `UserLicenses` does not name, so that no
/// license change sends the set back without them.
fn licenses_noting_unknown<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<UserLicenses, D::Error> {
    if !lite::usable() {
        let raw = serde_json::Value::deserialize(deserializer)?;
        return licenses_from_value(raw);
    }
    // Read as `Value` reads it, without building one where no field is unknown (every user).
    let raw = lite::Lite::deserialize(deserializer)?;
    if let Ok(licenses) = UserLicenses::deserialize(&raw)
        && keycheck::Shape::of_lite(&raw).is_some_and(|mut shape| shape.names_every_key(&licenses))
    {
        return Ok(licenses);
    }
    licenses_from_value(raw.into_value())
}

fn licenses_from_value<E: serde::de::Error>(raw: serde_json::Value) -> Result<UserLicenses, E> {
    let mut licenses = UserLicenses::deserialize(&raw).map_err(E::custom)?;
    licenses.unknown_fields = tolerant::unknown_fields(&raw, &licenses)
        .into_iter()
        .map(|path| format!("licenses.{path}"))
        .collect();
    Ok(licenses)
}

/// `User`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub name: String,
    pub email: String,
    pub is_super_admin: bool,
    #[serde(deserialize_with = "licenses_noting_unknown")]
    pub licenses: UserLicenses,
    #[serde(default)]
    pub workspaces: Vec<String>,
    #[serde(default)]
    pub managed_workspaces: Vec<String>,
    #[serde(default)]
    pub managed_teams: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salesforce: Option<SalesforceUser>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hubspot: Option<HubspotUser>,
    /// The user's personal workspace, when they have one: scheduling links cannot be created
    /// there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_workspace_id: Option<String>,
}

impl PageItem for User {}
impl PageItem for Workspace {}
impl PageItem for Team {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesforceUser {
    pub email: String,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HubspotUser {
    pub email: String,
    pub id: i64,
}

/// `{workspaceId, userIds}` of workspace-add-users / workspace-remove-users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceUsersRequest {
    pub workspace_id: String,
    pub user_ids: Vec<String>,
}

/// `{userIds}` of workspace-remove-users-all (body assumed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdsRequest {
    pub user_ids: Vec<String>,
}

/// `{teamId, userIds}` of team-add-users / team-remove-users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamUsersRequest {
    pub team_id: String,
    pub user_ids: Vec<String>,
}

/// `FindAllRequest` body of team-list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TeamListRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u64>,
}

/// `CreateTeamRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTeamRequest {
    pub workspace_id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<String>>,
}

/// `Team`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    #[serde(default)]
    pub members: Vec<String>,
    /// Required by the official extracts but untyped; read as empty when absent.
    #[serde(default)]
    pub metadata: TeamMetadata,
}

/// user-invite body (not stated: the arguments of the official MCP tool, see `ops::USER_INVITE`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InviteUserRequest {
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_ids: Option<Vec<String>>,
    /// Whether Chili Piper emails the invitation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_invite: Option<bool>,
}

/// One user's complete license set in user-update-licenses (the shape of the operation's
/// description, see `ops::USER_UPDATE_LICENSES`). `tier` is the user's live tier sent back
/// unchanged; scoville never sends a tier the official extracts do not list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LicenseSet {
    pub distro: bool,
    pub chili_cal_org: bool,
    pub concierge: bool,
    pub concierge_live: bool,
    pub chat: bool,
    pub handoff: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
}

/// user-update-licenses body (assumed): user id to that user's complete new set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateLicensesRequest {
    pub update: BTreeMap<String, LicenseSet>,
}

/// `ListRequest` body of distribution-list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct DistributionListRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment_type: Option<AssignmentType>,
}

/// `DistributionAssignmentType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssignmentType {
    Record,
    Meeting,
    Conversation,
}

/// `DistributionAssignmentTypeConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum AssignmentTypeConfig {
    Record {
        handling: RecordHandling,
    },
    Meeting {
        handling: MeetingHandling,
        limits: MeetingLimit,
    },
    Conversation,
}

/// `MeetingLimit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum MeetingLimit {
    MeetingLimitUnset,
    MeetingLimitSet {
        #[serde(rename = "userCaps", default)]
        user_caps: Vec<UserLimit>,
        #[serde(rename = "resetPeriodicity")]
        reset_periodicity: MeetingLimitReset,
    },
}

/// `UserWeight`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserWeight {
    pub user_id: String,
    pub weight: u32,
}

/// `UserCalibration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserCalibration {
    pub user_id: String,
    pub calibration: i32,
}

/// `UserLimit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserLimit {
    pub user_id: String,
    pub limit: u32,
}

/// `DistributedAssignmentLimit` (capping).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributedAssignmentLimit {
    #[serde(default)]
    pub user_caps: Vec<UserLimit>,
    pub reset_periodicity: CappingReset,
}

/// `TeamRef`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRef {
    pub id: String,
    pub revision: i64,
}

/// `CreateDistributionRequest`; also the distribution-update-v3 body (not stated, see
/// `ops::DISTRIBUTION_UPDATE_V3`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionWriteRequest {
    pub team_id: String,
    pub workspace_id: String,
    pub assignment_type_config: AssignmentTypeConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<UserWeight>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_calibration: Option<Vec<UserCalibration>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capping: Option<DistributedAssignmentLimit>,
    pub name: String,
}

/// `CreateDistributionResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateDistributionResponse {
    pub distribution_id: String,
}

/// `ConfigurationDTO`: a distribution's published configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionConfig {
    pub distribution_id: String,
    pub workspace_id: String,
    pub assignment_type_config: AssignmentTypeConfig,
    pub team_ref: TeamRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<UserWeight>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_calibration: Option<Vec<UserCalibration>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capping: Option<DistributedAssignmentLimit>,
    pub metadata: Metadata,
}

/// `Distribution`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Distribution {
    pub id: String,
    pub published: DistributionConfig,
    /// Served by the emulator but never read by the client (scoville manages configuration,
    /// not round-robin state). Skipping it saves a JSON object tree per member and
    /// distribution: `scoville plan` of a 50,000-user org peaked at 405 MiB with it and at
    /// 230 to 239 MiB without (docs/performance.md).
    #[serde(default, skip_deserializing)]
    pub state: DistributionState,
    /// Not read by the client either, for the same reason.
    #[serde(default, skip_deserializing)]
    pub prioritization: Prioritization,
}

/// `DistributionState`: per-user round-robin state. scoville neither reads nor writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct DistributionState {
    #[serde(default)]
    pub user_states: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reset: Option<String>,
}

/// `Prioritization`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Prioritization {
    #[serde(default)]
    pub queue: Vec<String>,
    #[serde(default)]
    pub on_vacation: Vec<String>,
    #[serde(default)]
    pub reached_cap: Vec<String>,
}
