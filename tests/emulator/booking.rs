//! Meeting types, reminders and scheduling links: shapes, defaults, idempotency keys,
//! permissions and the referential rules.

use reqwest::Method;
use serde_json::{Value, json};

use scoville::emulator::{DEMO_READONLY_TOKEN, SeedLink, SeedMeetingType, SeedReminder};
use scoville::model::{LinkKind, ReminderChannel, TriggerKind};

use crate::support::{Api, email};

const MEETING_TYPES: &str = "/v1/org/meeting-types";
const REMINDERS: &str = "/v1/org/meeting-type-reminders";

fn create_body(api: &Api, name: &str) -> Value {
    json!({"workspaceId": api.workspace("Sales"), "name": name, "duration": "30 minutes"})
}

async fn create_meeting_type(api: &Api, name: &str) -> Value {
    api.post(MEETING_TYPES, create_body(api, name)).await.ok()
}

async fn create_round_robin(api: &Api, slug: &str, meeting_type: &str) -> Reply {
    api.post(
        "/v1/org/schedulingLinks/round-robin",
        json!({
            "workspaceId": api.workspace("Sales"), "name": "Book a demo", "slug": slug,
            "meetingTypeIds": [meeting_type],
            "distributionIds": [api.distribution("Inbound Demo Requests"), api.distribution("Enterprise Leads")]
        }),
    )
    .await
}

use crate::support::Reply;

#[tokio::test]
async fn meeting_type_create_fills_defaults_and_seeds_its_reminder() {
    let api = Api::demo().await;
    let created = create_meeting_type(&api, "Demo").await;
    assert_eq!(created["inviteTitle"], "Demo");
    assert_eq!(created["inviteDescription"], "");
    assert_eq!(created["status"], "Active");
    assert_eq!(created["isActive"], true);
    assert_eq!(
        created["location"],
        json!({"default": {"type": "AskTheGuest", "index": 0}, "others": []})
    );
    assert_eq!(created["buffers"], json!({}));
    let reminders = created["reminders"]
        .as_array()
        .expect("the answer carries reminders");
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0]["name"], "Email 1 hour before");
    assert_eq!(reminders[0]["channel"], "Email");
    assert_eq!(
        reminders[0]["trigger"],
        json!({"kind": "BeforeMeeting", "offset": "1 hour"})
    );
    assert!(
        !reminders[0]["body"]
            .as_str()
            .unwrap()
            .contains("Reschedule")
    );

    // The list leaves reminders out; the get has them; the reminder is in the workspace.
    let listed = api
        .get(&format!(
            "{MEETING_TYPES}/list?workspaceId={}",
            api.workspace("Sales")
        ))
        .await
        .ok();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(listed[0].get("reminders").is_none());
    let got = api
        .get(&format!(
            "{MEETING_TYPES}/{}",
            created["id"].as_str().unwrap()
        ))
        .await
        .ok();
    assert_eq!(got, created);
    let other = api
        .get(&format!(
            "{MEETING_TYPES}/list?workspaceId={}",
            api.workspace("Partnerships")
        ))
        .await
        .ok();
    assert_eq!(other, json!([]));
    let reminder_list = api.get(&format!("{REMINDERS}/list")).await.ok();
    assert_eq!(reminder_list, json!([reminders[0]]));

    // A second meeting type seeds a second reminder of its own.
    create_meeting_type(&api, "Discovery").await;
    let reminder_list = api.get(&format!("{REMINDERS}/list")).await.ok();
    assert_eq!(reminder_list.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn idempotency_key_answers_the_first_create_and_refuses_another_payload() {
    let api = Api::demo().await;
    let key = "0b0e1c6a-6c0e-4f3b-9f5e-3b1d2c4a5e6f";
    let mut body = create_body(&api, "Demo");
    body["idempotencyKey"] = json!(key);
    let first = api.post(MEETING_TYPES, body.clone()).await.ok();
    let again = api.post(MEETING_TYPES, body.clone()).await.ok();
    assert_eq!(first, again);
    let state = api.control().state();
    assert_eq!(state.meeting_types.len(), 1);
    assert_eq!(state.reminders.len(), 1, "no second seeded reminder");

    body["name"] = json!("Other");
    let args = api
        .post(MEETING_TYPES, body.clone())
        .await
        .error(409, "IdempotencyKeyReused");
    assert_eq!(args["idempotencyKey"], key);
    body["idempotencyKey"] = json!("not-a-uuid");
    api.post(MEETING_TYPES, body).await.invalid_body();
    assert_eq!(api.control().state().meeting_types.len(), 1);
}

#[tokio::test]
async fn meeting_type_update_is_a_patch_and_durations_are_checked() {
    let api = Api::demo().await;
    let created = create_meeting_type(&api, "Demo").await;
    let path = format!("{MEETING_TYPES}/{}", created["id"].as_str().unwrap());
    let updated = api
        .put(
            &path,
            json!({"inviteTitle": "Meet {!CP.Host.FullName}", "buffers": {"before": "10 minutes"}}),
        )
        .await
        .ok();
    assert_eq!(updated["name"], "Demo");
    assert_eq!(updated["duration"], "30 minutes");
    assert_eq!(updated["inviteTitle"], "Meet {!CP.Host.FullName}");
    assert_eq!(updated["buffers"], json!({"before": "10 minutes"}));
    assert_eq!(updated["reminders"].as_array().unwrap().len(), 1);

    for bad in [
        json!({"duration": "30m"}),
        json!({"duration": "half an hour"}),
        json!({"buffers": {"after": "5"}}),
        json!({"location": {"default": {"type": "AskTheGuest", "index": 0}}}),
        json!({"location": {"default": {"type": "ZoomOneTimeLink", "index": 0}, "others": []}}),
    ] {
        api.put(&path, bad).await.invalid_body();
    }
    let mut body = create_body(&api, "Bad");
    body["duration"] = json!("1h");
    api.post(MEETING_TYPES, body).await.invalid_body();
    assert_eq!(api.control().state().meeting_types.len(), 1);
}

#[tokio::test]
async fn reminders_attach_detach_and_need_their_workspace() {
    let api = Api::demo().await;
    let created = create_meeting_type(&api, "Demo").await;
    let id = created["id"].as_str().unwrap();
    let sales = api.workspace("Sales");
    let reminder = api
        .post(
            REMINDERS,
            json!({"workspaceId": sales, "channel": "Email", "name": "Day before",
                   "trigger": {"kind": "BeforeMeeting", "offset": "1 day"},
                   "body": "See you tomorrow: {!CP.Meeting.RescheduleUrl}"}),
        )
        .await
        .ok();
    let reminder_id = reminder["id"].as_str().unwrap();
    let attach = format!("{MEETING_TYPES}/{id}/reminders/{reminder_id}");
    let once = api.put(&attach, json!({})).await.ok();
    let twice = api.put(&attach, json!({})).await.ok();
    assert_eq!(once, twice);
    assert_eq!(twice["reminders"].as_array().unwrap().len(), 2);
    let detached = api.delete(&attach).await.ok();
    assert_eq!(detached["reminders"].as_array().unwrap().len(), 1);
    api.delete(&attach).await.ok();

    // Writes refuse MeetingBooked and a missing offset.
    for trigger in [
        json!({"kind": "MeetingBooked"}),
        json!({"kind": "AfterMeeting"}),
    ] {
        api.post(
            REMINDERS,
            json!({"workspaceId": sales, "channel": "Email", "name": "x", "trigger": trigger, "body": "b"}),
        )
        .await
        .invalid_body();
    }

    // Update and delete need the workspace id, and the right one.
    let path = format!("{REMINDERS}/{reminder_id}");
    let missing = api.put(&path, json!({"name": "Tomorrow"})).await;
    assert_eq!(missing.status, 400);
    assert_eq!(
        missing.text,
        "Invalid value for: query parameter workspaceId"
    );
    api.put(
        &format!("{path}?workspaceId={}", api.workspace("Partnerships")),
        json!({"name": "Tomorrow"}),
    )
    .await
    .error(404, "NotFound");
    let renamed = api
        .put(
            &format!("{path}?workspaceId={sales}"),
            json!({"name": "Tomorrow"}),
        )
        .await
        .ok();
    assert_eq!(renamed["name"], "Tomorrow");
    assert_eq!(renamed["trigger"]["offset"], "1 day");

    // A reminder of another workspace cannot be attached.
    let elsewhere = api
        .post(
            REMINDERS,
            json!({"workspaceId": api.workspace("Partnerships"), "channel": "Sms", "name": "Soon",
                   "trigger": {"kind": "BeforeMeeting", "offset": "10 minutes"}, "body": "b"}),
        )
        .await
        .ok();
    api.put(
        &format!(
            "{MEETING_TYPES}/{id}/reminders/{}",
            elsewhere["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await
    .error(422, "ReminderNotInWorkspace");

    // Deleting an attached reminder detaches it.
    api.put(&attach, json!({})).await.ok();
    let deleted = api.delete(&format!("{path}?workspaceId={sales}")).await;
    deleted.ok_without_body();
    let got = api.get(&format!("{MEETING_TYPES}/{id}")).await.ok();
    assert_eq!(got["reminders"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn round_robin_links_resolve_members_and_slugs_are_checked() {
    let api = Api::demo().await;
    let demo = create_meeting_type(&api, "Demo").await;
    let demo_id = demo["id"].as_str().unwrap();
    let link = create_round_robin(&api, "book-a-demo", demo_id).await.ok();
    assert_eq!(
        link["bookingUrl"],
        "https://acme-corp.chilipiper.com/book/book-a-demo"
    );
    let assignments = link["assignments"].as_array().unwrap();
    assert_eq!(assignments.len(), 2);
    assert_eq!(
        assignments[0]["distributionId"],
        api.distribution("Inbound Demo Requests")
    );
    assert_eq!(assignments[0]["required"], true);
    assert_eq!(assignments[0]["members"].as_array().unwrap().len(), 5);
    assert!(
        assignments[0]["members"][0]["email"]
            .as_str()
            .unwrap()
            .contains('@')
    );

    // Bad slugs are 400; a taken slug is 409 whatever the kind.
    create_round_robin(&api, "Book A Demo", demo_id)
        .await
        .invalid_body();
    create_round_robin(&api, "book-a-demo", demo_id)
        .await
        .error(409, "SlugAlreadyExists");
    let admin = api
        .post(
            "/v1/org/schedulingLinks/admin-one-on-one",
            json!({"workspaceId": api.workspace("Sales"), "name": "Admin", "slug": "book-a-demo",
                   "meetingTypeIds": [demo_id]}),
        )
        .await;
    admin.error(409, "SlugAlreadyExists");

    // Lists filter by workspace, slug, meeting type and distribution.
    let list = |filter: Value| {
        let api = &api;
        async move {
            api.post("/v1/org/schedulingLinks/list-round-robin", filter)
                .await
                .ok()["links"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(list(json!({})).await, 1);
    assert_eq!(
        list(json!({"filterWorkspaceIds": [api.workspace("Sales")]})).await,
        1
    );
    assert_eq!(
        list(json!({"filterWorkspaceIds": [api.workspace("Partnerships")]})).await,
        0
    );
    assert_eq!(list(json!({"filterLinkSlugs": ["other"]})).await, 0);
    assert_eq!(list(json!({"filterMeetingTypeId": [demo_id]})).await, 1);
    assert_eq!(
        list(json!({"filterDistributionIds": [api.distribution("Enterprise Leads")]})).await,
        1
    );
    api.post(
        "/v1/org/schedulingLinks/list-round-robin",
        json!({"filterWorkspaceIds": []}),
    )
    .await
    .invalid_body();
    let groups = api
        .post("/v1/org/schedulingLinks/list-group", json!({}))
        .await
        .ok();
    assert_eq!(groups, json!({"links": []}));

    // A slug change changes the booking URL; the patch keeps the rest.
    let link_id = link["linkId"].as_str().unwrap();
    let updated = api
        .put(
            &format!("/v1/org/schedulingLinks/round-robin/{link_id}"),
            json!({"slug": "demo"}),
        )
        .await
        .ok();
    assert_eq!(
        updated["bookingUrl"],
        "https://acme-corp.chilipiper.com/book/demo"
    );
    assert_eq!(updated["name"], "Book a demo");
    assert_eq!(updated["assignments"].as_array().unwrap().len(), 2);

    // Unknown ids, and ids of another kind, are SchedulingLinkNotFound.
    api.put(
        &format!("/v1/org/schedulingLinks/group/{link_id}"),
        json!({"name": "x"}),
    )
    .await
    .error(404, "SchedulingLinkNotFound");
    api.delete("/v1/org/schedulingLinks/round-robin/nope")
        .await
        .error(404, "SchedulingLinkNotFound");
}

#[tokio::test]
async fn what_a_link_uses_cannot_be_deleted_before_the_link() {
    let api = Api::demo().await;
    let demo = create_meeting_type(&api, "Demo").await;
    let demo_id = demo["id"].as_str().unwrap();
    let link = create_round_robin(&api, "demo", demo_id).await.ok();
    let inbound = api.distribution("Inbound Demo Requests");

    let args = api
        .delete(&format!("{MEETING_TYPES}/{demo_id}"))
        .await
        .error(409, "MeetingTypeInUse");
    assert_eq!(args["linkId"], link["linkId"]);
    api.delete(&format!("/v1/org/distribution/{inbound}"))
        .await
        .error(409, "DistributionInUse");

    api.delete(&format!(
        "/v1/org/schedulingLinks/round-robin/{}",
        link["linkId"].as_str().unwrap()
    ))
    .await
    .ok_without_body();
    api.delete(&format!("{MEETING_TYPES}/{demo_id}"))
        .await
        .ok_without_body();
    api.delete(&format!("/v1/org/distribution/{inbound}"))
        .await
        .ok();
}

#[tokio::test]
async fn links_refuse_personal_workspaces_and_foreign_references() {
    let mut seed = scoville::emulator::demo_seed();
    seed.users[0].personal_workspace = Some("Partnerships".to_string());
    let api = Api::with_seed(seed).await;
    let ava = api.user(&email("Ava"));
    let found = api.get("/v1/org/user/find?query=ava.thompson").await.ok();
    assert_eq!(
        found["results"][0]["personalWorkspaceId"],
        api.workspace("Partnerships")
    );
    assert_eq!(found["results"][0]["id"], ava);

    let partnerships = api.workspace("Partnerships");
    let body = json!({"workspaceId": partnerships, "name": "x", "slug": "x",
                      "meetingTypeIds": ["6d747970-0000-4000-8000-000000000999"]});
    api.post("/v1/org/schedulingLinks/admin-one-on-one", body)
        .await
        .error(422, "PersonalWorkspaceNotAllowed");

    // A meeting type of another workspace, an unknown one, a distribution elsewhere.
    let demo = create_meeting_type(&api, "Demo").await;
    let mut cs = create_body(&api, "CS call");
    cs["workspaceId"] = json!(api.workspace("Customer Success"));
    let cs = api.post(MEETING_TYPES, cs).await.ok();
    let admin = |meeting_type: &Value| {
        json!({"workspaceId": api.workspace("Sales"), "name": "Admin", "slug": "admin",
               "meetingTypeIds": [meeting_type]})
    };
    api.post("/v1/org/schedulingLinks/admin-one-on-one", admin(&cs["id"]))
        .await
        .error(422, "MeetingTypeNotInWorkspace");
    api.post(
        "/v1/org/schedulingLinks/admin-one-on-one",
        admin(&json!("6d747970-0000-4000-8000-000000000999")),
    )
    .await
    .error(404, "NotFound");
    let rr = api
        .post(
            "/v1/org/schedulingLinks/round-robin",
            json!({"workspaceId": api.workspace("Sales"), "name": "RR", "slug": "rr",
                   "meetingTypeIds": [demo["id"]], "distributionIds": [api.distribution("Renewals NA")]}),
        )
        .await;
    rr.error(422, "DistributionNotInWorkspace");
    assert!(api.control().state().links.is_empty());
}

#[tokio::test]
async fn group_links_keep_members_the_list_does_not_show() {
    let api = Api::demo().await;
    let demo = create_meeting_type(&api, "Demo").await;
    let (ava, liam) = (api.user(&email("Ava")), api.user(&email("Liam")));
    let created = api
        .post(
            "/v1/org/schedulingLinks/group",
            json!({"workspaceId": api.workspace("Sales"), "name": "Panel", "slug": "panel",
                   "meetingTypeIds": [demo["id"]], "hostUserId": ava, "requiredMemberIds": [liam]}),
        )
        .await
        .ok();
    assert!(created.get("hostUserId").is_none());
    let listed = api
        .post("/v1/org/schedulingLinks/list-group", json!({}))
        .await
        .ok();
    assert_eq!(listed["links"][0], created);
    let stored = api.control().state().links;
    let link = stored.values().next().unwrap();
    assert_eq!(link.host_user_id.as_deref(), Some(ava.as_str()));
    assert_eq!(link.required_member_ids, vec![liam.clone()]);

    // Supplying members replaces the whole member set.
    api.put(
        &format!(
            "/v1/org/schedulingLinks/group/{}",
            created["linkId"].as_str().unwrap()
        ),
        json!({"optionalMemberIds": [liam]}),
    )
    .await
    .ok();
    let link = api.control().state().links.into_values().next().unwrap();
    assert!(link.required_member_ids.is_empty());
    assert_eq!(link.optional_member_ids, vec![liam]);
}

#[tokio::test]
async fn ownership_links_keep_their_routing_as_given() {
    let api = Api::demo().await;
    let demo = create_meeting_type(&api, "Demo").await;
    let enterprise = api.distribution("Enterprise Leads");
    let ownership = json!({"ownershipSettings": {"type": "WithMixedRouting", "strategies": []},
                           "host": {"type": "BookerIfExists"},
                           "bookerInvitation": {"type": "DoNotInvite"}});
    let created = api
        .post(
            "/v1/org/schedulingLinks/ownership",
            json!({"workspaceId": api.workspace("Sales"), "name": "Owner", "slug": "owner",
                   "meetingTypeIds": [demo["id"]], "ownership": ownership,
                   "distribution": {"assignments": [{"distributionId": enterprise, "required": false}],
                                    "host": {"type": "AssigneeFromDistribution", "distributionId": enterprise},
                                    "bookerInvitation": {"type": "DoNotInvite"}}}),
        )
        .await
        .ok();
    assert_eq!(created["ownership"], ownership);
    assert_eq!(created["sharedWith"], json!({"type": "Workspace"}));
    assert_eq!(created["pageConfig"], json!({}));
    let assignment = &created["distribution"]["assignments"][0];
    assert_eq!(assignment["required"], false);
    assert_eq!(assignment["members"].as_array().unwrap().len(), 4);
    let listed = api
        .post(
            "/v1/org/schedulingLinks/list-ownership",
            json!({"filterDistributionIds": [enterprise]}),
        )
        .await
        .ok();
    assert_eq!(listed["links"][0], created);
    api.delete(&format!("/v1/org/distribution/{enterprise}"))
        .await
        .error(409, "DistributionInUse");
    let updated = api
        .put(
            &format!(
                "/v1/org/schedulingLinks/ownership/{}",
                created["linkId"].as_str().unwrap()
            ),
            json!({"pageConfig": {"title": "Meet your owner"}}),
        )
        .await
        .ok();
    assert_eq!(updated["pageConfig"], json!({"title": "Meet your owner"}));
    assert_eq!(updated["ownership"], ownership);
}

#[tokio::test]
async fn booking_operations_need_their_permissions() {
    let mut api = Api::demo().await;
    api.token = Some(DEMO_READONLY_TOKEN.to_string());
    api.get(&format!("{MEETING_TYPES}/list")).await.ok();
    api.post("/v1/org/schedulingLinks/list-ownership", json!({}))
        .await
        .ok();
    let args = api
        .post(MEETING_TYPES, create_body(&api, "Demo"))
        .await
        .error(403, "MissingPermission");
    assert_eq!(args["permission"], "meeting-type.create");
    let args = api
        .call_raw(
            Method::DELETE,
            "/v1/org/schedulingLinks/group/anything",
            None,
        )
        .await
        .error(403, "MissingPermission");
    assert_eq!(args["permission"], "scheduling-links.remove");
}

#[tokio::test]
async fn seeds_declare_meeting_types_reminders_and_links_by_name() {
    let mut seed = scoville::emulator::demo_seed();
    let sales = &mut seed.workspaces[0];
    sales.reminders.push(SeedReminder {
        name: "Legacy".to_string(),
        channel: ReminderChannel::Email,
        trigger: scoville::edge::wire::ReminderTrigger {
            kind: TriggerKind::MeetingBooked,
            offset: None,
        },
        title: None,
        body: "Booked".to_string(),
        send_to: None,
        send_from: None,
        sms_send_from: None,
    });
    sales.meeting_types.push(SeedMeetingType {
        name: "Demo".to_string(),
        duration: "45 minutes".to_string(),
        description: None,
        invite_title: None,
        invite_description: None,
        status: None,
        location: None,
        buffers: None,
        meeting_limit: None,
        shared_with: Some(scoville::emulator::SeedSharedWith::Teams {
            teams: vec!["inbound-sdr".to_string()],
        }),
        reminders: vec!["Legacy".to_string()],
    });
    sales.scheduling_links.push(SeedLink {
        kind: LinkKind::RoundRobin,
        name: "Demo".to_string(),
        slug: "demo".to_string(),
        meeting_types: vec!["Demo".to_string()],
        distributions: vec!["Inbound Demo Requests".to_string()],
        host: None,
        required: Vec::new(),
        optional: Vec::new(),
        ownership: None,
        distribution_host: None,
        booker_invitation: None,
        page_config: None,
        shared_with: None,
    });
    seed.overlays.insert(
        "meetingType:Sales/Demo".to_string(),
        serde_json::from_value(json!({"location.default.type": "HologramLink"})).unwrap(),
    );
    let api = Api::with_seed(seed).await;
    let listed = api.get(&format!("{MEETING_TYPES}/list")).await.ok();
    assert_eq!(listed[0]["name"], "Demo");
    assert_eq!(listed[0]["location"]["default"]["type"], "HologramLink");
    assert_eq!(
        listed[0]["sharedWith"],
        json!({"type": "Teams", "teamIds": [api.team("inbound-sdr")]})
    );
    let got = api
        .get(&format!(
            "{MEETING_TYPES}/{}",
            listed[0]["id"].as_str().unwrap()
        ))
        .await
        .ok();
    assert_eq!(
        got["reminders"][0]["trigger"],
        json!({"kind": "MeetingBooked"})
    );
    let links = api
        .post("/v1/org/schedulingLinks/list-round-robin", json!({}))
        .await
        .ok();
    assert_eq!(
        links["links"][0]["meetingTypeIds"],
        json!([listed[0]["id"]])
    );
}
