//! An in-memory stand-in for the booking operations, for convergence checks without the
//! emulator: each step's request (exactly as `Call::request` builds it, ids of earlier steps
//! filled in) is applied to a copy of the live org's booking layer. It behaves as the official
//! notes say: a meeting-type create seeds an attached "Email 1 hour before" reminder, updates
//! are patches, reminder update and delete need the workspace. Other kinds of steps (teams,
//! distributions) are applied only as far as the booking checks need: a created distribution
//! gets its name, a deleted one goes.

use std::collections::BTreeMap;

use scoville::model::*;
use scoville::plan::{Detail, Plan, StepId, seeded_reminder_key};
use serde_json::Value;

/// `live` after every step of `plan` succeeded.
pub fn apply_booking(live: &Live, plan: &Plan) -> Live {
    let mut live = live.clone();
    let mut created: BTreeMap<StepId, String> = BTreeMap::new();
    for (n, step) in plan.steps.iter().enumerate() {
        let request = step
            .call
            .request(&|id: &StepId| created.get(id).cloned())
            .unwrap_or_else(|e| panic!("{e}"));
        let op = request.op.id;
        let body = request.body.clone().unwrap_or(Value::Null);
        let segments: Vec<&str> = request.path.split('/').collect();
        let last = segments.last().copied().unwrap_or_default().to_string();
        let workspace_name = step.workspace.clone().unwrap_or_default();
        let new_id = format!("new-{n}");
        if op == "user-invite" {
            let email = Email::parse(body["email"].as_str().unwrap()).unwrap();
            live.users.insert(
                email.clone(),
                LiveUser {
                    id: new_id.clone(),
                    email,
                    name: body["name"].as_str().unwrap_or_default().to_string(),
                    licenses: Default::default(),
                    tier: None,
                },
            );
            created.insert(step.id.clone(), new_id);
            continue;
        }
        let workspace = live.workspaces.get_mut(&workspace_name);
        let Some(workspace) = workspace else { continue };
        match op {
            "distribution-create" => {
                let Detail::Distribution {
                    after: Some(spec), ..
                } = &step.detail
                else {
                    panic!("a distribution create without its configuration");
                };
                workspace.distributions.push(LiveDistribution {
                    id: new_id.clone(),
                    name: body["name"].as_str().unwrap().to_string(),
                    team_id: body["teamId"].as_str().unwrap().to_string(),
                    spec: spec.clone(),
                    team_revision: 1,
                    meta: workspace.meta.clone(),
                });
                created.insert(step.id.clone(), new_id);
            }
            "distribution-delete" => workspace.distributions.retain(|d| d.id != last),
            "meeting-type-reminder-create" => {
                let spec = reminder_spec(&body, None);
                workspace
                    .reminders
                    .get_or_insert_default()
                    .push(LiveReminder {
                        id: new_id.clone(),
                        name: body["name"].as_str().unwrap().to_string(),
                        spec,
                    });
                created.insert(step.id.clone(), new_id);
            }
            "meeting-type-reminder-update" => {
                assert!(request.query.iter().any(|(k, _)| k == "workspaceId"));
                let reminder = reminders(workspace)
                    .iter_mut()
                    .find(|r| r.id == last)
                    .unwrap();
                if let Some(name) = body["name"].as_str() {
                    reminder.name = name.to_string();
                }
                reminder.spec = reminder_spec(&body, Some(&reminder.spec));
            }
            "meeting-type-reminder-delete" => {
                assert!(request.query.iter().any(|(k, _)| k == "workspaceId"));
                reminders(workspace).retain(|r| r.id != last);
            }
            "meeting-type-create" => {
                assert!(body["idempotencyKey"].is_string());
                let seeded = format!("{new_id}-seeded");
                reminders(workspace).push(LiveReminder {
                    id: seeded.clone(),
                    name: "Email 1 hour before".into(),
                    spec: ReminderSpec {
                        channel: ReminderChannel::Email,
                        trigger: Trigger {
                            kind: TriggerKind::BeforeMeeting,
                            offset: Some(Span(3600)),
                        },
                        title: None,
                        body: "Your meeting starts in an hour.".into(),
                        send_to: None,
                        send_from: None,
                        sms_send_from: None,
                    },
                });
                let name = body["name"].as_str().unwrap().to_string();
                let mut spec = MeetingTypeSpec {
                    duration: Span::parse(body["duration"].as_str().unwrap()).unwrap(),
                    description: None,
                    invite_title: Some(name.clone()),
                    invite_description: Some(String::new()),
                    status: Some(MeetingTypeStatus::Active),
                    location: None,
                    buffers: Some(Buffers {
                        before: None,
                        after: None,
                    }),
                    meeting_limit: None,
                    shared_with: Some(SharedWith::Workspace),
                    reminders: None,
                };
                patch_meeting_type(&mut spec, &body, workspace);
                let meeting_types = workspace.meeting_types.get_or_insert_default();
                meeting_types.push(LiveMeetingType {
                    id: new_id.clone(),
                    name,
                    spec,
                    reminder_ids: vec![seeded.clone()],
                });
                created.insert(seeded_reminder_key(&step.id), seeded);
                created.insert(step.id.clone(), new_id);
            }
            "meeting-type-update" => {
                let mut found = meeting_types(workspace)
                    .iter()
                    .find(|m| m.id == last)
                    .unwrap()
                    .clone();
                if let Some(name) = body["name"].as_str() {
                    // Links hold the meeting type by id: the reader names it anew.
                    let old = std::mem::replace(&mut found.name, name.to_string());
                    for link in workspace.links.iter_mut().flatten() {
                        for offered in &mut link.spec.meeting_types {
                            if *offered == old {
                                *offered = name.to_string();
                            }
                        }
                    }
                }
                patch_meeting_type(&mut found.spec, &body, workspace);
                let slot = meeting_types(workspace)
                    .iter_mut()
                    .find(|m| m.id == last)
                    .unwrap();
                *slot = found;
            }
            "meeting-type-delete" => meeting_types(workspace).retain(|m| m.id != last),
            "meeting-type-attach-reminder" | "meeting-type-detach-reminder" => {
                let meeting_type_id = segments[segments.len() - 3].to_string();
                let found = meeting_types(workspace)
                    .iter_mut()
                    .find(|m| m.id == meeting_type_id)
                    .unwrap();
                found.reminder_ids.retain(|id| id != &last);
                if op == "meeting-type-attach-reminder" {
                    found.reminder_ids.push(last.clone());
                }
            }
            op if op.starts_with("scheduling-link-create-") => {
                let slug = body["slug"].as_str().unwrap().to_string();
                let spec = link_spec(&body, None, workspace);
                workspace.links.get_or_insert_default().push(LiveLink {
                    id: new_id.clone(),
                    booking_url: format!("https://acme.chilipiper.com/x/{slug}"),
                    slug,
                    spec,
                    resolved_members: vec![],
                    fallback_routing: None,
                });
                created.insert(step.id.clone(), new_id);
            }
            op if op.starts_with("scheduling-link-update-") => {
                let found = links(workspace)
                    .iter()
                    .find(|l| l.id == last)
                    .unwrap()
                    .clone();
                let spec = link_spec(&body, Some(&found.spec), workspace);
                let slot = links(workspace).iter_mut().find(|l| l.id == last).unwrap();
                if let Some(slug) = body["slug"].as_str() {
                    slot.slug = slug.to_string();
                }
                slot.spec = spec;
            }
            op if op.starts_with("scheduling-link-delete-") => {
                links(workspace).retain(|l| l.id != last);
            }
            _ => {}
        }
        // Names of attached reminders follow the ids, as the live reader gives them.
        let names: BTreeMap<String, String> = workspace
            .reminders
            .iter()
            .flatten()
            .map(|r| (r.id.clone(), r.name.clone()))
            .collect();
        for meeting_type in workspace.meeting_types.iter_mut().flatten() {
            meeting_type.spec.reminders = Some(
                meeting_type
                    .reminder_ids
                    .iter()
                    .map(|id| names.get(id).cloned().unwrap_or_else(|| format!("<{id}>")))
                    .collect(),
            );
        }
    }
    live
}

fn reminders(workspace: &mut LiveWorkspace) -> &mut Vec<LiveReminder> {
    workspace.reminders.get_or_insert_default()
}

fn meeting_types(workspace: &mut LiveWorkspace) -> &mut Vec<LiveMeetingType> {
    workspace.meeting_types.get_or_insert_default()
}

fn links(workspace: &mut LiveWorkspace) -> &mut Vec<LiveLink> {
    workspace.links.get_or_insert_default()
}

fn from_json<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap()
}

fn reminder_spec(body: &Value, before: Option<&ReminderSpec>) -> ReminderSpec {
    let mut spec = before.cloned().unwrap_or_else(|| ReminderSpec {
        channel: from_json(&body["channel"]),
        trigger: Trigger {
            kind: TriggerKind::BeforeMeeting,
            offset: None,
        },
        title: None,
        body: String::new(),
        send_to: None,
        send_from: None,
        sms_send_from: None,
    });
    if !body["trigger"].is_null() {
        spec.trigger = Trigger {
            kind: from_json(&body["trigger"]["kind"]),
            offset: body["trigger"]["offset"]
                .as_str()
                .map(|text| Span::parse(text).unwrap()),
        };
    }
    if let Some(title) = body["title"].as_str() {
        spec.title = Some(title.to_string());
    }
    if let Some(text) = body["body"].as_str() {
        spec.body = text.to_string();
    }
    if !body["sendTo"].is_null() {
        spec.send_to = Some(from_json(&body["sendTo"]));
    }
    if !body["sendFrom"].is_null() {
        spec.send_from = Some(from_json(&body["sendFrom"]));
    }
    if !body["smsSendFrom"].is_null() {
        spec.sms_send_from = Some(from_json(&body["smsSendFrom"]));
    }
    spec
}

fn patch_meeting_type(spec: &mut MeetingTypeSpec, body: &Value, workspace: &LiveWorkspace) {
    let text = |key: &str| body[key].as_str().map(str::to_string);
    if let Some(duration) = text("duration") {
        spec.duration = Span::parse(&duration).unwrap();
    }
    for (key, field) in [
        ("description", &mut spec.description),
        ("inviteTitle", &mut spec.invite_title),
        ("inviteDescription", &mut spec.invite_description),
    ] {
        if let Some(value) = text(key) {
            *field = Some(value);
        }
    }
    if !body["status"].is_null() {
        spec.status = Some(from_json(&body["status"]));
    }
    if !body["location"].is_null() {
        let location = |value: &Value| Location {
            kind: from_json(&value["type"]),
            host: (!value["host"].is_null()).then(|| from_json(&value["host"])),
            value: value["value"].as_str().map(str::to_string),
        };
        spec.location = Some(Locations {
            default: location(&body["location"]["default"]),
            others: body["location"]["others"]
                .as_array()
                .unwrap()
                .iter()
                .map(location)
                .collect(),
        });
    }
    if !body["buffers"].is_null() {
        let span = |value: &Value| value.as_str().map(|text| Span::parse(text).unwrap());
        spec.buffers = Some(Buffers {
            before: span(&body["buffers"]["before"]),
            after: span(&body["buffers"]["after"]),
        });
    }
    if !body["meetingLimit"].is_null() {
        spec.meeting_limit = Some(BookingLimit {
            limit_by: from_json(&body["meetingLimit"]["limitBy"]),
            timeframe: from_json(&body["meetingLimit"]["timeframe"]),
            count: body["meetingLimit"]["count"].as_u64().unwrap() as u32,
        });
    }
    match body["sharedWith"]["type"].as_str() {
        Some("Workspace") => spec.shared_with = Some(SharedWith::Workspace),
        Some("Teams") => {
            let names = body["sharedWith"]["teamIds"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| {
                    let id = id.as_str().unwrap();
                    workspace
                        .teams
                        .iter()
                        .find(|t| t.id == id)
                        .map_or_else(|| format!("<{id}>"), |t| t.name.clone())
                })
                .collect();
            spec.shared_with = Some(SharedWith::Teams(names));
        }
        _ => {}
    }
}

fn link_spec(body: &Value, before: Option<&LinkSpec>, workspace: &LiveWorkspace) -> LinkSpec {
    let meeting_type_name = |id: &Value| {
        let id = id.as_str().unwrap();
        workspace
            .meeting_types
            .iter()
            .flatten()
            .find(|m| m.id == id)
            .map_or_else(|| format!("<{id}>"), |m| m.name.clone())
    };
    let distribution_name = |id: &Value| {
        let id = id.as_str().unwrap();
        workspace
            .distributions
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| format!("<{id}>"), |d| d.name.clone())
    };
    let mut spec = before.cloned().unwrap_or_else(|| LinkSpec {
        name: String::new(),
        meeting_types: vec![],
        target: if body.get("distributionIds").is_some() {
            LinkTarget::RoundRobin {
                distributions: vec![],
            }
        } else if body.get("hostUserId").is_some() {
            // The API does not return a group link's host and members.
            LinkTarget::Group {
                host: None,
                required: Default::default(),
                optional: Default::default(),
            }
        } else {
            LinkTarget::AdminOneOnOne
        },
    });
    if let Some(name) = body["name"].as_str() {
        spec.name = name.to_string();
    }
    if let Some(ids) = body["meetingTypeIds"].as_array() {
        spec.meeting_types = ids.iter().map(meeting_type_name).collect();
    }
    if let Some(ids) = body["distributionIds"].as_array() {
        spec.target = LinkTarget::RoundRobin {
            distributions: ids.iter().map(distribution_name).collect(),
        };
    }
    spec
}
