//! Plan step calls: the Edge API operation, its path/query parameters and its body, with
//! symbolic references where an id does not exist yet at plan time.
//!
//! The bodies mirror the wire request types of `edge::wire` field for field, except that a user
//! id may be a `UserRef::FromStep` (a user the plan invites) and a team id a `TeamRef::FromStep`
//! (a team the plan creates). `Call::request` resolves those references from the ids earlier
//! steps returned and builds the exact wire body, so the applier sends what the plan says and
//! decides nothing.

use serde::{Deserialize, Serialize};

use super::body_booking::{
    AdminLinkBody, AttachParams, GroupLinkBody, LinkIdParams, LinkUpdateBody,
    MeetingTypeCreateBody, MeetingTypeParams, MeetingTypeUpdateBody, ReminderDeleteParams,
    ReminderUpdateParams, RoundRobinLinkBody, booking_calls, booking_op, booking_references,
};
use super::body_booking_wire::booking_request;
use super::types::StepId;
use crate::edge::ops::{self, Op};
use crate::edge::wire;
use crate::model::{
    CappingReset, Condition, DataReference, Email, Evaluable, LogicalOperator, MeetingHandling,
    MeetingLimitReset, Operator, RecordHandling, SearchOwnershipBy, SingleOperator,
    WorkspaceSettings,
};

/// A user id in a body: known, or the id the user gets when an earlier step invites them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum UserRef {
    /// An existing user's id; serialized as a plain string.
    Id(String),
    /// The id returned by the `user-invite` step `id_from_step`; serialized as
    /// `{"idFromStep": "...", "email": "..."}`.
    FromStep {
        #[serde(rename = "idFromStep")]
        id_from_step: StepId,
        email: Email,
    },
}

/// A team id in a body: known, or the id of the team an earlier step creates.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TeamRef {
    /// An existing team's id; serialized as a plain string.
    Id(String),
    /// The id returned by the `team-create` step `id_from_step`; serialized as
    /// `{"idFromStep": "...", "team": "<name>"}`.
    FromStep {
        #[serde(rename = "idFromStep")]
        id_from_step: StepId,
        team: String,
    },
}

impl UserRef {
    /// The step this reference waits for, if any.
    pub fn step(&self) -> Option<&StepId> {
        match self {
            UserRef::Id(_) => None,
            UserRef::FromStep { id_from_step, .. } => Some(id_from_step),
        }
    }
}

impl TeamRef {
    pub fn step(&self) -> Option<&StepId> {
        match self {
            TeamRef::Id(_) => None,
            TeamRef::FromStep { id_from_step, .. } => Some(id_from_step),
        }
    }
}

/// A step's call: `op` (an `edge::ops` id), `params` (path and query values) and `body`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op")]
pub enum Call {
    #[serde(rename = "user-invite")]
    UserInvite { body: InviteBody },
    #[serde(rename = "user-update-licenses")]
    UserUpdateLicenses { body: LicensesBody },
    #[serde(rename = "workspace-add-users")]
    WorkspaceAddUsers { body: WorkspaceUsersBody },
    #[serde(rename = "workspace-remove-users")]
    WorkspaceRemoveUsers { body: WorkspaceUsersBody },
    #[serde(rename = "team-create")]
    TeamCreate { body: TeamCreateBody },
    #[serde(rename = "team-add-users")]
    TeamAddUsers { body: TeamUsersBody },
    #[serde(rename = "team-remove-users")]
    TeamRemoveUsers { body: TeamUsersBody },
    #[serde(rename = "team-delete")]
    TeamDelete { params: TeamIdParams },
    #[serde(rename = "distribution-create")]
    DistributionCreate { body: DistributionBody },
    #[serde(rename = "distribution-update-v3")]
    DistributionUpdate {
        params: DistributionIdParams,
        body: DistributionBody,
    },
    #[serde(rename = "distribution-delete")]
    DistributionDelete { params: DistributionIdParams },
    /// The body holds the settings as the manifests declare them; the request leaves out the
    /// read-only `orderIfEqualState`.
    #[serde(rename = "distribution-workspace-settings-update")]
    DistributionSettingsUpdate {
        params: WorkspaceIdParams,
        body: WorkspaceSettings,
    },
    #[serde(rename = "rule-create")]
    RuleCreate { body: RuleCreateBody },
    #[serde(rename = "rule-modify")]
    RuleModify {
        params: RuleIdParams,
        body: RuleModifyBody,
    },
    #[serde(rename = "rule-delete")]
    RuleDelete { params: RuleDeleteParams },
    // Meeting types, reminders and scheduling links: bodies and resolution in `body_booking`.
    #[serde(rename = "meeting-type-create")]
    MeetingTypeCreate { body: MeetingTypeCreateBody },
    #[serde(rename = "meeting-type-update")]
    MeetingTypeUpdate {
        params: MeetingTypeParams,
        body: MeetingTypeUpdateBody,
    },
    #[serde(rename = "meeting-type-delete")]
    MeetingTypeDelete { params: MeetingTypeParams },
    #[serde(rename = "meeting-type-attach-reminder")]
    MeetingTypeAttachReminder { params: AttachParams },
    #[serde(rename = "meeting-type-detach-reminder")]
    MeetingTypeDetachReminder { params: AttachParams },
    #[serde(rename = "meeting-type-reminder-create")]
    ReminderCreate { body: wire::ReminderCreate },
    #[serde(rename = "meeting-type-reminder-update")]
    ReminderUpdate {
        params: ReminderUpdateParams,
        body: wire::ReminderUpdate,
    },
    #[serde(rename = "meeting-type-reminder-delete")]
    ReminderDelete { params: ReminderDeleteParams },
    #[serde(rename = "scheduling-link-create-round-robin")]
    LinkCreateRoundRobin { body: RoundRobinLinkBody },
    #[serde(rename = "scheduling-link-create-group")]
    LinkCreateGroup { body: GroupLinkBody },
    #[serde(rename = "scheduling-link-create-admin-one-on-one")]
    LinkCreateAdminOneOnOne { body: AdminLinkBody },
    #[serde(rename = "scheduling-link-update-round-robin")]
    LinkUpdateRoundRobin {
        params: LinkIdParams,
        body: LinkUpdateBody,
    },
    #[serde(rename = "scheduling-link-update-group")]
    LinkUpdateGroup {
        params: LinkIdParams,
        body: LinkUpdateBody,
    },
    #[serde(rename = "scheduling-link-update-admin-one-on-one")]
    LinkUpdateAdminOneOnOne {
        params: LinkIdParams,
        body: LinkUpdateBody,
    },
    #[serde(rename = "scheduling-link-update-ownership")]
    LinkUpdateOwnership {
        params: LinkIdParams,
        body: LinkUpdateBody,
    },
    #[serde(rename = "scheduling-link-delete-round-robin")]
    LinkDeleteRoundRobin { params: LinkIdParams },
    #[serde(rename = "scheduling-link-delete-group")]
    LinkDeleteGroup { params: LinkIdParams },
    #[serde(rename = "scheduling-link-delete-admin-one-on-one")]
    LinkDeleteAdminOneOnOne { params: LinkIdParams },
    #[serde(rename = "scheduling-link-delete-ownership")]
    LinkDeleteOwnership { params: LinkIdParams },
}

/// `user-invite` body (assumed shape). Workspaces are joined by `workspace-add-users` steps,
/// not by the invitation, so that every membership change is one visible call per workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InviteBody {
    pub email: Email,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `user-update-licenses` body. The wire body is a map keyed by user id; a reference cannot
/// be a JSON key, so the plan lists entries and `Call::request` builds the map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicensesBody {
    pub update: Vec<LicenseEntry>,
}

/// One user's complete new license set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseEntry {
    pub user_id: UserRef,
    pub licenses: wire::LicenseSet,
}

/// `{workspaceId, userIds}` of workspace-add-users / workspace-remove-users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceUsersBody {
    pub workspace_id: String,
    pub user_ids: Vec<UserRef>,
}

/// `{workspaceId, name, members}` of team-create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamCreateBody {
    pub workspace_id: String,
    pub name: String,
    pub members: Vec<UserRef>,
}

/// `{teamId, userIds}` of team-add-users / team-remove-users. Only existing teams get these
/// calls: a team the plan creates gets its members in `team-create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamUsersBody {
    pub team_id: String,
    pub user_ids: Vec<UserRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamIdParams {
    pub team_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionIdParams {
    pub distribution_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceIdParams {
    pub workspace_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleIdParams {
    pub rule_id: String,
}

/// rule-delete's path id and the `?revision=` the plan saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleDeleteParams {
    pub rule_id: String,
    pub revision: i64,
}

/// The whole configuration of a distribution, as distribution-create and distribution-update
/// send it (`wire::DistributionWriteRequest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionBody {
    pub team_id: TeamRef,
    pub workspace_id: String,
    pub assignment_type_config: AssignmentConfigBody,
    pub weights: Vec<WeightEntry>,
    pub manual_calibration: Vec<CalibrationEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capping: Option<CappingBody>,
    pub name: String,
}

/// `wire::AssignmentTypeConfig` with user references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum AssignmentConfigBody {
    Record {
        handling: RecordHandling,
    },
    Meeting {
        handling: MeetingHandling,
        limits: MeetingLimitBody,
    },
    Conversation,
}

/// `wire::MeetingLimit` with user references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum MeetingLimitBody {
    MeetingLimitUnset,
    MeetingLimitSet {
        #[serde(rename = "userCaps")]
        user_caps: Vec<LimitEntry>,
        #[serde(rename = "resetPeriodicity")]
        reset_periodicity: MeetingLimitReset,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WeightEntry {
    pub user_id: UserRef,
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalibrationEntry {
    pub user_id: UserRef,
    pub calibration: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LimitEntry {
    pub user_id: UserRef,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CappingBody {
    pub user_caps: Vec<LimitEntry>,
    pub reset_periodicity: CappingReset,
}

/// `wire::RuleCreateRequest` with team references.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleCreateBody {
    pub dto: RuleCreateDto,
}

/// `wire::CreateRuleDto` with team references: an ownership rule always names its team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum RuleCreateDto {
    CreateRuleRequest(RuleCreateFields),
    CreateOwnershipRuleRequest(RuleCreateOwnershipFields),
}

impl RuleCreateDto {
    /// The team of an ownership rule and the conditions of either kind.
    pub fn team_and_conditions(&self) -> (Option<&TeamRef>, &ConditionBody) {
        match self {
            RuleCreateDto::CreateRuleRequest(fields) => (None, &fields.conditions),
            RuleCreateDto::CreateOwnershipRuleRequest(fields) => {
                (Some(&fields.team_id), &fields.conditions)
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleCreateFields {
    pub workspace_id: String,
    pub name: String,
    pub conditions: ConditionBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleCreateOwnershipFields {
    pub workspace_id: String,
    pub team_id: TeamRef,
    pub name: String,
    pub conditions: ConditionBody,
}

/// rule-modify body (`wire::RuleModifyRequest` with team references; its `ruleId` is in the
/// call's params): the revision the plan saw and the whole new rule, as rule-create takes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleModifyBody {
    pub revision: i64,
    pub dto: RuleCreateDto,
}

/// `wire::Condition` with team references. Condition ids are generated by the planner from the
/// node's position (`1`, `1.2`, `1.2.1`), so equal trees get equal bodies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ConditionBody {
    ConditionGroup {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        operator: LogicalOperator,
        conditions: Vec<ConditionBody>,
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
        reference: wire::DataObjectReference,
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
        team_id: Option<TeamRef>,
        #[serde(
            rename = "searchOwnershipBy",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        search_ownership_by: Option<SearchOwnershipBy>,
    },
}

/// A call with every reference resolved: what goes on the wire.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub op: Op,
    /// The path with its placeholders filled, relative to the base URL.
    pub path: String,
    /// Query parameters, in order.
    pub query: Vec<(String, String)>,
    /// The JSON body, for operations that have one.
    pub body: Option<serde_json::Value>,
}

/// A reference to a step whose result is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "step `{step}` needs the id created by step `{needs}`, which has not succeeded: run the steps in plan order"
)]
pub struct UnresolvedReference {
    pub step: String,
    pub needs: StepId,
}

/// Looks up the id an earlier step created (the invited user's, the created team's).
pub trait ResolveStepId {
    fn created_id(&self, step: &StepId) -> Option<String>;
}

impl<F: Fn(&StepId) -> Option<String>> ResolveStepId for F {
    fn created_id(&self, step: &StepId) -> Option<String> {
        self(step)
    }
}

/// A domain condition tree as the API's JSON, exactly as the plan would send it (ids from
/// each node's position), with an ownership condition's team given by `team_id` from its name.
/// For whoever needs the wire form outside a plan, such as an emulator seed.
pub fn wire_condition(condition: &Condition, team_id: &dyn Fn(&str) -> String) -> wire::Condition {
    let body =
        super::rules::condition_body(condition, "1", &|team| Some(TeamRef::Id(team_id(team))));
    let no_steps = |_: &StepId| None;
    let resolver = Resolver {
        lookup: &no_steps,
        op_id: "rule-create",
    };
    match resolver.condition(&body) {
        Ok(wire) => wire,
        // Every team reference above is an id, and only references to steps can be unresolved.
        Err(unresolved) => unreachable!("a condition without step references: {unresolved}"),
    }
}

pub(super) struct Resolver<'a> {
    pub(super) lookup: &'a dyn ResolveStepId,
    pub(super) op_id: &'static str,
}

impl Resolver<'_> {
    pub(super) fn step(&self, step: &StepId) -> Result<String, UnresolvedReference> {
        self.lookup
            .created_id(step)
            .ok_or_else(|| UnresolvedReference {
                step: self.op_id.to_string(),
                needs: step.clone(),
            })
    }

    pub(super) fn user(&self, user: &UserRef) -> Result<String, UnresolvedReference> {
        match user {
            UserRef::Id(id) => Ok(id.clone()),
            UserRef::FromStep { id_from_step, .. } => self.step(id_from_step),
        }
    }

    pub(super) fn users(&self, users: &[UserRef]) -> Result<Vec<String>, UnresolvedReference> {
        users.iter().map(|user| self.user(user)).collect()
    }

    pub(super) fn team(&self, team: &TeamRef) -> Result<String, UnresolvedReference> {
        match team {
            TeamRef::Id(id) => Ok(id.clone()),
            TeamRef::FromStep { id_from_step, .. } => self.step(id_from_step),
        }
    }

    fn rule_dto(&self, dto: &RuleCreateDto) -> Result<wire::CreateRuleDto, UnresolvedReference> {
        Ok(match dto {
            RuleCreateDto::CreateRuleRequest(fields) => {
                wire::CreateRuleDto::CreateRuleRequest(wire::CreateRuleFields {
                    rule_id: None,
                    workspace_id: fields.workspace_id.clone(),
                    name: fields.name.clone(),
                    conditions: self.condition(&fields.conditions)?,
                })
            }
            RuleCreateDto::CreateOwnershipRuleRequest(fields) => {
                wire::CreateRuleDto::CreateOwnershipRuleRequest(wire::CreateOwnershipRuleFields {
                    rule_id: None,
                    workspace_id: fields.workspace_id.clone(),
                    team_id: self.team(&fields.team_id)?,
                    name: fields.name.clone(),
                    conditions: self.condition(&fields.conditions)?,
                })
            }
        })
    }

    fn limits(&self, entries: &[LimitEntry]) -> Result<Vec<wire::UserLimit>, UnresolvedReference> {
        entries
            .iter()
            .map(|entry| {
                Ok(wire::UserLimit {
                    user_id: self.user(&entry.user_id)?,
                    limit: entry.limit,
                })
            })
            .collect()
    }

    fn distribution(
        &self,
        body: &DistributionBody,
    ) -> Result<wire::DistributionWriteRequest, UnresolvedReference> {
        let assignment_type_config = match &body.assignment_type_config {
            AssignmentConfigBody::Record { handling } => wire::AssignmentTypeConfig::Record {
                handling: handling.clone(),
            },
            AssignmentConfigBody::Meeting { handling, limits } => {
                wire::AssignmentTypeConfig::Meeting {
                    handling: handling.clone(),
                    limits: match limits {
                        MeetingLimitBody::MeetingLimitUnset => {
                            wire::MeetingLimit::MeetingLimitUnset
                        }
                        MeetingLimitBody::MeetingLimitSet {
                            user_caps,
                            reset_periodicity,
                        } => wire::MeetingLimit::MeetingLimitSet {
                            user_caps: self.limits(user_caps)?,
                            reset_periodicity: reset_periodicity.clone(),
                        },
                    },
                }
            }
            AssignmentConfigBody::Conversation => wire::AssignmentTypeConfig::Conversation,
        };
        let weights = body
            .weights
            .iter()
            .map(|entry| {
                Ok(wire::UserWeight {
                    user_id: self.user(&entry.user_id)?,
                    weight: entry.weight,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let manual_calibration = body
            .manual_calibration
            .iter()
            .map(|entry| {
                Ok(wire::UserCalibration {
                    user_id: self.user(&entry.user_id)?,
                    calibration: entry.calibration,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let capping = match &body.capping {
            None => None,
            Some(capping) => Some(wire::DistributedAssignmentLimit {
                user_caps: self.limits(&capping.user_caps)?,
                reset_periodicity: capping.reset_periodicity.clone(),
            }),
        };
        Ok(wire::DistributionWriteRequest {
            team_id: self.team(&body.team_id)?,
            workspace_id: body.workspace_id.clone(),
            assignment_type_config,
            // The whole configuration is replaced, so empty lists are sent, not omitted.
            weights: Some(weights),
            manual_calibration: Some(manual_calibration),
            capping,
            name: body.name.clone(),
        })
    }

    fn condition(&self, condition: &ConditionBody) -> Result<wire::Condition, UnresolvedReference> {
        Ok(match condition {
            ConditionBody::ConditionGroup {
                id,
                name,
                operator,
                conditions,
            } => wire::Condition::ConditionGroup {
                id: id.clone(),
                name: name.clone(),
                operator: *operator,
                conditions: conditions
                    .iter()
                    .map(|condition| self.condition(condition))
                    .collect::<Result<_, _>>()?,
            },
            ConditionBody::StaticValueCondition {
                condition_id,
                data_reference,
                operator,
                value,
            } => wire::Condition::StaticValueCondition {
                condition_id: condition_id.clone(),
                data_reference: data_reference.clone(),
                operator: *operator,
                value: value.clone(),
            },
            ConditionBody::SingleParameterCondition {
                condition_id,
                data_reference,
                operator,
            } => wire::Condition::SingleParameterCondition {
                condition_id: condition_id.clone(),
                data_reference: data_reference.clone(),
                operator: *operator,
            },
            ConditionBody::ValueCondition {
                condition_id,
                lhs_reference,
                operator,
                rhs_reference,
            } => wire::Condition::ValueCondition {
                condition_id: condition_id.clone(),
                lhs_reference: lhs_reference.clone(),
                operator: *operator,
                rhs_reference: rhs_reference.clone(),
            },
            ConditionBody::ObjectExistsCondition {
                condition_id,
                reference,
                exists,
            } => wire::Condition::ObjectExistsCondition {
                condition_id: condition_id.clone(),
                reference: reference.clone(),
                exists: *exists,
            },
            ConditionBody::EvaluableCondition {
                condition_id,
                data_reference,
                operator,
                evaluable,
            } => wire::Condition::EvaluableCondition {
                condition_id: condition_id.clone(),
                data_reference: data_reference.clone(),
                operator: *operator,
                evaluable: evaluable.clone(),
            },
            ConditionBody::OwnershipCondition {
                condition_id,
                ownership,
                team_id,
                search_ownership_by,
            } => wire::Condition::OwnershipCondition {
                condition_id: condition_id.clone(),
                ownership: ownership.clone(),
                team_id: team_id.as_ref().map(|team| self.team(team)).transpose()?,
                search_ownership_by: *search_ownership_by,
            },
        })
    }
}

fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    // Serializing these plain structs into a `Value` cannot fail: they hold no maps with
    // non-string keys and no types with fallible `Serialize` impls.
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

impl Call {
    /// The operation this call performs.
    pub fn op(&self) -> Op {
        match self {
            Call::UserInvite { .. } => ops::USER_INVITE,
            Call::UserUpdateLicenses { .. } => ops::USER_UPDATE_LICENSES,
            Call::WorkspaceAddUsers { .. } => ops::WORKSPACE_ADD_USERS,
            Call::WorkspaceRemoveUsers { .. } => ops::WORKSPACE_REMOVE_USERS,
            Call::TeamCreate { .. } => ops::TEAM_CREATE,
            Call::TeamAddUsers { .. } => ops::TEAM_ADD_USERS,
            Call::TeamRemoveUsers { .. } => ops::TEAM_REMOVE_USERS,
            Call::TeamDelete { .. } => ops::TEAM_DELETE,
            Call::DistributionCreate { .. } => ops::DISTRIBUTION_CREATE,
            Call::DistributionUpdate { .. } => ops::DISTRIBUTION_UPDATE_V3,
            Call::DistributionDelete { .. } => ops::DISTRIBUTION_DELETE,
            Call::DistributionSettingsUpdate { .. } => ops::DISTRIBUTION_WORKSPACE_SETTINGS_UPDATE,
            Call::RuleCreate { .. } => ops::RULE_CREATE,
            Call::RuleModify { .. } => ops::RULE_MODIFY,
            Call::RuleDelete { .. } => ops::RULE_DELETE,
            booking_calls!() => booking_op(self),
        }
    }

    /// Steps whose created ids this call's body refers to.
    pub fn referenced_steps(&self) -> Vec<StepId> {
        let mut users: Vec<&UserRef> = Vec::new();
        let mut teams: Vec<&TeamRef> = Vec::new();
        match self {
            Call::UserUpdateLicenses { body } => {
                users.extend(body.update.iter().map(|entry| &entry.user_id));
            }
            Call::WorkspaceAddUsers { body } | Call::WorkspaceRemoveUsers { body } => {
                users.extend(&body.user_ids);
            }
            Call::TeamCreate { body } => users.extend(&body.members),
            Call::TeamAddUsers { body } | Call::TeamRemoveUsers { body } => {
                users.extend(&body.user_ids);
            }
            Call::DistributionCreate { body } | Call::DistributionUpdate { body, .. } => {
                users.extend(body.weights.iter().map(|w| &w.user_id));
                users.extend(body.manual_calibration.iter().map(|c| &c.user_id));
                if let Some(capping) = &body.capping {
                    users.extend(capping.user_caps.iter().map(|c| &c.user_id));
                }
                if let AssignmentConfigBody::Meeting {
                    limits: MeetingLimitBody::MeetingLimitSet { user_caps, .. },
                    ..
                } = &body.assignment_type_config
                {
                    users.extend(user_caps.iter().map(|c| &c.user_id));
                }
                teams.push(&body.team_id);
            }
            Call::RuleCreate {
                body: RuleCreateBody { dto },
            }
            | Call::RuleModify {
                body: RuleModifyBody { dto, .. },
                ..
            } => {
                let (team, conditions) = dto.team_and_conditions();
                teams.extend(team);
                condition_teams(conditions, &mut teams);
            }
            Call::UserInvite { .. }
            | Call::TeamDelete { .. }
            | Call::DistributionDelete { .. }
            | Call::DistributionSettingsUpdate { .. }
            | Call::RuleDelete { .. } => {}
            booking_calls!() => {}
        }
        let mut out: Vec<StepId> = users
            .into_iter()
            .filter_map(UserRef::step)
            .chain(teams.into_iter().filter_map(TeamRef::step))
            .cloned()
            .chain(match self {
                booking_calls!() => booking_references(self),
                _ => Vec::new(),
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The exact request to send, with every reference resolved through `lookup`.
    pub fn request(&self, lookup: &dyn ResolveStepId) -> Result<Request, UnresolvedReference> {
        let op = self.op();
        let resolver = Resolver {
            lookup,
            op_id: op.id,
        };
        let no_params: &[&str] = &[];
        let (path, query, body) = match self {
            Call::UserInvite { body } => (
                op.path_with(no_params),
                vec![],
                Some(to_json(&wire::InviteUserRequest {
                    email: body.email.to_string(),
                    name: body.name.clone(),
                    workspace_ids: None,
                    send_invite: Some(true),
                })),
            ),
            Call::UserUpdateLicenses { body } => {
                let update = body
                    .update
                    .iter()
                    .map(|entry| Ok((resolver.user(&entry.user_id)?, entry.licenses.clone())))
                    .collect::<Result<_, UnresolvedReference>>()?;
                (
                    op.path_with(no_params),
                    vec![],
                    Some(to_json(&wire::UpdateLicensesRequest { update })),
                )
            }
            Call::WorkspaceAddUsers { body } | Call::WorkspaceRemoveUsers { body } => (
                op.path_with(no_params),
                vec![],
                Some(to_json(&wire::WorkspaceUsersRequest {
                    workspace_id: body.workspace_id.clone(),
                    user_ids: resolver.users(&body.user_ids)?,
                })),
            ),
            Call::TeamCreate { body } => {
                let members = resolver.users(&body.members)?;
                (
                    op.path_with(no_params),
                    vec![],
                    Some(to_json(&wire::CreateTeamRequest {
                        workspace_id: body.workspace_id.clone(),
                        name: body.name.clone(),
                        members: (!members.is_empty()).then_some(members),
                    })),
                )
            }
            Call::TeamAddUsers { body } | Call::TeamRemoveUsers { body } => (
                op.path_with(no_params),
                vec![],
                Some(to_json(&wire::TeamUsersRequest {
                    team_id: body.team_id.clone(),
                    user_ids: resolver.users(&body.user_ids)?,
                })),
            ),
            Call::TeamDelete { params } => (op.path_with(&[&params.team_id]), vec![], None),
            Call::DistributionCreate { body } => (
                op.path_with(no_params),
                vec![],
                Some(to_json(&resolver.distribution(body)?)),
            ),
            Call::DistributionUpdate { params, body } => (
                op.path_with(&[&params.distribution_id]),
                vec![],
                Some(to_json(&resolver.distribution(body)?)),
            ),
            Call::DistributionDelete { params } => {
                (op.path_with(&[&params.distribution_id]), vec![], None)
            }
            Call::DistributionSettingsUpdate { params, body } => (
                op.path_with(no_params),
                vec![("workspaceId".to_string(), params.workspace_id.clone())],
                Some(to_json(&wire::WorkspaceSettingsUpdate::from_settings(body))),
            ),
            Call::RuleCreate { body } => (
                op.path_with(no_params),
                vec![],
                Some(to_json(&wire::RuleCreateRequest {
                    dto: resolver.rule_dto(&body.dto)?,
                })),
            ),
            Call::RuleModify { params, body } => (
                op.path_with(no_params),
                vec![],
                Some(to_json(&wire::RuleModifyRequest {
                    rule_id: params.rule_id.clone(),
                    revision: body.revision,
                    dto: resolver.rule_dto(&body.dto)?,
                })),
            ),
            Call::RuleDelete { params } => (
                op.path_with(no_params),
                vec![
                    ("ruleId".to_string(), params.rule_id.clone()),
                    ("revision".to_string(), params.revision.to_string()),
                ],
                None,
            ),
            booking_calls!() => booking_request(self, op, &resolver)?,
        };
        Ok(Request {
            op,
            path,
            query,
            body,
        })
    }
}

fn condition_teams<'a>(condition: &'a ConditionBody, out: &mut Vec<&'a TeamRef>) {
    match condition {
        ConditionBody::ConditionGroup { conditions, .. } => {
            for condition in conditions {
                condition_teams(condition, out);
            }
        }
        ConditionBody::OwnershipCondition {
            team_id: Some(team),
            ..
        } => out.push(team),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(text: &str) -> Email {
        Email::parse(text).unwrap()
    }

    #[test]
    fn user_refs_serialize_as_plain_ids_or_step_references() {
        let known = UserRef::Id("u-1".into());
        let invited = UserRef::FromStep {
            id_from_step: StepId("user-invite user:olivia.reyes@acme.example".into()),
            email: email("olivia.reyes@acme.example"),
        };
        assert_eq!(serde_json::to_string(&known).unwrap(), r#""u-1""#);
        assert_eq!(
            serde_json::to_string(&invited).unwrap(),
            r#"{"idFromStep":"user-invite user:olivia.reyes@acme.example","email":"olivia.reyes@acme.example"}"#
        );
        for value in [known, invited] {
            let text = serde_json::to_string(&value).unwrap();
            assert_eq!(serde_json::from_str::<UserRef>(&text).unwrap(), value);
        }
    }

    #[test]
    fn op_tags_are_the_ids_of_the_operation_table() {
        let call = Call::TeamDelete {
            params: TeamIdParams {
                team_id: "t-1".into(),
            },
        };
        let json = serde_json::to_value(&call).unwrap();
        assert_eq!(json["op"], call.op().id);
    }

    #[test]
    fn requests_resolve_references_from_earlier_steps() {
        let invite = StepId("user-invite user:olivia.reyes@acme.example".into());
        let call = Call::TeamAddUsers {
            body: TeamUsersBody {
                team_id: "t-1".into(),
                user_ids: vec![
                    UserRef::Id("u-1".into()),
                    UserRef::FromStep {
                        id_from_step: invite.clone(),
                        email: email("olivia.reyes@acme.example"),
                    },
                ],
            },
        };
        let unresolved = call.request(&|_: &StepId| None).unwrap_err();
        assert_eq!(unresolved.needs, invite);
        let request = call
            .request(&|step: &StepId| (step == &invite).then(|| "u-9".to_string()))
            .unwrap();
        assert_eq!(request.path, "/v1/org/team/users/add");
        assert_eq!(
            request.body.unwrap(),
            serde_json::json!({"teamId": "t-1", "userIds": ["u-1", "u-9"]})
        );
    }

    #[test]
    fn rule_delete_carries_the_rule_and_its_revision_in_the_query() {
        let call = Call::RuleDelete {
            params: RuleDeleteParams {
                rule_id: "r-1".into(),
                revision: 4,
            },
        };
        let request = call.request(&|_: &StepId| None).unwrap();
        assert_eq!(request.path, "/v1/org/rule");
        assert_eq!(
            request.query,
            vec![
                ("ruleId".to_string(), "r-1".to_string()),
                ("revision".to_string(), "4".to_string())
            ]
        );
        assert_eq!(request.body, None);
    }
}
