//! Turning a `Seed` (emails and names) into an `OrgState` (ids and metadata).

use std::collections::{BTreeMap, BTreeSet};

use crate::edge::wire::{
    AssignmentTypeConfig, Condition, DistributedAssignmentLimit, DistributionConfig, MeetingLimit,
    Metadata, Rule, RuleBody, RuleBuilderVersion, Team, TeamMembersMetadata, TeamMetadata, TeamRef,
    User, UserCalibration, UserLicenses, UserLimit, UserWeight, Workspace,
};
use crate::model::{License, MAX_WEIGHT};

use super::super::clock::{self, ClockMode};
use super::super::seed::{
    Seed, SeedAssignment, SeedDistribution, SeedMeetingLimit, SeedRuleKind,
    default_workspace_settings,
};
use super::{IdKind, OrgState, StoredRule};

/// Why a seed cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeedError {
    #[error(
        "the overlay `{key}` names no object of the seed: use `rule:<workspace>/<name>`, `distribution:<workspace>/<name>`, `team:<workspace>/<name>`, `user:<email>`, `settings:<workspace>`, `meetingType:<workspace>/<name>`, `reminder:<workspace>/<name>` or `link:<workspace>/<slug>`"
    )]
    UnknownOverlayTarget { key: String },
    #[error("the seed lists the email `{email}` twice: give each user one entry")]
    DuplicateEmail { email: String },
    #[error("`{email}` in {place} is not a user of the seed: add it to `users` or fix the typo")]
    UnknownEmail { email: String, place: String },
    #[error(
        "`{email}` is in team `{team}` but not in workspace `{workspace}`: add it to the workspace's members"
    )]
    TeamMemberOutsideWorkspace {
        email: String,
        team: String,
        workspace: String,
    },
    #[error("team `{team}` named in {place} is not a team of workspace `{workspace}`")]
    UnknownTeam {
        team: String,
        workspace: String,
        place: String,
    },
    #[error(
        "`{email}` in {place} is not a member of team `{team}`: only team members get weights and caps"
    )]
    NotATeamMember {
        email: String,
        team: String,
        place: String,
    },
    #[error("weight {weight} for `{email}` in {place} is above {MAX_WEIGHT}")]
    WeightTooLarge {
        email: String,
        weight: u32,
        place: String,
    },
    #[error("the seed names workspace `{name}` twice: workspace names are unique")]
    DuplicateWorkspace { name: String },
    #[error("two tokens of the seed share a secret or an id (`{id}`): give each its own")]
    DuplicateToken { id: String },
    #[error("workspace `{workspace}` named in {place} is not a workspace of the seed")]
    UnknownWorkspace { workspace: String, place: String },
    #[error("{kind} `{name}` named in {place} is not a {kind} of workspace `{workspace}`")]
    UnknownName {
        kind: String,
        name: String,
        workspace: String,
        place: String,
    },
    #[error("{place} cannot be seeded: {problem}")]
    InvalidBooking { place: String, problem: String },
    #[error(
        "the condition tree of rule `{rule}` has an empty group or an ownership condition in a standard rule"
    )]
    InvalidConditions { rule: String },
}

/// Ids of the seed's users by lowercase email.
pub(super) type UserIds = BTreeMap<String, String>;

pub(super) fn user_id<'a>(
    ids: &'a UserIds,
    email: &str,
    place: &str,
) -> Result<&'a str, SeedError> {
    ids.get(&email.to_lowercase())
        .map(String::as_str)
        .ok_or_else(|| SeedError::UnknownEmail {
            email: email.to_string(),
            place: place.to_string(),
        })
}

fn licenses_of(licenses: &[License]) -> UserLicenses {
    let has = |license: License| licenses.contains(&license);
    UserLicenses {
        distro: has(License::Distro),
        chili_cal_org: has(License::ChiliCalOrg),
        concierge: has(License::Concierge),
        concierge_live: has(License::ConciergeLive),
        chat: has(License::Chat),
        handoff: has(License::Handoff),
        tier: None,
        unknown_fields: Vec::new(),
    }
}

impl OrgState {
    /// Builds the org a seed describes. Every seeded object is created at the clock's start by
    /// the seed's first super admin (or first user), revision 1.
    pub fn from_seed(seed: &Seed, clock_mode: ClockMode) -> Result<OrgState, SeedError> {
        let mut state = OrgState {
            tenant: seed.tenant.clone(),
            seats: seed.seats.clone(),
            tokens: seed.tokens.clone(),
            users: BTreeMap::new(),
            workspaces: BTreeMap::new(),
            workspace_settings: BTreeMap::new(),
            teams: BTreeMap::new(),
            distributions: BTreeMap::new(),
            rules: BTreeMap::new(),
            meeting_types: BTreeMap::new(),
            reminders: BTreeMap::new(),
            links: BTreeMap::new(),
            idempotency_keys: BTreeMap::new(),
            overlays: BTreeMap::new(),
            next_id: 0,
            n_changes: 0,
            clock: clock_mode,
        };
        let mut token_keys = BTreeSet::new();
        for token in &seed.tokens {
            if !token_keys.insert(token.id.clone()) || !token_keys.insert(token.secret.clone()) {
                return Err(SeedError::DuplicateToken {
                    id: token.id.clone(),
                });
            }
        }

        let mut ids = UserIds::new();
        for seed_user in &seed.users {
            let email = seed_user.email.to_lowercase();
            if ids.contains_key(&email) {
                return Err(SeedError::DuplicateEmail { email });
            }
            let id = state.new_id(IdKind::User);
            ids.insert(email, id.clone());
            state.users.insert(
                id.clone(),
                User {
                    id,
                    name: seed_user.name.clone(),
                    email: seed_user.email.to_lowercase(),
                    is_super_admin: seed_user.super_admin,
                    licenses: licenses_of(&seed_user.licenses),
                    workspaces: Vec::new(),
                    managed_workspaces: Vec::new(),
                    managed_teams: Vec::new(),
                    slug: None,
                    salesforce: None,
                    hubspot: None,
                    personal_workspace_id: None,
                },
            );
        }

        let creator = seed
            .users
            .iter()
            .find(|u| u.super_admin)
            .or(seed.users.first())
            .and_then(|u| ids.get(&u.email.to_lowercase()))
            .map_or_else(|| "user/seed".to_string(), |id| format!("user/{id}"));
        let at = clock::timestamp(clock_mode, 0);
        let metadata = Metadata {
            created_at: at.clone(),
            created_by: creator.clone(),
            updated_at: at.clone(),
            updated_by: creator,
            revision: 1,
        };

        let mut workspace_names = BTreeSet::new();
        for seed_workspace in &seed.workspaces {
            if !workspace_names.insert(seed_workspace.name.clone()) {
                return Err(SeedError::DuplicateWorkspace {
                    name: seed_workspace.name.clone(),
                });
            }
            let workspace_id = state.new_id(IdKind::Workspace);
            state.workspaces.insert(
                workspace_id.clone(),
                Workspace {
                    id: workspace_id.clone(),
                    name: seed_workspace.name.clone(),
                    emoji: seed_workspace.emoji.clone(),
                    logo: None,
                    metadata: metadata.clone(),
                },
            );
            state.workspace_settings.insert(
                workspace_id.clone(),
                seed_workspace
                    .settings
                    .clone()
                    .unwrap_or_else(default_workspace_settings),
            );
            let place = format!("the members of workspace `{}`", seed_workspace.name);
            let mut members = BTreeSet::new();
            for email in &seed_workspace.members {
                let id = user_id(&ids, email, &place)?.to_string();
                members.insert(email.to_lowercase());
                let user = state.users.get_mut(&id).expect("seeded user exists");
                if !user.workspaces.contains(&workspace_id) {
                    user.workspaces.push(workspace_id.clone());
                    user.workspaces.sort();
                }
            }

            let mut team_ids = BTreeMap::new();
            for seed_team in &seed_workspace.teams {
                let place = format!("team `{}`", seed_team.name);
                let mut team_members = Vec::new();
                for email in &seed_team.members {
                    let id = user_id(&ids, email, &place)?.to_string();
                    if !members.contains(&email.to_lowercase()) {
                        return Err(SeedError::TeamMemberOutsideWorkspace {
                            email: email.clone(),
                            team: seed_team.name.clone(),
                            workspace: seed_workspace.name.clone(),
                        });
                    }
                    if !team_members.contains(&id) {
                        team_members.push(id);
                    }
                }
                let team_id = state.new_id(IdKind::Team);
                team_ids.insert(seed_team.name.clone(), team_id.clone());
                let added_at = team_members
                    .iter()
                    .map(|id| (id.clone(), at.clone()))
                    .collect();
                state.teams.insert(
                    team_id.clone(),
                    Team {
                        id: team_id,
                        workspace_id: workspace_id.clone(),
                        name: seed_team.name.clone(),
                        members: team_members,
                        metadata: TeamMetadata {
                            base: metadata.clone(),
                            team_members_metadata: Some(TeamMembersMetadata { added_at }),
                        },
                    },
                );
            }

            for seed_distribution in &seed_workspace.distributions {
                let config = state.distribution_from_seed(
                    seed_distribution,
                    &seed_workspace.name,
                    &workspace_id,
                    &team_ids,
                    &ids,
                    &metadata,
                )?;
                state
                    .distributions
                    .insert(config.distribution_id.clone(), config);
            }

            for seed_rule in &seed_workspace.rules {
                let team_of = |name: &str, place: &str| {
                    team_ids
                        .get(name)
                        .cloned()
                        .ok_or_else(|| SeedError::UnknownTeam {
                            team: name.to_string(),
                            workspace: seed_workspace.name.clone(),
                            place: place.to_string(),
                        })
                };
                let place = format!("rule `{}`", seed_rule.name);
                let ownership = seed_rule.kind == SeedRuleKind::Ownership;
                if !OrgState::conditions_are_valid(&seed_rule.conditions, ownership) {
                    return Err(SeedError::InvalidConditions {
                        rule: seed_rule.name.clone(),
                    });
                }
                let team_id = match (&seed_rule.team, ownership) {
                    (Some(name), true) => Some(team_of(name, &place)?),
                    _ => None,
                };
                let mut conditions = seed_rule.conditions.clone();
                resolve_condition_teams(&mut conditions, &|name| team_of(name, &place))?;
                let rule_id = state.new_id(IdKind::Rule);
                let body = RuleBody {
                    id: rule_id.clone(),
                    workspace_id: workspace_id.clone(),
                    team_id,
                    assignment_table_id: None,
                    name: seed_rule.name.clone(),
                    conditions,
                    rule_builder_version: RuleBuilderVersion::ExplicitV1,
                    product: None,
                    metadata: metadata.clone(),
                };
                let rule = if ownership {
                    Rule::OwnershipRule(body)
                } else {
                    Rule::NonOwnershipRule(body)
                };
                state.rules.insert(
                    rule_id,
                    StoredRule {
                        rule,
                        deleted: None,
                    },
                );
            }
        }
        state.booking_from_seed(seed, &ids)?;
        for (key, overlay) in &seed.overlays {
            let id = state.overlay_target(key)?;
            state.overlays.insert(id, overlay.clone());
        }
        Ok(state)
    }

    /// The served object an overlay key of the seed names (`rule:<workspace>/<name>` ...), as
    /// the key `OrgState::overlays` uses (`rule/<id>` ...).
    fn overlay_target(&self, key: &str) -> Result<String, SeedError> {
        let unknown = || SeedError::UnknownOverlayTarget {
            key: key.to_string(),
        };
        let (kind, name) = key.split_once(':').ok_or_else(unknown)?;
        let workspace_id = |workspace: &str| {
            self.workspaces
                .values()
                .find(|w| w.name == workspace)
                .map(|w| w.id.clone())
        };
        let in_workspace = || {
            let (workspace, object) = name.split_once('/')?;
            Some((workspace_id(workspace)?, object))
        };
        let found = match kind {
            "user" => self
                .users
                .values()
                .find(|u| u.email.eq_ignore_ascii_case(name))
                .map(|u| format!("user/{}", u.id)),
            "settings" => workspace_id(name).map(|id| format!("settings/{id}")),
            "team" => in_workspace().and_then(|(w, object)| {
                self.teams
                    .values()
                    .find(|t| t.workspace_id == w && t.name == object)
                    .map(|t| format!("team/{}", t.id))
            }),
            "distribution" => in_workspace().and_then(|(w, object)| {
                self.distributions
                    .values()
                    .find(|d| d.workspace_id == w && d.name.as_deref() == Some(object))
                    .map(|d| format!("distribution/{}", d.distribution_id))
            }),
            "meetingType" => in_workspace().and_then(|(w, object)| {
                self.meeting_types
                    .values()
                    .map(|stored| &stored.meeting_type)
                    .find(|m| m.workspace_id == w && m.name == object)
                    .map(|m| format!("meetingType/{}", m.id))
            }),
            "reminder" => in_workspace().and_then(|(w, object)| {
                self.reminders
                    .values()
                    .find(|r| r.workspace_id == w && r.name == object)
                    .map(|r| format!("reminder/{}", r.id))
            }),
            "link" => in_workspace().and_then(|(w, object)| {
                self.links
                    .values()
                    .find(|l| l.workspace_id == w && l.slug == object)
                    .map(|l| format!("link/{}", l.link_id))
            }),
            "rule" => in_workspace().and_then(|(w, object)| {
                self.rules
                    .values()
                    .map(|stored| stored.rule.body())
                    .find(|r| r.workspace_id == w && r.name == object)
                    .map(|r| format!("rule/{}", r.id))
            }),
            _ => None,
        };
        found.ok_or_else(unknown)
    }

    fn distribution_from_seed(
        &mut self,
        seed_distribution: &SeedDistribution,
        workspace_name: &str,
        workspace_id: &str,
        team_ids: &BTreeMap<String, String>,
        ids: &UserIds,
        metadata: &Metadata,
    ) -> Result<DistributionConfig, SeedError> {
        let place = format!("distribution `{}`", seed_distribution.name);
        let team_id =
            team_ids
                .get(&seed_distribution.team)
                .ok_or_else(|| SeedError::UnknownTeam {
                    team: seed_distribution.team.clone(),
                    workspace: workspace_name.to_string(),
                    place: place.clone(),
                })?;
        let team = &self.teams[team_id];
        let member = |email: &str| -> Result<String, SeedError> {
            let id = user_id(ids, email, &place)?;
            if team.members.iter().any(|m| m == id) {
                Ok(id.to_string())
            } else {
                Err(SeedError::NotATeamMember {
                    email: email.to_string(),
                    team: team.name.clone(),
                    place: place.clone(),
                })
            }
        };
        // Weights follow the team's member order, which is how the UI shows them.
        let mut weights = Vec::new();
        for (email, weight) in &seed_distribution.weights {
            if *weight > MAX_WEIGHT {
                return Err(SeedError::WeightTooLarge {
                    email: email.clone(),
                    weight: *weight,
                    place: place.clone(),
                });
            }
            weights.push(UserWeight {
                user_id: member(email)?,
                weight: *weight,
            });
        }
        weights.sort_by_key(|w| team.members.iter().position(|m| *m == w.user_id));
        let user_limits = |caps: &BTreeMap<String, u32>| -> Result<Vec<UserLimit>, SeedError> {
            caps.iter()
                .map(|(email, limit)| {
                    Ok(UserLimit {
                        user_id: member(email)?,
                        limit: *limit,
                    })
                })
                .collect()
        };
        let assignment_type_config = match &seed_distribution.assignment {
            SeedAssignment::Record { handling } => AssignmentTypeConfig::Record {
                handling: handling.clone(),
            },
            SeedAssignment::Meeting { handling, limits } => AssignmentTypeConfig::Meeting {
                handling: handling.clone(),
                limits: match limits {
                    SeedMeetingLimit::MeetingLimitUnset => MeetingLimit::MeetingLimitUnset,
                    SeedMeetingLimit::MeetingLimitSet {
                        user_caps,
                        reset_periodicity,
                    } => MeetingLimit::MeetingLimitSet {
                        user_caps: user_limits(user_caps)?,
                        reset_periodicity: reset_periodicity.clone(),
                    },
                },
            },
            SeedAssignment::Conversation => AssignmentTypeConfig::Conversation,
        };
        let manual_calibration = if seed_distribution.calibration.is_empty() {
            None
        } else {
            Some(
                seed_distribution
                    .calibration
                    .iter()
                    .map(|(email, calibration)| {
                        Ok(UserCalibration {
                            user_id: member(email)?,
                            calibration: *calibration,
                        })
                    })
                    .collect::<Result<Vec<_>, SeedError>>()?,
            )
        };
        let capping = match &seed_distribution.capping {
            None => None,
            Some(capping) => Some(DistributedAssignmentLimit {
                user_caps: user_limits(&capping.user_caps)?,
                reset_periodicity: capping.reset_periodicity.clone(),
            }),
        };
        let team_ref = TeamRef {
            id: team.id.clone(),
            revision: team.metadata.base.revision,
        };
        let distribution_id = self.new_id(IdKind::Distribution);
        Ok(DistributionConfig {
            distribution_id,
            workspace_id: workspace_id.to_string(),
            assignment_type_config,
            team_ref,
            weights: Some(weights),
            name: Some(seed_distribution.name.clone()),
            manual_calibration,
            capping,
            metadata: metadata.clone(),
        })
    }
}

/// Replaces team names in ownership conditions by team ids.
fn resolve_condition_teams(
    condition: &mut Condition,
    team_of: &dyn Fn(&str) -> Result<String, SeedError>,
) -> Result<(), SeedError> {
    match condition {
        Condition::ConditionGroup { conditions, .. } => conditions
            .iter_mut()
            .try_for_each(|c| resolve_condition_teams(c, team_of)),
        Condition::OwnershipCondition {
            team_id: Some(name),
            ..
        } => {
            *name = team_of(name)?;
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::seed::demo_seed;

    #[test]
    fn demo_seed_loads() {
        let state = OrgState::from_seed(&demo_seed(), ClockMode::Deterministic).unwrap();
        assert_eq!(state.users.len(), 25);
        assert_eq!(state.workspaces.len(), 3);
        assert_eq!(state.teams.len(), 6);
        assert_eq!(state.distributions.len(), 4);
        assert_eq!(state.rules.len(), 5);
        let ava = state.users.values().next().unwrap();
        assert_eq!(ava.email, "ava.thompson@acme.example");
        assert_eq!(ava.workspaces.len(), 3);
        assert_eq!(ava.id, "75736572-0000-4000-8000-000000000001");
    }

    #[test]
    fn team_member_outside_workspace_is_refused() {
        let mut seed = demo_seed();
        seed.workspaces[0].teams[0]
            .members
            .push("james.oconnor@acme.example".to_string());
        assert!(matches!(
            OrgState::from_seed(&seed, ClockMode::Deterministic),
            Err(SeedError::TeamMemberOutsideWorkspace { .. })
        ));
    }
}
