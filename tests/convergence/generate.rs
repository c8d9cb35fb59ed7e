//! Generated convergence cases: small random orgs and manifests that change them (members
//! added and dropped, teams created, changed and pruned, weights and assignment types changed,
//! rules created, changed and deleted, licenses changed, users invited), built from proptest
//! knobs so that shrinking makes a failing case smaller.
//!
//! The manifests are always valid and never refused by the planner (no renames, no rule type
//! changes, a team in use stays declared when teams are pruned, allowDestructive): the property
//! is about applying, not about the planner's refusals.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use scoville::model::ObjectKind;

use super::model::{
    AssignmentKind, DistributionModel, LICENSES, OrgModel, RuleModel, UserModel, WorkspaceModel,
    settings,
};

/// Users of the org at most; users are `user<i>@conv.example`.
pub const MAX_USERS: usize = 8;
/// People the manifests may invite: `new<k>@conv.example`, bits 8.. of a member mask.
pub const N_INVITEES: usize = 2;
/// Team, distribution and rule slots per workspace in the manifests (existing ones first).
const TEAM_SLOTS: usize = 4;
const DISTRIBUTION_SLOTS: usize = 3;
const RULE_SLOTS: usize = 3;

#[derive(Debug, Clone)]
pub struct Case {
    pub n_users: usize,
    /// Per user, a mask over `LICENSES`.
    pub org_licenses: Vec<u8>,
    /// Per user: `None` leaves licenses alone, else the mask the manifests declare.
    pub declared_licenses: Vec<Option<u8>>,
    /// Per invitee: `None` not mentioned, `Some(None)` invited without licenses, else with.
    pub invitees: Vec<Option<Option<u8>>>,
    pub workspaces: Vec<WorkspaceKnobs>,
    /// Seeds the emulator's faults (each run adds its number).
    pub fault_seed: u64,
}

#[derive(Debug, Clone)]
pub struct WorkspaceKnobs {
    pub org_members: u16,
    pub org_teams: Vec<u16>,
    pub org_distributions: Vec<DistributionKnobs>,
    pub org_rules: Vec<RuleKnobs>,
    /// Members the manifests add or drop (a sparse mask).
    pub member_flip: u16,
    /// Bits 0..4: prune workspace members, teams, distributions, rules.
    pub prune: u8,
    /// Existing team slot: `Some(flip)` declared with these members added/dropped; new slot:
    /// `Some(mask)` created with these members. `None`: not declared.
    pub team_slots: Vec<Option<u16>>,
    pub distribution_slots: Vec<Option<Change<DistributionKnobs>>>,
    pub rule_slots: Vec<Option<Change<RuleKnobs>>>,
    /// The org's distribution settings (`model::settings`).
    pub org_settings: u8,
    /// The settings the manifests declare, if any.
    pub declared_settings: Option<u8>,
    /// The booking layer, when the manifests manage one in this workspace (the org has one
    /// only then).
    pub booking: Option<super::booking::BookingKnobs>,
}

#[derive(Debug, Clone)]
pub struct DistributionKnobs {
    pub team: usize,
    pub assignment: u8,
    /// Weight per user index (0..=300).
    pub weights: Vec<u16>,
    pub cap: Option<u8>,
}

#[derive(Debug, Clone)]
pub struct RuleKnobs {
    pub value: u8,
    pub email_not_empty: bool,
    /// Ownership rule drawing on this team slot.
    pub ownership: Option<usize>,
}

/// What the manifests do with an existing object (`keep`: declare it as it is, as far as
/// the rest of the manifests allow; `rename`: under a new name) or how they make a new one.
#[derive(Debug, Clone)]
pub struct Change<T> {
    pub keep: bool,
    /// An existing object gets a new name, with `previously: [old name]`.
    pub rename: bool,
    pub knobs: T,
}

/// A mask with about a quarter of its bits set: small, realistic edits.
fn sparse_mask() -> impl Strategy<Value = u16> {
    (any::<u16>(), any::<u16>()).prop_map(|(a, b)| a & b)
}

fn distribution_knobs() -> impl Strategy<Value = DistributionKnobs> {
    (
        0..TEAM_SLOTS,
        0..4u8,
        prop::collection::vec(0..=300u16, MAX_USERS + N_INVITEES),
        prop::option::of(1..50u8),
    )
        .prop_map(|(team, assignment, weights, cap)| DistributionKnobs {
            team,
            assignment,
            weights,
            cap,
        })
}

fn rule_knobs() -> impl Strategy<Value = RuleKnobs> {
    (
        0..20u8,
        any::<bool>(),
        prop::option::weighted(0.3, 0..TEAM_SLOTS),
    )
        .prop_map(|(value, email_not_empty, ownership)| RuleKnobs {
            value,
            email_not_empty,
            ownership,
        })
}

fn change<T: std::fmt::Debug + Clone>(
    knobs: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<Change<T>>> {
    prop::option::weighted(
        0.75,
        (prop::bool::weighted(0.5), prop::bool::weighted(0.15), knobs).prop_map(
            |(keep, rename, knobs)| Change {
                keep,
                rename,
                knobs,
            },
        ),
    )
}

fn workspace_knobs() -> impl Strategy<Value = WorkspaceKnobs> {
    (
        any::<u16>(),
        prop::collection::vec(any::<u16>(), 0..=3),
        prop::collection::vec(distribution_knobs(), 0..=2),
        prop::collection::vec(rule_knobs(), 0..=2),
        sparse_mask(),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| a & b & 0x0f),
        prop::collection::vec(prop::option::weighted(0.75, sparse_mask()), TEAM_SLOTS),
        prop::collection::vec(change(distribution_knobs()), DISTRIBUTION_SLOTS),
        prop::collection::vec(change(rule_knobs()), RULE_SLOTS),
        (
            0..16u8,
            prop::option::weighted(0.3, 0..16u8),
            prop::option::weighted(0.5, super::booking::knobs()),
        ),
    )
        .prop_map(
            |(
                org_members,
                org_teams,
                org_distributions,
                org_rules,
                member_flip,
                prune,
                team_slots,
                distribution_slots,
                rule_slots,
                (org_settings, declared_settings, booking),
            )| WorkspaceKnobs {
                org_members,
                org_teams,
                org_distributions,
                org_rules,
                member_flip,
                prune,
                team_slots,
                distribution_slots,
                rule_slots,
                org_settings,
                declared_settings,
                booking,
            },
        )
}

pub fn case() -> impl Strategy<Value = Case> {
    (
        2..=MAX_USERS,
        prop::collection::vec(0..8u8, MAX_USERS),
        prop::collection::vec(prop::option::of(0..8u8), MAX_USERS),
        prop::collection::vec(
            prop::option::weighted(0.4, prop::option::of(0..8u8)),
            N_INVITEES,
        ),
        prop::collection::vec(workspace_knobs(), 1..=2),
        any::<u64>(),
    )
        .prop_map(
            |(n_users, org_licenses, declared_licenses, invitees, workspaces, fault_seed)| Case {
                n_users,
                org_licenses,
                declared_licenses,
                invitees,
                workspaces,
                fault_seed,
            },
        )
}

fn licenses(mask: u8) -> BTreeSet<scoville::model::License> {
    LICENSES
        .iter()
        .enumerate()
        .filter(|(bit, _)| mask & (1 << bit) != 0)
        .map(|(_, license)| *license)
        .collect()
}

fn user_email(bit: usize) -> String {
    if bit < MAX_USERS {
        format!("user{bit}@conv.example")
    } else {
        format!("new{}@conv.example", bit - MAX_USERS)
    }
}

fn emails(mask: u16) -> BTreeSet<String> {
    (0..MAX_USERS + N_INVITEES)
        .filter(|bit| mask & (1 << bit) != 0)
        .map(user_email)
        .collect()
}

fn workspace_name(index: usize) -> String {
    format!("Workspace {index}")
}

fn team_name(workspace: usize, slot: usize) -> String {
    format!("team-{workspace}-{slot}")
}

fn distribution_name(workspace: usize, slot: usize) -> String {
    format!("dist-{workspace}-{slot}")
}

fn rule_name(workspace: usize, slot: usize) -> String {
    format!("rule-{workspace}-{slot}")
}

/// Weights for every member of a team: `keep`'s where it has one, else the knobs'.
fn weights_for(
    members: &BTreeSet<String>,
    knobs: &DistributionKnobs,
    keep: Option<&BTreeMap<String, u32>>,
) -> BTreeMap<String, u32> {
    members
        .iter()
        .map(|email| {
            let kept = keep.and_then(|weights| weights.get(email)).copied();
            let bit = (0..MAX_USERS + N_INVITEES)
                .find(|bit| &user_email(*bit) == email)
                .expect("a generated email");
            (email.clone(), kept.unwrap_or(u32::from(knobs.weights[bit])))
        })
        .collect()
}

fn cap_for(members: &BTreeSet<String>, knobs: &DistributionKnobs) -> Option<(String, u32)> {
    let limit = knobs.cap?;
    members
        .iter()
        .next()
        .map(|email| (email.clone(), u32::from(limit)))
}

impl Case {
    /// The org the emulator starts with, and the manifests' model.
    pub fn build(&self) -> (OrgModel, OrgModel) {
        let existing_mask: u16 = (1 << self.n_users) - 1;
        let mut org = OrgModel::default();
        let mut desired = OrgModel::default();
        for index in 0..self.n_users {
            let email = user_email(index);
            let name = format!("User {index}");
            org.users.insert(
                email.clone(),
                UserModel {
                    name: name.clone(),
                    licenses: Some(licenses(self.org_licenses[index])),
                    invite: false,
                },
            );
            desired.users.insert(
                email,
                UserModel {
                    name,
                    licenses: self.declared_licenses[index].map(licenses),
                    invite: false,
                },
            );
        }
        let mut invitee_mask = 0u16;
        for (k, invitee) in self.invitees.iter().enumerate() {
            if let Some(declared) = invitee {
                invitee_mask |= 1 << (MAX_USERS + k);
                desired.users.insert(
                    user_email(MAX_USERS + k),
                    UserModel {
                        name: format!("New {k}"),
                        licenses: declared.map(licenses),
                        invite: true,
                    },
                );
            }
        }
        let declarable = existing_mask | invitee_mask;

        for (w, knobs) in self.workspaces.iter().enumerate() {
            let (before, after) = build_workspace(w, knobs, existing_mask, declarable);
            org.workspaces.insert(workspace_name(w), before);
            desired.workspaces.insert(workspace_name(w), after);
        }
        (org, desired)
    }
}

fn build_workspace(
    w: usize,
    knobs: &WorkspaceKnobs,
    existing_mask: u16,
    declarable: u16,
) -> (WorkspaceModel, WorkspaceModel) {
    // The org's side.
    let org_member_mask = knobs.org_members & existing_mask;
    let mut before = WorkspaceModel {
        members: emails(org_member_mask),
        settings: Some(settings(knobs.org_settings)),
        ..WorkspaceModel::default()
    };
    let org_team_masks: Vec<u16> = knobs
        .org_teams
        .iter()
        .map(|mask| mask & org_member_mask)
        .collect();
    for (slot, mask) in org_team_masks.iter().enumerate() {
        before.teams.insert(team_name(w, slot), emails(*mask));
    }
    let org_team_names: Vec<String> = before.teams.keys().cloned().collect();
    for (slot, d) in knobs.org_distributions.iter().enumerate() {
        if org_team_names.is_empty() {
            break;
        }
        let team = org_team_names[d.team % org_team_names.len()].clone();
        let members = before.teams[&team].clone();
        before.distributions.insert(
            distribution_name(w, slot),
            DistributionModel {
                weights: weights_for(&members, d, None),
                cap: cap_for(&members, d),
                team,
                assignment: AssignmentKind::from_index(d.assignment),
                previously: None,
            },
        );
    }
    for (slot, r) in knobs.org_rules.iter().enumerate() {
        let ownership_team = match (r.ownership, org_team_names.is_empty()) {
            (Some(team), false) => Some(org_team_names[team % org_team_names.len()].clone()),
            _ => None,
        };
        before.rules.insert(
            rule_name(w, slot),
            RuleModel {
                value: format!("C{}", r.value),
                email_not_empty: r.email_not_empty,
                ownership_team,
                previously: None,
            },
        );
    }

    // The manifests' side.
    let prune: BTreeSet<ObjectKind> = [
        ObjectKind::WorkspaceMembers,
        ObjectKind::Teams,
        ObjectKind::Distributions,
        ObjectKind::Rules,
    ]
    .into_iter()
    .enumerate()
    .filter(|(bit, _)| knobs.prune & (1 << bit) != 0)
    .map(|(_, kind)| kind)
    .collect();
    let mut member_mask = (org_member_mask ^ knobs.member_flip) & declarable;
    let mut team_masks: BTreeMap<String, u16> = BTreeMap::new();
    for (slot, declared) in knobs.team_slots.iter().enumerate() {
        let Some(bits) = declared else { continue };
        let mask = match org_team_masks.get(slot) {
            Some(org_mask) => org_mask ^ bits,
            None => *bits,
        } & member_mask;
        team_masks.insert(team_name(w, slot), mask);
    }

    // Teams in use by what stays as the org has it: a declared distribution or rule must name
    // a declared team, and an undeclared one that stays needs its team to survive pruning.
    // Such teams are declared as they are (their members stay members of the workspace).
    let stays = |kept: Option<bool>, kind: ObjectKind| kept.unwrap_or(!prune.contains(&kind));
    let needs_declaring = |declared: bool| declared || prune.contains(&ObjectKind::Teams);
    let mut in_use: BTreeSet<String> = BTreeSet::new();
    for (slot, d) in before.distributions.values().enumerate() {
        let declared = knobs.distribution_slots.get(slot).and_then(Option::as_ref);
        if stays(declared.map(|c| c.keep), ObjectKind::Distributions)
            && needs_declaring(declared.is_some())
        {
            in_use.insert(d.team.clone());
        }
    }
    for (slot, r) in before.rules.values().enumerate() {
        let declared = knobs.rule_slots.get(slot).and_then(Option::as_ref);
        if let Some(team) = &r.ownership_team
            && stays(declared.map(|c| c.keep), ObjectKind::Rules)
            && needs_declaring(declared.is_some())
        {
            in_use.insert(team.clone());
        }
    }
    // An undeclared distribution that stays weights every member its team had: the planner
    // refuses to take such a member off the team (scoville may not edit that distribution), so
    // a declared team keeps them.
    if !prune.contains(&ObjectKind::Distributions) {
        for (slot, d) in before.distributions.values().enumerate() {
            let undeclared = knobs
                .distribution_slots
                .get(slot)
                .and_then(Option::as_ref)
                .is_none();
            if let (true, Some(mask)) = (undeclared, team_masks.get_mut(&d.team)) {
                let team_slot = org_team_names
                    .iter()
                    .position(|t| t == &d.team)
                    .expect("an org team");
                *mask |= org_team_masks[team_slot];
                member_mask |= org_team_masks[team_slot];
            }
        }
    }
    let mut teams: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let declare_as_is =
        |team: &str, teams: &mut BTreeMap<String, BTreeSet<String>>, member_mask: &mut u16| {
            if !teams.contains_key(team) {
                let slot = org_team_names
                    .iter()
                    .position(|t| t == team)
                    .expect("an org team");
                *member_mask |= org_team_masks[slot];
                teams.insert(team.to_string(), emails(org_team_masks[slot]));
            }
        };
    for (name, mask) in &team_masks {
        teams.insert(name.clone(), emails(*mask));
    }
    for team in &in_use {
        declare_as_is(team, &mut teams, &mut member_mask);
    }
    let declared_team_names: Vec<String> = teams.keys().cloned().collect();

    let mut distributions = BTreeMap::new();
    for (slot, change) in knobs.distribution_slots.iter().enumerate() {
        let Some(change) = change else { continue };
        let name = distribution_name(w, slot);
        let model = match before.distributions.get(&name) {
            // Declared as the org has it; its team is declared (see "in use" above).
            Some(org_d) if change.keep => {
                let members = &teams[&org_d.team];
                DistributionModel {
                    weights: weights_for(members, &change.knobs, Some(&org_d.weights)),
                    cap: org_d
                        .cap
                        .clone()
                        .filter(|(email, _)| members.contains(email)),
                    team: org_d.team.clone(),
                    assignment: org_d.assignment,
                    previously: None,
                }
            }
            _ => {
                let team = match (
                    declared_team_names.is_empty(),
                    before.distributions.get(&name),
                ) {
                    (false, _) => {
                        declared_team_names[change.knobs.team % declared_team_names.len()].clone()
                    }
                    // No declared team to move it to: an org distribution stays on its own
                    // team, declared as it is, rather than left undeclared on a team that
                    // pruning would delete ("in use" above counted it as declared).
                    (true, Some(org_d)) => {
                        declare_as_is(&org_d.team, &mut teams, &mut member_mask);
                        org_d.team.clone()
                    }
                    (true, None) => continue,
                };
                let members = &teams[&team];
                DistributionModel {
                    weights: weights_for(members, &change.knobs, None),
                    cap: cap_for(members, &change.knobs),
                    team,
                    assignment: AssignmentKind::from_index(change.knobs.assignment),
                    previously: None,
                }
            }
        };
        let mut model = model;
        let name = if change.rename && before.distributions.contains_key(&name) {
            model.previously = Some(name.clone());
            format!("{name}-renamed")
        } else {
            name
        };
        distributions.insert(name, model);
    }

    let mut rules = BTreeMap::new();
    for (slot, change) in knobs.rule_slots.iter().enumerate() {
        let Some(change) = change else { continue };
        let name = rule_name(w, slot);
        let pick_team = |index: usize| {
            (!declared_team_names.is_empty())
                .then(|| declared_team_names[index % declared_team_names.len()].clone())
        };
        let model = match before.rules.get(&name) {
            // Kept as it is; an ownership rule's team is declared (see "in use" above).
            Some(org_r) if change.keep => org_r.clone(),
            // A rule's type cannot change: an ownership rule stays one, on another declared
            // team when the knobs say so, else on its own (declared now if need be).
            Some(org_r) => match &org_r.ownership_team {
                Some(org_team) => {
                    let team = change
                        .knobs
                        .ownership
                        .and_then(pick_team)
                        .unwrap_or_else(|| org_team.clone());
                    declare_as_is(&team, &mut teams, &mut member_mask);
                    RuleModel {
                        value: org_r.value.clone(),
                        email_not_empty: org_r.email_not_empty,
                        ownership_team: Some(team),
                        previously: None,
                    }
                }
                None => RuleModel {
                    value: format!("C{}", change.knobs.value),
                    email_not_empty: change.knobs.email_not_empty,
                    ownership_team: None,
                    previously: None,
                },
            },
            None => RuleModel {
                value: format!("C{}", change.knobs.value),
                email_not_empty: change.knobs.email_not_empty,
                ownership_team: change.knobs.ownership.and_then(pick_team),
                previously: None,
            },
        };
        let mut model = model;
        let name = if change.rename && before.rules.contains_key(&name) {
            model.previously = Some(name.clone());
            format!("{name}-renamed")
        } else {
            name
        };
        rules.insert(name, model);
    }

    let mut prune = prune;
    let mut booking = None;
    if let Some(booking_knobs) = &knobs.booking {
        let org_distributions: Vec<String> = before.distributions.keys().cloned().collect();
        let declared_distributions: Vec<String> = distributions.keys().cloned().collect();
        let (org_booking, declared_booking, booking_prune) = super::booking::build(
            w,
            booking_knobs,
            &org_distributions,
            &declared_distributions,
        );
        before.booking = Some(org_booking);
        booking = Some(declared_booking);
        prune.extend(booking_prune);
    }
    let after = WorkspaceModel {
        members: emails(member_mask),
        teams,
        distributions,
        rules,
        prune,
        settings: knobs.declared_settings.map(settings),
        booking,
    };
    (before, after)
}
