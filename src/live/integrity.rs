//! Read integrity: before `Live` is built, every cross-reference of what `fetch` read must
//! resolve, because a read is evidence, not truth.
//!
//! The sweeps are page by page at different moments, and a server may answer a page short (with
//! a `total` lowered to match). The pagination checks catch a sweep that disagrees with itself
//! (a `total` that moves, an id twice); what they cannot see is an object that is simply not
//! there. An id that one collection references and another lacks is the sign of that, not of an
//! object to remove. So:
//!
//! | reference | unresolved means | targeted read | still unresolved |
//! |---|---|---|---|
//! | team members, weights, calibrations, caps -> users | a user the sweep missed | `user-find-by-ids` with exactly those ids | confirmed absent by the API: kept as an unknown id |
//! | distribution `teamRef`, rule `teamId` and ownership conditions -> teams | a team the sweep missed | `team-list-put` filtered to that workspace | the read is refused (`LiveError::UnresolvedTeam`) |
//!
//! A consistent org costs no request here. (A sweep whose pages disagree with each other is
//! read once more by `fetch` before it gets here.) The planner only ever removes an unknown member id
//! that the targeted read confirmed matches no user.

use std::collections::{BTreeMap, BTreeSet};

use super::{LiveError, LiveParts};
use crate::edge::{EdgeClient, wire};

/// Resolves every dangling reference of `parts` by a targeted read, adding what the sweeps
/// missed; refuses when a team reference stays unresolved.
pub async fn resolve_references(
    client: &EdgeClient,
    parts: &mut LiveParts,
) -> Result<(), LiveError> {
    let missing_users = unresolved_users(parts);
    if !missing_users.is_empty() {
        let ids: Vec<String> = missing_users.into_iter().collect();
        let found = client.user_find_by_ids(&ids).await?;
        let known: BTreeSet<String> = parts.users.iter().map(|user| user.id.clone()).collect();
        parts.users.extend(
            found
                .into_iter()
                .filter(|user| ids.contains(&user.id) && !known.contains(&user.id)),
        );
    }

    let missing_teams = unresolved_teams(parts);
    for workspace_id in missing_teams.keys() {
        let filter = wire::TeamListRequest {
            workspace_ids: Some(vec![workspace_id.clone()]),
            ..Default::default()
        };
        let found = client.team_list(&filter).await?;
        let known: BTreeSet<String> = parts.teams.iter().map(|team| team.id.clone()).collect();
        parts.teams.extend(
            found
                .into_iter()
                .filter(|team| &team.workspace_id == workspace_id && !known.contains(&team.id)),
        );
    }
    if let Some((_, references)) = unresolved_teams(parts).into_iter().next()
        && let Some(reference) = references.into_iter().next()
    {
        return Err(LiveError::UnresolvedTeam {
            used_by: reference.used_by,
            team_id: reference.team_id,
        });
    }
    Ok(())
}

/// User ids that team members, weights, calibrations and caps name but the user list lacks.
pub fn unresolved_users(parts: &LiveParts) -> BTreeSet<String> {
    let known: BTreeSet<&str> = parts.users.iter().map(|user| user.id.as_str()).collect();
    let mut referenced: BTreeSet<&str> = BTreeSet::new();
    for team in &parts.teams {
        referenced.extend(team.members.iter().map(String::as_str));
    }
    // Objects kept opaque are not resolved: scoville never changes them, and what they name
    // is listed with them.
    for distribution in parts.distributions.iter().filter_map(wire::Tolerant::known) {
        let config = &distribution.published;
        referenced.extend(config.weights.iter().flatten().map(|w| w.user_id.as_str()));
        referenced.extend(
            config
                .manual_calibration
                .iter()
                .flatten()
                .map(|c| c.user_id.as_str()),
        );
        if let Some(capping) = &config.capping {
            referenced.extend(capping.user_caps.iter().map(|cap| cap.user_id.as_str()));
        }
        if let wire::AssignmentTypeConfig::Meeting {
            limits: wire::MeetingLimit::MeetingLimitSet { user_caps, .. },
            ..
        } = &config.assignment_type_config
        {
            referenced.extend(user_caps.iter().map(|cap| cap.user_id.as_str()));
        }
    }
    referenced
        .into_iter()
        .filter(|id| !known.contains(id))
        .map(str::to_string)
        .collect()
}

/// A team reference the team list does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TeamReference {
    /// What holds the reference: "distribution `Inbound`", "rule `Owner`".
    pub used_by: String,
    pub team_id: String,
}

/// Team references of distributions and rules that no team of their workspace has, by
/// workspace id.
pub fn unresolved_teams(parts: &LiveParts) -> BTreeMap<String, BTreeSet<TeamReference>> {
    let known: BTreeSet<(&str, &str)> = parts
        .teams
        .iter()
        .map(|team| (team.workspace_id.as_str(), team.id.as_str()))
        .collect();
    let mut unresolved: BTreeMap<String, BTreeSet<TeamReference>> = BTreeMap::new();
    let mut check = |workspace_id: &str, team_id: &str, used_by: &dyn Fn() -> String| {
        if !known.contains(&(workspace_id, team_id)) {
            unresolved
                .entry(workspace_id.to_string())
                .or_default()
                .insert(TeamReference {
                    used_by: used_by(),
                    team_id: team_id.to_string(),
                });
        }
    };
    for distribution in parts.distributions.iter().filter_map(wire::Tolerant::known) {
        let config = &distribution.published;
        let name = config.name.as_deref().unwrap_or(&distribution.id);
        check(&config.workspace_id, &config.team_ref.id, &|| {
            format!("distribution `{name}`")
        });
    }
    for rule in parts.rules.iter().filter_map(wire::Tolerant::known) {
        let body = rule.body();
        let used_by = || format!("rule `{}`", body.name);
        let mut team_ids: Vec<&str> = body.team_id.as_deref().into_iter().collect();
        condition_teams(&body.conditions, &mut team_ids);
        for team_id in team_ids {
            check(&body.workspace_id, team_id, &used_by);
        }
    }
    unresolved
}

fn condition_teams<'a>(condition: &'a wire::Condition, out: &mut Vec<&'a str>) {
    match condition {
        wire::Condition::ConditionGroup { conditions, .. } => {
            for nested in conditions {
                condition_teams(nested, out);
            }
        }
        wire::Condition::OwnershipCondition {
            team_id: Some(team_id),
            ..
        } => out.push(team_id),
        _ => {}
    }
}
