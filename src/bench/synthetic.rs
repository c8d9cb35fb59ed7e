//! The synthetic org of the benchmark: seeded and deterministic, in three sizes, as an emulator
//! `Seed` plus the YAML manifests a person would write for it, with variants that change a
//! percentage of memberships, weights and rules.
//!
//! Everything comes from one SplitMix64 generator, so the same size and seed give the same
//! bytes on every machine. The manifests are rendered from the seed itself (not through the
//! emulator or `manifest::export`), in the layout of `examples/acme`: `org.yaml`, `users.yaml`
//! and one file per workspace under `workspaces/`.
//!
//! A variant knows exactly what it changed, so the benchmark can compute the fewest write
//! calls the API allows (one per target and direction) from the variant's definition rather
//! than from the plan it is judging.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::edge::ops;
use crate::edge::wire::{Condition, TenantData, TenantInfo};
use crate::emulator::{
    GET_LIST_MAX_PAGE_SIZE, MAX_PAGE_SIZE, Seed, SeedAssignment, SeedDistribution,
    SeedMeetingLimit, SeedRule, SeedRuleKind, SeedTeam, SeedUser, SeedWorkspace,
    default_workspace_settings, demo_tokens,
};
use crate::model::{
    DataReference, DataSource, License, LogicalOperator, MeetingHandling, Operator,
    ReassignmentType, RecordHandling, SearchOwnershipBy, SingleOperator,
};

/// The sizes the benchmark knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Size {
    /// 50 users: for tests.
    Small,
    /// 5,000 users, 50 workspaces, 500 teams, 500 distributions, 1,000 rules.
    Large,
    /// 50,000 users, 200 workspaces, 3,000 teams, 3,000 distributions, 5,000 rules.
    Huge,
}

impl Size {
    pub const ALL: [Size; 3] = [Size::Small, Size::Large, Size::Huge];

    pub fn name(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Large => "large",
            Size::Huge => "huge",
        }
    }

    /// `small`, `large` or `huge`.
    pub fn parse(text: &str) -> Option<Size> {
        Size::ALL.into_iter().find(|size| size.name() == text)
    }

    pub fn shape(self) -> Shape {
        match self {
            Size::Small => Shape {
                n_users: 50,
                n_workspaces: 2,
                n_teams: 6,
                n_members_per_team: 8,
                n_distributions: 6,
                n_rules: 10,
                percent_in_two_workspaces: 20,
                settings_every: 2,
            },
            Size::Large => Shape {
                n_users: 5_000,
                n_workspaces: 50,
                n_teams: 500,
                n_members_per_team: 25,
                n_distributions: 500,
                n_rules: 1_000,
                percent_in_two_workspaces: 20,
                settings_every: 5,
            },
            Size::Huge => Shape {
                n_users: 50_000,
                n_workspaces: 200,
                n_teams: 3_000,
                n_members_per_team: 25,
                n_distributions: 3_000,
                n_rules: 5_000,
                percent_in_two_workspaces: 20,
                settings_every: 5,
            },
        }
    }
}

/// How many of everything an org has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub n_users: usize,
    pub n_workspaces: usize,
    /// Teams in all, spread evenly over the workspaces.
    pub n_teams: usize,
    /// Average team size; each team has this many members, give or take three.
    pub n_members_per_team: usize,
    /// Distributions in all; each draws from a team of its workspace.
    pub n_distributions: usize,
    /// Routing rules in all; one in five is an ownership rule.
    pub n_rules: usize,
    /// Every user is in one workspace; this percentage of them is in a second one too.
    pub percent_in_two_workspaces: usize,
    /// The manifests manage the distribution settings of every n-th workspace.
    pub settings_every: usize,
}

/// A generated org: the emulator's seed and what the manifests say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticOrg {
    pub size_name: String,
    pub shape: Shape,
    /// The generator's seed: the same seed gives the same org.
    pub rng_seed: u64,
    /// The org the emulator starts with.
    pub seed: Seed,
    /// Workspaces whose distribution settings the manifests declare (the others' are left
    /// alone, so they cost no `distribution-settings-get`).
    pub managed_settings: BTreeSet<String>,
}

/// The org with a percentage of its memberships, weights and rules changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub percent: u32,
    /// The org as the variant's manifests describe it: what applying them should produce.
    pub seed: Seed,
    /// The variant's manifests, as (file name, YAML text).
    pub manifests: Vec<(String, String)>,
    pub changes: Changes,
}

/// Exactly what a variant changed, with names (workspace, then team/distribution/rule).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Members added to teams, by (workspace, team).
    pub team_additions: BTreeMap<(String, String), BTreeSet<String>>,
    /// Members removed from teams, by (workspace, team).
    pub team_removals: BTreeMap<(String, String), BTreeSet<String>>,
    /// Members added to workspaces, by workspace.
    pub workspace_additions: BTreeMap<String, BTreeSet<String>>,
    /// Distributions whose weights changed: those chosen for new weights, and those drawing
    /// from a changed team (a removed member loses their weight, a new one gets 100).
    pub reweighted: BTreeSet<(String, String)>,
    /// Single weights changed (set, removed or added).
    pub n_weights_changed: usize,
    /// Rules whose conditions changed.
    pub modified_rules: BTreeSet<(String, String)>,
}

impl Changes {
    /// The fewest write calls the API allows for these changes, by operation id: every
    /// membership call takes a list of users, so each target needs one call per direction;
    /// a distribution update replaces the whole configuration; a rule modify one rule.
    pub fn minimum_write_calls(&self) -> BTreeMap<&'static str, u64> {
        let mut calls = BTreeMap::new();
        let mut put = |op: ops::Op, n: usize| {
            if n > 0 {
                calls.insert(op.id, n as u64);
            }
        };
        put(ops::WORKSPACE_ADD_USERS, self.workspace_additions.len());
        put(ops::TEAM_ADD_USERS, self.team_additions.len());
        put(ops::TEAM_REMOVE_USERS, self.team_removals.len());
        put(ops::DISTRIBUTION_UPDATE_V3, self.reweighted.len());
        put(ops::RULE_MODIFY, self.modified_rules.len());
        calls
    }

    /// Memberships (team and workspace) added or removed.
    pub fn n_memberships_changed(&self) -> usize {
        let count = |map: &BTreeMap<(String, String), BTreeSet<String>>| -> usize {
            map.values().map(BTreeSet::len).sum()
        };
        let n_workspace: usize = self.workspace_additions.values().map(BTreeSet::len).sum();
        count(&self.team_additions) + count(&self.team_removals) + n_workspace
    }
}

/// SplitMix64: tiny, fast, and the same everywhere.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// `k` distinct indices of `0..n`, in the order drawn (partial Fisher-Yates).
    fn choose(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut pool: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = i + self.below(n - i);
            pool.swap(i, j);
        }
        pool.truncate(k);
        pool
    }
}

const FIRST_NAMES: [&str; 20] = [
    "Ava", "Liam", "Sofia", "Noah", "Mia", "Ethan", "Isabella", "Lucas", "Amelia", "Mason",
    "Harper", "Elijah", "Evelyn", "Olivia", "James", "Abigail", "Henry", "Emily", "Daniel",
    "Chloe",
];
const LAST_NAMES: [&str; 20] = [
    "Thompson",
    "Patel",
    "Rossi",
    "Kim",
    "Johansson",
    "Brooks",
    "Garcia",
    "Schmidt",
    "Chen",
    "Okafor",
    "Nguyen",
    "Turner",
    "Martins",
    "Reyes",
    "Oconnor",
    "Novak",
    "Walsh",
    "Sato",
    "Mensah",
    "Bernard",
];
const WORKSPACE_KINDS: [&str; 5] = [
    "Sales",
    "Customer Success",
    "Partnerships",
    "Support",
    "Marketing",
];
const TEAM_KINDS: [&str; 5] = [
    "inbound-sdr",
    "enterprise-ae",
    "smb-ae",
    "csm",
    "partner-managers",
];
const DISTRIBUTION_KINDS: [&str; 4] = [
    "Inbound Demo Requests",
    "Renewals",
    "Partner Referrals",
    "Chat Leads",
];
const RULE_KINDS: [&str; 5] = [
    "Regional inbound",
    "Country match",
    "Territory",
    "Enterprise accounts",
    "Account owner",
];
/// Country codes that are plain YAML scalars in every YAML version (no `NO`, `ON`, `Y`).
const COUNTRIES: [&str; 16] = [
    "US", "CA", "GB", "DE", "FR", "NL", "SE", "ES", "IT", "BR", "MX", "JP", "AU", "IN", "SG", "IE",
];

fn license_set(n: usize) -> Vec<License> {
    match n % 4 {
        0 => vec![License::Distro, License::ChiliCalOrg],
        1 => vec![License::ChiliCalOrg],
        2 => vec![License::Distro, License::ChiliCalOrg, License::Concierge],
        _ => Vec::new(),
    }
}

fn reference(object: &str, field: &str) -> DataReference {
    DataReference {
        source: DataSource::SF,
        object: object.to_string(),
        field: field.to_string(),
    }
}

/// `count` items split over `n_workspaces`: item `i` goes to workspace `i % n_workspaces`.
fn local_index(i: usize, n_workspaces: usize) -> (usize, usize) {
    (i % n_workspaces, i / n_workspaces)
}

/// `percent` of `n`, rounded, and at least one when both are positive.
fn share(n: usize, percent: u32) -> usize {
    if n == 0 || percent == 0 {
        return 0;
    }
    ((n * percent as usize + 50) / 100).max(1)
}

impl SyntheticOrg {
    /// Generates the org of `size` from `rng_seed`.
    pub fn generate(size: Size, rng_seed: u64) -> SyntheticOrg {
        SyntheticOrg::generate_shape(size.name(), size.shape(), rng_seed)
    }

    /// Generates an org of any shape; `size_name` names its tenant and email domain.
    pub fn generate_shape(size_name: &str, shape: Shape, rng_seed: u64) -> SyntheticOrg {
        let mut rng = Rng::new(rng_seed);
        let n_workspaces = shape.n_workspaces.max(1);
        let domain = format!("{size_name}.example");

        let users: Vec<SeedUser> = (0..shape.n_users)
            .map(|i| {
                let first = FIRST_NAMES[i % FIRST_NAMES.len()];
                let last = LAST_NAMES[(i / FIRST_NAMES.len()) % LAST_NAMES.len()];
                SeedUser {
                    name: format!("{first} {last}"),
                    email: format!(
                        "{}.{}.{:05}@{domain}",
                        first.to_lowercase(),
                        last.to_lowercase(),
                        i + 1
                    ),
                    super_admin: i == 0,
                    licenses: license_set(i),
                    personal_workspace: None,
                }
            })
            .collect();

        // Membership by user index: a primary workspace, and a second one for some.
        let mut members_by_workspace: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n_workspaces];
        for i in 0..users.len() {
            members_by_workspace[i % n_workspaces].insert(i);
        }
        if n_workspaces > 1 {
            let n_second = users.len() * shape.percent_in_two_workspaces / 100;
            for i in rng.choose(users.len(), n_second) {
                let offset = 1 + rng.below(n_workspaces - 1);
                members_by_workspace[(i % n_workspaces + offset) % n_workspaces].insert(i);
            }
        }

        let workspace_names: Vec<String> = (0..n_workspaces)
            .map(|w| {
                format!(
                    "{} {:03}",
                    WORKSPACE_KINDS[w % WORKSPACE_KINDS.len()],
                    w + 1
                )
            })
            .collect();
        let mut workspaces: Vec<SeedWorkspace> = workspace_names
            .iter()
            .zip(&members_by_workspace)
            .map(|(name, members)| SeedWorkspace {
                name: name.clone(),
                emoji: None,
                members: members.iter().map(|&i| users[i].email.clone()).collect(),
                settings: None,
                teams: Vec::new(),
                distributions: Vec::new(),
                rules: Vec::new(),
                reminders: Vec::new(),
                meeting_types: Vec::new(),
                scheduling_links: Vec::new(),
            })
            .collect();

        for t in 0..shape.n_teams {
            let (w, k) = local_index(t, n_workspaces);
            let pool: Vec<&String> = workspaces[w].members.iter().collect();
            let wanted = if shape.n_members_per_team > 3 {
                shape.n_members_per_team - 3 + rng.below(7)
            } else {
                shape.n_members_per_team
            };
            let mut members: Vec<String> = rng
                .choose(pool.len(), wanted)
                .into_iter()
                .map(|index| pool[index].clone())
                .collect();
            members.sort();
            workspaces[w].teams.push(SeedTeam {
                name: format!("{}-{:02}", TEAM_KINDS[k % TEAM_KINDS.len()], k + 1),
                members,
            });
        }

        for d in 0..shape.n_distributions {
            let (w, k) = local_index(d, n_workspaces);
            let Some(team) = workspaces[w]
                .teams
                .get(k % workspaces[w].teams.len().max(1))
            else {
                continue;
            };
            let weights = team
                .members
                .iter()
                .map(|email| (email.clone(), [100, 100, 100, 80, 50, 0][rng.below(6)]))
                .collect();
            let assignment = match k % 3 {
                0 => SeedAssignment::Record {
                    handling: RecordHandling::Strict,
                },
                1 => SeedAssignment::Meeting {
                    handling: MeetingHandling::Flexible {
                        reassignment_type: ReassignmentType::AnyTeamMember,
                        allow_picking_assignee: false,
                    },
                    limits: SeedMeetingLimit::MeetingLimitUnset,
                },
                _ => SeedAssignment::Conversation,
            };
            let distribution = SeedDistribution {
                name: format!(
                    "{} {:02}",
                    DISTRIBUTION_KINDS[k % DISTRIBUTION_KINDS.len()],
                    k + 1
                ),
                team: team.name.clone(),
                assignment,
                weights,
                calibration: BTreeMap::new(),
                capping: None,
            };
            workspaces[w].distributions.push(distribution);
        }

        for r in 0..shape.n_rules {
            let (w, k) = local_index(r, n_workspaces);
            let id = format!("w{w}-r{k}");
            let name = format!("{} {:02}", RULE_KINDS[k % RULE_KINDS.len()], k + 1);
            let teams = &workspaces[w].teams;
            let rule = match k % 5 {
                4 if !teams.is_empty() => SeedRule {
                    name,
                    kind: SeedRuleKind::Ownership,
                    team: Some(teams[k % teams.len()].name.clone()),
                    conditions: Condition::ConditionGroup {
                        id: format!("{id}-group"),
                        name: None,
                        operator: LogicalOperator::And,
                        conditions: vec![Condition::OwnershipCondition {
                            condition_id: format!("{id}-owner"),
                            ownership: Some(reference("Account", "OwnerId")),
                            team_id: None,
                            search_ownership_by: Some(SearchOwnershipBy::CrmIdOrEmail),
                        }],
                    },
                },
                3 => SeedRule {
                    name,
                    kind: SeedRuleKind::Standard,
                    team: None,
                    conditions: Condition::ConditionGroup {
                        id: format!("{id}-group"),
                        name: None,
                        operator: LogicalOperator::Or,
                        conditions: vec![
                            Condition::StaticValueCondition {
                                condition_id: format!("{id}-employees"),
                                data_reference: reference("Account", "NumberOfEmployees"),
                                operator: Operator::Ge,
                                value: serde_json::json!(100 * (1 + rng.below(50))),
                            },
                            Condition::StaticValueCondition {
                                condition_id: format!("{id}-revenue"),
                                data_reference: reference("Account", "AnnualRevenue"),
                                operator: Operator::Ge,
                                value: serde_json::json!(1_000_000 * (1 + rng.below(100))),
                            },
                        ],
                    },
                },
                _ => {
                    let n_countries = 1 + rng.below(4);
                    let countries: Vec<serde_json::Value> = rng
                        .choose(COUNTRIES.len(), n_countries)
                        .into_iter()
                        .map(|c| serde_json::json!(COUNTRIES[c]))
                        .collect();
                    SeedRule {
                        name,
                        kind: SeedRuleKind::Standard,
                        team: None,
                        conditions: Condition::ConditionGroup {
                            id: format!("{id}-group"),
                            name: None,
                            operator: LogicalOperator::And,
                            conditions: vec![
                                Condition::StaticValueCondition {
                                    condition_id: format!("{id}-country"),
                                    data_reference: reference("Lead", "Country"),
                                    operator: Operator::IsAnyOf,
                                    value: serde_json::Value::Array(countries),
                                },
                                Condition::SingleParameterCondition {
                                    condition_id: format!("{id}-email"),
                                    data_reference: reference("Lead", "Email"),
                                    operator: SingleOperator::NotEmpty,
                                },
                            ],
                        },
                    }
                }
            };
            workspaces[w].rules.push(rule);
        }

        let settings_every = shape.settings_every.max(1);
        let managed_settings = workspace_names
            .iter()
            .step_by(settings_every)
            .cloned()
            .collect();
        let seats_each = u32::try_from(shape.n_users).unwrap_or(u32::MAX);
        let seed = Seed {
            tenant: TenantInfo::Organization {
                tenant_data: TenantData {
                    tenant_id: format!("synthetic-{size_name}.app1"),
                    cluster: "app1".to_string(),
                    subdomain: format!("synthetic-{size_name}"),
                },
                domains: vec![domain],
            },
            seats: License::ALL.iter().map(|l| (*l, seats_each)).collect(),
            tokens: demo_tokens(),
            users,
            workspaces,
            overlays: Default::default(),
        };
        SyntheticOrg {
            size_name: size_name.to_string(),
            shape,
            rng_seed,
            seed,
            managed_settings,
        }
    }

    /// The tenant id the manifests pin.
    pub fn tenant_id(&self) -> &str {
        &self.seed.tenant.tenant_data().tenant_id
    }

    /// The manifests that describe the seed exactly: planning them against it finds nothing.
    pub fn manifests(&self) -> Vec<(String, String)> {
        render_manifests(&self.seed, &self.managed_settings)
    }

    /// The org with `percent`% of its team memberships, distribution weights and rules changed,
    /// and that share of its users added to one more workspace. Deterministic: the variant's
    /// generator is seeded from the org's seed and the percentage.
    ///
    /// - `percent`% of the teams each lose two members and gain two other workspace members;
    ///   the distributions drawing from such a team drop the leavers' weights and give each
    ///   newcomer 100.
    /// - `percent`% of the distributions get new weights for three members.
    /// - `percent`% of the rules get a changed condition (other countries, another threshold,
    ///   another ownership search).
    /// - `percent`% of the users join a workspace they were not in.
    pub fn variant(&self, percent: u32) -> Variant {
        let mut rng = Rng::new(self.rng_seed ^ (0x5EED_0000 + u64::from(percent)));
        let mut seed = self.seed.clone();
        let mut changes = Changes::default();

        // Teams: (workspace index, team index) pairs, in a stable order.
        let all_teams: Vec<(usize, usize)> = seed
            .workspaces
            .iter()
            .enumerate()
            .flat_map(|(w, ws)| (0..ws.teams.len()).map(move |t| (w, t)))
            .collect();
        for index in rng.choose(all_teams.len(), share(all_teams.len(), percent)) {
            let (w, t) = all_teams[index];
            let workspace = &mut seed.workspaces[w];
            let team = &mut workspace.teams[t];
            let current: BTreeSet<String> = team.members.iter().cloned().collect();
            let outsiders: Vec<&String> = workspace
                .members
                .iter()
                .filter(|email| !current.contains(*email))
                .collect();
            let n_removed = 2.min(team.members.len().saturating_sub(1));
            let removed: BTreeSet<String> = rng
                .choose(team.members.len(), n_removed)
                .into_iter()
                .map(|i| team.members[i].clone())
                .collect();
            let added: BTreeSet<String> = rng
                .choose(outsiders.len(), 2)
                .into_iter()
                .map(|i| outsiders[i].clone())
                .collect();
            team.members.retain(|email| !removed.contains(email));
            team.members.extend(added.iter().cloned());
            team.members.sort();
            let team_name = team.name.clone();
            let key = (workspace.name.clone(), team_name.clone());
            for distribution in &mut workspace.distributions {
                if distribution.team != team_name {
                    continue;
                }
                for email in &removed {
                    if distribution.weights.remove(email).is_some() {
                        changes.n_weights_changed += 1;
                    }
                }
                for email in &added {
                    distribution.weights.insert(email.clone(), 100);
                    changes.n_weights_changed += 1;
                }
                if !removed.is_empty() || !added.is_empty() {
                    changes
                        .reweighted
                        .insert((workspace.name.clone(), distribution.name.clone()));
                }
            }
            if !added.is_empty() {
                changes.team_additions.insert(key.clone(), added);
            }
            if !removed.is_empty() {
                changes.team_removals.insert(key, removed);
            }
        }

        // Weights of three members of some distributions.
        let all_distributions: Vec<(usize, usize)> = seed
            .workspaces
            .iter()
            .enumerate()
            .flat_map(|(w, ws)| (0..ws.distributions.len()).map(move |d| (w, d)))
            .collect();
        for index in rng.choose(
            all_distributions.len(),
            share(all_distributions.len(), percent),
        ) {
            let (w, d) = all_distributions[index];
            let workspace = &mut seed.workspaces[w];
            let distribution = &mut workspace.distributions[d];
            let emails: Vec<String> = distribution.weights.keys().cloned().collect();
            let chosen = rng.choose(emails.len(), 3);
            for i in &chosen {
                let weight = distribution
                    .weights
                    .get_mut(&emails[*i])
                    .expect("chosen among the weights");
                *weight = if *weight >= 200 { 10 } else { *weight + 10 };
                changes.n_weights_changed += 1;
            }
            if !chosen.is_empty() {
                changes
                    .reweighted
                    .insert((workspace.name.clone(), distribution.name.clone()));
            }
        }

        // Rules.
        let all_rules: Vec<(usize, usize)> = seed
            .workspaces
            .iter()
            .enumerate()
            .flat_map(|(w, ws)| (0..ws.rules.len()).map(move |r| (w, r)))
            .collect();
        for index in rng.choose(all_rules.len(), share(all_rules.len(), percent)) {
            let (w, r) = all_rules[index];
            let workspace = &mut seed.workspaces[w];
            let rule = &mut workspace.rules[r];
            change_first_leaf(&mut rule.conditions);
            changes
                .modified_rules
                .insert((workspace.name.clone(), rule.name.clone()));
        }

        // Workspace memberships: users joining one more workspace.
        let n_workspaces = seed.workspaces.len();
        if n_workspaces > 1 {
            let mut workspaces_of: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
            for (w, workspace) in seed.workspaces.iter().enumerate() {
                for email in &workspace.members {
                    workspaces_of.entry(email.as_str()).or_default().insert(w);
                }
            }
            // Users already in every workspace cannot join another one.
            let candidates: Vec<&String> = seed
                .users
                .iter()
                .map(|user| &user.email)
                .filter(|email| {
                    workspaces_of
                        .get(email.as_str())
                        .is_none_or(|current| current.len() < n_workspaces)
                })
                .collect();
            let n_joining = share(seed.users.len(), percent).min(candidates.len());
            let mut joins: Vec<(usize, String)> = Vec::new();
            for i in rng.choose(candidates.len(), n_joining) {
                let email = candidates[i];
                let current = workspaces_of
                    .get(email.as_str())
                    .cloned()
                    .unwrap_or_default();
                let mut w = rng.below(n_workspaces);
                while current.contains(&w) {
                    w = (w + 1) % n_workspaces;
                }
                joins.push((w, email.clone()));
            }
            for (w, email) in joins {
                let workspace = &mut seed.workspaces[w];
                workspace.members.push(email.clone());
                changes
                    .workspace_additions
                    .entry(workspace.name.clone())
                    .or_default()
                    .insert(email);
            }
        }

        let manifests = render_manifests(&seed, &self.managed_settings);
        Variant {
            percent,
            seed,
            manifests,
            changes,
        }
    }

    /// The fewest read requests a plan of these manifests needs, by operation id: one
    /// `tenant-get`, every collection read org-wide at its page cap (`GET_LIST_MAX_PAGE_SIZE` for
    /// the GET lists, `MAX_PAGE_SIZE` for the others; an empty collection still costs its page
    /// 0), and one `distribution-workspace-settings-get` per workspace whose settings the
    /// manifests manage.
    pub fn minimum_read_requests(&self) -> BTreeMap<&'static str, u64> {
        let pages = |n: usize| (n as u64).div_ceil(MAX_PAGE_SIZE).max(1);
        let get_pages = |n: usize| (n as u64).div_ceil(GET_LIST_MAX_PAGE_SIZE).max(1);
        let workspaces = &self.seed.workspaces;
        let count = |f: fn(&SeedWorkspace) -> usize| workspaces.iter().map(f).sum::<usize>();
        let mut reads = BTreeMap::new();
        reads.insert(ops::TENANT_GET.id, 1);
        reads.insert(
            ops::WORKSPACE_LIST_USERS.id,
            get_pages(self.seed.users.len()),
        );
        reads.insert(ops::WORKSPACE_LIST.id, get_pages(workspaces.len()));
        reads.insert(ops::TEAM_LIST_PUT.id, pages(count(|w| w.teams.len())));
        reads.insert(
            ops::DISTRIBUTION_LIST_PUT.id,
            pages(count(|w| w.distributions.len())),
        );
        reads.insert(ops::RULE_LIST.id, pages(count(|w| w.rules.len())));
        let n_settings = workspaces
            .iter()
            .filter(|w| self.managed_settings.contains(&w.name))
            .count();
        if n_settings > 0 {
            reads.insert(
                ops::DISTRIBUTION_WORKSPACE_SETTINGS_GET.id,
                n_settings as u64,
            );
        }
        reads
    }
}

/// Changes the first leaf condition of a tree: other countries, a higher threshold, another
/// ownership search. Always a real change.
fn change_first_leaf(condition: &mut Condition) -> bool {
    match condition {
        Condition::ConditionGroup { conditions, .. } => {
            conditions.iter_mut().any(change_first_leaf)
        }
        Condition::StaticValueCondition { value, .. } => {
            *value = match value.take() {
                serde_json::Value::Array(countries) => {
                    // Add a country the list lacks, or drop one when it has them all.
                    let mut countries: Vec<serde_json::Value> = countries;
                    match COUNTRIES
                        .iter()
                        .find(|c| !countries.contains(&serde_json::json!(c)))
                    {
                        Some(missing) => countries.push(serde_json::json!(missing)),
                        None => {
                            countries.pop();
                        }
                    }
                    serde_json::Value::Array(countries)
                }
                serde_json::Value::Number(n) => serde_json::json!(n.as_u64().unwrap_or(0) + 50),
                other => serde_json::json!(format!("{other}-changed")),
            };
            true
        }
        Condition::OwnershipCondition {
            search_ownership_by,
            ..
        } => {
            *search_ownership_by = Some(match search_ownership_by {
                Some(SearchOwnershipBy::CrmIdOrEmail) => SearchOwnershipBy::SalesforceIdOrEmail,
                _ => SearchOwnershipBy::CrmIdOrEmail,
            });
            true
        }
        Condition::SingleParameterCondition { operator, .. } => {
            *operator = match operator {
                SingleOperator::Empty => SingleOperator::NotEmpty,
                SingleOperator::NotEmpty => SingleOperator::Empty,
            };
            true
        }
        _ => false,
    }
}

// ----- manifests -----

/// The manifest set describing `seed`: `org.yaml`, `users.yaml` and one file per workspace.
fn render_manifests(seed: &Seed, managed_settings: &BTreeSet<String>) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut org = String::new();
    let _ = writeln!(org, "# A synthetic org for scoville's benchmark.");
    let _ = writeln!(org, "org:");
    let _ = writeln!(
        org,
        "  tenant: {}",
        scalar(&seed.tenant.tenant_data().tenant_id)
    );
    let _ = writeln!(org, "  policy:");
    let _ = writeln!(org, "    prune:");
    let _ = writeln!(org, "      \"*\": [teams, distributions, rules]");
    files.push(("org.yaml".to_string(), org));

    let mut users = String::from("users:\n");
    for user in &seed.users {
        let _ = writeln!(users, "  {}:", scalar(&user.email));
        let _ = writeln!(users, "    name: {}", scalar(&user.name));
        let licenses: Vec<&str> = user.licenses.iter().map(|l| l.as_str()).collect();
        let _ = writeln!(users, "    licenses: [{}]", licenses.join(", "));
    }
    files.push(("users.yaml".to_string(), users));

    for workspace in &seed.workspaces {
        let file = format!("workspaces/{}.yaml", file_stem(&workspace.name));
        files.push((file, workspace_file(workspace, managed_settings)));
    }
    files
}

fn file_stem(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn workspace_file(workspace: &SeedWorkspace, managed_settings: &BTreeSet<String>) -> String {
    let mut out = String::from("workspaces:\n");
    let _ = writeln!(out, "  {}:", scalar(&workspace.name));
    if workspace.members.is_empty() {
        out.push_str("    members: []\n");
    } else {
        out.push_str("    members:\n");
        for email in &workspace.members {
            let _ = writeln!(out, "      - {}", scalar(email));
        }
    }
    if !workspace.teams.is_empty() {
        out.push_str("\n    teams:\n");
        for team in &workspace.teams {
            if team.members.is_empty() {
                let _ = writeln!(out, "      {}: []", scalar(&team.name));
                continue;
            }
            let _ = writeln!(out, "      {}:", scalar(&team.name));
            for email in &team.members {
                let _ = writeln!(out, "        - {}", scalar(email));
            }
        }
    }
    if !workspace.distributions.is_empty() {
        out.push_str("\n    distributions:\n");
        for distribution in &workspace.distributions {
            distribution_lines(&mut out, distribution);
        }
    }
    if !workspace.rules.is_empty() {
        out.push_str("\n    rules:\n");
        for rule in &workspace.rules {
            rule_lines(&mut out, rule);
        }
    }
    if managed_settings.contains(&workspace.name) {
        let settings = workspace
            .settings
            .clone()
            .unwrap_or_else(default_workspace_settings);
        let value = serde_json::to_value(&settings).expect("settings serialize to JSON");
        out.push_str("\n    settings:\n");
        block(&mut out, &value, 6);
    }
    out
}

fn distribution_lines(out: &mut String, distribution: &SeedDistribution) {
    let _ = writeln!(out, "      {}:", scalar(&distribution.name));
    let _ = writeln!(out, "        team: {}", scalar(&distribution.team));
    match &distribution.assignment {
        SeedAssignment::Record { handling } => {
            out.push_str("        record:\n");
            let _ = writeln!(out, "          handling: {}", flow(&json(handling)));
        }
        SeedAssignment::Meeting { handling, limits } => {
            out.push_str("        meeting:\n");
            let _ = writeln!(out, "          handling: {}", flow(&json(handling)));
            if let SeedMeetingLimit::MeetingLimitSet {
                user_caps,
                reset_periodicity,
            } = limits
            {
                out.push_str("          limits:\n");
                per_email(out, "caps", user_caps, 12);
                let _ = writeln!(out, "            reset: {}", flow(&json(reset_periodicity)));
            }
        }
        SeedAssignment::Conversation => out.push_str("        conversation: {}\n"),
    }
    per_email(out, "weights", &distribution.weights, 8);
    if !distribution.calibration.is_empty() {
        let _ = writeln!(out, "        calibration:");
        for (email, calibration) in &distribution.calibration {
            let _ = writeln!(out, "          {}: {calibration}", scalar(email));
        }
    }
    if let Some(capping) = &distribution.capping {
        out.push_str("        capping:\n");
        per_email(out, "caps", &capping.user_caps, 10);
        let _ = writeln!(
            out,
            "          reset: {}",
            flow(&json(&capping.reset_periodicity))
        );
    }
}

/// `key:` and one `email: number` line per entry (`key: {}` when there are none).
fn per_email(out: &mut String, key: &str, entries: &BTreeMap<String, u32>, indent: usize) {
    let pad = " ".repeat(indent);
    if entries.is_empty() {
        let _ = writeln!(out, "{pad}{key}: {{}}");
        return;
    }
    let _ = writeln!(out, "{pad}{key}:");
    for (email, number) in entries {
        let _ = writeln!(out, "{pad}  {}: {number}", scalar(email));
    }
}

fn rule_lines(out: &mut String, rule: &SeedRule) {
    let _ = writeln!(out, "      {}:", scalar(&rule.name));
    if rule.kind == SeedRuleKind::Ownership {
        out.push_str("        ownership: true\n");
        if let Some(team) = &rule.team {
            let _ = writeln!(out, "        team: {}", scalar(team));
        }
    }
    match &rule.conditions {
        Condition::ConditionGroup {
            name,
            operator,
            conditions,
            ..
        } => {
            if let Some(name) = name {
                let _ = writeln!(out, "        groupName: {}", scalar(name));
            }
            let _ = writeln!(out, "        {}:", group_key(*operator));
            for condition in conditions {
                let _ = writeln!(out, "          - {}", condition_flow(condition));
            }
        }
        leaf => {
            let _ = writeln!(out, "        condition: {}", condition_flow(leaf));
        }
    }
}

fn group_key(operator: LogicalOperator) -> &'static str {
    match operator {
        LogicalOperator::And => "all",
        LogicalOperator::Or => "any",
    }
}

/// One condition in flow style, as in `examples/acme`. Only the kinds the generator makes.
fn condition_flow(condition: &Condition) -> String {
    let field = |reference: &DataReference| {
        format!(
            "{}.{}.{}",
            json(&reference.source).as_str().unwrap_or("SF"),
            reference.object,
            reference.field
        )
    };
    match condition {
        Condition::ConditionGroup {
            operator,
            conditions,
            name,
            ..
        } => {
            let nested: Vec<String> = conditions.iter().map(condition_flow).collect();
            let name = name
                .as_ref()
                .map(|name| format!("name: {}, ", scalar(name)))
                .unwrap_or_default();
            format!(
                "{{{name}{}: [{}]}}",
                group_key(*operator),
                nested.join(", ")
            )
        }
        Condition::StaticValueCondition {
            data_reference,
            operator,
            value,
            ..
        } => format!(
            "{{field: {}, {}: {}}}",
            field(data_reference),
            operator_key(*operator),
            flow(value)
        ),
        Condition::SingleParameterCondition {
            data_reference,
            operator,
            ..
        } => {
            let key = match operator {
                SingleOperator::Empty => "empty",
                SingleOperator::NotEmpty => "notEmpty",
            };
            format!("{{field: {}, {key}: true}}", field(data_reference))
        }
        Condition::OwnershipCondition {
            ownership,
            team_id,
            search_ownership_by,
            ..
        } => {
            let mut parts = Vec::new();
            if let Some(reference) = ownership {
                parts.push(format!("field: {}", field(reference)));
            }
            if let Some(search) = search_ownership_by {
                parts.push(format!("searchBy: {}", flow(&json(search))));
            }
            if let Some(team) = team_id {
                parts.push(format!("team: {}", scalar(team)));
            }
            format!("{{ownership: {{{}}}}}", parts.join(", "))
        }
        other => panic!("the generator does not make conditions like {other:?}"),
    }
}

/// The manifest key of the operators the generator uses.
fn operator_key(operator: Operator) -> &'static str {
    match operator {
        Operator::IsAnyOf => "isAnyOf",
        Operator::IsNotAnyOf => "isNotAnyOf",
        Operator::Equal => "equal",
        Operator::NotEqual => "notEqual",
        Operator::Ge => "atLeast",
        Operator::Le => "atMost",
        Operator::Gt => "greaterThan",
        Operator::Lt => "lessThan",
        other => panic!("the generator does not use the operator {other:?}"),
    }
}

/// A leaf type (handling, reset, data source...) as JSON, for the YAML writers.
fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("leaf types serialize to JSON")
}

/// A string as a YAML scalar: plain when that reads back as the same string, else quoted.
fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " ._@/-+".contains(c))
        && text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && !text.ends_with(' ')
        && !text.contains(" -")
        && text.parse::<f64>().is_err()
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "inf" | "nan"
        );
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).expect("strings serialize to JSON")
    }
}

/// A JSON value in YAML flow style: `{type: Strict}`, `[US, CA]`, `1000`.
fn flow(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => scalar(text),
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        serde_json::Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(key, value)| format!("{}: {}", scalar(key), flow(value)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        other => other.to_string(),
    }
}

/// A JSON object in YAML block style at `indent`; nested objects indent further, lists and
/// scalars stay on their key's line.
fn block(out: &mut String, value: &serde_json::Value, indent: usize) {
    let pad = " ".repeat(indent);
    let Some(fields) = value.as_object() else {
        let _ = writeln!(out, "{pad}{}", flow(value));
        return;
    };
    for (key, value) in fields {
        match value {
            serde_json::Value::Object(nested) if !nested.is_empty() => {
                let _ = writeln!(out, "{pad}{}:", scalar(key));
                block(out, value, indent + 2);
            }
            _ => {
                let _ = writeln!(out, "{pad}{}: {}", scalar(key), flow(value));
            }
        }
    }
}
