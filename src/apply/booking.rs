//! The applier's side of meeting types, reminders and scheduling links: the ids their creates
//! return (with the reminder `meeting-type-create` seeds by itself), and the read-back of a
//! call whose answer was lost.
//!
//! `meeting-type-create` needs no read-back: it always carries an idempotency key derived from
//! the plan, the client sends it again on a lost answer, and the API answers the meeting type
//! it already created. Every other create (reminders, links) is looked for by name or slug
//! before it is sent and after an unknown outcome, as teams, distributions and rules are.

use serde_json::Value;

use super::execute::ReadBack;
use crate::edge::{EdgeClient, EdgeError, ops, wire};
use crate::plan::{Address, Call, Request, SEEDED_REMINDER_NAME, Step};

/// The id a booking create returned (`id` of a meeting type or reminder, `linkId` of a link).
pub(super) fn created_id(call: &Call, answer: &[u8]) -> Result<Option<String>, String> {
    let field = match call {
        Call::MeetingTypeCreate { .. } | Call::ReminderCreate { .. } => "id",
        Call::LinkCreateRoundRobin { .. }
        | Call::LinkCreateGroup { .. }
        | Call::LinkCreateAdminOneOnOne { .. } => "linkId",
        _ => return Ok(None),
    };
    let value: Value = serde_json::from_slice(answer).map_err(|error| {
        format!(
            "{}: the answer is not JSON ({error}): run `scoville plan`",
            call.op().id
        )
    })?;
    match value[field].as_str() {
        Some(id) => Ok(Some(id.to_string())),
        None => Err(format!(
            "{}: the answer does not carry the new `{field}`: run `scoville plan`",
            call.op().id
        )),
    }
}

/// The reminder a `meeting-type-create` seeded: the answer's `reminders[0].id`, or, when the
/// answer leaves `reminders` out, the one `meeting-type-get` shows attached (by its seeded
/// name, else the only one).
pub(super) async fn seeded_reminder(
    client: &EdgeClient,
    answer: &[u8],
    meeting_type_id: &str,
) -> Result<Option<String>, EdgeError> {
    let from = |value: &Value| -> Option<String> {
        let reminders = value["reminders"].as_array()?;
        let named = reminders
            .iter()
            .find(|r| r["name"].as_str() == Some(SEEDED_REMINDER_NAME));
        let only = (reminders.len() == 1).then(|| &reminders[0]);
        named
            .or(only)
            .or(reminders.first())
            .and_then(|r| r["id"].as_str())
            .map(str::to_string)
    };
    if let Ok(value) = serde_json::from_slice::<Value>(answer)
        && let Some(id) = from(&value)
    {
        return Ok(Some(id));
    }
    let op = ops::MEETING_TYPE_GET;
    let bytes = client
        .send_prepared(
            op,
            &op.path_with(&[meeting_type_id]),
            &[],
            None,
            "the seeded reminder",
        )
        .await?;
    let value: Value =
        serde_json::from_slice(&bytes).map_err(|source| EdgeError::Decode { op: op.id, source })?;
    Ok(from(&value))
}

/// Reads back a booking call whose outcome is unknown (or, for a create, looks before sending).
pub(super) async fn read_back(
    client: &EdgeClient,
    step: &Step,
    request: &Request,
) -> Result<ReadBack, EdgeError> {
    let body = request.body.clone().unwrap_or(Value::Null);
    let last_segment = request
        .path
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    match &step.call {
        Call::ReminderCreate { body: planned } => {
            let found = reminders(client, &planned.workspace_id).await?;
            let same_name: Vec<&wire::Reminder> =
                found.iter().filter(|r| r.name == planned.name).collect();
            Ok(match same_name.as_slice() {
                [] => ReadBack::Absent,
                [one]
                    if one.channel == planned.channel
                        && one.trigger == planned.trigger
                        && one.body == planned.body
                        && one.title == planned.title =>
                {
                    ReadBack::Applied {
                        created_id: Some(one.id.clone()),
                    }
                }
                [_] => ReadBack::Differs {
                    what: format!("a reminder `{}` with other content", planned.name),
                },
                several => ReadBack::Differs {
                    what: format!("{} reminders named `{}`", several.len(), planned.name),
                },
            })
        }
        Call::ReminderDelete { params } => {
            let found = reminders(client, &params.workspace_id).await?;
            Ok(if found.iter().any(|r| r.id == last_segment) {
                ReadBack::Absent
            } else {
                ReadBack::Applied { created_id: None }
            })
        }
        Call::MeetingTypeDelete { .. } => {
            let op = ops::MEETING_TYPE_GET;
            let read = client
                .send_prepared(op, &op.path_with(&[&last_segment]), &[], None, &step.target)
                .await;
            match read {
                Ok(_) => Ok(ReadBack::Absent),
                Err(EdgeError::NotFound { .. }) => Ok(ReadBack::Applied { created_id: None }),
                Err(other) => Err(other),
            }
        }
        Call::LinkCreateRoundRobin { .. }
        | Call::LinkCreateGroup { .. }
        | Call::LinkCreateAdminOneOnOne { .. } => {
            let kind = link_kind_of(&step.call);
            let workspace_id = body["workspaceId"].as_str().unwrap_or_default();
            let slug = body["slug"].as_str().unwrap_or_default();
            let found = links(client, kind, workspace_id, slug).await?;
            let same_slug: Vec<&Value> = found
                .iter()
                .filter(|link| link["slug"].as_str() == Some(slug))
                .collect();
            Ok(match same_slug.as_slice() {
                [] => ReadBack::Absent,
                [one] if same_link(&body, one) => ReadBack::Applied {
                    created_id: one["linkId"].as_str().map(str::to_string),
                },
                [_] => ReadBack::Differs {
                    what: format!("a link with slug `{slug}` and another configuration"),
                },
                several => ReadBack::Differs {
                    what: format!("{} links with slug `{slug}`", several.len()),
                },
            })
        }
        Call::LinkDeleteRoundRobin { params }
        | Call::LinkDeleteGroup { params }
        | Call::LinkDeleteAdminOneOnOne { params }
        | Call::LinkDeleteOwnership { params } => {
            // Looked for by its slug (the target's), in every workspace: the id decides.
            let kind = link_kind_of(&step.call);
            let slug = match Address::parse(&step.target) {
                Some(Address::Link(_, slug)) => slug,
                _ => String::new(),
            };
            let found = links(client, kind, "", &slug).await?;
            Ok(
                if found
                    .iter()
                    .any(|link| link["linkId"].as_str() == Some(params.link_id.as_str()))
                {
                    ReadBack::Absent
                } else {
                    ReadBack::Applied { created_id: None }
                },
            )
        }
        // Updates, attach and detach are idempotent (the client repeats them itself), and so is
        // meeting-type-create with its key: sending again is safe.
        _ => Ok(ReadBack::Absent),
    }
}

fn link_kind_of(call: &Call) -> crate::model::LinkKind {
    call.link_kind()
        .unwrap_or(crate::model::LinkKind::RoundRobin)
}

/// Whether a listed link is what a create asked for: name, meeting types, and for a
/// round-robin link its distributions in order.
fn same_link(planned: &Value, found: &Value) -> bool {
    let distributions: Vec<&Value> = found["assignments"]
        .as_array()
        .map(|list| list.iter().map(|a| &a["distributionId"]).collect())
        .unwrap_or_default();
    let planned_distributions: Vec<&Value> = planned["distributionIds"]
        .as_array()
        .map(|list| list.iter().collect())
        .unwrap_or_default();
    planned["name"] == found["name"]
        && planned["meetingTypeIds"] == found["meetingTypeIds"]
        && (planned.get("distributionIds").is_none() || distributions == planned_distributions)
}

/// Every reminder of a workspace (`meeting-type-reminder-list?workspaceId=`, a bare array).
async fn reminders(
    client: &EdgeClient,
    workspace_id: &str,
) -> Result<Vec<wire::Reminder>, EdgeError> {
    let op = ops::MEETING_TYPE_REMINDER_LIST;
    let bytes = client
        .send_prepared(
            op,
            &op.path_with(&[]),
            &[("workspaceId".to_string(), workspace_id.to_string())],
            None,
            "reminders",
        )
        .await?;
    serde_json::from_slice(&bytes).map_err(|source| EdgeError::Decode { op: op.id, source })
}

/// The links of `kind` with `slug` (in `workspace_id`, when given), through the kind's list
/// with `filterLinkSlugs`. Read as JSON: only `linkId`, `slug`, `name`, `meetingTypeIds` and
/// the assignments' `distributionId` are compared.
async fn links(
    client: &EdgeClient,
    kind: crate::model::LinkKind,
    workspace_id: &str,
    slug: &str,
) -> Result<Vec<Value>, EdgeError> {
    let op = ops::link_ops(kind)[0];
    let filter = wire::LinksRequest {
        filter_workspace_ids: (!workspace_id.is_empty()).then(|| vec![workspace_id.to_string()]),
        filter_link_slugs: (!slug.is_empty()).then(|| vec![slug.to_string()]),
        ..Default::default()
    };
    let body = serde_json::to_value(&filter).unwrap_or(Value::Null);
    let bytes = client
        .send_prepared(op, &op.path_with(&[]), &[], Some(&body), "links")
        .await?;
    let listed: wire::Links<Value> =
        serde_json::from_slice(&bytes).map_err(|source| EdgeError::Decode { op: op.id, source })?;
    Ok(listed.links)
}
