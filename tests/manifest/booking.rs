//! Meeting types, reminders and scheduling links in manifests: what a valid set loads into
//! (lengths of time in both forms, locations, sharing, reminders, the four link kinds, what an
//! omitted key leaves alone), and the rendered problem of each mistake, with its place and
//! hint.

use std::collections::BTreeSet;

use scoville::manifest;
use scoville::model::{
    BookingLimit, BookingLimitBy, BookingLimitTimeframe, Buffers, Desired, Email, LinkTarget,
    LocationHost, LocationKind, MeetingTypeStatus, ObjectKind, ReminderChannel, SharedWith, Span,
    TriggerKind,
};

const USERS: &str = "users:
  ava@acme.example:
  liam@acme.example:
";

/// A Sales workspace with a team and two distributions, followed by `rest` (more keys of
/// Sales, indented by four spaces).
fn sales(rest: &str) -> Vec<(String, String)> {
    let sales = format!(
        "workspaces:
  Sales:
    members: [ava@acme.example, liam@acme.example]
    teams:
      sdr: [ava@acme.example, liam@acme.example]
    distributions:
      Inbound:
        team: sdr
        meeting: {{handling: {{type: Strict, hideAssignee: false}}}}
      Overflow:
        team: sdr
        meeting: {{handling: {{type: Strict, hideAssignee: false}}}}
{rest}"
    );
    vec![
        ("users.yaml".to_string(), USERS.to_string()),
        ("sales.yaml".to_string(), sales),
    ]
}

fn load(files: &[(String, String)]) -> Desired {
    manifest::load_texts(files).unwrap_or_else(|d| panic!("{}", d.render_text()))
}

fn problems(files: &[(String, String)]) -> String {
    match manifest::load_texts(files) {
        Ok(_) => panic!("loaded without problems, but the case expects some"),
        Err(diagnostics) => diagnostics.render_text(),
    }
}

const VALID: &str = "    reminders:
      Day before:
        channel: Email
        trigger: {kind: BeforeMeeting, offset: 1d}
        title: See you tomorrow
        body: Your meeting with {!CP.Host.FullName} is tomorrow.
        sendTo: SendToAllGuests
        sendFrom: SendFromNoReply
      Follow-up:
        channel: Sms
        trigger: {kind: AfterMeeting, offset: 30 minutes}
        body: Thanks for your time.
        smsSendFrom: LocalAreaNumber
        previously: [Thanks]
    meetingTypes:
      Demo:
        duration: 30m
        description: First call with a prospect
        inviteTitle: Acme demo with {!CP.Host.FullName}
        status: Active
        location:
          default: {type: ZoomOneTimeLink, host: Host}
          others:
            - {type: AskTheGuest}
            - {type: DefinedInMeetingType, value: 1 Main Street}
        buffers: {before: 5m, after: 1h30m}
        meetingLimit: {limitBy: Email, timeframe: Weekly, count: 2}
        sharedWith: {teams: [sdr]}
        reminders: [Day before]
        previously: [Product demo]
      Discovery:
        duration: 1 hour
        sharedWith: workspace
        reminders: []
    schedulingLinks:
      demo-sales:
        kind: round-robin
        name: Book a demo
        meetingTypes: [Demo, Discovery]
        distributions: [Inbound, Overflow]
        previously: [demo]
      team-call:
        kind: group
        name: Meet the team
        meetingTypes: [Discovery]
        host: Ava@Acme.example
        members: {required: [liam@acme.example], optional: [noah@acme.example]}
      intro:
        kind: admin-one-on-one
        name: Intro
        meetingTypes: [Demo]
      owner:
        kind: ownership
        name: Talk to your account owner
        meetingTypes: [Demo]
        distributions:
          - {name: Inbound, required: true}
          - {name: Overflow, required: false}
";

#[test]
fn meeting_types_reminders_and_links_load_into_the_domain_types() {
    let desired = load(&sales(VALID));
    let sales = &desired.workspaces["Sales"];

    let demo = &sales.meeting_types["Demo"];
    assert_eq!(demo.previously, ["Product demo"]);
    assert_eq!(demo.spec.duration, Span(1800));
    assert_eq!(demo.spec.status, Some(MeetingTypeStatus::Active));
    assert_eq!(
        demo.spec.buffers,
        Some(Buffers {
            before: Some(Span(300)),
            after: Some(Span(5400)),
        })
    );
    assert_eq!(
        demo.spec.meeting_limit,
        Some(BookingLimit {
            limit_by: BookingLimitBy::Email,
            timeframe: BookingLimitTimeframe::Weekly,
            count: 2,
        })
    );
    let location = demo.spec.location.as_ref().expect("a location");
    assert_eq!(location.default.kind, LocationKind::ZoomOneTimeLink);
    assert_eq!(location.default.host, Some(LocationHost::Host));
    assert_eq!(location.others.len(), 2);
    assert_eq!(location.others[1].value.as_deref(), Some("1 Main Street"));
    assert_eq!(
        demo.spec.shared_with,
        Some(SharedWith::Teams(BTreeSet::from(["sdr".to_string()])))
    );
    assert_eq!(
        demo.spec.reminders,
        Some(BTreeSet::from(["Day before".to_string()]))
    );
    assert_eq!(
        demo.spec.description.as_deref(),
        Some("First call with a prospect")
    );
    assert_eq!(demo.spec.invite_description, None, "omitted: left alone");

    // The API's own form of a length of time is read too.
    let discovery = &sales.meeting_types["Discovery"];
    assert_eq!(discovery.spec.duration, Span(3600));
    assert_eq!(discovery.spec.shared_with, Some(SharedWith::Workspace));
    assert_eq!(
        discovery.spec.reminders,
        Some(BTreeSet::new()),
        "`[]` is none"
    );
    assert_eq!(discovery.spec.location, None);

    let follow_up = &sales.reminders["Follow-up"].spec;
    assert_eq!(follow_up.channel, ReminderChannel::Sms);
    assert_eq!(follow_up.trigger.kind, TriggerKind::AfterMeeting);
    assert_eq!(follow_up.trigger.offset, Some(Span(1800)));
    assert_eq!(sales.reminders["Follow-up"].previously, ["Thanks"]);
    assert_eq!(
        sales.reminders["Day before"].spec.trigger.offset,
        Some(Span(86_400))
    );

    let round_robin = &sales.links["demo-sales"];
    assert_eq!(round_robin.previously, ["demo"]);
    assert_eq!(round_robin.spec.name, "Book a demo");
    assert_eq!(round_robin.spec.meeting_types, ["Demo", "Discovery"]);
    assert_eq!(
        round_robin.spec.target,
        LinkTarget::RoundRobin {
            distributions: vec!["Inbound".to_string(), "Overflow".to_string()]
        }
    );
    let email = |text: &str| Email::parse(text).expect("test email");
    assert_eq!(
        sales.links["team-call"].spec.target,
        LinkTarget::Group {
            host: Some(email("ava@acme.example")),
            required: BTreeSet::from([email("liam@acme.example")]),
            // Not a declared user: the plan checks that the person exists.
            optional: BTreeSet::from([email("noah@acme.example")]),
        }
    );
    assert_eq!(sales.links["intro"].spec.target, LinkTarget::AdminOneOnOne);
    assert_eq!(
        sales.links["owner"].spec.target,
        LinkTarget::Ownership {
            distributions: vec![
                ("Inbound".to_string(), true),
                ("Overflow".to_string(), false)
            ]
        }
    );
    for kind in [
        ObjectKind::MeetingTypes,
        ObjectKind::Reminders,
        ObjectKind::SchedulingLinks,
    ] {
        assert!(!sales.left_alone.contains(&kind), "{kind:?} is managed");
    }
}

/// An omitted collection is left alone (and its names are checked against the live org by the
/// planner, not here); `{}` manages it as empty.
#[test]
fn omitted_collections_are_left_alone_and_references_into_them_wait_for_the_plan() {
    let desired = load(&sales(
        "    meetingTypes:
      Demo:
        duration: 30m
        reminders: [Set up live only]
        sharedWith: {teams: [sdr]}
    schedulingLinks: {}
",
    ));
    let sales = &desired.workspaces["Sales"];
    assert!(sales.left_alone.contains(&ObjectKind::Reminders));
    assert!(!sales.left_alone.contains(&ObjectKind::MeetingTypes));
    assert!(!sales.left_alone.contains(&ObjectKind::SchedulingLinks));
    assert!(sales.links.is_empty());

    // Teams, distributions and meeting types left alone: names are not checked offline.
    let files = vec![
        ("users.yaml".to_string(), USERS.to_string()),
        (
            "sales.yaml".to_string(),
            "workspaces:
  Sales:
    meetingTypes:
      Demo: {duration: 30m, sharedWith: {teams: [live-team]}}
  Support:
    schedulingLinks:
      help:
        kind: round-robin
        name: Get help
        meetingTypes: [Live meeting type]
        distributions: [Live distribution]
"
            .to_string(),
        ),
    ];
    let desired = load(&files);
    assert!(
        desired.workspaces["Support"]
            .left_alone
            .contains(&ObjectKind::MeetingTypes)
    );
}

#[test]
fn policy_prunes_and_ignores_the_new_kinds() {
    let mut files = sales("    meetingTypes: {}\n");
    files.push((
        "org.yaml".to_string(),
        "org:
  policy:
    prune:
      Sales: [meetingTypes, reminders, schedulingLinks]
    ignore:
      - {object: meetingType:Sales/Demo, reason: trial}
      - {object: reminder:Sales/Day before, reason: trial}
      - {object: link:Sales/demo-sales, reason: trial}
"
        .to_string(),
    ));
    let desired = load(&files);
    let pruned: Vec<ObjectKind> = desired.policy.prune["Sales"].keys().copied().collect();
    assert_eq!(
        pruned,
        [
            ObjectKind::MeetingTypes,
            ObjectKind::Reminders,
            ObjectKind::SchedulingLinks
        ]
    );
    assert_eq!(desired.policy.ignore.len(), 3);

    let mut files = sales("");
    files.push((
        "org.yaml".to_string(),
        "org:
  policy:
    ignore:
      - {object: link:Sales/Demo Sales, reason: trial}
      - {object: meetingType:Sales, reason: trial}
      - {object: meetingtype:Sales/Demo, reason: trial}
"
        .to_string(),
    ));
    insta::assert_snapshot!(problems(&files));
}

#[test]
fn lengths_of_time_locations_limits_and_triggers_are_checked() {
    insta::assert_snapshot!(problems(&sales(
        "    reminders:
      Booked:
        channel: Email
        trigger: {kind: MeetingBooked}
        body: Thanks for booking
      No offset:
        channel: Email
        trigger: {kind: BeforeMeeting}
        body: Soon
      Wrong channel:
        channel: Email
        trigger: {kind: BeforeMeeting, offset: 2 fortnights}
        body: Soon
        smsSendFrom: AnyNumber
    meetingTypes:
      Demo:
        duration: half an hour
        buffers: {before: 5 min, after: 10x}
        meetingLimit: {limitBy: Domain, timeframe: Daily, count: -1}
      Nothing:
        duration: 0m
      Places:
        duration: 45m
        location:
          default: {type: ZoomOneTimeLink}
          others:
            - {type: AskTheGuest, host: Host}
            - {type: DefinedInMeetingType}
            - {type: TeamsMeetingLink, host: Host, value: somewhere}
            - {type: DefinedInMeetingType, value: ' '}
"
    )));
}

#[test]
fn references_by_name_must_be_declared_when_the_collection_is_managed() {
    insta::assert_snapshot!(problems(&sales(
        "    reminders:
      Day before: {channel: Email, trigger: {kind: BeforeMeeting, offset: 1d}, body: Soon}
    meetingTypes:
      Demo:
        duration: 30m
        reminders: [Day befor, Day before, Day before]
        sharedWith: {teams: [sdr, ae]}
    schedulingLinks:
      demo:
        kind: round-robin
        name: Demo
        meetingTypes: [Demo, Intro]
        distributions: [Inbound, Outbound, Inbound]
"
    )));
}

#[test]
fn each_link_kind_takes_its_own_keys() {
    insta::assert_snapshot!(problems(&sales(
        "    meetingTypes:
      Demo: {duration: 30m}
    schedulingLinks:
      Demo Sales:
        kind: round-robin
        name: Demo
        meetingTypes: [Demo]
        distributions: [{name: Inbound, required: true}]
        host: ava@acme.example
      no-distributions:
        kind: round-robin
        name: ' '
        meetingTypes: []
      empty-distributions:
        kind: round-robin
        name: Empty
        meetingTypes: [Demo]
        distributions: []
      team:
        kind: group
        name: Team
        meetingTypes: [Demo]
        distributions: [Inbound]
        host: not an email
        members: {required: [liam@acme.example], optional: [Liam@acme.example]}
      owner:
        kind: ownership
        name: Owner
        meetingTypes: [Demo]
        distributions: [Inbound]
        members: {required: [ava@acme.example]}
      crew:
        kind: group
        name: Crew
        meetingTypes: [Demo]
        members: {required: [ava@acme.example]}
      owner-without-fallback:
        kind: ownership
        name: Owner
        meetingTypes: [Demo]
      intro:
        kind: admin-one-on-one
        name: Intro
        meetingTypes: [Demo]
        previously: [Old_Intro]
"
    )));
}

#[test]
fn names_that_read_the_same_and_former_names_that_clash_are_refused() {
    insta::assert_snapshot!(problems(&sales(
        "    meetingTypes:
      Demo: {duration: 30m}
      \"Demo\\u200b\": {duration: 30m}
      Intro: {duration: 15m, previously: [Demo]}
    reminders:
      Soon: {channel: Email, trigger: {kind: BeforeMeeting, offset: 1h}, body: Soon, previously: [Later]}
      Sooner: {channel: Email, trigger: {kind: BeforeMeeting, offset: 2h}, body: Soon, previously: [Later]}
    schedulingLinks:
      demo: {kind: admin-one-on-one, name: Demo, meetingTypes: [Demo], previously: [intro]}
      intro: {kind: admin-one-on-one, name: Intro, meetingTypes: [Intro]}
"
    )));
}

/// A missing required key, an unknown key and an unknown kind are reported like everywhere
/// else in the manifests, with the closest known word.
#[test]
fn unknown_keys_and_values_of_the_new_kinds() {
    insta::assert_snapshot!(problems(&sales(
        "    meetingTypes:
      Demo: {duraton: 30m}
      Intro: {duration: 15m, status: Paused}
    reminders:
      Soon: {channel: Email, trigger: {kind: BeforeMeeting, offset: 1h}}
    schedulingLinks:
      demo: {kind: round_robin, name: Demo, meetingTypes: [Demo], distributions: [Inbound]}
    meetingtypes: {}
"
    )));
}

#[test]
fn a_length_of_time_longer_than_the_api_holds_is_refused_offline() {
    // `99999999999999d` fitted in u64 seconds, so it validated and planned, and only the
    // API (a Scala FiniteDuration stops near 106751 days) could refuse it at apply.
    let text = problems(&sales(
        "    meetingTypes:
      Forever:
        duration: 99999999999999d
        buffers: {before: 106752d, after: 999999999999999999999999m}
      Longest:
        duration: 106751d
",
    ));
    assert!(
        text.contains("`99999999999999d` is longer than the API can hold"),
        "{text}"
    );
    assert!(
        text.contains("`106752d` is longer than the API can hold"),
        "{text}"
    );
    assert!(
        text.contains("`999999999999999999999999m` is longer than the API can hold"),
        "{text}"
    );
    assert!(text.contains("use at most `106751d23h47m16s`"), "{text}");
    assert!(!text.contains("Longest"), "{text}");
    assert_eq!(
        scoville::model::Span::parse("106751 days"),
        Ok(scoville::model::Span(9_223_286_400))
    );
    assert!(scoville::model::Span::parse("9223372037 seconds").is_err());
    // Readable shapes stay unreadable, not too long.
    for text in [
        "-5m",
        "1.5h",
        "1h1h",
        "+30 minutes",
        "٣٠m",
        "Inf",
        "1 hour 30 minutes",
        "",
    ] {
        assert!(
            matches!(
                scoville::model::Span::parse(text),
                Err(scoville::model::SpanError::Unreadable(_))
            ),
            "{text}"
        );
    }
}

/// The API's fallback routing of an ownership link has at least one distribution: an empty
/// list is refused offline, not sent to fail at apply.
#[test]
fn an_ownership_link_without_fallback_distributions_is_refused() {
    let text = problems(&sales(
        "    meetingTypes:
      Demo: {duration: 30m}
    schedulingLinks:
      owner:
        kind: ownership
        name: Your owner
        meetingTypes: [Demo]
        distributions: []
",
    ));
    assert!(
        text.contains("needs at least one fallback distribution"),
        "{text}"
    );
    assert!(text.contains("sales.yaml:"), "{text}");
}
