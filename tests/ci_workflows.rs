//! The GitHub Actions files scoville ships (the examples users copy, the composite action and
//! scoville's own workflows) keep scoville's rules: each job asks for the least privilege,
//! applies run one at a time per org, the record of the last apply reaches drift, checkouts
//! drop the job token, and every third-party action is pinned by commit SHA to a release that
//! runs on Node 24. actionlint and zizmor (run by .ci/run) check the rest.

use std::path::Path;

use serde_json::Value;

/// Every workflow and action file these rules cover.
const FILES: &[&str] = &[
    ".github/workflows/ci.yml",
    ".github/workflows/release.yml",
    "examples/github-actions/plan.yml",
    "examples/github-actions/apply.yml",
    "examples/github-actions/drift.yml",
    "action.yml",
];

/// The first major of each action that runs on Node 24 (`runs.using: node24`), from each
/// action's release notes: a pin below it runs on Node 20, which GitHub removed from its
/// runners in September 2026.
const NODE24_MAJORS: &[(&str, u32)] = &[
    ("actions/checkout", 5),
    ("actions/cache", 5),
    ("actions/upload-artifact", 6),
    ("actions/download-artifact", 7),
    ("actions/github-script", 8),
    ("actions/attest-build-provenance", 3),
    // The first major known to run on Node 24 (attest-build-provenance v4 wraps it); the
    // release workflow uses it.
    ("actions/attest", 4),
];

/// The action the examples call: its pin is the user's (a release of their choosing), so it is
/// the one reference left unpinned, with an in-place zizmor suppression saying so.
const SCOVILLE_ACTION: &str = "scoville-dev/scoville";

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

fn load(path: &str) -> Value {
    serde_saphyr::from_str(&read(path)).unwrap_or_else(|e| panic!("{path} is not valid YAML: {e}"))
}

/// Asserts the workflow grants nothing at the top and each job exactly what it needs:
/// `contents: read`, plus the write scopes in `writes` (job name -> scopes); other scopes
/// may only be `read` or `none`.
fn assert_least_privilege(path: &str, workflow: &Value, writes: &[(&str, &[&str])]) {
    assert_eq!(
        workflow["permissions"],
        serde_json::json!({}),
        "{path}: top-level `permissions: {{}}`, each job asks for its own"
    );
    for (name, job) in workflow["jobs"].as_object().expect("jobs") {
        let permissions = job["permissions"]
            .as_object()
            .unwrap_or_else(|| panic!("{path}: job `{name}` must set `permissions`"));
        let job_writes = writes
            .iter()
            .find(|(job, _)| job == name)
            .map(|(_, scopes)| *scopes)
            .unwrap_or_default();
        for (scope, level) in permissions {
            match level.as_str() {
                Some("read") | Some("none") => {}
                Some("write") => assert!(
                    job_writes.contains(&scope.as_str()),
                    "{path}: job `{name}`: `{scope}: write` is not needed"
                ),
                other => panic!("{path}: job `{name}`: unexpected level {other:?} for {scope}"),
            }
        }
        for scope in job_writes {
            assert_eq!(
                permissions.get(*scope),
                Some(&Value::from("write")),
                "{path}: job `{name}` needs `{scope}: write`"
            );
        }
    }
}

fn all_steps(workflow: &Value) -> Vec<Value> {
    if let Some(steps) = workflow["runs"]["steps"].as_array() {
        return steps.clone();
    }
    workflow["jobs"]
        .as_object()
        .expect("jobs")
        .values()
        .flat_map(|job| job["steps"].as_array().cloned().unwrap_or_default())
        .collect()
}

fn steps_using(workflow: &Value, action_prefix: &str) -> Vec<Value> {
    all_steps(workflow)
        .into_iter()
        .filter(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with(action_prefix))
        })
        .collect()
}

/// One `uses:` line: the action, the ref after `@`, and the trailing comment.
struct Uses {
    line: usize,
    action: String,
    reference: String,
    comment: String,
}

fn uses_lines(path: &str) -> Vec<Uses> {
    read(path)
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let rest = line.trim_start().trim_start_matches("- ");
            let value = rest.strip_prefix("uses:")?.trim();
            let (value, comment) = value.split_once('#').unwrap_or((value, ""));
            let (action, reference) = value.trim().split_once('@')?;
            Some(Uses {
                line: index + 1,
                action: action.to_owned(),
                reference: reference.to_owned(),
                comment: comment.trim().to_owned(),
            })
        })
        .collect()
}

/// The major of the full version a pin comment starts with: `v7.0.1` -> 7.
fn comment_version(comment: &str) -> Option<u32> {
    let version = comment.split_whitespace().next()?.strip_prefix('v')?;
    let parts: Vec<&str> = version.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.parse::<u32>().is_err()) {
        return None;
    }
    parts[0].parse().ok()
}

#[test]
fn every_third_party_action_is_pinned_by_sha_to_a_node24_release() {
    let mut pins: std::collections::BTreeMap<String, (String, String)> = Default::default();
    for path in FILES {
        for uses in uses_lines(path) {
            let at = format!("{path}:{}: {}", uses.line, uses.action);
            if uses.action.starts_with("./") {
                continue;
            }
            if uses.action == SCOVILLE_ACTION && path.starts_with("examples/") {
                assert!(
                    uses.comment.starts_with("zizmor: ignore[unpinned-uses]"),
                    "{at}: the user's own pin, suppressed in place with a reason"
                );
                continue;
            }
            assert!(
                uses.reference.len() == 40 && uses.reference.chars().all(|c| c.is_ascii_hexdigit()),
                "{at}: pin by full commit SHA, not `{}`",
                uses.reference
            );
            let major = comment_version(&uses.comment).unwrap_or_else(|| {
                panic!(
                    "{at}: the version goes in a comment: `# v1.2.3`, not `# {}`",
                    uses.comment
                )
            });
            let (_, node24) = NODE24_MAJORS
                .iter()
                .find(|(action, _)| *action == uses.action)
                .unwrap_or_else(|| {
                    panic!("{at}: add the action's first Node 24 major to NODE24_MAJORS")
                });
            assert!(
                major >= *node24,
                "{at}: v{major} runs on Node 20; use v{node24} or later"
            );
            let pin = (uses.reference.clone(), uses.comment.clone());
            if let Some(seen) = pins.get(&uses.action) {
                assert_eq!(seen, &pin, "{at}: one pin per action across all files");
            }
            pins.insert(uses.action, pin);
        }
    }
    assert!(
        pins.contains_key("actions/checkout"),
        "the scan found the pins"
    );
}

#[test]
fn every_checkout_drops_the_job_token() {
    for path in FILES {
        for step in steps_using(&load(path), "actions/checkout") {
            assert_eq!(
                step["with"]["persist-credentials"],
                Value::from(false),
                "{path}: actions/checkout needs `persist-credentials: false`"
            );
        }
    }
}

#[test]
fn plan_workflow_runs_on_pull_requests_with_a_read_only_token() {
    let path = "examples/github-actions/plan.yml";
    let workflow = load(path);
    assert!(
        workflow["on"]["pull_request"]["paths"].is_array(),
        "{path}: pull_request with paths"
    );
    assert!(
        workflow["on"].get("pull_request_target").is_none(),
        "{path}: never pull_request_target"
    );
    assert_least_privilege(path, &workflow, &[("plan", &["pull-requests"])]);
    let scoville = steps_using(&workflow, SCOVILLE_ACTION);
    let commands: Vec<_> = scoville
        .iter()
        .map(|s| s["with"]["command"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(commands, ["validate", "plan"]);
    let plan = &scoville[1]["with"];
    assert!(
        plan["args"]
            .as_str()
            .unwrap()
            .contains("--detailed-exitcode")
    );
    assert!(plan["args"].as_str().unwrap().contains("--format markdown"));
    assert_eq!(
        plan["token"],
        Value::from("${{ secrets.CHILI_PIPER_READ_TOKEN }}")
    );
    assert!(
        scoville[0]["with"]["args"]
            .as_str()
            .unwrap()
            .contains("--format github")
    );
}

#[test]
fn apply_workflow_runs_on_main_one_at_a_time_per_org_with_the_write_token() {
    let path = "examples/github-actions/apply.yml";
    let workflow = load(path);
    assert_eq!(
        workflow["on"]["push"]["branches"],
        serde_json::json!(["main"])
    );
    assert_least_privilege(path, &workflow, &[("apply", &["issues"])]);
    // One group for the org, queued rather than cancelled: an apply is never cut short.
    assert_eq!(
        workflow["concurrency"]["group"],
        Value::from("scoville-apply")
    );
    assert_eq!(
        workflow["concurrency"]["cancel-in-progress"],
        Value::from(false)
    );
    assert_eq!(
        workflow["jobs"]["apply"]["environment"],
        Value::from("chili-piper-production"),
        "{path}: the write token lives in a protected environment"
    );
    let scoville = steps_using(&workflow, SCOVILLE_ACTION);
    assert_eq!(scoville.len(), 1);
    let with = &scoville[0]["with"];
    assert_eq!(with["command"], Value::from("apply"));
    assert!(with["args"].as_str().unwrap().contains("--auto-approve"));
    assert!(
        with["args"]
            .as_str()
            .unwrap()
            .contains("--record last-applied.json"),
        "{path}: records what it applied"
    );
    assert_eq!(
        with["token"],
        Value::from("${{ secrets.CHILI_PIPER_WRITE_TOKEN }}")
    );
    let uploads = steps_using(&workflow, "actions/upload-artifact");
    assert!(
        uploads
            .iter()
            .any(|s| s["with"]["name"] == "scoville-last-applied"),
        "{path}: uploads the record for drift"
    );
}

#[test]
fn drift_workflow_runs_nightly_with_a_read_only_token_and_the_last_apply_record() {
    let path = "examples/github-actions/drift.yml";
    let workflow = load(path);
    assert!(
        workflow["on"]["schedule"][0]["cron"].is_string(),
        "{path}: a schedule"
    );
    assert!(
        workflow["on"].get("workflow_dispatch").is_some(),
        "{path}: can be run by hand"
    );
    assert_least_privilege(path, &workflow, &[("drift", &["issues"])]);
    assert_eq!(
        workflow["jobs"]["drift"]["permissions"]["actions"],
        Value::from("read"),
        "{path}: reads the apply workflow's artifact"
    );
    assert_eq!(
        workflow["concurrency"]["cancel-in-progress"],
        Value::from(false)
    );
    let scoville = steps_using(&workflow, SCOVILLE_ACTION);
    assert_eq!(scoville.len(), 1);
    assert_eq!(scoville[0]["with"]["command"], Value::from("drift"));
    // The record of the last apply is fetched into DRIFT_RECORD and passed when found.
    let args = scoville[0]["with"]["args"].as_str().unwrap();
    assert!(args.contains("${{ env.DRIFT_RECORD }}"), "{path}: {args}");
    let text = serde_json::to_string(&workflow).unwrap();
    assert!(
        text.contains("--last-applied last-applied.json") && text.contains("scoville-last-applied"),
        "{path}: downloads and uses the record of the last apply"
    );
    assert_eq!(
        scoville[0]["with"]["token"],
        Value::from("${{ secrets.CHILI_PIPER_READ_TOKEN }}")
    );
}

#[test]
fn composite_action_passes_inputs_as_environment_and_runs_a_verified_release() {
    let action = load("action.yml");
    assert_eq!(action["runs"]["using"], Value::from("composite"));
    for input in [
        "command",
        "args",
        "token",
        "output-file",
        "working-directory",
        "version",
    ] {
        assert!(
            action["inputs"].get(input).is_some(),
            "action.yml: input `{input}`"
        );
    }
    let steps = action["runs"]["steps"].as_array().expect("steps");
    for step in steps {
        if let Some(script) = step["run"].as_str() {
            assert!(
                !script.contains("${{"),
                "action.yml: a run script interpolates an expression: {script}"
            );
            for file in ["GITHUB_PATH", "GITHUB_ENV"] {
                assert!(
                    !script.contains(file),
                    "action.yml: writes {file}; pass the binary's path as a step output"
                );
            }
        }
    }
    let text = read("action.yml");
    assert!(
        text.contains("scripts/install-release.sh"),
        "action.yml: installs the release through the tested script"
    );
    let source_build = steps
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("cargo install"))
        })
        .expect("action.yml: a source build for unreleased refs");
    assert_eq!(
        source_build["if"],
        Value::from("steps.choose.outputs.version == ''"),
        "action.yml: builds from source only when no release was chosen"
    );
}

#[test]
fn project_ci_runs_fmt_clippy_and_the_tests_read_only() {
    let path = ".github/workflows/ci.yml";
    let workflow = load(path);
    assert_least_privilege(path, &workflow, &[]);
    assert!(
        workflow["concurrency"]["group"].is_string(),
        "{path}: a superseded run is cancelled"
    );
    let text = serde_json::to_string(&workflow).unwrap();
    for needle in ["cargo fmt", "cargo clippy", "-D warnings", ".ci/run"] {
        assert!(text.contains(needle), "{path}: runs `{needle}`");
    }
}
