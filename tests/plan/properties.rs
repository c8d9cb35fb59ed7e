//! Property tests over generated orgs and manifests: planning the description of an org is
//! empty; every plan's order respects its dependency graph; plans are byte-identical across
//! runs; and applying a plan to an in-memory org (`sim`) and planning again is empty.

use std::collections::BTreeSet;

use proptest::prelude::*;
use scoville::model::*;
use scoville::plan::{Address, Detail, Plan, PlanOptions, PlanOutcome, order_violations, plan};
use scoville::render;
use serde_json::json;

use crate::sim;
use crate::support::{describe, email, meta, src};

/// Reads generation choices from bytes, so proptest can shrink them.
struct Tape<'b> {
    bytes: &'b [u8],
    position: usize,
}

impl Tape<'_> {
    fn pick(&mut self, n: usize) -> usize {
        let byte = self.bytes.get(self.position).copied().unwrap_or(0);
        self.position += 1;
        if n == 0 { 0 } else { byte as usize % n }
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.pick(100) < percent
    }
    fn subset<T: Clone>(&mut self, items: &[T], percent: usize) -> Vec<T> {
        items
            .iter()
            .filter(|_| self.chance(percent))
            .cloned()
            .collect()
    }
}

fn user_email(n: usize) -> Email {
    email(&format!("user{n}@prop.example"))
}

fn license_set(tape: &mut Tape) -> BTreeSet<License> {
    License::ALL
        .iter()
        .copied()
        .filter(|_| tape.chance(40))
        .collect()
}

fn assignment(tape: &mut Tape) -> Assignment {
    match tape.pick(3) {
        0 => Assignment::Record {
            handling: RecordHandling::Strict,
        },
        1 => Assignment::Conversation,
        _ => Assignment::Meeting {
            handling: MeetingHandling::Strict {
                hide_assignee: tape.chance(50),
            },
            limits: None,
        },
    }
}

fn condition(tape: &mut Tape) -> Condition {
    Condition::Group {
        operator: if tape.chance(50) {
            LogicalOperator::And
        } else {
            LogicalOperator::Or
        },
        name: None,
        conditions: vec![Condition::Static {
            reference: DataReference {
                source: DataSource::SF,
                object: "Lead".into(),
                field: "Country".into(),
            },
            operator: Operator::IsAnyOf,
            value: json!([format!("C{}", tape.pick(5))]),
        }],
    }
}

fn settings(tape: &mut Tape) -> WorkspaceSettings {
    WorkspaceSettings {
        calibrate_vacation: tape.chance(50),
        credit_back_cancelled: tape.chance(50),
        credit_back_no_show: false,
        order_if_equal_state: OrderIfEqualState::AsConfigured,
        reset_periodicity: WorkspaceResetPeriodicity::Never,
        vacation_buffer: VacationBuffer {
            days_before_start: 0,
            days_before_end: 0,
            recognition_enabled: true,
            freshness: VacationFreshness::Cached,
        },
    }
}

/// A small org: users, one to three workspaces with members, teams, distributions on those
/// teams, standard and ownership rules, and sometimes settings.
fn generate_live(tape: &mut Tape) -> Live {
    let n_users = 2 + tape.pick(10);
    let mut live = Live {
        tenant: Some(LiveTenant {
            tenant_id: "prop.app1".into(),
            subdomain: "prop".into(),
        }),
        ..Live::default()
    };
    for n in 0..n_users {
        live.users.insert(
            user_email(n),
            LiveUser {
                id: format!("u{n}"),
                email: user_email(n),
                name: format!("User {n}"),
                licenses: license_set(tape),
                tier: None,
            },
        );
    }
    let emails: Vec<Email> = live.users.keys().cloned().collect();
    for (index, name) in ["Alpha", "Beta", "Gamma"]
        .iter()
        .take(1 + tape.pick(3))
        .enumerate()
    {
        let members: Vec<Email> = tape.subset(&emails, 60);
        let mut workspace = LiveWorkspace {
            id: format!("w{index}"),
            name: name.to_string(),
            meta: meta(1),
            members: members.iter().cloned().collect(),
            teams: vec![],
            distributions: vec![],
            rules: vec![],
            settings: tape.chance(50).then(|| settings(tape)),
            personal: false,
            meeting_types: None,
            reminders: None,
            links: None,
        };
        for t in 0..tape.pick(4) {
            workspace.teams.push(LiveTeam {
                id: format!("w{index}-t{t}"),
                name: format!("team{t}"),
                members: tape.subset(&members, 50).into_iter().collect(),
                added_at: Default::default(),
                unknown_member_ids: BTreeSet::new(),
                meta: meta(1),
            });
        }
        if !workspace.teams.is_empty() {
            for d in 0..tape.pick(3) {
                let team = workspace.teams[tape.pick(workspace.teams.len())].clone();
                let team_members: Vec<Email> = team.members.iter().cloned().collect();
                let weights = tape
                    .subset(&team_members, 70)
                    .into_iter()
                    .map(|email| (email, 50 * tape.pick(5) as u32))
                    .collect();
                workspace.distributions.push(LiveDistribution {
                    id: format!("w{index}-d{d}"),
                    name: format!("dist{d}"),
                    team_id: team.id.clone(),
                    team_revision: 1,
                    spec: DistributionSpec {
                        team: team.name.clone(),
                        assignment: assignment(tape),
                        weights,
                        calibration: Default::default(),
                        capping: None,
                    },
                    meta: meta(1),
                });
            }
        }
        for r in 0..tape.pick(3) {
            let kind = if !workspace.teams.is_empty() && tape.chance(30) {
                RuleKind::Ownership {
                    team: Some(
                        workspace.teams[tape.pick(workspace.teams.len())]
                            .name
                            .clone(),
                    ),
                }
            } else {
                RuleKind::Standard
            };
            workspace.rules.push(LiveRule {
                id: format!("w{index}-r{r}"),
                name: format!("rule{r}"),
                spec: RuleSpec {
                    kind,
                    conditions: condition(tape),
                },
                meta: meta(1 + tape.pick(3) as i64),
            });
        }
        live.workspaces.insert(name.to_string(), workspace);
    }
    live
}

/// Random, mostly valid edits of the manifests: what people do in pull requests.
fn mutate(tape: &mut Tape, desired: &mut Desired) {
    let mut next_user = 100;
    for _ in 0..1 + tape.pick(6) {
        let workspace_names: Vec<String> = desired.workspaces.keys().cloned().collect();
        let name = workspace_names[tape.pick(workspace_names.len())].clone();
        let known: Vec<Email> = desired.users.keys().cloned().collect();
        let workspace = desired.workspaces.get_mut(&name).unwrap();
        let team_names: Vec<String> = workspace.teams.keys().cloned().collect();
        match tape.pick(13) {
            // A new user, invited, into the workspace and maybe a team.
            0 => {
                next_user += 1;
                let new = user_email(next_user);
                workspace.members.insert(new.clone(), src("m.yaml", 1));
                if !team_names.is_empty() && tape.chance(50) {
                    let team = &team_names[tape.pick(team_names.len())];
                    workspace
                        .teams
                        .get_mut(team)
                        .unwrap()
                        .members
                        .insert(new.clone(), src("m.yaml", 2));
                }
                let licenses = license_set(tape);
                desired.users.insert(
                    new.clone(),
                    DesiredUser {
                        email: new,
                        name: None,
                        licenses: Some(licenses),
                        invite: true,
                        source: src("m.yaml", 3),
                    },
                );
            }
            // Someone leaves the workspace: out of its members, teams and weights.
            1 => {
                let members: Vec<Email> = workspace.members.keys().cloned().collect();
                if members.is_empty() {
                    continue;
                }
                let leaving = members[tape.pick(members.len())].clone();
                workspace.members.remove(&leaving);
                for team in workspace.teams.values_mut() {
                    team.members.remove(&leaving);
                }
                for distribution in workspace.distributions.values_mut() {
                    distribution.spec.weights.remove(&leaving);
                }
            }
            // A known user joins a team.
            2 => {
                if team_names.is_empty() || known.is_empty() {
                    continue;
                }
                let team = &team_names[tape.pick(team_names.len())];
                let joining = known[tape.pick(known.len())].clone();
                workspace
                    .teams
                    .get_mut(team)
                    .unwrap()
                    .members
                    .insert(joining, src("m.yaml", 4));
            }
            // Someone leaves a team (and its distributions).
            3 => {
                if team_names.is_empty() {
                    continue;
                }
                let team_name = team_names[tape.pick(team_names.len())].clone();
                let team = workspace.teams.get_mut(&team_name).unwrap();
                let members: Vec<Email> = team.members.keys().cloned().collect();
                if members.is_empty() {
                    continue;
                }
                let leaving = members[tape.pick(members.len())].clone();
                team.members.remove(&leaving);
                for distribution in workspace.distributions.values_mut() {
                    if distribution.spec.team == team_name {
                        distribution.spec.weights.remove(&leaving);
                    }
                }
            }
            // A weight changes, or a team member gets one.
            4 => {
                let names: Vec<String> = workspace.distributions.keys().cloned().collect();
                if names.is_empty() {
                    continue;
                }
                let distribution = workspace
                    .distributions
                    .get_mut(&names[tape.pick(names.len())])
                    .unwrap();
                let Some(team) = workspace.teams.get(&distribution.spec.team) else {
                    continue;
                };
                let members: Vec<Email> = team.members.keys().cloned().collect();
                if members.is_empty() {
                    continue;
                }
                let member = members[tape.pick(members.len())].clone();
                distribution
                    .spec
                    .weights
                    .insert(member, 25 * tape.pick(9) as u32);
            }
            // A team is dropped from the manifests, with what uses it.
            5 => {
                if team_names.is_empty() {
                    continue;
                }
                let team = team_names[tape.pick(team_names.len())].clone();
                workspace.teams.remove(&team);
                workspace.distributions.retain(|_, d| d.spec.team != team);
                workspace.rules.retain(|_, r| !matches!(&r.spec.kind, RuleKind::Ownership { team: Some(t) } if *t == team));
            }
            // A distribution or a rule is dropped from the manifests.
            6 => {
                if tape.chance(50) {
                    let names: Vec<String> = workspace.distributions.keys().cloned().collect();
                    if !names.is_empty() {
                        workspace
                            .distributions
                            .remove(&names[tape.pick(names.len())]);
                    }
                } else {
                    let names: Vec<String> = workspace.rules.keys().cloned().collect();
                    if !names.is_empty() {
                        workspace.rules.remove(&names[tape.pick(names.len())]);
                    }
                }
            }
            // A new team, and maybe a distribution and an ownership rule on it.
            7 => {
                let members: Vec<Email> = workspace.members.keys().cloned().collect();
                let name = format!("new-team{}", tape.pick(3));
                if workspace.teams.contains_key(&name) {
                    continue;
                }
                let chosen = tape.subset(&members, 50);
                workspace.teams.insert(
                    name.clone(),
                    DesiredTeam {
                        members_managed: true,
                        name: name.clone(),
                        members: chosen
                            .iter()
                            .map(|e| (e.clone(), src("m.yaml", 5)))
                            .collect(),
                        previously: vec![],
                        recreate: false,
                        source: src("m.yaml", 6),
                    },
                );
                if tape.chance(60) {
                    let dist = format!("new-dist{}", tape.pick(3));
                    workspace
                        .distributions
                        .entry(dist.clone())
                        .or_insert(DesiredDistribution {
                            left_alone: Default::default(),
                            name: dist,
                            previously: vec![],
                            spec: DistributionSpec {
                                team: name.clone(),
                                assignment: assignment(tape),
                                weights: chosen.iter().map(|e| (e.clone(), 100)).collect(),
                                calibration: Default::default(),
                                capping: None,
                            },
                            source: src("m.yaml", 7),
                        });
                }
                if tape.chance(40) {
                    let rule = format!("new-rule{}", tape.pick(3));
                    workspace.rules.entry(rule.clone()).or_insert(DesiredRule {
                        name: rule,
                        previously: vec![],
                        spec: RuleSpec {
                            kind: RuleKind::Ownership { team: Some(name) },
                            conditions: condition(tape),
                        },
                        source: src("m.yaml", 8),
                    });
                }
            }
            // Licenses change.
            8 => {
                if known.is_empty() {
                    continue;
                }
                let who = known[tape.pick(known.len())].clone();
                let licenses = license_set(tape);
                desired.users.get_mut(&who).unwrap().licenses = Some(licenses);
            }
            // Pruning is switched on for some kinds.
            9 => {
                let kinds = desired.policy.prune.entry("*".into()).or_default();
                for kind in ObjectKind::ALL {
                    if tape.chance(40) {
                        kinds.insert(kind, src("org.yaml", 9));
                    }
                }
            }
            // A distribution or rule is renamed.
            10 => {
                if tape.chance(50) {
                    let names: Vec<String> = workspace.distributions.keys().cloned().collect();
                    if names.is_empty() {
                        continue;
                    }
                    let old = names[tape.pick(names.len())].clone();
                    let mut distribution = workspace.distributions.remove(&old).unwrap();
                    distribution.name = format!("{old}-renamed");
                    distribution.previously = vec![old];
                    workspace
                        .distributions
                        .insert(distribution.name.clone(), distribution);
                } else {
                    let names: Vec<String> = workspace.rules.keys().cloned().collect();
                    if names.is_empty() {
                        continue;
                    }
                    let old = names[tape.pick(names.len())].clone();
                    let mut rule = workspace.rules.remove(&old).unwrap();
                    rule.name = format!("{old}-renamed");
                    rule.previously = vec![old];
                    rule.spec.conditions = condition(tape);
                    workspace.rules.insert(rule.name.clone(), rule);
                }
            }
            // A team is recreated under a new name; what uses it follows.
            11 => {
                if team_names.is_empty() {
                    continue;
                }
                let old = team_names[tape.pick(team_names.len())].clone();
                let new = format!("{old}-v2");
                let mut team = workspace.teams.remove(&old).unwrap();
                team.name = new.clone();
                team.previously = vec![old.clone()];
                team.recreate = true;
                workspace.teams.insert(new.clone(), team);
                for distribution in workspace.distributions.values_mut() {
                    if distribution.spec.team == old {
                        distribution.spec.team = new.clone();
                    }
                }
                for rule in workspace.rules.values_mut() {
                    if let RuleKind::Ownership { team: Some(team) } = &mut rule.spec.kind
                        && *team == old
                    {
                        *team = new.clone();
                    }
                }
            }
            // Settings change.
            _ => {
                workspace.settings = Some((settings(tape), src("m.yaml", 10)));
            }
        }
    }
}

fn assert_deterministic(desired: &Desired, live: &Live, options: &PlanOptions) -> Plan {
    let first = plan(desired, live, options);
    // Equal inputs rebuilt from scratch, not just the same references.
    let desired_copy: Desired =
        serde_json::from_str(&serde_json::to_string(desired).unwrap()).unwrap();
    let live_copy: Live = serde_json::from_str(&serde_json::to_string(live).unwrap()).unwrap();
    let second = plan(&desired_copy, &live_copy, options);
    assert_eq!(render::json(&first), render::json(&second));
    assert_eq!(render::text(&first, true), render::text(&second, true));
    assert_eq!(
        render::markdown(&first, "x"),
        render::markdown(&second, "x")
    );
    assert_eq!(
        Plan::from_json(&render::json(&first)).unwrap(),
        first,
        "the plan file reads back"
    );
    first
}

/// Ignore entries for some of the objects a plan would change or leave unmanaged, some of
/// them expired, so drift and plan are compared with and without entries.
fn ignore_some(tape: &mut Tape, desired: &mut Desired, live: &Live) {
    let planned = plan(desired, live, &PlanOptions::new(desired, true));
    let mut addresses: Vec<String> = planned.steps.iter().map(|s| s.target.clone()).collect();
    addresses.extend(planned.unmanaged.iter().map(|u| u.address.clone()));
    for address in addresses {
        if tape.chance(40) {
            desired.policy.ignore.push(IgnoreEntry {
                object: address,
                reason: "accepted".to_string(),
                expires: Some(
                    if tape.chance(30) {
                        "2020-01-01"
                    } else {
                        "2999-01-01"
                    }
                    .to_string(),
                ),
                source: Source::default(),
            });
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Drift is the plan read the other way round: every object it reports as drifted (not
    /// accepted) is one the plan of the same inputs, on the same day, changes.
    #[test]
    fn drift_reports_nothing_the_plan_would_not_change(bytes in prop::collection::vec(any::<u8>(), 128..512)) {
        let mut tape = Tape { bytes: &bytes, position: 0 };
        let live = generate_live(&mut tape);
        let mut desired = describe(&live);
        mutate(&mut tape, &mut desired);
        if tape.chance(50) {
            ignore_some(&mut tape, &mut desired, &live);
        }
        let today = jiff::civil::date(2026, 6, 1);
        let report = scoville::drift::drift(&desired, &live, &scoville::drift::DriftOptions { today, last_applied: None });
        let planned = plan(&desired, &live, &PlanOptions::new(&desired, true).on(today));
        let mut changed: BTreeSet<String> = planned.steps.iter().map(|s| s.target.clone()).collect();
        for step in &planned.steps {
            if let Detail::Licenses { users } = &step.detail {
                changed.extend(users.iter().map(|c| Address::User(c.email.clone()).to_string()));
            }
        }
        for object in &report.objects {
            prop_assert!(changed.contains(&object.address), "drift reports {} but the plan does not change it:\n{}", object.address, render::text(&planned, false));
        }
        let as_plan_would = plan(&desired, &live, &PlanOptions::new(&desired, false).on(today));
        for error in &report.errors {
            prop_assert!(as_plan_would.errors.iter().any(|e| e.message == error.message), "drift error {} is not the plan's", error.message);
        }
        prop_assert!(!report.warnings.iter().any(|w| w.message.contains("allowed by --allow-destructive")), "{:#?}", report.warnings);
    }

    #[test]
    fn planning_the_description_of_an_org_is_empty(bytes in prop::collection::vec(any::<u8>(), 64..256)) {
        let live = generate_live(&mut Tape { bytes: &bytes, position: 0 });
        let desired = describe(&live);
        let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
        prop_assert_eq!(planned.outcome(), PlanOutcome::NoChanges, "{:#?}", planned);
    }

    #[test]
    fn plans_respect_their_graph_are_deterministic_and_converge(bytes in prop::collection::vec(any::<u8>(), 128..512)) {
        let mut tape = Tape { bytes: &bytes, position: 0 };
        let live = generate_live(&mut tape);
        let mut desired = describe(&live);
        mutate(&mut tape, &mut desired);
        let options = PlanOptions::new(&desired, tape.chance(50));
        let planned = assert_deterministic(&desired, &live, &options);
        prop_assert_eq!(order_violations(&planned), Vec::<String>::new());
        prop_assert!(render::markdown(&planned, "x").chars().count() < render::MARKDOWN_LIMIT);

        // Convergence: past the thresholds too, unless something is impossible.
        let allowed = PlanOptions::new(&desired, true);
        let planned = plan(&desired, &live, &allowed);
        if planned.outcome() == PlanOutcome::Changes {
            let mut applied = live.clone();
            let outcome = sim::apply(&planned, &mut applied);
            prop_assert!(outcome.is_ok(), "{:?}\n{}", outcome, render::text(&planned, false));
            let again = plan(&desired, &applied, &allowed);
            prop_assert_eq!(again.outcome(), PlanOutcome::NoChanges, "{}\n--- then ---\n{}", render::text(&planned, false), render::text(&again, false));
        }
    }
}
