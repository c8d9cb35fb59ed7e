//! Routing rules: create, modify (with the revision the plan saw), rename via `previously`,
//! delete when pruned (with the revision too). Teams are named in the manifests and sent as ids.

use std::collections::{BTreeMap, BTreeSet};

use super::body::{
    Call, ConditionBody, RuleCreateBody, RuleCreateDto, RuleCreateFields,
    RuleCreateOwnershipFields, RuleDeleteParams, RuleIdParams, RuleModifyBody, TeamRef,
};
use super::builder::{Draft, Planner, at};
use super::problems::PlanProblem;
use super::types::{Action, Address, Detail};
use super::workspace::{Match, WorkspacePlan, former_names};
use crate::edge::wire;
use crate::model::{
    Condition, DesiredRule, LiveRule, LiveWorkspace, ObjectKind, OpaqueKind, RuleKind, RuleSpec,
    UnknownFieldsKind,
};

impl Planner<'_> {
    pub(super) fn plan_rules(&mut self, ws: &mut WorkspacePlan) {
        let (desired, live_workspace) = (ws.desired, ws.live);
        for (name, rule) in &desired.rules {
            if ws.opaque.contains(&(OpaqueKind::Rule, name.clone())) {
                continue;
            }
            let address = Address::Rule(ws.name.to_string(), name.clone());
            self.read(address.clone());
            for previous in &rule.previously {
                self.read(Address::Rule(ws.name.to_string(), previous.clone()));
            }
            let matched = self.match_by_name(
                &live_workspace.rules,
                |r: &LiveRule| (r.name.as_str(), r.id.as_str()),
                "rule",
                ws.name,
                name,
                &former_names(&rule.previously, |n| desired.rules.contains_key(n)),
                &rule.source,
                &ws.matched_rules,
            );
            let live = match matched {
                Match::Problem => continue,
                Match::New => None,
                Match::Existing(live) | Match::Renamed(live) => {
                    ws.matched_rules.insert(live.id.clone());
                    self.count_managed(ObjectKind::Rules, 1);
                    Some(live)
                }
            };

            // Resolve every team the rule names, once each.
            let used_by = format!("rule `{name}`");
            let mut teams: BTreeMap<String, Option<(TeamRef, Option<String>)>> = BTreeMap::new();
            for team in rule_team_names(&rule.spec) {
                let resolved = self
                    .resolve_team(ws, &team, &used_by, &rule.source)
                    .map(|resolved| (resolved.team_ref, resolved.live_id));
                teams.insert(team, resolved);
            }
            if teams.values().any(Option::is_none) {
                continue;
            }
            let team_ref = |team: &str| teams.get(team).cloned().flatten().map(|(r, _)| r);
            let desired_live_teams: BTreeSet<String> = teams
                .values()
                .filter_map(|resolved| resolved.as_ref().and_then(|(_, id)| id.clone()))
                .collect();

            if let Some(live) = live {
                let kind_of = |spec: &RuleSpec| match spec.kind {
                    RuleKind::Standard => "standard",
                    RuleKind::Ownership { .. } => "ownership",
                };
                if kind_of(&live.spec) != kind_of(&rule.spec) {
                    self.problem(PlanProblem::RuleTypeChange {
                        workspace: ws.name.to_string(),
                        rule: name.clone(),
                        from: kind_of(&live.spec).to_string(),
                        to: kind_of(&rule.spec).to_string(),
                        at: rule.source.clone(),
                    });
                    continue;
                }
                let live_teams = live_rule_team_ids(ws.live, live);
                if live.name == *name && live.spec == rule.spec && live_teams == desired_live_teams
                {
                    continue;
                }
                if self.refuse_erasing(
                    UnknownFieldsKind::Rule,
                    &live.id,
                    format!("rule `{}` of workspace `{}`", live.name, ws.name),
                    &rule.source,
                ) {
                    continue;
                }
                let renamed = live.name != *name;
                let Some(dto) = self.rule_dto(ws, name, rule, &team_ref) else {
                    continue;
                };
                let step = self.add_step(
                    Draft {
                        call: Call::RuleModify {
                            params: RuleIdParams {
                                rule_id: live.id.clone(),
                            },
                            body: RuleModifyBody {
                                revision: live.meta.revision,
                                dto,
                            },
                        },
                        target: address,
                        action: if renamed {
                            Action::Rename
                        } else {
                            Action::Update
                        },
                        destructive: false,
                        reason: at(&rule.source),
                        depends_on: BTreeSet::new(),
                        detail: Detail::Rule {
                            name: name.clone(),
                            previously: renamed.then(|| live.name.clone()),
                            before: Some(live.spec.clone()),
                            after: Some(rule.spec.clone()),
                        },
                    },
                    None,
                );
                for released in live_teams.difference(&desired_live_teams) {
                    ws.releases.push((released.clone(), step.clone()));
                }
            } else {
                let Some(dto) = self.rule_dto(ws, name, rule, &team_ref) else {
                    continue;
                };
                self.add_step(
                    Draft {
                        call: Call::RuleCreate {
                            body: RuleCreateBody { dto },
                        },
                        target: address,
                        action: Action::Create,
                        destructive: false,
                        reason: at(&rule.source),
                        depends_on: BTreeSet::new(),
                        detail: Detail::Rule {
                            name: name.clone(),
                            previously: None,
                            before: None,
                            after: Some(rule.spec.clone()),
                        },
                    },
                    None,
                );
            }
        }

        // Live rules the manifests do not declare: pruned or listed.
        let prune = self.prune_reason(ws.name, ObjectKind::Rules);
        let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
        for rule in &live_workspace.rules {
            *by_name.entry(rule.name.as_str()).or_default() += 1;
        }
        for live in &live_workspace.rules {
            if ws.matched_rules.contains(&live.id) || desired.rules.contains_key(&live.name) {
                continue;
            }
            let address = Address::Rule(ws.name.to_string(), live.name.clone());
            let ignored = self.ignored(&[&address]).is_some();
            let team_ids = live_rule_team_ids(ws.live, live);
            match &prune {
                Some(reason) if !ignored => {
                    self.read(address.clone());
                    self.count_managed(ObjectKind::Rules, 1);
                    self.count_removal(ObjectKind::Rules, address.to_string());
                    let suffix = (by_name[live.name.as_str()] > 1).then_some(live.id.as_str());
                    let step = self.add_step(
                        Draft {
                            call: Call::RuleDelete {
                                params: RuleDeleteParams {
                                    rule_id: live.id.clone(),
                                    revision: live.meta.revision,
                                },
                            },
                            target: address,
                            action: Action::Delete,
                            destructive: true,
                            reason: reason.clone(),
                            depends_on: BTreeSet::new(),
                            detail: Detail::Rule {
                                name: live.name.clone(),
                                previously: None,
                                before: Some(live.spec.clone()),
                                after: None,
                            },
                        },
                        suffix,
                    );
                    for team_id in team_ids {
                        ws.releases.push((team_id, step.clone()));
                    }
                }
                _ => {
                    for team_id in team_ids {
                        ws.unmanaged_uses.push((
                            team_id,
                            format!("rule `{}`", live.name),
                            BTreeSet::new(),
                        ));
                    }
                    let kind = match live.spec.kind {
                        RuleKind::Standard => "standard",
                        RuleKind::Ownership { .. } => "ownership",
                    };
                    self.list_unmanaged(
                        &address,
                        "rule",
                        format!(
                            "{kind}, {}",
                            crate::render::count(
                                leaf_conditions(&live.spec.conditions),
                                "condition",
                                "conditions"
                            )
                        ),
                    );
                }
            }
        }
    }
}

impl Planner<'_> {
    /// The rule as rule-create and rule-modify take it; `None` (with the problem reported)
    /// for an ownership rule without a team, which the API refuses.
    fn rule_dto(
        &mut self,
        ws: &WorkspacePlan,
        name: &str,
        rule: &DesiredRule,
        team_ref: &dyn Fn(&str) -> Option<TeamRef>,
    ) -> Option<RuleCreateDto> {
        let conditions = condition_body(&rule.spec.conditions, "1", team_ref);
        Some(match &rule.spec.kind {
            RuleKind::Standard => RuleCreateDto::CreateRuleRequest(RuleCreateFields {
                workspace_id: ws.live.id.clone(),
                name: name.to_string(),
                conditions,
            }),
            RuleKind::Ownership { team } => {
                let Some(team_id) = team.as_deref().and_then(team_ref) else {
                    self.problem(PlanProblem::OwnershipRuleWithoutTeam {
                        workspace: ws.name.to_string(),
                        rule: name.to_string(),
                        at: rule.source.clone(),
                    });
                    return None;
                };
                RuleCreateDto::CreateOwnershipRuleRequest(RuleCreateOwnershipFields {
                    workspace_id: ws.live.id.clone(),
                    team_id,
                    name: name.to_string(),
                    conditions,
                })
            }
        })
    }
}

/// Conditions that test something (groups are not counted).
fn leaf_conditions(condition: &Condition) -> usize {
    match condition {
        Condition::Group { conditions, .. } => conditions.iter().map(leaf_conditions).sum(),
        _ => 1,
    }
}

/// Team names a rule spec uses: the ownership team and ownership conditions' teams.
fn rule_team_names(spec: &RuleSpec) -> BTreeSet<String> {
    let mut names = Vec::new();
    if let RuleKind::Ownership { team: Some(team) } = &spec.kind {
        names.push(team.clone());
    }
    spec.conditions.teams(&mut names);
    names.into_iter().collect()
}

/// Live team ids a live rule uses. Its spec names teams (or `<id>` for an id that matches no
/// team); a name matches every live team of that name.
fn live_rule_team_ids(workspace: &LiveWorkspace, rule: &LiveRule) -> BTreeSet<String> {
    rule_team_names(&rule.spec)
        .into_iter()
        .flat_map(|name| {
            if let Some(id) = name.strip_prefix('<').and_then(|n| n.strip_suffix('>')) {
                vec![id.to_string()]
            } else {
                workspace
                    .teams
                    .iter()
                    .filter(|team| team.name == name)
                    .map(|team| team.id.clone())
                    .collect()
            }
        })
        .collect()
}

/// The wire-shaped condition tree with ids generated from each node's position (`1`, `1.2`,
/// `1.2.1`): the API requires ids, they carry no meaning, and equal trees get equal ids.
pub(super) fn condition_body(
    condition: &Condition,
    path: &str,
    team_ref: &dyn Fn(&str) -> Option<TeamRef>,
) -> ConditionBody {
    let id = path.to_string();
    match condition {
        Condition::Group {
            operator,
            name,
            conditions,
        } => ConditionBody::ConditionGroup {
            id,
            name: name.clone(),
            operator: *operator,
            conditions: conditions
                .iter()
                .enumerate()
                .map(|(index, child)| {
                    condition_body(child, &format!("{path}.{}", index + 1), team_ref)
                })
                .collect(),
        },
        Condition::Static {
            reference,
            operator,
            value,
        } => ConditionBody::StaticValueCondition {
            condition_id: id,
            data_reference: reference.clone(),
            operator: *operator,
            value: value.clone(),
        },
        Condition::Single {
            reference,
            operator,
        } => ConditionBody::SingleParameterCondition {
            condition_id: id,
            data_reference: reference.clone(),
            operator: *operator,
        },
        Condition::Value { lhs, operator, rhs } => ConditionBody::ValueCondition {
            condition_id: id,
            lhs_reference: lhs.clone(),
            operator: *operator,
            rhs_reference: rhs.clone(),
        },
        Condition::ObjectExists {
            source,
            object,
            exists,
        } => ConditionBody::ObjectExistsCondition {
            condition_id: id,
            reference: wire::DataObjectReference {
                source: *source,
                object: object.clone(),
            },
            exists: *exists,
        },
        Condition::Evaluable {
            reference,
            operator,
            evaluable,
        } => ConditionBody::EvaluableCondition {
            condition_id: id,
            data_reference: reference.clone(),
            operator: *operator,
            evaluable: evaluable.clone(),
        },
        Condition::Ownership {
            ownership,
            team,
            search_by,
        } => ConditionBody::OwnershipCondition {
            condition_id: id,
            ownership: ownership.clone(),
            team_id: team.as_deref().and_then(team_ref),
            search_ownership_by: *search_by,
        },
    }
}
