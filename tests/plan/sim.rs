//! An in-memory stand-in for the Edge API, for property tests: applies a plan's resolved wire
//! requests to a `Live` in order and enforces the constraints the plan's ordering promises
//! (members of a team must be workspace members; a team is not deleted while a distribution
//! uses it; a weighted user is on the distribution's team; a member is not removed from a team
//! while a distribution still weights them; rule revisions match). It is not the emulator: the
//! real convergence checks against the emulator come with the applier.

use std::collections::{BTreeMap, BTreeSet};

use scoville::edge::wire;
use scoville::model::{
    Email, License, Live, LiveDistribution, LiveRule, LiveTeam, LiveUser, Meta, OrderIfEqualState,
};
use scoville::plan::{Detail, Plan, StepId};

fn licenses(set: &wire::LicenseSet) -> BTreeSet<License> {
    let mut out = BTreeSet::new();
    for (on, license) in [
        (set.distro, License::Distro),
        (set.chili_cal_org, License::ChiliCalOrg),
        (set.concierge, License::Concierge),
        (set.concierge_live, License::ConciergeLive),
        (set.chat, License::Chat),
        (set.handoff, License::Handoff),
    ] {
        if on {
            out.insert(license);
        }
    }
    out
}

fn last_segment(path: &str) -> String {
    path.rsplit('/').next().unwrap_or_default().to_string()
}

struct Org<'l> {
    live: &'l mut Live,
    next_id: usize,
}

impl Org<'_> {
    fn new_id(&mut self, kind: &str) -> String {
        self.next_id += 1;
        format!("sim-{kind}-{}", self.next_id)
    }

    fn email(&self, id: &str) -> Result<Email, String> {
        self.live
            .email_of(id)
            .cloned()
            .ok_or_else(|| format!("no user with id {id}"))
    }

    fn emails(&self, ids: &[String]) -> Result<Vec<Email>, String> {
        ids.iter().map(|id| self.email(id)).collect()
    }

    fn workspace_of_team(
        &mut self,
        team_id: &str,
    ) -> Result<&mut scoville::model::LiveWorkspace, String> {
        self.live
            .workspaces
            .values_mut()
            .find(|w| w.teams.iter().any(|t| t.id == team_id))
            .ok_or_else(|| format!("no team with id {team_id}"))
    }

    fn workspace(&mut self, id: &str) -> Result<&mut scoville::model::LiveWorkspace, String> {
        self.live
            .workspaces
            .values_mut()
            .find(|w| w.id == id)
            .ok_or_else(|| format!("no workspace with id {id}"))
    }
}

/// Applies `plan` to `live`. Returns the first violated constraint.
pub fn apply(plan: &Plan, live: &mut Live) -> Result<(), String> {
    let mut created: BTreeMap<StepId, String> = BTreeMap::new();
    let mut org = Org { live, next_id: 0 };
    for step in &plan.steps {
        for dependency in &step.depends_on {
            if !plan
                .steps
                .iter()
                .take_while(|s| s.id != step.id)
                .any(|s| &s.id == dependency)
            {
                return Err(format!("{} runs before {dependency}", step.id));
            }
        }
        let sent = step
            .call
            .request(&|id: &StepId| created.get(id).cloned())
            .map_err(|e| e.to_string())?;
        let body = sent.body.clone().unwrap_or(serde_json::Value::Null);
        let fail = |message: String| format!("{}: {message}", step.id);
        match sent.op.id {
            "user-invite" => {
                let invite: wire::InviteUserRequest = serde_json::from_value(body).unwrap();
                let email = Email::parse(&invite.email).unwrap();
                if org.live.users.contains_key(&email) {
                    return Err(fail(format!("{email} exists already")));
                }
                let id = org.new_id("user");
                org.live.users.insert(
                    email.clone(),
                    LiveUser {
                        id: id.clone(),
                        email,
                        name: invite.name.unwrap_or_default(),
                        licenses: BTreeSet::new(),
                        tier: None,
                    },
                );
                created.insert(step.id.clone(), id);
            }
            "user-update-licenses" => {
                let update: wire::UpdateLicensesRequest = serde_json::from_value(body).unwrap();
                for (id, set) in update.update {
                    let email = org.email(&id).map_err(fail)?;
                    org.live.users.get_mut(&email).unwrap().licenses = licenses(&set);
                }
            }
            "workspace-add-users" | "workspace-remove-users" => {
                let request: wire::WorkspaceUsersRequest = serde_json::from_value(body).unwrap();
                if request.user_ids.is_empty() {
                    return Err(fail("empty userIds".into()));
                }
                let emails = org.emails(&request.user_ids).map_err(fail)?;
                let workspace = org.workspace(&request.workspace_id).map_err(fail)?;
                for email in emails {
                    if step.call.op().id == "workspace-add-users" {
                        workspace.members.insert(email);
                    } else {
                        workspace.members.remove(&email);
                    }
                }
            }
            "team-create" => {
                let request: wire::CreateTeamRequest = serde_json::from_value(body).unwrap();
                let emails = org
                    .emails(&request.members.unwrap_or_default())
                    .map_err(fail)?;
                let id = org.new_id("team");
                let workspace = org.workspace(&request.workspace_id).map_err(fail)?;
                for email in &emails {
                    if !workspace.members.contains(email) {
                        return Err(fail(format!("{email} is not a member of the workspace")));
                    }
                }
                workspace.teams.push(LiveTeam {
                    id: id.clone(),
                    name: request.name,
                    members: emails.into_iter().collect(),
                    added_at: BTreeMap::new(),
                    unknown_member_ids: BTreeSet::new(),
                    meta: Meta::default(),
                });
                workspace
                    .teams
                    .sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
                created.insert(step.id.clone(), id);
            }
            "team-add-users" | "team-remove-users" => {
                let request: wire::TeamUsersRequest = serde_json::from_value(body).unwrap();
                if request.user_ids.is_empty() {
                    return Err(fail("empty userIds".into()));
                }
                let known: Vec<String> = request
                    .user_ids
                    .iter()
                    .filter(|id| org.live.email_of(id).is_some())
                    .cloned()
                    .collect();
                let emails = org.emails(&known).map_err(fail)?;
                let adding = step.call.op().id == "team-add-users";
                let workspace = org.workspace_of_team(&request.team_id).map_err(fail)?;
                if adding {
                    for email in &emails {
                        if !workspace.members.contains(email) {
                            return Err(fail(format!("{email} is not a member of the workspace")));
                        }
                    }
                } else {
                    for distribution in &workspace.distributions {
                        for email in &emails {
                            if distribution.team_id == request.team_id
                                && distribution.spec.weights.contains_key(email)
                            {
                                return Err(fail(format!(
                                    "distribution {} still weights {email}",
                                    distribution.name
                                )));
                            }
                        }
                    }
                }
                let team = workspace
                    .teams
                    .iter_mut()
                    .find(|t| t.id == request.team_id)
                    .unwrap();
                for email in emails {
                    if adding {
                        team.members.insert(email);
                    } else {
                        team.members.remove(&email);
                    }
                }
                if !adding {
                    for id in &request.user_ids {
                        team.unknown_member_ids.remove(id);
                    }
                }
            }
            "team-delete" => {
                let id = last_segment(&sent.path);
                let workspace = org.workspace_of_team(&id).map_err(fail)?;
                if let Some(user) = workspace.distributions.iter().find(|d| d.team_id == id) {
                    return Err(fail(format!(
                        "distribution {} still uses the team",
                        user.name
                    )));
                }
                let name = workspace
                    .teams
                    .iter()
                    .find(|t| t.id == id)
                    .unwrap()
                    .name
                    .clone();
                let same_name = workspace.teams.iter().filter(|t| t.name == name).count();
                for rule in &workspace.rules {
                    let mut teams = Vec::new();
                    if let scoville::model::RuleKind::Ownership { team: Some(team) } =
                        &rule.spec.kind
                    {
                        teams.push(team.clone());
                    }
                    rule.spec.conditions.teams(&mut teams);
                    if same_name == 1 && teams.contains(&name) {
                        return Err(fail(format!("rule {} still uses the team", rule.name)));
                    }
                }
                workspace.teams.retain(|t| t.id != id);
            }
            "distribution-create" | "distribution-update-v3" => {
                let request: wire::DistributionWriteRequest = serde_json::from_value(body).unwrap();
                let Detail::Distribution {
                    after: Some(spec), ..
                } = &step.detail
                else {
                    return Err(fail("no spec in the detail".into()));
                };
                let weights = request.weights.clone().unwrap_or_default();
                let weighted = org
                    .emails(
                        &weights
                            .iter()
                            .map(|w| w.user_id.clone())
                            .collect::<Vec<_>>(),
                    )
                    .map_err(fail)?;
                if weighted.iter().cloned().collect::<BTreeSet<_>>()
                    != spec.weights.keys().cloned().collect()
                {
                    return Err(fail("the body's weights are not the detail's".into()));
                }
                let workspace = org.workspace(&request.workspace_id).map_err(fail)?;
                let Some(team) = workspace.teams.iter().find(|t| t.id == request.team_id) else {
                    return Err(fail(format!("no team {}", request.team_id)));
                };
                if team.name != spec.team {
                    return Err(fail("the body's team is not the detail's".into()));
                }
                for email in &weighted {
                    if !team.members.contains(email) {
                        return Err(fail(format!(
                            "{email} is weighted but not on team {}",
                            team.name
                        )));
                    }
                }
                let id = if sent.op.id == "distribution-create" {
                    let id = org.new_id("distribution");
                    created.insert(step.id.clone(), id.clone());
                    id
                } else {
                    last_segment(&sent.path)
                };
                let workspace = org.workspace(&request.workspace_id).map_err(fail)?;
                workspace.distributions.retain(|d| d.id != id);
                workspace.distributions.push(LiveDistribution {
                    id,
                    name: request.name,
                    team_id: request.team_id,
                    team_revision: 1,
                    spec: spec.clone(),
                    meta: Meta::default(),
                });
                workspace
                    .distributions
                    .sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
            }
            "distribution-delete" => {
                let id = last_segment(&sent.path);
                for workspace in org.live.workspaces.values_mut() {
                    workspace.distributions.retain(|d| d.id != id);
                }
            }
            "distribution-workspace-settings-update" => {
                let update: wire::WorkspaceSettingsUpdate = serde_json::from_value(body).unwrap();
                let workspace = org.workspace(&sent.query[0].1).map_err(fail)?;
                let order = workspace
                    .settings
                    .as_ref()
                    .map_or(OrderIfEqualState::AsConfigured, |s| s.order_if_equal_state);
                workspace.settings = Some(update.applied(order));
            }
            "rule-create" | "rule-modify" | "rule-delete" => {
                let (workspace_id, name, revision, rule_id) = match sent.op.id {
                    "rule-create" => {
                        let create: wire::RuleCreateRequest = serde_json::from_value(body).unwrap();
                        let fields = create.dto.view();
                        (
                            Some(fields.workspace_id.to_string()),
                            fields.name.to_string(),
                            None,
                            String::new(),
                        )
                    }
                    "rule-modify" => {
                        let modify: wire::RuleModifyRequest = serde_json::from_value(body).unwrap();
                        (
                            None,
                            modify.dto.view().name.to_string(),
                            Some(modify.revision),
                            modify.rule_id.clone(),
                        )
                    }
                    _ => (
                        None,
                        String::new(),
                        Some(sent.query[1].1.parse::<i64>().unwrap()),
                        sent.query[0].1.clone(),
                    ),
                };
                let rule_id = rule_id.as_str();
                if let Some(revision) = revision {
                    let workspace = org
                        .live
                        .workspaces
                        .values_mut()
                        .find(|w| w.rules.iter().any(|r| r.id == rule_id))
                        .ok_or_else(|| fail(format!("no rule {rule_id}")))?;
                    let rule = workspace
                        .rules
                        .iter_mut()
                        .find(|r| r.id == rule_id)
                        .unwrap();
                    if rule.meta.revision != revision {
                        return Err(fail("stale revision".into()));
                    }
                    if sent.op.id == "rule-delete" {
                        workspace.rules.retain(|r| r.id != rule_id);
                    } else {
                        let Detail::Rule {
                            after: Some(spec), ..
                        } = &step.detail
                        else {
                            return Err(fail("no spec".into()));
                        };
                        rule.name = name;
                        rule.spec = spec.clone();
                        rule.meta.revision += 1;
                        workspace
                            .rules
                            .sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
                    }
                } else {
                    let Detail::Rule {
                        after: Some(spec), ..
                    } = &step.detail
                    else {
                        return Err(fail("no spec".into()));
                    };
                    let id = org.new_id("rule");
                    created.insert(step.id.clone(), id.clone());
                    let workspace = org.workspace(&workspace_id.unwrap()).map_err(fail)?;
                    workspace.rules.push(LiveRule {
                        id,
                        name,
                        spec: spec.clone(),
                        meta: Meta {
                            revision: 1,
                            ..Meta::default()
                        },
                    });
                    workspace
                        .rules
                        .sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
                }
            }
            other => return Err(fail(format!("the simulator does not know {other}"))),
        }
    }
    Ok(())
}
