//! The policy's ignore list: accepted drift is listed with its reason and not counted; an entry
//! is good through its expiry day, then reported as expired and no longer ignores; an entry
//! that covers no difference is reported as unused.

use scoville::drift::{self, DriftOutcome, IgnoreStatus};
use scoville::emulator::Running;

use super::support::{acme, acme_texts, addresses, apply, drift_report, edit, load, start, ui};

const IGNORE: &str = "    ignore:
      - object: distribution:Sales/Inbound Demo Requests
        reason: Mia ramps up after her leave; her manager sets her weight
        expires: 2026-06-30
      - object: rule:Sales/North America inbound
        reason: trial of Mexican leads in the NA queue
        expires: 2026-02-01
      - object: team:Customer Success/csm-na
        reason: reorganisation under way
      - object: user:chloe.bernard@acme.example
        reason: chat pilot for partner managers
        expires: 2026-03-02
";

fn with_ignore_list() -> scoville::model::Desired {
    load(&edit(
        acme_texts(),
        "acme/org.yaml",
        "    allowDestructive: false\n",
        &format!("    allowDestructive: false\n{IGNORE}"),
    ))
}

async fn drifted_org() -> Running {
    let running = start().await;
    apply(&running, &acme()).await;
    let ava = "ava.thompson@acme.example";
    ui::set_weight(
        &running,
        ava,
        "Sales",
        "Inbound Demo Requests",
        "mia.johansson@acme.example",
        50,
    )
    .await;
    ui::extend_rule_list(&running, ava, "Sales", "North America inbound", "CA", "MX").await;
    ui::grant_chat(&running, ava, "chloe.bernard@acme.example");
    running
}

fn statuses(report: &drift::DriftReport) -> Vec<(&str, IgnoreStatus)> {
    report
        .ignore_entries
        .iter()
        .map(|status| (status.entry.object.as_str(), status.status))
        .collect()
}

#[tokio::test]
async fn ignored_objects_are_accepted_drift_and_expired_entries_are_reported() {
    let running = drifted_org().await;
    let desired = with_ignore_list();
    let day = |d| jiff::civil::date(2026, 3, d);

    let report = drift_report(&running, &desired, None, day(2)).await;
    assert_eq!(report.outcome(), DriftOutcome::Drift);
    // The rule's entry expired on 2026-02-01: its drift counts again.
    assert_eq!(addresses(&report), ["rule:Sales/North America inbound"]);
    let accepted: Vec<&str> = report.accepted.iter().map(|o| o.address.as_str()).collect();
    assert_eq!(
        accepted,
        [
            "user:chloe.bernard@acme.example",
            "distribution:Sales/Inbound Demo Requests"
        ]
    );
    assert_eq!(
        report.accepted[1].accepted_by.as_ref().unwrap().reason,
        "Mia ramps up after her leave; her manager sets her weight"
    );
    assert_eq!(
        statuses(&report),
        [
            (
                "distribution:Sales/Inbound Demo Requests",
                IgnoreStatus::Applied
            ),
            ("rule:Sales/North America inbound", IgnoreStatus::Expired),
            ("team:Customer Success/csm-na", IgnoreStatus::Unused),
            ("user:chloe.bernard@acme.example", IgnoreStatus::Applied),
        ]
    );
    assert_eq!(report.summary.drifted, 1);
    assert_eq!(report.summary.accepted, 2);
    assert_eq!(report.summary.expired_ignore_entries, 1);
    assert_eq!(report.summary.unused_ignore_entries, 1);
    insta::assert_snapshot!("ignore_text", drift::text(&report, false));
    insta::assert_snapshot!("ignore_markdown", drift::markdown(&report));

    // Chloe's entry is good through 2026-03-02 and expired the day after.
    let next_day = drift_report(&running, &desired, None, day(3)).await;
    assert_eq!(
        addresses(&next_day),
        [
            "user:chloe.bernard@acme.example",
            "rule:Sales/North America inbound"
        ]
    );

    // Before the rule's entry expired, every difference was accepted: no drift.
    let in_january = drift_report(&running, &desired, None, jiff::civil::date(2026, 1, 31)).await;
    assert_eq!(in_january.outcome(), DriftOutcome::NoDrift);
    assert_eq!(in_january.summary.accepted, 3);
    assert!(
        drift::summary_line(&in_january).starts_with("No drift."),
        "{}",
        drift::summary_line(&in_january)
    );
}

#[tokio::test]
async fn a_user_entry_accepts_that_users_workspace_membership_only() {
    let running = start().await;
    // Partnerships prunes workspace members here, so an extra member is drift.
    let files = edit(
        acme_texts(),
        "acme/org.yaml",
        "      Sales: [teams]\n",
        "      Sales: [teams]\n      Partnerships: [workspaceMembers]\n",
    );
    let desired = load(&files);
    apply(&running, &desired).await;
    let partnerships = super::support::live_now(&running).await.workspaces["Partnerships"]
        .id
        .clone();
    let ava = running
        .control()
        .as_user(&super::support::user_id(
            &running,
            "ava.thompson@acme.example",
        ))
        .unwrap();
    let liam = super::support::user_id(&running, "liam.patel@acme.example");
    let mia = super::support::user_id(&running, "mia.johansson@acme.example");
    ava.workspace_add_users(&partnerships, &[&liam, &mia])
        .unwrap();

    let ignoring_liam = load(&edit(
        files,
        "acme/org.yaml",
        "    allowDestructive: false\n",
        "    allowDestructive: false\n    ignore:\n      - object: user:liam.patel@acme.example\n        reason: helps partners during the launch\n",
    ));
    let report = drift_report(&running, &ignoring_liam, None, super::support::today()).await;
    assert_eq!(addresses(&report), ["members:Partnerships"]);
    let counted = &report.objects[0];
    assert_eq!(
        counted.summary,
        "1 member is in the workspace but not in the manifests"
    );
    assert!(counted.differences[0].facts[0].starts_with("mia.johansson@acme.example "));
    // Liam's membership is what the plan leaves alone (the entry keeps prune away from it),
    // so it is no difference apply would undo: the entry is in use, nothing is reported.
    assert!(report.accepted.is_empty(), "{:#?}", report.accepted);
    assert_eq!(report.ignore_entries[0].status, IgnoreStatus::Applied);
}
