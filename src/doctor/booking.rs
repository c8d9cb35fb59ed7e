//! The reads of `scoville doctor` for meeting types, reminders and scheduling links: each list
//! once for every workspace (decoding each object on its own), and `meeting-type-get` for the
//! meeting types found (what `live` reads for their reminders). No write.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::probe::{Decoded, access_of, describe, note};
use super::{Access, Collection, TokenVerdict};
use crate::edge::ops::{self, Op};
use crate::edge::{EdgeClient, EdgeError, wire};
use crate::live::{self, BookingParts};
use crate::model::LinkKind;

/// The collections of this probe, in the order they are reported.
const LINK_COLLECTIONS: [(LinkKind, &str); 4] = [
    (LinkKind::RoundRobin, "round-robin links"),
    (LinkKind::Group, "group links"),
    (LinkKind::AdminOneOnOne, "admin one-on-one links"),
    (LinkKind::Ownership, "ownership links"),
];

/// What the probe found, for the report and for `live::to_live`.
pub(super) struct Probed {
    pub collections: Vec<Collection>,
    /// Every booking object of every workspace, when every read succeeded; else nothing read
    /// (the workspaces' booking fields stay `None`).
    pub parts: BookingParts,
}

/// One answer of a list, as JSON items (`{links: [...]}` for the link lists, a bare array for
/// the others).
async fn items(client: &EdgeClient, op: Op, body: Option<&Value>) -> Result<Vec<Value>, EdgeError> {
    let bytes = client
        .send_prepared(op, op.path, &[], body, &format!("`{}`", op.id))
        .await?;
    let answer: Value =
        serde_json::from_slice(&bytes).map_err(|source| EdgeError::Decode { op: op.id, source })?;
    Ok(match answer {
        Value::Array(items) => items,
        Value::Object(mut fields) => match fields.remove("links") {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    })
}

/// Reads every meeting type, reminder and link of these workspaces.
pub(super) async fn probe(
    client: &EdgeClient,
    workspaces: &[wire::Workspace],
    token: &mut TokenVerdict,
    access: &mut BTreeMap<&'static str, Access>,
    decoded: &mut Decoded,
) -> Probed {
    let workspace_ids: Vec<String> = workspaces.iter().map(|w| w.id.clone()).collect();
    let mut collections = Vec::new();
    let mut complete = true;
    let mut list = |kind: &str, op: Op, answer: &Result<Vec<Value>, EdgeError>| {
        note(token, answer);
        access.insert(op.id, access_of(answer));
        complete &= answer.is_ok();
        collections.push(Collection {
            kind: kind.to_string(),
            op: op.id.to_string(),
            count: answer.as_ref().map_or(0, |items| items.len() as u64),
            undecodable: 0,
            paging: None,
            error: answer.as_ref().err().map(describe),
        });
    };

    let meeting_types = items(client, ops::MEETING_TYPE_LIST, None).await;
    list("meeting types", ops::MEETING_TYPE_LIST, &meeting_types);
    let reminders = items(client, ops::MEETING_TYPE_REMINDER_LIST, None).await;
    list("reminders", ops::MEETING_TYPE_REMINDER_LIST, &reminders);
    // Filtered by every workspace (`filterWorkspaceIds` takes at least one id), as `live` asks.
    let filter = json!({ "filterWorkspaceIds": workspace_ids });
    let mut links = BTreeMap::new();
    for (kind, name) in LINK_COLLECTIONS {
        if workspace_ids.is_empty() {
            continue;
        }
        let op = ops::link_ops(kind)[0];
        let answer = items(client, op, Some(&filter)).await;
        list(name, op, &answer);
        links.insert(kind, answer.unwrap_or_default());
    }
    if workspace_ids.is_empty() {
        for (kind, _) in LINK_COLLECTIONS {
            let reason = "no workspace to list the links of".to_string();
            access.insert(ops::link_ops(kind)[0].id, Access::NotProbed { reason });
        }
    }

    // Objects scoville keeps opaque are listed; a field it does not know is harmless here
    // (updates are patches, nothing is sent back), so it is not.
    let meeting_types: Vec<wire::Tolerant<wire::MeetingType>> =
        decoded.tolerant_items("meeting types", meeting_types.unwrap_or_default(), false);
    let reminders = decoded.tolerant_items("reminders", reminders.unwrap_or_default(), false);
    let mut take = |kind: LinkKind| links.remove(&kind).unwrap_or_default();
    let (round_robin, group, admin_one_on_one, ownership) = (
        take(LinkKind::RoundRobin),
        take(LinkKind::Group),
        take(LinkKind::AdminOneOnOne),
        take(LinkKind::Ownership),
    );
    let round_robin = decoded.tolerant_items("round-robin links", round_robin, false);
    let group = decoded.tolerant_items("group links", group, false);
    let admin_one_on_one =
        decoded.tolerant_items("admin one-on-one links", admin_one_on_one, false);
    let ownership = decoded.tolerant_items("ownership links", ownership, false);

    let readable = meeting_types.iter().filter(|m| m.known().is_some()).count();
    let meeting_types = if readable == 0 {
        access.insert(
            ops::MEETING_TYPE_GET.id,
            Access::NotProbed {
                reason: "no meeting type to read".to_string(),
            },
        );
        meeting_types
    } else {
        let answer = live::with_reminders(client, meeting_types).await;
        note(token, &answer);
        access.insert(ops::MEETING_TYPE_GET.id, access_of(&answer));
        complete &= answer.is_ok();
        answer.unwrap_or_default()
    };

    let parts = if complete {
        BookingParts {
            workspace_ids: workspace_ids.into_iter().collect(),
            meeting_types,
            reminders,
            round_robin,
            group,
            admin_one_on_one,
            ownership,
            unread: None,
        }
    } else {
        BookingParts::default()
    };
    Probed { collections, parts }
}
