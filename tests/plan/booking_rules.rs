//! Meeting types, reminders and scheduling links: what the snapshots of `booking` do not pin
//! down. Refusals and what they tell to do, the seeded reminder left alone or removed, patches
//! that leave omitted fields alone, references by id to what scoville cannot read, the edges to
//! team deletes, and look-alike names.

use std::collections::BTreeSet;

use scoville::model::*;
use scoville::plan::{Call, PlanOptions, PlanOutcome, PlanProblem, plan};
use scoville::render;

use super::booking::{booking_desired, booking_live, meeting_type_spec, sales, step_ids};
use super::booking_sim::apply_booking;
use super::support::*;

#[test]
fn a_channel_change_is_refused_with_what_to_do() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    sales(&mut desired)
        .reminders
        .get_mut("Day before")
        .unwrap()
        .spec
        .channel = ReminderChannel::Sms;
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert!(matches!(
        planned.errors[0].problem,
        PlanProblem::ReminderChannelChange { .. }
    ));
    assert!(planned.errors[0].message.contains("new name"));
}

#[test]
fn the_seeded_reminder_of_a_meeting_type_left_alone_is_never_pruned() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    prune_everywhere(&mut desired, &[ObjectKind::Reminders]);
    let sales = sales(&mut desired);
    sales.reminders.remove("Email 1 hour before");
    sales.meeting_types.get_mut("Intro").unwrap().spec.reminders = None;
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert_eq!(
        planned.outcome(),
        PlanOutcome::NoChanges,
        "{}",
        render::text(&planned, false)
    );
    let listed = planned
        .unmanaged
        .iter()
        .find(|u| u.address == "reminder:Sales/Email 1 hour before")
        .expect("listed as unmanaged");
    assert_eq!(listed.detail, "in use by meeting type `Intro`");
}

#[test]
fn a_new_meeting_type_without_a_reminder_list_keeps_its_seeded_reminder() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    prune_everywhere(&mut desired, &[ObjectKind::Reminders]);
    let mut spec = meeting_type_spec(20, &[]);
    spec.reminders = None;
    // Every create seeds a reminder of the same name: the manifests cannot declare one name
    // for several reminders, so they leave the seeded ones alone.
    sales(&mut desired).reminders.remove("Email 1 hour before");
    sales(&mut desired)
        .meeting_types
        .get_mut("Intro")
        .unwrap()
        .spec
        .reminders = None;
    sales(&mut desired).meeting_types.insert(
        "Check-in".into(),
        DesiredMeetingType {
            name: "Check-in".into(),
            previously: vec![],
            spec,
            source: src("sales.yaml", 140),
        },
    );
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert!(
        planned.steps.iter().all(|step| !matches!(
            step.call,
            Call::ReminderDelete { .. } | Call::MeetingTypeDetachReminder { .. }
        )),
        "{}",
        render::text(&planned, false)
    );
    let after = apply_booking(&live, &planned);
    let again = plan(&desired, &after, &PlanOptions::new(&desired, false));
    assert_eq!(
        again.outcome(),
        PlanOutcome::NoChanges,
        "{}",
        render::text(&again, false)
    );
}

#[test]
fn removing_a_booking_limit_is_not_a_diff() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    sales(&mut desired)
        .meeting_types
        .get_mut("Demo")
        .unwrap()
        .spec
        .meeting_limit = None;
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert_eq!(planned.outcome(), PlanOutcome::NoChanges);
}

#[test]
fn links_are_refused_in_a_personal_workspace_and_ownership_links_are_not_created() {
    let mut live = booking_live();
    let mut desired = booking_desired(&live);
    live.workspaces.get_mut("Sales").unwrap().personal = true;
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert!(
        planned
            .errors
            .iter()
            .any(|e| matches!(e.problem, PlanProblem::LinkInPersonalWorkspace { .. }))
    );

    let live = booking_live();
    sales(&mut desired).links.insert(
        "owners".into(),
        DesiredLink {
            slug: "owners".into(),
            previously: vec![],
            spec: LinkSpec {
                name: "Meet your owner".into(),
                meeting_types: vec!["Demo".into()],
                target: LinkTarget::Ownership {
                    distributions: vec![("Inbound Demo Requests".into(), false)],
                },
            },
            source: src("sales.yaml", 150),
        },
    );
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    let message = &planned.errors[0].message;
    assert!(message.contains("scoville export"), "{message}");
}

#[test]
fn a_reference_to_nothing_is_refused_with_what_to_do() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    sales(&mut desired)
        .links
        .get_mut("intro")
        .unwrap()
        .spec
        .meeting_types = vec!["Nope".into()];
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    let message = &planned.errors[0].message;
    assert!(
        message.contains("meeting type `Nope`") && message.contains("declare"),
        "{message}"
    );
}

#[test]
fn a_group_link_sends_its_members_and_says_they_cannot_be_verified() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    sales(&mut desired).links.insert(
        "team-call".into(),
        DesiredLink {
            slug: "team-call".into(),
            previously: vec![],
            spec: LinkSpec {
                name: "Talk to the team".into(),
                meeting_types: vec!["Demo".into()],
                target: LinkTarget::Group {
                    host: Some(demo("Liam")),
                    required: BTreeSet::from([demo("Sofia")]),
                    optional: BTreeSet::new(),
                },
            },
            source: src("sales.yaml", 160),
        },
    );
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    let step = &planned.steps[0];
    let request = step
        .call
        .request(&|_: &scoville::plan::StepId| None)
        .unwrap();
    let body = request.body.unwrap();
    assert_eq!(body["hostUserId"], "u-liam");
    assert_eq!(body["requiredMemberIds"], serde_json::json!(["u-sofia"]));
    assert!(render::text(&planned, false).contains("cannot verify"));
}

#[test]
fn booking_thresholds_count_link_deletes() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    prune_everywhere(&mut desired, &[ObjectKind::SchedulingLinks]);
    sales(&mut desired).links.clear();
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert!(
        planned
            .errors
            .iter()
            .any(|e| matches!(e.problem, PlanProblem::EverythingOfAKind { .. })),
        "{:?}",
        planned.errors
    );
}

#[test]
fn a_meeting_type_deleted_while_a_kept_link_offers_it_is_refused() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    prune_everywhere(&mut desired, &[ObjectKind::MeetingTypes]);
    sales(&mut desired).meeting_types.remove("Intro");
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, true));
    let message = &planned
        .errors
        .iter()
        .find(|e| matches!(e.problem, PlanProblem::StillUsedByLinks { .. }))
        .unwrap_or_else(|| panic!("{:?}", planned.errors))
        .message;
    assert!(
        message.contains("meeting type `Intro`") && message.contains("`intro`"),
        "{message}"
    );
}

#[test]
fn a_distribution_deleted_under_a_link_left_alone_says_how_to_declare_or_prune_the_link() {
    // The link is not in the manifests, so "drop it from that link in the manifests" alone
    // would send the reader looking for a declaration that does not exist.
    let live = booking_live();
    let mut desired = booking_desired(&live);
    prune_everywhere(&mut desired, &[ObjectKind::Distributions]);
    sales(&mut desired).distributions.remove("Enterprise Leads");
    sales(&mut desired).links.remove("demo-sales");
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, true));
    let message = &planned
        .errors
        .iter()
        .find(|e| matches!(e.problem, PlanProblem::StillUsedByLinks { .. }))
        .unwrap_or_else(|| panic!("{:?}", planned.errors))
        .message;
    assert!(
        message.contains("`demo-sales` (not in the manifests, left alone)"),
        "{message}"
    );
    assert!(
        message.contains("declare it there first if it is not: `scoville export` writes it"),
        "{message}"
    );
    assert!(
        message.contains("enable pruning of `schedulingLinks` in `Sales`"),
        "{message}"
    );
}

#[test]
fn a_link_update_names_its_changed_fields_as_the_manifests_write_them() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    let link = sales(&mut desired).links.get_mut("demo-sales").unwrap();
    link.spec.target = LinkTarget::RoundRobin {
        distributions: vec!["Inbound Demo Requests".into()],
    };
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert_eq!(
        planned.outcome(),
        PlanOutcome::Changes,
        "{:?}",
        planned.errors
    );
    let text = render::text(&planned, false);
    assert!(
        text.contains("link:Sales/demo-sales  update (distributions)"),
        "{text}"
    );
    assert!(!text.contains("distributionIds"), "{text}");
    assert!(render::markdown(&planned, "x").contains("| update (distributions) |"));
    // The JSON plan keeps the API's field, as docs/plan-json.md says.
    assert!(render::json(&planned).contains("\"distributionIds\""));
}

#[test]
fn a_slug_change_says_the_old_booking_url_stops_working_in_the_destructive_list() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    let sales = sales(&mut desired);
    let mut link = sales.links.remove("demo-sales").unwrap();
    link.slug = "demo".into();
    link.previously = vec!["demo-sales".into()];
    link.spec.name = "Book a demo today".into();
    sales.links.insert("demo".into(), link);
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, true));
    assert_eq!(
        planned.outcome(),
        PlanOutcome::Changes,
        "{:?}",
        planned.errors
    );
    let text = render::text(&planned, false);
    assert!(
        text.contains(
            "!!   - link:Sales/demo  change slug from `demo-sales` (the old booking URL stops \
             working) and update (name)"
        ),
        "{text}"
    );
}

#[test]
fn an_ignored_link_is_listed_and_never_pruned() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    prune_everywhere(&mut desired, &[ObjectKind::SchedulingLinks]);
    sales(&mut desired).links.remove("intro");
    desired.policy.ignore.push(IgnoreEntry {
        object: "link:Sales/intro".into(),
        reason: "owned by the events team".into(),
        expires: None,
        source: src("org.yaml", 40),
    });
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert_eq!(
        planned.outcome(),
        PlanOutcome::NoChanges,
        "{:?}",
        planned.errors
    );
    let listed = planned
        .unmanaged
        .iter()
        .find(|u| u.address == "link:Sales/intro")
        .unwrap();
    assert!(listed.ignored.is_some());
}

#[test]
fn a_meeting_type_scoville_cannot_read_is_never_created_again_and_links_may_offer_it() {
    let mut live = booking_live();
    let desired = booking_desired(&live);
    // `Demo` came with a location kind scoville does not know: it is opaque.
    let live_sales = live.workspaces.get_mut("Sales").unwrap();
    live_sales
        .meeting_types
        .as_mut()
        .unwrap()
        .retain(|m| m.name != "Demo");
    live.opaque.push(OpaqueObject {
        workspace: "Sales".into(),
        kind: OpaqueKind::MeetingType,
        name: "Demo".into(),
        id: "mt-demo".into(),
        unknown: "a location of type `HologramLink`".into(),
        team_ids: BTreeSet::new(),
    });
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert!(
        planned
            .errors
            .iter()
            .all(|e| matches!(e.problem, PlanProblem::UnknownToScoville { .. })),
        "{:?}",
        planned.errors
    );
    assert_eq!(planned.errors.len(), 1);

    // Not declared, it is listed, and the link that offers it keeps its id.
    let mut desired = desired;
    sales(&mut desired).meeting_types.remove("Demo");
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert_eq!(
        planned.outcome(),
        PlanOutcome::NoChanges,
        "{:?}",
        planned.errors
    );
    assert!(
        planned
            .unmanaged
            .iter()
            .any(|u| u.address == "meetingType:Sales/Demo")
    );
}

#[test]
fn a_team_a_meeting_type_shares_with_is_released_before_it_is_deleted() {
    let mut live = booking_live();
    let intro = live.workspaces.get_mut("Sales").unwrap();
    let intro = intro
        .meeting_types
        .as_mut()
        .unwrap()
        .iter_mut()
        .find(|m| m.name == "Intro")
        .unwrap();
    intro.spec.shared_with = Some(SharedWith::Teams(BTreeSet::from(["smb-ae".to_string()])));
    let mut desired = booking_desired(&live);
    prune_everywhere(&mut desired, &[ObjectKind::Teams]);
    sales(&mut desired).teams.remove("smb-ae");
    let refused = plan(&desired, &live, &PlanOptions::new(&desired, true));
    assert!(
        refused.errors.iter().any(|e| matches!(
            &e.problem,
            PlanProblem::TeamStillUsed { used_by, .. } if used_by == "meeting type `Intro`"
        )),
        "{:?}",
        refused.errors
    );

    sales(&mut desired)
        .meeting_types
        .get_mut("Intro")
        .unwrap()
        .spec
        .shared_with = Some(SharedWith::Workspace);
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, true));
    assert_eq!(
        planned.outcome(),
        PlanOutcome::Changes,
        "{:?}",
        planned.errors
    );
    let delete = planned
        .steps
        .iter()
        .find(|s| s.id.as_str() == "team-delete team:Sales/smb-ae")
        .unwrap();
    assert!(
        delete
            .depends_on
            .iter()
            .any(|d| d.as_str() == "meeting-type-update meetingType:Sales/Intro"),
        "{:?}",
        delete.depends_on
    );
}

#[test]
fn a_meeting_type_declared_under_a_look_alike_name_is_renamed_in_place() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    let sales = sales(&mut desired);
    let mut demo = sales.meeting_types.remove("Demo").unwrap();
    // A non-breaking space: reads the same, is not the same.
    demo.name = "Demo\u{a0}".into();
    sales.meeting_types.insert(demo.name.clone(), demo);
    for link in sales.links.values_mut() {
        for offered in &mut link.spec.meeting_types {
            if offered == "Demo" {
                *offered = "Demo\u{a0}".into();
            }
        }
    }
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert_eq!(
        step_ids(&planned),
        ["meeting-type-update meetingType:Sales/Demo\u{a0}"],
        "renamed, not created, and the link offering it (by id) left alone: {}",
        render::text(&planned, false)
    );
    assert!(
        planned
            .warnings
            .iter()
            .any(|w| w.message.contains("meeting type"))
    );
}

#[test]
fn a_reference_by_a_former_name_is_refused_with_the_rename_named() {
    let live = booking_live();
    let mut desired = booking_desired(&live);
    let sales = sales(&mut desired);
    let mut demo = sales.meeting_types.remove("Demo").unwrap();
    demo.name = "Product demo".into();
    demo.previously = vec!["Demo".into()];
    sales.meeting_types.insert("Product demo".into(), demo);
    // The link still offers `Demo`, which is renamed away.
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert!(
        matches!(
            &planned.errors[0].problem,
            PlanProblem::RenamedReference { name, .. } if name == "Demo"
        ),
        "{:?}",
        planned.errors
    );
    assert!(planned.errors[0].message.contains("use its new name"));
}
