//! Property test of the booking layer: random edits of the manifests of `booking_live` (renames,
//! content changes, new and dropped meeting types, reminders and links, slug changes, changed
//! distribution lists, pruning on or off) plan in an order that respects the plan's own graph,
//! and a plan that is not refused, applied to the stand-in of `booking_sim`, leaves nothing to
//! do when planned again.

use proptest::prelude::*;
use scoville::model::*;
use scoville::plan::{PlanOptions, PlanOutcome, order_violations, plan};
use scoville::render;

use super::booking::{booking_desired, booking_live, meeting_type_spec, reminder_spec, sales};
use super::booking_sim::apply_booking;
use super::support::*;

/// Applies the edits the bytes choose to the manifests that describe `live`.
fn edit(desired: &mut Desired, choices: &[u8]) {
    let mut choice = choices.iter().copied().chain(std::iter::repeat(0));
    let mut pick = |n: u8| choice.next().unwrap_or(0) % n;
    let prune = pick(2) == 1;
    if prune {
        prune_everywhere(
            desired,
            &[
                ObjectKind::MeetingTypes,
                ObjectKind::Reminders,
                ObjectKind::SchedulingLinks,
            ],
        );
    }
    let sales = sales(desired);
    match pick(4) {
        0 => {}
        1 => sales.meeting_types.get_mut("Demo").unwrap().spec.duration = Span(3600),
        2 => {
            let intro = sales.meeting_types.get_mut("Intro").unwrap();
            intro.spec.reminders = Some(["Day before".to_string()].into());
        }
        _ => {
            sales.meeting_types.insert(
                "Discovery".into(),
                DesiredMeetingType {
                    name: "Discovery".into(),
                    previously: vec![],
                    spec: meeting_type_spec(45, &["Day before"]),
                    source: src("sales.yaml", 210),
                },
            );
        }
    }
    match pick(4) {
        0 => {}
        1 => sales.reminders.get_mut("Day before").unwrap().spec.body = "Changed.".into(),
        2 => {
            let mut day = sales.reminders.remove("Day before").unwrap();
            day.name = "The day before".into();
            day.previously = vec!["Day before".into()];
            sales.reminders.insert(day.name.clone(), day);
            for meeting_type in sales.meeting_types.values_mut() {
                if let Some(list) = &mut meeting_type.spec.reminders
                    && list.remove("Day before")
                {
                    list.insert("The day before".into());
                }
            }
        }
        _ => {
            sales.reminders.insert(
                "Week before".into(),
                DesiredReminder {
                    name: "Week before".into(),
                    previously: vec![],
                    spec: reminder_spec(168, "Save the date."),
                    source: src("sales.yaml", 200),
                },
            );
            if let Some(list) = &mut sales.meeting_types.get_mut("Demo").unwrap().spec.reminders {
                list.insert("Week before".into());
            }
        }
    }
    let demo_link = sales.links.get_mut("demo-sales").unwrap();
    demo_link.spec.target = LinkTarget::RoundRobin {
        distributions: match pick(3) {
            0 => vec!["Inbound Demo Requests".into(), "Enterprise Leads".into()],
            1 => vec!["Enterprise Leads".into(), "Inbound Demo Requests".into()],
            _ => vec!["Inbound Demo Requests".into()],
        },
    };
    if pick(3) == 0 {
        let mut link = sales.links.remove("demo-sales").unwrap();
        link.slug = "demo".into();
        link.previously = vec!["demo-sales".into()];
        sales.links.insert(link.slug.clone(), link);
    }
    match pick(3) {
        0 => {}
        // Dropped: pruned, or left alone and listed.
        1 => {
            sales.links.remove("intro");
            if prune {
                // Intro is offered by no link now, and may go too.
                sales.meeting_types.remove("Intro");
                sales.reminders.remove("Email 1 hour before");
            }
        }
        _ => {
            let offered: Vec<String> = sales.meeting_types.keys().cloned().collect();
            sales.links.insert(
                "everything".into(),
                DesiredLink {
                    slug: "everything".into(),
                    previously: vec![],
                    spec: LinkSpec {
                        name: "Everything".into(),
                        meeting_types: offered,
                        target: LinkTarget::AdminOneOnOne,
                    },
                    source: src("sales.yaml", 220),
                },
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn booking_plans_keep_their_order_and_converge(choices in proptest::collection::vec(any::<u8>(), 8)) {
        let live = booking_live();
        let mut desired = booking_desired(&live);
        edit(&mut desired, &choices);
        let options = PlanOptions::new(&desired, true);
        let planned = plan(&desired, &live, &options);
        prop_assert_eq!(order_violations(&planned), Vec::<String>::new());
        prop_assert!(
            planned.errors.is_empty(),
            "refused: {}",
            render::text(&planned, false)
        );
        if planned.outcome() == PlanOutcome::Changes {
            let after = apply_booking(&live, &planned);
            let again = plan(&desired, &after, &options);
            prop_assert_eq!(
                again.outcome(),
                PlanOutcome::NoChanges,
                "after:\n{}\nplan:\n{}",
                render::text(&again, false),
                render::text(&planned, false)
            );
        }
    }
}
