//! examples/acme: the demo org with its four deliberate differences (a new team, a changed
//! weight, a user to invite, a license change) loads cleanly and says what DEMO-ORG.md says.

use std::collections::BTreeSet;
use std::path::PathBuf;

use scoville::manifest;
use scoville::model::{
    Assignment, Condition, DataReference, DataSource, Desired, Email, License, LogicalOperator,
    Operator, RuleKind, SingleOperator,
};

fn acme() -> Desired {
    match manifest::load(&[PathBuf::from("examples/acme")]) {
        Ok(desired) => desired,
        Err(diagnostics) => panic!(
            "examples/acme does not load:\n{}",
            diagnostics.render_text()
        ),
    }
}

fn email(text: &str) -> Email {
    Email::parse(text).expect("test email")
}

#[test]
fn acme_loads_with_the_demo_org_counts() {
    let desired = acme();
    assert_eq!(desired.users.len(), 26, "25 demo users and Olivia");
    let names: Vec<&str> = desired.workspaces.keys().map(String::as_str).collect();
    assert_eq!(names, ["Customer Success", "Partnerships", "Sales"]);
    let sales = &desired.workspaces["Sales"];
    let teams: Vec<&str> = sales.teams.keys().map(String::as_str).collect();
    assert_eq!(
        teams,
        ["enterprise-ae", "inbound-sdr", "mid-market-ae", "smb-ae"]
    );
    assert_eq!(sales.members.len(), 14);
    assert_eq!(
        desired.tenant.as_ref().map(|(t, _)| t.as_str()),
        Some("acme-corp.app3")
    );
    for workspace in desired.workspaces.values() {
        assert!(
            workspace.settings.is_some(),
            "{} manages settings",
            workspace.name
        );
    }
}

#[test]
fn acme_has_the_four_deliberate_differences() {
    let desired = acme();
    let sales = &desired.workspaces["Sales"];

    // 1. A new team.
    let mid_market: BTreeSet<&Email> = sales.teams["mid-market-ae"].members.keys().collect();
    assert_eq!(
        mid_market,
        BTreeSet::from([
            &email("harper.nguyen@acme.example"),
            &email("elijah.turner@acme.example")
        ])
    );

    // 2. Mia's weight 50 -> 100; 3. Olivia invited, on the team, weight 100.
    let inbound = &sales.distributions["Inbound Demo Requests"].spec;
    assert_eq!(inbound.weights[&email("mia.johansson@acme.example")], 100);
    assert_eq!(inbound.weights[&email("ethan.brooks@acme.example")], 0);
    assert_eq!(inbound.weights[&email("olivia.reyes@acme.example")], 100);
    let olivia = &desired.users[&email("olivia.reyes@acme.example")];
    assert!(olivia.invite);
    assert_eq!(
        olivia.licenses,
        Some(BTreeSet::from([License::Distro, License::ChiliCalOrg]))
    );
    assert!(
        sales.teams["inbound-sdr"]
            .members
            .contains_key(&email("olivia.reyes@acme.example"))
    );
    assert!(
        sales
            .members
            .contains_key(&email("olivia.reyes@acme.example"))
    );

    // 4. Daniel gains concierge.
    let daniel = &desired.users[&email("daniel.mensah@acme.example")];
    assert_eq!(
        daniel.licenses,
        Some(BTreeSet::from([
            License::Distro,
            License::ChiliCalOrg,
            License::Concierge
        ]))
    );
}

#[test]
fn acme_distributions_and_rules_match_the_demo_org() {
    let desired = acme();
    let sales = &desired.workspaces["Sales"];
    let inbound = &sales.distributions["Inbound Demo Requests"].spec;
    let Assignment::Meeting {
        limits: Some(limits),
        ..
    } = &inbound.assignment
    else {
        panic!("Inbound Demo Requests is a Meeting distribution with limits");
    };
    assert_eq!(limits.caps[&email("liam.patel@acme.example")], 8);
    let enterprise = &sales.distributions["Enterprise Leads"].spec;
    let capping = enterprise.capping.as_ref().expect("capping");
    assert_eq!(capping.caps[&email("isabella.garcia@acme.example")], 20);

    let reference = |object: &str, field: &str| DataReference {
        source: DataSource::SF,
        object: object.to_string(),
        field: field.to_string(),
    };
    assert_eq!(
        sales.rules["North America inbound"].spec.conditions,
        Condition::Group {
            operator: LogicalOperator::And,
            name: None,
            conditions: vec![
                Condition::Static {
                    reference: reference("Lead", "Country"),
                    operator: Operator::IsAnyOf,
                    value: serde_json::json!(["US", "CA"]),
                },
                Condition::Single {
                    reference: reference("Lead", "Email"),
                    operator: SingleOperator::NotEmpty,
                },
            ],
        }
    );
    assert_eq!(
        sales.rules["Enterprise accounts"].spec.conditions,
        Condition::Group {
            operator: LogicalOperator::Or,
            name: None,
            conditions: vec![
                Condition::Static {
                    reference: reference("Account", "NumberOfEmployees"),
                    operator: Operator::Ge,
                    value: serde_json::json!(1000),
                },
                Condition::Static {
                    reference: reference("Account", "AnnualRevenue"),
                    operator: Operator::Ge,
                    value: serde_json::json!(100_000_000),
                },
            ],
        }
    );
    assert_eq!(
        sales.rules["Account owner"].spec.kind,
        RuleKind::Ownership {
            team: Some("enterprise-ae".to_string())
        }
    );
    let partner = &desired.workspaces["Partnerships"].rules["Partner sourced"];
    assert_eq!(
        partner.spec.conditions,
        Condition::Group {
            operator: LogicalOperator::And,
            name: None,
            conditions: vec![Condition::Static {
                reference: reference("Lead", "LeadSource"),
                operator: Operator::Equal,
                value: serde_json::json!("Partner"),
            }],
        }
    );
}

#[test]
fn sources_point_into_the_files_as_given() {
    let desired = acme();
    let ava = &desired.users[&email("ava.thompson@acme.example")];
    assert_eq!(&*ava.source.file, "examples/acme/users.yaml");
    assert_eq!((ava.source.line, ava.source.column), (5, 3));
    let team = &desired.workspaces["Sales"].teams["mid-market-ae"];
    assert_eq!(&*team.source.file, "examples/acme/sales.yaml");
}

#[test]
fn content_hash_depends_on_the_files_not_on_where_scoville_runs() {
    let relative = acme();
    assert_eq!(relative.content_hash.len(), 64);
    let absolute = std::env::current_dir()
        .expect("current directory")
        .join("examples/acme");
    let from_absolute = manifest::load(&[absolute]).expect("loads");
    assert_eq!(relative.content_hash, from_absolute.content_hash);

    let copy = tempfile::tempdir().expect("temporary directory");
    for entry in std::fs::read_dir("examples/acme").expect("examples/acme") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, copy.path().join(path.file_name().expect("name"))).expect("copy");
    }
    let copied = manifest::load(&[copy.path().to_path_buf()]).expect("copy loads");
    assert_eq!(relative.content_hash, copied.content_hash);

    let users = copy.path().join("users.yaml");
    let text = std::fs::read_to_string(&users).expect("read");
    std::fs::write(&users, text.replace("Ava Thompson", "Ava Thomson")).expect("write");
    let changed = manifest::load(&[copy.path().to_path_buf()]).expect("changed copy loads");
    assert_ne!(relative.content_hash, changed.content_hash);
}

#[test]
fn a_file_given_twice_is_read_once() {
    let twice = manifest::load(&[
        PathBuf::from("examples/acme"),
        PathBuf::from("examples/acme/users.yaml"),
    ])
    .expect("loads");
    assert_eq!(twice.users.len(), 26);
}

/// The complete example in docs/manifests.md is a valid manifest set.
#[test]
fn the_documented_example_is_valid() {
    let doc = std::fs::read_to_string("docs/manifests.md").expect("docs/manifests.md");
    let start = doc
        .find("```yaml\n# yaml-language-server")
        .expect("the complete example")
        + "```yaml\n".len();
    let end = start + doc[start..].find("```").expect("end of the example");
    let example = doc[start..end].to_string();
    if let Err(diagnostics) = manifest::load_texts(&[("example.yaml".to_string(), example)]) {
        panic!(
            "docs/manifests.md's example:\n{}",
            diagnostics.render_text()
        );
    }
}

/// The demo's booking objects: a meeting type with a reminder, offered on a round-robin link
/// over two distributions of Sales.
#[test]
fn acme_offers_a_demo_on_a_round_robin_link() {
    let desired = acme();
    let sales = &desired.workspaces["Sales"];
    let demo = &sales.meeting_types["Product Demo"];
    assert_eq!(demo.spec.duration, scoville::model::Span(30 * 60));
    assert_eq!(
        demo.spec.reminders,
        Some(BTreeSet::from(["Day before".to_string()]))
    );
    assert!(sales.reminders.contains_key("Day before"));
    let link = &sales.links["demo-sales"];
    assert_eq!(link.spec.meeting_types, ["Product Demo"]);
    assert_eq!(
        link.spec.target,
        scoville::model::LinkTarget::RoundRobin {
            distributions: vec![
                "Inbound Demo Requests".to_string(),
                "Enterprise Leads".to_string()
            ]
        }
    );
    for distribution in link.spec.target.distributions() {
        assert!(sales.distributions.contains_key(distribution));
    }
}
