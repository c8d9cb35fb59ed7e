//! After a create: make sure the org holds one object of that name, not two.
//!
//! The look by name right before a create (`execute`) leaves a window of one round trip in
//! which another apply (on another machine) or a person can create the same object. So after
//! each team, distribution or rule create the applier looks again. When it finds others of
//! the same name, the earliest one (by `createdAt`, then id) is kept: everyone who looks sees
//! the same objects and agrees which that is. If that is not ours, ours is deleted at once
//! (nothing refers to it yet: the steps that would use its id have not run), and the step
//! adopts the kept object when it is exactly what the step asked for, or fails when it is not.

use crate::edge::{EdgeClient, EdgeError, wire};
use crate::plan::{Call, Request, Step};

use super::StepStatus;

/// Settles a create that returned `created_id`: the step's final status.
pub async fn settle(
    client: &EdgeClient,
    step: &Step,
    request: &Request,
    created_id: Option<String>,
) -> StepStatus {
    let done = |created_id| StepStatus::Done {
        created_id,
        read_back: false,
    };
    let Some(ours) = created_id.clone() else {
        return done(created_id);
    };
    match same_name(client, step, request).await {
        Ok(mut found) => {
            found.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
            match found.first() {
                Some(kept) if kept.id != ours => {
                    let kept = kept.clone();
                    if let Err(error) = delete(client, &step.call, &ours, &found).await {
                        return StepStatus::Failed {
                            error: format!(
                                "{}: another one was created at the same moment, and deleting \
                                 ours (`{ours}`) failed ({error}): delete one of the two in Chili \
                                 Piper, then run `scoville plan`",
                                step.target
                            ),
                        };
                    }
                    if kept.same_as_planned {
                        StepStatus::Done {
                            created_id: Some(kept.id),
                            read_back: true,
                        }
                    } else {
                        StepStatus::Failed {
                            error: format!(
                                "{}: someone created one of that name at the same moment \
                                 (`{}`, by {}), with another configuration; ours was deleted \
                                 again: run `scoville plan` to see the current state",
                                step.target, kept.id, kept.created_by
                            ),
                        }
                    }
                }
                _ => done(created_id),
            }
        }
        // The create itself succeeded; a failed look leaves it as it is.
        Err(_) => done(created_id),
    }
}

#[derive(Debug, Clone)]
struct Found {
    id: String,
    created_at: String,
    created_by: String,
    /// Revision, for a rule delete.
    revision: i64,
    same_as_planned: bool,
}

/// Every object of the step's kind and name in its workspace (a targeted list by name).
async fn same_name(
    client: &EdgeClient,
    step: &Step,
    request: &Request,
) -> Result<Vec<Found>, EdgeError> {
    let body = request.body.clone().unwrap_or_default();
    let parse = |op| move |source| EdgeError::Decode { op, source };
    Ok(match &step.call {
        Call::TeamCreate { .. } => {
            let planned: wire::CreateTeamRequest =
                serde_json::from_value(body).map_err(parse("team-create"))?;
            let filter = wire::TeamListRequest {
                workspace_ids: Some(vec![planned.workspace_id.clone()]),
                name: Some(planned.name.clone()),
                ..Default::default()
            };
            let mut planned_members = planned.members.clone().unwrap_or_default();
            planned_members.sort();
            client
                .team_list(&filter)
                .await?
                .into_iter()
                .filter(|t| t.workspace_id == planned.workspace_id && t.name == planned.name)
                .map(|t| {
                    let mut members = t.members.clone();
                    members.sort();
                    Found {
                        same_as_planned: members == planned_members,
                        id: t.id,
                        created_at: t.metadata.base.created_at,
                        created_by: t.metadata.base.created_by,
                        revision: t.metadata.base.revision,
                    }
                })
                .collect()
        }
        Call::DistributionCreate { .. } => {
            let planned: wire::DistributionWriteRequest =
                serde_json::from_value(body).map_err(parse("distribution-create"))?;
            let filter = wire::DistributionListRequest {
                workspace_ids: Some(vec![planned.workspace_id.clone()]),
                name: Some(planned.name.clone()),
                ..Default::default()
            };
            client
                .distribution_list(&filter)
                .await?
                .into_iter()
                // One that scoville cannot read is not ours to keep or delete.
                .filter_map(wire::Tolerant::into_known)
                .filter(|d| d.published.name.as_deref() == Some(planned.name.as_str()))
                .map(|d| Found {
                    same_as_planned: super::execute::same_distribution(&planned, &d.published),
                    id: d.id,
                    created_at: d.published.metadata.created_at,
                    created_by: d.published.metadata.created_by,
                    revision: d.published.metadata.revision,
                })
                .collect()
        }
        Call::RuleCreate { .. } => {
            let planned: wire::RuleCreateRequest =
                serde_json::from_value(body).map_err(parse("rule-create"))?;
            let fields = planned.dto.view();
            client
                .rule_list(Some(fields.workspace_id), Some(fields.name))
                .await?
                .into_iter()
                .filter_map(wire::Tolerant::into_known)
                .filter(|rule| rule.body().name == fields.name)
                .map(|rule| {
                    let body = rule.body();
                    Found {
                        same_as_planned: rule.is_ownership() == fields.ownership
                            && body.conditions == *fields.conditions
                            && body.team_id.as_deref() == fields.team_id,
                        id: body.id.clone(),
                        created_at: body.metadata.created_at.clone(),
                        created_by: body.metadata.created_by.clone(),
                        revision: body.metadata.revision,
                    }
                })
                .collect()
        }
        _ => Vec::new(),
    })
}

async fn delete(
    client: &EdgeClient,
    call: &Call,
    ours: &str,
    found: &[Found],
) -> Result<(), EdgeError> {
    match call {
        Call::TeamCreate { .. } => client.team_delete(ours).await,
        Call::DistributionCreate { .. } => client.distribution_delete(ours).await,
        Call::RuleCreate { .. } => {
            let revision = found
                .iter()
                .find(|f| f.id == ours)
                .map_or(1, |f| f.revision);
            client.rule_delete(ours, revision).await
        }
        _ => Ok(()),
    }
}
