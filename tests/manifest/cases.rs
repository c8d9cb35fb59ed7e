//! One snapshot per kind of mistake: the text a person sees, with file:line:column, the source
//! line, carets and a hint. Fixtures are directories under tests/manifest/cases/; most are
//! loaded together with `common/` (a few declared users). Paths are relative to the package
//! root, which is where cargo runs integration tests, so snapshots do not depend on the machine.

use std::path::PathBuf;

use scoville::manifest::{self, Diagnostics};

const CASES: &str = "tests/manifest/cases";

/// Loads the case directories and returns the problems, failing if there are none.
fn problems(dirs: &[&str]) -> Diagnostics {
    let paths: Vec<PathBuf> = dirs.iter().map(|d| PathBuf::from(CASES).join(d)).collect();
    match manifest::load(&paths) {
        Ok(_) => panic!("{dirs:?} loaded without problems, but the case expects some"),
        Err(diagnostics) => diagnostics,
    }
}

fn text(dirs: &[&str]) -> String {
    problems(dirs).render_text()
}

#[test]
fn yaml_syntax_error() {
    insta::assert_snapshot!(text(&["common", "yaml-syntax"]));
}

#[test]
fn duplicate_key_names_both_places() {
    insta::assert_snapshot!(text(&["common", "duplicate-key"]));
}

#[test]
fn unknown_keys_are_all_reported_with_a_suggestion() {
    insta::assert_snapshot!(text(&["common", "unknown-key"]));
}

#[test]
fn wrong_types() {
    insta::assert_snapshot!(text(&["common", "wrong-type"]));
}

#[test]
fn invalid_emails() {
    insta::assert_snapshot!(text(&["common", "invalid-email"]));
}

#[test]
fn weights_out_of_range() {
    insta::assert_snapshot!(text(&["common", "weight-out-of-range"]));
}

#[test]
fn workspace_declared_in_two_files() {
    insta::assert_snapshot!(text(&["common", "workspace-declared-twice"]));
}

#[test]
fn workspace_look_alike_names_in_two_files_were_valid() {
    insta::assert_snapshot!(text(&["common", "workspace-look-alike-in-two-files"]));
}

#[test]
fn user_declared_twice_ignoring_case() {
    insta::assert_snapshot!(text(&["common", "user-declared-twice"]));
}

#[test]
fn undeclared_user() {
    insta::assert_snapshot!(text(&["common", "undeclared-user"]));
}

#[test]
fn what_the_api_would_refuse_ownership_without_team_or_reference() {
    insta::assert_snapshot!(text(&["common", "api-refusals"]));
}

#[test]
fn undeclared_team() {
    insta::assert_snapshot!(text(&["common", "undeclared-team"]));
}

#[test]
fn undeclared_workspace_in_the_policy() {
    insta::assert_snapshot!(text(&["common", "undeclared-workspace"]));
}

#[test]
fn team_member_outside_the_workspace() {
    insta::assert_snapshot!(text(&["common", "team-member-outside-workspace"]));
}

#[test]
fn weight_for_someone_not_on_the_team() {
    insta::assert_snapshot!(text(&["common", "weight-for-non-team-member"]));
}

#[test]
fn empty_files() {
    insta::assert_snapshot!(text(&["common", "empty-file"]));
}

#[test]
fn directory_without_manifests() {
    insta::assert_snapshot!(text(&["empty-directory"]));
}

#[test]
fn missing_path() {
    insta::assert_snapshot!(text(&["common", "no-such-directory"]));
}

#[test]
fn not_utf8() {
    insta::assert_snapshot!(text(&["not-utf8"]));
}

#[test]
fn unknown_enum_values() {
    insta::assert_snapshot!(text(&["common", "unknown-value"]));
}

#[test]
fn missing_key() {
    insta::assert_snapshot!(text(&["common", "missing-key"]));
}

#[test]
fn rule_conditions() {
    insta::assert_snapshot!(text(&["common", "conditions"]));
}

#[test]
fn distribution_assignment_type() {
    insta::assert_snapshot!(text(&["common", "assignment"]));
}

#[test]
fn policy_and_tenant() {
    insta::assert_snapshot!(text(&["common", "policy"]));
}

#[test]
fn renames() {
    insta::assert_snapshot!(text(&["common", "renames"]));
}

#[test]
fn more_than_one_document() {
    insta::assert_snapshot!(text(&["common", "multiple-documents"]));
}

#[test]
fn tab_indentation() {
    insta::assert_snapshot!(text(&["common", "tabs"]));
}

#[test]
fn file_that_is_not_a_mapping() {
    insta::assert_snapshot!(text(&["common", "not-a-mapping"]));
}

#[test]
fn github_annotations() {
    insta::assert_snapshot!(problems(&["common", "unknown-key"]).render_github());
}

#[test]
fn json_diagnostics() {
    insta::assert_snapshot!(problems(&["common", "workspace-declared-twice"]).render_json());
}

/// A file that cannot be read (here a dangling symbolic link) is reported, and the other
/// files are still checked.
#[cfg(unix)]
#[test]
fn unreadable_file() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::os::unix::fs::symlink(dir.path().join("gone.yaml"), dir.path().join("sales.yaml"))
        .expect("symlink");
    std::fs::write(dir.path().join("users.yaml"), "users:\n  a@b.example: {}\n").expect("write");
    let diagnostics = manifest::load(&[dir.path().to_path_buf()]).expect_err("problems");
    let items = diagnostics.items();
    assert_eq!(items.len(), 1, "{}", diagnostics.render_text());
    assert!(items[0].source.file.ends_with("sales.yaml"));
    assert!(
        items[0].message.starts_with("cannot read this file:"),
        "{}",
        items[0].message
    );
}

/// Every problem of a file is reported, not just the first: a broken team does not hide a
/// broken distribution of the same workspace.
#[test]
fn problems_in_separate_entries_are_all_reported() {
    let diagnostics = problems(&["common", "conditions"]);
    assert!(diagnostics.len() >= 6, "{}", diagnostics.render_text());
}

/// Regression: a syntax error in users.yaml made every email of every workspace file an
/// "undeclared user". Only the syntax error is reported now.
#[test]
fn broken_users_file_does_not_cascade() {
    insta::assert_snapshot!(text(&["broken-users-file"]));
}

/// Likewise a misspelled section name (`user:`): the users it holds are unknown, not missing.
#[test]
fn misspelled_section_does_not_cascade() {
    insta::assert_snapshot!(text(&["section-typo"]));
}

/// An empty file declares nothing, which is known: references elsewhere are still checked.
#[test]
fn empty_file_does_not_hide_other_problems() {
    let diagnostics = problems(&["empty-file", "undeclared-user"]);
    let messages: Vec<&str> = diagnostics
        .items()
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "empty manifest file",
            "empty manifest file",
            "`liam.patle@acme.example` is not a declared user",
            "`olivia.reyes@acme.example` is not a declared user",
        ]
    );
}

#[test]
fn impossible_dates_times_days_and_time_zones() {
    // Regression: these reached the API unchecked; a time zone typo gets the closest name.
    insta::assert_snapshot!(text(&["common", "impossible-reset-values"]));
}

#[test]
fn a_misspelt_teams_key_is_one_problem_not_one_per_reference() {
    // Regression: `taems:` also reported every distribution naming those teams as undeclared.
    let diagnostics = problems(&["common", "teams-key-typo"]);
    assert_eq!(diagnostics.len(), 1, "{}", diagnostics.render_text());
    assert!(
        diagnostics.render_text().contains("did you mean `teams`?"),
        "{}",
        diagnostics.render_text()
    );
}

/// Regression (one mistake hid the others): a duplicate email plus two typos in the same file
/// are reported together, and the cross-file check of the workspace still runs.
#[test]
fn a_duplicate_key_does_not_hide_the_other_problems() {
    insta::assert_snapshot!(text(&["common", "duplicate-key-keeps-checking"]));
}

/// Emails with a Cyrillic letter or a zero-width space, and two team names that read the same.
#[test]
fn look_alike_emails_and_names_are_flagged() {
    insta::assert_snapshot!(text(&["common", "look-alikes"]));
}

/// `capping` with `caps` but no `reset` (`{}` is the way to say none), and `licenses` pruned
/// under a workspace.
#[test]
fn half_given_capping_and_misplaced_license_pruning() {
    insta::assert_snapshot!(text(&["common", "caps-without-reset"]));
}

/// A key with no value counts as omitted: `Sales:` is `Sales: {}` (nothing managed) and
/// `sdr:` is `sdr: {}` (a declared team whose members are left alone); `sdr: []` is empty.
#[test]
fn null_values_mean_omitted_and_empty_values_mean_empty() {
    let load = |text: &str| {
        manifest::load_texts(&[("m.yaml".to_string(), text.to_string())])
            .unwrap_or_else(|d| panic!("{}", d.render_text()))
    };
    let bare = load("users:\n  a@example.com:\nworkspaces:\n  Sales:\n");
    let braces = load("users:\n  a@example.com:\nworkspaces:\n  Sales: {}\n");
    let (bare, braces) = (&bare.workspaces["Sales"], &braces.workspaces["Sales"]);
    assert_eq!(bare.left_alone, braces.left_alone);
    assert_eq!(
        bare.left_alone.len(),
        7,
        "members, teams, distributions, rules, meeting types, reminders, scheduling links"
    );

    let teams = load(
        "users:\n  a@example.com:\nworkspaces:\n  Sales:\n    members: [a@example.com]\n    teams:\n      null-team:\n      braces-team: {}\n      empty-team: []\n      listed: [a@example.com]\n",
    );
    let teams = &teams.workspaces["Sales"].teams;
    assert!(!teams["null-team"].members_managed);
    assert!(!teams["braces-team"].members_managed);
    assert!(teams["empty-team"].members_managed && teams["empty-team"].members.is_empty());
    assert!(teams["listed"].members_managed);
    let weights = load(
        "users:\n  a@example.com:\nworkspaces:\n  Sales:\n    members: [a@example.com]\n    teams: {sdr: [a@example.com]}\n    distributions:\n      Omitted: {team: sdr, record: {handling: {type: Strict}}}\n      Empty: {team: sdr, record: {handling: {type: Strict}}, weights: {}, calibration: {}, capping: {}}\n",
    );
    let distributions = &weights.workspaces["Sales"].distributions;
    assert_eq!(distributions["Omitted"].left_alone.len(), 3);
    assert!(distributions["Empty"].left_alone.is_empty());
}

#[test]
fn a_mention_in_another_case_or_with_spaces_names_the_declared_user() {
    let desired = manifest::load_texts(&[(
        "m.yaml".to_string(),
        "users:\n  ava@example.com:\nworkspaces:\n  Sales:\n    members: [Ava@Example.COM]\n    teams: {sdr: [' ava@example.com']}\n"
            .to_string(),
    )])
    .unwrap_or_else(|d| panic!("{}", d.render_text()));
    let sales = &desired.workspaces["Sales"];
    let declared = desired.users.keys().next().unwrap();
    let member = sales.members.keys().next().unwrap();
    assert_eq!(member, declared);
    assert_eq!(
        sales.teams["sdr"].members.keys().collect::<Vec<_>>(),
        vec![declared]
    );
    // Mentioned or declared, one address; an undeclared one is still refused.
    let undeclared = manifest::load_texts(&[(
        "m.yaml".to_string(),
        "users:\n  ava@example.com:\nworkspaces:\n  Sales:\n    members: [eva@example.com]\n"
            .to_string(),
    )])
    .unwrap_err()
    .render_text();
    assert!(
        undeclared.contains("`eva@example.com` is not a declared user"),
        "{undeclared}"
    );
}
