//! The emulator's seed: an org written by hand (users by email, teams by name), turned into state.
//!
//! A seed is the authoring format; `OrgState` (see `state`) is what the emulator keeps, with
//! ids and metadata. The seed format is documented in the emulator's module doc.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub use super::booking_seed::{SeedLink, SeedMeetingType, SeedReminder, SeedSharedWith};
use crate::edge::ops;
use crate::edge::wire::{Condition, TenantData, TenantInfo};
use crate::model::{
    CappingReset, License, MeetingHandling, MeetingLimitReset, OrderIfEqualState, RecordHandling,
    VacationBuffer, VacationFreshness, WorkspaceResetPeriodicity, WorkspaceSettings,
};

/// An org to start the emulator with. Users are referred to by email and teams by name; the
/// emulator gives everything ids when it loads the seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Seed {
    /// What tenant-get answers.
    pub tenant: TenantInfo,
    /// Seats per license type; a license type missing here has no seats.
    #[serde(default)]
    pub seats: BTreeMap<License, u32>,
    /// API tokens the emulator accepts.
    #[serde(default)]
    pub tokens: Vec<SeedToken>,
    pub users: Vec<SeedUser>,
    #[serde(default)]
    pub workspaces: Vec<SeedWorkspace>,
    /// JSON written over objects as the emulator serves them, by object: `rule:<workspace>/<name>`,
    /// `distribution:<workspace>/<name>`, `team:<workspace>/<name>`, `user:<email>`,
    /// `settings:<workspace>`, `meetingType:<workspace>/<name>`, `reminder:<workspace>/<name>`
    /// or `link:<workspace>/<slug>`. Each key of an overlay is a dot path (`licenses.tier`) whose value
    /// replaces what is served there (`null` removes it). For seeding what a newer API sends:
    /// variants, values and fields scoville does not know (docs/sandbox.md).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub overlays: BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
}

/// An API token: `Authorization: Bearer <secret>`; writes are recorded as `apikey/<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedToken {
    pub id: String,
    pub secret: String,
    /// Permission names such as `team.read`; `*` grants every permission.
    pub permissions: Vec<String>,
}

/// A user of the org.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedUser {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub super_admin: bool,
    #[serde(default)]
    pub licenses: Vec<License>,
    /// The name of a workspace of the seed that is this user's personal workspace (served as
    /// `personalWorkspaceId`; scheduling links cannot be created there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_workspace: Option<String>,
}

/// A workspace with its members, teams, distributions, rules and distribution settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedWorkspace {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emoji: Option<String>,
    /// Member emails.
    #[serde(default)]
    pub members: Vec<String>,
    /// Distribution settings; `default_workspace_settings()` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<WorkspaceSettings>,
    #[serde(default)]
    pub teams: Vec<SeedTeam>,
    #[serde(default)]
    pub distributions: Vec<SeedDistribution>,
    #[serde(default)]
    pub rules: Vec<SeedRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reminders: Vec<SeedReminder>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meeting_types: Vec<SeedMeetingType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scheduling_links: Vec<SeedLink>,
}

/// A team; members must be members of the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedTeam {
    pub name: String,
    /// Member emails.
    #[serde(default)]
    pub members: Vec<String>,
}

/// A distribution drawing from a team of the same workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedDistribution {
    pub name: String,
    /// Team name.
    pub team: String,
    pub assignment: SeedAssignment,
    /// Weight by member email (0..=10000).
    #[serde(default)]
    pub weights: BTreeMap<String, u32>,
    /// Manual calibration by member email.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub calibration: BTreeMap<String, i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capping: Option<SeedCapping>,
}

/// `assignmentTypeConfig` with meeting caps by email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum SeedAssignment {
    Record {
        handling: RecordHandling,
    },
    Meeting {
        handling: MeetingHandling,
        limits: SeedMeetingLimit,
    },
    Conversation,
}

/// Meeting limits with caps by email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum SeedMeetingLimit {
    MeetingLimitUnset,
    MeetingLimitSet {
        #[serde(rename = "userCaps", default)]
        user_caps: BTreeMap<String, u32>,
        #[serde(rename = "resetPeriodicity")]
        reset_periodicity: MeetingLimitReset,
    },
}

/// Capping with caps by email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedCapping {
    #[serde(default)]
    pub user_caps: BTreeMap<String, u32>,
    pub reset_periodicity: CappingReset,
}

/// A routing rule. `conditions` is the API's condition tree; a `teamId` inside an
/// `OwnershipCondition` names a team of the same workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedRule {
    pub name: String,
    #[serde(default)]
    pub kind: SeedRuleKind,
    /// Team name (ownership rules only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    pub conditions: Condition,
}

/// Whether a rule resolves a record owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum SeedRuleKind {
    #[default]
    Standard,
    Ownership,
}

/// The demo org of `examples/demo-org.json` (Acme Corp), used by `sandbox serve` and `--sandbox`.
pub fn demo_seed() -> Seed {
    serde_json::from_str(DEMO_ORG_JSON).expect("examples/demo-org.json is a valid seed")
}

/// The text of `examples/demo-org.json`.
pub const DEMO_ORG_JSON: &str = include_str!("../../examples/demo-org.json");

/// The demo token with every permission (an obviously fake secret).
pub const DEMO_ADMIN_TOKEN: &str = "scoville-demo-admin-token";
/// The demo token with only the `.read` permissions.
pub const DEMO_READONLY_TOKEN: &str = "scoville-demo-readonly-token";

/// Every permission some operation needs, in `ops::ALL` order without repeats.
pub fn all_permissions() -> Vec<String> {
    let mut seen = BTreeSet::new();
    ops::ALL
        .iter()
        .filter(|op| seen.insert(op.permission))
        .map(|op| op.permission.to_string())
        .collect()
}

/// Every `.read` permission: what a plan needs.
pub fn read_permissions() -> Vec<String> {
    all_permissions()
        .into_iter()
        .filter(|permission| permission.ends_with(".read"))
        .collect()
}

/// The settings a seeded workspace gets when the seed names none (the demo org's).
pub fn default_workspace_settings() -> WorkspaceSettings {
    WorkspaceSettings {
        calibrate_vacation: true,
        credit_back_cancelled: true,
        credit_back_no_show: false,
        order_if_equal_state: OrderIfEqualState::AsConfigured,
        reset_periodicity: WorkspaceResetPeriodicity::Monthly {
            time_zone: "America/New_York".to_string(),
        },
        vacation_buffer: VacationBuffer {
            days_before_start: 1,
            days_before_end: 0,
            recognition_enabled: true,
            freshness: VacationFreshness::Cached,
        },
    }
}

/// Shape of a generated org, for tests and benchmarks that need many objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneratedOrg {
    pub n_users: usize,
    pub n_workspaces: usize,
    pub n_teams_per_workspace: usize,
    pub n_members_per_team: usize,
    pub n_distributions_per_workspace: usize,
    pub n_rules_per_workspace: usize,
}

impl Default for GeneratedOrg {
    fn default() -> Self {
        GeneratedOrg {
            n_users: 500,
            n_workspaces: 5,
            n_teams_per_workspace: 10,
            n_members_per_team: 8,
            n_distributions_per_workspace: 5,
            n_rules_per_workspace: 5,
        }
    }
}

impl Seed {
    /// A large org: `n_users` users `user00001@big.example`..., spread round-robin over the
    /// workspaces; teams take consecutive workspace members; every license type has a seat per
    /// user; the two demo tokens. Deterministic: the same shape gives the same seed.
    pub fn generated(shape: GeneratedOrg) -> Seed {
        let users: Vec<SeedUser> = (1..=shape.n_users)
            .map(|n| SeedUser {
                name: format!("User {n:05}"),
                email: format!("user{n:05}@big.example"),
                super_admin: n == 1,
                licenses: if n % 2 == 0 {
                    vec![License::Distro, License::ChiliCalOrg]
                } else {
                    vec![License::ChiliCalOrg]
                },
                personal_workspace: None,
            })
            .collect();
        let n_workspaces = shape.n_workspaces.max(1);
        let workspaces = (0..shape.n_workspaces)
            .map(|w| {
                let members: Vec<String> = users
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % n_workspaces == w)
                    .map(|(_, u)| u.email.clone())
                    .collect();
                let teams: Vec<SeedTeam> = (0..shape.n_teams_per_workspace)
                    .map(|t| SeedTeam {
                        name: format!("team-{w:02}-{t:03}"),
                        members: if members.is_empty() {
                            Vec::new()
                        } else {
                            (0..shape.n_members_per_team.min(members.len()))
                                .map(|k| {
                                    members[(t * shape.n_members_per_team + k) % members.len()]
                                        .clone()
                                })
                                .collect::<BTreeSet<_>>()
                                .into_iter()
                                .collect()
                        },
                    })
                    .collect();
                let distributions = (0..shape.n_distributions_per_workspace)
                    .filter_map(|d| {
                        let team = teams.get(d % teams.len().max(1))?;
                        Some(SeedDistribution {
                            name: format!("distribution-{w:02}-{d:03}"),
                            team: team.name.clone(),
                            assignment: SeedAssignment::Record {
                                handling: RecordHandling::Strict,
                            },
                            weights: team.members.iter().map(|m| (m.clone(), 100)).collect(),
                            calibration: BTreeMap::new(),
                            capping: None,
                        })
                    })
                    .collect();
                let rules = (0..shape.n_rules_per_workspace)
                    .map(|r| SeedRule {
                        name: format!("rule-{w:02}-{r:03}"),
                        kind: SeedRuleKind::Standard,
                        team: None,
                        conditions: Condition::ConditionGroup {
                            id: format!("group-{w}-{r}"),
                            name: None,
                            operator: crate::model::LogicalOperator::And,
                            conditions: vec![Condition::StaticValueCondition {
                                condition_id: format!("condition-{w}-{r}"),
                                data_reference: crate::model::DataReference {
                                    source: crate::model::DataSource::SF,
                                    object: "Lead".to_string(),
                                    field: "Country".to_string(),
                                },
                                operator: crate::model::Operator::Equal,
                                value: serde_json::Value::String(format!("C{r}")),
                            }],
                        },
                    })
                    .collect();
                SeedWorkspace {
                    name: format!("Workspace {w:02}"),
                    emoji: None,
                    members,
                    settings: None,
                    teams,
                    distributions,
                    rules,
                    reminders: Vec::new(),
                    meeting_types: Vec::new(),
                    scheduling_links: Vec::new(),
                }
            })
            .collect();
        let seats_each = u32::try_from(shape.n_users).unwrap_or(u32::MAX);
        Seed {
            tenant: TenantInfo::Organization {
                tenant_data: TenantData {
                    tenant_id: "big-org.app1".to_string(),
                    cluster: "app1".to_string(),
                    subdomain: "big-org".to_string(),
                },
                domains: vec!["big.example".to_string()],
            },
            seats: License::ALL.iter().map(|l| (*l, seats_each)).collect(),
            tokens: demo_tokens(),
            users,
            workspaces,
            overlays: BTreeMap::new(),
        }
    }

    /// The user seed with this email, if any.
    pub fn user(&self, email: &str) -> Option<&SeedUser> {
        self.users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
    }
}

/// The demo org's two tokens (also given to generated orgs).
pub fn demo_tokens() -> Vec<SeedToken> {
    vec![
        SeedToken {
            id: "demo-admin".to_string(),
            secret: DEMO_ADMIN_TOKEN.to_string(),
            permissions: all_permissions(),
        },
        SeedToken {
            id: "demo-readonly".to_string(),
            secret: DEMO_READONLY_TOKEN.to_string(),
            permissions: read_permissions(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_seed_parses_and_has_the_demo_org() {
        let seed = demo_seed();
        assert_eq!(seed.users.len(), 25);
        assert_eq!(seed.workspaces.len(), 3);
        assert_eq!(seed.tokens.len(), 2);
        assert_eq!(seed.tokens[0].permissions, all_permissions());
        assert_eq!(seed.tokens[1].permissions, read_permissions());
    }

    #[test]
    fn generated_seed_has_the_requested_shape() {
        let seed = Seed::generated(GeneratedOrg {
            n_users: 250,
            ..GeneratedOrg::default()
        });
        assert_eq!(seed.users.len(), 250);
        assert_eq!(seed.workspaces.len(), 5);
        assert_eq!(seed.workspaces[0].members.len(), 50);
        assert_eq!(seed.workspaces[0].teams.len(), 10);
    }
}
