//! Meeting types, reminders and scheduling links read by the real client from the emulator:
//! conversion, forward compatibility, and reads only for the workspaces in scope.

use std::collections::BTreeSet;

use scoville::edge::ops;
use scoville::edge::wire::ReminderTrigger;
use scoville::emulator::{
    self, DEMO_READONLY_TOKEN, Options, Seed, SeedLink, SeedMeetingType, SeedReminder,
    SeedSharedWith,
};
use scoville::live::{self, Scope, SettingsScope};
use scoville::model::{
    LinkKind, LinkTarget, Live, OpaqueKind, ReminderChannel, SharedWith, Span, TriggerKind,
};

use super::emulated::client;
use super::scripted::fast_retries;

const BOOKING_OPS: [&str; 7] = [
    "meeting-type-list",
    "meeting-type-get",
    "meeting-type-reminder-list",
    "scheduling-link-list-round-robin",
    "scheduling-link-list-group",
    "scheduling-link-list-admin-one-on-one",
    "scheduling-link-list-ownership",
];

fn reminder(name: &str, kind: TriggerKind, offset: Option<&str>) -> SeedReminder {
    SeedReminder {
        name: name.to_string(),
        channel: ReminderChannel::Email,
        trigger: ReminderTrigger {
            kind,
            offset: offset.map(str::to_string),
        },
        title: Some("Soon".to_string()),
        body: "See you {!CP.Meeting.RescheduleUrl}".to_string(),
        send_to: None,
        send_from: None,
        sms_send_from: None,
    }
}

fn meeting_type(name: &str, duration: &str, reminders: &[&str]) -> SeedMeetingType {
    SeedMeetingType {
        name: name.to_string(),
        duration: duration.to_string(),
        description: None,
        invite_title: None,
        invite_description: None,
        status: None,
        location: None,
        buffers: None,
        meeting_limit: None,
        shared_with: Some(SeedSharedWith::Teams {
            teams: vec!["inbound-sdr".to_string()],
        }),
        reminders: reminders.iter().map(|r| r.to_string()).collect(),
    }
}

fn link(kind: LinkKind, slug: &str, meeting_types: &[&str], distributions: &[&str]) -> SeedLink {
    SeedLink {
        kind,
        name: format!("Link {slug}"),
        slug: slug.to_string(),
        meeting_types: meeting_types.iter().map(|m| m.to_string()).collect(),
        distributions: distributions.iter().map(|d| d.to_string()).collect(),
        host: None,
        required: Vec::new(),
        optional: Vec::new(),
        ownership: None,
        distribution_host: None,
        booker_invitation: None,
        page_config: None,
        shared_with: None,
    }
}

/// The demo org with two meeting types, two reminders and a link of every kind in Sales, a
/// meeting type in Customer Success, and Partnerships as Ava's personal workspace.
fn booking_seed() -> Seed {
    let mut seed = emulator::demo_seed();
    seed.users[0].personal_workspace = Some("Partnerships".to_string());
    let sales = &mut seed.workspaces[0];
    sales.reminders = vec![
        reminder("Day before", TriggerKind::BeforeMeeting, Some("1 day")),
        reminder("Legacy", TriggerKind::MeetingBooked, None),
    ];
    sales.meeting_types = vec![
        meeting_type("Demo", "45 minutes", &["Day before", "Legacy"]),
        meeting_type("Discovery", "30 minutes", &[]),
    ];
    let mut group = link(LinkKind::Group, "panel", &["Discovery"], &[]);
    group.host = Some("ava.thompson@acme.example".to_string());
    let mut ownership = link(
        LinkKind::Ownership,
        "owner",
        &["Demo"],
        &["Enterprise Leads"],
    );
    ownership.ownership = Some(serde_json::json!({
        "ownershipSettings": {"type": "WithMixedRouting", "strategies": []},
        "host": {"type": "BookerIfExists"}, "bookerInvitation": {"type": "DoNotInvite"}
    }));
    sales.scheduling_links = vec![
        link(
            LinkKind::RoundRobin,
            "demo",
            &["Demo", "Discovery"],
            &["Inbound Demo Requests", "Enterprise Leads"],
        ),
        group,
        link(LinkKind::AdminOneOnOne, "admin", &["Demo"], &[]),
        ownership,
    ];
    seed.workspaces[1].meeting_types = vec![meeting_type("Renewal", "1 hour", &[])];
    seed.workspaces[1].meeting_types[0].shared_with = None;
    seed
}

fn booking_of(names: &[&str]) -> Scope {
    Scope {
        booking: SettingsScope::Listed(names.iter().map(|n| n.to_string()).collect()),
        ..Scope::default()
    }
}

async fn read(seed: Seed, scope: &Scope) -> (Live, scoville::edge::Stats) {
    let running = emulator::start(Options::new(seed)).await.unwrap();
    let client = client(&running, DEMO_READONLY_TOKEN, fast_retries());
    let live = live::fetch(&client, scope).await.unwrap();
    (live, client.stats())
}

#[tokio::test]
async fn meeting_types_reminders_and_links_convert_to_names() {
    let (live, stats) = read(booking_seed(), &booking_of(&["Sales"])).await;
    let sales = &live.workspaces["Sales"];
    let types = sales.meeting_types.as_ref().expect("read for Sales");
    assert_eq!(
        types.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
        ["Demo", "Discovery"]
    );
    let demo = &types[0];
    assert_eq!(demo.spec.duration, Span(45 * 60));
    assert_eq!(demo.spec.invite_title.as_deref(), Some("Demo"));
    assert_eq!(
        demo.spec.shared_with,
        Some(SharedWith::Teams(BTreeSet::from([
            "inbound-sdr".to_string()
        ])))
    );
    assert_eq!(
        demo.spec.reminders,
        Some(BTreeSet::from([
            "Day before".to_string(),
            "Legacy".to_string()
        ]))
    );
    assert_eq!(demo.reminder_ids.len(), 2);

    let reminders = sales.reminders.as_ref().unwrap();
    assert_eq!(reminders[0].name, "Day before");
    assert_eq!(reminders[0].spec.trigger.offset, Some(Span(86_400)));
    assert_eq!(reminders[1].spec.trigger.kind, TriggerKind::MeetingBooked);
    assert_eq!(reminders[1].spec.trigger.offset, None);

    let links = sales.links.as_ref().unwrap();
    assert_eq!(
        links.iter().map(|l| l.slug.as_str()).collect::<Vec<_>>(),
        ["admin", "demo", "owner", "panel"]
    );
    let round_robin = &links[1];
    assert_eq!(
        round_robin.booking_url,
        "https://acme-corp.chilipiper.com/book/demo"
    );
    assert_eq!(round_robin.spec.meeting_types, ["Demo", "Discovery"]);
    assert_eq!(
        round_robin.spec.target,
        LinkTarget::RoundRobin {
            distributions: vec![
                "Inbound Demo Requests".to_string(),
                "Enterprise Leads".to_string()
            ]
        }
    );
    assert_eq!(round_robin.resolved_members.len(), 2);
    assert_eq!(round_robin.resolved_members[0].1.len(), 5);
    assert_eq!(links[0].spec.target, LinkTarget::AdminOneOnOne);
    assert_eq!(
        links[2].spec.target,
        LinkTarget::Ownership {
            distributions: vec![("Enterprise Leads".to_string(), true)]
        }
    );
    assert!(matches!(
        &links[3].spec.target,
        LinkTarget::Group { host: None, required, optional } if required.is_empty() && optional.is_empty()
    ));

    // Out of scope: not read. Personal workspaces are marked either way.
    assert_eq!(live.workspaces["Customer Success"].meeting_types, None);
    assert!(live.workspaces["Partnerships"].personal);
    assert!(!sales.personal);
    assert!(live.opaque.is_empty());

    // One list per kind (filtered by Sales), one get per meeting type of Sales.
    for op in BOOKING_OPS {
        let expected = if op == ops::MEETING_TYPE_GET.id { 2 } else { 1 };
        assert_eq!(stats.requests(op), expected, "{op}");
    }
}

#[tokio::test]
async fn a_workspace_out_of_scope_costs_no_booking_request() {
    let (live, stats) = read(booking_seed(), &Scope::everything()).await;
    for op in BOOKING_OPS {
        assert_eq!(stats.requests(op), 0, "{op}");
    }
    assert!(
        live.workspaces
            .values()
            .all(|w| w.meeting_types.is_none() && w.reminders.is_none() && w.links.is_none())
    );
    // Personal workspaces come from the user sweep, which is read anyway.
    assert!(live.workspaces["Partnerships"].personal);
}

#[tokio::test]
async fn export_reads_every_workspace_in_one_call_per_list() {
    let (live, stats) = read(booking_seed(), &Scope::everything_with_settings()).await;
    assert!(live.workspaces.values().all(|w| w.links.is_some()));
    let cs = live.workspaces["Customer Success"]
        .meeting_types
        .as_ref()
        .unwrap();
    assert_eq!(cs.len(), 1);
    assert_eq!(cs[0].spec.duration, Span(3600));
    assert_eq!(cs[0].spec.shared_with, Some(SharedWith::Workspace));
    for op in BOOKING_OPS {
        let expected = if op == ops::MEETING_TYPE_GET.id { 3 } else { 1 };
        assert_eq!(stats.requests(op), expected, "{op}");
    }
}

#[tokio::test]
async fn an_unknown_location_or_trigger_kind_is_kept_opaque_and_the_rest_is_read() {
    let mut seed = booking_seed();
    let overlay = |json: serde_json::Value| serde_json::from_value(json).unwrap();
    seed.overlays.insert(
        "meetingType:Sales/Discovery".to_string(),
        overlay(serde_json::json!({"location.default.type": "HologramLink"})),
    );
    seed.overlays.insert(
        "reminder:Sales/Day before".to_string(),
        overlay(serde_json::json!({"trigger.kind": "OnTheDay"})),
    );
    seed.overlays.insert(
        "link:Sales/panel".to_string(),
        overlay(serde_json::json!({"slug": 42})),
    );
    let (live, stats) = read(seed, &booking_of(&["Sales"])).await;
    let sales = &live.workspaces["Sales"];
    let kinds: Vec<(OpaqueKind, &str)> = live
        .opaque
        .iter()
        .map(|o| (o.kind, o.name.as_str()))
        .collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert_eq!(kinds[0], (OpaqueKind::MeetingType, "Discovery"));
    assert_eq!(kinds[1], (OpaqueKind::Reminder, "Day before"));
    // A link whose slug does not read is named by its id.
    assert_eq!(kinds[2].0, OpaqueKind::SchedulingLink);
    assert_eq!(kinds[2].1, format!("<{}>", live.opaque[2].id));
    assert!(live.opaque[0].unknown.contains("HologramLink"));
    assert!(live.opaque[1].unknown.contains("OnTheDay"));
    let types = sales.meeting_types.as_ref().unwrap();
    assert_eq!(types.len(), 1, "Demo is read, Discovery is opaque");
    // The opaque reminder still gives its name to the meeting types that attach it.
    assert!(
        types[0]
            .spec
            .reminders
            .as_ref()
            .unwrap()
            .contains("Day before")
    );
    assert_eq!(sales.reminders.as_ref().unwrap().len(), 1);
    assert_eq!(sales.links.as_ref().unwrap().len(), 3);
    // The meeting type the list could not read is not fetched again.
    assert_eq!(stats.requests(ops::MEETING_TYPE_GET.id), 1);
}

/// Sends `op` through the client's one send path with its path values, query and body, and
/// decodes the answer (`null` when there is none).
async fn send(
    client: &scoville::edge::EdgeClient,
    op: ops::Op,
    values: &[&str],
    query: &[(&str, &str)],
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    let query: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let bytes = client
        .send_prepared(op, &op.path_with(values), &query, body.as_ref(), op.id)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", op.id));
    if bytes.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    }
}

/// Every meeting-type, reminder and scheduling-link operation once, against the demo org:
/// the reads through their typed calls, the writes with the wire types' bodies through the
/// send path plans use. For `every_operation_of_the_table_round_trips`.
pub async fn every_booking_operation(
    client: &scoville::edge::EdgeClient,
    running: &emulator::Running,
) {
    use scoville::edge::wire;
    let state = running.control().state();
    let workspace = |name: &str| {
        state
            .workspaces
            .values()
            .find(|w| w.name == name)
            .unwrap()
            .id
            .clone()
    };
    let distribution = |name: &str| {
        state
            .distributions
            .values()
            .find(|d| d.name.as_deref() == Some(name))
            .unwrap()
            .distribution_id
            .clone()
    };
    let sales = workspace("Sales");
    let ava = running
        .control()
        .user_id("ava.thompson@acme.example")
        .unwrap();

    let create = wire::MeetingTypeCreate {
        workspace_id: sales.clone(),
        name: "Round trip".to_string(),
        duration: "30 minutes".to_string(),
        description: None,
        invite_title: None,
        invite_description: None,
        location: Some(wire::MeetingLocations {
            default: wire::MeetingLocation {
                kind: scoville::model::LocationKind::ZoomOneTimeLink,
                index: 0,
                host: Some(scoville::model::LocationHost::Host),
                value: None,
            },
            others: Some(Vec::new()),
        }),
        shared_with: Some(wire::SharedWith::Workspace),
        idempotency_key: Some("5f0c7a2e-1b3d-4e6f-8a9b-0c1d2e3f4a5b".to_string()),
    };
    let created = send(client, ops::MEETING_TYPE_CREATE, &[], &[], body(&create)).await;
    let id = created["id"].as_str().unwrap().to_string();
    let seeded = created["reminders"][0]["id"].as_str().unwrap().to_string();
    let patch = wire::MeetingTypeUpdate {
        invite_title: Some("Let's talk".to_string()),
        ..wire::MeetingTypeUpdate::default()
    };
    send(client, ops::MEETING_TYPE_UPDATE, &[&id], &[], body(&patch)).await;
    let reminder = wire::ReminderCreate {
        workspace_id: sales.clone(),
        channel: ReminderChannel::Sms,
        trigger: ReminderTrigger {
            kind: TriggerKind::BeforeMeetingNoResponse,
            offset: Some("2 hours".to_string()),
        },
        name: "Nudge".to_string(),
        title: None,
        body: "Still on? {!CP.Meeting.ShortRescheduleUrl}".to_string(),
        send_to: None,
        send_from: None,
        sms_send_from: Some(scoville::model::ReminderSmsSendFrom::LocalAreaNumber),
    };
    let made = send(
        client,
        ops::MEETING_TYPE_REMINDER_CREATE,
        &[],
        &[],
        body(&reminder),
    )
    .await;
    let reminder_id = made["id"].as_str().unwrap().to_string();
    send(
        client,
        ops::MEETING_TYPE_ATTACH_REMINDER,
        &[&id, &reminder_id],
        &[],
        None,
    )
    .await;
    send(
        client,
        ops::MEETING_TYPE_DETACH_REMINDER,
        &[&id, &seeded],
        &[],
        None,
    )
    .await;
    let reminder_patch = wire::ReminderUpdate {
        name: Some("Nudge twice".to_string()),
        ..wire::ReminderUpdate::default()
    };
    let in_sales = [("workspaceId", sales.as_str())];
    send(
        client,
        ops::MEETING_TYPE_REMINDER_UPDATE,
        &[&reminder_id],
        &in_sales,
        body(&reminder_patch),
    )
    .await;
    let got = client.meeting_type_get(&id).await.unwrap();
    let got = got.known().expect("the meeting type reads");
    assert_eq!(got.invite_title, "Let's talk");
    assert_eq!(got.reminders.as_ref().unwrap()[0].name, "Nudge twice");
    assert_eq!(
        client.meeting_type_list(Some(&sales)).await.unwrap().len(),
        1
    );
    assert_eq!(
        client
            .meeting_type_reminder_list(Some(&sales))
            .await
            .unwrap()
            .len(),
        2
    );

    // One link of each kind: create, list, update, delete.
    let rr = wire::RoundRobinLinkCreate {
        workspace_id: sales.clone(),
        name: "RR".to_string(),
        slug: "rr".to_string(),
        meeting_type_ids: vec![id.clone()],
        distribution_ids: vec![distribution("Inbound Demo Requests")],
    };
    let group = wire::GroupLinkCreate {
        workspace_id: sales.clone(),
        name: "Group".to_string(),
        slug: "group".to_string(),
        meeting_type_ids: vec![id.clone()],
        host_user_id: ava.clone(),
        required_member_ids: None,
        optional_member_ids: None,
    };
    let admin = wire::AdminLinkCreate {
        workspace_id: sales.clone(),
        name: "Admin".to_string(),
        slug: "admin".to_string(),
        meeting_type_ids: vec![id.clone()],
    };
    let ownership = wire::OwnershipLinkCreate {
        workspace_id: sales.clone(),
        name: "Owner".to_string(),
        slug: "owner".to_string(),
        meeting_type_ids: vec![id.clone()],
        ownership: serde_json::json!({
            "ownershipSettings": {"type": "WithMixedRouting", "strategies": []},
            "host": {"type": "BookerIfExists"}, "bookerInvitation": {"type": "DoNotInvite"}
        }),
        distribution: wire::DistributionInvitationInput {
            assignments: vec![wire::DistributionAssignmentInput {
                distribution_id: distribution("Enterprise Leads"),
                required: true,
            }],
            host: serde_json::json!({"type": "BookerIfExists"}),
            booker_invitation: serde_json::json!({"type": "DoNotInvite"}),
            always_invited_users: None,
        },
        shared_with: None,
        page_config: None,
    };
    let creates: [(LinkKind, Option<serde_json::Value>); 4] = [
        (LinkKind::RoundRobin, body(&rr)),
        (LinkKind::Group, body(&group)),
        (LinkKind::AdminOneOnOne, body(&admin)),
        (LinkKind::Ownership, body(&ownership)),
    ];
    let ids = [sales.clone()];
    for (kind, create) in creates {
        let [_, create_op, update_op, delete_op] = ops::link_ops(kind);
        let made = send(client, create_op, &[], &[], create).await;
        let link_id = made["linkId"].as_str().unwrap().to_string();
        let rename = wire::LinkUpdate {
            name: Some(format!("{} renamed", kind.as_str())),
            ..wire::LinkUpdate::default()
        };
        let renamed = send(client, update_op, &[&link_id], &[], body(&rename)).await;
        assert_eq!(renamed["slug"], made["slug"]);
        let listed = match kind {
            LinkKind::RoundRobin => client
                .scheduling_link_list_round_robin(&ids)
                .await
                .unwrap()
                .len(),
            LinkKind::Group => client.scheduling_link_list_group(&ids).await.unwrap().len(),
            LinkKind::AdminOneOnOne => client
                .scheduling_link_list_admin_one_on_one(&ids)
                .await
                .unwrap()
                .len(),
            LinkKind::Ownership => client
                .scheduling_link_list_ownership(&ids)
                .await
                .unwrap()
                .len(),
        };
        assert_eq!(listed, 1, "{kind:?}");
        send(client, delete_op, &[&link_id], &[], None).await;
    }
    send(
        client,
        ops::MEETING_TYPE_REMINDER_DELETE,
        &[&reminder_id],
        &in_sales,
        None,
    )
    .await;
    send(client, ops::MEETING_TYPE_DELETE, &[&id], &[], None).await;
}

/// A wire body for `send`.
fn body<T: serde::Serialize>(value: &T) -> Option<serde_json::Value> {
    Some(serde_json::to_value(value).expect("wire types serialize to JSON"))
}
