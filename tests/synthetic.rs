//! The benchmark's synthetic org: deterministic, the promised sizes, manifests that describe
//! their seed exactly, and variants whose declared changes are what a plan finds.

use std::collections::BTreeMap;
use std::sync::Arc;

use scoville::apply::{self, ApplyOptions, SilentProgress};
use scoville::bench::synthetic::{Size, SyntheticOrg};
use scoville::edge::{ApiToken, ClientOptions, EdgeClient, Endpoint};
use scoville::emulator::{self, DEMO_ADMIN_TOKEN, Options, Running, SeedRuleKind};
use scoville::live::{self, Scope};
use scoville::manifest;
use scoville::model::Desired;
use scoville::plan::{self, Plan, PlanOptions};
use scoville::render;

async fn start(org: &SyntheticOrg) -> (Running, EdgeClient) {
    let running = emulator::start(Options::new(org.seed.clone()))
        .await
        .expect("the emulator starts with the synthetic seed");
    let client = EdgeClient::new(
        Endpoint::parse(&running.base_url()).unwrap(),
        ApiToken::from_literal(DEMO_ADMIN_TOKEN).unwrap(),
        ClientOptions::default(),
    )
    .unwrap();
    (running, client)
}

fn load(files: &[(String, String)]) -> Desired {
    manifest::load_texts(files).unwrap_or_else(|diagnostics| {
        panic!(
            "the generated manifests do not load:\n{}",
            diagnostics.render_text()
        )
    })
}

async fn plan_against(client: &EdgeClient, desired: &Desired) -> Plan {
    let live = live::fetch(client, &Scope::for_desired(desired))
        .await
        .unwrap();
    plan::plan(desired, &live, &PlanOptions::new(desired, false))
}

fn calls_by_op(plan: &Plan) -> BTreeMap<&'static str, u64> {
    let mut calls = BTreeMap::new();
    for step in &plan.steps {
        *calls.entry(step.call.op().id).or_default() += 1;
    }
    calls
}

#[test]
fn the_same_seed_gives_the_same_org_manifests_and_variants() {
    let first = SyntheticOrg::generate(Size::Small, 7);
    let second = SyntheticOrg::generate(Size::Small, 7);
    assert_eq!(first, second);
    assert_eq!(first.manifests(), second.manifests());
    assert_eq!(first.variant(20), second.variant(20));
    assert_eq!(first.variant(1), second.variant(1));

    let other = SyntheticOrg::generate(Size::Small, 8);
    assert_ne!(first.seed, other.seed, "another seed gives another org");
}

#[test]
fn each_size_has_the_promised_counts() {
    for (size, users, workspaces, teams, distributions, rules) in [
        (Size::Small, 50, 2, 6, 6, 10),
        (Size::Large, 5_000, 50, 500, 500, 1_000),
        (Size::Huge, 50_000, 200, 3_000, 3_000, 5_000),
    ] {
        let org = SyntheticOrg::generate(size, 1);
        let seed = &org.seed;
        let sum = |f: fn(&emulator::SeedWorkspace) -> usize| -> usize {
            seed.workspaces.iter().map(f).sum()
        };
        assert_eq!(seed.users.len(), users, "{size:?} users");
        assert_eq!(seed.workspaces.len(), workspaces, "{size:?} workspaces");
        assert_eq!(sum(|w| w.teams.len()), teams, "{size:?} teams");
        assert_eq!(
            sum(|w| w.distributions.len()),
            distributions,
            "{size:?} distributions"
        );
        assert_eq!(sum(|w| w.rules.len()), rules, "{size:?} rules");
        let ownership = sum(|w| {
            w.rules
                .iter()
                .filter(|r| r.kind == SeedRuleKind::Ownership)
                .count()
        });
        assert_eq!(
            ownership,
            rules / 5,
            "{size:?}: one rule in five is an ownership rule"
        );
        let memberships = sum(|w| w.teams.iter().map(|t| t.members.len()).sum());
        let average = memberships as f64 / teams as f64;
        let expected = size.shape().n_members_per_team as f64;
        assert!(
            (average - expected).abs() <= 1.0,
            "{size:?}: teams average {average} members, expected about {expected}"
        );
    }
}

#[test]
fn the_large_manifests_load_and_declare_the_whole_org() {
    let org = SyntheticOrg::generate(Size::Large, 1);
    let desired = load(&org.manifests());
    assert_eq!(desired.tenant.as_ref().unwrap().0, org.tenant_id());
    assert_eq!(desired.users.len(), 5_000);
    assert_eq!(desired.workspaces.len(), 50);
    let sum = |f: fn(&scoville::model::DesiredWorkspace) -> usize| -> usize {
        desired.workspaces.values().map(f).sum()
    };
    assert_eq!(sum(|w| w.teams.len()), 500);
    assert_eq!(sum(|w| w.distributions.len()), 500);
    assert_eq!(sum(|w| w.rules.len()), 1_000);
    assert_eq!(sum(|w| usize::from(w.settings.is_some())), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_small_manifests_plan_to_nothing_against_their_seed() {
    let org = SyntheticOrg::generate(Size::Small, 1);
    let desired = load(&org.manifests());
    let (_running, client) = start(&org).await;
    let plan = plan_against(&client, &desired).await;
    assert!(
        plan.is_empty(),
        "the manifests differ from their seed:\n{}",
        render::text(&plan, false)
    );
    // The reading took exactly the requests the page cap forces.
    let stats = client.stats();
    let minimum = org.minimum_read_requests();
    for (op, count) in &minimum {
        assert_eq!(stats.requests(op), *count, "{op}");
    }
    assert_eq!(stats.total().requests, minimum.values().sum::<u64>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn variants_plan_exactly_their_declared_changes_and_converge() {
    let org = SyntheticOrg::generate(Size::Small, 1);
    for percent in [1, 20] {
        let variant = org.variant(percent);
        let changes = &variant.changes;
        assert!(
            !changes.team_additions.is_empty(),
            "{percent}%: teams change"
        );
        assert!(!changes.reweighted.is_empty(), "{percent}%: weights change");
        assert!(
            !changes.modified_rules.is_empty(),
            "{percent}%: rules change"
        );
        assert!(
            !changes.workspace_additions.is_empty(),
            "{percent}%: workspaces gain members"
        );

        let desired = load(&variant.manifests);
        let (running, client) = start(&org).await;
        let plan = plan_against(&client, &desired).await;
        assert_eq!(
            calls_by_op(&plan),
            changes.minimum_write_calls(),
            "{percent}%: one call per target and direction:\n{}",
            render::text(&plan, false)
        );

        let report = apply::run(
            &client,
            &plan,
            &ApplyOptions::default(),
            Arc::new(SilentProgress),
        )
        .await;
        assert!(report.succeeded(), "{percent}%: {report:?}");
        let again = plan_against(&client, &desired).await;
        assert!(
            again.is_empty(),
            "{percent}%: applying the variant did not converge:\n{}",
            render::text(&again, false)
        );
        drop(running);
    }
    let small = org.variant(1).changes;
    let large = org.variant(20).changes;
    assert!(small.n_memberships_changed() <= large.n_memberships_changed());
}

/// Regression: the YAML parser's default budget (250,000 nodes) refused the users.yaml of a
/// 50,000-user org, although the file is well under the loader's 8 MiB cap.
#[test]
fn the_users_file_of_the_huge_org_loads() {
    let org = SyntheticOrg::generate(Size::Huge, 1);
    let files: Vec<(String, String)> = org
        .manifests()
        .into_iter()
        .filter(|(name, _)| name == "org.yaml" || name == "users.yaml")
        .collect();
    let desired = load(&files);
    assert_eq!(desired.users.len(), 50_000);
}

/// Regression: a no-change plan of an adopted org printed one line per member outside the
/// manifests (407 lines for 400 members). Every workspace of the large org here lists only the
/// members its teams need, so thousands are unmanaged; the text plan folds them into one line
/// per kind and fits one screen, while the JSON plan and `--verbose` still list each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_no_change_plan_with_thousands_of_unmanaged_members_fits_one_screen() {
    let org = SyntheticOrg::generate(Size::Large, 1);
    let files: Vec<(String, String)> = org
        .manifests()
        .into_iter()
        .map(|(name, text)| {
            if !name.starts_with("workspaces/") {
                return (name, text);
            }
            // Keep only the members its teams need: everyone else in the workspace is then
            // a live member the manifests do not mention.
            let on_teams: std::collections::BTreeSet<&str> = text
                .lines()
                .filter_map(|line| line.strip_prefix("        - "))
                .collect();
            let mut kept = String::new();
            let mut in_members = false;
            for line in text.lines() {
                if line == "    members:" {
                    in_members = true;
                    kept.push_str(line);
                    kept.push('\n');
                    continue;
                }
                if in_members && let Some(email) = line.strip_prefix("      - ") {
                    if on_teams.contains(email) {
                        kept.push_str(line);
                        kept.push('\n');
                    }
                    continue;
                }
                in_members = false;
                kept.push_str(line);
                kept.push('\n');
            }
            (name, kept)
        })
        .collect();
    let desired = load(&files);
    let (running, client) = start(&org).await;
    let plan = plan_against(&client, &desired).await;
    running.shutdown().await.unwrap();

    assert!(plan.steps.is_empty(), "{}", render::text(&plan, false));
    let n_members = plan.unmanaged.iter().filter(|u| u.kind == "member").count();
    assert!(n_members > 400, "{n_members} unmanaged members");
    let text = render::text(&plan, false);
    assert!(text.lines().count() < 50, "{text}");
    insta::assert_snapshot!(text);
    let verbose = render::text_with(&plan, false, true);
    assert!(
        verbose.lines().count() > n_members,
        "--verbose lists every member"
    );
}

/// The integrity checks cost nothing on a consistent org: a no-change plan of the large org
/// (5,000 users) makes exactly the page-cap minimum of requests, well within the 10% budget for
/// extra reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_no_change_plan_of_the_large_org_reads_no_more_than_the_page_cap_minimum() {
    let org = SyntheticOrg::generate(Size::Large, 1);
    let desired = load(&org.manifests());
    let (_running, client) = start(&org).await;
    let plan = plan_against(&client, &desired).await;
    assert!(plan.is_empty(), "{}", render::text(&plan, false));
    let minimum: u64 = org.minimum_read_requests().values().sum();
    let made = client.stats().total().requests;
    assert!(
        made * 10 <= minimum * 11,
        "{made} requests, minimum {minimum}"
    );
    assert_eq!(made, minimum, "no targeted read on a consistent org");
}

/// What verification costs an apply: one full read before the first write, one more before
/// each later phase, a look by name before each create and a look for twins after each team,
/// distribution or rule create. Nothing else. (The numbers are in docs/performance.md.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_apply_verifies_with_one_read_per_phase_and_two_looks_per_create() {
    let org = SyntheticOrg::generate(Size::Small, 1);
    let variant = org.variant(20);
    let desired = load(&variant.manifests);
    let (_running, client) = start(&org).await;
    let plan = plan_against(&client, &desired).await;
    let sweep = client.stats().total().requests;
    let inputs = plan::PlanInputs {
        desired: desired.clone(),
        allow_destructive: false,
    };
    scoville::apply::verify::verify(&client, &plan, Some(&inputs))
        .await
        .unwrap();
    assert_eq!(client.stats().total().requests, 2 * sweep, "one read");
    let options = ApplyOptions {
        recheck: Some(Arc::new(inputs)),
        ..ApplyOptions::default()
    };
    let before = client.stats().total().requests;
    let report = apply::run(&client, &plan, &options, Arc::new(SilentProgress)).await;
    assert!(report.succeeded(), "{}", report.render_text());
    let sent = client.stats().total().requests - before;
    let creates = plan
        .steps
        .iter()
        .filter(|s| {
            matches!(
                s.call.op().id,
                "team-create" | "distribution-create" | "rule-create"
            )
        })
        .count() as u64;
    let invites = plan
        .steps
        .iter()
        .filter(|s| s.call.op().id == "user-invite")
        .count() as u64;
    let rechecks = (plan.depth() as u64).saturating_sub(1) * sweep;
    let extra = sent - plan.steps.len() as u64;
    assert_eq!(
        extra,
        rechecks + 2 * creates + invites,
        "{} steps in {} phases, {creates} creates, {invites} invites, sweep {sweep}",
        plan.steps.len(),
        plan.depth()
    );
}
