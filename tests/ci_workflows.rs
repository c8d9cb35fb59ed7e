//! The GitHub Actions files users copy: they parse, run on the right triggers, and ask for the
//! least privilege (`contents: read`, plus only the one write scope each needs).

use std::path::Path;

use serde_json::Value;

fn load(path: &str) -> Value {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid YAML: {e}"))
}

/// The permission map, asserting every scope is either `read` or in `writes`.
fn assert_least_privilege(path: &str, workflow: &Value, writes: &[&str]) {
    let permissions = workflow["permissions"]
        .as_object()
        .unwrap_or_else(|| panic!("{path}: top-level `permissions` must be set explicitly"));
    assert_eq!(
        permissions.get("contents"),
        Some(&Value::from("read")),
        "{path}: contents must be read"
    );
    for (scope, level) in permissions {
        match level.as_str() {
            Some("read") | Some("none") => {}
            Some("write") => assert!(
                writes.contains(&scope.as_str()),
                "{path}: `{scope}: write` is not needed"
            ),
            other => panic!("{path}: unexpected permission level {other:?} for {scope}"),
        }
    }
    for scope in writes {
        assert_eq!(
            permissions.get(*scope),
            Some(&Value::from("write")),
            "{path}: needs `{scope}: write`"
        );
    }
    for (name, job) in workflow["jobs"].as_object().expect("jobs") {
        assert!(
            job.get("permissions").is_none(),
            "{path}: job `{name}` must not widen permissions"
        );
    }
}

fn steps_using(workflow: &Value, action_prefix: &str) -> Vec<Value> {
    workflow["jobs"]
        .as_object()
        .expect("jobs")
        .values()
        .flat_map(|job| job["steps"].as_array().cloned().unwrap_or_default())
        .filter(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with(action_prefix))
        })
        .collect()
}

#[test]
fn plan_workflow_runs_on_pull_requests_with_a_read_only_token() {
    let path = "examples/github-actions/plan.yml";
    let workflow = load(path);
    assert!(
        workflow["on"]["pull_request"]["paths"].is_array(),
        "{path}: pull_request with paths"
    );
    assert_least_privilege(path, &workflow, &["pull-requests"]);
    let scoville = steps_using(&workflow, "scoville-dev/scoville");
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
fn apply_workflow_runs_on_main_one_at_a_time_with_the_write_token() {
    let path = "examples/github-actions/apply.yml";
    let workflow = load(path);
    assert_eq!(
        workflow["on"]["push"]["branches"],
        serde_json::json!(["main"])
    );
    assert_least_privilege(path, &workflow, &["issues"]);
    assert_eq!(
        workflow["concurrency"]["group"],
        Value::from("scoville-apply")
    );
    assert_eq!(
        workflow["concurrency"]["cancel-in-progress"],
        Value::from(false)
    );
    let scoville = steps_using(&workflow, "scoville-dev/scoville");
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
    assert!(
        !steps_using(&workflow, "actions/upload-artifact").is_empty(),
        "{path}: uploads the report"
    );
}

#[test]
fn drift_workflow_runs_nightly_with_a_read_only_token() {
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
    assert_least_privilege(path, &workflow, &["issues"]);
    let scoville = steps_using(&workflow, "scoville-dev/scoville");
    assert_eq!(scoville.len(), 1);
    assert_eq!(scoville[0]["with"]["command"], Value::from("drift"));
    // The record of the last apply is fetched into DRIFT_RECORD and passed when found.
    let args = scoville[0]["with"]["args"].as_str().unwrap();
    assert!(args.contains("${{ env.DRIFT_RECORD }}"), "{path}: {args}");
    let text = serde_json::to_string(&workflow).unwrap();
    assert!(
        text.contains("--last-applied last-applied.json"),
        "{path}: uses the record of the last apply"
    );
    assert_eq!(
        scoville[0]["with"]["token"],
        Value::from("${{ secrets.CHILI_PIPER_READ_TOKEN }}")
    );
}

#[test]
fn composite_action_passes_inputs_as_environment_not_script_text() {
    let action = load("action.yml");
    assert_eq!(action["runs"]["using"], Value::from("composite"));
    for input in [
        "command",
        "args",
        "token",
        "output-file",
        "working-directory",
    ] {
        assert!(
            action["inputs"].get(input).is_some(),
            "action.yml: input `{input}`"
        );
    }
    for step in action["runs"]["steps"].as_array().expect("steps") {
        if let Some(script) = step["run"].as_str() {
            assert!(
                !script.contains("${{"),
                "action.yml: a run script interpolates an expression: {script}"
            );
        }
    }
}

#[test]
fn project_ci_runs_fmt_clippy_and_the_tests_read_only() {
    let path = ".github/workflows/ci.yml";
    let workflow = load(path);
    assert_least_privilege(path, &workflow, &[]);
    let text = serde_json::to_string(&workflow).unwrap();
    for needle in ["cargo fmt", "cargo clippy", "-D warnings", ".ci/run"] {
        assert!(text.contains(needle), "{path}: runs `{needle}`");
    }
}
