//! One workspace: its members, teams and distribution settings, then (after distributions and
//! rules) the edges that tie kinds together: drop a weight before removing the member from the
//! team, release a team before deleting it, leave the teams before leaving the workspace.

use std::collections::{BTreeMap, BTreeSet};

use super::body::{
    Call, TeamCreateBody, TeamIdParams, TeamRef, TeamUsersBody, UserRef, WorkspaceIdParams,
    WorkspaceUsersBody,
};
use super::builder::{Draft, Planner, at};
use super::problems::PlanProblem;
use super::safety::Counted;
use super::types::{Action, Address, Detail, MemberChange, StepId};
use crate::model::{
    DesiredTeam, DesiredWorkspace, Email, LiveTeam, LiveWorkspace, ObjectKind, OpaqueKind, Source,
    WorkspaceSettings,
};
use crate::render::count;

/// What the plan does in one workspace, kept for the edges between kinds.
pub(super) struct WorkspacePlan<'a> {
    pub name: &'a str,
    pub desired: &'a DesiredWorkspace,
    pub live: &'a LiveWorkspace,
    pub members_added: BTreeSet<Email>,
    pub members_removed: BTreeSet<Email>,
    pub members_add_step: Option<StepId>,
    pub members_remove_step: Option<StepId>,
    /// Declared teams by name.
    pub teams: BTreeMap<String, PlannedTeam>,
    /// Live teams the plan deletes, by id.
    pub deleted_teams: BTreeMap<String, DeletedTeam>,
    /// Live teams that lose members, by id: the step and who.
    pub team_removals: BTreeMap<String, (StepId, BTreeSet<Email>)>,
    /// Live team ids matched by a declared team or replaced by a recreated one.
    pub consumed_teams: BTreeSet<String>,
    /// Distribution writes that take weights away from users of a live team:
    /// (team id, step, users).
    pub weight_drops: Vec<(String, StepId, BTreeSet<Email>)>,
    /// Writes after which a live team is no longer used by a distribution or rule:
    /// (team id, step).
    pub releases: Vec<(String, StepId)>,
    /// Unmanaged distributions and rules that keep using a live team:
    /// (team id, description, weighted users).
    pub unmanaged_uses: Vec<(String, String, BTreeSet<Email>)>,
    /// Live distribution and rule ids the manifests declare.
    pub matched_distributions: BTreeSet<String>,
    pub matched_rules: BTreeSet<String>,
    /// Opaque objects and the declarations that name them, which no diff may touch.
    pub opaque: BTreeSet<(OpaqueKind, String)>,
}

/// A declared team as planned.
pub(super) struct PlannedTeam {
    /// `None` when the team has a problem (already reported).
    pub team_ref: Option<TeamRef>,
    pub live_id: Option<String>,
    pub members: BTreeSet<Email>,
    /// The team-add-users step and who it adds.
    pub add_step: Option<(StepId, BTreeSet<Email>)>,
}

/// A live team the plan deletes.
pub(super) struct DeletedTeam {
    pub step: StepId,
    pub name: String,
    pub why: String,
    pub at: Option<Source>,
    pub members: BTreeSet<Email>,
}

/// A team a distribution or rule refers to, resolved.
pub(super) struct ResolvedTeam {
    pub team_ref: TeamRef,
    pub live_id: Option<String>,
    /// Members once the plan is applied.
    pub members: BTreeSet<Email>,
    /// The step that adds members to it, and whom.
    pub add_step: Option<(StepId, BTreeSet<Email>)>,
}

/// How a declared object matches live ones.
pub(super) enum Match<'l, T> {
    Existing(&'l T),
    Renamed(&'l T),
    New,
    /// A duplicate or ambiguous rename, already reported.
    Problem,
}

impl Planner<'_> {
    pub(super) fn plan_workspace(&mut self, name: &str, desired: &DesiredWorkspace) {
        let live_workspaces = &self.live.workspaces;
        let Some(live) = live_workspaces.get(name) else {
            let suggestion = suggest(name, live_workspaces.keys().map(String::as_str));
            self.problem(PlanProblem::WorkspaceMissing {
                workspace: name.to_string(),
                suggestion,
                at: desired.source.clone(),
            });
            return;
        };
        let mut ws = WorkspacePlan {
            name,
            desired,
            live,
            members_added: BTreeSet::new(),
            members_removed: BTreeSet::new(),
            members_add_step: None,
            members_remove_step: None,
            teams: BTreeMap::new(),
            deleted_teams: BTreeMap::new(),
            team_removals: BTreeMap::new(),
            consumed_teams: BTreeSet::new(),
            weight_drops: Vec::new(),
            releases: Vec::new(),
            unmanaged_uses: Vec::new(),
            matched_distributions: BTreeSet::new(),
            matched_rules: BTreeSet::new(),
            opaque: BTreeSet::new(),
        };
        self.plan_members(&mut ws);
        self.plan_teams(&mut ws);
        ws.opaque = self.plan_opaque(&mut ws);
        self.plan_settings(&ws);
        self.plan_distributions(&mut ws);
        self.plan_rules(&mut ws);
        self.plan_booking(&mut ws);
        self.link_kinds(&ws);
    }

    /// Live workspaces the manifests do not mention.
    pub(super) fn list_undeclared_workspaces(&mut self) {
        let live = self.live;
        for (name, workspace) in &live.workspaces {
            if !self.planned_workspaces.contains(name) {
                self.list_unmanaged(
                    &Address::Workspace(name.clone()),
                    "workspace",
                    format!(
                        "{}, {}, {}, {}",
                        count(workspace.members.len(), "member", "members"),
                        count(workspace.teams.len(), "team", "teams"),
                        count(
                            workspace.distributions.len(),
                            "distribution",
                            "distributions"
                        ),
                        count(workspace.rules.len(), "rule", "rules")
                    ),
                );
            }
        }
    }

    /// Workspace membership: the declared members plus every member of a declared team (team
    /// members must be workspace members), added in one call; extras removed in one call when
    /// pruning is on, listed as unmanaged otherwise.
    fn plan_members(&mut self, ws: &mut WorkspacePlan) {
        let address = Address::Members(ws.name.to_string());
        self.read(address.clone());
        // Why each is wanted (the last declaration wins), put in words only for those added.
        let mut wanted: BTreeMap<&Email, (Option<&str>, &Source)> = BTreeMap::new();
        for team in ws.desired.teams.values() {
            for (email, source) in &team.members {
                wanted.insert(email, (Some(team.name.as_str()), source));
            }
        }
        for (email, source) in &ws.desired.members {
            wanted.insert(email, (None, source));
        }

        let mut user_ids = Vec::new();
        let mut changes = Vec::new();
        for (email, (team, source)) in &wanted {
            if ws.live.members.contains(*email) {
                continue;
            }
            let Some(user) = self.user_ref(email, source) else {
                continue;
            };
            ws.members_added.insert((*email).clone());
            user_ids.push(user);
            let reason = match team {
                Some(team) => format!("member of team `{team}` at {}", at(source)),
                None => at(source),
            };
            changes.push(MemberChange {
                user: email.to_string(),
                reason,
            });
        }
        if !user_ids.is_empty() {
            ws.members_add_step = Some(self.add_step(
                Draft {
                    call: Call::WorkspaceAddUsers {
                        body: WorkspaceUsersBody {
                            workspace_id: ws.live.id.clone(),
                            user_ids,
                        },
                    },
                    target: address.clone(),
                    action: Action::Add,
                    destructive: false,
                    reason: at(&ws.desired.source),
                    depends_on: BTreeSet::new(),
                    detail: Detail::Members { users: changes },
                },
                None,
            ));
        }

        let prune = self.prune_reason(ws.name, ObjectKind::WorkspaceMembers);
        let extras: Vec<&Email> = ws
            .live
            .members
            .iter()
            .filter(|email| !wanted.contains_key(email))
            .collect();
        let n_managed = ws.live.members.len() - extras.len();
        let mut user_ids = Vec::new();
        let mut changes = Vec::new();
        let mut n_pruned = 0;
        for email in extras {
            let user_address = Address::User(email.clone());
            let ignored = self.ignored(&[&address, &user_address]).is_some();
            match (&prune, ignored, self.live.users.get(email)) {
                (Some(reason), false, Some(user)) => {
                    n_pruned += 1;
                    ws.members_removed.insert(email.clone());
                    user_ids.push(UserRef::Id(user.id.clone()));
                    changes.push(MemberChange {
                        user: email.to_string(),
                        reason: reason.clone(),
                    });
                    self.count_removal(ObjectKind::WorkspaceMembers, format!("{address} {email}"));
                }
                _ => self.list_unmanaged_also_ignored_as(
                    &address,
                    &[&user_address],
                    "member",
                    email.to_string(),
                ),
            }
        }
        self.count_managed(ObjectKind::WorkspaceMembers, n_managed + n_pruned);
        if n_pruned > 0 && n_pruned == ws.live.members.len() {
            self.count_emptied("members", address.to_string());
        }
        if !user_ids.is_empty() {
            ws.members_remove_step = Some(self.add_step(
                Draft {
                    call: Call::WorkspaceRemoveUsers {
                        body: WorkspaceUsersBody {
                            workspace_id: ws.live.id.clone(),
                            user_ids,
                        },
                    },
                    target: address,
                    action: Action::Remove,
                    destructive: true,
                    reason: prune.unwrap_or_default(),
                    depends_on: BTreeSet::new(),
                    detail: Detail::Members { users: changes },
                },
                None,
            ));
        }
    }

    /// Matches a declared name (and its former names) against live objects. Former names that
    /// are still declared are not renames (the caller leaves them out), and a live object
    /// another declared object already took (`claimed` ids) cannot be renamed again.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn match_by_name<'l, T>(
        &mut self,
        objects: &'l [T],
        name_and_id: impl Fn(&T) -> (&str, &str),
        kind: &str,
        workspace: &str,
        name: &str,
        previously: &[String],
        source: &Source,
        claimed: &BTreeSet<String>,
    ) -> Match<'l, T> {
        let named = |wanted: &str| -> Vec<&'l T> {
            objects
                .iter()
                .filter(|object| name_and_id(object).0 == wanted)
                .collect()
        };
        let duplicate = |planner: &mut Self, name: &str, found: &[&T]| {
            planner.problem(PlanProblem::DuplicateName {
                kind: kind.to_string(),
                workspace: workspace.to_string(),
                name: name.to_string(),
                ids: found
                    .iter()
                    .map(|object| name_and_id(object).1.to_string())
                    .collect(),
                at: source.clone(),
            });
            Match::Problem
        };
        let same = named(name);
        match same.as_slice() {
            [one] => return Match::Existing(one),
            [] => {}
            _ => return duplicate(self, name, &same),
        }
        let candidates: Vec<(&String, Vec<&'l T>)> = previously
            .iter()
            .map(|previous| (previous, named(previous)))
            .filter(|(_, found)| !found.is_empty())
            .collect();
        match candidates.as_slice() {
            [] => Match::New,
            [(previous, found)] => match found.as_slice() {
                [one] if claimed.contains(name_and_id(one).1) => {
                    self.problem(PlanProblem::RenameClaimedTwice {
                        kind: kind.to_string(),
                        workspace: workspace.to_string(),
                        name: name.to_string(),
                        previous: (*previous).clone(),
                        at: source.clone(),
                    });
                    Match::Problem
                }
                [one] => Match::Renamed(one),
                _ => duplicate(self, previous, found),
            },
            _ => {
                self.problem(PlanProblem::AmbiguousRename {
                    kind: kind.to_string(),
                    workspace: workspace.to_string(),
                    name: name.to_string(),
                    candidates: candidates
                        .iter()
                        .map(|(previous, _)| (*previous).clone())
                        .collect(),
                    at: source.clone(),
                });
                Match::Problem
            }
        }
    }

    fn plan_teams(&mut self, ws: &mut WorkspacePlan) {
        let (desired, live_workspace) = (ws.desired, ws.live);
        for (name, team) in &desired.teams {
            let address = Address::Team(ws.name.to_string(), name.clone());
            self.read(address.clone());
            for previous in &team.previously {
                self.read(Address::Team(ws.name.to_string(), previous.clone()));
            }
            let matched = self.match_by_name(
                &live_workspace.teams,
                |team: &LiveTeam| (team.name.as_str(), team.id.as_str()),
                "team",
                ws.name,
                name,
                &former_names(&team.previously, |n| desired.teams.contains_key(n)),
                &team.source,
                &ws.consumed_teams,
            );
            // A team without a member list keeps its live members (a recreated one takes its
            // former self's), so everything below sees the members it will have.
            let adopted;
            let team = match (&matched, team.members_managed) {
                (Match::Existing(live) | Match::Renamed(live), false) => {
                    adopted = DesiredTeam {
                        members: live
                            .members
                            .iter()
                            .map(|email| (email.clone(), team.source.clone()))
                            .collect(),
                        ..team.clone()
                    };
                    &adopted
                }
                _ => team,
            };
            let members: BTreeSet<Email> = team.members.keys().cloned().collect();
            let planned = match matched {
                Match::Problem => PlannedTeam {
                    team_ref: None,
                    live_id: None,
                    members,
                    add_step: None,
                },
                Match::Existing(live) => {
                    ws.consumed_teams.insert(live.id.clone());
                    self.count_managed(ObjectKind::Teams, 1);
                    let add_step = self.ensure_team_members(ws, team, live);
                    PlannedTeam {
                        team_ref: Some(TeamRef::Id(live.id.clone())),
                        live_id: Some(live.id.clone()),
                        members,
                        add_step,
                    }
                }
                Match::Renamed(previous) if !team.recreate => {
                    ws.consumed_teams.insert(previous.id.clone());
                    self.problem(PlanProblem::TeamRenameUnsupported {
                        workspace: ws.name.to_string(),
                        name: name.clone(),
                        previous: previous.name.clone(),
                        at: team.source.clone(),
                    });
                    PlannedTeam {
                        team_ref: None,
                        live_id: None,
                        members,
                        add_step: None,
                    }
                }
                Match::Renamed(previous) => {
                    ws.consumed_teams.insert(previous.id.clone());
                    self.count_managed(ObjectKind::Teams, 1);
                    let why = format!(
                        "recreated as `{name}`, recreate: true at {}",
                        at(&team.source)
                    );
                    self.delete_team(ws, previous, why, Some(team.source.clone()), None);
                    let created = self.create_team(ws, team);
                    PlannedTeam {
                        team_ref: created,
                        live_id: None,
                        members,
                        add_step: None,
                    }
                }
                Match::New => {
                    let created = self.create_team(ws, team);
                    PlannedTeam {
                        team_ref: created,
                        live_id: None,
                        members,
                        add_step: None,
                    }
                }
            };
            ws.teams.insert(name.clone(), planned);
        }

        // Live teams the manifests do not declare: pruned or listed.
        let declared: BTreeSet<&String> = desired.teams.keys().collect();
        let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
        for team in &live_workspace.teams {
            *by_name.entry(team.name.as_str()).or_default() += 1;
        }
        let prune = self.prune_reason(ws.name, ObjectKind::Teams);
        for team in &live_workspace.teams {
            if declared.contains(&team.name) || ws.consumed_teams.contains(&team.id) {
                continue;
            }
            let address = Address::Team(ws.name.to_string(), team.name.clone());
            let ignored = self.ignored(&[&address]).is_some();
            match &prune {
                Some(reason) if !ignored => {
                    self.read(address);
                    self.count_managed(ObjectKind::Teams, 1);
                    let suffix = (by_name[team.name.as_str()] > 1).then_some(team.id.as_str());
                    self.delete_team(ws, team, reason.clone(), None, suffix);
                }
                _ => self.list_unmanaged(
                    &address,
                    "team",
                    count(
                        team.members.len() + team.unknown_member_ids.len(),
                        "member",
                        "members",
                    ),
                ),
            }
        }
    }

    /// Exact members for a declared team that exists: one add call and one remove call.
    fn ensure_team_members(
        &mut self,
        ws: &mut WorkspacePlan,
        team: &DesiredTeam,
        live: &LiveTeam,
    ) -> Option<(StepId, BTreeSet<Email>)> {
        let address = Address::Team(ws.name.to_string(), team.name.clone());
        let mut added = BTreeSet::new();
        let mut user_ids = Vec::new();
        let mut changes = Vec::new();
        for (email, source) in &team.members {
            if live.members.contains(email) {
                continue;
            }
            let Some(user) = self.user_ref(email, source) else {
                continue;
            };
            added.insert(email.clone());
            user_ids.push(user);
            changes.push(MemberChange {
                user: email.to_string(),
                reason: at(source),
            });
        }
        let add_step = if user_ids.is_empty() {
            None
        } else {
            let step = self.add_step(
                Draft {
                    call: Call::TeamAddUsers {
                        body: TeamUsersBody {
                            team_id: live.id.clone(),
                            user_ids,
                        },
                    },
                    target: address.clone(),
                    action: Action::Add,
                    destructive: false,
                    reason: at(&team.source),
                    depends_on: BTreeSet::new(),
                    detail: Detail::Members { users: changes },
                },
                None,
            );
            self.after_workspace_add(ws, &added, &step);
            Some((step, added))
        };

        let mut removed = BTreeSet::new();
        let mut user_ids = Vec::new();
        let mut changes = Vec::new();
        let mut reason = None;
        for email in &live.members {
            if team.members.contains_key(email) {
                continue;
            }
            let Some(user) = self.live.users.get(email) else {
                continue;
            };
            removed.insert(email.clone());
            user_ids.push(UserRef::Id(user.id.clone()));
            let reason = reason.get_or_insert_with(|| {
                format!("not in team `{}` at {}", team.name, at(&team.source))
            });
            changes.push(MemberChange {
                user: email.to_string(),
                reason: reason.clone(),
            });
        }
        for id in &live.unknown_member_ids {
            user_ids.push(UserRef::Id(id.clone()));
            changes.push(MemberChange {
                user: format!("id {id}"),
                reason: "member id matches no user of the org".to_string(),
            });
        }
        self.count_managed(Counted::TeamMembers, live.members.len());
        for email in &removed {
            self.count_removal(Counted::TeamMembers, format!("{address} {email}"));
        }
        if !live.members.is_empty() && team.members.is_empty() {
            self.count_emptied("members", address.to_string());
        }
        if !user_ids.is_empty() {
            let step = self.add_step(
                Draft {
                    call: Call::TeamRemoveUsers {
                        body: TeamUsersBody {
                            team_id: live.id.clone(),
                            user_ids,
                        },
                    },
                    target: address,
                    action: Action::Remove,
                    destructive: true,
                    reason: at(&team.source),
                    depends_on: BTreeSet::new(),
                    detail: Detail::Members { users: changes },
                },
                None,
            );
            ws.team_removals.insert(live.id.clone(), (step, removed));
        }
        add_step
    }

    /// A new team with its initial members, in one call.
    fn create_team(&mut self, ws: &WorkspacePlan, team: &DesiredTeam) -> Option<TeamRef> {
        let address = Address::Team(ws.name.to_string(), team.name.clone());
        let mut members = Vec::new();
        let mut changes = Vec::new();
        let mut all_known = true;
        for (email, source) in &team.members {
            match self.user_ref(email, source) {
                Some(user) => {
                    members.push(user);
                    changes.push(MemberChange {
                        user: email.to_string(),
                        reason: at(source),
                    });
                }
                None => all_known = false,
            }
        }
        let step = self.add_step(
            Draft {
                call: Call::TeamCreate {
                    body: TeamCreateBody {
                        workspace_id: ws.live.id.clone(),
                        name: team.name.clone(),
                        members,
                    },
                },
                target: address,
                action: Action::Create,
                destructive: false,
                reason: at(&team.source),
                depends_on: BTreeSet::new(),
                detail: Detail::Members { users: changes },
            },
            None,
        );
        let added: BTreeSet<Email> = team.members.keys().cloned().collect();
        self.after_workspace_add(ws, &added, &step);
        all_known.then(|| TeamRef::FromStep {
            id_from_step: step,
            team: team.name.clone(),
        })
    }

    fn delete_team(
        &mut self,
        ws: &mut WorkspacePlan,
        team: &LiveTeam,
        why: String,
        source: Option<Source>,
        id_suffix: Option<&str>,
    ) {
        let address = Address::Team(ws.name.to_string(), team.name.clone());
        self.count_removal(ObjectKind::Teams, address.to_string());
        let mut changes: Vec<MemberChange> = team
            .members
            .iter()
            .map(|email| MemberChange {
                user: email.to_string(),
                reason: "member of the deleted team".to_string(),
            })
            .collect();
        changes.extend(team.unknown_member_ids.iter().map(|id| MemberChange {
            user: format!("id {id}"),
            reason: "member of the deleted team".to_string(),
        }));
        let step = self.add_step(
            Draft {
                call: Call::TeamDelete {
                    params: TeamIdParams {
                        team_id: team.id.clone(),
                    },
                },
                target: address,
                action: Action::Delete,
                destructive: true,
                reason: why.clone(),
                depends_on: BTreeSet::new(),
                detail: Detail::Members { users: changes },
            },
            id_suffix,
        );
        ws.deleted_teams.insert(
            team.id.clone(),
            DeletedTeam {
                step,
                name: team.name.clone(),
                why,
                at: source,
                members: team.members.clone(),
            },
        );
    }

    /// Adding to a team waits for adding the same users to the workspace.
    fn after_workspace_add(&mut self, ws: &WorkspacePlan, users: &BTreeSet<Email>, step: &StepId) {
        if let Some(add) = &ws.members_add_step
            && !users.is_disjoint(&ws.members_added)
        {
            self.add_edge(add, step);
        }
    }

    /// The team a distribution or rule names: a declared one, or a live one the manifests do not
    /// declare. Reports unknown, duplicate and to-be-deleted teams.
    pub(super) fn resolve_team(
        &mut self,
        ws: &WorkspacePlan,
        name: &str,
        used_by: &str,
        source: &Source,
    ) -> Option<ResolvedTeam> {
        if let Some(team) = ws.teams.get(name) {
            return Some(ResolvedTeam {
                team_ref: team.team_ref.clone()?,
                live_id: team.live_id.clone(),
                members: team.members.clone(),
                add_step: team.add_step.clone(),
            });
        }
        let address = Address::Team(ws.name.to_string(), name.to_string());
        self.read(address);
        let live: Vec<&LiveTeam> = ws.live.teams.iter().filter(|t| t.name == name).collect();
        match live.as_slice() {
            [] => {
                self.problem(PlanProblem::UnknownTeam {
                    workspace: ws.name.to_string(),
                    team: name.to_string(),
                    used_by: used_by.to_string(),
                    at: source.clone(),
                });
                None
            }
            [team] => {
                if let Some(deleted) = ws.deleted_teams.get(&team.id) {
                    self.problem(PlanProblem::TeamStillUsed {
                        workspace: ws.name.to_string(),
                        team: name.to_string(),
                        used_by: used_by.to_string(),
                        why: deleted.why.clone(),
                        at: Some(source.clone()),
                    });
                    return None;
                }
                Some(ResolvedTeam {
                    team_ref: TeamRef::Id(team.id.clone()),
                    live_id: Some(team.id.clone()),
                    members: team.members.clone(),
                    add_step: None,
                })
            }
            several => {
                self.problem(PlanProblem::DuplicateName {
                    kind: "team".to_string(),
                    workspace: ws.name.to_string(),
                    name: name.to_string(),
                    ids: several.iter().map(|team| team.id.clone()).collect(),
                    at: source.clone(),
                });
                None
            }
        }
    }

    fn plan_settings(&mut self, ws: &WorkspacePlan) {
        let Some((settings, source)) = &ws.desired.settings else {
            return;
        };
        // Settings read with fields scoville does not know need no `refuse_erasing`:
        // distribution-workspace-settings-update merges (only the fields sent change), so
        // what it does not send, unknown fields included, stays as it is.
        let address = Address::Settings(ws.name.to_string());
        if ws
            .opaque
            .contains(&(OpaqueKind::Settings, ws.name.to_string()))
        {
            return;
        }
        self.read(address.clone());
        if ws.live.settings.as_ref() == Some(settings) {
            return;
        }
        // `orderIfEqualState` is read-only in the API: an update cannot change it.
        if let Some(live) = &ws.live.settings
            && live.order_if_equal_state != settings.order_if_equal_state
        {
            self.warn(
                Some(&address),
                format!(
                    "`orderIfEqualState` of workspace `{}` is {:?} in the org and {:?} in the \
                     manifests, and the API cannot change it: set it in Chili Piper, or write \
                     {:?} in the manifests",
                    ws.name,
                    live.order_if_equal_state,
                    settings.order_if_equal_state,
                    live.order_if_equal_state
                ),
            );
            let writable = WorkspaceSettings {
                order_if_equal_state: live.order_if_equal_state,
                ..settings.clone()
            };
            if *live == writable {
                return;
            }
        }
        self.add_step(
            Draft {
                call: Call::DistributionSettingsUpdate {
                    params: WorkspaceIdParams {
                        workspace_id: ws.live.id.clone(),
                    },
                    body: settings.clone(),
                },
                target: address,
                action: Action::Update,
                destructive: false,
                reason: at(source),
                depends_on: BTreeSet::new(),
                detail: Detail::Settings {
                    before: ws.live.settings.clone(),
                    after: settings.clone(),
                },
            },
            None,
        );
    }

    /// The edges between kinds, once every step of the workspace exists.
    fn link_kinds(&mut self, ws: &WorkspacePlan) {
        let team_removals = &ws.team_removals;
        let team_name = |id: &str| {
            ws.live
                .teams
                .iter()
                .find(|team| team.id == id)
                .map_or_else(|| id.to_string(), |team| team.name.clone())
        };

        // Drop a member's weight before removing them from the team.
        for (team_id, (remove_step, removed)) in team_removals {
            for (drop_team, drop_step, dropped) in &ws.weight_drops {
                if drop_team == team_id && !dropped.is_disjoint(removed) {
                    self.add_edge(drop_step, remove_step);
                }
            }
            // scoville may not touch an unmanaged distribution, so it cannot drop the weight
            // first: refuse rather than leave a weight on someone who is off the team.
            for (use_team, used_by, weighted) in &ws.unmanaged_uses {
                if use_team != team_id {
                    continue;
                }
                for email in weighted.intersection(removed) {
                    self.problem(PlanProblem::WeightedInUnmanagedDistribution {
                        workspace: ws.name.to_string(),
                        team: team_name(team_id),
                        email: email.clone(),
                        used_by: used_by.clone(),
                        at: ws
                            .desired
                            .teams
                            .get(&team_name(team_id))
                            .map(|t| t.source.clone()),
                    });
                }
            }
        }

        // Release a team before deleting it; unmanaged users of it block the delete.
        for (team_id, deleted) in &ws.deleted_teams {
            for (release_team, release_step) in &ws.releases {
                if release_team == team_id {
                    self.add_edge(release_step, &deleted.step);
                }
            }
            for (use_team, used_by, _) in &ws.unmanaged_uses {
                if use_team == team_id {
                    self.problem(PlanProblem::TeamStillUsed {
                        workspace: ws.name.to_string(),
                        team: deleted.name.clone(),
                        used_by: used_by.clone(),
                        why: deleted.why.clone(),
                        at: deleted.at.clone(),
                    });
                }
            }
        }

        // Leave the teams (and distributions) before leaving the workspace.
        if let Some(remove_step) = &ws.members_remove_step {
            let leaving = &ws.members_removed;
            for (step, removed) in team_removals.values() {
                if !removed.is_disjoint(leaving) {
                    self.add_edge(step, remove_step);
                }
            }
            for deleted in ws.deleted_teams.values() {
                if !deleted.members.is_disjoint(leaving) {
                    self.add_edge(&deleted.step, remove_step);
                }
            }
            for (_, step, dropped) in &ws.weight_drops {
                if !dropped.is_disjoint(leaving) {
                    self.add_edge(step, remove_step);
                }
            }
            for team in &ws.live.teams {
                let managed =
                    ws.consumed_teams.contains(&team.id) || ws.deleted_teams.contains_key(&team.id);
                if managed {
                    continue;
                }
                for email in team.members.intersection(leaving) {
                    self.warn(
                        Some(&Address::Team(ws.name.to_string(), team.name.clone())),
                        format!(
                            "{email} leaves workspace `{}` but stays a member of unmanaged team `{}`",
                            ws.name, team.name
                        ),
                    );
                }
            }
        }
    }
}

/// Former names that are not declared themselves: a declared name is its own object, not a
/// rename.
pub(super) fn former_names(previously: &[String], declared: impl Fn(&str) -> bool) -> Vec<String> {
    previously
        .iter()
        .filter(|name| !declared(name))
        .cloned()
        .collect()
}

/// The closest existing name, for "did you mean".
fn suggest<'n>(wanted: &str, names: impl Iterator<Item = &'n str>) -> Option<String> {
    // The comparison costs the product of the lengths; no name that long is a typo.
    if wanted.len() > 200 {
        return None;
    }
    let wanted_lower = wanted.to_lowercase();
    names
        .map(|name| {
            let score = if name.to_lowercase() == wanted_lower {
                1.0
            } else {
                strsim::jaro_winkler(&wanted_lower, &name.to_lowercase())
            };
            (score, name)
        })
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, name)| name.to_string())
}
