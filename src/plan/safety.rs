//! Safety thresholds: a plan that deletes or removes too large a share (or too many) of the
//! managed objects of a kind is refused unless `--allow-destructive` or the policy allows it.
//!
//! Counted per kind of the policy (`workspaceMembers`, `teams`, `distributions`, `rules`):
//! memberships removed from workspaces, and teams, distributions and rules deleted. The
//! denominator is the number of live objects of the kind the manifests manage (declared ones,
//! plus every one when the kind is pruned).

use super::builder::Planner;
use super::problems::PlanProblem;
use crate::model::ObjectKind;

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
        for kind in ObjectKind::ALL {
            let addresses = self.removals.get(&kind).cloned().unwrap_or_default();
            let count = addresses.len();
            if count == 0 {
                continue;
            }
            let managed = self.managed.get(&kind).copied().unwrap_or(0).max(count);
            let mut exceeded = Vec::new();
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
}
