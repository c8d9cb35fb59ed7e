//! Applying meeting types, reminders and scheduling links: the real HTTP client and applier
//! against the real emulator (the demo org). A new meeting type offered on a new round-robin
//! link over two distributions applies and plans again to no changes; a meeting-type-create
//! whose answer is lost is sent again with the same idempotency key and makes one meeting type;
//! a link create whose answer is lost is read back, not sent twice.
//! Repeated applies under faults converge without a duplicate, and pruning the layer under
//! lost delete answers reads each delete back.

use std::sync::Arc;
use std::time::Duration;

use scoville::apply::{self, ApplyOptions, ApplyReport, StepStatus};
use scoville::edge::{ApiToken, ClientOptions, EdgeClient, Endpoint, RetryPolicy, ops};
use scoville::emulator::{self, DEMO_ADMIN_TOKEN, Fault, FaultConfig, Options, Running};
use scoville::live::{self, Scope};
use scoville::model::*;
use scoville::plan::{Plan, PlanInputs, PlanOptions, PlanOutcome, plan};

async fn start() -> (Running, EdgeClient) {
    let running = emulator::start(Options::new(emulator::demo_seed()))
        .await
        .expect("the emulator starts");
    let client = EdgeClient::new(
        Endpoint::parse(&running.base_url()).unwrap(),
        ApiToken::from_literal(DEMO_ADMIN_TOKEN).unwrap(),
        ClientOptions {
            parallelism: 4,
            retry: RetryPolicy {
                max_attempts: 4,
                min_delay: Duration::from_millis(1),
                max_delay: Duration::from_millis(2),
                max_retry_after: Duration::from_millis(2),
                jitter_seed: Some(7),
            },
            request_timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    (running, client)
}

/// The org as `scoville plan` reads it for these manifests.
async fn read(client: &EdgeClient, desired: &Desired) -> Live {
    live::fetch(client, &Scope::for_desired(desired))
        .await
        .expect("the org reads")
}

fn source(line: u32) -> Source {
    Source {
        file: "booking.yaml".into(),
        line,
        column: 1,
    }
}

/// The acme example manifests with, in `Sales`, a reminder, a meeting type that lists it
/// (so the seeded one goes) and a round-robin link offering it over two distributions.
fn desired_with_booking() -> Desired {
    let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let mut desired =
        scoville::manifest::load(&[acme]).unwrap_or_else(|d| panic!("{}", d.render_text()));
    let sales = desired.workspaces.get_mut("Sales").unwrap();
    // Only what these tests declare: not the example's own booking layer.
    sales.reminders.clear();
    sales.meeting_types.clear();
    sales.links.clear();
    for kind in [
        ObjectKind::MeetingTypes,
        ObjectKind::Reminders,
        ObjectKind::SchedulingLinks,
    ] {
        sales.left_alone.remove(&kind);
    }
    sales.reminders.insert(
        "Day before".into(),
        DesiredReminder {
            name: "Day before".into(),
            previously: vec![],
            spec: ReminderSpec {
                channel: ReminderChannel::Email,
                trigger: Trigger {
                    kind: TriggerKind::BeforeMeeting,
                    offset: Some(Span(86_400)),
                },
                title: Some("Tomorrow with Acme".into()),
                body: "Reschedule: {!CP.Meeting.RescheduleUrl}".into(),
                send_to: None,
                send_from: None,
                sms_send_from: None,
            },
            source: source(1),
        },
    );
    sales.meeting_types.insert(
        "Discovery".into(),
        DesiredMeetingType {
            name: "Discovery".into(),
            previously: vec![],
            spec: MeetingTypeSpec {
                duration: Span(45 * 60),
                description: None,
                invite_title: Some("Discovery call with Acme".into()),
                invite_description: None,
                status: Some(MeetingTypeStatus::Active),
                location: None,
                buffers: Some(Buffers {
                    before: Some(Span(300)),
                    after: None,
                }),
                meeting_limit: None,
                shared_with: None,
                reminders: Some(["Day before".to_string()].into()),
            },
            source: source(10),
        },
    );
    sales.links.insert(
        "discovery".into(),
        DesiredLink {
            slug: "discovery".into(),
            previously: vec![],
            spec: LinkSpec {
                name: "Book a discovery call".into(),
                meeting_types: vec!["Discovery".into()],
                target: LinkTarget::RoundRobin {
                    distributions: vec!["Inbound Demo Requests".into(), "Enterprise Leads".into()],
                },
            },
            source: source(20),
        },
    );
    desired
}

async fn plan_now(client: &EdgeClient, desired: &Desired) -> Plan {
    let live = read(client, desired).await;
    plan(desired, &live, &PlanOptions::new(desired, false))
}

async fn apply_plan(client: &EdgeClient, plan: &Plan) -> ApplyReport {
    apply::run(
        client,
        plan,
        &ApplyOptions::default(),
        Arc::new(apply::SilentProgress),
    )
    .await
}

fn sent(running: &Running, operation: &str) -> usize {
    running
        .control()
        .journal()
        .into_iter()
        .filter(|e| e.operation.as_deref() == Some(operation))
        .count()
}

#[tokio::test]
async fn a_new_meeting_type_on_a_new_round_robin_link_applies_and_converges() {
    let (_running, client) = start().await;
    let desired = desired_with_booking();
    let first = plan_now(&client, &desired).await;
    assert_eq!(first.outcome(), PlanOutcome::Changes, "{:?}", first.errors);
    let report = apply_plan(&client, &first).await;
    assert!(report.succeeded(), "{}", report.render_text());
    let again = plan_now(&client, &desired).await;
    assert_eq!(
        again.outcome(),
        PlanOutcome::NoChanges,
        "{}",
        scoville::render::text(&again, false)
    );
    let live = read(&client, &desired).await;
    let sales = &live.workspaces["Sales"];
    let discovery = sales
        .meeting_types
        .iter()
        .flatten()
        .find(|m| m.name == "Discovery")
        .unwrap();
    assert_eq!(
        discovery.spec.reminders,
        Some(["Day before".to_string()].into()),
        "the seeded reminder is detached"
    );
    assert!(
        sales
            .reminders
            .iter()
            .flatten()
            .all(|r| r.name != "Email 1 hour before"),
        "and deleted"
    );
}

#[tokio::test]
async fn a_lost_meeting_type_create_answer_is_resent_with_the_same_key_and_makes_one() {
    let (running, client) = start().await;
    let desired = desired_with_booking();
    let first = plan_now(&client, &desired).await;
    running.control().set_faults(FaultConfig {
        operations: vec!["meeting-type-create".into()],
        script: vec![Fault::AmbiguousDrop],
        ..FaultConfig::default()
    });
    running.control().clear_journal();
    let report = apply_plan(&client, &first).await;
    running.control().set_faults(FaultConfig::default());
    assert!(report.succeeded(), "{}", report.render_text());
    let creates: Vec<_> = running
        .control()
        .journal()
        .into_iter()
        .filter(|e| e.operation.as_deref() == Some("meeting-type-create"))
        .collect();
    assert_eq!(creates.len(), 2, "sent again, with no read-back before it");
    let live = read(&client, &desired).await;
    let named: Vec<_> = live.workspaces["Sales"]
        .meeting_types
        .iter()
        .flatten()
        .filter(|m| m.name == "Discovery")
        .collect();
    assert_eq!(named.len(), 1, "one meeting type");
    let again = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert_eq!(
        again.outcome(),
        PlanOutcome::NoChanges,
        "{}",
        scoville::render::text(&again, false)
    );
}

#[tokio::test]
async fn a_lost_link_create_answer_is_read_back_not_sent_twice() {
    let (running, client) = start().await;
    let desired = desired_with_booking();
    let first = plan_now(&client, &desired).await;
    let operation = "scheduling-link-create-round-robin";
    running.control().set_faults(FaultConfig {
        operations: vec![operation.into()],
        script: vec![Fault::AmbiguousError],
        ..FaultConfig::default()
    });
    running.control().clear_journal();
    let report = apply_plan(&client, &first).await;
    running.control().set_faults(FaultConfig::default());
    assert!(report.succeeded(), "{}", report.render_text());
    assert_eq!(sent(&running, operation), 1, "read back, never sent twice");
    let step = report.steps.iter().find(|s| s.op == operation).unwrap();
    assert!(
        matches!(
            step.status,
            StepStatus::Done {
                read_back: true,
                ..
            }
        ),
        "{:?}",
        step.status
    );
    let again = plan_now(&client, &desired).await;
    assert_eq!(
        again.outcome(),
        PlanOutcome::NoChanges,
        "{}",
        scoville::render::text(&again, false)
    );
}

/// Under a mix of faults (5xx, 429, dropped connections and writes whose answer is lost),
/// repeated applies converge, and no create is ever duplicated: one meeting type, one link and
/// one declared reminder of each name.
#[tokio::test]
async fn booking_converges_under_faults_without_duplicate_creates() {
    for seed in 1..=12u64 {
        let (running, client) = start().await;
        let desired = desired_with_booking();
        let mut rounds = 0;
        loop {
            let planned = plan_now(&client, &desired).await;
            assert!(
                planned.errors.is_empty(),
                "seed {seed}: {:?}",
                planned.errors
            );
            if planned.outcome() == PlanOutcome::NoChanges {
                break;
            }
            rounds += 1;
            assert!(rounds <= 8, "seed {seed}: no convergence after 8 applies");
            running.control().set_faults(FaultConfig {
                // Another sequence of faults each round, as another day would bring.
                seed: seed * 100 + rounds,
                error_rate: 0.1,
                rate_limit_rate: 0.05,
                drop_rate: 0.1,
                ambiguous_rate: 0.4,
                // The booking operations, reads included (the read-backs).
                operations: ops::ALL
                    .iter()
                    .map(|op| op.id)
                    .filter(|id| {
                        id.starts_with("meeting-type") || id.starts_with("scheduling-link")
                    })
                    .map(str::to_string)
                    .collect(),
                ..FaultConfig::default()
            });
            apply_plan(&client, &planned).await;
            running.control().set_faults(FaultConfig::default());
        }
        let live = read(&client, &desired).await;
        let sales = &live.workspaces["Sales"];
        let count = |names: Vec<&str>, wanted: &str| names.iter().filter(|n| **n == wanted).count();
        let meeting_types: Vec<&str> = sales
            .meeting_types
            .iter()
            .flatten()
            .map(|m| m.name.as_str())
            .collect();
        let reminders: Vec<&str> = sales
            .reminders
            .iter()
            .flatten()
            .map(|r| r.name.as_str())
            .collect();
        let slugs: Vec<&str> = sales
            .links
            .iter()
            .flatten()
            .map(|l| l.slug.as_str())
            .collect();
        assert_eq!(count(meeting_types, "Discovery"), 1, "seed {seed}");
        assert_eq!(count(reminders, "Day before"), 1, "seed {seed}");
        assert_eq!(count(slugs, "discovery"), 1, "seed {seed}");
    }
}

/// Pruning the booking layer (links, then the meeting type they offered, and the reminders)
/// under lost answers of the deletes: each delete is read back, the order holds against the
/// emulator's in-use rules, and a plan made afterwards has nothing left to do.
#[tokio::test]
async fn pruning_the_booking_layer_under_lost_delete_answers_converges() {
    let (running, client) = start().await;
    let built = desired_with_booking();
    let report = apply_plan(&client, &plan_now(&client, &built).await).await;
    assert!(report.succeeded(), "{}", report.render_text());

    let mut desired = built.clone();
    let sales = desired.workspaces.get_mut("Sales").unwrap();
    sales.reminders.clear();
    sales.meeting_types.clear();
    sales.links.clear();
    let kinds = desired.policy.prune.entry("Sales".to_string()).or_default();
    for kind in [
        ObjectKind::MeetingTypes,
        ObjectKind::Reminders,
        ObjectKind::SchedulingLinks,
    ] {
        kinds.insert(kind, source(30));
    }
    let options = PlanOptions::new(&desired, true);
    let planned = plan(&desired, &read(&client, &desired).await, &options);
    let ids: Vec<&str> = planned.steps.iter().map(|s| s.id.as_str()).collect();
    let at = |prefix: &str| ids.iter().position(|id| id.starts_with(prefix)).unwrap();
    assert!(at("scheduling-link-delete-round-robin") < at("meeting-type-delete"));
    running.control().set_faults(FaultConfig {
        ambiguous_rate: 1.0,
        operations: vec![
            "scheduling-link-delete-round-robin".into(),
            "meeting-type-delete".into(),
            "meeting-type-reminder-delete".into(),
        ],
        ..FaultConfig::default()
    });
    running.control().clear_journal();
    let report = apply_plan(&client, &planned).await;
    running.control().set_faults(FaultConfig::default());
    assert!(report.succeeded(), "{}", report.render_text());
    assert!(
        report
            .steps
            .iter()
            .filter(|s| s.op.ends_with("delete") || s.op.contains("-delete-"))
            .all(|s| matches!(
                s.status,
                StepStatus::Done {
                    read_back: true,
                    ..
                }
            )),
        "{}",
        report.render_text()
    );
    assert_eq!(sent(&running, "meeting-type-delete"), 1);
    let again = plan(&desired, &read(&client, &desired).await, &options);
    assert_eq!(
        again.outcome(),
        PlanOutcome::NoChanges,
        "{}",
        scoville::render::text(&again, false)
    );
}

/// As `scoville apply` runs it: verified right before the first write, and checked again
/// before every later phase. The steps that finish a create (the fields it cannot carry, the
/// reminder it seeds) act on the create's answer, so the check does not compare them; every
/// other step (attachments, the link) must be unchanged in a plan made between phases.
#[tokio::test]
async fn the_checks_between_phases_let_a_new_meeting_type_and_its_link_through() {
    let (_running, client) = start().await;
    let desired = desired_with_booking();
    let approved = plan_now(&client, &desired).await;
    let inputs = PlanInputs {
        desired: desired.clone(),
        allow_destructive: false,
    };
    apply::verify::verify(&client, &approved, Some(&inputs))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let report = apply::run(
        &client,
        &approved,
        &ApplyOptions {
            recheck: Some(Arc::new(inputs)),
            ..ApplyOptions::default()
        },
        Arc::new(apply::SilentProgress),
    )
    .await;
    assert!(report.succeeded(), "{}", report.render_text());
    assert!(approved.depth() > 2, "several phases were checked");
    let again = plan_now(&client, &desired).await;
    assert_eq!(
        again.outcome(),
        PlanOutcome::NoChanges,
        "{}",
        scoville::render::text(&again, false)
    );
}

/// A meeting type made by an apply and deleted by hand since: the same manifests derive the
/// same key, which the API answers with 404; the step says why and what to do.
#[tokio::test]
async fn a_meeting_type_deleted_since_its_keyed_create_is_explained() {
    let (_running, client) = start().await;
    let desired = desired_with_booking();
    let first = plan_now(&client, &desired).await;
    assert!(apply_plan(&client, &first).await.succeeded());
    // Someone deletes the link and the meeting type in Chili Piper.
    let live = read(&client, &desired).await;
    let sales = &live.workspaces["Sales"];
    let link = sales
        .links
        .iter()
        .flatten()
        .find(|l| l.slug == "discovery")
        .unwrap();
    let op = ops::SCHEDULING_LINK_DELETE_ROUND_ROBIN;
    client
        .send_prepared(op, &op.path_with(&[&link.id]), &[], None, "the link")
        .await
        .unwrap();
    let meeting_type = sales
        .meeting_types
        .iter()
        .flatten()
        .find(|m| m.name == "Discovery")
        .unwrap();
    let op = ops::MEETING_TYPE_DELETE;
    client
        .send_prepared(
            op,
            &op.path_with(&[&meeting_type.id]),
            &[],
            None,
            "the type",
        )
        .await
        .unwrap();
    let again = plan_now(&client, &desired).await;
    let report = apply_plan(&client, &again).await;
    let create = report
        .steps
        .iter()
        .find(|s| s.op == "meeting-type-create")
        .unwrap();
    let StepStatus::Failed { error } = &create.status else {
        panic!("{:?}", create.status);
    };
    assert!(error.contains("a new key"), "{error}");
}

/// Regression: an apply that stopped after meeting-type-create, before the seeded reminder was
/// detached and deleted, then applied again, converged with one meeting type and no second
/// reminder, but left the seeded reminder behind listed as "attached to no meeting type" while
/// it still was; the list now says it is attached until the plan detaches it, and how to remove
/// it (a later plan cannot tell the seed from a reminder made by hand, so it does not delete it
/// unless reminders are pruned).
#[tokio::test]
async fn an_apply_stopped_before_the_seeded_reminder_goes_converges_and_names_the_leftover() {
    let (running, client) = start().await;
    let desired = desired_with_booking();
    let first = plan_now(&client, &desired).await;
    running.control().set_faults(FaultConfig {
        error_rate: 1.0,
        operations: vec![
            "meeting-type-update".into(),
            "meeting-type-attach-reminder".into(),
            "meeting-type-detach-reminder".into(),
        ],
        ..FaultConfig::default()
    });
    let stopped = apply_plan(&client, &first).await;
    running.control().set_faults(FaultConfig::default());
    assert!(!stopped.succeeded());

    let second = plan_now(&client, &desired).await;
    let leftover = second
        .unmanaged
        .iter()
        .find(|u| u.address == "reminder:Sales/Email 1 hour before")
        .unwrap_or_else(|| panic!("{}", scoville::render::text(&second, false)));
    assert!(
        leftover
            .detail
            .contains("attached to no meeting type once the plan detaches it from `Discovery`")
            && leftover
                .detail
                .contains("delete it in Chili Piper, or prune reminders here"),
        "{}",
        leftover.detail
    );
    let report = apply_plan(&client, &second).await;
    assert!(report.succeeded(), "{}", report.render_text());
    let again = plan_now(&client, &desired).await;
    assert_eq!(
        again.outcome(),
        PlanOutcome::NoChanges,
        "{}",
        scoville::render::text(&again, false)
    );
    assert_eq!(sent(&running, "meeting-type-create"), 1, "no second create");
    let live = read(&client, &desired).await;
    let sales = &live.workspaces["Sales"];
    let count = |name: &str| {
        sales
            .reminders
            .iter()
            .flatten()
            .filter(|r| r.name == name)
            .count()
    };
    assert_eq!(count("Day before"), 1);
    assert_eq!(
        count("Email 1 hour before"),
        1,
        "the seed is left, not multiplied"
    );
    let discovery: Vec<_> = sales
        .meeting_types
        .iter()
        .flatten()
        .filter(|m| m.name == "Discovery")
        .collect();
    assert_eq!(discovery.len(), 1);
    assert_eq!(
        discovery[0].spec.reminders,
        Some(["Day before".to_string()].into())
    );
}
