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
//! | distribution `teamRef`, rule `teamId` and ownership conditions, meeting type `sharedWith` -> teams | a team the sweep missed | `team-list-put` filtered to that workspace | the read is refused (`LiveError::UnresolvedTeam`) |
//! | round-robin and ownership link assignments -> distributions | a distribution the sweep missed (or made after it) | `distribution-list-put` filtered to that workspace | the read is refused (`LiveError::UnresolvedDistribution`) |
//! | link `meetingTypeIds` -> meeting types | a meeting type made after the list | `meeting-type-list` for that workspace, and `meeting-type-get` of what it adds | kept, shown as `<id>` (a link may offer what the team list does not show) |
//!
//! A consistent org costs no request here. (A sweep whose pages disagree with each other is
//! read once more by `fetch` before it gets here.) The planner only ever removes an unknown member id
//! that the targeted read confirmed matches no user.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashSet;

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

    for workspace_id in unresolved_distributions(parts).keys() {
        let filter = wire::DistributionListRequest {
            workspace_ids: Some(vec![workspace_id.clone()]),
            ..Default::default()
        };
        let found = client.distribution_list(&filter).await?;
        let known = distribution_ids(parts);
        parts.distributions.extend(found.into_iter().filter(|read| {
            distribution_key(read)
                .is_some_and(|(w, id)| &w == workspace_id && !known.contains(&(w.clone(), id)))
        }));
    }
    if let Some((_, references)) = unresolved_distributions(parts).into_iter().next()
        && let Some(reference) = references.into_iter().next()
    {
        return Err(LiveError::UnresolvedDistribution {
            used_by: reference.used_by,
            distribution_id: reference.distribution_id,
        });
    }

    for workspace_id in unresolved_meeting_types(parts) {
        let listed = client.meeting_type_list(Some(&workspace_id)).await?;
        let known = meeting_type_ids(&parts.booking);
        let new: Vec<_> = listed
            .into_iter()
            .filter(|read| {
                read.known().is_some_and(|m| {
                    m.workspace_id == workspace_id
                        && !known.contains(&(m.workspace_id.clone(), m.id.clone()))
                })
            })
            .collect();
        parts
            .booking
            .meeting_types
            .extend(super::booking::with_reminders(client, new).await?);
    }
    Ok(())
}

/// (workspace id, id) of a distribution as read, decoded or not.
fn distribution_key(read: &wire::Tolerant<wire::Distribution>) -> Option<(String, String)> {
    match read {
        wire::Tolerant::Known(d) | wire::Tolerant::Extended { value: d, .. } => {
            Some((d.published.workspace_id.clone(), d.id.clone()))
        }
        wire::Tolerant::Unknown { raw, .. } => Some((
            raw["published"]["workspaceId"].as_str()?.to_string(),
            raw["id"].as_str()?.to_string(),
        )),
    }
}

fn distribution_ids(parts: &LiveParts) -> BTreeSet<(String, String)> {
    parts
        .distributions
        .iter()
        .filter_map(distribution_key)
        .collect()
}

fn meeting_type_ids(booking: &super::BookingParts) -> BTreeSet<(String, String)> {
    booking
        .meeting_types
        .iter()
        .filter_map(|read| match read {
            wire::Tolerant::Known(m) | wire::Tolerant::Extended { value: m, .. } => {
                Some((m.workspace_id.clone(), m.id.clone()))
            }
            wire::Tolerant::Unknown { raw, .. } => Some((
                raw["workspaceId"].as_str()?.to_string(),
                raw["id"].as_str()?.to_string(),
            )),
        })
        .collect()
}

/// A distribution reference the distribution list does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DistributionReference {
    /// What holds the reference: "scheduling link `demo`".
    pub used_by: String,
    pub distribution_id: String,
}

/// Distribution references of round-robin and ownership links that no distribution of their
/// workspace has, by workspace id.
pub fn unresolved_distributions(
    parts: &LiveParts,
) -> BTreeMap<String, BTreeSet<DistributionReference>> {
    let known = distribution_ids(parts);
    let mut unresolved: BTreeMap<String, BTreeSet<DistributionReference>> = BTreeMap::new();
    let booking = &parts.booking;
    let round_robin = booking
        .round_robin
        .iter()
        .filter_map(wire::Tolerant::known)
        .map(|link| (&link.workspace_id, &link.slug, &link.assignments));
    let ownership = booking
        .ownership
        .iter()
        .filter_map(wire::Tolerant::known)
        .map(|link| {
            (
                &link.workspace_id,
                &link.slug,
                &link.distribution.assignments,
            )
        });
    for (workspace_id, slug, assignments) in round_robin.chain(ownership) {
        for assignment in assignments {
            if !known.contains(&(workspace_id.clone(), assignment.distribution_id.clone())) {
                unresolved
                    .entry(workspace_id.clone())
                    .or_default()
                    .insert(DistributionReference {
                        used_by: format!("scheduling link `{slug}`"),
                        distribution_id: assignment.distribution_id.clone(),
                    });
            }
        }
    }
    unresolved
}

/// Workspaces whose links offer a meeting type the meeting-type list did not give.
fn unresolved_meeting_types(parts: &LiveParts) -> BTreeSet<String> {
    let known = meeting_type_ids(&parts.booking);
    let booking = &parts.booking;
    let offered = booking
        .round_robin
        .iter()
        .filter_map(wire::Tolerant::known)
        .map(|l| (&l.workspace_id, &l.meeting_type_ids))
        .chain(
            booking
                .group
                .iter()
                .chain(&booking.admin_one_on_one)
                .filter_map(wire::Tolerant::known)
                .map(|l| (&l.workspace_id, &l.meeting_type_ids)),
        )
        .chain(
            booking
                .ownership
                .iter()
                .filter_map(wire::Tolerant::known)
                .map(|l| (&l.workspace_id, &l.meeting_type_ids)),
        );
    offered
        .filter(|(workspace_id, ids)| {
            ids.iter()
                .any(|id| !known.contains(&((*workspace_id).clone(), id.clone())))
        })
        .map(|(workspace_id, _)| workspace_id.clone())
        .collect()
}

/// User ids that team members, weights, calibrations and caps name but the user list lacks.
pub fn unresolved_users(parts: &LiveParts) -> BTreeSet<String> {
    // Hashed: a huge org's ids share long prefixes, which make ordered lookups slow.
    let known: HashSet<&str> = parts.users.iter().map(|user| user.id.as_str()).collect();
    let mut referenced: HashSet<&str> = HashSet::default();
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
    for meeting_type in parts
        .booking
        .meeting_types
        .iter()
        .filter_map(wire::Tolerant::known)
    {
        if let Some(wire::SharedWith::Teams { team_ids }) = &meeting_type.shared_with {
            for team_id in team_ids {
                check(&meeting_type.workspace_id, team_id, &|| {
                    format!("meeting type `{}`", meeting_type.name)
                });
            }
        }
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
