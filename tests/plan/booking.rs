//! Meeting types, reminders and scheduling links: the plan on hand-built states (the demo org
//! with a booking layer in `Sales`), snapshotted in all three renderings (the fixtures are
//! shared with `booking_rules`, which pins what the snapshots do not). Each changing scenario
//! is then applied to the in-memory stand-in of `booking_sim` and planned again, which must
//! find nothing left to do.

use std::collections::BTreeSet;

use scoville::model::*;
use scoville::plan::{
    Call, Plan, PlanOptions, PlanOutcome, PlanProblem, order_violations, plan, stale_objects,
};
use scoville::render;

use super::booking_sim::apply_booking;
use super::support::*;

pub fn minutes(n: u64) -> Span {
    Span(n * 60)
}

pub fn meeting_type_spec(duration: u64, reminders: &[&str]) -> MeetingTypeSpec {
    MeetingTypeSpec {
        duration: minutes(duration),
        description: None,
        invite_title: Some("Acme demo with {!CP.Host.FullName}".into()),
        invite_description: Some("Agenda: your goals, a live demo, next steps.".into()),
        status: Some(MeetingTypeStatus::Active),
        location: Some(Locations {
            default: Location {
                kind: LocationKind::ZoomOneTimeLink,
                host: Some(LocationHost::Host),
                value: None,
            },
            others: vec![],
        }),
        buffers: Some(Buffers {
            before: Some(minutes(5)),
            after: Some(minutes(10)),
        }),
        meeting_limit: None,
        shared_with: Some(SharedWith::Workspace),
        reminders: Some(reminders.iter().map(|r| r.to_string()).collect()),
    }
}

pub fn reminder_spec(hours: u64, body: &str) -> ReminderSpec {
    ReminderSpec {
        channel: ReminderChannel::Email,
        trigger: Trigger {
            kind: TriggerKind::BeforeMeeting,
            offset: Some(Span(hours * 3600)),
        },
        title: Some("Your meeting with Acme".into()),
        body: body.into(),
        send_to: Some(ReminderSendTo::SendToAllGuests),
        send_from: Some(ReminderSendFrom::SendFromHost),
        sms_send_from: None,
    }
}

fn round_robin(name: &str, meeting_types: &[&str], distributions: &[&str]) -> LinkSpec {
    LinkSpec {
        name: name.into(),
        meeting_types: meeting_types.iter().map(|m| m.to_string()).collect(),
        target: LinkTarget::RoundRobin {
            distributions: distributions.iter().map(|d| d.to_string()).collect(),
        },
    }
}

pub const URL: &str = "https://acme.chilipiper.com/round-robin";

/// The demo org with a booking layer in `Sales`: meeting types `Demo` (reminder `Day before`)
/// and `Intro` (with the reminder its create seeded), and two round-robin links.
pub fn booking_live() -> Live {
    let mut live = demo_live();
    let sales = live.workspaces.get_mut("Sales").unwrap();
    sales.reminders = Some(vec![
        LiveReminder {
            id: "r-day".into(),
            name: "Day before".into(),
            spec: reminder_spec(
                24,
                "See you tomorrow. Reschedule: {!CP.Meeting.RescheduleUrl}",
            ),
        },
        LiveReminder {
            id: "r-seeded-intro".into(),
            name: "Email 1 hour before".into(),
            spec: reminder_spec(1, "Your meeting starts in an hour."),
        },
    ]);
    let mut demo_type = meeting_type_spec(30, &["Day before"]);
    demo_type.meeting_limit = Some(BookingLimit {
        limit_by: BookingLimitBy::Email,
        timeframe: BookingLimitTimeframe::Weekly,
        count: 2,
    });
    sales.meeting_types = Some(vec![
        LiveMeetingType {
            id: "mt-demo".into(),
            name: "Demo".into(),
            spec: demo_type,
            reminder_ids: vec!["r-day".into()],
        },
        LiveMeetingType {
            id: "mt-intro".into(),
            name: "Intro".into(),
            spec: meeting_type_spec(15, &["Email 1 hour before"]),
            reminder_ids: vec!["r-seeded-intro".into()],
        },
    ]);
    sales.links = Some(vec![
        LiveLink {
            id: "l-demo".into(),
            slug: "demo-sales".into(),
            booking_url: format!("{URL}/demo-sales"),
            spec: round_robin(
                "Book a demo",
                &["Demo"],
                &["Inbound Demo Requests", "Enterprise Leads"],
            ),
            resolved_members: vec![],
            fallback_routing: None,
        },
        LiveLink {
            id: "l-intro".into(),
            slug: "intro".into(),
            booking_url: format!("{URL}/intro"),
            spec: round_robin("Quick intro", &["Intro"], &["Inbound Demo Requests"]),
            resolved_members: vec![],
            fallback_routing: None,
        },
    ]);
    live
}

/// Manifests that describe `live` exactly, booking layer included.
pub fn booking_desired(live: &Live) -> Desired {
    let mut desired = describe(live);
    for (name, workspace) in &live.workspaces {
        let declared = desired.workspaces.get_mut(name).unwrap();
        let mut line = 500;
        let mut next = || {
            line += 1;
            src("booking.yaml", line)
        };
        for reminder in workspace.reminders.iter().flatten() {
            declared.reminders.insert(
                reminder.name.clone(),
                DesiredReminder {
                    name: reminder.name.clone(),
                    previously: vec![],
                    spec: reminder.spec.clone(),
                    source: next(),
                },
            );
        }
        for meeting_type in workspace.meeting_types.iter().flatten() {
            declared.meeting_types.insert(
                meeting_type.name.clone(),
                DesiredMeetingType {
                    name: meeting_type.name.clone(),
                    previously: vec![],
                    spec: meeting_type.spec.clone(),
                    source: next(),
                },
            );
        }
        for link in workspace.links.iter().flatten() {
            declared.links.insert(
                link.slug.clone(),
                DesiredLink {
                    slug: link.slug.clone(),
                    previously: vec![],
                    spec: link.spec.clone(),
                    source: next(),
                },
            );
        }
    }
    desired
}

pub fn sales(desired: &mut Desired) -> &mut DesiredWorkspace {
    desired.workspaces.get_mut("Sales").unwrap()
}

/// Plans, checks the plan's invariants, snapshots the three renderings under `name`, and, for
/// a plan with steps, applies it to the stand-in and plans again: nothing must be left.
fn check(name: &str, desired: &Desired, live: &Live, allow_destructive: bool) -> Plan {
    let options = PlanOptions::new(desired, allow_destructive);
    let planned = plan(desired, live, &options);
    let json = render::json(&planned);
    assert_eq!(
        json,
        render::json(&plan(desired, live, &options)),
        "deterministic"
    );
    assert_eq!(order_violations(&planned), Vec::<String>::new());
    assert_eq!(
        Plan::from_json(&json).unwrap(),
        planned,
        "the JSON reads back"
    );
    assert!(stale_objects(&planned, live).is_empty());
    let text = render::text(&planned, false);
    let markdown = render::markdown(&planned, "the `plan.json` artifact of this run");
    insta::assert_snapshot!(format!("{name}.txt"), text);
    insta::assert_snapshot!(format!("{name}.json"), json);
    insta::assert_snapshot!(format!("{name}.md"), markdown);
    if planned.outcome() == PlanOutcome::Changes {
        let after = apply_booking(live, &planned);
        let again = plan(desired, &after, &options);
        assert_eq!(
            again.outcome(),
            PlanOutcome::NoChanges,
            "{name}: planning after the apply finds more to do:\n{}",
            render::text(&again, false)
        );
    }
    planned
}

pub fn step_ids(plan: &Plan) -> Vec<&str> {
    plan.steps.iter().map(|step| step.id.as_str()).collect()
}

#[test]
fn a_described_booking_layer_plans_no_changes() {
    let live = booking_live();
    let desired = booking_desired(&live);
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert_eq!(
        planned.outcome(),
        PlanOutcome::NoChanges,
        "{}",
        render::text(&planned, false)
    );
}

#[test]
fn new_meeting_type_on_a_new_round_robin_link_over_two_distributions() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    let sales = sales(&mut desired);
    // A second meeting distribution, created by the plan.
    let mut partner = sales.distributions["Inbound Demo Requests"].clone();
    partner.name = "Partner Demos".into();
    partner.source = src("sales.yaml", 90);
    sales.distributions.insert("Partner Demos".into(), partner);
    sales.reminders.insert(
        "Hour before".into(),
        DesiredReminder {
            name: "Hour before".into(),
            previously: vec![],
            spec: reminder_spec(1, "Starting soon: {!CP.Meeting.RescheduleUrl}"),
            source: src("sales.yaml", 100),
        },
    );
    sales.meeting_types.insert(
        "Discovery".into(),
        DesiredMeetingType {
            name: "Discovery".into(),
            previously: vec![],
            spec: meeting_type_spec(45, &["Day before", "Hour before"]),
            source: src("sales.yaml", 110),
        },
    );
    sales.links.insert(
        "discovery".into(),
        DesiredLink {
            slug: "discovery".into(),
            previously: vec![],
            spec: round_robin(
                "Book a discovery call",
                &["Discovery"],
                &["Inbound Demo Requests", "Partner Demos"],
            ),
            source: src("sales.yaml", 130),
        },
    );
    let planned = check("new_meeting_type_on_new_link", &desired, &live, false);
    assert_eq!(planned.outcome(), PlanOutcome::Changes);
    let ids = step_ids(&planned);
    let position = |id: &str| {
        ids.iter()
            .position(|step| *step == id)
            .unwrap_or_else(|| panic!("no step {id} in {ids:#?}"))
    };
    let create = position("meeting-type-create meetingType:Sales/Discovery");
    let link = position("scheduling-link-create-round-robin link:Sales/discovery");
    let distribution = position("distribution-create distribution:Sales/Partner Demos");
    let reminder = position("meeting-type-reminder-create reminder:Sales/Hour before");
    let attach = position("meeting-type-attach-reminder meetingType:Sales/Discovery#Hour before");
    let detach =
        position("meeting-type-detach-reminder meetingType:Sales/Discovery#Email 1 hour before");
    let delete_seeded =
        position("meeting-type-reminder-delete reminder:Sales/Email 1 hour before#Discovery");
    assert!(create < link && distribution < link && attach < link);
    assert!(reminder < attach && create < attach);
    assert!(create < detach && detach < delete_seeded);
    // The create always carries a key, and the key is a UUID of version 8.
    let Call::MeetingTypeCreate { body } = &planned.steps[create].call else {
        panic!("not a create");
    };
    assert_eq!(body.idempotency_key.len(), 36);
    assert_eq!(&body.idempotency_key[14..15], "8");
    assert!(
        !planned.steps[delete_seeded].destructive,
        "the plan's own seed"
    );
    assert_eq!(planned.summary.to_destroy, 0);
}

#[test]
fn a_reminder_changed() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    let day = sales(&mut desired).reminders.get_mut("Day before").unwrap();
    day.spec.body =
        "See you tomorrow! Agenda inside. Reschedule: {!CP.Meeting.RescheduleUrl}".into();
    day.spec.trigger.offset = Some(Span(20 * 3600));
    let planned = check("reminder_changed", &desired, &live, false);
    assert_eq!(
        step_ids(&planned),
        ["meeting-type-reminder-update reminder:Sales/Day before"]
    );
    let request = planned.steps[0]
        .call
        .request(&|_: &scoville::plan::StepId| None)
        .unwrap();
    assert_eq!(
        request.query,
        vec![("workspaceId".to_string(), "w-sales".to_string())],
        "reminder updates carry the workspace"
    );
    let body = request.body.unwrap();
    assert_eq!(
        body.as_object().unwrap().len(),
        2,
        "only the changed fields: {body}"
    );
}

#[test]
fn a_meeting_type_renamed() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    let sales = sales(&mut desired);
    let mut demo = sales.meeting_types.remove("Demo").unwrap();
    demo.name = "Product demo".into();
    demo.previously = vec!["Demo".into()];
    sales.meeting_types.insert("Product demo".into(), demo);
    for link in sales.links.values_mut() {
        for offered in &mut link.spec.meeting_types {
            if offered == "Demo" {
                *offered = "Product demo".into();
            }
        }
    }
    let planned = check("meeting_type_renamed", &desired, &live, false);
    // The link offers the meeting type by id: renaming it leaves the link as it is.
    assert_eq!(
        step_ids(&planned),
        ["meeting-type-update meetingType:Sales/Product demo"]
    );
    // Nothing but the name changes: the Markdown table's row says it, with no empty
    // `<details>` under it for a pull request to show as a broken fold.
    let markdown = render::markdown(&planned, "x");
    assert!(markdown.contains("| rename from `Demo` |"), "{markdown}");
    assert!(
        !markdown.contains("</summary>\n\n\n</details>"),
        "{markdown}"
    );
}

#[test]
fn a_slug_change_is_refused_unless_destructive_changes_are_allowed() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    let sales = sales(&mut desired);
    let mut link = sales.links.remove("demo-sales").unwrap();
    link.slug = "demo".into();
    link.previously = vec!["demo-sales".into()];
    sales.links.insert("demo".into(), link);
    let refused = check("slug_change_refused", &desired, &live, false);
    assert_eq!(refused.outcome(), PlanOutcome::Refused);
    let PlanProblem::SlugChange {
        old_url, new_url, ..
    } = &refused.errors[0].problem
    else {
        panic!("{:?}", refused.errors);
    };
    assert_eq!(old_url, &format!("{URL}/demo-sales"));
    assert_eq!(new_url, &format!("{URL}/demo"));

    let allowed = check("slug_change_allowed", &desired, &live, true);
    assert_eq!(allowed.outcome(), PlanOutcome::Changes);
    assert_eq!(allowed.summary.destructive_steps, 1);
    let text = render::text(&allowed, false);
    assert!(text.contains(&format!("{URL}/demo-sales")) && text.contains(&format!("{URL}/demo ")));
}

#[test]
fn a_distribution_deleted_while_a_link_still_uses_it_is_refused() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    prune_everywhere(&mut desired, &[ObjectKind::Distributions]);
    sales(&mut desired).distributions.remove("Enterprise Leads");
    let planned = check("distribution_deleted_under_a_link", &desired, &live, false);
    assert_eq!(planned.outcome(), PlanOutcome::Refused);
    let message = &planned
        .errors
        .iter()
        .find(|e| matches!(e.problem, PlanProblem::StillUsedByLinks { .. }))
        .expect("refused because of the link")
        .message;
    assert!(message.contains("`demo-sales`"), "{message}");
    assert!(message.contains("drop `Enterprise Leads`"), "{message}");

    // Dropping the distribution from the link first makes it a plan: update, then delete.
    let link = sales(&mut desired).links.get_mut("demo-sales").unwrap();
    link.spec.target = LinkTarget::RoundRobin {
        distributions: vec!["Inbound Demo Requests".into()],
    };
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, true));
    assert_eq!(
        planned.outcome(),
        PlanOutcome::Changes,
        "{:?}",
        planned.errors
    );
    let ids = step_ids(&planned);
    let update = ids
        .iter()
        .position(|id| *id == "scheduling-link-update-round-robin link:Sales/demo-sales")
        .unwrap();
    let delete = ids
        .iter()
        .position(|id| *id == "distribution-delete distribution:Sales/Enterprise Leads")
        .unwrap();
    assert!(update < delete);
    assert!(
        planned.steps[delete]
            .depends_on
            .contains(&planned.steps[update].id)
    );
}

#[test]
fn pruning_a_workspaces_links() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    prune_everywhere(&mut desired, &[ObjectKind::SchedulingLinks]);
    sales(&mut desired).links.remove("intro");
    let planned = check("prune_links", &desired, &live, false);
    assert_eq!(
        step_ids(&planned),
        ["scheduling-link-delete-round-robin link:Sales/intro"]
    );
    assert!(render::text(&planned, false).contains(&format!("{URL}/intro")));
}

#[test]
fn group_and_admin_one_on_one_links() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    let olivia = email("olivia.reyes@acme.example");
    desired.users.insert(
        olivia.clone(),
        DesiredUser {
            email: olivia.clone(),
            name: Some("Olivia Reyes".into()),
            licenses: None,
            invite: true,
            source: src("users.yaml", 80),
        },
    );
    let sales = sales(&mut desired);
    sales.links.insert(
        "team-call".into(),
        DesiredLink {
            slug: "team-call".into(),
            previously: vec![],
            spec: LinkSpec {
                name: "Talk to the team".into(),
                meeting_types: vec!["Demo".into()],
                target: LinkTarget::Group {
                    host: Some(demo("Liam")),
                    required: BTreeSet::from([olivia]),
                    optional: BTreeSet::from([demo("Sofia")]),
                },
            },
            source: src("sales.yaml", 170),
        },
    );
    sales.links.insert(
        "ask-an-admin".into(),
        DesiredLink {
            slug: "ask-an-admin".into(),
            previously: vec![],
            spec: LinkSpec {
                name: "Ask an admin".into(),
                meeting_types: vec!["Intro".into(), "Demo".into()],
                target: LinkTarget::AdminOneOnOne,
            },
            source: src("sales.yaml", 180),
        },
    );
    let planned = check("group_and_admin_links", &desired, &live, false);
    let group = planned
        .steps
        .iter()
        .find(|s| s.id.as_str() == "scheduling-link-create-group link:Sales/team-call")
        .unwrap();
    assert!(
        group
            .depends_on
            .iter()
            .any(|d| d.as_str() == "user-invite user:olivia.reyes@acme.example"),
        "an invited member is added once invited"
    );
}

/// Regression: two live links answering one slug (the API keeps slugs unique, so only a
/// misbehaving answer gives this) were matched by taking the first, and the plan updated
/// whichever came first; as for every other kind, the plan now refuses to guess.
#[test]
fn two_live_links_with_one_slug_are_refused_not_one_picked() {
    let mut live = booking_live();
    let desired = booking_desired(&live);
    let links = live
        .workspaces
        .get_mut("Sales")
        .unwrap()
        .links
        .as_mut()
        .unwrap();
    let mut twin = links[0].clone();
    twin.id = "l-twin".into();
    twin.spec.name = "Another demo".into();
    links.insert(0, twin);
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert_eq!(planned.outcome(), PlanOutcome::Refused);
    let text = render::text(&planned, false);
    assert!(
        text.contains("has 2 scheduling links named `demo-sales` (ids l-twin, l-demo)"),
        "{text}"
    );
    assert!(planned.steps.is_empty(), "{text}");
}
