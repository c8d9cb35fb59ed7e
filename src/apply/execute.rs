//! One step: send its request, and when a non-idempotent call's outcome is unknown, read the
//! target back to learn whether the change happened before sending anything again.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{ApplyOptions, StepOutcome, StepStatus};
use crate::edge::{EdgeClient, EdgeError, wire};
use crate::plan::{Address, Call, Request, Step, StepId, booking_calls, seeded_reminder_key};

/// Runs `step`, resolving its symbolic ids from `created`.
pub async fn step(
    client: &EdgeClient,
    step: &Step,
    created: &BTreeMap<StepId, String>,
    options: &ApplyOptions,
) -> StepOutcome {
    let request = match step.call.request(&|id: &StepId| created.get(id).cloned()) {
        Ok(request) => request,
        Err(unresolved) => {
            return StepOutcome::new(
                step,
                StepStatus::Failed {
                    error: unresolved.to_string(),
                },
                0,
            );
        }
    };
    if let Some(outcome) = look_before_create(client, step, &request).await {
        return outcome;
    }
    let mut attempts = 0;
    loop {
        attempts += 1;
        let sent = client
            .send_prepared(
                request.op,
                &request.path,
                &request.query,
                request.body.as_ref(),
                &step.target,
            )
            .await;
        let error = match sent {
            Ok(answer) => {
                let created = match &step.call {
                    booking_calls!() => super::booking::created_id(&step.call, &answer),
                    _ => created_id(&step.call, &answer),
                };
                let mut outcome = match created {
                    Ok(created_id) => StepOutcome::new(
                        step,
                        super::twins::settle(client, step, &request, created_id).await,
                        attempts,
                    ),
                    Err(error) => StepOutcome::new(step, StepStatus::Failed { error }, attempts),
                };
                if let (
                    Call::MeetingTypeCreate { .. },
                    StepStatus::Done {
                        created_id: Some(meeting_type_id),
                        ..
                    },
                ) = (&step.call, &outcome.status)
                {
                    // The reminder the create seeded, for the steps that detach and delete it.
                    match super::booking::seeded_reminder(client, &answer, meeting_type_id).await {
                        Ok(Some(id)) => {
                            outcome.also_created = vec![(seeded_reminder_key(&step.id), id)]
                        }
                        Ok(None) => {}
                        Err(error) => {
                            outcome.status = StepStatus::Failed {
                                error: format!(
                                    "{}: created, but reading the reminder it seeded failed \
                                     ({error}): run `scoville plan` and apply again",
                                    step.target
                                ),
                            }
                        }
                    }
                }
                return outcome;
            }
            Err(error) => error,
        };
        if !error.is_outcome_unknown() {
            return StepOutcome::new(step, failure(step, &error), attempts);
        }
        // The call may or may not have taken effect. Look before doing anything else.
        match read_back(client, step, &request).await {
            Ok(ReadBack::Applied { created_id }) => {
                return StepOutcome::new(
                    step,
                    StepStatus::Done {
                        created_id,
                        read_back: true,
                    },
                    attempts,
                );
            }
            Ok(ReadBack::Absent) if attempts < options.max_attempts => continue,
            Ok(ReadBack::Absent) => {
                return StepOutcome::new(step, failure(step, &error), attempts);
            }
            Ok(ReadBack::Differs { what }) => {
                return StepOutcome::new(
                    step,
                    StepStatus::Failed {
                        error: format!(
                            "{}: the outcome was unknown and reading back found {what}: \
                             run `scoville plan` to see the current state",
                            step.target
                        ),
                    },
                    attempts,
                );
            }
            Err(read_error) => {
                return StepOutcome::new(
                    step,
                    StepStatus::Failed {
                        error: format!(
                            "{error}; reading it back failed too ({read_error}): run `scoville \
                             plan` before applying again"
                        ),
                    },
                    attempts,
                );
            }
        }
    }
}

/// Before a create (not idempotent), a targeted read by name: the verification before the
/// first write may be minutes old by now, and another apply or a person may have created the
/// object since. Absent: `None`, go ahead. The very object the step would create: adopt it
/// (done, nothing sent), so two overlapping applies leave one object. Anything else under that
/// name: fail without creating a twin.
async fn look_before_create(
    client: &EdgeClient,
    step: &Step,
    request: &Request,
) -> Option<StepOutcome> {
    // meeting-type-create is not looked for: its idempotency key makes a repeat harmless.
    if !matches!(
        step.call,
        Call::UserInvite { .. }
            | Call::TeamCreate { .. }
            | Call::DistributionCreate { .. }
            | Call::RuleCreate { .. }
            | Call::ReminderCreate { .. }
            | Call::LinkCreateRoundRobin { .. }
            | Call::LinkCreateGroup { .. }
            | Call::LinkCreateAdminOneOnOne { .. }
    ) {
        return None;
    }
    let status = match read_back(client, step, request).await {
        Ok(ReadBack::Absent) => return None,
        Ok(ReadBack::Applied { created_id }) => StepStatus::Done {
            created_id,
            read_back: true,
        },
        Ok(ReadBack::Differs { what }) => StepStatus::Failed {
            error: format!(
                "{}: right before creating it, found {what}, made since the plan was verified; \
                 nothing was created: run `scoville plan` to see the current state",
                step.target
            ),
        },
        Err(error) => StepStatus::Failed {
            error: format!(
                "{}: cannot check that it does not exist yet ({error}), so it was not created: \
                 run `scoville plan` and apply again",
                step.target
            ),
        },
    };
    Some(StepOutcome::new(step, status, 0))
}

/// A failed step's message. A conflict on a rule means someone changed it after the plan.
fn failure(step: &Step, error: &EdgeError) -> StepStatus {
    let error = match error {
        // The target names the object; the server's text only repeats its id and revisions.
        EdgeError::Conflict { op, .. } => format!(
            "{} changed since the plan ({op} was refused as a conflict): it was not overwritten; \
             re-run `scoville plan`",
            step.target
        ),
        // The key is derived from the manifests, and the API answers a repeat of it with the
        // meeting type it made then: gone since, that answer is 404.
        EdgeError::NotFound { .. } if matches!(step.call, Call::MeetingTypeCreate { .. }) => {
            format!(
                "{}: the API answered 404 to the create: a meeting type made earlier from these \
                 same manifests (under the same idempotency key) was deleted since; any change to \
                 the manifests gives a new key (a comment will do): change them, then plan and \
                 apply again",
                step.target
            )
        }
        other => other.to_string(),
    };
    StepStatus::Failed { error }
}

/// The id a create returned, for the steps that refer to it.
fn created_id(call: &Call, answer: &[u8]) -> Result<Option<String>, String> {
    fn id_of<T: serde::de::DeserializeOwned>(
        answer: &[u8],
        op: &str,
        id: impl Fn(T) -> String,
    ) -> Result<Option<String>, String> {
        serde_json::from_slice::<T>(answer)
            .map(|value| Some(id(value)))
            .map_err(|error| {
                format!("{op}: the answer does not carry the new id ({error}): run `scoville plan`")
            })
    }
    match call {
        Call::UserInvite { .. } => id_of(answer, "user-invite", |user: wire::User| user.id),
        Call::TeamCreate { .. } => id_of(answer, "team-create", |team: wire::Team| team.id),
        Call::DistributionCreate { .. } => id_of(
            answer,
            "distribution-create",
            |created: wire::CreateDistributionResponse| created.distribution_id,
        ),
        Call::RuleCreate { .. } => id_of(answer, "rule-create", |rule: wire::Rule| {
            rule.body().id.clone()
        }),
        _ => Ok(None),
    }
}

/// What reading back after an unknown outcome found.
pub(super) enum ReadBack {
    /// The change is there (with the id of what was created, for creates).
    Applied { created_id: Option<String> },
    /// The change is not there: sending the call again is safe.
    Absent,
    /// Something is there, but not what the plan asked for.
    Differs { what: String },
}

async fn read_back(
    client: &EdgeClient,
    step: &Step,
    request: &Request,
) -> Result<ReadBack, EdgeError> {
    let body = request.body.clone().unwrap_or(Value::Null);
    match &step.call {
        Call::UserInvite { body: invite } => {
            let email = invite.email.as_str();
            let found = client.user_find(email).await?;
            Ok(
                match found
                    .into_iter()
                    .find(|user| user.email.eq_ignore_ascii_case(email))
                {
                    Some(user) => ReadBack::Applied {
                        created_id: Some(user.id),
                    },
                    None => ReadBack::Absent,
                },
            )
        }
        Call::TeamCreate { .. } => {
            let planned: wire::CreateTeamRequest = parse(body)?;
            let filter = wire::TeamListRequest {
                workspace_ids: Some(vec![planned.workspace_id.clone()]),
                name: Some(planned.name.clone()),
                ..Default::default()
            };
            let teams = client.team_list(&filter).await?;
            let planned_members: BTreeSet<String> =
                planned.members.unwrap_or_default().into_iter().collect();
            let same_name: Vec<wire::Team> = teams
                .into_iter()
                .filter(|team| {
                    team.workspace_id == planned.workspace_id && team.name == planned.name
                })
                .collect();
            Ok(match same_name.as_slice() {
                [] => ReadBack::Absent,
                [team]
                    if team.members.iter().cloned().collect::<BTreeSet<_>>() == planned_members =>
                {
                    ReadBack::Applied {
                        created_id: Some(team.id.clone()),
                    }
                }
                [_] => ReadBack::Differs {
                    what: format!("a team `{}` with other members", planned.name),
                },
                _ => ReadBack::Differs {
                    what: format!("{} teams named `{}`", same_name.len(), planned.name),
                },
            })
        }
        Call::DistributionCreate { .. } => {
            let planned: wire::DistributionWriteRequest = parse(body)?;
            let filter = wire::DistributionListRequest {
                workspace_ids: Some(vec![planned.workspace_id.clone()]),
                name: Some(planned.name.clone()),
                ..Default::default()
            };
            let listed = client.distribution_list(&filter).await?;
            let same_name: Vec<wire::Distribution> = listed
                .into_iter()
                .filter_map(wire::Tolerant::into_known)
                .filter(|d| d.published.name.as_deref() == Some(planned.name.as_str()))
                .collect();
            Ok(match same_name.as_slice() {
                [] => ReadBack::Absent,
                [found] if same_distribution(&planned, &found.published) => ReadBack::Applied {
                    created_id: Some(found.id.clone()),
                },
                [_] => ReadBack::Differs {
                    what: format!(
                        "a distribution `{}` with another configuration",
                        planned.name
                    ),
                },
                _ => ReadBack::Differs {
                    what: format!("{} distributions named `{}`", same_name.len(), planned.name),
                },
            })
        }
        Call::RuleCreate { .. } => {
            let planned: wire::RuleCreateRequest = parse(body)?;
            let fields = planned.dto.view();
            let rules = client
                .rule_list(Some(fields.workspace_id), Some(fields.name))
                .await?;
            let same_name: Vec<wire::Rule> = rules
                .into_iter()
                .filter_map(wire::Tolerant::into_known)
                .filter(|rule| rule.body().name == fields.name)
                .collect();
            Ok(match same_name.as_slice() {
                [] => ReadBack::Absent,
                [rule]
                    if rule.is_ownership() == fields.ownership
                        && rule.body().conditions == *fields.conditions
                        && rule.body().team_id.as_deref() == fields.team_id =>
                {
                    ReadBack::Applied {
                        created_id: Some(rule.body().id.clone()),
                    }
                }
                [_] => ReadBack::Differs {
                    what: format!("a rule `{}` with other conditions", fields.name),
                },
                _ => ReadBack::Differs {
                    what: format!("{} rules named `{}`", same_name.len(), fields.name),
                },
            })
        }
        Call::RuleModify { .. } => {
            let planned: wire::RuleModifyRequest = parse(body)?;
            let rule = client.rule_get(&planned.rule_id).await?;
            let now = rule.body();
            let wanted = planned.dto.view();
            if now.name == wanted.name
                && now.conditions == *wanted.conditions
                && now.team_id.as_deref() == wanted.team_id
            {
                Ok(ReadBack::Applied { created_id: None })
            } else if now.metadata.revision == planned.revision {
                Ok(ReadBack::Absent)
            } else {
                Ok(ReadBack::Differs {
                    what: format!(
                        "revision {} by {} instead of the planned change",
                        now.metadata.revision, now.metadata.updated_by
                    ),
                })
            }
        }
        Call::RuleDelete { params } => gone(client.rule_get(&params.rule_id).await.map(drop)),
        // A deleted team or distribution is looked for under its name, not in a sweep of
        // every one of the org: a list of many pages is not a snapshot, and when an object
        // before the target is deleted between two pages (by a concurrent step or a person)
        // while another is created, the total holds and the target slides onto the page
        // already read, so a sweep would report a delete that never ran as done. One name
        // fits on one page.
        Call::TeamDelete { params } => {
            let filter = wire::TeamListRequest {
                name: name_in(&step.target),
                ..Default::default()
            };
            let teams = client.team_list(&filter).await?;
            Ok(if teams.iter().any(|team| team.id == params.team_id) {
                ReadBack::Absent
            } else {
                ReadBack::Applied { created_id: None }
            })
        }
        Call::DistributionDelete { params } => {
            let filter = wire::DistributionListRequest {
                name: name_in(&step.target),
                ..Default::default()
            };
            let listed = client.distribution_list(&filter).await?;
            let listed_id = |d: &wire::Tolerant<wire::Distribution>| match d {
                wire::Tolerant::Known(d) | wire::Tolerant::Extended { value: d, .. } => {
                    d.id.clone()
                }
                wire::Tolerant::Unknown { raw, .. } => {
                    raw["id"].as_str().unwrap_or_default().to_string()
                }
            };
            Ok(
                if listed
                    .iter()
                    .any(|d| listed_id(d) == params.distribution_id)
                {
                    ReadBack::Absent
                } else {
                    ReadBack::Applied { created_id: None }
                },
            )
        }
        // Idempotent calls are retried by the client itself and never end here; if one does,
        // sending it again is safe by definition.
        Call::UserUpdateLicenses { .. }
        | Call::WorkspaceAddUsers { .. }
        | Call::WorkspaceRemoveUsers { .. }
        | Call::TeamAddUsers { .. }
        | Call::TeamRemoveUsers { .. }
        | Call::DistributionUpdate { .. }
        | Call::DistributionSettingsUpdate { .. } => Ok(ReadBack::Absent),
        booking_calls!() => super::booking::read_back(client, step, request).await,
    }
}

/// The name of the team or distribution a step's target address names (`team:Sales/x`);
/// `None` (so: no filter) for any other address.
fn name_in(target: &str) -> Option<String> {
    match Address::parse(target)? {
        Address::Team(_, name) | Address::Distribution(_, name) => Some(name),
        _ => None,
    }
}

/// A read of a deleted object: not found means the delete happened.
fn gone(read: Result<(), EdgeError>) -> Result<ReadBack, EdgeError> {
    match read {
        Ok(()) => Ok(ReadBack::Absent),
        Err(EdgeError::NotFound { .. }) => Ok(ReadBack::Applied { created_id: None }),
        Err(other) => Err(other),
    }
}

fn parse<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, EdgeError> {
    serde_json::from_value(body).map_err(|source| EdgeError::Decode {
        op: "apply read-back",
        source,
    })
}

/// Whether a published configuration is what a create asked for (lists compared as sets).
pub(super) fn same_distribution(
    planned: &wire::DistributionWriteRequest,
    published: &wire::DistributionConfig,
) -> bool {
    fn sorted<T: Clone + Ord>(list: &Option<Vec<T>>) -> Vec<T> {
        let mut list = list.clone().unwrap_or_default();
        list.sort();
        list
    }
    let weights = |list: &Option<Vec<wire::UserWeight>>| {
        sorted(
            &list
                .as_ref()
                .map(|l| l.iter().map(|w| (w.user_id.clone(), w.weight)).collect()),
        )
    };
    let calibration = |list: &Option<Vec<wire::UserCalibration>>| {
        sorted(&list.as_ref().map(|l| {
            l.iter()
                .map(|c| (c.user_id.clone(), c.calibration))
                .collect()
        }))
    };
    published.team_ref.id == planned.team_id
        && published.workspace_id == planned.workspace_id
        && published.assignment_type_config == planned.assignment_type_config
        && weights(&published.weights) == weights(&planned.weights)
        && calibration(&published.manual_calibration) == calibration(&planned.manual_calibration)
        && published.capping == planned.capping
}
