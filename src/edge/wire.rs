//! Serde types for the Edge API's JSON, written from the published OpenAPI descriptions.
//!
//! These are the only types that know the API's camelCase field names. The emulator serves
//! them and the client reads them; `live/` and `apply/` convert to and from `model/`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::model::WorkspaceSettings;
use crate::model::{
    CappingReset, DataReference, DataSource, Evaluable, LogicalOperator, MeetingHandling,
    MeetingLimitReset, Operator, RecordHandling, SearchOwnershipBy, SingleOperator,
};

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

/// Team metadata: `SimpleMetadata` plus when each member was added (observed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TeamMetadata {
    #[serde(flatten)]
    pub base: Metadata,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_members_metadata: Option<TeamMembersMetadata>,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
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
}

/// License tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tier {
    RoutingAndScheduling,
    Experiences,
    ChiliDataPlatform,
}

/// `User`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub name: String,
    pub email: String,
    pub is_super_admin: bool,
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
}

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
    pub metadata: TeamMetadata,
}

/// user-invite body (assumed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InviteUserRequest {
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_ids: Option<Vec<String>>,
}

/// One user's license set in user-update-licenses (assumed shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LicenseSet {
    pub distro: bool,
    pub chili_cal_org: bool,
    pub concierge: bool,
    pub concierge_live: bool,
    pub chat: bool,
    pub handoff: bool,
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

/// `CreateDistributionRequest`; also the distribution-update body (assumed).
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

/// A rule condition node (`NonOwnershipConditionsRequest` / `OwnershipConditionsRequest`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Condition {
    ConditionGroup {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        operator: LogicalOperator,
        conditions: Vec<Condition>,
    },
    StaticValueCondition {
        #[serde(rename = "conditionId")]
        condition_id: String,
        #[serde(rename = "dataReference")]
        data_reference: DataReference,
        operator: Operator,
        value: serde_json::Value,
    },
    SingleParameterCondition {
        #[serde(rename = "conditionId")]
        condition_id: String,
        #[serde(rename = "dataReference")]
        data_reference: DataReference,
        operator: SingleOperator,
    },
    ValueCondition {
        #[serde(rename = "conditionId")]
        condition_id: String,
        #[serde(rename = "lhsReference")]
        lhs_reference: DataReference,
        operator: Operator,
        #[serde(rename = "rhsReference")]
        rhs_reference: DataReference,
    },
    ObjectExistsCondition {
        #[serde(rename = "conditionId")]
        condition_id: String,
        reference: DataObjectReference,
        exists: bool,
    },
    EvaluableCondition {
        #[serde(rename = "conditionId")]
        condition_id: String,
        #[serde(rename = "dataReference")]
        data_reference: DataReference,
        operator: Operator,
        evaluable: Evaluable,
    },
    OwnershipCondition {
        #[serde(rename = "conditionId")]
        condition_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ownership: Option<DataReference>,
        #[serde(rename = "teamId", default, skip_serializing_if = "Option::is_none")]
        team_id: Option<String>,
        #[serde(
            rename = "searchOwnershipBy",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        search_ownership_by: Option<SearchOwnershipBy>,
    },
}

/// `DataObjectReference`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataObjectReference {
    pub source: DataSource,
    pub object: String,
}

/// `RuleView`: a rule as listed, created or fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Rule {
    NonOwnershipRule(RuleBody),
    OwnershipRule(RuleBody),
}

impl Rule {
    pub fn body(&self) -> &RuleBody {
        match self {
            Rule::NonOwnershipRule(body) | Rule::OwnershipRule(body) => body,
        }
    }
    pub fn body_mut(&mut self) -> &mut RuleBody {
        match self {
            Rule::NonOwnershipRule(body) | Rule::OwnershipRule(body) => body,
        }
    }
    pub fn is_ownership(&self) -> bool {
        matches!(self, Rule::OwnershipRule(_))
    }
}

/// The fields of both rule kinds (`teamId` only on ownership rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleBody {
    pub id: String,
    pub workspace_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    pub name: String,
    pub conditions: Condition,
    pub rule_builder_version: RuleBuilderVersion,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<ChiliProduct>,
    pub metadata: Metadata,
}

/// `RuleBuilderVersion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleBuilderVersion {
    ExplicitV1,
}

/// `ChiliProduct`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChiliProduct {
    Chat,
    ChiliCal,
    Concierge,
    Distro,
    Handoff,
}

/// `RuleCreateRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleCreateRequest {
    pub dto: CreateRuleDto,
}

/// `CreateRuleDto`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum CreateRuleDto {
    CreateRuleRequest(CreateRuleFields),
    CreateOwnershipRuleRequest(CreateRuleFields),
}

/// Fields of both create-rule variants (`teamId` only for ownership rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateRuleFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    pub workspace_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    pub name: String,
    pub conditions: Condition,
}

/// rule-modify body (assumed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleModifyRequest {
    pub name: String,
    pub conditions: Condition,
    pub revision: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
}
