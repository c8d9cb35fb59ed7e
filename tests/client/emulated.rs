//! The real client and live reader against the real emulator over HTTP: pagination edge
//! cases, permissions, faults, the journal, and the request count of `live::fetch`.

use scoville::edge::{
    ApiToken, ClientOptions, EdgeClient, EdgeError, Endpoint, RetryPolicy, ops, wire,
};
use scoville::emulator::{
    self, DEMO_ADMIN_TOKEN, DEMO_READONLY_TOKEN, Fault, FaultConfig, GeneratedOrg, Options,
    Running, Seed,
};
use scoville::live::{self, Scope, SettingsScope};
use scoville::model::{
    Assignment, Condition, DataReference, DataSource, Email, License, LogicalOperator, Operator,
    RuleKind, SearchOwnershipBy, SingleOperator,
};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

use super::scripted::fast_retries;

async fn start(seed: Seed) -> Running {
    emulator::start(Options::new(seed)).await.unwrap()
}

pub fn client(running: &Running, token: &str, retry: RetryPolicy) -> EdgeClient {
    EdgeClient::new(
        Endpoint::parse(&running.base_url()).unwrap(),
        ApiToken::from_literal(token).unwrap(),
        ClientOptions {
            retry,
            ..ClientOptions::default()
        },
    )
    .unwrap()
}

fn email(text: &str) -> Email {
    Email::parse(text).unwrap()
}

/// Requests per operation id in the emulator's journal.
fn journal_counts(running: &Running) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for entry in running.control().journal() {
        *counts
            .entry(entry.operation.unwrap_or_else(|| entry.path.clone()))
            .or_insert(0) += 1;
    }
    counts
}

/// Requests per operation id in the client's stats.
fn stats_counts(client: &EdgeClient) -> BTreeMap<String, u64> {
    client
        .stats()
        .per_op
        .iter()
        .map(|(op, counters)| (op.to_string(), counters.requests))
        .collect()
}

fn org_of_users(n_users: usize) -> Seed {
    Seed::generated(GeneratedOrg {
        n_users,
        n_workspaces: 1,
        n_teams_per_workspace: 0,
        n_members_per_team: 0,
        n_distributions_per_workspace: 0,
        n_rules_per_workspace: 0,
    })
}

#[tokio::test]
async fn pagination_reads_every_item_in_the_fewest_pages() {
    for n_users in [100, 101, 250] {
        let running = start(org_of_users(n_users)).await;
        let client = client(&running, DEMO_READONLY_TOKEN, fast_retries());
        let users = client.workspace_list_users(None).await.unwrap();
        assert_eq!(users.len(), n_users);
        let ids: BTreeSet<&str> = users.iter().map(|user| user.id.as_str()).collect();
        assert_eq!(ids.len(), n_users, "no user twice");
        // The client asks for 100; the GET lists serve at most 50 (the official maximum) and
        // echo it, and the client pages by what was echoed.
        let pages = n_users.div_ceil(50) as u64;
        assert_eq!(client.stats().requests("workspace-list-users"), pages);
        let journal = running.control().journal();
        assert_eq!(journal.len() as u64, pages, "{n_users} users");
        let mut asked: Vec<String> = journal
            .iter()
            .map(|entry| entry.query.clone().unwrap_or_default())
            .collect();
        asked.sort();
        let mut expected: Vec<String> = (0..pages)
            .map(|page| {
                let size = if page == 0 { 100 } else { 50 };
                format!("page={page}&pageSize={size}")
            })
            .collect();
        expected.sort();
        assert_eq!(asked, expected, "never a page past the total");
    }
}

#[tokio::test]
async fn an_empty_collection_costs_one_request() {
    let running = start(org_of_users(3)).await;
    let client = client(&running, DEMO_READONLY_TOKEN, fast_retries());
    let teams = client
        .team_list(&wire::TeamListRequest::default())
        .await
        .unwrap();
    assert!(teams.is_empty());
    assert_eq!(client.stats().requests("team-list-put"), 1);
    assert_eq!(running.control().journal().len(), 1);
}

#[tokio::test]
async fn a_read_only_token_on_a_write_names_the_missing_permission() {
    let running = start(emulator::demo_seed()).await;
    let client = client(&running, DEMO_READONLY_TOKEN, fast_retries());
    let workspace_id = client.workspace_list().await.unwrap()[0].id.clone();
    let error = client
        .team_create(&wire::CreateTeamRequest {
            workspace_id,
            name: "mid-market-ae".into(),
            members: None,
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&error, EdgeError::Unauthorized { permission, .. } if permission == "team.create"),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.starts_with("team-create: "), "{message}");
    assert!(message.contains("`team.create` permission"), "{message}");
    assert_eq!(
        client.stats().requests("team-create"),
        1,
        "a 401 is not retried"
    );
}

#[tokio::test]
async fn an_unknown_token_is_rejected_with_the_operation_named() {
    let running = start(emulator::demo_seed()).await;
    let client = client(&running, "fake-unknown-token-31337", fast_retries());
    let error = client.tenant_get().await.unwrap_err();
    assert!(
        matches!(error, EdgeError::Unauthorized { status: 401, .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.starts_with("tenant-get: the Edge API did not accept the token"),
        "{message}"
    );
    assert!(message.contains("`Bearer `"), "{message}");
    assert!(!message.contains("fake-unknown-token-31337"));
}

#[tokio::test]
async fn a_missing_object_is_named() {
    let running = start(emulator::demo_seed()).await;
    let client = client(&running, DEMO_ADMIN_TOKEN, fast_retries());
    let error = client.rule_get("no-such-rule").await.unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("rule-get: rule `no-such-rule` was not found"),
        "{message}"
    );
}

#[tokio::test]
async fn the_servers_text_of_a_bad_request_is_shown() {
    let running = start(emulator::demo_seed()).await;
    let client = client(&running, DEMO_ADMIN_TOKEN, fast_retries());
    let workspace_id = client.workspace_list().await.unwrap()[0].id.clone();
    // An empty `userIds` is outside the schema.
    let error = client
        .workspace_add_users(&workspace_id, &[])
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "workspace-add-users: the Edge API refused the request (400): Invalid value for: body"
    );
}

/// Reads converge under drops, 429s and gateway errors (the fault generator's seed is fixed);
/// the Live read under faults equals the one without.
#[tokio::test]
async fn reads_converge_under_injected_faults() {
    let running = start(emulator::demo_seed()).await;
    let calm = client(&running, DEMO_READONLY_TOKEN, fast_retries());
    let expected = live::fetch(&calm, &Scope::everything()).await.unwrap();

    running.control().set_faults(FaultConfig {
        seed: 20260105,
        rate_limit_rate: 0.15,
        retry_after_seconds: 0,
        drop_rate: 0.15,
        // Gateway errors first, so every kind of fault is certainly met.
        script: vec![
            Fault::Error503,
            Fault::Error502,
            Fault::RateLimited,
            Fault::Drop,
        ],
        ..FaultConfig::default()
    });
    running.control().clear_journal();
    let patient = client(
        &running,
        DEMO_READONLY_TOKEN,
        RetryPolicy {
            max_attempts: 12,
            ..fast_retries()
        },
    );
    let under_faults = live::fetch(&patient, &Scope::everything()).await.unwrap();
    assert_eq!(under_faults, expected);
    let journal = running.control().journal();
    let faulted = journal.iter().filter(|entry| entry.fault.is_some()).count() as u64;
    assert!(faulted >= 4, "the script's faults were met: {faulted}");
    let stats = patient.stats().total();
    assert_eq!(
        stats.retries, faulted,
        "exactly one retry per injected fault"
    );
    assert_eq!(stats.requests, journal.len() as u64);
}

async fn sales_id(client: &EdgeClient) -> String {
    client
        .workspace_list()
        .await
        .unwrap()
        .into_iter()
        .find(|workspace| workspace.name == "Sales")
        .unwrap()
        .id
}

/// The change is made, then the answer is lost: the client must say "outcome unknown" and
/// must not send the create again (a second team would be made).
#[tokio::test]
async fn a_create_under_an_ambiguous_fault_is_outcome_unknown_and_not_repeated() {
    for fault in [Fault::AmbiguousDrop, Fault::AmbiguousError] {
        let running = start(emulator::demo_seed()).await;
        let client = client(&running, DEMO_ADMIN_TOKEN, fast_retries());
        let workspace_id = sales_id(&client).await;
        running.control().set_faults(FaultConfig {
            operations: vec!["team-create".into()],
            script: vec![fault],
            ..FaultConfig::default()
        });
        let error = client
            .team_create(&wire::CreateTeamRequest {
                workspace_id: workspace_id.clone(),
                name: "mid-market-ae".into(),
                members: None,
            })
            .await
            .unwrap_err();
        assert!(error.is_outcome_unknown(), "{fault:?}: {error:?}");
        let creates: Vec<_> = running
            .control()
            .journal()
            .into_iter()
            .filter(|entry| entry.operation.as_deref() == Some("team-create"))
            .collect();
        assert_eq!(creates.len(), 1, "{fault:?}: sent once");
        assert_eq!(creates[0].fault, Some(fault));
        assert_eq!(
            creates[0].operation_status,
            Some(200),
            "the change was made"
        );
        // Reading back is how the applier resolves it: exactly one such team exists.
        let teams = client
            .team_list(&wire::TeamListRequest {
                workspace_ids: Some(vec![workspace_id]),
                ..Default::default()
            })
            .await
            .unwrap();
        let made = teams.iter().filter(|t| t.name == "mid-market-ae").count();
        assert_eq!(made, 1, "{fault:?}");
    }
}

#[tokio::test]
async fn an_idempotent_write_is_repeated_through_a_gateway_error() {
    let running = start(emulator::demo_seed()).await;
    let client = client(&running, DEMO_ADMIN_TOKEN, fast_retries());
    let workspace_id = sales_id(&client).await;
    let james_id = running
        .control()
        .user_id("james.oconnor@acme.example")
        .unwrap();
    running.control().set_faults(FaultConfig {
        operations: vec!["workspace-add-users".into()],
        script: vec![Fault::AmbiguousError],
        ..FaultConfig::default()
    });
    client
        .workspace_add_users(&workspace_id, std::slice::from_ref(&james_id))
        .await
        .unwrap();
    assert_eq!(client.stats().per_op["workspace-add-users"].retries, 1);
    let members = client
        .workspace_list_users(Some(&workspace_id))
        .await
        .unwrap();
    assert!(members.iter().any(|user| user.id == james_id));
}

#[tokio::test]
async fn the_journal_and_every_message_are_free_of_the_token() {
    let running = start(emulator::demo_seed()).await;
    let client = client(&running, DEMO_READONLY_TOKEN, fast_retries());
    live::fetch(&client, &Scope::everything()).await.unwrap();
    let _ = client
        .rule_delete("no-such-rule", 1)
        .await
        .expect_err("read-only");
    let journal = serde_json::to_string(&running.control().journal()).unwrap();
    assert!(!journal.contains(DEMO_READONLY_TOKEN));
    assert!(!format!("{client:?}").contains(DEMO_READONLY_TOKEN));
}

/// The request count of `live::fetch` on a large org is the minimum the page caps allow: one
/// `tenant-get`, and ceil(n / cap) pages (at least one) of each org-wide collection, the cap
/// being 50 for the GET lists (the official maximum, echoed when 100 is asked) and 100 for the
/// others. Workspace
/// membership rides on the user sweep (each user lists its workspaces), so it costs nothing.
#[tokio::test]
async fn live_fetch_of_a_large_org_makes_the_minimum_number_of_requests() {
    let (n_users, n_workspaces, n_teams, n_distributions, n_rules) = (2000, 30, 200, 200, 300);
    let mut seed = Seed::generated(GeneratedOrg {
        n_users,
        n_workspaces,
        n_teams_per_workspace: 7,
        n_members_per_team: 8,
        n_distributions_per_workspace: 7,
        n_rules_per_workspace: 10,
    });
    // 7 x 30 = 210: the last ten workspaces lose their seventh team and the distribution on it.
    for workspace in seed.workspaces.iter_mut().skip(20) {
        let team = workspace.teams.pop().unwrap();
        workspace.distributions.retain(|d| d.team != team.name);
    }
    let count =
        |f: fn(&emulator::SeedWorkspace) -> usize| -> usize { seed.workspaces.iter().map(f).sum() };
    assert_eq!(seed.users.len(), n_users);
    assert_eq!(seed.workspaces.len(), n_workspaces);
    assert_eq!(count(|w| w.teams.len()), n_teams);
    assert_eq!(count(|w| w.distributions.len()), n_distributions);
    assert_eq!(count(|w| w.rules.len()), n_rules);

    let running = start(seed).await;
    let client = client(&running, DEMO_READONLY_TOKEN, RetryPolicy::never());
    let live = live::fetch(&client, &Scope::everything()).await.unwrap();

    let page = ops::REQUESTED_PAGE_SIZE as usize;
    let pages = |n: usize| n.div_ceil(page).max(1) as u64;
    let get_pages = |n: usize| n.div_ceil(50).max(1) as u64;
    let expected: BTreeMap<String, u64> = [
        ("tenant-get", 1),
        ("workspace-list-users", get_pages(n_users)),
        ("workspace-list", get_pages(n_workspaces)),
        ("team-list-put", pages(n_teams)),
        ("distribution-list-put", pages(n_distributions)),
        ("rule-list", pages(n_rules)),
    ]
    .into_iter()
    .map(|(op, n)| (op.to_string(), n))
    .collect();
    let minimum: u64 = expected.values().sum();
    assert_eq!(minimum, 49);
    assert_eq!(stats_counts(&client), expected);
    assert_eq!(client.stats().total().requests, minimum);
    assert_eq!(journal_counts(&running), expected);

    assert_eq!(live.users.len(), n_users);
    assert_eq!(live.workspaces.len(), n_workspaces);
    let sum = |f: fn(&scoville::model::LiveWorkspace) -> usize| -> usize {
        live.workspaces.values().map(f).sum()
    };
    assert_eq!(sum(|w| w.teams.len()), n_teams);
    assert_eq!(sum(|w| w.distributions.len()), n_distributions);
    assert_eq!(sum(|w| w.rules.len()), n_rules);
    assert_eq!(
        sum(|w| w.members.len()),
        n_users,
        "each user is in one workspace"
    );
}

#[tokio::test]
async fn live_fetch_of_the_demo_org_with_a_read_only_token() {
    let running = start(emulator::demo_seed()).await;
    let client = client(&running, DEMO_READONLY_TOKEN, fast_retries());
    let scope = Scope {
        workspaces: None,
        settings: SettingsScope::Listed(BTreeSet::from(["Sales".to_string()])),
        ..Scope::default()
    };
    let live = live::fetch(&client, &scope).await.unwrap();

    let tenant = live.tenant.as_ref().unwrap();
    assert_eq!(tenant.tenant_id, "acme-corp.app3");
    assert_eq!(live.users.len(), 25);
    let ava = &live.users[&email("ava.thompson@acme.example")];
    assert_eq!(ava.name, "Ava Thompson");
    assert_eq!(ava.licenses, License::ALL.into_iter().collect());
    assert_eq!(
        live.users[&email("james.oconnor@acme.example")].licenses,
        BTreeSet::from([License::ChiliCalOrg])
    );

    assert_eq!(
        live.workspaces.keys().collect::<Vec<_>>(),
        ["Customer Success", "Partnerships", "Sales"]
    );
    let partnerships = &live.workspaces["Partnerships"];
    assert_eq!(
        partnerships.members,
        [
            "ava.thompson@acme.example",
            "daniel.mensah@acme.example",
            "chloe.bernard@acme.example",
            "samuel.lindqvist@acme.example",
            "zoe.fitzgerald@acme.example"
        ]
        .map(email)
        .into_iter()
        .collect()
    );
    let sales = &live.workspaces["Sales"];
    assert_eq!(sales.members.len(), 13);
    let team_names: Vec<_> = sales.teams.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(team_names, ["enterprise-ae", "inbound-sdr", "smb-ae"]);
    let smb = &sales.teams[2];
    assert_eq!(
        smb.members,
        [
            "harper.nguyen@acme.example",
            "elijah.turner@acme.example",
            "evelyn.martins@acme.example"
        ]
        .map(email)
        .into_iter()
        .collect()
    );
    assert!(smb.unknown_member_ids.is_empty());
    assert!(!smb.id.is_empty() && smb.meta.revision >= 1);
    assert!(
        smb.meta.updated_by.starts_with("user/"),
        "{}",
        smb.meta.updated_by
    );

    let inbound = sales
        .distributions
        .iter()
        .find(|d| d.name == "Inbound Demo Requests")
        .unwrap();
    assert_eq!(inbound.spec.team, "inbound-sdr");
    assert_eq!(
        inbound.spec.weights,
        [
            ("liam.patel@acme.example", 100),
            ("sofia.rossi@acme.example", 100),
            ("noah.kim@acme.example", 100),
            ("mia.johansson@acme.example", 50),
            ("ethan.brooks@acme.example", 0)
        ]
        .map(|(e, w)| (email(e), w))
        .into_iter()
        .collect()
    );
    let Assignment::Meeting { limits, .. } = &inbound.spec.assignment else {
        panic!("{:?}", inbound.spec.assignment)
    };
    assert_eq!(
        limits.as_ref().unwrap().caps,
        [
            ("liam.patel@acme.example", 8),
            ("sofia.rossi@acme.example", 8)
        ]
        .map(|(e, c)| (email(e), c))
        .into_iter()
        .collect()
    );
    let enterprise = sales
        .distributions
        .iter()
        .find(|d| d.name == "Enterprise Leads")
        .unwrap();
    assert_eq!(
        enterprise.spec.capping.as_ref().unwrap().caps,
        BTreeMap::from([(email("isabella.garcia@acme.example"), 20)])
    );

    let reference = |object: &str, field: &str| DataReference {
        source: DataSource::SF,
        object: object.into(),
        field: field.into(),
    };
    let north_america = sales
        .rules
        .iter()
        .find(|r| r.name == "North America inbound")
        .unwrap();
    assert_eq!(north_america.spec.kind, RuleKind::Standard);
    assert_eq!(
        north_america.spec.conditions,
        Condition::Group {
            operator: LogicalOperator::And,
            name: None,
            conditions: vec![
                Condition::Static {
                    reference: reference("Lead", "Country"),
                    operator: Operator::IsAnyOf,
                    value: json!(["US", "CA"]),
                },
                Condition::Single {
                    reference: reference("Lead", "Email"),
                    operator: SingleOperator::NotEmpty,
                },
            ],
        }
    );
    let owner = sales
        .rules
        .iter()
        .find(|r| r.name == "Account owner")
        .unwrap();
    assert_eq!(
        owner.spec.kind,
        RuleKind::Ownership {
            team: Some("enterprise-ae".into())
        }
    );
    assert_eq!(
        owner.spec.conditions,
        Condition::Group {
            operator: LogicalOperator::And,
            name: None,
            conditions: vec![Condition::Ownership {
                ownership: Some(reference("Account", "OwnerId")),
                team: None,
                search_by: Some(SearchOwnershipBy::CrmIdOrEmail),
            }],
        }
    );

    // Settings only where asked: one request, for Sales.
    let settings = sales
        .settings
        .as_ref()
        .expect("Sales settings were asked for");
    assert!(settings.calibrate_vacation && !settings.credit_back_no_show);
    assert!(live.workspaces["Partnerships"].settings.is_none());
    assert_eq!(
        client
            .stats()
            .requests("distribution-workspace-settings-get"),
        1
    );
}

/// What `live::fetch` relies on: the workspace ids on each user of the org-wide list are the
/// same membership as the per-workspace member lists.
#[tokio::test]
async fn membership_from_the_user_sweep_matches_the_per_workspace_lists() {
    let running = start(emulator::demo_seed()).await;
    let client = client(&running, DEMO_READONLY_TOKEN, fast_retries());
    let live = live::fetch(&client, &Scope::everything()).await.unwrap();
    for workspace in live.workspaces.values() {
        let listed: BTreeSet<Email> = client
            .workspace_list_users(Some(&workspace.id))
            .await
            .unwrap()
            .iter()
            .map(|user| email(&user.email))
            .collect();
        assert_eq!(listed, workspace.members, "{}", workspace.name);
    }
}

/// A 429 with `Retry-After` is retried; the wait it asks for is capped by the policy (5 ms
/// here, see `retry.rs` for the arithmetic), so the test does not sit out the second.
#[tokio::test]
async fn a_429_with_retry_after_is_retried() {
    let running = start(emulator::demo_seed()).await;
    running.control().set_faults(FaultConfig {
        retry_after_seconds: 1,
        script: vec![Fault::RateLimited],
        ..FaultConfig::default()
    });
    let client = client(&running, DEMO_READONLY_TOKEN, fast_retries());
    client.tenant_get().await.unwrap();
    assert_eq!(client.stats().per_op["tenant-get"].retries, 1);
    let faults: Vec<_> = running
        .control()
        .journal()
        .iter()
        .map(|entry| entry.fault)
        .collect();
    assert_eq!(faults, [Some(Fault::RateLimited), None]);
}

/// Every typed call of the client against the emulator, so each request shape and each answer
/// shape (published or assumed) is checked end to end; the stats then list every operation of
/// `ops.rs`.
#[tokio::test]
async fn every_operation_of_the_table_round_trips() {
    let running = start(emulator::demo_seed()).await;
    let client = client(&running, DEMO_ADMIN_TOKEN, fast_retries());
    let id_of = |email: &str| running.control().user_id(email).unwrap();
    let (harper, elijah) = (
        id_of("harper.nguyen@acme.example"),
        id_of("elijah.turner@acme.example"),
    );

    client.health().await.unwrap();
    client.tenant_get().await.unwrap();
    let sales = sales_id(&client).await;
    assert_eq!(
        client
            .workspace_list_users(Some(&sales))
            .await
            .unwrap()
            .len(),
        13
    );
    let found = client.user_find("harper").await.unwrap();
    assert_eq!(found.len(), 1);
    let by_ids = client
        .user_find_by_ids(&[harper.clone(), elijah.clone()])
        .await
        .unwrap();
    assert_eq!(by_ids.len(), 2);

    let olivia = client
        .user_invite(&wire::InviteUserRequest {
            email: "olivia.reyes@acme.example".into(),
            name: Some("Olivia Reyes".into()),
            workspace_ids: None,
            send_invite: Some(true),
        })
        .await
        .unwrap();
    let just_olivia = std::slice::from_ref(&olivia.id);
    client
        .workspace_add_users(&sales, just_olivia)
        .await
        .unwrap();
    client
        .workspace_remove_users(&sales, just_olivia)
        .await
        .unwrap();
    client
        .workspace_add_users(&sales, just_olivia)
        .await
        .unwrap();
    client
        .workspace_remove_users_all(just_olivia)
        .await
        .unwrap();
    let mut licenses = BTreeMap::new();
    licenses.insert(
        olivia.id.clone(),
        wire::LicenseSet {
            chili_cal_org: true,
            ..Default::default()
        },
    );
    client
        .user_update_licenses(&wire::UpdateLicensesRequest { update: licenses })
        .await
        .unwrap();

    let team = client
        .team_create(&wire::CreateTeamRequest {
            workspace_id: sales.clone(),
            name: "mid-market-ae".into(),
            members: Some(vec![harper.clone()]),
        })
        .await
        .unwrap();
    let team = client
        .team_add_users(&team.id, std::slice::from_ref(&elijah))
        .await
        .unwrap();
    assert_eq!(team.members.len(), 2);
    let team = client
        .team_remove_users(&team.id, std::slice::from_ref(&elijah))
        .await
        .unwrap();
    assert_eq!(team.members, std::slice::from_ref(&harper));
    let with_harper = client
        .team_list(&wire::TeamListRequest {
            member: Some(vec![harper.clone()]),
            ..Default::default()
        })
        .await
        .unwrap();
    let names: BTreeSet<_> = with_harper.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, BTreeSet::from(["mid-market-ae", "smb-ae"]));

    let write = |name: &str, weight: u32| wire::DistributionWriteRequest {
        team_id: team.id.clone(),
        workspace_id: sales.clone(),
        assignment_type_config: wire::AssignmentTypeConfig::Conversation,
        weights: Some(vec![wire::UserWeight {
            user_id: harper.clone(),
            weight,
        }]),
        manual_calibration: None,
        capping: None,
        name: name.into(),
    };
    let created = client
        .distribution_create(&write("Mid-market", 100))
        .await
        .unwrap();
    client
        .distribution_update(&created.distribution_id, &write("Mid-market", 50))
        .await
        .unwrap();
    let listed = client
        .distribution_list(&wire::DistributionListRequest {
            name: Some("Mid-market".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    let listed = listed[0].known().expect("a distribution scoville knows");
    assert_eq!(listed.published.weights.as_ref().unwrap()[0].weight, 50);
    client
        .distribution_delete(&created.distribution_id)
        .await
        .unwrap();
    client.team_delete(&team.id).await.unwrap();

    let settings = client.distribution_settings_get(&sales).await.unwrap();
    let settings = settings.known().expect("settings scoville knows").clone();
    let update = wire::WorkspaceSettingsUpdate::from_settings(&settings.into_settings());
    client
        .distribution_settings_update(&sales, &update)
        .await
        .unwrap();

    let conditions: wire::Condition = serde_json::from_value(json!({
        "type": "ConditionGroup", "id": "g", "operator": "and", "conditions": [
            {"type": "SingleParameterCondition", "conditionId": "c",
             "dataReference": {"source": "SF", "object": "Lead", "field": "Email"},
             "operator": "notEmpty"}
        ]
    }))
    .unwrap();
    let rule = client
        .rule_create(&wire::RuleCreateRequest {
            dto: wire::CreateRuleDto::CreateRuleRequest(wire::CreateRuleFields {
                rule_id: None,
                workspace_id: sales.clone(),
                name: "Has email".into(),
                conditions: conditions.clone(),
            }),
        })
        .await
        .unwrap();
    let rule_id = rule.body().id.clone();
    assert_eq!(rule.body().metadata.revision, 1);
    assert_eq!(client.rule_get(&rule_id).await.unwrap(), rule);
    let modified = client
        .rule_modify(&wire::RuleModifyRequest {
            rule_id: rule_id.clone(),
            revision: 1,
            dto: wire::CreateRuleDto::CreateRuleRequest(wire::CreateRuleFields {
                rule_id: None,
                workspace_id: sales.clone(),
                name: "Has an email".into(),
                conditions,
            }),
        })
        .await
        .unwrap();
    assert_eq!(modified.body().metadata.revision, 2);
    assert_eq!(
        client
            .rule_list(Some(&sales), Some("Has an email"))
            .await
            .unwrap()
            .len(),
        1
    );
    // A stale revision is a conflict that names the rule.
    let stale = client.rule_delete(&rule_id, 1).await.unwrap_err();
    assert!(matches!(stale, EdgeError::Conflict { .. }), "{stale:?}");
    assert!(
        stale.to_string().contains(&format!("rule `{rule_id}`")),
        "{stale}"
    );
    client.rule_delete(&rule_id, 2).await.unwrap();
    super::booking::every_booking_operation(&client, &running).await;

    let used: BTreeSet<&str> = client.stats().per_op.keys().copied().collect();
    let all: BTreeSet<&str> = ops::ALL.iter().map(|op| op.id).collect();
    assert_eq!(used, all, "every operation of ops.rs has a typed call");
}
