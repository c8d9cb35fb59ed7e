//! Safety thresholds: a plan that takes away too large a share (or too many) of what the
//! manifests manage, of one kind, is refused unless `--allow-destructive` or the policy allows
//! it.
//!
//! Counted per kind ([`Counted`]): memberships removed from workspaces; teams, distributions
//! and rules deleted; members removed from declared teams; weights taken away in declared
//! distributions (dropped, or set to 0 from more); licenses taken away from users. The
//! denominator of a kind is what the manifests manage of it live (declared objects, plus every
//! one when the kind is pruned).
//!
//! Three rules, each lifted by `--allow-destructive`:
//! - share: more than `maxPercent` of a kind, once `minManaged` of it are managed;
//! - count: more than `maxCount` of a kind, when set;
//! - everything: every managed object of a kind at once, or a step that empties one live
//!   object (a team's last member, a distribution's last weight, a workspace's last member),
//!   however small the org. This is what protects an org too small for the share to apply.

use serde::{Deserialize, Serialize};

use super::builder::Planner;
use super::problems::PlanProblem;
use crate::model::ObjectKind;

/// A kind of destructive change the thresholds count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Counted {
    /// Memberships removed from workspaces.
    WorkspaceMembers,
    /// Teams deleted.
    Teams,
    /// Distributions deleted.
    Distributions,
    /// Rules deleted.
    Rules,
    /// Members removed from teams the manifests declare.
    TeamMembers,
    /// Weights taken away in distributions the manifests declare.
    Weights,
    /// Licenses taken away from users.
    Licenses,
    /// Meeting types deleted.
    MeetingTypes,
    /// Reminders deleted.
    Reminders,
    /// Scheduling links deleted. (A slug change has its own refusal, lifted only where the
    /// thresholds are.)
    SchedulingLinks,
}

impl Counted {
    pub const ALL: [Counted; 10] = [
        Counted::WorkspaceMembers,
        Counted::Teams,
        Counted::Distributions,
        Counted::Rules,
        Counted::TeamMembers,
        Counted::Weights,
        Counted::Licenses,
        Counted::MeetingTypes,
        Counted::Reminders,
        Counted::SchedulingLinks,
    ];

    /// The verb of a refusal: "remove", "delete", "take away".
    pub fn verb(self) -> &'static str {
        match self {
            Counted::WorkspaceMembers | Counted::TeamMembers => "remove",
            Counted::Teams
            | Counted::Distributions
            | Counted::Rules
            | Counted::MeetingTypes
            | Counted::Reminders
            | Counted::SchedulingLinks => "delete",
            Counted::Weights | Counted::Licenses => "take away",
        }
    }

    /// The plural noun of a refusal.
    pub fn noun(self) -> &'static str {
        match self {
            Counted::WorkspaceMembers => "workspace memberships",
            Counted::Teams => "teams",
            Counted::Distributions => "distributions",
            Counted::Rules => "rules",
            Counted::TeamMembers => "team memberships",
            Counted::Weights => "distribution weights",
            Counted::Licenses => "licenses",
            Counted::MeetingTypes => "meeting types",
            Counted::Reminders => "reminders",
            Counted::SchedulingLinks => "scheduling links",
        }
    }
}

impl From<ObjectKind> for Counted {
    fn from(kind: ObjectKind) -> Counted {
        match kind {
            ObjectKind::WorkspaceMembers => Counted::WorkspaceMembers,
            ObjectKind::Teams => Counted::Teams,
            ObjectKind::Distributions => Counted::Distributions,
            ObjectKind::Rules => Counted::Rules,
            ObjectKind::Licenses => Counted::Licenses,
            ObjectKind::MeetingTypes => Counted::MeetingTypes,
            ObjectKind::Reminders => Counted::Reminders,
            ObjectKind::SchedulingLinks => Counted::SchedulingLinks,
        }
    }
}

impl Planner<'_> {
    pub(super) fn check_thresholds(&mut self) {
        let policy = &self.options.policy;
        let thresholds = &policy.thresholds;
        let allowed_by = if self.options.allow_destructive {
            Some("--allow-destructive")
        } else if policy.allow_destructive {
            Some("`allowDestructive: true` in the policy")
        } else {
            None
        };
        let mut exceeded = Vec::new();
        for kind in Counted::ALL {
            let addresses = self.removals.get(&kind).cloned().unwrap_or_default();
            let count = addresses.len();
            if count == 0 {
                continue;
            }
            let managed = self.managed.get(&kind).copied().unwrap_or(0).max(count);
            let max_percent = thresholds.max_percent as usize;
            if managed >= thresholds.min_managed as usize && count * 100 > max_percent * managed {
                exceeded.push(PlanProblem::PercentThresholdExceeded {
                    kind,
                    count,
                    managed,
                    max_percent: thresholds.max_percent,
                    min_managed: thresholds.min_managed,
                    allowed: max_percent * managed / 100,
                    addresses: addresses.clone(),
                    at: policy.source.clone(),
                });
            } else if count == managed && count * 100 > max_percent * managed {
                exceeded.push(PlanProblem::EverythingOfAKind {
                    kind,
                    count,
                    addresses: addresses.clone(),
                    at: policy.source.clone(),
                });
            }
            if let Some(max_count) = thresholds.max_count
                && count > max_count as usize
            {
                exceeded.push(PlanProblem::CountThresholdExceeded {
                    kind,
                    count,
                    max_count,
                    addresses: addresses.clone(),
                    at: policy.source.clone(),
                });
            }
        }
        for (what, address) in std::mem::take(&mut self.emptied) {
            exceeded.push(PlanProblem::EmptiesObject {
                what,
                address: address.clone(),
                addresses: vec![address],
                at: policy.source.clone(),
            });
        }
        for problem in exceeded {
            match allowed_by {
                Some(by) => self.warn(
                    None,
                    format!(
                        "allowed by {by}, past a safety threshold: {}",
                        problem
                            .to_string()
                            .split_once("; check the manifests")
                            .map_or_else(|| problem.to_string(), |(head, _)| head.to_string())
                            .replacen("refusing to ", "this plan would ", 1)
                    ),
                ),
                None => self.problem(problem),
            }
        }
    }
}
