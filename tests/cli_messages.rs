//! Messages of the binary that once read wrong: the Markdown cut note with and without
//! `--out`, a saved plan recognized by its content, and the flags shared by plan and drift.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn scoville(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scoville"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SCOVILLE_ENDPOINT")
        .env_remove("SCOVILLE_SANDBOX_FAULTS")
        .env_remove("CHILI_PIPER_API_KEY")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A copy of the acme example in `dir/manifests`, inviting `n_invites` more people.
fn manifests(dir: &Path, n_invites: usize) -> PathBuf {
    let manifests = dir.join("manifests");
    std::fs::create_dir(&manifests).unwrap();
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    for entry in std::fs::read_dir(acme).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), manifests.join(entry.file_name())).unwrap();
    }
    let mut users = std::fs::OpenOptions::new()
        .append(true)
        .open(manifests.join("users.yaml"))
        .unwrap();
    for n in 0..n_invites {
        write!(
            users,
            "  person.with.a.rather.long.name.{n:05}@acme.example:\n    invite: true\n"
        )
        .unwrap();
    }
    manifests
}

/// Regression: the note of a cut Markdown plan read "The full plan is in the full plan is in
/// `plan.json`" with `--out`, and "The full plan is in run `scoville plan ...`" without.
#[test]
fn the_markdown_cut_note_reads_as_a_sentence_with_and_without_out() {
    let dir = tempfile::tempdir().unwrap();
    manifests(dir.path(), 1_500);
    let with_out = scoville(
        dir.path(),
        &[
            "plan",
            "manifests",
            "--sandbox",
            "--format",
            "markdown",
            "--out",
            "plan.json",
        ],
    );
    let with_out = text(&with_out.stdout);
    assert!(
        with_out.contains("This comment is cut"),
        "the plan is long enough to be cut"
    );
    assert!(
        with_out.contains("The full plan is in `plan.json`.\n"),
        "{with_out}"
    );

    let without = text(
        &scoville(
            dir.path(),
            &["plan", "manifests", "--sandbox", "--format", "markdown"],
        )
        .stdout,
    );
    assert!(
        without.contains(
            "The full plan is in the JSON plan, which `scoville plan --out plan.json` saves.\n"
        ),
        "{without}"
    );
}

/// Regression: a saved plan named other than `*.json`, or given with a directory, was read as
/// a manifest and gave an "unknown key" error per top-level key.
#[test]
fn a_saved_plan_is_recognized_by_its_content() {
    let dir = tempfile::tempdir().unwrap();
    manifests(dir.path(), 0);
    let saved = scoville(
        dir.path(),
        &["plan", "manifests", "--sandbox", "--out", "plan.json"],
    );
    assert!(saved.status.success(), "{}", text(&saved.stderr));
    std::fs::copy(dir.path().join("plan.json"), dir.path().join("plan.txt")).unwrap();

    let mixed = scoville(dir.path(), &["apply", "plan.txt", "manifests", "--sandbox"]);
    assert_eq!(mixed.status.code(), Some(1));
    let stderr = text(&mixed.stderr);
    assert!(
        stderr.contains("`plan.txt` is a saved plan: pass it alone"),
        "{stderr}"
    );
    assert!(!stderr.contains("unknown key"), "{stderr}");

    let planned = scoville(dir.path(), &["plan", "plan.txt", "--sandbox"]);
    assert_eq!(planned.status.code(), Some(1));
    let stderr = text(&planned.stderr);
    assert!(
        stderr.contains("`plan.txt` is a saved plan, not a manifest"),
        "{stderr}"
    );
    assert!(!stderr.contains("unknown key"), "{stderr}");

    // Alone, it is applied as a saved plan: without a terminal to confirm on, the error says
    // how to apply anyway.
    let alone = scoville(dir.path(), &["apply", "plan.txt", "--sandbox"]);
    assert_eq!(alone.status.code(), Some(1));
    let stderr = text(&alone.stderr);
    assert!(stderr.contains("pass --auto-approve"), "{stderr}");
    let applied = scoville(
        dir.path(),
        &["apply", "plan.txt", "--sandbox", "--auto-approve"],
    );
    assert!(applied.status.success(), "{}", text(&applied.stderr));
}

#[test]
fn drift_takes_detailed_exitcode_like_plan_and_verbose_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    manifests(dir.path(), 0);
    let drift = scoville(
        dir.path(),
        &["drift", "manifests", "--sandbox", "--detailed-exitcode"],
    );
    assert_eq!(
        drift.status.code(),
        Some(2),
        "the demo org differs from the example: {}",
        text(&drift.stderr)
    );
    let plan = scoville(
        dir.path(),
        &[
            "-v",
            "plan",
            "manifests",
            "--sandbox",
            "--detailed-exitcode",
        ],
    );
    assert_eq!(plan.status.code(), Some(2), "{}", text(&plan.stderr));
    let plan = scoville(dir.path(), &["plan", "manifests", "--sandbox", "--verbose"]);
    assert!(plan.status.success(), "{}", text(&plan.stderr));
}

/// Regression: apply printed each step on standard output and, off a terminal, logged it on
/// standard error too. Steps are logged once, on standard error; standard output has the plan
/// and the summary.
#[test]
fn apply_logs_each_step_once_on_standard_error() {
    let dir = tempfile::tempdir().unwrap();
    manifests(dir.path(), 0);
    let applied = scoville(
        dir.path(),
        &["apply", "manifests", "--sandbox", "--auto-approve"],
    );
    assert!(applied.status.success(), "{}", text(&applied.stderr));
    let (stdout, stderr) = (text(&applied.stdout), text(&applied.stderr));
    let step = "team-create team:Sales/mid-market-ae";
    assert_eq!(
        stderr.matches(&format!("apply: {step}: done")).count(),
        1,
        "{stderr}"
    );
    assert!(!stdout.contains(&format!("done  {step}")), "{stdout}");
    assert!(
        stdout.contains("Apply: 13 done, 0 failed, 0 skipped."),
        "{stdout}"
    );
}

/// Regression: Ctrl-D at the confirmation prompt printed the error on the prompt's line. Run
/// on a pseudo-terminal (util-linux `script`, when installed) that receives an end of input.
#[test]
fn ctrl_d_at_the_prompt_prints_the_error_on_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    manifests(dir.path(), 0);
    let command = format!(
        "{} apply manifests --sandbox",
        env!("CARGO_BIN_EXE_scoville")
    );
    let Ok(mut child) = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env_remove("SCOVILLE_SANDBOX_FAULTS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        return; // No `script` here: nothing to run the prompt on.
    };
    // End of input, as the terminal's Ctrl-D gives it.
    child.stdin.take().unwrap().write_all(b"\x04").unwrap();
    let output = child.wait_with_output().unwrap();
    let screen = text(&output.stdout).replace('\r', "");
    let prompt = "Only `yes` is accepted: ";
    assert!(screen.contains(prompt), "{screen}");
    assert!(
        screen.contains("\nerror: apply cancelled: nothing was changed"),
        "{screen}"
    );
    assert!(!screen.contains(&format!("{prompt}error:")), "{screen}");
}

/// Regression: the apply log on standard error printed a meeting type's name as written, so a
/// name carrying an escape sequence (here one retitling the terminal window) or a direction
/// override reached the terminal raw; standard output was already escaped. Diagnostics on
/// standard error quoted such names raw as well.
#[test]
fn escape_sequences_and_direction_overrides_in_names_never_reach_standard_error_raw() {
    let dir = tempfile::tempdir().unwrap();
    let manifests = manifests(dir.path(), 0);
    let sales = manifests.join("sales.yaml");
    let hostile = "\"Product\\u202eDemo\\x1b]0;owned\\x07\"";
    let text_of_sales = std::fs::read_to_string(&sales)
        .unwrap()
        .replace("      Product Demo:\n", &format!("      {hostile}:\n"))
        .replace(
            "meetingTypes: [Product Demo]",
            &format!("meetingTypes: [{hostile}]"),
        );
    std::fs::write(&sales, &text_of_sales).unwrap();
    let raw =
        |out: &str| out.contains('\u{1b}') || out.contains('\u{7}') || out.contains('\u{202e}');

    let applied = scoville(
        dir.path(),
        &["apply", "manifests", "--sandbox", "--auto-approve"],
    );
    assert!(applied.status.success(), "{}", text(&applied.stderr));
    let stderr = text(&applied.stderr);
    assert!(stderr.contains("apply: meeting-type-create meetingType:Sales/Product\\u202eDemo\\u001b]0;owned\\u0007: done"), "{stderr}");
    assert!(!raw(&stderr), "{stderr:?}");
    assert!(!raw(&text(&applied.stdout)));

    // A reference to the name with one more space is a problem that quotes the name.
    std::fs::write(
        &sales,
        text_of_sales.replace("[Day before]", "[\"Day before\\u202e\"]"),
    )
    .unwrap();
    for command in ["validate", "plan"] {
        let refused = scoville(
            dir.path(),
            &[command, "manifests", "--sandbox"][..if command == "plan" { 3 } else { 2 }],
        );
        assert!(!refused.status.success());
        let stderr = text(&refused.stderr);
        assert!(stderr.contains("does not declare"), "{stderr}");
        assert!(!raw(&stderr), "{command}: {stderr:?}");
    }
}
