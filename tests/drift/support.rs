//! Shared helpers: the emulator with the demo org (deterministic clock), clients, the acme
//! manifests (as files or edited copies), applying them through the real planner, applier and
//! client, recording the apply, and running drift with the read-only token.

use std::path::Path;
use std::sync::Arc;

use scoville::apply::{self, ApplyOptions, SilentProgress};
use scoville::drift::{self, DriftOptions, DriftReport, LastApplied};
use scoville::edge::{ApiToken, ClientOptions, EdgeClient, Endpoint};
use scoville::emulator::{
    self, DEMO_ADMIN_TOKEN, DEMO_READONLY_TOKEN, Options, Running, SeedToken,
};
use scoville::live::{self, Scope};
use scoville::manifest;
use scoville::model::{Desired, Live};
use scoville::plan::{self, Plan, PlanOptions, PlanOutcome};

/// When the tests say the last apply finished (the CLI reads the clock instead): the
/// deterministic clock's time of the acme apply's sixth and last change.
pub const APPLIED_AT: &str = "2026-01-05T09:00:06Z";

/// An integration's API key, for changes made by a script rather than a person.
pub const INTEGRATION_KEY_ID: &str = "zapier-sync";
pub const INTEGRATION_TOKEN: &str = "fake-zapier-sync-token";

/// The day drift compares ignore entries' expiry dates with.
pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 3, 2)
}

/// The emulator seeded with the demo org, on the deterministic clock.
pub async fn start() -> Running {
    emulator::start(Options::new(emulator::demo_seed()))
        .await
        .expect("the emulator starts")
}

pub fn client(running: &Running, token: &str) -> EdgeClient {
    EdgeClient::new(
        Endpoint::parse(&running.base_url()).unwrap(),
        ApiToken::from_literal(token).unwrap(),
        ClientOptions::default(),
    )
    .unwrap()
}

/// The files of `examples/acme` as (`acme/<file>`, text), for loading edited copies with
/// stable names.
pub fn acme_texts() -> Vec<(String, String)> {
    let directory = Path::new("examples/acme");
    let mut files: Vec<(String, String)> = std::fs::read_dir(directory)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|path| {
            let name = format!("acme/{}", path.file_name().unwrap().to_string_lossy());
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// `files` with the first `old` in the file `name` replaced by `new`.
pub fn edit(
    mut files: Vec<(String, String)>,
    name: &str,
    old: &str,
    new: &str,
) -> Vec<(String, String)> {
    let file = files
        .iter_mut()
        .find(|(file, _)| file == name)
        .unwrap_or_else(|| panic!("no manifest {name}"));
    assert!(file.1.contains(old), "{name} does not contain {old:?}");
    file.1 = file.1.replacen(old, new, 1);
    files
}

pub fn load(files: &[(String, String)]) -> Desired {
    manifest::load_texts(files)
        .unwrap_or_else(|diagnostics| panic!("{}", diagnostics.render_text()))
}

/// The acme manifests as they are.
pub fn acme() -> Desired {
    load(&acme_texts())
}

pub async fn fetch(client: &EdgeClient, desired: &Desired) -> Live {
    live::fetch(client, &Scope::for_desired(desired))
        .await
        .expect("the live org can be read")
}

/// Plans `desired` against the emulator and applies it with the admin token; every step must
/// succeed.
pub async fn apply(running: &Running, desired: &Desired) -> Plan {
    let admin = client(running, DEMO_ADMIN_TOKEN);
    let live = fetch(&admin, desired).await;
    let plan = plan::plan(desired, &live, &PlanOptions::new(desired, false));
    assert_ne!(plan.outcome(), PlanOutcome::Refused, "{:?}", plan.errors);
    let report = apply::run(
        &admin,
        &plan,
        &ApplyOptions::default(),
        Arc::new(SilentProgress),
    )
    .await;
    assert!(report.succeeded(), "{}", report.render_text());
    plan
}

/// Applies `desired` and records the org right after, as `scoville apply --record` does.
pub async fn apply_and_record(running: &Running, desired: &Desired) -> LastApplied {
    let plan = apply(running, desired).await;
    let live_after = fetch(&client(running, DEMO_ADMIN_TOKEN), desired).await;
    drift::last_applied(&plan, &live_after, Some(APPLIED_AT.to_string()))
}

/// Drift as `scoville drift` computes it, reading with the read-only token.
pub async fn drift_report(
    running: &Running,
    desired: &Desired,
    record: Option<&LastApplied>,
    today: jiff::civil::Date,
) -> DriftReport {
    let readonly = client(running, DEMO_READONLY_TOKEN);
    let live = fetch(&readonly, desired).await;
    drift::drift(
        desired,
        &live,
        &DriftOptions {
            today,
            last_applied: record,
        },
    )
}

/// The live org as the admin sees it, for finding ids.
pub async fn live_now(running: &Running) -> Live {
    let admin = client(running, DEMO_ADMIN_TOKEN);
    live::fetch(&admin, &Scope::everything()).await.unwrap()
}

/// The id of the object of `kind` called `name` in `workspace`.
pub fn id_of(live: &Live, workspace: &str, kind: &str, name: &str) -> String {
    let workspace = &live.workspaces[workspace];
    let found = match kind {
        "team" => workspace
            .teams
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.id.clone()),
        "distribution" => workspace
            .distributions
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.id.clone()),
        "rule" => workspace
            .rules
            .iter()
            .find(|r| r.name == name)
            .map(|r| r.id.clone()),
        _ => None,
    };
    found.unwrap_or_else(|| panic!("no {kind} {name}"))
}

pub fn user_id(running: &Running, email: &str) -> String {
    running
        .control()
        .user_id(email)
        .unwrap_or_else(|| panic!("no user {email}"))
}

/// Gives the org a second API key, as an integration (Zapier, a script) would have.
pub fn add_integration_key(running: &Running) {
    running.control().edit(|state| {
        state.tokens.push(SeedToken {
            id: INTEGRATION_KEY_ID.to_string(),
            secret: INTEGRATION_TOKEN.to_string(),
            permissions: vec!["*".to_string()],
        })
    });
}

/// The addresses of a report's counted objects.
pub fn addresses(report: &DriftReport) -> Vec<&str> {
    report.objects.iter().map(|o| o.address.as_str()).collect()
}

/// Edits made by people in the Chili Piper UI (the emulator's control surface), by email.
pub mod ui {
    use scoville::edge::wire::{LicenseSet, UpdateLicensesRequest};
    use scoville::emulator::Running;
    use serde_json::Value;

    use super::{id_of, live_now, user_id};

    /// `who` removes `member` from a team.
    pub async fn remove_team_member(
        running: &Running,
        who: &str,
        workspace: &str,
        team: &str,
        member: &str,
    ) {
        let live = live_now(running).await;
        let team_id = id_of(&live, workspace, "team", team);
        let member = user_id(running, member);
        running
            .control()
            .as_user(&user_id(running, who))
            .unwrap()
            .team_remove_users(&team_id, &[&member])
            .unwrap();
    }

    /// `who` sets one member's weight in a distribution.
    pub async fn set_weight(
        running: &Running,
        who: &str,
        workspace: &str,
        distribution: &str,
        member: &str,
        weight: u32,
    ) {
        let live = live_now(running).await;
        let distribution_id = id_of(&live, workspace, "distribution", distribution);
        let member = user_id(running, member);
        running
            .control()
            .as_user(&user_id(running, who))
            .unwrap()
            .set_distribution_weights(&distribution_id, &[(&member, weight)])
            .unwrap();
    }

    /// `who` adds `extra` to every `isAnyOf`-style list of a rule that holds `next_to`.
    pub async fn extend_rule_list(
        running: &Running,
        who: &str,
        workspace: &str,
        rule: &str,
        next_to: &str,
        extra: &str,
    ) {
        fn extend(value: &mut Value, next_to: &str, extra: &str) {
            match value {
                Value::Array(items) if items.iter().any(|item| item == next_to) => {
                    items.push(Value::String(extra.to_string()));
                }
                Value::Array(items) => items
                    .iter_mut()
                    .for_each(|item| extend(item, next_to, extra)),
                Value::Object(fields) => fields
                    .values_mut()
                    .for_each(|field| extend(field, next_to, extra)),
                _ => {}
            }
        }
        let live = live_now(running).await;
        let rule_id = id_of(&live, workspace, "rule", rule);
        let control = running.control();
        let conditions = control.state().rules[&rule_id]
            .rule
            .body()
            .conditions
            .clone();
        let mut value = serde_json::to_value(&conditions).unwrap();
        extend(&mut value, next_to, extra);
        control
            .as_user(&user_id(running, who))
            .unwrap()
            .modify_rule(&rule_id, rule, serde_json::from_value(value).unwrap())
            .unwrap();
    }

    /// `who` gives `user` the chat license on top of distro and chiliCalOrg.
    pub fn grant_chat(running: &Running, who: &str, user: &str) {
        let licenses = LicenseSet {
            distro: true,
            chili_cal_org: true,
            chat: true,
            ..LicenseSet::default()
        };
        running
            .control()
            .as_user(&user_id(running, who))
            .unwrap()
            .update_licenses(&UpdateLicensesRequest {
                update: [(user_id(running, user), licenses)].into(),
            })
            .unwrap();
    }
}
