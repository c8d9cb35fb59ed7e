//! The convergence property: for generated orgs and manifests, with the emulator failing 13%
//! of reads and 28% of writes (ambiguous writes among them), repeated `apply` empties the plan
//! within `harness::MAX_APPLIES` applies (runs whose read failed change nothing and are not
//! counted), and the final org is what the manifests say: no duplicate user, team,
//! distribution, rule, reminder, meeting type or link, no declared membership lost, nothing
//! undeclared deleted unless pruned, and no create ran twice over the whole case.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

use super::generate;
use super::harness;
use super::model;
use scoville::emulator::JournalEntry;

/// Cases per run: each is a fresh emulator and a few applies, under 100 ms in a debug build.
/// (1000 cases were run while writing this: none needed more than three applies.)
const CASES: u32 = 96;

/// Runs one case: seed, converge, check. `Err` says what went wrong, with every run's report.
fn run_case(case: &generate::Case) -> Result<(), String> {
    let (org, desired_model) = case.build();
    let manifests = desired_model.to_manifests();
    let desired = scoville::manifest::load_texts(&manifests).map_err(|diagnostics| {
        format!(
            "the generated manifests do not load:\n{}\n{manifests:#?}",
            diagnostics.render_text()
        )
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let running = harness::start(org.to_seed()).await;
        let client = harness::client(&running, harness::fast_retries(case.fault_seed));
        let convergence = harness::converge(&running, &client, &desired, case.fault_seed).await;
        let state = running.control().state();
        let mut failures = Vec::new();
        if let Some(leftover) = &convergence.leftover {
            failures.push(format!(
                "the plan is not empty after {} applies:\n{leftover}",
                convergence.applies()
            ));
        }
        failures.extend(model::problems(&state, &org, &desired_model));
        failures.extend(created_more_than_once(&running.control().journal()));
        if failures.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{}\n\nmanifests:\n{}\nruns:\n{}",
                failures.join("\n"),
                manifests
                    .iter()
                    .map(|(file, text)| format!("# {file}\n{text}"))
                    .collect::<String>(),
                convergence.describe()
            ))
        }
    })
}

/// Objects a create ran for more than once over the whole case (every run, every retry):
/// "no duplicates, ever", even one that a later run would have cleaned up. A meeting-type
/// create repeated with its idempotency key answers the one it made, so those count once per
/// key.
pub(super) fn created_more_than_once(journal: &[JournalEntry]) -> Vec<String> {
    let mut created: BTreeMap<String, usize> = BTreeMap::new();
    let mut keys_seen: BTreeSet<String> = BTreeSet::new();
    for entry in journal {
        let ran = entry
            .operation_status
            .is_some_and(|status| (200..300).contains(&status));
        let body = &entry.body;
        let key = match entry.operation.as_deref() {
            Some(op @ ("team-create" | "distribution-create")) => {
                format!("{op} {} {}", body["workspaceId"], body["name"])
            }
            Some(op @ "rule-create") => {
                format!(
                    "{op} {} {}",
                    body["dto"]["workspaceId"], body["dto"]["name"]
                )
            }
            Some(op @ "user-invite") => format!("{op} {}", body["email"]),
            Some(op @ "meeting-type-reminder-create") => {
                format!("{op} {} {}", body["workspaceId"], body["name"])
            }
            Some(op @ "meeting-type-create") => {
                if ran && !keys_seen.insert(body["idempotencyKey"].to_string()) {
                    continue;
                }
                format!("{op} {} {}", body["workspaceId"], body["name"])
            }
            Some(op) if op.starts_with("scheduling-link-create-") => {
                format!("{op} {} {}", body["workspaceId"], body["slug"])
            }
            _ => continue,
        };
        if ran {
            *created.entry(key).or_default() += 1;
        }
    }
    created
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(key, n)| format!("{key} ran {n} times"))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        // Each shrink step replays whole applies: keep shrinking bounded.
        max_shrink_iters: 200,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/convergence.txt",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn repeated_apply_converges_under_faults_without_duplicates_or_losses(
        case in generate::case()
    ) {
        let outcome = run_case(&case);
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }
}

/// The fault mix really is at least 10% on every kind of operation, with ambiguous writes,
/// on a case that needs every kind of write: the property above would prove little otherwise.
#[test]
fn fault_mix_fails_at_least_a_tenth_of_requests_and_makes_writes_ambiguous() {
    use scoville::emulator::Fault;
    let case = generate::Case {
        n_users: 6,
        org_licenses: vec![1, 2, 3, 4, 5, 6, 7, 0],
        declared_licenses: vec![Some(7), Some(0), None, Some(2), Some(3), None, None, None],
        invitees: vec![Some(Some(1)), Some(None)],
        workspaces: vec![generate::WorkspaceKnobs {
            org_members: 0b0011_1111,
            org_teams: vec![0b0000_0111, 0b0011_1000],
            org_distributions: vec![generate::DistributionKnobs {
                team: 0,
                assignment: 0,
                weights: vec![100; 10],
                cap: None,
            }],
            org_rules: vec![generate::RuleKnobs {
                value: 1,
                email_not_empty: false,
                ownership: None,
            }],
            member_flip: 0b11_0000_0001,
            prune: 0b1111,
            team_slots: vec![Some(0b10), None, Some(0b11_0000_0000), Some(0b110)],
            distribution_slots: vec![
                Some(generate::Change {
                    keep: false,
                    rename: false,
                    knobs: generate::DistributionKnobs {
                        team: 1,
                        assignment: 3,
                        weights: vec![50; 10],
                        cap: Some(5),
                    },
                }),
                Some(generate::Change {
                    keep: false,
                    rename: false,
                    knobs: generate::DistributionKnobs {
                        team: 0,
                        assignment: 2,
                        weights: vec![70; 10],
                        cap: None,
                    },
                }),
                None,
            ],
            rule_slots: vec![
                Some(generate::Change {
                    keep: false,
                    rename: true,
                    knobs: generate::RuleKnobs {
                        value: 9,
                        email_not_empty: true,
                        ownership: None,
                    },
                }),
                Some(generate::Change {
                    keep: false,
                    rename: false,
                    knobs: generate::RuleKnobs {
                        value: 3,
                        email_not_empty: false,
                        ownership: Some(0),
                    },
                }),
                None,
            ],
            org_settings: 0,
            declared_settings: Some(0b1011),
            booking: None,
        }],
        fault_seed: 11,
    };
    assert_eq!(run_case(&case), Ok(()));

    // Replay the same fault configuration on many requests of each kind and count.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (org, _) = case.build();
        let running = harness::start(org.to_seed()).await;
        let client = harness::client(&running, scoville::edge::RetryPolicy::never());
        running.control().set_faults(harness::fault_mix(5));
        let workspace_id = running
            .control()
            .state()
            .workspaces
            .keys()
            .next()
            .unwrap()
            .clone();
        let user_id = running.control().user_id("user0@conv.example").unwrap();
        for _ in 0..400 {
            let _ = client.team_list(&Default::default()).await;
            let _ = client
                .workspace_add_users(&workspace_id, std::slice::from_ref(&user_id))
                .await;
        }
        let journal = running.control().journal();
        let rate = |operation: &str| {
            let entries: Vec<_> = journal
                .iter()
                .filter(|e| e.operation.as_deref() == Some(operation))
                .collect();
            let faulted = entries.iter().filter(|e| e.fault.is_some()).count();
            faulted as f64 / entries.len() as f64
        };
        // Deterministic: one request at a time, so the seeded faults always fall the same way
        // (14.5% of reads, 26% of writes).
        assert!(
            rate("team-list-put") >= 0.10,
            "reads: {}",
            rate("team-list-put")
        );
        assert!(
            rate("workspace-add-users") >= 0.20,
            "writes: {}",
            rate("workspace-add-users")
        );
        let ambiguous = journal
            .iter()
            .filter(|e| matches!(e.fault, Some(Fault::AmbiguousError | Fault::AmbiguousDrop)))
            .count();
        assert!(ambiguous >= 20, "{ambiguous} ambiguous writes of 400");
    });
}
