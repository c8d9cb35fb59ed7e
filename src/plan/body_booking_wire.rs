//! The requests of the meeting-type, reminder and scheduling-link calls: every reference of a
//! `body_booking` body resolved into the exact wire body of `edge::wire::booking`, the wire
//! forms of the domain's durations, locations and limits, and the idempotency key of
//! `meeting-type-create`.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::body::{Call, Resolver, UnresolvedReference, UserRef};
use super::body_booking::{
    DistributionRef, LinkUpdateBody, MeetingTypeRef, ReminderRef, SharedWithBody,
    seeded_reminder_key,
};
use crate::edge::ops::Op;
use crate::edge::wire;
use crate::model::{
    BookingLimit, Buffers, Location, Locations, MeetingTypeSpec, ReminderSpec, Trigger,
};

/// Path, query and body of a call of this module, every reference resolved.
pub(super) type Parts = (String, Vec<(String, String)>, Option<serde_json::Value>);

pub(super) fn booking_request(
    call: &Call,
    op: Op,
    resolver: &Resolver<'_>,
) -> Result<Parts, UnresolvedReference> {
    let none: &[&str] = &[];
    let json = |value: serde_json::Value| Some(value);
    let workspace_query = |id: &str| vec![("workspaceId".to_string(), id.to_string())];
    Ok(match call {
        Call::MeetingTypeCreate { body } => (
            op.path_with(none),
            vec![],
            json(to_json(&wire::MeetingTypeCreate {
                workspace_id: body.workspace_id.clone(),
                name: body.name.clone(),
                duration: body.duration.clone(),
                description: body.description.clone(),
                invite_title: body.invite_title.clone(),
                invite_description: body.invite_description.clone(),
                location: body.location.clone(),
                shared_with: resolver.shared_with(&body.shared_with)?,
                idempotency_key: Some(body.idempotency_key.clone()),
            })),
        ),
        Call::MeetingTypeUpdate { params, body } => (
            op.path_with(&[&resolver.meeting_type(&params.meeting_type_id)?]),
            vec![],
            json(to_json(&wire::MeetingTypeUpdate {
                name: body.name.clone(),
                description: body.description.clone(),
                invite_title: body.invite_title.clone(),
                invite_description: body.invite_description.clone(),
                duration: body.duration.clone(),
                status: body.status,
                location: body.location.clone(),
                buffers: body.buffers.clone(),
                meeting_limit: body.meeting_limit.clone(),
                shared_with: resolver.shared_with(&body.shared_with)?,
            })),
        ),
        Call::MeetingTypeDelete { params } => (
            op.path_with(&[&resolver.meeting_type(&params.meeting_type_id)?]),
            vec![],
            None,
        ),
        Call::MeetingTypeAttachReminder { params } | Call::MeetingTypeDetachReminder { params } => {
            (
                op.path_with(&[
                    &resolver.meeting_type(&params.meeting_type_id)?,
                    &resolver.reminder(&params.reminder_id)?,
                ]),
                vec![],
                None,
            )
        }
        Call::ReminderCreate { body } => (op.path_with(none), vec![], json(to_json(body))),
        Call::ReminderUpdate { params, body } => (
            op.path_with(&[&params.reminder_id]),
            workspace_query(&params.workspace_id),
            json(to_json(body)),
        ),
        Call::ReminderDelete { params } => (
            op.path_with(&[&resolver.reminder(&params.reminder_id)?]),
            workspace_query(&params.workspace_id),
            None,
        ),
        Call::LinkCreateRoundRobin { body } => (
            op.path_with(none),
            vec![],
            json(to_json(&wire::RoundRobinLinkCreate {
                workspace_id: body.workspace_id.clone(),
                name: body.name.clone(),
                slug: body.slug.clone(),
                meeting_type_ids: resolver.meeting_types(&body.meeting_type_ids)?,
                distribution_ids: resolver.distributions(&body.distribution_ids)?,
            })),
        ),
        Call::LinkCreateGroup { body } => (
            op.path_with(none),
            vec![],
            json(to_json(&wire::GroupLinkCreate {
                workspace_id: body.workspace_id.clone(),
                name: body.name.clone(),
                slug: body.slug.clone(),
                meeting_type_ids: resolver.meeting_types(&body.meeting_type_ids)?,
                host_user_id: resolver.user(&body.host_user_id)?,
                required_member_ids: Some(resolver.users(&body.required_member_ids)?),
                optional_member_ids: Some(resolver.users(&body.optional_member_ids)?),
            })),
        ),
        Call::LinkCreateAdminOneOnOne { body } => (
            op.path_with(none),
            vec![],
            json(to_json(&wire::AdminLinkCreate {
                workspace_id: body.workspace_id.clone(),
                name: body.name.clone(),
                slug: body.slug.clone(),
                meeting_type_ids: resolver.meeting_types(&body.meeting_type_ids)?,
            })),
        ),
        _ => {
            let link_id = call.link_id().unwrap_or_default();
            let body = match call.link_update_body() {
                Some(body) => json(to_json(&resolver.link_update(body)?)),
                None => None,
            };
            (op.path_with(&[link_id]), vec![], body)
        }
    })
}

impl Resolver<'_> {
    fn meeting_type(&self, meeting_type: &MeetingTypeRef) -> Result<String, UnresolvedReference> {
        match meeting_type {
            MeetingTypeRef::Id(id) => Ok(id.clone()),
            MeetingTypeRef::FromStep { id_from_step, .. } => self.step(id_from_step),
        }
    }

    fn meeting_types(&self, list: &[MeetingTypeRef]) -> Result<Vec<String>, UnresolvedReference> {
        list.iter().map(|item| self.meeting_type(item)).collect()
    }

    fn distribution_ref(
        &self,
        distribution: &DistributionRef,
    ) -> Result<String, UnresolvedReference> {
        match distribution {
            DistributionRef::Id(id) => Ok(id.clone()),
            DistributionRef::FromStep { id_from_step, .. } => self.step(id_from_step),
        }
    }

    fn distributions(&self, list: &[DistributionRef]) -> Result<Vec<String>, UnresolvedReference> {
        list.iter()
            .map(|item| self.distribution_ref(item))
            .collect()
    }

    fn reminder(&self, reminder: &ReminderRef) -> Result<String, UnresolvedReference> {
        match reminder {
            ReminderRef::Id(id) => Ok(id.clone()),
            ReminderRef::FromStep { id_from_step, .. } => self.step(id_from_step),
            ReminderRef::SeededBy { seeded_by } => self
                .lookup
                .created_id(&seeded_reminder_key(seeded_by))
                .ok_or_else(|| UnresolvedReference {
                    step: self.op_id.to_string(),
                    needs: seeded_by.clone(),
                }),
        }
    }

    fn shared_with(
        &self,
        shared: &Option<SharedWithBody>,
    ) -> Result<Option<wire::SharedWith>, UnresolvedReference> {
        Ok(match shared {
            None => None,
            Some(SharedWithBody::Workspace) => Some(wire::SharedWith::Workspace),
            Some(SharedWithBody::Teams { team_ids }) => Some(wire::SharedWith::Teams {
                team_ids: team_ids
                    .iter()
                    .map(|team| self.team(team))
                    .collect::<Result<_, _>>()?,
            }),
        })
    }

    fn link_update(&self, body: &LinkUpdateBody) -> Result<wire::LinkUpdate, UnresolvedReference> {
        let users =
            |list: &Option<Vec<UserRef>>| list.as_ref().map(|list| self.users(list)).transpose();
        Ok(wire::LinkUpdate {
            name: body.name.clone(),
            slug: body.slug.clone(),
            meeting_type_ids: body
                .meeting_type_ids
                .as_ref()
                .map(|list| self.meeting_types(list))
                .transpose()?,
            distribution_ids: body
                .distribution_ids
                .as_ref()
                .map(|list| self.distributions(list))
                .transpose()?,
            host_user_id: body
                .host_user_id
                .as_ref()
                .map(|user| self.user(user))
                .transpose()?,
            required_member_ids: users(&body.required_member_ids)?,
            optional_member_ids: users(&body.optional_member_ids)?,
            distribution: match &body.distribution {
                None => None,
                Some(distribution) => Some(wire::DistributionInvitationInput {
                    assignments: distribution
                        .assignments
                        .iter()
                        .map(|a| {
                            Ok(wire::DistributionAssignmentInput {
                                distribution_id: self.distribution_ref(&a.distribution_id)?,
                                required: a.required,
                            })
                        })
                        .collect::<Result<_, UnresolvedReference>>()?,
                    host: distribution.host.clone(),
                    booker_invitation: distribution.booker_invitation.clone(),
                    always_invited_users: distribution.always_invited_users.clone(),
                }),
            },
        })
    }
}

fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    // Plain structs with string keys: serialization cannot fail.
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// The wire form of a meeting's locations. `others` is always sent, empty or not: the API
/// rejects a location without it (official skill notes).
pub fn wire_locations(locations: &Locations) -> wire::MeetingLocations {
    let one = |location: &Location, index: i32| wire::MeetingLocation {
        kind: location.kind,
        index,
        host: location.host,
        value: location.value.clone(),
    };
    wire::MeetingLocations {
        default: one(&locations.default, 0),
        others: Some(
            locations
                .others
                .iter()
                .zip(1..)
                .map(|(location, index)| one(location, index))
                .collect(),
        ),
    }
}

pub fn wire_buffers(buffers: &Buffers) -> wire::MeetingBuffers {
    wire::MeetingBuffers {
        before: buffers.before.map(|span| span.wire()),
        after: buffers.after.map(|span| span.wire()),
    }
}

pub fn wire_limit(limit: &BookingLimit) -> wire::MeetingBookingLimit {
    wire::MeetingBookingLimit {
        limit_by: limit.limit_by,
        timeframe: limit.timeframe,
        count: i32::try_from(limit.count).unwrap_or(i32::MAX),
    }
}

pub fn wire_trigger(trigger: &Trigger) -> wire::ReminderTrigger {
    wire::ReminderTrigger {
        kind: trigger.kind,
        offset: trigger.offset.map(|span| span.wire()),
    }
}

/// The `ReminderCreate` of a declared reminder.
pub fn reminder_create(
    workspace_id: &str,
    name: &str,
    spec: &ReminderSpec,
) -> wire::ReminderCreate {
    wire::ReminderCreate {
        workspace_id: workspace_id.to_string(),
        channel: spec.channel,
        trigger: wire_trigger(&spec.trigger),
        name: name.to_string(),
        title: spec.title.clone(),
        body: spec.body.clone(),
        send_to: spec.send_to,
        send_from: spec.send_from,
        sms_send_from: spec.sms_send_from,
    }
}

/// The idempotency key of a meeting-type-create: a UUID (RFC 9562 version 8, the variant bits
/// of RFC 4122) made of the first 16 bytes of SHA-256 over the tenant, the workspace id, the
/// manifests' content hash, the meeting type's name and its declared content. The same plan
/// (and a plan made again from the same manifests against the same org, as `apply` does right
/// before writing) sends the same key, so a create whose answer was lost is sent again and the
/// API answers the meeting type it already created.
pub fn idempotency_key(
    tenant: &str,
    workspace_id: &str,
    content_hash: &str,
    name: &str,
    spec: &MeetingTypeSpec,
) -> String {
    let mut hasher = Sha256::new();
    for part in [
        "scoville meeting-type-create 1",
        tenant,
        workspace_id,
        content_hash,
        name,
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hasher.update(serde_json::to_vec(spec).unwrap_or_default());
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::body_booking::ReminderDeleteParams;
    use crate::plan::types::StepId;

    #[test]
    fn idempotency_keys_are_version_8_uuids_stable_for_equal_inputs() {
        let spec = MeetingTypeSpec {
            duration: crate::model::Span(1800),
            description: None,
            invite_title: None,
            invite_description: None,
            status: None,
            location: None,
            buffers: None,
            meeting_limit: None,
            shared_with: None,
            reminders: None,
        };
        let key = idempotency_key("t", "w", "h", "Demo", &spec);
        assert_eq!(key, idempotency_key("t", "w", "h", "Demo", &spec));
        assert_ne!(key, idempotency_key("t", "w", "h", "Intro", &spec));
        assert_eq!(key.len(), 36);
        assert_eq!(&key[14..15], "8", "{key}");
        assert!(matches!(&key[19..20], "8" | "9" | "a" | "b"), "{key}");
    }

    #[test]
    fn a_seeded_reminder_resolves_from_the_create_steps_answer() {
        let create = StepId("meeting-type-create meetingType:Sales/Demo".into());
        let call = Call::ReminderDelete {
            params: ReminderDeleteParams {
                reminder_id: ReminderRef::SeededBy {
                    seeded_by: create.clone(),
                },
                workspace_id: "w-1".into(),
            },
        };
        assert_eq!(call.referenced_steps(), vec![create.clone()]);
        let unresolved = call.request(&|_: &StepId| None).unwrap_err();
        assert_eq!(unresolved.needs, create);
        let key = seeded_reminder_key(&create);
        let request = call
            .request(&|step: &StepId| (step == &key).then(|| "r-9".to_string()))
            .unwrap();
        assert_eq!(request.path, "/v1/org/meeting-type-reminders/r-9");
        assert_eq!(
            request.query,
            vec![("workspaceId".to_string(), "w-1".to_string())]
        );
        let json = serde_json::to_value(&call).unwrap();
        assert_eq!(json["op"], "meeting-type-reminder-delete");
        assert_eq!(
            json["params"]["reminderId"]["seededBy"],
            "meeting-type-create meetingType:Sales/Demo"
        );
    }
}
