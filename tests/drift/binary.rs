//! The `scoville` binary against an in-process emulator (`--endpoint`): `apply --record`
//! with the write token, then `drift --last-applied` with the read-only token; exit codes 0 (no
//! drift), 2 (drift) and 1 (error).

use std::path::Path;
use std::process::Output;

use scoville::drift::LastApplied;
use scoville::emulator::{DEMO_ADMIN_TOKEN, DEMO_READONLY_TOKEN};

use super::support::{start, ui};

/// Runs the binary with `token` off the async runtime, so the emulator keeps serving.
async fn scoville(args: Vec<String>, token: &'static str) -> Output {
    tokio::task::spawn_blocking(move || {
        assert_cmd::Command::new(env!("CARGO_BIN_EXE_scoville"))
            .args(&args)
            .env("CHILI_PIPER_API_KEY", token)
            .env_remove("SCOVILLE_ENDPOINT")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|arg| arg.to_string()).collect()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_records_the_apply_and_reports_drift_with_a_read_only_token() {
    let running = start().await;
    let url = running.base_url();
    let directory = tempfile::tempdir().unwrap();
    let record = directory.path().join("last-applied.json");
    let record_arg = record.to_string_lossy().into_owned();

    let applied = scoville(
        args(&[
            "apply",
            "examples/acme",
            "--auto-approve",
            "--endpoint",
            &url,
            "--record",
            &record_arg,
        ]),
        DEMO_ADMIN_TOKEN,
    )
    .await;
    assert_eq!(applied.status.code(), Some(0), "{}", stderr(&applied));
    let recorded = LastApplied::from_json(&std::fs::read_to_string(&record).unwrap()).unwrap();
    assert_eq!(recorded.tenant.as_deref(), Some("acme-corp.app3"));
    assert!(recorded.applied_at.is_some());
    assert!(
        recorded
            .fingerprint_of("team:Sales/mid-market-ae")
            .is_some_and(|f| f.exists)
    );

    let drift = |format: &'static str, record: Option<&Path>| {
        let mut list = args(&[
            "drift",
            "examples/acme",
            "--endpoint",
            &url,
            "--format",
            format,
        ]);
        if let Some(record) = record {
            list.push("--last-applied".to_string());
            list.push(record.to_string_lossy().into_owned());
        }
        scoville(list, DEMO_READONLY_TOKEN)
    };

    let clean = drift("text", Some(&record)).await;
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    assert!(stdout(&clean).contains("No drift. The live org matches the manifests."));

    ui::remove_team_member(
        &running,
        "ava.thompson@acme.example",
        "Sales",
        "inbound-sdr",
        "noah.kim@acme.example",
    )
    .await;

    let markdown = drift("markdown", Some(&record)).await;
    assert_eq!(markdown.status.code(), Some(2), "{}", stderr(&markdown));
    let body = stdout(&markdown);
    for expected in [
        "### scoville drift for `acme-corp.app3`",
        "`team:Sales/inbound-sdr`",
        "ava.thompson@acme.example (person)",
        "changed after the last apply",
        "noah.kim@acme.example is not in the team",
    ] {
        assert!(
            body.contains(expected),
            "{expected:?} missing from:\n{body}"
        );
    }

    let json = drift("json", Some(&record)).await;
    assert_eq!(json.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["formatVersion"], 1);
    assert_eq!(report["objects"][0]["address"], "team:Sales/inbound-sdr");
    assert_eq!(
        report["objects"][0]["provenance"]["updatedBy"]["email"],
        "ava.thompson@acme.example"
    );
    assert_eq!(report["objects"][0]["origin"]["kind"], "changedAfterApply");

    let without_record = drift("text", None).await;
    assert_eq!(without_record.status.code(), Some(2));
    assert!(stdout(&without_record).contains("the two cannot be told apart"));

    let missing_record = drift("text", Some(&directory.path().join("nope.json"))).await;
    assert_eq!(missing_record.status.code(), Some(1));
    assert!(
        stderr(&missing_record).contains("cannot read the record of the last apply"),
        "{}",
        stderr(&missing_record)
    );
}
