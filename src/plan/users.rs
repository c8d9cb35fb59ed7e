//! Users: invitations for declared users missing from the org, and license changes.
//!
//! Licenses go in at most two bulk calls. The early one (upgrades) gives invited users their set
//! and existing users what they gain, keeping what they will lose; the last step of the plan
//! (downgrades, added by `Planner::finish`) sets the exact sets of users who lose a license. A
//! user who gains one license and loses another is in both calls.

use std::collections::BTreeSet;

use super::body::{Call, InviteBody, LicenseEntry, LicensesBody, UserRef};
use super::builder::{Draft, Planner, at, summarize_sources};
use super::problems::PlanProblem;
use super::safety::Counted;
use super::types::{Action, Address, Detail, LicenseChange, LicenseDirection, StepId};
use crate::model::{License, ObjectKind, UnknownFieldsKind};

impl Planner<'_> {
    /// Invites missing users and drafts the early licenses call. Runs before the workspaces, so
    /// member lists can refer to invited users.
    pub(super) fn plan_users(&mut self) {
        let desired = self.desired;
        let live = self.live;
        for object in &live.unknown_fields {
            if object.kind == UnknownFieldsKind::Licenses
                && let Some(user) = live.users.values().find(|u| u.id == object.id)
            {
                self.warn_unknown_fields(&Address::User(user.email.clone()), &object.fields);
            }
        }
        // Both maps are ordered by email: walked side by side, not searched 50,000 times.
        let mut live_users = live.users.iter().peekable();
        for (email, user) in &desired.users {
            self.read(Address::User(email.clone()));
            while live_users
                .next_if(|(live_email, _)| *live_email < email)
                .is_some()
            {}
            let live_user = live_users
                .next_if(|(live_email, _)| *live_email == email)
                .map(|(_, live_user)| live_user);
            match live_user {
                Some(live_user) => {
                    let Some(licenses) = &user.licenses else {
                        continue;
                    };
                    self.count_managed(Counted::Licenses, live_user.licenses.len());
                    for license in live_user.licenses.difference(licenses) {
                        self.count_removal(
                            Counted::Licenses,
                            format!("{} {}", Address::User(email.clone()), license.as_str()),
                        );
                    }
                    if licenses == &live_user.licenses {
                        continue;
                    }
                    let gained: BTreeSet<License> =
                        licenses.difference(&live_user.licenses).copied().collect();
                    let lost = live_user.licenses.difference(licenses).next().is_some();
                    if !gained.is_empty() {
                        let after: BTreeSet<License> =
                            live_user.licenses.union(licenses).copied().collect();
                        self.license_upgrades.push((
                            email.clone(),
                            LicenseChange {
                                email: email.clone(),
                                before: live_user.licenses.clone(),
                                after,
                                reason: at(&user.source),
                            },
                        ));
                    }
                    if lost {
                        let before = if gained.is_empty() {
                            live_user.licenses.clone()
                        } else {
                            live_user.licenses.union(licenses).copied().collect()
                        };
                        self.license_downgrades.push((
                            email.clone(),
                            LicenseChange {
                                email: email.clone(),
                                before,
                                after: licenses.clone(),
                                reason: at(&user.source),
                            },
                        ));
                    }
                }
                None if user.invite => {
                    let target = Address::User(email.clone());
                    let step = self.add_step(
                        Draft {
                            call: Call::UserInvite {
                                body: InviteBody {
                                    email: email.clone(),
                                    name: user.name.clone(),
                                },
                            },
                            target,
                            action: Action::Create,
                            destructive: false,
                            reason: at(&user.source),
                            depends_on: BTreeSet::new(),
                            detail: Detail::Invite {
                                email: email.clone(),
                                name: user.name.clone(),
                            },
                        },
                        None,
                    );
                    self.invites.insert(email.clone(), step);
                    if let Some(licenses) = user.licenses.as_ref().filter(|l| !l.is_empty()) {
                        self.license_upgrades.push((
                            email.clone(),
                            LicenseChange {
                                email: email.clone(),
                                before: BTreeSet::new(),
                                after: licenses.clone(),
                                reason: at(&user.source),
                            },
                        ));
                    }
                }
                None => {
                    self.mark_reported(email);
                    self.problem(PlanProblem::UserNotInvitable {
                        email: email.clone(),
                        at: user.source.clone(),
                    });
                }
            }
        }
        self.plan_undeclared_users();
        self.add_license_upgrades();
    }

    /// Live users the manifests do not declare (such as invited users dropped from them):
    /// those holding licenses are listed as unmanaged, or, when the policy prunes `licenses`
    /// (under `*`), lose them in the last licenses call.
    fn plan_undeclared_users(&mut self) {
        let prune = self.prune_reason("*", ObjectKind::Licenses);
        let live = self.live;
        // Ordered by email both: walked side by side, as in `plan_users`.
        let mut declared = self.desired.users.keys().peekable();
        for (email, user) in &live.users {
            while declared.next_if(|declared| *declared < email).is_some() {}
            if declared.peek() == Some(&email) || user.licenses.is_empty() {
                continue;
            }
            let address = Address::User(email.clone());
            let ignored = self.ignored(&[&address]).is_some();
            let names: Vec<&str> = user.licenses.iter().map(|l| l.as_str()).collect();
            match &prune {
                Some(reason) if !ignored => {
                    self.read(address.clone());
                    self.count_managed(Counted::Licenses, user.licenses.len());
                    for license in &user.licenses {
                        self.count_removal(
                            Counted::Licenses,
                            format!("{address} {}", license.as_str()),
                        );
                    }
                    self.license_downgrades.push((
                        email.clone(),
                        LicenseChange {
                            email: email.clone(),
                            before: user.licenses.clone(),
                            after: BTreeSet::new(),
                            reason: reason.clone(),
                        },
                    ));
                }
                _ => {
                    self.list_unmanaged(&address, "user", format!("licenses: {}", names.join(", ")))
                }
            }
        }
    }

    fn add_license_upgrades(&mut self) {
        if self.license_upgrades.is_empty() {
            return;
        }
        let upgrades = self.license_upgrades.clone();
        let mut entries = Vec::new();
        let mut changes = Vec::new();
        let mut sources = Vec::new();
        for (email, change) in upgrades {
            let declared = &self.desired.users[&email];
            let Some(user_id) = self.user_ref(&email, &declared.source) else {
                continue;
            };
            let source = declared.source.clone();
            let Some(licenses) = self.license_set_of(&email, &change.after, &source) else {
                continue;
            };
            sources.push(source);
            entries.push(LicenseEntry { user_id, licenses });
            changes.push(change);
        }
        self.add_step(
            Draft {
                call: Call::UserUpdateLicenses {
                    body: LicensesBody { update: entries },
                },
                target: Address::Licenses(LicenseDirection::Upgrades),
                action: Action::Add,
                destructive: false,
                reason: format!("licenses at {}", summarize_sources(&sources)),
                depends_on: BTreeSet::new(),
                detail: Detail::Licenses { users: changes },
            },
            None,
        );
    }

    /// The early licenses step, when it exists and gives `user_ids` anything.
    pub(super) fn license_upgrade_step_for(&self, users: &[UserRef]) -> Option<StepId> {
        let id = StepId::new(
            "user-update-licenses",
            &Address::Licenses(LicenseDirection::Upgrades),
        );
        let draft = self.steps.get(&id)?;
        let Call::UserUpdateLicenses { body } = &draft.call else {
            return None;
        };
        body.update
            .iter()
            .any(|entry| users.contains(&entry.user_id))
            .then_some(id)
    }
}
