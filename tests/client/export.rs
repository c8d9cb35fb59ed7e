//! `scoville export` end to end: the binary against an emulator on loopback (or its own
//! `--sandbox`), the written manifests loaded back, and the token nowhere in the output.

use std::path::Path;
use std::process::Output;

use scoville::emulator::{self, Options, Running, SeedToken};
use scoville::live::{self, Scope};
use scoville::{manifest, plan};

use super::emulated::client;
use super::scripted::fast_retries;

/// Recognizable, obviously fake, and accepted by the emulator with read permissions only.
const EXPORT_TOKEN: &str = "fake-export-token-4f9d2b77";

async fn start_demo_with_export_token() -> Running {
    let mut seed = emulator::demo_seed();
    seed.tokens.push(SeedToken {
        id: "export-test".into(),
        secret: EXPORT_TOKEN.into(),
        permissions: emulator::read_permissions(),
    });
    emulator::start(Options::new(seed)).await.unwrap()
}

/// Runs the binary off the async runtime (the emulator keeps serving on it meanwhile).
pub async fn scoville(args: Vec<String>, token: Option<&str>, cwd: &Path) -> Output {
    let token = token.map(str::to_string);
    let cwd = cwd.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_scoville"));
        command.args(&args).current_dir(&cwd);
        command
            .env_remove("CHILI_PIPER_API_KEY")
            .env_remove("SCOVILLE_ENDPOINT");
        if let Some(token) = token {
            command.env("CHILI_PIPER_API_KEY", token);
        }
        command.output().unwrap()
    })
    .await
    .unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, with its contents.
fn files_under(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).unwrap() {
            let entry = entry.unwrap().path();
            if entry.is_dir() {
                stack.push(entry);
            } else {
                let contents = std::fs::read(&entry).unwrap();
                out.push((entry.display().to_string(), text(&contents)));
            }
        }
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_writes_manifests_that_load_back_and_never_show_the_token() {
    let running = start_demo_with_export_token().await;
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("manifests");
    let output = scoville(
        vec![
            "export".into(),
            "--endpoint".into(),
            running.base_url(),
            "--out".into(),
            out.display().to_string(),
            "--stats".into(),
        ],
        Some(EXPORT_TOKEN),
        work.path(),
    )
    .await;
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(
        stderr.contains("operation"),
        "--stats table on stderr: {stderr}"
    );
    assert!(stderr.contains("workspace-list-users"), "{stderr}");

    let written = files_under(&out);
    let names: Vec<_> = written
        .iter()
        .map(|(path, _)| path.rsplit('/').next().unwrap().to_string())
        .collect();
    assert!(names.contains(&"org.yaml".to_string()), "{names:?}");
    assert!(names.contains(&"users.yaml".to_string()), "{names:?}");
    for haystack in [&stdout, &stderr]
        .into_iter()
        .chain(written.iter().map(|(_, contents)| contents))
    {
        assert!(
            !haystack.contains(EXPORT_TOKEN),
            "the token leaked: {haystack}"
        );
    }

    // What was written describes the org: loading it gives its users, workspaces, teams,
    // distributions and rules by name.
    let desired = manifest::load(std::slice::from_ref(&out))
        .unwrap_or_else(|diagnostics| panic!("{}", diagnostics.render_text()));
    let live = live::fetch(
        &client(&running, EXPORT_TOKEN, fast_retries()),
        &Scope::everything_with_settings(),
    )
    .await
    .unwrap();
    assert_eq!(
        desired.users.keys().collect::<Vec<_>>(),
        live.users.keys().collect::<Vec<_>>()
    );
    for (name, workspace) in &live.workspaces {
        let declared = &desired.workspaces[name];
        let names = |keys: Vec<&String>| keys.into_iter().cloned().collect::<Vec<_>>();
        assert_eq!(
            names(declared.teams.keys().collect()),
            workspace
                .teams
                .iter()
                .map(|t| t.name.clone())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            names(declared.distributions.keys().collect()),
            workspace
                .distributions
                .iter()
                .map(|d| d.name.clone())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            names(declared.rules.keys().collect()),
            workspace
                .rules
                .iter()
                .map(|r| r.name.clone())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            declared.settings.as_ref().map(|(settings, _)| settings),
            workspace.settings.as_ref()
        );
    }

    // Validate agrees.
    let validated = scoville(
        vec!["validate".into(), out.display().to_string()],
        None,
        work.path(),
    )
    .await;
    assert!(validated.status.success(), "{}", text(&validated.stderr));

    // The round trip: planning the export against the org it came from changes nothing.
    let live_for_plan = live::fetch(
        &client(&running, EXPORT_TOKEN, fast_retries()),
        &Scope::for_desired(&desired),
    )
    .await
    .unwrap();
    let plan = plan::plan(
        &desired,
        &live_for_plan,
        &plan::PlanOptions::new(&desired, false),
    );
    assert!(plan.is_empty(), "{plan:#?}");
    let planned = scoville(
        vec![
            "plan".into(),
            "--endpoint".into(),
            running.base_url(),
            "--detailed-exitcode".into(),
            out.display().to_string(),
        ],
        Some(EXPORT_TOKEN),
        work.path(),
    )
    .await;
    let planned_stdout = text(&planned.stdout);
    assert_eq!(
        planned.status.code(),
        Some(0),
        "no changes: {planned_stdout}{}",
        text(&planned.stderr)
    );
    assert!(!planned_stdout.contains(EXPORT_TOKEN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_is_reported_without_being_shown() {
    let running = start_demo_with_export_token().await;
    let work = tempfile::tempdir().unwrap();
    let fake = "fake-rejected-token-0c0ffee";
    let output = scoville(
        vec![
            "export".into(),
            "--endpoint".into(),
            running.base_url(),
            "--out".into(),
            "manifests".into(),
        ],
        Some(fake),
        work.path(),
    )
    .await;
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("did not accept the token"), "{stderr}");
    assert!(
        !stdout.contains(fake) && !stderr.contains(fake),
        "{stdout}{stderr}"
    );
    assert!(
        !work.path().join("manifests").exists(),
        "nothing half-written"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_refuses_a_non_empty_directory_before_reading() {
    let running = start_demo_with_export_token().await;
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("keep.yaml"), "mine").unwrap();
    let output = scoville(
        vec![
            "export".into(),
            "--endpoint".into(),
            running.base_url(),
            "--out".into(),
            ".".into(),
        ],
        Some(EXPORT_TOKEN),
        work.path(),
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("is not empty"));
    assert!(
        running.control().journal().is_empty(),
        "no request was made"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_without_a_token_says_how_to_give_one() {
    let work = tempfile::tempdir().unwrap();
    let output = scoville(
        vec!["export".into(), "--out".into(), "manifests".into()],
        None,
        work.path(),
    )
    .await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    for needle in ["CHILI_PIPER_API_KEY", "--token-file", "--sandbox"] {
        assert!(stderr.contains(needle), "{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_with_the_sandbox_saves_the_sandbox_state() {
    let work = tempfile::tempdir().unwrap();
    let output = scoville(
        vec![
            "export".into(),
            "--sandbox".into(),
            "--out".into(),
            "manifests".into(),
        ],
        None,
        work.path(),
    )
    .await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(work.path().join("manifests/users.yaml").exists());
    assert!(work.path().join(emulator::SANDBOX_STATE_FILE).exists());
    let stderr = text(&output.stderr);
    assert!(!stderr.contains(emulator::DEMO_ADMIN_TOKEN), "{stderr}");
}

#[test]
fn plain_http_to_a_remote_endpoint_is_refused_by_the_binary() {
    let work = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_scoville"))
        .args([
            "export",
            "--endpoint",
            "http://fire.chilipiper.com/api/fire-edge",
            "--out",
            "manifests",
        ])
        .current_dir(work.path())
        .env("CHILI_PIPER_API_KEY", EXPORT_TOKEN)
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("refusing plain http"), "{stderr}");
    assert!(!stderr.contains(EXPORT_TOKEN));
}

/// An org with meeting types, reminders (one with the legacy `MeetingBooked` trigger) and a
/// link of every kind exports to manifests that validate and plan to no changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_of_meeting_types_reminders_and_links_validates_and_plans_no_changes() {
    let mut seed = super::booking::booking_seed();
    seed.tokens.push(SeedToken {
        id: "export-test".into(),
        secret: EXPORT_TOKEN.into(),
        permissions: emulator::read_permissions(),
    });
    let running = emulator::start(Options::new(seed)).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("manifests");
    let endpoint = running.base_url();
    let exported = scoville(
        vec![
            "export".into(),
            "--endpoint".into(),
            endpoint.clone(),
            "--out".into(),
            out.display().to_string(),
        ],
        Some(EXPORT_TOKEN),
        work.path(),
    )
    .await;
    let stderr = text(&exported.stderr);
    assert!(exported.status.success(), "{stderr}");
    let sales = files_under(&out)
        .into_iter()
        .find(|(path, _)| path.ends_with("sales.yaml"))
        .map(|(_, contents)| contents)
        .expect("a file for Sales");
    for expected in [
        "meetingTypes:",
        "reminders:",
        "schedulingLinks:",
        "kind: round-robin",
        "kind: group",
        "kind: admin-one-on-one",
        "kind: ownership",
    ] {
        assert!(sales.contains(expected), "`{expected}` in:\n{sales}");
    }

    let validated = scoville(
        vec!["validate".into(), out.display().to_string()],
        None,
        work.path(),
    )
    .await;
    assert!(validated.status.success(), "{}", text(&validated.stderr));

    let planned = scoville(
        vec![
            "plan".into(),
            "--endpoint".into(),
            endpoint,
            "--detailed-exitcode".into(),
            out.display().to_string(),
        ],
        Some(EXPORT_TOKEN),
        work.path(),
    )
    .await;
    assert_eq!(
        planned.status.code(),
        Some(0),
        "no changes: {}{}\nexported Sales:\n{sales}",
        text(&planned.stdout),
        text(&planned.stderr)
    );
}

/// A token that may read the routing objects but not meeting types or links (one made before
/// scoville managed them) still exports the org: those kinds are left out, and said so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_without_booking_permissions_leaves_those_kinds_out_and_says_so() {
    let mut seed = super::booking::booking_seed();
    seed.tokens.push(SeedToken {
        id: "routing-only".into(),
        secret: EXPORT_TOKEN.into(),
        permissions: emulator::read_permissions()
            .into_iter()
            .filter(|p| !p.starts_with("meeting-type.") && !p.starts_with("scheduling-links."))
            .collect(),
    });
    let running = emulator::start(Options::new(seed)).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("manifests");
    let endpoint = running.base_url();
    let exported = scoville(
        vec![
            "export".into(),
            "--endpoint".into(),
            endpoint.clone(),
            "--out".into(),
            out.display().to_string(),
        ],
        Some(EXPORT_TOKEN),
        work.path(),
    )
    .await;
    let stderr = text(&exported.stderr);
    assert!(exported.status.success(), "{stderr}");
    assert!(stderr.contains("are not exported"), "{stderr}");
    assert!(stderr.contains("meeting-type.read"), "{stderr}");
    assert!(!stderr.contains(EXPORT_TOKEN));
    for (path, contents) in files_under(&out) {
        assert!(
            !contents.contains("meetingTypes:") && !contents.contains("schedulingLinks:"),
            "{path}: the kinds it could not read are left alone:\n{contents}"
        );
    }
    let planned = scoville(
        vec![
            "plan".into(),
            "--endpoint".into(),
            endpoint,
            "--detailed-exitcode".into(),
            out.display().to_string(),
        ],
        Some(EXPORT_TOKEN),
        work.path(),
    )
    .await;
    assert_eq!(
        planned.status.code(),
        Some(0),
        "{}{}",
        text(&planned.stdout),
        text(&planned.stderr)
    );
}

/// Changing an ownership link's fallback distributions sends the whole fallback back, with the
/// live host and booker invitation unchanged, and converges.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ownership_links_fallback_distributions_change_and_its_routing_stays() {
    let running = emulator::start(Options::new(super::booking::booking_seed()))
        .await
        .unwrap();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("manifests");
    let endpoint = running.base_url();
    let token = emulator::DEMO_ADMIN_TOKEN;
    let run = |args: Vec<String>| scoville(args, Some(token), work.path());
    let exported = run(vec![
        "export".into(),
        "--endpoint".into(),
        endpoint.clone(),
        "--out".into(),
        out.display().to_string(),
    ])
    .await;
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let (sales_path, sales) = files_under(&out)
        .into_iter()
        .find(|(path, _)| path.ends_with("sales.yaml"))
        .expect("a file for Sales");
    let before = "          - {name: Enterprise Leads, required: true}\n";
    assert!(sales.contains(before), "{sales}");
    let after = "          - {name: Inbound Demo Requests, required: false}\n          - {name: Enterprise Leads, required: true}\n";
    std::fs::write(&sales_path, sales.replacen(before, after, 1)).unwrap();
    let routing_before = running
        .control()
        .state()
        .links
        .values()
        .find(|link| link.slug == "owner")
        .map(|link| serde_json::to_value(link).unwrap())
        .unwrap();

    let applied = run(vec![
        "apply".into(),
        "--endpoint".into(),
        endpoint.clone(),
        "--auto-approve".into(),
        out.display().to_string(),
    ])
    .await;
    let stdout = text(&applied.stdout);
    assert!(
        applied.status.success(),
        "{stdout}{}",
        text(&applied.stderr)
    );
    assert!(
        stdout.contains("scheduling-link-update-ownership"),
        "{stdout}"
    );
    let link = running
        .control()
        .state()
        .links
        .values()
        .find(|link| link.slug == "owner")
        .map(|link| serde_json::to_value(link).unwrap())
        .unwrap();
    assert_eq!(link["ownership"], routing_before["ownership"]);
    for field in ["host", "bookerInvitation", "alwaysInvitedUsers"] {
        assert_eq!(
            link["distribution"][field], routing_before["distribution"][field],
            "{field}: {link:#}"
        );
    }
    assert_eq!(
        link["distribution"]["assignments"].as_array().map(Vec::len),
        Some(2),
        "{link:#}"
    );
    let planned = run(vec![
        "plan".into(),
        "--endpoint".into(),
        endpoint,
        "--detailed-exitcode".into(),
        out.display().to_string(),
    ])
    .await;
    assert_eq!(
        planned.status.code(),
        Some(0),
        "{}{}",
        text(&planned.stdout),
        text(&planned.stderr)
    );
}
