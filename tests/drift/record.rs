//! Real drift against not applied yet: with the record of the last apply, an object the org
//! changed since is real drift, and an object still as recorded while the manifests changed is
//! not applied yet; without a record the report says it cannot tell.

use scoville::drift::{self, DriftOutcome, Origin};

use super::support::{
    acme, acme_texts, addresses, apply_and_record, drift_report, edit, load, start, today, ui,
    user_id,
};

fn origin_of<'a>(report: &'a drift::DriftReport, address: &str) -> &'a Origin {
    &report
        .objects
        .iter()
        .find(|o| o.address == address)
        .unwrap_or_else(|| panic!("{address} does not drift: {:?}", addresses(report)))
        .origin
}

#[tokio::test]
async fn a_record_tells_changes_made_after_the_apply_from_changes_not_applied_yet() {
    let running = start().await;
    let applied = acme();
    let record = apply_and_record(&running, &applied).await;

    // Merged since, not applied: Benjamin's weight and a new team.
    let merged = edit(
        acme_texts(),
        "acme/customer-success.yaml",
        "benjamin.adeyemi@acme.example: 80",
        "benjamin.adeyemi@acme.example: 90",
    );
    let merged = load(&edit(
        merged,
        "acme/customer-success.yaml",
        "      csm-emea:\n",
        "      csm-latam:\n        - grace.kowalski@acme.example\n      csm-emea:\n",
    ));
    // Changed in the org since: Ava removes Noah from a team and creates a team that the
    // manifests do not declare (Sales prunes teams).
    ui::remove_team_member(
        &running,
        "ava.thompson@acme.example",
        "Sales",
        "inbound-sdr",
        "noah.kim@acme.example",
    )
    .await;
    let sales_id = super::support::live_now(&running).await.workspaces["Sales"]
        .id
        .clone();
    let liam = user_id(&running, "liam.patel@acme.example");
    running
        .control()
        .as_user(&user_id(&running, "ava.thompson@acme.example"))
        .unwrap()
        .create_team(&sales_id, "sdr-overflow", &[&liam])
        .unwrap();

    let report = drift_report(&running, &merged, Some(&record), today()).await;
    assert_eq!(report.outcome(), DriftOutcome::Drift);
    assert!(report.last_applied.as_ref().unwrap().manifests_changed);
    assert!(matches!(
        origin_of(&report, "team:Sales/inbound-sdr"),
        Origin::ChangedAfterApply { applied_at: Some(at) } if at == super::support::APPLIED_AT
    ));
    assert_eq!(
        origin_of(&report, "distribution:Customer Success/Renewals NA"),
        &Origin::NotAppliedYet
    );
    assert_eq!(
        origin_of(&report, "team:Customer Success/csm-latam"),
        &Origin::NotAppliedYet
    );
    // The last apply did not manage the new team, so the record has no fingerprint of it; its
    // metadata says it changed after the apply finished.
    assert!(matches!(
        origin_of(&report, "team:Sales/sdr-overflow"),
        Origin::ChangedAfterApply { .. }
    ));
    assert_eq!(report.summary.changed_after_apply, 2);
    assert_eq!(report.summary.not_applied_yet, 2);
    assert_eq!(report.summary.cannot_tell, 0);
    insta::assert_snapshot!("record_text", drift::text(&report, false));

    // A record that does not say when the apply finished cannot date the new team, and the
    // manifests changed since: it cannot tell.
    let undated = drift::LastApplied {
        applied_at: None,
        ..record.clone()
    };
    let report_undated = drift_report(&running, &merged, Some(&undated), today()).await;
    assert!(matches!(
        origin_of(&report_undated, "team:Sales/sdr-overflow"),
        Origin::CannotTell { why } if why.contains("neither the record nor the API")
    ));
    assert_eq!(
        origin_of(&report_undated, "team:Sales/inbound-sdr"),
        &Origin::ChangedAfterApply { applied_at: None }
    );

    // Without the record nothing can be told apart.
    let without_record = drift_report(&running, &merged, None, today()).await;
    assert_eq!(addresses(&without_record), addresses(&report));
    assert_eq!(without_record.summary.cannot_tell, 4);
    assert!(
        drift::summary_line(&without_record).contains("the two cannot be told apart"),
        "{}",
        drift::summary_line(&without_record)
    );

    // Against the manifests that were applied, both hand-made changes are real drift and
    // nothing is pending.
    let same_manifests = drift_report(&running, &applied, Some(&record), today()).await;
    assert_eq!(
        addresses(&same_manifests),
        ["team:Sales/inbound-sdr", "team:Sales/sdr-overflow"]
    );
    assert!(
        same_manifests
            .objects
            .iter()
            .all(|o| matches!(o.origin, Origin::ChangedAfterApply { .. }))
    );
}

#[tokio::test]
async fn a_record_of_another_tenant_is_not_used() {
    let running = start().await;
    let desired = acme();
    let mut record = apply_and_record(&running, &desired).await;
    record.tenant = Some("other-corp.app1".to_string());
    ui::remove_team_member(
        &running,
        "ava.thompson@acme.example",
        "Sales",
        "inbound-sdr",
        "noah.kim@acme.example",
    )
    .await;
    let report = drift_report(&running, &desired, Some(&record), today()).await;
    let info = report.last_applied.as_ref().unwrap();
    assert_eq!(
        info.unusable.as_deref(),
        Some("the record of the last apply is of tenant `other-corp.app1`, not `acme-corp.app3`")
    );
    assert!(matches!(
        origin_of(&report, "team:Sales/inbound-sdr"),
        Origin::CannotTell { why } if why.contains("other-corp.app1")
    ));
}
