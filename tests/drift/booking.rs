//! Drift of the booking layer read as a newcomer reads it: after the acme apply, manifests that
//! change a meeting type's length and a reminder's offset are reported with those lengths as the
//! manifests write them (`30m`, `1d`), never as the seconds of the domain form.

use super::support::{acme, acme_texts, apply, drift_report, edit, load, start, today};

/// Every fact of the drifted object at `address`.
fn facts(report: &scoville::drift::DriftReport, address: &str) -> Vec<String> {
    report
        .objects
        .iter()
        .find(|object| object.address == address)
        .unwrap_or_else(|| panic!("{address} did not drift: {:?}", report.objects))
        .differences
        .iter()
        .flat_map(|difference| difference.facts.clone())
        .collect()
}

#[tokio::test]
async fn drift_of_a_duration_or_a_reminder_offset_quotes_lengths_of_time_not_seconds() {
    let running = start().await;
    apply(&running, &acme()).await;
    let files = edit(
        acme_texts(),
        "acme/sales.yaml",
        "offset: 1d}",
        "offset: 2d}",
    );
    let files = edit(files, "acme/sales.yaml", "duration: 30m", "duration: 45m");
    let report = drift_report(&running, &load(&files), None, today()).await;

    let reminder = facts(&report, "reminder:Sales/Day before");
    assert!(
        reminder.contains(&"`trigger.offset` is \"1d\" in the org, \"2d\" in the manifests".into()),
        "{reminder:?}"
    );
    let meeting_type = facts(&report, "meetingType:Sales/Product Demo");
    assert!(
        meeting_type.contains(&"`duration` is \"30m\" in the org, \"45m\" in the manifests".into()),
        "{meeting_type:?}"
    );
    for fact in reminder.iter().chain(&meeting_type) {
        assert!(
            !fact.contains("86400") && !fact.contains("1800"),
            "a length of time in seconds: {fact}"
        );
    }
}
