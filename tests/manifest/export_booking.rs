//! `export` of meeting types, reminders and scheduling links: from a hand-built live workspace,
//! the exported manifests validate, load back into the live values (a group link without its
//! host and members, which the API does not return), plan to no changes, and say what they
//! leave out and why.

use std::collections::{BTreeMap, BTreeSet};

use scoville::manifest::{self, ExportedFile};
use scoville::model::*;
use scoville::plan::{self, PlanOptions};

fn email(text: &str) -> Email {
    Email::parse(text).expect("test email")
}

fn reminder(id: &str, name: &str, channel: ReminderChannel, kind: TriggerKind) -> LiveReminder {
    LiveReminder {
        id: id.to_string(),
        name: name.to_string(),
        spec: ReminderSpec {
            channel,
            trigger: Trigger {
                kind,
                offset: (kind != TriggerKind::MeetingBooked).then_some(Span(3600)),
            },
            title: Some("See you: {!CP.Host.FullName}".to_string()),
            body: "Your meeting starts soon.\nReply to reschedule.".to_string(),
            send_to: Some(ReminderSendTo::SendToMainGuestOnly),
            send_from: Some(ReminderSendFrom::SendFromHost),
            sms_send_from: Some(ReminderSmsSendFrom::AnyNumber),
        },
    }
}

fn meeting_type(id: &str, name: &str, reminders: &[&str]) -> LiveMeetingType {
    LiveMeetingType {
        id: id.to_string(),
        name: name.to_string(),
        spec: MeetingTypeSpec {
            duration: Span(45 * 60),
            description: Some("internal".to_string()),
            invite_title: Some("Demo with {!CP.Host.FullName}".to_string()),
            invite_description: None,
            status: Some(MeetingTypeStatus::Active),
            location: Some(Locations {
                default: Location {
                    kind: LocationKind::ZoomOneTimeLink,
                    host: Some(LocationHost::AssigneeIfExists),
                    value: None,
                },
                others: vec![Location {
                    kind: LocationKind::DefinedInMeetingType,
                    host: None,
                    value: Some("1 Main Street, Springfield".to_string()),
                }],
            }),
            buffers: Some(Buffers {
                before: Some(Span(300)),
                after: Some(Span(5400)),
            }),
            meeting_limit: Some(BookingLimit {
                limit_by: BookingLimitBy::Domain,
                timeframe: BookingLimitTimeframe::Monthly,
                count: 3,
            }),
            shared_with: Some(SharedWith::Teams(BTreeSet::from(["sdr".to_string()]))),
            reminders: Some(reminders.iter().map(|r| r.to_string()).collect()),
        },
        // As the reader gives them: the ids of the reminders named above.
        reminder_ids: reminders
            .iter()
            .map(|name| match *name {
                "Day before" => "r1",
                "Legacy" => "r2",
                "Text" => "r3",
                other => other,
            })
            .map(str::to_string)
            .collect(),
    }
}

fn link(id: &str, slug: &str, meeting_types: &[&str], target: LinkTarget) -> LiveLink {
    LiveLink {
        id: id.to_string(),
        slug: slug.to_string(),
        booking_url: format!("https://acme.chilipiper.com/book/{slug}"),
        spec: LinkSpec {
            name: format!("Link {slug}"),
            meeting_types: meeting_types.iter().map(|m| m.to_string()).collect(),
            target,
        },
        resolved_members: Vec::new(),
        fallback_routing: None,
    }
}

fn distribution(id: &str, name: &str) -> LiveDistribution {
    LiveDistribution {
        id: id.to_string(),
        name: name.to_string(),
        team_id: "t1".to_string(),
        team_revision: 1,
        spec: DistributionSpec {
            team: "sdr".to_string(),
            assignment: Assignment::Conversation,
            weights: BTreeMap::from([(email("ava@acme.example"), 100)]),
            calibration: BTreeMap::new(),
            capping: None,
        },
        meta: Meta::default(),
    }
}

fn live() -> Live {
    let users: BTreeMap<Email, LiveUser> = ["ava@acme.example", "liam@acme.example"]
        .into_iter()
        .enumerate()
        .map(|(n, address)| {
            let user = LiveUser {
                id: format!("u{n}"),
                email: email(address),
                name: String::new(),
                licenses: BTreeSet::new(),
                tier: None,
            };
            (email(address), user)
        })
        .collect();
    let round_robin = LinkTarget::RoundRobin {
        distributions: vec!["Inbound".to_string(), "Overflow".to_string()],
    };
    let sales = LiveWorkspace {
        id: "w1".to_string(),
        name: "Sales".to_string(),
        meta: Meta::default(),
        members: users.keys().cloned().collect(),
        teams: vec![LiveTeam {
            id: "t1".to_string(),
            name: "sdr".to_string(),
            members: BTreeSet::from([email("ava@acme.example")]),
            added_at: BTreeMap::new(),
            unknown_member_ids: BTreeSet::new(),
            meta: Meta::default(),
        }],
        distributions: vec![
            distribution("d1", "Inbound"),
            distribution("d2", "Overflow"),
        ],
        rules: Vec::new(),
        settings: None,
        personal: false,
        reminders: Some(vec![
            reminder(
                "r1",
                "Day before",
                ReminderChannel::Email,
                TriggerKind::BeforeMeeting,
            ),
            reminder(
                "r2",
                "Legacy",
                ReminderChannel::Email,
                TriggerKind::MeetingBooked,
            ),
            reminder(
                "r3",
                "Text",
                ReminderChannel::Sms,
                TriggerKind::AfterMeeting,
            ),
        ]),
        meeting_types: Some(vec![
            meeting_type("m1", "Demo", &["Day before", "Text"]),
            // Attached to a reminder export skips: its attachments are left alone.
            meeting_type("m2", "Intro", &["Legacy"]),
            meeting_type("m3", "Twin", &[]),
            meeting_type("m4", "Twin", &[]),
        ]),
        links: Some(vec![
            link("l1", "demo-sales", &["Demo", "Intro"], round_robin),
            link(
                "l2",
                "team",
                &["Demo"],
                LinkTarget::Group {
                    host: None,
                    required: BTreeSet::new(),
                    optional: BTreeSet::new(),
                },
            ),
            link("l3", "intro", &["Intro"], LinkTarget::AdminOneOnOne),
            link(
                "l4",
                "owner",
                &["Demo"],
                LinkTarget::Ownership {
                    distributions: vec![("Inbound".to_string(), true)],
                },
            ),
            link("l5", "twin-offer", &["Twin"], LinkTarget::AdminOneOnOne),
            link("l6", "Not A Slug", &["Demo"], LinkTarget::AdminOneOnOne),
        ]),
    };
    // A workspace whose booking objects were not read: nothing is written for them.
    let unread = LiveWorkspace {
        id: "w2".to_string(),
        name: "Support".to_string(),
        meta: Meta::default(),
        members: BTreeSet::new(),
        teams: Vec::new(),
        distributions: Vec::new(),
        rules: Vec::new(),
        settings: None,
        personal: false,
        meeting_types: None,
        reminders: None,
        links: None,
    };
    Live {
        tenant: Some(LiveTenant {
            tenant_id: "acme-corp.app3".to_string(),
            subdomain: "acme-corp".to_string(),
        }),
        users,
        workspaces: [sales, unread]
            .into_iter()
            .map(|w| (w.name.clone(), w))
            .collect(),
        opaque: Vec::new(),
        unknown_fields: Vec::new(),
        booking_unread: None,
    }
}

fn exported() -> (Vec<ExportedFile>, Desired) {
    let files = manifest::export(&live());
    let texts: Vec<(String, String)> = files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|f| (f.path.display().to_string(), f.contents.clone()))
        .collect();
    match manifest::load_texts(&texts) {
        Ok(desired) => (files, desired),
        Err(diagnostics) => panic!(
            "exported manifests do not load:\n{}\n{}",
            diagnostics.render_text(),
            texts
                .iter()
                .map(|(name, text)| format!("--- {name}\n{text}"))
                .collect::<String>()
        ),
    }
}

fn sales_file(files: &[ExportedFile]) -> &str {
    &files
        .iter()
        .find(|f| f.path.to_str() == Some("sales.yaml"))
        .expect("sales.yaml")
        .contents
}

#[test]
fn exported_booking_objects_load_back_into_the_live_values() {
    let live = live();
    let (_, desired) = exported();
    let sales = &desired.workspaces["Sales"];
    let live_sales = &live.workspaces["Sales"];

    assert_eq!(
        sales
            .reminders
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["Day before", "Text"]
    );
    for (name, reminder) in &sales.reminders {
        let live_reminder = live_sales
            .reminders
            .iter()
            .flatten()
            .find(|r| &r.name == name)
            .expect("live reminder");
        let mut expected = live_reminder.spec.clone();
        if expected.channel == ReminderChannel::Email {
            // `validate` takes it on SMS reminders only: left out, it stays as it is live.
            expected.sms_send_from = None;
        }
        assert_eq!(reminder.spec, expected, "{name}");
    }

    assert_eq!(
        sales
            .meeting_types
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["Demo", "Intro"]
    );
    let live_demo = &live_sales.meeting_types.as_ref().expect("read")[0];
    assert_eq!(sales.meeting_types["Demo"].spec, live_demo.spec);
    assert_eq!(
        sales.meeting_types["Intro"].spec.reminders, None,
        "attached to a skipped reminder: left alone"
    );

    assert_eq!(
        sales.links.keys().map(String::as_str).collect::<Vec<_>>(),
        ["demo-sales", "intro", "owner", "team"]
    );
    for (slug, link) in &sales.links {
        let live_link = live_sales
            .links
            .iter()
            .flatten()
            .find(|l| &l.slug == slug)
            .expect("live link");
        assert_eq!(link.spec, live_link.spec, "{slug}");
    }

    let support = &desired.workspaces["Support"];
    for kind in [
        ObjectKind::MeetingTypes,
        ObjectKind::Reminders,
        ObjectKind::SchedulingLinks,
    ] {
        assert!(support.left_alone.contains(&kind), "{kind:?}");
    }
}

#[test]
fn exported_booking_objects_plan_to_no_changes() {
    let live = live();
    let (_, desired) = exported();
    let plan = plan::plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert!(
        plan.steps.is_empty() && plan.errors.is_empty(),
        "{:#?}",
        (&plan.steps, &plan.errors)
    );
}

#[test]
fn what_export_leaves_out_of_booking_objects_is_said() {
    let (files, _) = exported();
    let sales = sales_file(&files);
    let expected = [
        "# skipped reminder \"Legacy\": it has the legacy `MeetingBooked` trigger",
        "# reminders left out: Legacy not written to the manifests",
        "# skipped meeting type \"Twin\": another object of this kind has the same name",
        "# skipped scheduling link \"twin-offer\": its meeting types Twin are not written",
        "# skipped scheduling link \"Not A Slug\": its slug is not lowercase letters",
        "# host and members: the API does not return them",
        "# the ownership routing (owner lookup, host, booker invitation) stays as it is live",
    ];
    for line in expected {
        assert!(sales.contains(line), "missing `{line}` in:\n{sales}");
    }
    let notes = manifest::export_skipped(&live());
    assert_eq!(
        notes,
        [
            "group link `team` of workspace `Sales`: the API does not return its host and members, so they are not written; add `host:` and `members:` to manage them"
        ]
    );
}

#[test]
fn exported_lengths_of_time_use_the_manifest_form() {
    let (files, _) = exported();
    let sales = sales_file(&files);
    for line in [
        "        duration: 45m\n",
        "        buffers: {before: 5m, after: 1h30m}\n",
        "        trigger: {kind: BeforeMeeting, offset: 1h}\n",
    ] {
        assert!(sales.contains(line), "missing `{line}` in:\n{sales}");
    }
}
