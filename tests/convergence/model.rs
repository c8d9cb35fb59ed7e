//! A small abstract org that both sides of a convergence case are written from: the live org
//! (as an emulator `Seed`) and the manifests (as YAML texts), plus the oracle that checks the
//! emulator's final state against the manifests' model directly, without the planner.

use std::collections::{BTreeMap, BTreeSet};

use super::booking::BookingModel;
use scoville::edge::wire;
use scoville::emulator::default_workspace_settings;
use scoville::emulator::{
    OrgState, Seed, SeedAssignment, SeedCapping, SeedDistribution, SeedMeetingLimit, SeedRule,
    SeedRuleKind, SeedTeam, SeedUser, SeedWorkspace, demo_tokens,
};
use scoville::model::{
    CappingReset, DataReference, DataSource, License, LogicalOperator, MeetingHandling, ObjectKind,
    Operator, OrderIfEqualState, ReassignmentType, RecordHandling, SearchOwnershipBy,
    SingleOperator, VacationFreshness, WorkspaceSettings,
};

pub const TENANT_ID: &str = "conv-org.app1";
/// Seats per license type: more than every user of any generated org.
const SEATS: u32 = 20;

/// The license types the generator hands out (the others stay untouched everywhere).
pub const LICENSES: [License; 3] = [License::Distro, License::ChiliCalOrg, License::Concierge];

/// An org, or what the manifests say of one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrgModel {
    /// By email.
    pub users: BTreeMap<String, UserModel>,
    /// By name.
    pub workspaces: BTreeMap<String, WorkspaceModel>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UserModel {
    pub name: String,
    /// `None`: the manifests leave the user's licenses alone.
    pub licenses: Option<BTreeSet<License>>,
    /// Only in manifests: the user is not in the org and is to be invited.
    pub invite: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkspaceModel {
    pub members: BTreeSet<String>,
    /// Team name -> member emails.
    pub teams: BTreeMap<String, BTreeSet<String>>,
    pub distributions: BTreeMap<String, DistributionModel>,
    pub rules: BTreeMap<String, RuleModel>,
    /// Only in manifests: the kinds whose undeclared live objects are deleted.
    pub prune: BTreeSet<ObjectKind>,
    /// Distribution settings; in manifests `None` leaves them alone, in an org `None` means
    /// the emulator's default.
    pub settings: Option<WorkspaceSettings>,
    /// Reminders, meeting types and links; in manifests `None` leaves all three alone.
    pub booking: Option<BookingModel>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DistributionModel {
    pub team: String,
    pub assignment: AssignmentKind,
    /// By member email; every member of the team has one.
    pub weights: BTreeMap<String, u32>,
    /// One member's cap, reset daily.
    pub cap: Option<(String, u32)>,
    /// Only in manifests: the former name of a distribution renamed in place.
    pub previously: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentKind {
    RecordStrict,
    RecordWorkingHours,
    Conversation,
    MeetingFlexible,
}

impl AssignmentKind {
    pub fn from_index(index: u8) -> AssignmentKind {
        match index % 4 {
            0 => AssignmentKind::RecordStrict,
            1 => AssignmentKind::RecordWorkingHours,
            2 => AssignmentKind::Conversation,
            _ => AssignmentKind::MeetingFlexible,
        }
    }

    fn wire(self) -> wire::AssignmentTypeConfig {
        match self {
            AssignmentKind::RecordStrict => wire::AssignmentTypeConfig::Record {
                handling: RecordHandling::Strict,
            },
            AssignmentKind::RecordWorkingHours => wire::AssignmentTypeConfig::Record {
                handling: RecordHandling::WorkingHours,
            },
            AssignmentKind::Conversation => wire::AssignmentTypeConfig::Conversation,
            AssignmentKind::MeetingFlexible => wire::AssignmentTypeConfig::Meeting {
                handling: meeting_handling(),
                limits: wire::MeetingLimit::MeetingLimitUnset,
            },
        }
    }

    fn seed(self) -> SeedAssignment {
        match self {
            AssignmentKind::RecordStrict => SeedAssignment::Record {
                handling: RecordHandling::Strict,
            },
            AssignmentKind::RecordWorkingHours => SeedAssignment::Record {
                handling: RecordHandling::WorkingHours,
            },
            AssignmentKind::Conversation => SeedAssignment::Conversation,
            AssignmentKind::MeetingFlexible => SeedAssignment::Meeting {
                handling: meeting_handling(),
                limits: SeedMeetingLimit::MeetingLimitUnset,
            },
        }
    }

    fn yaml(self) -> &'static str {
        match self {
            AssignmentKind::RecordStrict => "record: {handling: {type: Strict}}",
            AssignmentKind::RecordWorkingHours => "record: {handling: {type: WorkingHours}}",
            AssignmentKind::Conversation => "conversation: {}",
            AssignmentKind::MeetingFlexible => {
                "meeting: {handling: {type: Flexible, reassignmentType: SameUser, allowPickingAssignee: false}}"
            }
        }
    }
}

fn meeting_handling() -> MeetingHandling {
    MeetingHandling::Flexible {
        reassignment_type: ReassignmentType::SameUser,
        allow_picking_assignee: false,
    }
}

fn cap_reset() -> CappingReset {
    CappingReset::Daily {
        time_zone: "UTC".to_string(),
    }
}

/// A rule: `Lead.Country == value`, optionally `and Lead.Email notEmpty`; or an ownership
/// rule looking owners up in a team.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleModel {
    pub value: String,
    pub email_not_empty: bool,
    pub ownership_team: Option<String>,
    /// Only in manifests: the former name of a rule renamed in place.
    pub previously: Option<String>,
}

fn reference(object: &str, field: &str) -> DataReference {
    DataReference {
        source: DataSource::SF,
        object: object.to_string(),
        field: field.to_string(),
    }
}

impl RuleModel {
    /// The API's condition tree, with made-up ids (the live reader and the oracle ignore them).
    fn wire_conditions(&self) -> wire::Condition {
        let conditions = match &self.ownership_team {
            Some(_) => vec![wire::Condition::OwnershipCondition {
                condition_id: "c-owner".to_string(),
                ownership: Some(reference("Account", "OwnerId")),
                team_id: None,
                search_ownership_by: Some(SearchOwnershipBy::CrmIdOrEmail),
            }],
            None => {
                let mut conditions = vec![wire::Condition::StaticValueCondition {
                    condition_id: "c-country".to_string(),
                    data_reference: reference("Lead", "Country"),
                    operator: Operator::Equal,
                    value: serde_json::Value::String(self.value.clone()),
                }];
                if self.email_not_empty {
                    conditions.push(wire::Condition::SingleParameterCondition {
                        condition_id: "c-email".to_string(),
                        data_reference: reference("Lead", "Email"),
                        operator: SingleOperator::NotEmpty,
                    });
                }
                conditions
            }
        };
        wire::Condition::ConditionGroup {
            id: "g-top".to_string(),
            name: None,
            operator: LogicalOperator::And,
            conditions,
        }
    }
}

/// The licenses a wire user holds, as a set.
fn wire_licenses(licenses: &wire::UserLicenses) -> BTreeSet<License> {
    let flags = [
        (License::Distro, licenses.distro),
        (License::ChiliCalOrg, licenses.chili_cal_org),
        (License::Concierge, licenses.concierge),
        (License::ConciergeLive, licenses.concierge_live),
        (License::Chat, licenses.chat),
        (License::Handoff, licenses.handoff),
    ];
    flags
        .into_iter()
        .filter(|(_, held)| *held)
        .map(|(license, _)| license)
        .collect()
}

fn yaml_list<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", items.join(", "))
}

fn license_name(license: License) -> &'static str {
    match license {
        License::Distro => "distro",
        License::ChiliCalOrg => "chiliCalOrg",
        License::Concierge => "concierge",
        License::ConciergeLive => "conciergeLive",
        License::Chat => "chat",
        License::Handoff => "handoff",
    }
}

fn kind_name(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::WorkspaceMembers => "workspaceMembers",
        ObjectKind::Teams => "teams",
        ObjectKind::Distributions => "distributions",
        ObjectKind::Rules => "rules",
        ObjectKind::Licenses => "licenses",
        ObjectKind::MeetingTypes => "meetingTypes",
        ObjectKind::Reminders => "reminders",
        ObjectKind::SchedulingLinks => "schedulingLinks",
    }
}

/// Settings that differ from the emulator's default in the bits of `mask`: calibrate
/// vacations, credit back no-shows, vacation recognition, real-time vacation checks. (Never
/// `orderIfEqualState`: it is read-only in the API, so no apply could converge on it.)
pub fn settings(mask: u8) -> WorkspaceSettings {
    let mut settings = default_workspace_settings();
    settings.calibrate_vacation = mask & 1 == 0;
    settings.credit_back_no_show = mask & 2 != 0;
    if mask & 4 != 0 {
        settings.vacation_buffer.recognition_enabled =
            !settings.vacation_buffer.recognition_enabled;
    }
    if mask & 8 != 0 {
        settings.vacation_buffer.freshness = VacationFreshness::RealTime;
    }
    settings
}

/// The manifests' `settings:` block of a workspace, written out by hand like a person would.
fn settings_yaml(settings: &WorkspaceSettings) -> String {
    let base = default_workspace_settings();
    assert_eq!(
        (&settings.reset_periodicity, settings.credit_back_cancelled),
        (&base.reset_periodicity, base.credit_back_cancelled),
        "only the fields `settings()` varies are written"
    );
    let order = match settings.order_if_equal_state {
        OrderIfEqualState::AsConfigured => "AsConfigured",
        OrderIfEqualState::Random => "Random",
    };
    let freshness = match settings.vacation_buffer.freshness {
        VacationFreshness::Cached => "Cached",
        VacationFreshness::RealTime => "RealTime",
    };
    let buffer = &settings.vacation_buffer;
    format!(
        "    settings:\n      calibrateVacation: {}\n      creditBackCancelled: true\n      creditBackNoShow: {}\n      orderIfEqualState: {order}\n      resetPeriodicity: {{type: Monthly, timeZone: America/New_York}}\n      vacationBuffer: {{daysBeforeStart: {}, daysBeforeEnd: {}, recognitionEnabled: {}, freshness: {freshness}}}\n",
        settings.calibrate_vacation,
        settings.credit_back_no_show,
        buffer.days_before_start,
        buffer.days_before_end,
        buffer.recognition_enabled,
    )
}

impl OrgModel {
    /// The emulator seed of this org (the manifests-only fields are ignored).
    pub fn to_seed(&self) -> Seed {
        let users = self
            .users
            .iter()
            .enumerate()
            .map(|(index, (email, user))| SeedUser {
                name: user.name.clone(),
                email: email.clone(),
                super_admin: index == 0,
                licenses: user
                    .licenses
                    .as_ref()
                    .map(|l| l.iter().copied().collect())
                    .unwrap_or_default(),
                personal_workspace: None,
            })
            .collect();
        let workspaces = self
            .workspaces
            .iter()
            .map(|(name, workspace)| SeedWorkspace {
                name: name.clone(),
                emoji: None,
                members: workspace.members.iter().cloned().collect(),
                settings: workspace.settings.clone(),
                teams: workspace
                    .teams
                    .iter()
                    .map(|(team, members)| SeedTeam {
                        name: team.clone(),
                        members: members.iter().cloned().collect(),
                    })
                    .collect(),
                distributions: workspace
                    .distributions
                    .iter()
                    .map(|(name, d)| SeedDistribution {
                        name: name.clone(),
                        team: d.team.clone(),
                        assignment: d.assignment.seed(),
                        weights: d.weights.clone(),
                        calibration: BTreeMap::new(),
                        capping: d.cap.as_ref().map(|(email, limit)| SeedCapping {
                            user_caps: [(email.clone(), *limit)].into(),
                            reset_periodicity: cap_reset(),
                        }),
                    })
                    .collect(),
                rules: workspace
                    .rules
                    .iter()
                    .map(|(name, rule)| SeedRule {
                        name: name.clone(),
                        kind: if rule.ownership_team.is_some() {
                            SeedRuleKind::Ownership
                        } else {
                            SeedRuleKind::Standard
                        },
                        team: rule.ownership_team.clone(),
                        conditions: rule.wire_conditions(),
                    })
                    .collect(),
                reminders: Vec::new(),
                meeting_types: Vec::new(),
                scheduling_links: Vec::new(),
            })
            .zip(self.workspaces.values())
            .map(|(mut seeded, workspace)| {
                if let Some(booking) = &workspace.booking {
                    let (reminders, meeting_types, links) = booking.to_seed();
                    seeded.reminders = reminders;
                    seeded.meeting_types = meeting_types;
                    seeded.scheduling_links = links;
                }
                seeded
            })
            .collect();
        Seed {
            tenant: wire::TenantInfo::Organization {
                tenant_data: wire::TenantData {
                    tenant_id: TENANT_ID.to_string(),
                    cluster: "app1".to_string(),
                    subdomain: "conv-org".to_string(),
                },
                domains: vec!["conv.example".to_string()],
            },
            seats: License::ALL.iter().map(|l| (*l, SEATS)).collect(),
            tokens: demo_tokens(),
            users,
            workspaces,
            overlays: Default::default(),
        }
    }

    /// The manifests that declare this model: `org.yaml` (tenant, policy), `users.yaml`, and
    /// one file per workspace.
    pub fn to_manifests(&self) -> Vec<(String, String)> {
        let mut org =
            format!("org:\n  tenant: {TENANT_ID}\n  policy:\n    allowDestructive: true\n");
        let pruned: Vec<_> = self
            .workspaces
            .iter()
            .filter(|(_, w)| !w.prune.is_empty())
            .collect();
        if !pruned.is_empty() {
            org.push_str("    prune:\n");
            for (name, workspace) in pruned {
                let kinds: Vec<&str> = workspace.prune.iter().map(|k| kind_name(*k)).collect();
                org.push_str(&format!("      \"{name}\": [{}]\n", kinds.join(", ")));
            }
        }
        let mut users = String::from("users:\n");
        for (email, user) in &self.users {
            users.push_str(&format!("  {email}:\n    name: \"{}\"\n", user.name));
            if let Some(licenses) = &user.licenses {
                let names: Vec<&str> = licenses.iter().map(|l| license_name(*l)).collect();
                users.push_str(&format!("    licenses: [{}]\n", names.join(", ")));
            }
            if user.invite {
                users.push_str("    invite: true\n");
            }
        }
        let mut files = vec![
            ("org.yaml".to_string(), org),
            ("users.yaml".to_string(), users),
        ];
        for (index, (name, workspace)) in self.workspaces.iter().enumerate() {
            let mut text = format!(
                "workspaces:\n  \"{name}\":\n    members: {}\n",
                yaml_list(&workspace.members)
            );
            // An omitted key leaves its kind alone, so an empty one is written as `{}`.
            if workspace.teams.is_empty() {
                text.push_str("    teams: {}\n");
            } else {
                text.push_str("    teams:\n");
                for (team, members) in &workspace.teams {
                    text.push_str(&format!("      {team}: {}\n", yaml_list(members)));
                }
            }
            if workspace.distributions.is_empty() {
                text.push_str("    distributions: {}\n");
            } else {
                text.push_str("    distributions:\n");
                for (name, d) in &workspace.distributions {
                    text.push_str(&format!(
                        "      {name}:\n        team: {}\n        {}\n",
                        d.team,
                        d.assignment.yaml()
                    ));
                    if let Some(previous) = &d.previously {
                        text.push_str(&format!("        previously: [{previous}]\n"));
                    }
                    let weights: Vec<String> = d
                        .weights
                        .iter()
                        .map(|(email, weight)| format!("\"{email}\": {weight}"))
                        .collect();
                    text.push_str(&format!("        weights: {{{}}}\n", weights.join(", ")));
                    match &d.cap {
                        Some((email, limit)) => text.push_str(&format!(
                            "        capping:\n          caps: {{\"{email}\": {limit}}}\n          reset: {{type: Daily, timeZone: UTC}}\n"
                        )),
                        None => text.push_str("        capping: {}\n"),
                    }
                }
            }
            if workspace.rules.is_empty() {
                text.push_str("    rules: {}\n");
            } else {
                text.push_str("    rules:\n");
                for (name, rule) in &workspace.rules {
                    text.push_str(&format!("      {name}:\n"));
                    if let Some(previous) = &rule.previously {
                        text.push_str(&format!("        previously: [{previous}]\n"));
                    }
                    match &rule.ownership_team {
                        Some(team) => text.push_str(&format!(
                            "        ownership: true\n        team: {team}\n        all:\n          - ownership: {{field: SF.Account.OwnerId, searchBy: CrmIdOrEmail}}\n"
                        )),
                        None => {
                            text.push_str(&format!(
                                "        all:\n          - {{field: SF.Lead.Country, equal: \"{}\"}}\n",
                                rule.value
                            ));
                            if rule.email_not_empty {
                                text.push_str(
                                    "          - {field: SF.Lead.Email, notEmpty: true}\n",
                                );
                            }
                        }
                    }
                }
            }
            if let Some(settings) = &workspace.settings {
                text.push_str(&settings_yaml(settings));
            }
            if let Some(booking) = &workspace.booking {
                text.push_str(&booking.to_yaml());
            }
            files.push((format!("workspace-{index}.yaml"), text));
        }
        files
    }
}

/// Everything wrong with the emulator's final `state`, judged against the manifests' model
/// `desired` and the org it started as (`org`): duplicates of any kind, declared objects that
/// are missing or differ, undeclared objects that were deleted without pruning or survived
/// pruning. Empty when all is well.
pub fn problems(state: &OrgState, org: &OrgModel, desired: &OrgModel) -> Vec<String> {
    let mut problems = Vec::new();
    let mut email_of: BTreeMap<&str, String> = BTreeMap::new();
    let mut users_by_email: BTreeMap<String, Vec<&wire::User>> = BTreeMap::new();
    for user in state.users.values() {
        email_of.insert(&user.id, user.email.to_lowercase());
        users_by_email
            .entry(user.email.to_lowercase())
            .or_default()
            .push(user);
    }
    let emails = |ids: &[String]| -> BTreeSet<String> {
        ids.iter()
            .map(|id| {
                email_of
                    .get(id.as_str())
                    .cloned()
                    .unwrap_or(format!("<{id}>"))
            })
            .collect()
    };
    for (email, users) in &users_by_email {
        if users.len() > 1 {
            problems.push(format!("{} users have the email {email}", users.len()));
        }
    }
    // Users: every user of the org and of the manifests exists, with the declared licenses.
    let all_users: BTreeSet<&String> = org.users.keys().chain(desired.users.keys()).collect();
    for email in all_users {
        let Some(user) = users_by_email.get(email).and_then(|u| u.first()) else {
            problems.push(format!("user {email} is missing"));
            continue;
        };
        let expected = match desired.users.get(email).and_then(|u| u.licenses.as_ref()) {
            Some(declared) => declared.clone(),
            None => org
                .users
                .get(email)
                .and_then(|u| u.licenses.clone())
                .unwrap_or_default(),
        };
        let held = wire_licenses(&user.licenses);
        if held != expected {
            problems.push(format!(
                "user {email} holds {held:?}, the manifests say {expected:?}"
            ));
        }
    }
    for (name, declared) in &desired.workspaces {
        let before = org.workspaces.get(name).cloned().unwrap_or_default();
        let Some(workspace) = state.workspaces.values().find(|w| &w.name == name) else {
            problems.push(format!("workspace {name} is missing"));
            continue;
        };
        let prunes = |kind: ObjectKind| declared.prune.contains(&kind);
        let renamed_distributions: BTreeSet<&String> = declared
            .distributions
            .values()
            .filter_map(|d| d.previously.as_ref())
            .collect();
        let renamed_rules: BTreeSet<&String> = declared
            .rules
            .values()
            .filter_map(|r| r.previously.as_ref())
            .collect();

        let expected_settings = declared
            .settings
            .clone()
            .or_else(|| before.settings.clone())
            .unwrap_or_else(default_workspace_settings);
        match state.workspace_settings.get(&workspace.id) {
            Some(settings) if settings == &expected_settings => {}
            other => problems.push(format!(
                "workspace {name} has settings {other:?}, expected {expected_settings:?}"
            )),
        }

        // Members: exactly the declared ones, plus the old ones unless pruned.
        let members: BTreeSet<String> = state
            .users
            .values()
            .filter(|u| u.workspaces.contains(&workspace.id))
            .map(|u| u.email.to_lowercase())
            .collect();
        let mut expected = declared.members.clone();
        if !prunes(ObjectKind::WorkspaceMembers) {
            expected.extend(before.members.iter().cloned());
        }
        if members != expected {
            problems.push(format!(
                "workspace {name} has members {members:?}, expected {expected:?}"
            ));
        }

        // Teams: one per name; declared ones with exactly their members; undeclared ones
        // untouched unless pruned.
        let mut teams: BTreeMap<&str, Vec<&wire::Team>> = BTreeMap::new();
        for team in state
            .teams
            .values()
            .filter(|t| t.workspace_id == workspace.id)
        {
            teams.entry(&team.name).or_default().push(team);
        }
        let team_name_of: BTreeMap<&str, &str> = state
            .teams
            .values()
            .map(|t| (t.id.as_str(), t.name.as_str()))
            .collect();
        for (team, found) in &teams {
            if found.len() > 1 {
                problems.push(format!(
                    "workspace {name} has {} teams `{team}`",
                    found.len()
                ));
            }
        }
        let team_names: BTreeSet<&String> =
            before.teams.keys().chain(declared.teams.keys()).collect();
        for team in team_names {
            let found = teams.get(team.as_str()).and_then(|t| t.first());
            let expected = match declared.teams.get(team) {
                Some(members) => Some(members),
                None if prunes(ObjectKind::Teams) => None,
                None => before.teams.get(team),
            };
            match (found, expected) {
                (Some(found), Some(expected)) => {
                    let members = emails(&found.members);
                    if &members != expected {
                        problems.push(format!(
                            "team {name}/{team} has {members:?}, expected {expected:?}"
                        ));
                    }
                }
                (None, Some(_)) => problems.push(format!("team {name}/{team} is missing")),
                (Some(_), None) => {
                    problems.push(format!("team {name}/{team} should be gone (pruned)"))
                }
                (None, None) => {}
            }
        }
        for team in teams.keys() {
            if !before.teams.contains_key(*team) && !declared.teams.contains_key(*team) {
                problems.push(format!("team {name}/{team} comes from nowhere"));
            }
        }

        // Distributions.
        let mut distributions: BTreeMap<&str, Vec<&wire::DistributionConfig>> = BTreeMap::new();
        for d in state
            .distributions
            .values()
            .filter(|d| d.workspace_id == workspace.id)
        {
            distributions
                .entry(d.name.as_deref().unwrap_or("<unnamed>"))
                .or_default()
                .push(d);
        }
        for (distribution, found) in &distributions {
            if found.len() > 1 {
                problems.push(format!(
                    "workspace {name} has {} distributions `{distribution}`",
                    found.len()
                ));
            }
            if !before.distributions.contains_key(*distribution)
                && !declared.distributions.contains_key(*distribution)
            {
                problems.push(format!(
                    "distribution {name}/{distribution} comes from nowhere"
                ));
            }
        }
        let names: BTreeSet<&String> = before
            .distributions
            .keys()
            .chain(declared.distributions.keys())
            .collect();
        for distribution in names {
            let found = distributions
                .get(distribution.as_str())
                .and_then(|d| d.first());
            let expected = match declared.distributions.get(distribution) {
                Some(d) => Some(d),
                None if renamed_distributions.contains(distribution) => None,
                None if prunes(ObjectKind::Distributions) => None,
                None => before.distributions.get(distribution),
            };
            match (found, expected) {
                (Some(found), Some(expected)) => {
                    let what = distribution_differences(found, expected, &email_of, &team_name_of);
                    if !what.is_empty() {
                        problems.push(format!(
                            "distribution {name}/{distribution}: {}",
                            what.join("; ")
                        ));
                    }
                }
                (None, Some(_)) => {
                    problems.push(format!("distribution {name}/{distribution} is missing"))
                }
                (Some(_), None) => problems.push(format!(
                    "distribution {name}/{distribution} should be gone (pruned or renamed)"
                )),
                (None, None) => {}
            }
        }

        // Rules (deleted ones are kept by the emulator, marked deleted).
        let mut rules: BTreeMap<&str, Vec<&wire::RuleBody>> = BTreeMap::new();
        for stored in state.rules.values().filter(|r| r.deleted.is_none()) {
            let body = stored.rule.body();
            if body.workspace_id == workspace.id {
                rules.entry(&body.name).or_default().push(body);
            }
        }
        for (rule, found) in &rules {
            if found.len() > 1 {
                problems.push(format!(
                    "workspace {name} has {} rules `{rule}`",
                    found.len()
                ));
            }
            if !before.rules.contains_key(*rule) && !declared.rules.contains_key(*rule) {
                problems.push(format!("rule {name}/{rule} comes from nowhere"));
            }
        }
        let names: BTreeSet<&String> = before.rules.keys().chain(declared.rules.keys()).collect();
        for rule in names {
            let found = rules.get(rule.as_str()).and_then(|r| r.first());
            let expected = match declared.rules.get(rule) {
                Some(r) => Some(r),
                None if renamed_rules.contains(rule) => None,
                None if prunes(ObjectKind::Rules) => None,
                None => before.rules.get(rule),
            };
            match (found, expected) {
                (Some(found), Some(expected)) => {
                    let conditions_differ =
                        !same_conditions(&found.conditions, &expected.wire_conditions());
                    let team = found
                        .team_id
                        .as_deref()
                        .map(|id| team_name_of.get(id).copied().unwrap_or(id).to_string());
                    if conditions_differ || team != expected.ownership_team {
                        problems.push(format!(
                            "rule {name}/{rule} is {:?} (team {team:?}), expected {expected:?}",
                            found.conditions
                        ));
                    }
                }
                (None, Some(_)) => problems.push(format!("rule {name}/{rule} is missing")),
                (Some(_), None) => problems.push(format!(
                    "rule {name}/{rule} should be gone (pruned or renamed)"
                )),
                (None, None) => {}
            }
        }

        if let Some(booking) = &declared.booking {
            problems.extend(super::booking::problems(
                state,
                name,
                &workspace.id,
                &before.booking.clone().unwrap_or_default(),
                booking,
                &declared.prune,
            ));
        }
    }
    problems
}

fn distribution_differences(
    found: &wire::DistributionConfig,
    expected: &DistributionModel,
    email_of: &BTreeMap<&str, String>,
    team_name_of: &BTreeMap<&str, &str>,
) -> Vec<String> {
    let mut what = Vec::new();
    let team = team_name_of.get(found.team_ref.id.as_str()).copied();
    if team != Some(expected.team.as_str()) {
        what.push(format!("team {team:?}, expected {}", expected.team));
    }
    if found.assignment_type_config != expected.assignment.wire() {
        what.push(format!(
            "assignment {:?}, expected {:?}",
            found.assignment_type_config, expected.assignment
        ));
    }
    let email = |id: &str| email_of.get(id).cloned().unwrap_or(format!("<{id}>"));
    let weights: BTreeMap<String, u32> = found
        .weights
        .iter()
        .flatten()
        .map(|w| (email(&w.user_id), w.weight))
        .collect();
    if weights != expected.weights {
        what.push(format!(
            "weights {weights:?}, expected {:?}",
            expected.weights
        ));
    }
    let cap = found.capping.as_ref().map(|capping| {
        let caps: Vec<(String, u32)> = capping
            .user_caps
            .iter()
            .map(|c| (email(&c.user_id), c.limit))
            .collect();
        (caps, capping.reset_periodicity.clone())
    });
    let expected_cap = expected
        .cap
        .as_ref()
        .map(|(email, limit)| (vec![(email.clone(), *limit)], cap_reset()));
    if cap != expected_cap {
        what.push(format!("capping {cap:?}, expected {expected_cap:?}"));
    }
    what
}

/// Condition trees are equal but for their ids.
fn same_conditions(a: &wire::Condition, b: &wire::Condition) -> bool {
    fn strip(condition: &wire::Condition) -> serde_json::Value {
        let mut value = serde_json::to_value(condition).expect("conditions serialize");
        fn walk(value: &mut serde_json::Value) {
            match value {
                serde_json::Value::Object(fields) => {
                    fields.remove("id");
                    fields.remove("conditionId");
                    fields.values_mut().for_each(walk);
                }
                serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
                _ => {}
            }
        }
        walk(&mut value);
        value
    }
    strip(a) == strip(b)
}
