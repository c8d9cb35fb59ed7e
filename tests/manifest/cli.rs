//! `scoville validate` and `scoville schema` as a user runs them: exit codes, and which stream
//! gets what.

use assert_cmd::Command;

fn scoville() -> Command {
    Command::cargo_bin("scoville").expect("the scoville binary")
}

const BAD: [&str; 2] = [
    "tests/manifest/cases/common",
    "tests/manifest/cases/unknown-key",
];

#[test]
fn validate_acme_succeeds_with_a_summary() {
    let output = scoville()
        .args(["validate", "examples/acme"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "manifests are valid: 26 users, 3 workspaces, 7 teams, 4 distributions, 5 rules, 1 meeting type, 1 reminder, 1 scheduling link\n"
    );
}

#[test]
fn validate_defaults_to_the_current_directory() {
    let output = scoville()
        .arg("validate")
        .current_dir("examples/acme")
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
}

#[test]
fn validate_text_reports_on_stderr_and_exits_1() {
    let output = scoville().arg("validate").args(BAD).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error: unknown key `memebers`"), "{stderr}");
    assert!(stderr.contains("did you mean `members`?"), "{stderr}");
    assert!(stderr.ends_with(
        "error: found 2 problems in the manifests; fix them and run `scoville validate` again\n"
    ));
}

#[test]
fn validate_github_prints_annotations_on_stdout() {
    let output = scoville()
        .args(["validate", "--format", "github"])
        .args(BAD)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines.iter().all(
            |l| l.starts_with("::error file=tests/manifest/cases/unknown-key/sales.yaml,line=")
        )
    );
}

#[test]
fn validate_json_prints_diagnostics_on_stdout() {
    let output = scoville()
        .args(["validate", "--format", "json"])
        .args(BAD)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let items = json.as_array().expect("a JSON array");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["line"], 3);
    assert_eq!(items[0]["hint"], "did you mean `members`?");
}

#[test]
fn validate_json_success_is_an_empty_list() {
    let output = scoville()
        .args(["validate", "--format", "json", "examples/acme"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout), "[]\n");
}

#[test]
fn schema_prints_the_committed_schema() {
    let output = scoville().arg("schema").output().expect("runs");
    assert!(output.status.success());
    let committed = std::fs::read("schema/scoville.schema.json").expect("committed schema");
    assert!(
        output.stdout == committed,
        "run `cargo run -- schema > schema/scoville.schema.json`"
    );
}

/// `plan`, `drift` and `apply` start reading the org before the manifests are parsed; problems
/// in the manifests must still come first, whether connecting failed (no token) or the reads
/// failed (nothing listens at the endpoint).
#[test]
fn manifest_problems_come_before_connection_problems() {
    for command in ["plan", "drift", "apply"] {
        let no_token = scoville()
            .arg(command)
            .args(BAD)
            .env_remove("CHILI_PIPER_API_KEY")
            .env_remove("SCOVILLE_ENDPOINT")
            .output()
            .expect("runs");
        let unreachable = scoville()
            .arg(command)
            .args(BAD)
            .args(["--endpoint", "http://127.0.0.1:9/api/fire-edge"])
            .env("CHILI_PIPER_API_KEY", "fake-token-early-reads-1234")
            .output()
            .expect("runs");
        for output in [no_token, unreachable] {
            assert_eq!(output.status.code(), Some(1), "{command}: {output:?}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains("error: unknown key `memebers`"), "{stderr}");
            assert!(!stderr.contains("token"), "{command}: {stderr}");
            assert!(!stderr.contains("127.0.0.1"), "{command}: {stderr}");
        }
    }
}
