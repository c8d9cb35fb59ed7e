//! Why nothing is planned: the planner's errors. Each says what is wrong, where in the
//! manifests, and what to do next; a plan with any of them has no steps and the CLI exits 1.

use serde::{Deserialize, Serialize};

use super::safety::Counted;
use crate::model::{Email, Source};

/// A refusal as the plan carries it: the rendered message plus the structured problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanError {
    pub message: String,
    #[serde(flatten)]
    pub problem: PlanProblem,
}

impl PlanError {
    pub fn new(problem: PlanProblem) -> PlanError {
        PlanError {
            message: problem.to_string(),
            problem,
        }
    }
}

/// Everything that stops a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(
    tag = "code",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum PlanProblem {
    #[error(
        "the manifests are pinned to tenant `{pinned}` but the token belongs to tenant `{live}`: use a token of `{pinned}`, or fix `tenant` in the manifests"
    )]
    TenantMismatch {
        pinned: String,
        live: String,
        at: Source,
    },
    #[error(
        "the manifests are pinned to tenant `{pinned}` but the live org did not report its tenant: give the token the `tenant.read` permission"
    )]
    TenantUnknown { pinned: String, at: Source },
    #[error(
        "workspace `{workspace}` does not exist in the org, and the API cannot create workspaces: create it in Chili Piper{}",
        did_you_mean(suggestion)
    )]
    WorkspaceMissing {
        workspace: String,
        suggestion: Option<String>,
        at: Source,
    },
    #[error(
        "user `{email}` is not in the org and may not be invited: invite them in Chili Piper, or set `invite: true` for them in the manifests"
    )]
    UserNotInvitable { email: Email, at: Source },
    #[error(
        "`{email}` is not a user of the org and is not declared under users: declare them with `invite: true` to invite them, or fix the address"
    )]
    UnknownUser { email: Email, at: Source },
    #[error(
        "workspace `{workspace}` has {} {kind}s named `{name}` (ids {}): scoville cannot tell which one the manifests mean; delete or rename the extra ones in Chili Piper, then plan again",
        ids.len(),
        ids.join(", ")
    )]
    DuplicateName {
        kind: String,
        workspace: String,
        name: String,
        ids: Vec<String>,
        at: Source,
    },
    #[error(
        "{kind} {} in the manifests reads the same as {} live {kind}s of workspace `{workspace}` ({}): scoville cannot tell which one is meant; rename the extra ones in Chili Piper, or spell the name exactly as the one you mean",
        crate::model::names::escaped(declared),
        live.len(),
        live.iter().map(|name| crate::model::names::escaped(name)).collect::<Vec<_>>().join(", ")
    )]
    AmbiguousLookAlike {
        kind: String,
        workspace: String,
        declared: String,
        live: Vec<String>,
        at: Source,
    },
    #[error(
        "team `{previous}` is renamed to `{name}` in the manifests, but the API cannot rename teams: rename it in Chili Piper and drop `previously`, or set `recreate: true` to delete `{previous}` and create `{name}`"
    )]
    TeamRenameUnsupported {
        workspace: String,
        name: String,
        previous: String,
        at: Source,
    },
    #[error(
        "{kind} `{name}` lists former names that all exist in workspace `{workspace}` ({}): keep only the one being renamed in `previously`",
        candidates.join(", ")
    )]
    AmbiguousRename {
        kind: String,
        workspace: String,
        name: String,
        candidates: Vec<String>,
        at: Source,
    },
    #[error(
        "{kind} `{name}` says it was `{previous}`, but another {kind} of the manifests already took over `{previous}`: keep `previously: [{previous}]` on one of them only"
    )]
    RenameClaimedTwice {
        kind: String,
        workspace: String,
        name: String,
        previous: String,
        at: Source,
    },
    #[error(
        "{used_by} uses team `{team}`, which is neither in the manifests nor in workspace `{workspace}`: declare the team or fix the name"
    )]
    UnknownTeam {
        workspace: String,
        team: String,
        used_by: String,
        at: Source,
    },
    #[error(
        "distribution `{distribution}` gives a weight to `{email}`, who is not a member of team `{team}`: add them to the team or drop the weight"
    )]
    WeightForNonMember {
        workspace: String,
        distribution: String,
        team: String,
        email: Email,
        at: Source,
    },
    #[error(
        "team `{team}` would be deleted ({why}), but {used_by} still uses it and the API refuses to delete a team in use: point {used_by} at another team in the manifests, or let scoville delete it (declare it elsewhere or enable pruning)"
    )]
    TeamStillUsed {
        workspace: String,
        team: String,
        used_by: String,
        why: String,
        at: Option<Source>,
    },
    #[error(
        "`{email}` would leave team `{team}` but {used_by}, which the manifests do not declare, still gives them a weight, and scoville changes only declared distributions: declare {used_by} without that weight, or enable pruning of distributions"
    )]
    WeightedInUnmanagedDistribution {
        workspace: String,
        team: String,
        email: Email,
        used_by: String,
        at: Option<Source>,
    },
    #[error(
        "rule `{rule}` has type {from} in the org but {to} in the manifests, and the API cannot change a rule's type: give the new rule another name and delete the old one"
    )]
    RuleTypeChange {
        workspace: String,
        rule: String,
        from: String,
        to: String,
        at: Source,
    },
    #[error(
        "refusing to {} {count} of {managed} managed {} ({}%): the threshold is {max_percent}% once there are at least {min_managed}, which allows {allowed}, so this is {} over; check the manifests, then plan with --allow-destructive (or `allowDestructive: true` in the policy) if it is intended",
        kind.verb(),
        kind.noun(),
        tenths(*count, *managed),
        count - allowed
    )]
    PercentThresholdExceeded {
        kind: Counted,
        count: usize,
        managed: usize,
        max_percent: u32,
        min_managed: u32,
        allowed: usize,
        /// The objects that would go, so a reviewer can judge.
        addresses: Vec<String>,
        at: Option<Source>,
    },
    #[error(
        "refusing to {} {count} {}: the threshold allows at most {max_count}, so this is {} over; check the manifests, then plan with --allow-destructive (or `allowDestructive: true` in the policy) if it is intended",
        kind.verb(),
        kind.noun(),
        count - *max_count as usize
    )]
    CountThresholdExceeded {
        kind: Counted,
        count: usize,
        max_count: u32,
        addresses: Vec<String>,
        at: Option<Source>,
    },
    #[error(
        "refusing to {} all {count} managed {} at once: however small the org, that is past the safety threshold; check the manifests, then plan with --allow-destructive (or `allowDestructive: true` in the policy) if it is intended",
        kind.verb(),
        kind.noun()
    )]
    EverythingOfAKind {
        kind: Counted,
        count: usize,
        addresses: Vec<String>,
        at: Option<Source>,
    },
    #[error(
        "refusing to empty {address}: this plan leaves it with no {what}, which is past the safety threshold; check the manifests (an omitted key leaves things alone, an explicit empty one empties them), then plan with --allow-destructive (or `allowDestructive: true` in the policy) if it is intended"
    )]
    EmptiesObject {
        what: String,
        address: String,
        addresses: Vec<String>,
        at: Option<Source>,
    },
    #[error(
        "the plan's steps depend on each other in a cycle ({}): this is a bug in scoville; please report it with the manifests",
        steps.join(", ")
    )]
    DependencyCycle { steps: Vec<String> },
    #[error(
        "{kind} `{name}` of workspace `{workspace}` has {unknown}, which scoville does not know (the official Edge API extracts, edgeVersion 1.494.0, do not describe it), so it cannot change it without losing what it does not understand: change it in Chili Piper, or remove it from the manifests"
    )]
    UnknownToScoville {
        workspace: String,
        kind: String,
        name: String,
        unknown: String,
        at: Source,
    },
    /// A sibling of `UnknownToScoville` for an object that was read, but carries fields
    /// scoville does not know: the write the manifests ask for replaces the whole object (or
    /// license set) and would send it back without them.
    #[error(
        "{object} has fields scoville does not know ({}), and {write} replaces the whole {replaced}, so writing it would erase them: change it in Chili Piper, or leave it as it is in the manifests", fields.join(", ")
    )]
    WouldEraseUnknownFields {
        /// The object, in words: "distribution `Inbound` of workspace `Sales`".
        object: String,
        /// The operation that would replace it (`distribution-update-v3`).
        write: String,
        /// What that operation replaces ("configuration", "rule", "license set").
        replaced: String,
        /// The unknown fields, as paths into the object as the API serves it.
        fields: Vec<String>,
        at: Source,
    },
    #[error(
        "ownership rule `{rule}` of workspace `{workspace}` names no team, and the API requires one: add `team:` to the rule"
    )]
    OwnershipRuleWithoutTeam {
        workspace: String,
        rule: String,
        at: Source,
    },
    #[error(
        "user `{email}` has the license tier `{tier}`, which scoville does not know, so it will not send their licenses back: change their licenses in Chili Piper, or leave their licenses as they are in the manifests"
    )]
    UnknownTier {
        email: Email,
        tier: String,
        at: Source,
    },
    #[error(
        "reminder `{reminder}` of workspace `{workspace}` is sent by {from} in the org but by {to} in the manifests, and the API cannot change a reminder's channel: give the {to} reminder a new name (and delete the old one, or let pruning do it)"
    )]
    ReminderChannelChange {
        workspace: String,
        reminder: String,
        from: String,
        to: String,
        at: Source,
    },
    #[error(
        "{used_by} uses {kind} `{name}`, which is neither in the manifests nor in workspace `{workspace}`: declare the {kind} in workspace `{workspace}`, or fix the name"
    )]
    UnknownReference {
        workspace: String,
        kind: String,
        name: String,
        used_by: String,
        at: Source,
    },
    #[error(
        "{used_by} uses {kind} `{name}` of workspace `{workspace}`, which the manifests rename (its `previously` lists `{name}`): use its new name"
    )]
    RenamedReference {
        workspace: String,
        kind: String,
        name: String,
        used_by: String,
        at: Source,
    },
    #[error(
        "workspace `{workspace}` is a personal workspace, and the API rejects scheduling links there: declare the links in a team workspace"
    )]
    LinkInPersonalWorkspace { workspace: String, at: Source },
    #[error("group link `{slug}` names no host, and the API requires one: add `host:` to the link")]
    GroupLinkWithoutHost { slug: String, at: Source },
    #[error(
        "ownership link `{slug}` of workspace `{workspace}` does not exist, and scoville cannot create one (its create needs the ownership routing, which the manifests do not describe): create it in Chili Piper, then adopt it with `scoville export`"
    )]
    OwnershipLinkCreate {
        workspace: String,
        slug: String,
        at: Source,
    },
    #[error(
        "link `{slug}` of workspace `{workspace}` is a {from} link in the org but a {to} link in the manifests, and the API cannot change a link's kind: give the {to} link another slug and delete the old one"
    )]
    LinkKindChange {
        workspace: String,
        slug: String,
        from: String,
        to: String,
        at: Source,
    },
    #[error(
        "the fallback distributions of ownership link `{slug}` of workspace `{workspace}` differ from the manifests, but scoville does not read the link's routing to send it back unchanged: change them in Chili Piper, or write them as they are live"
    )]
    OwnershipRoutingChange {
        workspace: String,
        slug: String,
        at: Source,
    },
    #[error(
        "refusing to change the slug of link `{from}` to `{to}` in workspace `{workspace}`: its booking URL {old_url} stops working for everyone who has it, and the new one is {new_url} (derived from the old URL); if that is intended, plan with --allow-destructive (or `allowDestructive: true` in the policy)"
    )]
    SlugChange {
        workspace: String,
        from: String,
        to: String,
        old_url: String,
        new_url: String,
        at: Source,
    },
    #[error(
        "{kind} `{name}` of workspace `{workspace}` would be deleted ({why}), but scheduling {} still {}: drop `{name}` from {} in the manifests ({}), or let scoville delete {} (leave {} out of the manifests and enable pruning of `schedulingLinks` in `{workspace}`), then plan again",
        if links.len() == 1 { format!("link {}", links[0]) } else { format!("links {}", links.join(", ")) },
        match (kind.as_str(), links.len()) { ("distribution", 1) => "spreads bookings across it", ("distribution", _) => "spread bookings across it", (_, 1) => "offers it", _ => "offer it" },
        if links.len() == 1 { "that link" } else { "those links" },
        if links.len() == 1 { "declare it there first if it is not: `scoville export` writes it as it is live" } else { "declare them there first if they are not: `scoville export` writes them as they are live" },
        if links.len() == 1 { "the link" } else { "the links" },
        if links.len() == 1 { "it" } else { "them" }
    )]
    StillUsedByLinks {
        workspace: String,
        /// `distribution` or `meeting type`.
        kind: String,
        name: String,
        /// The links, as `` `slug` `` with what keeps them (declared, or left alone).
        links: Vec<String>,
        why: String,
        at: Option<Source>,
    },
}

impl PlanProblem {
    /// Where in the manifests the problem is, when one place is to blame.
    pub fn at(&self) -> Option<&Source> {
        match self {
            PlanProblem::TenantMismatch { at, .. }
            | PlanProblem::TenantUnknown { at, .. }
            | PlanProblem::WorkspaceMissing { at, .. }
            | PlanProblem::UserNotInvitable { at, .. }
            | PlanProblem::UnknownUser { at, .. }
            | PlanProblem::DuplicateName { at, .. }
            | PlanProblem::AmbiguousLookAlike { at, .. }
            | PlanProblem::TeamRenameUnsupported { at, .. }
            | PlanProblem::AmbiguousRename { at, .. }
            | PlanProblem::RenameClaimedTwice { at, .. }
            | PlanProblem::UnknownTeam { at, .. }
            | PlanProblem::WeightForNonMember { at, .. }
            | PlanProblem::RuleTypeChange { at, .. }
            | PlanProblem::UnknownToScoville { at, .. }
            | PlanProblem::WouldEraseUnknownFields { at, .. }
            | PlanProblem::OwnershipRuleWithoutTeam { at, .. }
            | PlanProblem::UnknownTier { at, .. }
            | PlanProblem::ReminderChannelChange { at, .. }
            | PlanProblem::UnknownReference { at, .. }
            | PlanProblem::RenamedReference { at, .. }
            | PlanProblem::LinkInPersonalWorkspace { at, .. }
            | PlanProblem::OwnershipLinkCreate { at, .. }
            | PlanProblem::LinkKindChange { at, .. }
            | PlanProblem::OwnershipRoutingChange { at, .. }
            | PlanProblem::SlugChange { at, .. }
            | PlanProblem::GroupLinkWithoutHost { at, .. } => Some(at),
            PlanProblem::TeamStillUsed { at, .. }
            | PlanProblem::WeightedInUnmanagedDistribution { at, .. }
            | PlanProblem::PercentThresholdExceeded { at, .. }
            | PlanProblem::CountThresholdExceeded { at, .. }
            | PlanProblem::EverythingOfAKind { at, .. }
            | PlanProblem::EmptiesObject { at, .. }
            | PlanProblem::StillUsedByLinks { at, .. } => at.as_ref(),
            PlanProblem::DependencyCycle { .. } => None,
        }
    }

    /// The objects a threshold refusal is about.
    pub fn addresses(&self) -> &[String] {
        match self {
            PlanProblem::PercentThresholdExceeded { addresses, .. }
            | PlanProblem::CountThresholdExceeded { addresses, .. }
            | PlanProblem::EverythingOfAKind { addresses, .. }
            | PlanProblem::EmptiesObject { addresses, .. } => addresses,
            _ => &[],
        }
    }
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(name) => format!(" or use the existing `{name}` (did you mean `{name}`?)"),
        None => String::new(),
    }
}

/// `part / whole` as a percentage with one decimal, rounded half up, without floats.
fn tenths(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "0.0".to_string();
    }
    let tenths = (part * 2000 + whole) / (2 * whole);
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_messages_say_which_threshold_and_by_how_much() {
        let problem = PlanProblem::PercentThresholdExceeded {
            kind: Counted::Teams,
            count: 4,
            managed: 10,
            max_percent: 30,
            min_managed: 10,
            allowed: 3,
            addresses: vec![],
            at: None,
        };
        assert_eq!(
            problem.to_string(),
            "refusing to delete 4 of 10 managed teams (40.0%): the threshold is 30% once there are at least 10, which allows 3, so this is 1 over; check the manifests, then plan with --allow-destructive (or `allowDestructive: true` in the policy) if it is intended"
        );
        let problem = PlanProblem::CountThresholdExceeded {
            kind: Counted::WorkspaceMembers,
            count: 7,
            max_count: 5,
            addresses: vec![],
            at: None,
        };
        assert!(
            problem
                .to_string()
                .starts_with("refusing to remove 7 workspace memberships: the threshold allows at most 5, so this is 2 over")
        );
    }

    #[test]
    fn errors_serialize_with_a_code_and_the_message() {
        let error = PlanError::new(PlanProblem::DependencyCycle {
            steps: vec!["a".into(), "b".into()],
        });
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["code"], "dependency-cycle");
        assert_eq!(json["message"], error.message);
        let back: PlanError = serde_json::from_value(json).unwrap();
        assert_eq!(back, error);
    }

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(tenths(1, 3), "33.3");
        assert_eq!(tenths(2, 3), "66.7");
        assert_eq!(tenths(1, 1), "100.0");
    }
}
