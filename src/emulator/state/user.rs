//! Users: search, batch lookup, invite, licenses with per-org seats.

use std::collections::BTreeMap;

use crate::edge::wire::{
    InviteUserRequest, LicenseSet, Page, UpdateLicensesRequest, User, UserLicenses,
};
use crate::model::License;

use super::super::error::ApiError;
use super::super::pagination::PageRequest;
use super::{Actor, IdKind, OrgState, touch};

fn has(licenses: &UserLicenses, license: License) -> bool {
    match license {
        License::Distro => licenses.distro,
        License::ChiliCalOrg => licenses.chili_cal_org,
        License::Concierge => licenses.concierge,
        License::ConciergeLive => licenses.concierge_live,
        License::Chat => licenses.chat,
        License::Handoff => licenses.handoff,
    }
}

fn apply(licenses: &mut UserLicenses, set: &LicenseSet) {
    licenses.distro = set.distro;
    licenses.chili_cal_org = set.chili_cal_org;
    licenses.concierge = set.concierge;
    licenses.concierge_live = set.concierge_live;
    licenses.chat = set.chat;
    licenses.handoff = set.handoff;
    if set.tier.is_some() {
        licenses.tier = set.tier.clone();
    }
}

/// The API's own email check (`pattern: .+@.+`).
fn looks_like_email(email: &str) -> bool {
    email
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
        && !email.chars().any(char::is_whitespace)
}

impl OrgState {
    /// user-find: case-insensitive substring of the email or the name.
    pub fn find_users(&self, query: &str, page: PageRequest) -> Page<User> {
        let query = query.to_lowercase();
        page.paginate(
            self.users.values().filter(|user| {
                user.email.to_lowercase().contains(&query)
                    || user.name.to_lowercase().contains(&query)
            }),
            Clone::clone,
        )
    }

    /// user-find-by-ids: the users with these ids, by id; unknown ids are left out (a lookup,
    /// not a command).
    pub fn find_users_by_ids(&self, ids: &[String], page: PageRequest) -> Page<User> {
        page.paginate(
            self.users.values().filter(|user| ids.contains(&user.id)),
            Clone::clone,
        )
    }

    /// user-invite: a new user with no licenses, in the given workspaces; an email the org has
    /// already is refused.
    pub fn invite_user(
        &mut self,
        actor: &Actor,
        request: &InviteUserRequest,
    ) -> Result<User, ApiError> {
        let email = request.email.trim().to_lowercase();
        if !looks_like_email(&email) {
            return Err(ApiError::InvalidBody);
        }
        if self.users.values().any(|u| u.email.to_lowercase() == email) {
            return Err(ApiError::already_exists("user", "email", &email));
        }
        let mut workspaces: Vec<String> = request.workspace_ids.clone().unwrap_or_default();
        for workspace_id in &workspaces {
            self.workspace(workspace_id)?;
        }
        workspaces.sort();
        workspaces.dedup();
        let name = match request.name.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => name.to_string(),
            _ => email.split('@').next().unwrap_or(&email).to_string(),
        };
        let stamp = self.stamp(actor);
        let id = self.new_id(IdKind::User);
        let user = User {
            id: id.clone(),
            name,
            email,
            is_super_admin: false,
            licenses: UserLicenses::default(),
            workspaces: workspaces.clone(),
            managed_workspaces: Vec::new(),
            managed_teams: Vec::new(),
            slug: None,
            salesforce: None,
            hubspot: None,
            personal_workspace_id: None,
        };
        self.users.insert(id, user.clone());
        for workspace_id in &workspaces {
            if let Some(workspace) = self.workspaces.get_mut(workspace_id) {
                touch(&mut workspace.metadata, &stamp);
            }
        }
        Ok(user)
    }

    /// user-update-licenses: replaces each listed user's set, all or nothing; an update that
    /// would need more seats of a type than the org has (and more than it uses now) fails.
    pub fn update_licenses(
        &mut self,
        actor: &Actor,
        request: &UpdateLicensesRequest,
    ) -> Result<(), ApiError> {
        for id in request.update.keys() {
            self.user_exists(id)?;
        }
        for license in License::ALL {
            let before = self
                .users
                .values()
                .filter(|user| has(&user.licenses, license))
                .count();
            let after = self
                .users
                .values()
                .filter(|user| match request.update.get(&user.id) {
                    Some(set) => {
                        let mut licenses = user.licenses.clone();
                        apply(&mut licenses, set);
                        has(&licenses, license)
                    }
                    None => has(&user.licenses, license),
                })
                .count();
            let seats = self.seats.get(&license).copied().unwrap_or(0);
            if after > before && after > seats as usize {
                return Err(ApiError::not_enough_seats(license.as_str(), seats, after));
            }
        }
        let changed: BTreeMap<&String, &LicenseSet> = request
            .update
            .iter()
            .filter(|(id, set)| {
                let mut licenses = self.users[*id].licenses.clone();
                apply(&mut licenses, set);
                licenses != self.users[*id].licenses
            })
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        // Users carry no metadata, but a change still moves the clock.
        self.stamp(actor);
        for (id, set) in changed {
            let user = self.users.get_mut(id).expect("checked above");
            apply(&mut user.licenses, set);
        }
        Ok(())
    }
}
