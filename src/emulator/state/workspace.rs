//! Workspaces: listing, membership, distribution settings.

use crate::edge::wire::{
    Page, User, UserIdsRequest, Workspace, WorkspaceSettings, WorkspaceSettingsUpdate,
    WorkspaceUsersRequest,
};

use super::super::error::ApiError;
use super::super::pagination::PageRequest;
use super::{Actor, OrgState, require_non_empty, touch};

impl OrgState {
    /// workspace-list: every workspace, by id.
    pub fn list_workspaces(&self, page: PageRequest) -> Page<Workspace> {
        page.paginate(self.workspaces.values(), Clone::clone)
    }

    /// workspace-list-users: the workspace's members, or every user of the org.
    pub fn list_workspace_users(
        &self,
        workspace_id: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<User>, ApiError> {
        match workspace_id {
            Some(workspace_id) => {
                self.workspace(workspace_id)?;
                Ok(page.paginate(
                    self.users
                        .values()
                        .filter(|user| user.workspaces.iter().any(|w| w == workspace_id)),
                    Clone::clone,
                ))
            }
            None => Ok(page.paginate(self.users.values(), Clone::clone)),
        }
    }

    /// workspace-add-users: idempotent, members are skipped.
    pub fn workspace_add_users(
        &mut self,
        actor: &Actor,
        request: &WorkspaceUsersRequest,
    ) -> Result<(), ApiError> {
        require_non_empty(&request.user_ids)?;
        self.workspace(&request.workspace_id)?;
        self.all_users_exist(&request.user_ids)?;
        let to_add: Vec<&String> = request
            .user_ids
            .iter()
            .filter(|id| !self.is_workspace_member(id, &request.workspace_id))
            .collect();
        if to_add.is_empty() {
            return Ok(());
        }
        let stamp = self.stamp(actor);
        for id in to_add {
            let user = self.users.get_mut(id).expect("checked above");
            if !user.workspaces.contains(&request.workspace_id) {
                user.workspaces.push(request.workspace_id.clone());
                user.workspaces.sort();
            }
        }
        let workspace = self
            .workspaces
            .get_mut(&request.workspace_id)
            .expect("checked above");
        touch(&mut workspace.metadata, &stamp);
        Ok(())
    }

    /// workspace-remove-users: idempotent; team memberships stay as they are.
    pub fn workspace_remove_users(
        &mut self,
        actor: &Actor,
        request: &WorkspaceUsersRequest,
    ) -> Result<(), ApiError> {
        require_non_empty(&request.user_ids)?;
        self.workspace(&request.workspace_id)?;
        self.all_users_exist(&request.user_ids)?;
        self.remove_from_workspaces(actor, &request.user_ids, |w| w == request.workspace_id);
        Ok(())
    }

    /// workspace-remove-users-all: out of every workspace; team memberships stay.
    pub fn workspace_remove_users_from_all(
        &mut self,
        actor: &Actor,
        request: &UserIdsRequest,
    ) -> Result<(), ApiError> {
        require_non_empty(&request.user_ids)?;
        self.all_users_exist(&request.user_ids)?;
        self.remove_from_workspaces(actor, &request.user_ids, |_| true);
        Ok(())
    }

    fn remove_from_workspaces(
        &mut self,
        actor: &Actor,
        user_ids: &[String],
        which: impl Fn(&str) -> bool,
    ) {
        let mut affected: Vec<String> = user_ids
            .iter()
            .flat_map(|id| self.users[id].workspaces.iter())
            .filter(|w| which(w))
            .cloned()
            .collect();
        affected.sort();
        affected.dedup();
        if affected.is_empty() {
            return;
        }
        let stamp = self.stamp(actor);
        for id in user_ids {
            let user = self.users.get_mut(id).expect("checked by the caller");
            user.workspaces.retain(|w| !which(w));
        }
        for workspace_id in affected {
            if let Some(workspace) = self.workspaces.get_mut(&workspace_id) {
                touch(&mut workspace.metadata, &stamp);
            }
        }
    }

    /// distribution-workspace-settings-get.
    pub fn workspace_settings(&self, workspace_id: &str) -> Result<WorkspaceSettings, ApiError> {
        self.workspace(workspace_id)?;
        Ok(self
            .workspace_settings
            .get(workspace_id)
            .cloned()
            .unwrap_or_else(super::super::seed::default_workspace_settings))
    }

    /// distribution-workspace-settings-update: replaces the writable settings (the read-only
    /// `orderIfEqualState` stays); the workspace's revision moves on.
    pub fn update_workspace_settings(
        &mut self,
        actor: &Actor,
        workspace_id: &str,
        update: WorkspaceSettingsUpdate,
    ) -> Result<WorkspaceSettings, ApiError> {
        let settings = update.applied(self.workspace_settings(workspace_id)?.order_if_equal_state);
        if self.workspace_settings.get(workspace_id) == Some(&settings) {
            return Ok(settings);
        }
        let stamp = self.stamp(actor);
        self.workspace_settings
            .insert(workspace_id.to_string(), settings.clone());
        let workspace = self
            .workspaces
            .get_mut(workspace_id)
            .expect("checked above");
        touch(&mut workspace.metadata, &stamp);
        Ok(settings)
    }
}
