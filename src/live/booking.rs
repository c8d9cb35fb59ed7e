//! Meeting types, reminders and scheduling links: reading them for the workspaces in scope (one
//! list per kind, one `meeting-type-get` per meeting type) and turning them into `Live`.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashMap;

use crate::edge::{EdgeClient, EdgeError, wire};
use crate::model::{
    BookingLimit, Buffers, Email, FallbackRouting, LinkSpec, LinkTarget, LiveLink, LiveMeetingType,
    LiveReminder, LiveWorkspace, Location, Locations, MeetingTypeSpec, OpaqueKind, OpaqueObject,
    ReminderSpec, SharedWith, Span, Trigger,
};

use super::opaque::{team_ids_in, unknown_phrase};

/// What was read of the booking kinds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BookingParts {
    /// Ids of the workspaces they were read for: their `Live` fields are `Some`.
    pub workspace_ids: BTreeSet<String>,
    /// Meeting types as `meeting-type-get` answered them (with `reminders`); those the list
    /// could not read are kept as the list gave them.
    pub meeting_types: Vec<wire::Tolerant<wire::MeetingType>>,
    pub reminders: Vec<wire::Tolerant<wire::Reminder>>,
    pub round_robin: Vec<wire::Tolerant<wire::RoundRobinLink>>,
    pub group: Vec<wire::Tolerant<wire::PlainLink>>,
    pub admin_one_on_one: Vec<wire::Tolerant<wire::PlainLink>>,
    pub ownership: Vec<wire::Tolerant<wire::OwnershipLink>>,
    /// Why they were not read at all, when the token may not read them and the scope made
    /// them optional (`Scope::booking_optional`).
    pub unread: Option<String>,
}

/// The `workspaceId` of an object as read, decoded or not.
fn workspace_of<T>(read: &wire::Tolerant<T>, known: impl Fn(&T) -> &str) -> Option<String> {
    match read {
        wire::Tolerant::Known(value) | wire::Tolerant::Extended { value, .. } => {
            Some(known(value).to_string())
        }
        wire::Tolerant::Unknown { raw, .. } => raw["workspaceId"].as_str().map(str::to_string),
    }
}

/// Reads the booking kinds of these workspaces: the two lists (filtered by the workspace when
/// there is one, else one org-wide call each, kept to the workspaces asked about), the four
/// link lists with every id in one filter, then `meeting-type-get` for each readable meeting
/// type, concurrently. No workspace costs no request.
pub async fn read(
    client: &EdgeClient,
    workspace_ids: Vec<String>,
) -> Result<BookingParts, EdgeError> {
    if workspace_ids.is_empty() {
        return Ok(BookingParts::default());
    }
    let only = match workspace_ids.as_slice() {
        [one] => Some(one.as_str()),
        _ => None,
    };
    let wanted: BTreeSet<String> = workspace_ids.iter().cloned().collect();
    let in_scope = |id: Option<String>| id.is_some_and(|id| wanted.contains(&id));
    let meeting_types_with_reminders = async {
        let listed = client.meeting_type_list(only).await?;
        let listed: Vec<_> = listed
            .into_iter()
            .filter(|read| in_scope(workspace_of(read, |m| &m.workspace_id)))
            .collect();
        with_reminders(client, listed).await
    };
    let (meeting_types, reminders, round_robin, group, admin_one_on_one, ownership) = tokio::try_join!(
        meeting_types_with_reminders,
        client.meeting_type_reminder_list(only),
        client.scheduling_link_list_round_robin(&workspace_ids),
        client.scheduling_link_list_group(&workspace_ids),
        client.scheduling_link_list_admin_one_on_one(&workspace_ids),
        client.scheduling_link_list_ownership(&workspace_ids),
    )?;
    let reminders = reminders
        .into_iter()
        .filter(|read| in_scope(workspace_of(read, |r| &r.workspace_id)))
        .collect();
    Ok(BookingParts {
        workspace_ids: wanted,
        meeting_types,
        reminders,
        round_robin,
        group,
        admin_one_on_one,
        ownership,
        unread: None,
    })
}

/// `meeting-type-get` for each meeting type the list could read (the list leaves `reminders`
/// null), concurrently. One deleted between the list and its get is left out: it is gone.
pub async fn with_reminders(
    client: &EdgeClient,
    listed: Vec<wire::Tolerant<wire::MeetingType>>,
) -> Result<Vec<wire::Tolerant<wire::MeetingType>>, EdgeError> {
    let mut tasks = tokio::task::JoinSet::new();
    let mut out = Vec::new();
    for (position, read) in listed.into_iter().enumerate() {
        let Some(id) = read.known().map(|m| m.id.clone()) else {
            out.push((position, read));
            continue;
        };
        let client = client.clone();
        tasks.spawn(async move { (position, client.meeting_type_get(&id).await) });
    }
    while let Some(joined) = tasks.join_next().await {
        let (position, result) = match joined {
            Ok(done) => done,
            Err(join_error) if join_error.is_panic() => {
                std::panic::resume_unwind(join_error.into_panic())
            }
            Err(join_error) => unreachable!("meeting type tasks are never cancelled: {join_error}"),
        };
        match result {
            Ok(read) => out.push((position, read)),
            Err(EdgeError::NotFound { .. }) => {}
            Err(error) => return Err(error),
        }
    }
    out.sort_by_key(|(position, _)| *position);
    Ok(out.into_iter().map(|(_, read)| read).collect())
}

/// Names by id that the booking objects refer to, for one conversion.
pub(super) struct Names<'a> {
    /// Team names by (workspace id, team id).
    pub teams: &'a BTreeMap<(String, String), String>,
    /// Distribution names by id (readable or opaque).
    pub distributions: &'a BTreeMap<String, String>,
    pub email_by_id: &'a HashMap<&'a str, &'a Email>,
}

/// Distribution names by id, readable or not (`<id>` for a nameless one).
pub(super) fn distribution_names(
    distributions: &[wire::Tolerant<wire::Distribution>],
) -> BTreeMap<String, String> {
    distributions
        .iter()
        .filter_map(|read| {
            let (id, name) = match read {
                wire::Tolerant::Known(d) | wire::Tolerant::Extended { value: d, .. } => {
                    (d.id.clone(), d.published.name.clone())
                }
                wire::Tolerant::Unknown { raw, .. } => (
                    raw["id"].as_str()?.to_string(),
                    raw["published"]["name"].as_str().map(str::to_string),
                ),
            };
            let name = name.unwrap_or_else(|| format!("<{id}>"));
            Some((id, name))
        })
        .collect()
}

fn name_or_id(name: Option<&String>, id: &str) -> String {
    name.cloned().unwrap_or_else(|| format!("<{id}>"))
}

fn span(text: &str) -> Result<Span, String> {
    Span::parse(text).map_err(|_| format!("a length of time scoville cannot read (`{text}`)"))
}

/// Fills the booking fields of the workspaces read for that the scope asks about (`reads`,
/// by workspace name), sorted as `LiveWorkspace` says, adds the objects of those workspaces
/// that could not be read to `opaque`, and marks personal workspaces.
pub(super) fn convert(
    parts: &BookingParts,
    users: &[wire::User],
    workspaces: &mut BTreeMap<String, LiveWorkspace>,
    names: &Names<'_>,
    reads: &dyn Fn(&str) -> bool,
    opaque: &mut Vec<OpaqueObject>,
) {
    let personal: BTreeSet<&str> = users
        .iter()
        .filter_map(|u| u.personal_workspace_id.as_deref())
        .collect();
    for workspace in workspaces.values_mut() {
        workspace.personal = personal.contains(workspace.id.as_str());
    }
    let workspace_names: BTreeMap<String, String> = workspaces
        .values()
        .filter(|w| parts.workspace_ids.contains(&w.id) && reads(&w.name))
        .map(|w| (w.id.clone(), w.name.clone()))
        .collect();
    let mut unreadable =
        |raw: &serde_json::Value, kind: OpaqueKind, name: &str, id: &str, unknown: String| {
            let Some(workspace) = raw["workspaceId"]
                .as_str()
                .and_then(|w| workspace_names.get(w))
            else {
                return;
            };
            let mut team_ids = BTreeSet::new();
            team_ids_in(raw, &mut team_ids);
            opaque.push(OpaqueObject {
                workspace: workspace.clone(),
                kind,
                name: if name.is_empty() {
                    format!("<{id}>")
                } else {
                    name.to_string()
                },
                id: id.to_string(),
                unknown,
                team_ids,
            });
        };

    // Names by id of everything read, readable or not, so references resolve either way.
    let raw_name =
        |raw: &serde_json::Value, key: &str| raw[key].as_str().unwrap_or_default().to_string();
    // Keyed by (workspace id, id): a reference to another workspace's object stays `<id>`.
    let names_of = |raw: &serde_json::Value| {
        (
            (raw_name(raw, "workspaceId"), raw_name(raw, "id")),
            raw_name(raw, "name"),
        )
    };
    let reminder_names: BTreeMap<(String, String), String> = parts
        .reminders
        .iter()
        .map(|read| names_of(&raw_of(read)))
        .collect();
    let meeting_type_names: BTreeMap<(String, String), String> = parts
        .meeting_types
        .iter()
        .map(|read| names_of(&raw_of(read)))
        .collect();

    let mut reminders: BTreeMap<String, Vec<LiveReminder>> = BTreeMap::new();
    for read in &parts.reminders {
        let converted = match read {
            wire::Tolerant::Known(r) | wire::Tolerant::Extended { value: r, .. } => {
                reminder(r).map(|live| (r.workspace_id.clone(), live))
            }
            wire::Tolerant::Unknown { reason, .. } => Err(unknown_phrase(reason)),
        };
        match converted {
            Ok((workspace_id, live)) => reminders.entry(workspace_id).or_default().push(live),
            Err(unknown) => {
                let raw = raw_of(read);
                unreadable(
                    &raw,
                    OpaqueKind::Reminder,
                    &raw_name(&raw, "name"),
                    &raw_name(&raw, "id"),
                    unknown,
                );
            }
        }
    }

    let mut meeting_types: BTreeMap<String, Vec<LiveMeetingType>> = BTreeMap::new();
    for read in &parts.meeting_types {
        let converted = match read {
            wire::Tolerant::Known(m) | wire::Tolerant::Extended { value: m, .. } => {
                meeting_type(m, names, &reminder_names).map(|live| (m.workspace_id.clone(), live))
            }
            wire::Tolerant::Unknown { reason, .. } => Err(unknown_phrase(reason)),
        };
        match converted {
            Ok((workspace_id, live)) => meeting_types.entry(workspace_id).or_default().push(live),
            Err(unknown) => {
                let raw = raw_of(read);
                unreadable(
                    &raw,
                    OpaqueKind::MeetingType,
                    &raw_name(&raw, "name"),
                    &raw_name(&raw, "id"),
                    unknown,
                );
            }
        }
    }

    let mut links: BTreeMap<String, Vec<LiveLink>> = BTreeMap::new();
    let mut link_of =
        |raw: serde_json::Value, converted: Result<(String, LiveLink), String>| match converted {
            Ok((workspace_id, live)) => links.entry(workspace_id).or_default().push(live),
            Err(unknown) => {
                unreadable(
                    &raw,
                    OpaqueKind::SchedulingLink,
                    &raw_name(&raw, "slug"),
                    &raw_name(&raw, "linkId"),
                    unknown,
                );
            }
        };
    let meeting_type_list = |workspace_id: &str, ids: &[String]| -> Vec<String> {
        ids.iter()
            .map(|id| {
                name_or_id(
                    meeting_type_names.get(&(workspace_id.to_string(), id.clone())),
                    id,
                )
            })
            .collect()
    };
    for read in &parts.round_robin {
        let converted = match read.known() {
            Some(link) => {
                let distributions: Vec<String> = link
                    .assignments
                    .iter()
                    .map(|a| {
                        name_or_id(
                            names.distributions.get(&a.distribution_id),
                            &a.distribution_id,
                        )
                    })
                    .collect();
                let resolved_members = link
                    .assignments
                    .iter()
                    .zip(&distributions)
                    .map(|(assignment, name)| {
                        let emails = assignment
                            .members
                            .iter()
                            .flatten()
                            .filter_map(|member| member_email(member, names))
                            .collect();
                        (name.clone(), emails)
                    })
                    .collect();
                let target = LinkTarget::RoundRobin { distributions };
                Ok((
                    link.workspace_id.clone(),
                    live_link(
                        &link.link_id,
                        &link.slug,
                        &link.booking_url,
                        &link.name,
                        meeting_type_list(&link.workspace_id, &link.meeting_type_ids),
                        target,
                        resolved_members,
                    ),
                ))
            }
            None => Err(unknown_reason(read)),
        };
        link_of(raw_of(read), converted);
    }
    for (reads, group) in [(&parts.group, true), (&parts.admin_one_on_one, false)] {
        for read in reads {
            let converted = match read.known() {
                Some(link) => {
                    // The API never returns a group link's host and members.
                    let target = if group {
                        LinkTarget::Group {
                            host: None,
                            required: BTreeSet::new(),
                            optional: BTreeSet::new(),
                        }
                    } else {
                        LinkTarget::AdminOneOnOne
                    };
                    Ok((
                        link.workspace_id.clone(),
                        live_link(
                            &link.link_id,
                            &link.slug,
                            &link.booking_url,
                            &link.name,
                            meeting_type_list(&link.workspace_id, &link.meeting_type_ids),
                            target,
                            Vec::new(),
                        ),
                    ))
                }
                None => Err(unknown_reason(read)),
            };
            link_of(raw_of(read), converted);
        }
    }
    for read in &parts.ownership {
        let converted = match read.known() {
            Some(link) => {
                let distributions = link
                    .distribution
                    .assignments
                    .iter()
                    .map(|a| {
                        (
                            name_or_id(
                                names.distributions.get(&a.distribution_id),
                                &a.distribution_id,
                            ),
                            a.required,
                        )
                    })
                    .collect();
                let target = LinkTarget::Ownership { distributions };
                let mut live = live_link(
                    &link.link_id,
                    &link.slug,
                    &link.booking_url,
                    &link.name,
                    meeting_type_list(&link.workspace_id, &link.meeting_type_ids),
                    target,
                    Vec::new(),
                );
                live.fallback_routing = Some(FallbackRouting {
                    host: link.distribution.host.clone(),
                    booker_invitation: link.distribution.booker_invitation.clone(),
                    always_invited_users: link.distribution.always_invited_users.clone(),
                });
                Ok((link.workspace_id.clone(), live))
            }
            None => Err(unknown_reason(read)),
        };
        link_of(raw_of(read), converted);
    }

    for (workspace_id, name) in &workspace_names {
        let Some(workspace) = workspaces.get_mut(name) else {
            continue;
        };
        let mut types = meeting_types.remove(workspace_id).unwrap_or_default();
        types.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        let mut these_reminders = reminders.remove(workspace_id).unwrap_or_default();
        these_reminders.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        let mut these_links = links.remove(workspace_id).unwrap_or_default();
        these_links.sort_by(|a, b| (&a.slug, &a.id).cmp(&(&b.slug, &b.id)));
        workspace.meeting_types = Some(types);
        workspace.reminders = Some(these_reminders);
        workspace.links = Some(these_links);
    }
}

/// The JSON of an object as read.
fn raw_of<T: serde::Serialize>(read: &wire::Tolerant<T>) -> serde_json::Value {
    match read {
        wire::Tolerant::Known(value) => serde_json::to_value(value).unwrap_or_default(),
        wire::Tolerant::Extended { raw, .. } | wire::Tolerant::Unknown { raw, .. } => raw.clone(),
    }
}

fn unknown_reason<T>(read: &wire::Tolerant<T>) -> String {
    match read {
        wire::Tolerant::Unknown { reason, .. } => unknown_phrase(reason),
        _ => String::new(),
    }
}

/// A member's email: the user's (by id) when the org has them, else the one the link gives.
fn member_email(member: &wire::LinkMember, names: &Names<'_>) -> Option<Email> {
    names
        .email_by_id
        .get(member.id.as_str())
        .map(|email| (*email).clone())
        .or_else(|| member.email.as_deref().and_then(|e| Email::parse(e).ok()))
}

fn live_link(
    id: &str,
    slug: &str,
    booking_url: &str,
    name: &str,
    meeting_types: Vec<String>,
    target: LinkTarget,
    resolved_members: Vec<(String, Vec<Email>)>,
) -> LiveLink {
    LiveLink {
        id: id.to_string(),
        slug: slug.to_string(),
        booking_url: booking_url.to_string(),
        spec: LinkSpec {
            name: name.to_string(),
            meeting_types,
            target,
        },
        resolved_members,
        fallback_routing: None,
    }
}

fn reminder(r: &wire::Reminder) -> Result<LiveReminder, String> {
    Ok(LiveReminder {
        id: r.id.clone(),
        name: r.name.clone(),
        spec: ReminderSpec {
            channel: r.channel,
            trigger: Trigger {
                kind: r.trigger.kind,
                offset: r.trigger.offset.as_deref().map(span).transpose()?,
            },
            title: r.title.clone(),
            body: r.body.clone(),
            send_to: r.send_to,
            send_from: r.send_from,
            sms_send_from: r.sms_send_from,
        },
    })
}

fn location(l: &wire::MeetingLocation) -> Location {
    Location {
        kind: l.kind,
        host: l.host,
        value: l.value.clone(),
    }
}

fn meeting_type(
    m: &wire::MeetingType,
    names: &Names<'_>,
    reminder_names: &BTreeMap<(String, String), String>,
) -> Result<LiveMeetingType, String> {
    let mut others: Vec<&wire::MeetingLocation> = m.location.others.iter().flatten().collect();
    others.sort_by_key(|l| l.index);
    let meeting_limit = match &m.meeting_limit {
        Some(limit) => Some(BookingLimit {
            limit_by: limit.limit_by,
            timeframe: limit.timeframe,
            count: u32::try_from(limit.count)
                .map_err(|_| format!("a booking limit scoville cannot read ({})", limit.count))?,
        }),
        None => None,
    };
    let shared_with = m.shared_with.as_ref().map(|shared| match shared {
        wire::SharedWith::Workspace => SharedWith::Workspace,
        wire::SharedWith::Teams { team_ids } => SharedWith::Teams(
            team_ids
                .iter()
                .map(|id| name_or_id(names.teams.get(&(m.workspace_id.clone(), id.clone())), id))
                .collect(),
        ),
    });
    let reminder_ids: Vec<String> = m.reminders.iter().flatten().map(|r| r.id.clone()).collect();
    Ok(LiveMeetingType {
        id: m.id.clone(),
        name: m.name.clone(),
        spec: MeetingTypeSpec {
            duration: span(&m.duration)?,
            description: m.description.clone(),
            invite_title: Some(m.invite_title.clone()),
            invite_description: Some(m.invite_description.clone()),
            status: Some(m.status),
            location: Some(Locations {
                default: location(&m.location.default),
                others: others.into_iter().map(location).collect(),
            }),
            buffers: Some(Buffers {
                before: m.buffers.before.as_deref().map(span).transpose()?,
                after: m.buffers.after.as_deref().map(span).transpose()?,
            }),
            meeting_limit,
            shared_with,
            reminders: Some(
                reminder_ids
                    .iter()
                    .map(|id| {
                        name_or_id(
                            reminder_names.get(&(m.workspace_id.clone(), id.clone())),
                            id,
                        )
                    })
                    .collect(),
            ),
        },
        reminder_ids,
    })
}
