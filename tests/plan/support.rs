//! Test fixtures: the demo org (DEMO-ORG) as a hand-built `Live`, and `describe`, which writes
//! the `Desired` that matches a `Live` exactly (what an export would produce).

use std::collections::{BTreeMap, BTreeSet};

use scoville::model::*;
use serde_json::json;

pub fn email(text: &str) -> Email {
    Email::parse(text).unwrap()
}

pub fn src(file: &str, line: u32) -> Source {
    Source {
        file: file.into(),
        line,
        column: 1,
    }
}

pub fn meta(revision: i64) -> Meta {
    Meta {
        created_at: "2026-01-01T00:00:00Z".into(),
        created_by: "user/u-ava".into(),
        updated_at: "2026-01-02T00:00:00Z".into(),
        updated_by: "user/u-ava".into(),
        revision,
    }
}

/// `first.last@acme.example` of a DEMO-ORG user given by first name.
pub fn demo(first: &str) -> Email {
    let full = DEMO_USERS
        .iter()
        .find(|(f, _)| f.eq_ignore_ascii_case(first))
        .unwrap_or_else(|| panic!("no demo user {first}"));
    email(&format!("{}.{}@acme.example", full.0, full.1).to_lowercase())
}

pub const DEMO_USERS: [(&str, &str); 25] = [
    ("Ava", "Thompson"),
    ("Liam", "Patel"),
    ("Sofia", "Rossi"),
    ("Noah", "Kim"),
    ("Mia", "Johansson"),
    ("Ethan", "Brooks"),
    ("Isabella", "Garcia"),
    ("Lucas", "Schmidt"),
    ("Amelia", "Chen"),
    ("Mason", "Okafor"),
    ("Harper", "Nguyen"),
    ("Elijah", "Turner"),
    ("Evelyn", "Martins"),
    ("James", "OConnor"),
    ("Abigail", "Novak"),
    ("Benjamin", "Adeyemi"),
    ("Charlotte", "Dubois"),
    ("Henry", "Walsh"),
    ("Emily", "Sato"),
    ("Alexander", "Petrov"),
    ("Grace", "Kowalski"),
    ("Daniel", "Mensah"),
    ("Chloe", "Bernard"),
    ("Samuel", "Lindqvist"),
    ("Zoe", "Fitzgerald"),
];

fn set(firsts: &[&str]) -> BTreeSet<Email> {
    firsts.iter().map(|f| demo(f)).collect()
}

fn weights(pairs: &[(&str, u32)]) -> BTreeMap<Email, u32> {
    pairs.iter().map(|(f, w)| (demo(f), *w)).collect()
}

pub fn demo_settings() -> WorkspaceSettings {
    WorkspaceSettings {
        calibrate_vacation: true,
        credit_back_cancelled: true,
        credit_back_no_show: false,
        order_if_equal_state: OrderIfEqualState::AsConfigured,
        reset_periodicity: WorkspaceResetPeriodicity::Monthly {
            time_zone: "America/New_York".into(),
        },
        vacation_buffer: VacationBuffer {
            days_before_start: 1,
            days_before_end: 0,
            recognition_enabled: true,
            freshness: VacationFreshness::Cached,
        },
    }
}

fn reference(source: DataSource, object: &str, field: &str) -> DataReference {
    DataReference {
        source,
        object: object.into(),
        field: field.into(),
    }
}

pub fn group(operator: LogicalOperator, conditions: Vec<Condition>) -> Condition {
    Condition::Group {
        operator,
        name: None,
        conditions,
    }
}

pub fn is_any_of(object: &str, field: &str, values: serde_json::Value) -> Condition {
    Condition::Static {
        reference: reference(DataSource::SF, object, field),
        operator: Operator::IsAnyOf,
        value: values,
    }
}

fn team(id: &str, name: &str, members: &[&str]) -> LiveTeam {
    LiveTeam {
        id: id.into(),
        name: name.into(),
        members: set(members),
        added_at: BTreeMap::new(),
        unknown_member_ids: BTreeSet::new(),
        meta: meta(1),
    }
}

fn distribution(
    id: &str,
    name: &str,
    team: (&str, &str),
    spec: DistributionSpec,
) -> LiveDistribution {
    LiveDistribution {
        id: id.into(),
        name: name.into(),
        team_id: team.0.into(),
        team_revision: 1,
        spec: DistributionSpec {
            team: team.1.into(),
            ..spec
        },
        meta: meta(1),
    }
}

fn rule(id: &str, name: &str, kind: RuleKind, conditions: Condition) -> LiveRule {
    LiveRule {
        id: id.into(),
        name: name.into(),
        spec: RuleSpec { kind, conditions },
        meta: meta(2),
    }
}

fn spec(assignment: Assignment, weights: BTreeMap<Email, u32>) -> DistributionSpec {
    DistributionSpec {
        team: String::new(),
        assignment,
        weights,
        calibration: BTreeMap::new(),
        capping: None,
    }
}

/// The demo org of DEMO-ORG, as the live reader would report it.
pub fn demo_live() -> Live {
    let sales_members = [
        "Ava", "Liam", "Sofia", "Noah", "Mia", "Ethan", "Isabella", "Lucas", "Amelia", "Mason",
        "Harper", "Elijah", "Evelyn",
    ];
    let cs_members = [
        "Ava",
        "James",
        "Abigail",
        "Benjamin",
        "Charlotte",
        "Henry",
        "Emily",
        "Alexander",
        "Grace",
    ];
    let partner_members = ["Ava", "Daniel", "Chloe", "Samuel", "Zoe"];
    let inbound = ["Liam", "Sofia", "Noah", "Mia", "Ethan"];

    let mut users = BTreeMap::new();
    for (first, _) in DEMO_USERS {
        let email = demo(first);
        let mut licenses = BTreeSet::new();
        if sales_members.contains(&first) || partner_members.contains(&first) {
            licenses.extend([License::Distro, License::ChiliCalOrg]);
        }
        if cs_members.contains(&first) {
            licenses.insert(License::ChiliCalOrg);
        }
        if inbound.contains(&first) {
            licenses.insert(License::Concierge);
        }
        if first == "Ava" {
            licenses.extend(License::ALL);
        }
        users.insert(
            email.clone(),
            LiveUser {
                id: format!("u-{}", first.to_lowercase()),
                email,
                name: format!(
                    "{first} {}",
                    DEMO_USERS.iter().find(|(f, _)| *f == first).unwrap().1
                ),
                licenses,
                tier: None,
            },
        );
    }

    let inbound_demo = spec(
        Assignment::Meeting {
            handling: MeetingHandling::Flexible {
                reassignment_type: ReassignmentType::AnyTeamMember,
                allow_picking_assignee: false,
            },
            limits: Some(MeetingLimits {
                caps: weights(&[("Liam", 8), ("Sofia", 8)]),
                reset: MeetingLimitReset::Daily {
                    every: 1,
                    starts_on: "2026-01-05".into(),
                    reset_local_time: "00:00".into(),
                    timezone: "America/New_York".into(),
                },
            }),
        },
        weights(&[
            ("Liam", 100),
            ("Sofia", 100),
            ("Noah", 100),
            ("Mia", 50),
            ("Ethan", 0),
        ]),
    );
    let mut enterprise_leads = spec(
        Assignment::Record {
            handling: RecordHandling::WorkingHours,
        },
        weights(&[
            ("Isabella", 100),
            ("Lucas", 100),
            ("Amelia", 100),
            ("Mason", 100),
        ]),
    );
    enterprise_leads.capping = Some(Capping {
        caps: weights(&[("Isabella", 20)]),
        reset: CappingReset::Weekly {
            time_zone: "America/New_York".into(),
            day_of_week: 1,
        },
    });

    let sales = LiveWorkspace {
        id: "w-sales".into(),
        name: "Sales".into(),
        meta: meta(1),
        members: set(&sales_members),
        teams: vec![
            team(
                "t-enterprise-ae",
                "enterprise-ae",
                &["Isabella", "Lucas", "Amelia", "Mason"],
            ),
            team("t-inbound-sdr", "inbound-sdr", &inbound),
            team("t-smb-ae", "smb-ae", &["Harper", "Elijah", "Evelyn"]),
        ],
        distributions: vec![
            distribution(
                "d-enterprise-leads",
                "Enterprise Leads",
                ("t-enterprise-ae", "enterprise-ae"),
                enterprise_leads,
            ),
            distribution(
                "d-inbound-demo",
                "Inbound Demo Requests",
                ("t-inbound-sdr", "inbound-sdr"),
                inbound_demo,
            ),
        ],
        rules: vec![
            rule(
                "r-account-owner",
                "Account owner",
                RuleKind::Ownership {
                    team: Some("enterprise-ae".into()),
                },
                group(
                    LogicalOperator::And,
                    vec![Condition::Ownership {
                        ownership: Some(reference(DataSource::SF, "Account", "OwnerId")),
                        team: None,
                        search_by: Some(SearchOwnershipBy::CrmIdOrEmail),
                    }],
                ),
            ),
            rule(
                "r-enterprise-accounts",
                "Enterprise accounts",
                RuleKind::Standard,
                group(
                    LogicalOperator::Or,
                    vec![
                        Condition::Static {
                            reference: reference(DataSource::SF, "Account", "NumberOfEmployees"),
                            operator: Operator::Ge,
                            value: json!(1000),
                        },
                        Condition::Static {
                            reference: reference(DataSource::SF, "Account", "AnnualRevenue"),
                            operator: Operator::Ge,
                            value: json!(100000000),
                        },
                    ],
                ),
            ),
            rule(
                "r-na-inbound",
                "North America inbound",
                RuleKind::Standard,
                group(
                    LogicalOperator::And,
                    vec![
                        is_any_of("Lead", "Country", json!(["US", "CA"])),
                        Condition::Single {
                            reference: reference(DataSource::SF, "Lead", "Email"),
                            operator: SingleOperator::NotEmpty,
                        },
                    ],
                ),
            ),
        ],
        settings: Some(demo_settings()),
        personal: false,
        meeting_types: None,
        reminders: None,
        links: None,
    };
    let customer_success = LiveWorkspace {
        id: "w-cs".into(),
        name: "Customer Success".into(),
        meta: meta(1),
        members: set(&cs_members),
        teams: vec![
            team(
                "t-csm-emea",
                "csm-emea",
                &["Henry", "Emily", "Alexander", "Grace"],
            ),
            team(
                "t-csm-na",
                "csm-na",
                &["James", "Abigail", "Benjamin", "Charlotte"],
            ),
        ],
        distributions: vec![distribution(
            "d-renewals-na",
            "Renewals NA",
            ("t-csm-na", "csm-na"),
            spec(
                Assignment::Record {
                    handling: RecordHandling::Strict,
                },
                weights(&[
                    ("James", 100),
                    ("Abigail", 100),
                    ("Benjamin", 80),
                    ("Charlotte", 80),
                ]),
            ),
        )],
        rules: vec![rule(
            "r-emea-customers",
            "EMEA customers",
            RuleKind::Standard,
            group(
                LogicalOperator::And,
                vec![is_any_of(
                    "Account",
                    "BillingCountry",
                    json!(["GB", "DE", "FR", "NL", "SE"]),
                )],
            ),
        )],
        settings: Some(demo_settings()),
        personal: false,
        meeting_types: None,
        reminders: None,
        links: None,
    };
    let partnerships = LiveWorkspace {
        id: "w-partnerships".into(),
        name: "Partnerships".into(),
        meta: meta(1),
        members: set(&partner_members),
        teams: vec![team(
            "t-partner-managers",
            "partner-managers",
            &["Daniel", "Chloe", "Samuel"],
        )],
        distributions: vec![distribution(
            "d-partner-referrals",
            "Partner Referrals",
            ("t-partner-managers", "partner-managers"),
            spec(
                Assignment::Conversation,
                weights(&[("Daniel", 100), ("Chloe", 100), ("Samuel", 100)]),
            ),
        )],
        rules: vec![rule(
            "r-partner-sourced",
            "Partner sourced",
            RuleKind::Standard,
            group(
                LogicalOperator::And,
                vec![Condition::Static {
                    reference: reference(DataSource::SF, "Lead", "LeadSource"),
                    operator: Operator::Equal,
                    value: json!("Partner"),
                }],
            ),
        )],
        settings: Some(demo_settings()),
        personal: false,
        meeting_types: None,
        reminders: None,
        links: None,
    };
    Live {
        tenant: Some(LiveTenant {
            tenant_id: "acme-corp.app3".into(),
            subdomain: "acme-corp".into(),
        }),
        users,
        workspaces: [sales, customer_success, partnerships]
            .into_iter()
            .map(|w| (w.name.clone(), w))
            .collect(),
        opaque: Vec::new(),
        unknown_fields: Vec::new(),
        booking_unread: None,
    }
}

/// The `Desired` that describes `live` exactly: every user with their licenses, every
/// workspace with its members, teams, distributions, rules and settings. Sources are made up
/// (`<kind>.yaml:<n>`) but distinct.
pub fn describe(live: &Live) -> Desired {
    let mut line = 0;
    let mut next = |file: &str| {
        line += 1;
        src(file, line)
    };
    let users = live
        .users
        .values()
        .map(|user| {
            (
                user.email.clone(),
                DesiredUser {
                    email: user.email.clone(),
                    name: Some(user.name.clone()),
                    licenses: Some(user.licenses.clone()),
                    invite: false,
                    source: next("users.yaml"),
                },
            )
        })
        .collect();
    let workspaces = live
        .workspaces
        .values()
        .map(|workspace| {
            let file = format!("{}.yaml", workspace.name.to_lowercase().replace(' ', "-"));
            let members = workspace
                .members
                .iter()
                .map(|email| (email.clone(), next(&file)))
                .collect();
            let teams = workspace
                .teams
                .iter()
                .map(|team| {
                    (
                        team.name.clone(),
                        DesiredTeam {
                            members_managed: true,
                            name: team.name.clone(),
                            members: team
                                .members
                                .iter()
                                .map(|email| (email.clone(), next(&file)))
                                .collect(),
                            previously: vec![],
                            recreate: false,
                            source: next(&file),
                        },
                    )
                })
                .collect();
            let distributions = workspace
                .distributions
                .iter()
                .map(|d| {
                    (
                        d.name.clone(),
                        DesiredDistribution {
                            left_alone: Default::default(),
                            name: d.name.clone(),
                            previously: vec![],
                            spec: d.spec.clone(),
                            source: next(&file),
                        },
                    )
                })
                .collect();
            let rules = workspace
                .rules
                .iter()
                .map(|r| {
                    (
                        r.name.clone(),
                        DesiredRule {
                            name: r.name.clone(),
                            previously: vec![],
                            spec: r.spec.clone(),
                            source: next(&file),
                        },
                    )
                })
                .collect();
            (
                workspace.name.clone(),
                DesiredWorkspace {
                    left_alone: Default::default(),
                    name: workspace.name.clone(),
                    source: next(&file),
                    members,
                    teams,
                    distributions,
                    rules,
                    settings: workspace.settings.clone().map(|s| (s, next(&file))),
                    meeting_types: Default::default(),
                    reminders: Default::default(),
                    links: Default::default(),
                },
            )
        })
        .collect();
    Desired {
        tenant: live
            .tenant
            .as_ref()
            .map(|t| (t.tenant_id.clone(), src("org.yaml", 1))),
        policy: Policy::default(),
        users,
        workspaces,
        content_hash: "0".repeat(64),
    }
}

/// Turns on pruning of `kind` in every workspace.
pub fn prune_everywhere(desired: &mut Desired, kinds: &[ObjectKind]) {
    let entry = desired.policy.prune.entry("*".to_string()).or_default();
    for kind in kinds {
        entry.insert(*kind, src("org.yaml", 10));
    }
}
