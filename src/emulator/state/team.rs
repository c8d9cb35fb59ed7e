//! Teams: listing, create (not idempotent), membership (idempotent), delete.

use crate::edge::wire::{
    CreateTeamRequest, Page, Team, TeamMembersMetadata, TeamMetadata, TeamUsersRequest,
};

use super::super::error::ApiError;
use super::super::pagination::PageRequest;
use super::{Actor, IdKind, OrgState, created_metadata, require_non_empty, touch};

/// The filters of team-list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamFilter {
    /// Teams of any of these workspaces.
    pub workspace_ids: Option<Vec<String>>,
    /// Case-insensitive substring of the team name.
    pub name: Option<String>,
    /// Teams that contain all of these users.
    pub member: Option<Vec<String>>,
}

impl TeamFilter {
    fn matches(&self, team: &Team) -> bool {
        let in_workspace = self
            .workspace_ids
            .as_ref()
            .is_none_or(|ids| ids.contains(&team.workspace_id));
        let named = self
            .name
            .as_ref()
            .is_none_or(|name| team.name.to_lowercase().contains(&name.to_lowercase()));
        let has_members = self
            .member
            .as_ref()
            .is_none_or(|members| members.iter().all(|m| team.members.contains(m)));
        in_workspace && named && has_members
    }
}

impl OrgState {
    /// team-list.
    pub fn list_teams(&self, filter: &TeamFilter, page: PageRequest) -> Page<Team> {
        page.paginate(
            self.teams.values().filter(|team| filter.matches(team)),
            Clone::clone,
        )
    }

    /// team-create: always a new team, even when one of that name exists (not idempotent).
    pub fn create_team(
        &mut self,
        actor: &Actor,
        request: &CreateTeamRequest,
    ) -> Result<Team, ApiError> {
        self.workspace(&request.workspace_id)?;
        if request.name.trim().is_empty() {
            return Err(ApiError::name_required("team"));
        }
        let mut members: Vec<String> = Vec::new();
        for id in request.members.iter().flatten() {
            self.user_exists(id)?;
            if !self.is_workspace_member(id, &request.workspace_id) {
                return Err(ApiError::user_not_in_workspace(id, &request.workspace_id));
            }
            if !members.contains(id) {
                members.push(id.clone());
            }
        }
        let stamp = self.stamp(actor);
        let id = self.new_id(IdKind::Team);
        let added_at = members
            .iter()
            .map(|m| (m.clone(), stamp.at.clone()))
            .collect();
        let team = Team {
            id: id.clone(),
            workspace_id: request.workspace_id.clone(),
            name: request.name.clone(),
            members,
            metadata: TeamMetadata {
                base: created_metadata(&stamp),
                team_members_metadata: Some(TeamMembersMetadata { added_at }),
            },
        };
        self.teams.insert(id, team.clone());
        Ok(team)
    }

    /// team-add-users: idempotent, members are skipped; users must be workspace members.
    pub fn team_add_users(
        &mut self,
        actor: &Actor,
        request: &TeamUsersRequest,
    ) -> Result<Team, ApiError> {
        require_non_empty(&request.user_ids)?;
        let team = self.team(&request.team_id)?;
        self.all_users_exist(&request.user_ids)?;
        let mut to_add: Vec<String> = Vec::new();
        for id in &request.user_ids {
            if team.members.contains(id) || to_add.contains(id) {
                continue;
            }
            if !self.is_workspace_member(id, &team.workspace_id) {
                return Err(ApiError::user_not_in_workspace(id, &team.workspace_id));
            }
            to_add.push(id.clone());
        }
        if to_add.is_empty() {
            return Ok(team.clone());
        }
        let stamp = self.stamp(actor);
        let team = self.teams.get_mut(&request.team_id).expect("checked above");
        let added_at = &mut team
            .metadata
            .team_members_metadata
            .get_or_insert_with(TeamMembersMetadata::default)
            .added_at;
        for id in to_add {
            added_at.insert(id.clone(), stamp.at.clone());
            team.members.push(id);
        }
        touch(&mut team.metadata.base, &stamp);
        Ok(team.clone())
    }

    /// team-remove-users: idempotent, non-members are skipped.
    pub fn team_remove_users(
        &mut self,
        actor: &Actor,
        request: &TeamUsersRequest,
    ) -> Result<Team, ApiError> {
        require_non_empty(&request.user_ids)?;
        let team = self.team(&request.team_id)?;
        self.all_users_exist(&request.user_ids)?;
        if !team.members.iter().any(|m| request.user_ids.contains(m)) {
            return Ok(team.clone());
        }
        let stamp = self.stamp(actor);
        let team = self.teams.get_mut(&request.team_id).expect("checked above");
        team.members.retain(|m| !request.user_ids.contains(m));
        if let Some(members_metadata) = team.metadata.team_members_metadata.as_mut() {
            members_metadata
                .added_at
                .retain(|id, _| !request.user_ids.contains(id));
        }
        touch(&mut team.metadata.base, &stamp);
        Ok(team.clone())
    }

    /// team-delete: refused while a distribution draws from the team; returns the deleted team.
    pub fn delete_team(&mut self, actor: &Actor, team_id: &str) -> Result<Team, ApiError> {
        self.team(team_id)?;
        if let Some(distribution) = self
            .distributions
            .values()
            .find(|d| d.team_ref.id == team_id)
        {
            return Err(ApiError::team_in_use(
                team_id,
                &distribution.distribution_id,
            ));
        }
        // Deleting changes the org, so the clock moves even though no object keeps the stamp.
        self.stamp(actor);
        Ok(self.teams.remove(team_id).expect("checked above"))
    }
}
