//! The issue's end-to-end test: apply the acme manifests to the emulator through the real
//! applier and client, change the org out of band as people in the UI and as an integration's
//! API key, and snapshot the drift report naming each changed object, who and when.

use scoville::drift::{self, Author, DriftOutcome, Origin, Provenance};
use scoville::emulator::Running;

use super::support::{
    self, INTEGRATION_TOKEN, acme, add_integration_key, addresses, apply_and_record, client,
    drift_report, id_of, live_now, start, today, ui, user_id,
};

/// What the people and the integration change after the apply.
async fn change_out_of_band(running: &Running) {
    // Ava, the super admin, in the UI (weights first: the emulator refuses weight edits while
    // a weighted member is missing from the team):
    ui::set_weight(
        running,
        "ava.thompson@acme.example",
        "Sales",
        "Inbound Demo Requests",
        "mia.johansson@acme.example",
        50,
    )
    .await;
    ui::remove_team_member(
        running,
        "ava.thompson@acme.example",
        "Sales",
        "inbound-sdr",
        "noah.kim@acme.example",
    )
    .await;
    ui::extend_rule_list(
        running,
        "ava.thompson@acme.example",
        "Sales",
        "North America inbound",
        "CA",
        "MX",
    )
    .await;
    let live = live_now(running).await;
    let sales_id = live.workspaces["Sales"].id.clone();
    let mut settings = running.control().state().workspace_settings[&sales_id].clone();
    settings.credit_back_no_show = true;
    let ava = running
        .control()
        .as_user(&user_id(running, "ava.thompson@acme.example"))
        .unwrap();
    ava.update_workspace_settings(&sales_id, settings).unwrap();
    ui::grant_chat(
        running,
        "ava.thompson@acme.example",
        "chloe.bernard@acme.example",
    );
    // Liam deletes a team.
    let smb = id_of(&live, "Sales", "team", "smb-ae");
    running
        .control()
        .as_user(&user_id(running, "liam.patel@acme.example"))
        .unwrap()
        .delete_team(&smb)
        .unwrap();
    // An integration's API key adds Harper to the enterprise team.
    add_integration_key(running);
    let integration = client(running, INTEGRATION_TOKEN);
    let enterprise = id_of(&live, "Sales", "team", "enterprise-ae");
    integration
        .team_add_users(
            &enterprise,
            &[user_id(running, "harper.nguyen@acme.example")],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn drift_names_each_object_changed_out_of_band_with_who_and_when() {
    let running = start().await;
    let desired = acme();
    let record = apply_and_record(&running, &desired).await;

    let right_after = drift_report(&running, &desired, Some(&record), today()).await;
    assert_eq!(right_after.outcome(), DriftOutcome::NoDrift);
    assert!(right_after.objects.is_empty());

    change_out_of_band(&running).await;
    let report = drift_report(&running, &desired, Some(&record), today()).await;
    assert_eq!(report.outcome(), DriftOutcome::Drift);
    assert_eq!(
        addresses(&report),
        [
            "user:chloe.bernard@acme.example",
            "team:Sales/enterprise-ae",
            "team:Sales/inbound-sdr",
            "team:Sales/smb-ae",
            "settings:Sales",
            "distribution:Sales/Inbound Demo Requests",
            "rule:Sales/North America inbound",
        ]
    );
    for object in &report.objects {
        assert!(
            matches!(object.origin, Origin::ChangedAfterApply { .. }),
            "{}: {:?}",
            object.address,
            object.origin
        );
    }
    let by = |address: &str| {
        let object = report
            .objects
            .iter()
            .find(|o| o.address == address)
            .unwrap();
        match &object.provenance {
            Provenance::Metadata { updated_by, .. } => Some(updated_by.clone()),
            _ => None,
        }
    };
    assert!(matches!(
        by("team:Sales/inbound-sdr"),
        Some(Author::Person { email: Some(email), .. }) if email.as_str() == "ava.thompson@acme.example"
    ));
    assert!(matches!(
        by("team:Sales/enterprise-ae"),
        Some(Author::ApiKey { key_id, .. }) if key_id == "zapier-sync"
    ));
    let deleted = report
        .objects
        .iter()
        .find(|o| o.address == "team:Sales/smb-ae")
        .unwrap();
    assert_eq!(
        deleted.provenance,
        Provenance::Absent {
            existed_after_last_apply: true
        }
    );

    insta::assert_snapshot!("end_to_end_text", drift::text(&report, false));
    insta::assert_snapshot!("end_to_end_markdown", drift::markdown(&report));
    insta::assert_snapshot!("end_to_end_json", drift::json(&report));

    // Without the record the same objects drift, and the report says it cannot tell why.
    let without_record = drift_report(&running, &desired, None, today()).await;
    assert_eq!(addresses(&without_record), addresses(&report));
    assert!(
        without_record
            .objects
            .iter()
            .all(|o| matches!(o.origin, Origin::CannotTell { .. }))
    );
    assert_eq!(without_record.summary.cannot_tell, report.objects.len());
    insta::assert_snapshot!(
        "end_to_end_without_record_markdown",
        drift::markdown(&without_record)
    );
}

#[tokio::test]
async fn the_markdown_report_stays_under_the_issue_size_limit_when_drift_is_large() {
    let running = start().await;
    let desired = acme();
    support::apply(&running, &desired).await;
    // The demo org drifts in a handful of objects; a large org can drift in thousands. Pad
    // the report with copies of its objects to reach the limit.
    change_out_of_band(&running).await;
    let mut report = drift_report(&running, &desired, None, today()).await;
    let one_round = report.objects.clone();
    for round in 0..400 {
        for object in &one_round {
            let mut copy = object.clone();
            copy.address = format!("{}-{round}", object.address);
            report.objects.push(copy);
        }
    }
    report.summary.drifted = report.objects.len();
    let markdown = drift::markdown(&report);
    assert!(
        markdown.chars().count() < scoville::render::MARKDOWN_LIMIT,
        "{} characters",
        markdown.chars().count()
    );
    assert!(markdown.contains("This report is cut to stay under GitHub's"));
    assert!(markdown.contains("team:Sales/inbound-sdr"));
}

#[tokio::test]
async fn a_refused_comparison_is_an_error_not_a_clean_report() {
    let running = start().await;
    let other_tenant = support::load(&support::edit(
        support::acme_texts(),
        "acme/org.yaml",
        "tenant: acme-corp.app3",
        "tenant: other-corp.app1",
    ));
    let report = drift_report(&running, &other_tenant, None, today()).await;
    assert_eq!(report.outcome(), DriftOutcome::Refused);
    assert!(report.objects.is_empty());
    assert!(report.errors[0].message.contains("other-corp.app1"));
    let text = drift::text(&report, false);
    assert!(text.contains("Drift cannot be checked: 1 problem must be fixed first."));
    assert!(
        text.ends_with("Drift not checked: 1 problem to fix first.\n"),
        "{text}"
    );
}
