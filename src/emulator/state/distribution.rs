//! Distributions: list, create (not idempotent), update (replaces the config), delete.

use std::collections::BTreeSet;

use crate::edge::wire::{
    AssignmentType, AssignmentTypeConfig, CreateDistributionResponse, Distribution,
    DistributionConfig, DistributionState, DistributionWriteRequest, MeetingLimit, Page,
    Prioritization, TeamRef,
};
use crate::model::MAX_WEIGHT;

use super::super::error::ApiError;
use super::super::pagination::PageRequest;
use super::{Actor, IdKind, OrgState, created_metadata, first_duplicate, touch};

/// The filters of distribution-list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DistributionFilter {
    pub workspace_ids: Option<Vec<String>>,
    /// Case-insensitive substring of the name.
    pub name: Option<String>,
    pub assignment_type: Option<AssignmentType>,
}

fn assignment_type(config: &AssignmentTypeConfig) -> AssignmentType {
    match config {
        AssignmentTypeConfig::Record { .. } => AssignmentType::Record,
        AssignmentTypeConfig::Meeting { .. } => AssignmentType::Meeting,
        AssignmentTypeConfig::Conversation => AssignmentType::Conversation,
    }
}

impl DistributionFilter {
    fn matches(&self, config: &DistributionConfig) -> bool {
        let in_workspace = self
            .workspace_ids
            .as_ref()
            .is_none_or(|ids| ids.contains(&config.workspace_id));
        let named = self.name.as_ref().is_none_or(|name| {
            config
                .name
                .as_deref()
                .unwrap_or_default()
                .to_lowercase()
                .contains(&name.to_lowercase())
        });
        let typed = self
            .assignment_type
            .is_none_or(|t| t == assignment_type(&config.assignment_type_config));
        in_workspace && named && typed
    }
}

fn zero_statistics() -> serde_json::Value {
    serde_json::json!({
        "assigned": 0, "cancelled": 0, "noShow": 0, "reassignedToThis": 0, "reassignedFromThis": 0
    })
}

impl OrgState {
    /// A distribution as the API shows it: the published config, plus a round-robin state
    /// derived from the weights and the team's current members (no assignments are emulated,
    /// so every counter is 0).
    pub fn distribution_view(&self, config: &DistributionConfig) -> Distribution {
        let members: &[String] = self
            .teams
            .get(&config.team_ref.id)
            .map_or(&[], |team| team.members.as_slice());
        let since = &config.metadata.updated_at;
        let mut user_states = Vec::new();
        let mut queue = Vec::new();
        for weight in config.weights.iter().flatten() {
            let state = if !members.contains(&weight.user_id) {
                serde_json::json!({
                    "type": "Removed", "userId": weight.user_id, "total": 0,
                    "removedAt": since, "statistics": zero_statistics()
                })
            } else if weight.weight == 0 {
                serde_json::json!({
                    "type": "Disabled", "userId": weight.user_id, "total": 0,
                    "disabledAt": since, "statistics": zero_statistics()
                })
            } else {
                queue.push(weight.user_id.clone());
                serde_json::json!({
                    "type": "Active", "userId": weight.user_id, "total": 0,
                    "level": {"current": 0, "nextAssignmentDelta": 10000.0 / f64::from(weight.weight), "total": 0},
                    "statistics": zero_statistics()
                })
            };
            user_states.push(state);
        }
        Distribution {
            id: config.distribution_id.clone(),
            published: config.clone(),
            state: DistributionState {
                user_states,
                last_reset: None,
            },
            prioritization: Prioritization {
                queue,
                on_vacation: Vec::new(),
                reached_cap: Vec::new(),
            },
        }
    }

    /// distribution-list.
    pub fn list_distributions(
        &self,
        filter: &DistributionFilter,
        page: PageRequest,
    ) -> Page<Distribution> {
        page.paginate(
            self.distributions.values().filter(|d| filter.matches(d)),
            |config| self.distribution_view(config),
        )
    }

    /// The checks create and update share: a name, a team of the same workspace, and weights,
    /// caps and calibrations only for that team's members, each user once, weights 0..=10000.
    fn check_distribution_request(
        &self,
        request: &DistributionWriteRequest,
    ) -> Result<TeamRef, ApiError> {
        let weights = request.weights.as_deref().unwrap_or_default();
        if weights.iter().any(|w| w.weight > MAX_WEIGHT) {
            return Err(ApiError::InvalidBody);
        }
        if request.name.trim().is_empty() {
            return Err(ApiError::name_required("distribution"));
        }
        self.workspace(&request.workspace_id)?;
        let team = self.team(&request.team_id)?;
        if team.workspace_id != request.workspace_id {
            return Err(ApiError::team_not_in_workspace(
                &team.id,
                &request.workspace_id,
            ));
        }
        let meeting_caps = match &request.assignment_type_config {
            AssignmentTypeConfig::Meeting {
                limits: MeetingLimit::MeetingLimitSet { user_caps, .. },
                ..
            } => user_caps.as_slice(),
            _ => &[],
        };
        let capping_caps = request
            .capping
            .as_ref()
            .map_or(&[][..], |c| c.user_caps.as_slice());
        let calibrations = request.manual_calibration.as_deref().unwrap_or_default();
        let lists: [(&str, Vec<&str>); 4] = [
            (
                "weights",
                weights.iter().map(|w| w.user_id.as_str()).collect(),
            ),
            (
                "limits.userCaps",
                meeting_caps.iter().map(|c| c.user_id.as_str()).collect(),
            ),
            (
                "capping.userCaps",
                capping_caps.iter().map(|c| c.user_id.as_str()).collect(),
            ),
            (
                "manualCalibration",
                calibrations.iter().map(|c| c.user_id.as_str()).collect(),
            ),
        ];
        for (field, ids) in &lists {
            for id in ids {
                self.user_exists(id)?;
                if !team.members.iter().any(|m| m == id) {
                    return Err(ApiError::user_not_in_team(id, &team.id));
                }
            }
            if let Some(duplicate) = first_duplicate(ids.iter().copied()) {
                return Err(ApiError::duplicate_user(duplicate, field));
            }
        }
        Ok(TeamRef {
            id: team.id.clone(),
            revision: team.metadata.base.revision,
        })
    }

    /// distribution-create: creates and publishes; not idempotent.
    pub fn create_distribution(
        &mut self,
        actor: &Actor,
        request: &DistributionWriteRequest,
    ) -> Result<CreateDistributionResponse, ApiError> {
        let team_ref = self.check_distribution_request(request)?;
        let stamp = self.stamp(actor);
        let id = self.new_id(IdKind::Distribution);
        let config = DistributionConfig {
            distribution_id: id.clone(),
            workspace_id: request.workspace_id.clone(),
            assignment_type_config: request.assignment_type_config.clone(),
            team_ref,
            weights: request.weights.clone(),
            name: Some(request.name.clone()),
            manual_calibration: request.manual_calibration.clone(),
            capping: request.capping.clone(),
            metadata: created_metadata(&stamp),
        };
        self.distributions.insert(id.clone(), config);
        Ok(CreateDistributionResponse {
            distribution_id: id,
        })
    }

    /// distribution-update: replaces the whole published config (fields left out are gone)
    /// and bumps its revision; the workspace cannot change.
    pub fn update_distribution(
        &mut self,
        actor: &Actor,
        distribution_id: &str,
        request: &DistributionWriteRequest,
    ) -> Result<CreateDistributionResponse, ApiError> {
        let existing = self.distributions.get(distribution_id).ok_or_else(|| {
            ApiError::not_found("distribution", "distributionId", distribution_id)
        })?;
        if existing.workspace_id != request.workspace_id {
            return Err(ApiError::workspace_mismatch(
                "distribution",
                distribution_id,
                &existing.workspace_id,
            ));
        }
        let team_ref = self.check_distribution_request(request)?;
        let stamp = self.stamp(actor);
        let config = self
            .distributions
            .get_mut(distribution_id)
            .expect("checked above");
        config.assignment_type_config = request.assignment_type_config.clone();
        config.team_ref = team_ref;
        config.weights = request.weights.clone();
        config.name = Some(request.name.clone());
        config.manual_calibration = request.manual_calibration.clone();
        config.capping = request.capping.clone();
        touch(&mut config.metadata, &stamp);
        Ok(CreateDistributionResponse {
            distribution_id: distribution_id.to_string(),
        })
    }

    /// distribution-delete: permanent; refused (409 `DistributionInUse`) while a scheduling link
    /// routes to it.
    pub fn delete_distribution(
        &mut self,
        actor: &Actor,
        distribution_id: &str,
    ) -> Result<(), ApiError> {
        if !self.distributions.contains_key(distribution_id) {
            return Err(ApiError::not_found(
                "distribution",
                "distributionId",
                distribution_id,
            ));
        }
        if let Some(link) = self.link_using_distribution(distribution_id) {
            return Err(ApiError::in_use(
                "DistributionInUse",
                "distribution",
                distribution_id,
                &link.link_id,
            ));
        }
        self.stamp(actor);
        self.distributions.remove(distribution_id);
        Ok(())
    }

    /// Out-of-band weight edit (control surface): sets the given users' weights, keeping the
    /// others, as a person moving sliders in the UI would.
    pub fn set_distribution_weights(
        &mut self,
        actor: &Actor,
        distribution_id: &str,
        weights: &[crate::edge::wire::UserWeight],
    ) -> Result<Distribution, ApiError> {
        let config = self.distributions.get(distribution_id).ok_or_else(|| {
            ApiError::not_found("distribution", "distributionId", distribution_id)
        })?;
        let mut request = DistributionWriteRequest {
            team_id: config.team_ref.id.clone(),
            workspace_id: config.workspace_id.clone(),
            assignment_type_config: config.assignment_type_config.clone(),
            weights: config.weights.clone(),
            manual_calibration: config.manual_calibration.clone(),
            capping: config.capping.clone(),
            name: config.name.clone().unwrap_or_default(),
        };
        let merged = request.weights.get_or_insert_with(Vec::new);
        let mut seen = BTreeSet::new();
        for weight in weights {
            if !seen.insert(weight.user_id.clone()) {
                return Err(ApiError::duplicate_user(&weight.user_id, "weights"));
            }
            match merged.iter_mut().find(|w| w.user_id == weight.user_id) {
                Some(existing) => existing.weight = weight.weight,
                None => merged.push(weight.clone()),
            }
        }
        self.update_distribution(actor, distribution_id, &request)?;
        Ok(self.distribution_view(&self.distributions[distribution_id]))
    }
}
