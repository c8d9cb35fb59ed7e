//! Routing rules on the wire: `RuleView` (three kinds), the condition tree, and the bodies of
//! rule-create and rule-modify, as the official extracts (edgeVersion 1.494.0) give them (the
//! rule-modify body is not stated; see `ops::RULE_MODIFY`).

use serde::{Deserialize, Serialize};

use super::Metadata;
use crate::model::{
    DataReference, DataSource, Evaluable, LogicalOperator, Operator, SearchOwnershipBy,
    SingleOperator,
};

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
    /// Routes through an assignment table; scoville reads it but does not manage it.
    AssignmentTableRule(RuleBody),
}

impl Rule {
    pub fn body(&self) -> &RuleBody {
        match self {
            Rule::NonOwnershipRule(body)
            | Rule::OwnershipRule(body)
            | Rule::AssignmentTableRule(body) => body,
        }
    }
    pub fn body_mut(&mut self) -> &mut RuleBody {
        match self {
            Rule::NonOwnershipRule(body)
            | Rule::OwnershipRule(body)
            | Rule::AssignmentTableRule(body) => body,
        }
    }
    pub fn is_ownership(&self) -> bool {
        matches!(self, Rule::OwnershipRule(_))
    }
}

/// The fields of the three rule kinds (`teamId` only on ownership rules, `assignmentTableId`
/// only, and always, on assignment-table rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleBody {
    pub id: String,
    pub workspace_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment_table_id: Option<String>,
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

/// `CreateRuleDto`: what scoville writes. Ownership rules always carry `teamId` (required by
/// the official extracts); scoville creates no assignment-table rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum CreateRuleDto {
    CreateRuleRequest(CreateRuleFields),
    CreateOwnershipRuleRequest(CreateOwnershipRuleFields),
}

impl CreateRuleDto {
    /// The fields of either kind, borrowed.
    pub fn view(&self) -> RuleDtoView<'_> {
        match self {
            CreateRuleDto::CreateRuleRequest(fields) => RuleDtoView {
                ownership: false,
                rule_id: fields.rule_id.as_deref(),
                workspace_id: &fields.workspace_id,
                team_id: None,
                name: &fields.name,
                conditions: &fields.conditions,
            },
            CreateRuleDto::CreateOwnershipRuleRequest(fields) => RuleDtoView {
                ownership: true,
                rule_id: fields.rule_id.as_deref(),
                workspace_id: &fields.workspace_id,
                team_id: Some(&fields.team_id),
                name: &fields.name,
                conditions: &fields.conditions,
            },
        }
    }
}

/// The fields of a `CreateRuleDto`, whichever its kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RuleDtoView<'a> {
    pub ownership: bool,
    pub rule_id: Option<&'a str>,
    pub workspace_id: &'a str,
    pub team_id: Option<&'a str>,
    pub name: &'a str,
    pub conditions: &'a Condition,
}

/// `CreateRuleDto_CreateRuleRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateRuleFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    pub workspace_id: String,
    pub name: String,
    pub conditions: Condition,
}

/// `CreateRuleDto_CreateOwnershipRuleRequest`: `teamId` is required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOwnershipRuleFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    pub workspace_id: String,
    pub team_id: String,
    pub name: String,
    pub conditions: Condition,
}

/// rule-modify body (not stated: the arguments of the official MCP tool, see
/// `ops::RULE_MODIFY`): the rule, the revision the caller saw, and the new rule as rule-create
/// would take it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleModifyRequest {
    pub rule_id: String,
    pub revision: i64,
    pub dto: CreateRuleDto,
}
