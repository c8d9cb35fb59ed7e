//! Distributions: create, update (publish) the whole configuration, rename via `previously`,
//! delete when pruned. Each change carries every rep's share of assignments before and after.

use std::collections::{BTreeMap, BTreeSet};

use super::body::{
    AssignmentConfigBody, CalibrationEntry, Call, CappingBody, DistributionBody,
    DistributionIdParams, LimitEntry, MeetingLimitBody, TeamRef, UserRef, WeightEntry,
};
use super::builder::{Draft, Planner, at};
use super::problems::PlanProblem;
use super::safety::Counted;
use super::shares::share_changes;
use super::types::{Action, Address, Detail, StepId};
use super::workspace::{Match, WorkspacePlan, former_names};
use crate::model::{
    Assignment, DesiredDistribution, DistributionSpec, Email, LiveDistribution, ObjectKind,
    OpaqueKind, Source, UnknownFieldsKind,
};

impl Planner<'_> {
    pub(super) fn plan_distributions(&mut self, ws: &mut WorkspacePlan) {
        let (desired, live_workspace) = (ws.desired, ws.live);
        for (name, distribution) in &desired.distributions {
            if ws
                .opaque
                .contains(&(OpaqueKind::Distribution, name.clone()))
            {
                continue;
            }
            let address = Address::Distribution(ws.name.to_string(), name.clone());
            self.read(address.clone());
            for previous in &distribution.previously {
                self.read(Address::Distribution(ws.name.to_string(), previous.clone()));
            }
            let matched = self.match_by_name(
                &live_workspace.distributions,
                |d: &LiveDistribution| (d.name.as_str(), d.id.as_str()),
                "distribution",
                ws.name,
                name,
                &former_names(&distribution.previously, |n| {
                    desired.distributions.contains_key(n)
                }),
                &distribution.source,
                &ws.matched_distributions,
            );
            if let Match::Existing(live) | Match::Renamed(live) = &matched {
                ws.matched_distributions.insert(live.id.clone());
                self.count_managed(ObjectKind::Distributions, 1);
            }
            // The parts the manifests leave alone are the live ones (none for a new one).
            let live_spec = match &matched {
                Match::Existing(live) | Match::Renamed(live) => Some(&live.spec),
                Match::New | Match::Problem => None,
            };
            let spec = distribution.effective_spec(live_spec);
            let used_by = format!("distribution `{name}`");
            let Some(team) = self.resolve_team(ws, &spec.team, &used_by, &distribution.source)
            else {
                continue;
            };
            for email in spec.weights.keys() {
                if !team.members.contains(email) {
                    self.problem(PlanProblem::WeightForNonMember {
                        workspace: ws.name.to_string(),
                        distribution: name.clone(),
                        team: spec.team.clone(),
                        email: email.clone(),
                        at: distribution.source.clone(),
                    });
                }
            }
            // An unchanged distribution needs no body when every user it names is in the org:
            // building it would only record those users as read, which this does alone.
            if let Match::Existing(live) | Match::Renamed(live) = &matched
                && team.live_id.as_deref() == Some(live.team_id.as_str())
                && live.name == *name
                && live.spec == spec
                && self.read_live_users_of(&spec)
            {
                self.count_weights_taken(ws.name, name, &live.spec, &spec);
                continue;
            }
            let Some(body) = self.distribution_body(
                &ws.live.id,
                name,
                &spec,
                team.team_ref.clone(),
                &distribution.source,
            ) else {
                continue;
            };
            let live = match matched {
                Match::Problem => continue,
                Match::New => None,
                Match::Existing(live) | Match::Renamed(live) => Some(live),
            };
            if let Some(live) = live {
                self.count_weights_taken(ws.name, name, &live.spec, &spec);
            }
            let same_team = live.is_some_and(|live| team.live_id.as_deref() == Some(&live.team_id));
            if let Some(live) = live
                && same_team
                && live.name == *name
                && live.spec == spec
            {
                continue;
            }
            if let Some(live) = live
                && self.refuse_erasing(
                    UnknownFieldsKind::Distribution,
                    &live.id,
                    format!("distribution `{}` of workspace `{}`", live.name, ws.name),
                    &distribution.source,
                )
            {
                continue;
            }
            let users = body_users(&body);
            let step = self.add_distribution_write(ws, distribution, &spec, live, body);
            // Weighted users join the team first, and get their licenses first.
            if let Some((add_step, added)) = &team.add_step
                && spec.weights.keys().any(|email| added.contains(email))
            {
                self.add_edge(add_step, &step);
            }
            if let Some(licenses) = self.license_upgrade_step_for(&users) {
                self.add_edge(&licenses, &step);
            }
            if let Some(live) = live {
                let live_weighted: BTreeSet<Email> = live.spec.weights.keys().cloned().collect();
                let dropped: BTreeSet<Email> = if same_team {
                    live_weighted
                        .into_iter()
                        .filter(|email| !spec.weights.contains_key(email))
                        .collect()
                } else {
                    ws.releases.push((live.team_id.clone(), step.clone()));
                    live_weighted
                };
                if !dropped.is_empty() {
                    ws.weight_drops
                        .push((live.team_id.clone(), step.clone(), dropped));
                }
            }
        }

        // Live distributions the manifests do not declare: pruned or listed.
        let prune = self.prune_reason(ws.name, ObjectKind::Distributions);
        let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
        for distribution in &live_workspace.distributions {
            *by_name.entry(distribution.name.as_str()).or_default() += 1;
        }
        for live in &live_workspace.distributions {
            if ws.matched_distributions.contains(&live.id)
                || desired.distributions.contains_key(&live.name)
            {
                continue;
            }
            let address = Address::Distribution(ws.name.to_string(), live.name.clone());
            let ignored = self.ignored(&[&address]).is_some();
            let weighted: BTreeSet<Email> = live.spec.weights.keys().cloned().collect();
            match &prune {
                Some(reason) if !ignored => {
                    self.read(address.clone());
                    self.count_managed(ObjectKind::Distributions, 1);
                    self.count_removal(ObjectKind::Distributions, address.to_string());
                    let suffix = (by_name[live.name.as_str()] > 1).then_some(live.id.as_str());
                    let step = self.add_step(
                        Draft {
                            call: Call::DistributionDelete {
                                params: DistributionIdParams {
                                    distribution_id: live.id.clone(),
                                },
                            },
                            target: address,
                            action: Action::Delete,
                            destructive: true,
                            reason: reason.clone(),
                            depends_on: BTreeSet::new(),
                            detail: Detail::Distribution {
                                name: live.name.clone(),
                                previously: None,
                                before: Some(live.spec.clone()),
                                after: None,
                                shares: share_changes(Some(&live.spec.weights), None),
                            },
                        },
                        suffix,
                    );
                    ws.releases.push((live.team_id.clone(), step.clone()));
                    if !weighted.is_empty() {
                        ws.weight_drops.push((live.team_id.clone(), step, weighted));
                    }
                }
                _ => {
                    ws.unmanaged_uses.push((
                        live.team_id.clone(),
                        format!("distribution `{}`", live.name),
                        weighted,
                    ));
                    self.list_unmanaged(
                        &address,
                        "distribution",
                        format!(
                            "team {}, {}",
                            live.spec.team,
                            crate::render::count(live.spec.weights.len(), "weight", "weights")
                        ),
                    );
                }
            }
        }
    }

    /// Counts, for the thresholds, the positive weights of a declared live distribution and
    /// those the plan takes away (drops, or sets to 0).
    fn count_weights_taken(
        &mut self,
        workspace: &str,
        name: &str,
        live: &DistributionSpec,
        after: &DistributionSpec,
    ) {
        let address = Address::Distribution(workspace.to_string(), name.to_string());
        let positive: Vec<&Email> = live
            .weights
            .iter()
            .filter(|(_, weight)| **weight > 0)
            .map(|(email, _)| email)
            .collect();
        self.count_managed(Counted::Weights, positive.len());
        for email in positive {
            if after.weights.get(email).copied().unwrap_or(0) == 0 {
                self.count_removal(Counted::Weights, format!("{address} {email}"));
            }
        }
    }

    /// Drafts the create or update of a declared distribution.
    fn add_distribution_write(
        &mut self,
        ws: &WorkspacePlan,
        distribution: &DesiredDistribution,
        spec: &DistributionSpec,
        live: Option<&LiveDistribution>,
        body: DistributionBody,
    ) -> StepId {
        let address = Address::Distribution(ws.name.to_string(), distribution.name.clone());
        let shares = share_changes(live.map(|live| &live.spec.weights), Some(&spec.weights));
        // Taking every weight away from a live distribution leaves it routing to nobody:
        // destructive, and counted by the thresholds.
        let empties = live.is_some_and(|live| {
            live.spec.weights.values().any(|w| *w > 0) && spec.weights.values().all(|w| *w == 0)
        });
        if empties {
            self.count_emptied("weights", address.to_string());
        }
        let (call, action, previously, reason) = match live {
            None => (
                Call::DistributionCreate { body },
                Action::Create,
                None,
                at(&distribution.source),
            ),
            Some(live) => {
                let renamed = live.name != distribution.name;
                (
                    Call::DistributionUpdate {
                        params: DistributionIdParams {
                            distribution_id: live.id.clone(),
                        },
                        body,
                    },
                    if renamed {
                        Action::Rename
                    } else {
                        Action::Update
                    },
                    renamed.then(|| live.name.clone()),
                    at(&distribution.source),
                )
            }
        };
        self.add_step(
            Draft {
                call,
                target: address,
                action,
                destructive: empties,
                reason,
                depends_on: BTreeSet::new(),
                detail: Detail::Distribution {
                    name: distribution.name.clone(),
                    previously,
                    before: live.map(|live| live.spec.clone()),
                    after: Some(spec.clone()),
                    shares,
                },
            },
            None,
        )
    }

    /// Records as read every user `distribution_body` would refer to, when all of them are
    /// users of the org (their references are then plain ids, with nothing to report), and
    /// says whether they were; records nothing otherwise.
    fn read_live_users_of(&mut self, spec: &DistributionSpec) -> bool {
        let users = spec_users(spec);
        if !users
            .iter()
            .all(|email| self.live.users.contains_key(*email))
        {
            return false;
        }
        for email in users {
            self.read(Address::User(email.clone()));
        }
        true
    }

    /// The whole configuration as the API takes it, with user references. `None` (after
    /// reporting) when a user in it neither exists nor may be invited.
    fn distribution_body(
        &mut self,
        workspace_id: &str,
        name: &str,
        spec: &DistributionSpec,
        team_id: TeamRef,
        source: &Source,
    ) -> Option<DistributionBody> {
        let mut complete = true;
        let mut user = |planner: &mut Self, email: &Email| {
            let found = planner.user_ref(email, source);
            complete &= found.is_some();
            found
        };
        let mut limits = |planner: &mut Self, caps: &BTreeMap<Email, u32>| -> Vec<LimitEntry> {
            caps.iter()
                .filter_map(|(email, limit)| {
                    user(planner, email).map(|user_id| LimitEntry {
                        user_id,
                        limit: *limit,
                    })
                })
                .collect()
        };
        let assignment_type_config = match &spec.assignment {
            Assignment::Record { handling } => AssignmentConfigBody::Record {
                handling: handling.clone(),
            },
            Assignment::Meeting {
                handling,
                limits: meeting_limits,
            } => AssignmentConfigBody::Meeting {
                handling: handling.clone(),
                limits: match meeting_limits {
                    None => MeetingLimitBody::MeetingLimitUnset,
                    Some(meeting_limits) => MeetingLimitBody::MeetingLimitSet {
                        user_caps: limits(self, &meeting_limits.caps),
                        reset_periodicity: meeting_limits.reset.clone(),
                    },
                },
            },
            Assignment::Conversation => AssignmentConfigBody::Conversation,
        };
        let capping = spec.capping.as_ref().map(|capping| CappingBody {
            user_caps: limits(self, &capping.caps),
            reset_periodicity: capping.reset.clone(),
        });
        let mut weights = Vec::new();
        for (email, weight) in &spec.weights {
            let found = self.user_ref(email, source);
            if let Some(user_id) = found {
                weights.push(WeightEntry {
                    user_id,
                    weight: *weight,
                });
            } else {
                complete = false;
            }
        }
        let mut manual_calibration = Vec::new();
        for (email, calibration) in &spec.calibration {
            if let Some(user_id) = self.user_ref(email, source) {
                manual_calibration.push(CalibrationEntry {
                    user_id,
                    calibration: *calibration,
                });
            } else {
                complete = false;
            }
        }
        complete.then(|| DistributionBody {
            team_id,
            workspace_id: workspace_id.to_string(),
            assignment_type_config,
            weights,
            manual_calibration,
            capping,
            name: name.to_string(),
        })
    }
}

/// Every user `Planner::distribution_body` looks up for a spec, in its order: meeting limits,
/// capping, weights, calibration.
fn spec_users(spec: &DistributionSpec) -> Vec<&Email> {
    let mut users = Vec::new();
    if let Assignment::Meeting {
        limits: Some(meeting_limits),
        ..
    } = &spec.assignment
    {
        users.extend(meeting_limits.caps.keys());
    }
    if let Some(capping) = &spec.capping {
        users.extend(capping.caps.keys());
    }
    users.extend(spec.weights.keys());
    users.extend(spec.calibration.keys());
    users
}

/// Every user a distribution body names.
fn body_users(body: &DistributionBody) -> Vec<UserRef> {
    let mut users: Vec<UserRef> = body.weights.iter().map(|w| w.user_id.clone()).collect();
    users.extend(body.manual_calibration.iter().map(|c| c.user_id.clone()));
    if let Some(capping) = &body.capping {
        users.extend(capping.user_caps.iter().map(|c| c.user_id.clone()));
    }
    if let AssignmentConfigBody::Meeting {
        limits: MeetingLimitBody::MeetingLimitSet { user_caps, .. },
        ..
    } = &body.assignment_type_config
    {
        users.extend(user_caps.iter().map(|c| c.user_id.clone()));
    }
    users
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use proptest::prelude::*;

    use super::super::PlanOptions;
    use super::super::body::TeamRef;
    use super::super::builder::Planner;
    use crate::model::{
        Assignment, Capping, CappingReset, Desired, DistributionSpec, Email, Live, LiveUser,
        MeetingHandling, MeetingLimitReset, MeetingLimits, Policy, RecordHandling, Source,
    };

    fn email(n: usize) -> Email {
        Email::parse(&format!("user{n}@x.example")).unwrap()
    }

    /// Users 0..8 of which those in `live` are in the org.
    fn caps(picked: &BTreeSet<usize>) -> BTreeMap<Email, u32> {
        picked.iter().map(|n| (email(*n), 3)).collect()
    }

    fn spec_strategy() -> impl Strategy<Value = DistributionSpec> {
        let users = || proptest::collection::btree_set(0usize..8, 0..5);
        (
            0u8..4,
            users(),
            proptest::option::of(users()),
            users(),
            users(),
        )
            .prop_map(|(kind, limits, capping, weights, calibration)| {
                let assignment = match kind {
                    0 => Assignment::Record {
                        handling: RecordHandling::Strict,
                    },
                    1 => Assignment::Meeting {
                        handling: MeetingHandling::Strict {
                            hide_assignee: false,
                        },
                        limits: None,
                    },
                    2 => Assignment::Meeting {
                        handling: MeetingHandling::Strict {
                            hide_assignee: true,
                        },
                        limits: Some(MeetingLimits {
                            caps: caps(&limits),
                            reset: MeetingLimitReset::Daily {
                                every: 1,
                                starts_on: "2026-01-01".into(),
                                reset_local_time: "00:00".into(),
                                timezone: "UTC".into(),
                            },
                        }),
                    },
                    _ => Assignment::Conversation,
                };
                DistributionSpec {
                    team: "t".into(),
                    assignment,
                    weights: weights.iter().map(|n| (email(*n), 10)).collect(),
                    calibration: calibration.iter().map(|n| (email(*n), -1)).collect(),
                    capping: capping.map(|picked| Capping {
                        caps: caps(&picked),
                        reset: CappingReset::HourlyRolling,
                    }),
                }
            })
    }

    proptest! {
        /// The reads recorded for an unchanged distribution without its body are the reads
        /// building the body records, and the shortcut is taken only when building it would
        /// report nothing.
        #[test]
        fn reading_a_specs_users_records_what_its_body_does(
            spec in spec_strategy(),
            in_org in proptest::collection::btree_set(0usize..8, 0..8),
        ) {
            let desired = Desired::default();
            let live = Live {
                users: in_org
                    .iter()
                    .map(|n| {
                        (
                            email(*n),
                            LiveUser {
                                id: format!("u-{n}"),
                                email: email(*n),
                                name: format!("User {n}"),
                                licenses: BTreeSet::new(),
                                tier: None,
                            },
                        )
                    })
                    .collect(),
                ..Live::default()
            };
            let options = PlanOptions {
                policy: Policy::default(),
                allow_destructive: false,
                today: None,
                without_fingerprints: false,
            };
            let mut short = Planner::new(&desired, &live, &options);
            let taken = short.read_live_users_of(&spec);
            let mut full = Planner::new(&desired, &live, &options);
            let body = full.distribution_body(
                "w-1",
                "d",
                &spec,
                TeamRef::Id("t-1".into()),
                &Source::default(),
            );
            if taken {
                prop_assert!(body.is_some());
                prop_assert!(full.problems.is_empty());
                prop_assert_eq!(&short.reads, &full.reads);
            } else {
                prop_assert!(short.reads.is_empty());
                prop_assert!(body.is_none());
            }
            prop_assert!(short.problems.is_empty());
        }
    }
}
