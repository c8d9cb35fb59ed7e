//! `export`: manifests written from a hand-built live org load back into the same
//! configuration, and what the format cannot hold is left out with a comment saying why.

use std::collections::{BTreeMap, BTreeSet};

use scoville::manifest::{self, ExportedFile};
use scoville::model::*;

fn email(text: &str) -> Email {
    Email::parse(text).expect("test email")
}

fn emails(list: &[&str]) -> BTreeSet<Email> {
    list.iter().map(|e| email(e)).collect()
}

fn user(id: &str, address: &str, name: &str, licenses: &[License]) -> (Email, LiveUser) {
    (
        email(address),
        LiveUser {
            id: id.to_string(),
            email: email(address),
            name: name.to_string(),
            licenses: licenses.iter().copied().collect(),
            tier: None,
        },
    )
}

fn team(id: &str, name: &str, members: &[&str]) -> LiveTeam {
    LiveTeam {
        id: id.to_string(),
        name: name.to_string(),
        members: emails(members),
        added_at: BTreeMap::new(),
        unknown_member_ids: BTreeSet::new(),
        meta: Meta::default(),
    }
}

fn reference(source: DataSource, object: &str, field: &str) -> DataReference {
    DataReference {
        source,
        object: object.to_string(),
        field: field.to_string(),
    }
}

fn rule(id: &str, name: &str, kind: RuleKind, conditions: Condition) -> LiveRule {
    LiveRule {
        id: id.to_string(),
        name: name.to_string(),
        spec: RuleSpec { kind, conditions },
        meta: Meta::default(),
    }
}

fn distribution(id: &str, name: &str, spec: DistributionSpec) -> LiveDistribution {
    LiveDistribution {
        id: id.to_string(),
        name: name.to_string(),
        team_id: String::new(),
        team_revision: 1,
        spec,
        meta: Meta::default(),
    }
}

fn weights(list: &[(&str, u32)]) -> BTreeMap<Email, u32> {
    list.iter().map(|(e, w)| (email(e), *w)).collect()
}

fn settings() -> WorkspaceSettings {
    WorkspaceSettings {
        calibrate_vacation: true,
        credit_back_cancelled: false,
        credit_back_no_show: true,
        order_if_equal_state: OrderIfEqualState::Random,
        reset_periodicity: WorkspaceResetPeriodicity::Quarterly {
            first_month: 2,
            time_zone: "Europe/Paris".to_string(),
        },
        vacation_buffer: VacationBuffer {
            days_before_start: 2,
            days_before_end: -1,
            recognition_enabled: false,
            freshness: VacationFreshness::RealTime,
        },
    }
}

/// A live org that uses every shape the format has, plus what it cannot hold.
fn live() -> Live {
    let users: BTreeMap<Email, LiveUser> = [
        user("u1", "ava@acme.example", "Ava Thompson", &License::ALL),
        user(
            "u2",
            "liam@acme.example",
            "O'Neil, Liam: \"the closer\"",
            &[License::Distro],
        ),
        user("u3", "sofia@acme.example", "true", &[]),
        user(
            "u4",
            "noah@acme.example",
            "",
            &[License::ChiliCalOrg, License::Chat],
        ),
        user("u5", "mia@acme.example", "Mia", &[License::Distro]),
    ]
    .into_iter()
    .collect();

    let mut unknown = team("t4", "ghosts", &["liam@acme.example"]);
    unknown.unknown_member_ids.insert("u404".to_string());

    let sales = LiveWorkspace {
        id: "w1".to_string(),
        name: "Sales".to_string(),
        meta: Meta::default(),
        members: emails(&[
            "ava@acme.example",
            "liam@acme.example",
            "sofia@acme.example",
            "noah@acme.example",
        ]),
        teams: vec![
            team(
                "t1",
                "inbound-sdr",
                &["liam@acme.example", "sofia@acme.example"],
            ),
            team("t2", "twins", &["liam@acme.example"]),
            team("t3", "twins", &["sofia@acme.example"]),
            unknown,
            team("t5", "outsiders", &["mia@acme.example"]),
            team("t6", "2024: plans #1", &["noah@acme.example"]),
            team("t7", "empty", &[]),
        ],
        distributions: vec![
            distribution(
                "d1",
                "Inbound Demo Requests",
                DistributionSpec {
                    team: "inbound-sdr".to_string(),
                    assignment: Assignment::Meeting {
                        handling: MeetingHandling::Flexible {
                            reassignment_type: ReassignmentType::AnyTeamMember,
                            allow_picking_assignee: false,
                        },
                        limits: Some(MeetingLimits {
                            caps: [(email("liam@acme.example"), 8)].into_iter().collect(),
                            reset: MeetingLimitReset::Weekly {
                                every: 2,
                                starts_on: "2026-01-05".to_string(),
                                reset_day_of_week: DayOfWeek::Monday,
                                timezone: "America/New_York".to_string(),
                            },
                        }),
                    },
                    weights: weights(&[("liam@acme.example", 100), ("sofia@acme.example", 0)]),
                    calibration: [(email("sofia@acme.example"), -3)].into_iter().collect(),
                    capping: Some(Capping {
                        caps: [(email("liam@acme.example"), 20)].into_iter().collect(),
                        reset: CappingReset::Weekly {
                            time_zone: "America/New_York".to_string(),
                            day_of_week: 1,
                        },
                    }),
                },
            ),
            distribution(
                "d2",
                "Strict records",
                DistributionSpec {
                    team: "2024: plans #1".to_string(),
                    assignment: Assignment::Record {
                        handling: RecordHandling::Strict,
                    },
                    weights: weights(&[("noah@acme.example", 10_000)]),
                    calibration: BTreeMap::new(),
                    capping: None,
                },
            ),
            distribution(
                "d3",
                "Chats",
                DistributionSpec {
                    team: "empty".to_string(),
                    assignment: Assignment::Conversation,
                    weights: BTreeMap::new(),
                    calibration: BTreeMap::new(),
                    capping: None,
                },
            ),
            distribution(
                "d4",
                "On a twin",
                DistributionSpec {
                    team: "twins".to_string(),
                    assignment: Assignment::Conversation,
                    weights: BTreeMap::new(),
                    calibration: BTreeMap::new(),
                    capping: None,
                },
            ),
            distribution(
                "d5",
                "Stale weights",
                DistributionSpec {
                    team: "inbound-sdr".to_string(),
                    assignment: Assignment::Conversation,
                    weights: weights(&[("ava@acme.example", 5)]),
                    calibration: BTreeMap::new(),
                    capping: None,
                },
            ),
        ],
        rules: vec![
            rule(
                "r1",
                "Everything",
                RuleKind::Standard,
                Condition::Group {
                    operator: LogicalOperator::Or,
                    name: Some("top".to_string()),
                    conditions: vec![
                        Condition::Static {
                            reference: reference(DataSource::SF, "Lead", "Country"),
                            operator: Operator::IsNotAnyOf,
                            value: serde_json::json!(["NO", "true", 1, 2.5]),
                        },
                        Condition::Group {
                            operator: LogicalOperator::And,
                            name: Some("inner group".to_string()),
                            conditions: vec![
                                Condition::Static {
                                    reference: reference(DataSource::HS, "Contact", "Score"),
                                    operator: Operator::Lt,
                                    value: serde_json::json!(-10),
                                },
                                Condition::Static {
                                    reference: reference(DataSource::DF, "Form", "Comment"),
                                    operator: Operator::Contains,
                                    value: serde_json::json!("a: b #c"),
                                },
                                Condition::Single {
                                    reference: reference(DataSource::CP, "Meeting", "Notes"),
                                    operator: SingleOperator::Empty,
                                },
                            ],
                        },
                        Condition::Value {
                            lhs: reference(DataSource::SF, "Lead", "OwnerId"),
                            operator: Operator::NotEqual,
                            rhs: reference(DataSource::SF, "Account", "Owner.Id"),
                        },
                        Condition::ObjectExists {
                            source: DataSource::SF,
                            object: "MatchedAccount".to_string(),
                            exists: false,
                        },
                        Condition::Evaluable {
                            reference: reference(DataSource::MK, "Lead", "CreatedAt"),
                            operator: Operator::Ge,
                            evaluable: Evaluable::RelativeWeek(RelativeWindow {
                                offset: -2,
                                length: 1,
                                time_zone: Some("UTC".to_string()),
                            }),
                        },
                    ],
                },
            ),
            rule(
                "r2",
                "Owner",
                RuleKind::Ownership {
                    team: Some("inbound-sdr".to_string()),
                },
                Condition::Group {
                    operator: LogicalOperator::And,
                    name: None,
                    conditions: vec![Condition::Ownership {
                        ownership: Some(reference(DataSource::SF, "Account", "OwnerId")),
                        team: Some("inbound-sdr".to_string()),
                        search_by: Some(SearchOwnershipBy::CrmIdOrEmail),
                    }],
                },
            ),
            rule(
                "r3",
                "Single leaf",
                RuleKind::Ownership { team: None },
                Condition::Ownership {
                    ownership: None,
                    team: None,
                    search_by: None,
                },
            ),
            rule(
                "r4",
                "Dotted object",
                RuleKind::Standard,
                Condition::Single {
                    reference: reference(DataSource::SF, "Lead.Partner", "Email"),
                    operator: SingleOperator::NotEmpty,
                },
            ),
        ],
        settings: Some(settings()),
        personal: false,
        meeting_types: None,
        reminders: None,
        links: None,
    };

    let other = |id: &str, name: &str| LiveWorkspace {
        id: id.to_string(),
        name: name.to_string(),
        meta: Meta::default(),
        members: emails(&["mia@acme.example"]),
        teams: Vec::new(),
        distributions: Vec::new(),
        rules: Vec::new(),
        settings: None,
        personal: false,
        meeting_types: None,
        reminders: None,
        links: None,
    };
    let workspaces = [
        sales,
        other("w2", "Customer Success & Renewals"),
        other("w3", "Users"),
    ]
    .into_iter()
    .map(|w| (w.name.clone(), w))
    .collect();
    Live {
        tenant: Some(LiveTenant {
            tenant_id: "acme-corp.app3".to_string(),
            subdomain: "acme-corp".to_string(),
        }),
        users,
        workspaces,
        opaque: Vec::new(),
        unknown_fields: Vec::new(),
        booking_unread: None,
    }
}

fn exported_and_loaded() -> (Vec<ExportedFile>, Desired) {
    let files = export_files();
    let dir = tempfile::tempdir().expect("temporary directory");
    for file in &files {
        std::fs::write(dir.path().join(&file.path), &file.contents).expect("write");
    }
    match manifest::load(&[dir.path().to_path_buf()]) {
        Ok(desired) => (files, desired),
        Err(diagnostics) => panic!(
            "exported manifests do not load:\n{}\n{}",
            diagnostics.render_text(),
            files
                .iter()
                .map(|f| format!("--- {}\n{}", f.path.display(), f.contents))
                .collect::<String>()
        ),
    }
}

fn export_files() -> Vec<ExportedFile> {
    manifest::export(&live())
}

#[test]
fn export_writes_org_users_and_one_file_per_workspace() {
    let paths: Vec<String> = export_files()
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "org.yaml",
            "users.yaml",
            "customer-success-renewals.yaml",
            "sales.yaml",
            "users-2.yaml",
            "scoville.schema.json",
        ]
    );
}

#[test]
fn exported_manifests_load_back_into_the_live_configuration() {
    let live = live();
    let (_, desired) = exported_and_loaded();

    assert_eq!(
        desired.tenant.as_ref().map(|(t, _)| t.as_str()),
        Some("acme-corp.app3")
    );
    assert_eq!(desired.users.len(), live.users.len());
    for (address, live_user) in &live.users {
        let user = &desired.users[address];
        assert_eq!(
            user.licenses.as_ref(),
            Some(&live_user.licenses),
            "{address}"
        );
        let expected_name = (!live_user.name.is_empty()).then(|| live_user.name.clone());
        assert_eq!(user.name, expected_name, "{address}");
        assert!(!user.invite);
    }

    assert_eq!(
        desired.workspaces.keys().collect::<Vec<_>>(),
        live.workspaces.keys().collect::<Vec<_>>()
    );
    let sales = &desired.workspaces["Sales"];
    let live_sales = &live.workspaces["Sales"];
    assert_eq!(
        sales.members.keys().collect::<BTreeSet<_>>(),
        live_sales.members.iter().collect::<BTreeSet<_>>()
    );
    assert_eq!(
        sales.teams.keys().map(String::as_str).collect::<Vec<_>>(),
        ["2024: plans #1", "empty", "inbound-sdr"]
    );
    for (name, team) in &sales.teams {
        let live_team = live_sales
            .teams
            .iter()
            .find(|t| &t.name == name)
            .expect("live team");
        assert_eq!(
            team.members.keys().collect::<BTreeSet<_>>(),
            live_team.members.iter().collect::<BTreeSet<_>>()
        );
    }
    assert_eq!(
        sales
            .distributions
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["Chats", "Inbound Demo Requests", "Strict records"]
    );
    for (name, distribution) in &sales.distributions {
        let live_distribution = live_sales
            .distributions
            .iter()
            .find(|d| &d.name == name)
            .expect("live distribution");
        assert_eq!(distribution.spec, live_distribution.spec, "{name}");
    }
    assert_eq!(
        sales.rules.keys().map(String::as_str).collect::<Vec<_>>(),
        // "Single leaf" (an ownership rule without a team, its condition without a reference)
        // is what the API refuses, and validate with it: export skips it, saying why.
        ["Everything", "Owner"]
    );
    for (name, rule) in &sales.rules {
        let live_rule = live_sales
            .rules
            .iter()
            .find(|r| &r.name == name)
            .expect("live rule");
        assert_eq!(rule.spec, live_rule.spec, "{name}");
    }
    assert_eq!(sales.settings.as_ref().map(|(s, _)| s), Some(&settings()));
    assert!(desired.workspaces["Users"].settings.is_none());
}

#[test]
fn what_the_format_cannot_hold_is_skipped_with_a_reason() {
    let files = export_files();
    let sales = &files
        .iter()
        .find(|f| f.path.to_str() == Some("sales.yaml"))
        .expect("sales.yaml")
        .contents;
    let org = &files[0].contents;
    assert!(org.contains("\n  # policy:\n  #   prune:\n"), "{org}");
    let expected = [
        "# skipped team \"twins\": 2 teams of this name exist",
        "# skipped team \"ghosts\": its members include user ids the org does not know (u404)",
        "# skipped team \"outsiders\": its members mia@acme.example are not members of the workspace",
        "# skipped distribution \"On a twin\": its team twins is not written to the manifests",
        "# skipped distribution \"Stale weights\": it has weights, caps or calibration for ava@acme.example, who is not on its team",
        "# skipped rule \"Dotted object\": the field reference SF.Lead.Partner.Email cannot be written as SOURCE.Object.Field",
        "# skipped rule \"Single leaf\": it is an ownership rule without a team, which validate refuses",
    ];
    for line in expected {
        assert!(sales.contains(line), "missing `{line}` in:\n{sales}");
    }
    // The same lines, for `scoville export` to print: nothing is left out silently.
    let skipped = &files
        .iter()
        .find(|f| f.path.to_str() == Some("sales.yaml"))
        .expect("sales.yaml")
        .skipped;
    let commented: Vec<&str> = sales
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("# skipped "))
        .collect();
    assert_eq!(
        skipped
            .iter()
            .map(|line| line.strip_prefix("skipped ").unwrap())
            .collect::<Vec<_>>(),
        commented
    );
    for line in expected {
        let line = line.trim_start_matches("# ");
        assert!(skipped.iter().any(|s| s.starts_with(line)), "{line}");
    }
    assert!(files[0].skipped.is_empty(), "org.yaml leaves nothing out");
}

#[test]
fn export_is_deterministic() {
    assert_eq!(export_files(), export_files());
}

#[test]
fn exporting_an_empty_org_still_loads() {
    let files = manifest::export(&Live::default());
    assert_eq!(files.len(), 2, "only users.yaml and the schema");
    let texts: Vec<(String, String)> = files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|f| (f.path.display().to_string(), f.contents.clone()))
        .collect();
    let desired = manifest::load_texts(&texts).expect("loads");
    assert!(desired.users.is_empty() && desired.workspaces.is_empty());
}

/// Regression: exported manifests lacked the `# yaml-language-server: $schema=...` line the
/// README recommends. Each starts with it, and the schema it names is written alongside.
#[test]
fn exported_manifests_point_editors_at_the_schema_written_alongside() {
    let files = export_files();
    for file in files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "yaml"))
    {
        assert!(
            file.contents
                .starts_with("# yaml-language-server: $schema=scoville.schema.json\n"),
            "{}",
            file.path.display()
        );
    }
    let schema = files
        .iter()
        .find(|f| f.path.as_os_str() == "scoville.schema.json")
        .expect("the schema is written");
    assert_eq!(schema.contents, manifest::json_schema());
}

#[test]
fn the_commented_policy_of_an_exported_org_yaml_validates_and_names_every_prunable_kind() {
    // A newcomer adopting booking objects uncomments this to prune them too.
    let org = &export_files()[0].contents;
    let uncommented: String = org
        .lines()
        .map(|line| line.replacen("  # ", "  ", 1) + "\n")
        .collect();
    assert!(
        uncommented.contains("\n  policy:\n    prune:\n"),
        "{uncommented}"
    );
    for kind in [
        "teams",
        "distributions",
        "rules",
        "meetingTypes",
        "reminders",
        "schedulingLinks",
    ] {
        assert!(uncommented.contains(kind), "{kind} missing: {uncommented}");
    }
    let desired = manifest::load_texts(&[("org.yaml".to_string(), uncommented.clone())])
        .unwrap_or_else(|problems| panic!("{}", problems.render_text()));
    assert_eq!(desired.policy.prune.len(), 1, "{uncommented}");
}
