//! `Desired`: what the manifests declare, in domain terms, with the manifest location of every
//! declaration so a plan step can say why it exists.

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Assignment, DesiredLink, DesiredMeetingType, DesiredReminder, DistributionSpec, Email, License,
    RuleSpec, Source, WorkspaceSettings,
};

/// The whole desired configuration of one org, as loaded from a manifest set.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Desired {
    /// The tenant (`tenantId` of `tenant-get`) the manifests belong to, and where it is pinned.
    pub tenant: Option<(String, Source)>,
    pub policy: Policy,
    /// Users by email. Only users listed here have their licenses managed.
    pub users: BTreeMap<Email, DesiredUser>,
    /// Workspaces by name.
    pub workspaces: BTreeMap<String, DesiredWorkspace>,
    /// SHA-256 (hex) over the manifest files' paths and bytes, in load order.
    pub content_hash: String,
}

/// A user the manifests declare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiredUser {
    pub email: Email,
    pub name: Option<String>,
    /// The exact license set, or `None` when the manifests leave licenses alone.
    pub licenses: Option<BTreeSet<License>>,
    /// Whether scoville may invite the user when they do not exist in the org.
    pub invite: bool,
    pub source: Source,
}

/// A workspace the manifests declare (it must already exist in the org).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiredWorkspace {
    pub name: String,
    pub source: Source,
    /// Members to ensure, with where each is listed. Live members not listed are unmanaged
    /// unless the policy prunes workspace members here.
    pub members: BTreeMap<Email, Source>,
    pub teams: BTreeMap<String, DesiredTeam>,
    pub distributions: BTreeMap<String, DesiredDistribution>,
    pub rules: BTreeMap<String, DesiredRule>,
    /// Distribution settings, when the manifests manage them.
    pub settings: Option<(WorkspaceSettings, Source)>,
    /// Meeting types by name.
    #[serde(default)]
    pub meeting_types: BTreeMap<String, DesiredMeetingType>,
    /// Reminders by name.
    #[serde(default)]
    pub reminders: BTreeMap<String, DesiredReminder>,
    /// Admin scheduling links by slug.
    #[serde(default)]
    pub links: BTreeMap<String, DesiredLink>,
    /// The collection keys (`members`, `teams`, `distributions`, `rules`, `meetingTypes`,
    /// `reminders`, `schedulingLinks`) the workspace
    /// omits: what the manifests leave alone, so the policy never prunes those kinds here.
    /// An explicit empty collection (`teams: {}`) is managed, as empty.
    #[serde(default)]
    pub left_alone: BTreeSet<ObjectKind>,
}

/// A team the manifests declare. Its member list is exact: live extras are removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiredTeam {
    pub name: String,
    /// The exact members, when `members_managed`; otherwise empty and ignored.
    pub members: BTreeMap<Email, Source>,
    /// `false` when the manifests give no member list (`sdr:` or `sdr: {previously: [...]}`):
    /// the team is declared and its live members are left alone. `sdr: []` manages the team
    /// as empty.
    #[serde(default = "managed")]
    pub members_managed: bool,
    /// Former names. The API cannot rename a team, so a rename is a plan error unless
    /// `recreate` asks for delete + create.
    pub previously: Vec<String>,
    pub recreate: bool,
    pub source: Source,
}

/// A distribution the manifests declare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiredDistribution {
    pub name: String,
    /// Former names: a live distribution under one of them is renamed by an update.
    pub previously: Vec<String>,
    /// What the manifests declare. The parts in `left_alone` are empty here and replaced by
    /// the live distribution's before diffing (`DesiredDistribution::effective_spec`).
    pub spec: DistributionSpec,
    /// Optional keys the manifests omit, which the plan leaves as they are live.
    #[serde(default)]
    pub left_alone: BTreeSet<DistributionPart>,
    pub source: Source,
}

/// An optional part of a distribution that the manifests may leave alone by omitting its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DistributionPart {
    /// `weights`
    Weights,
    /// `calibration`
    Calibration,
    /// `capping`
    Capping,
    /// `meeting.limits`
    MeetingLimits,
}

impl DesiredDistribution {
    /// The spec to converge to: the declared one, with every part the manifests leave alone
    /// taken from `live` (the matched live distribution), or empty for a new distribution.
    pub fn effective_spec(&self, live: Option<&DistributionSpec>) -> DistributionSpec {
        let mut spec = self.spec.clone();
        let Some(live) = live else {
            return spec;
        };
        for part in &self.left_alone {
            match part {
                DistributionPart::Weights => spec.weights = live.weights.clone(),
                DistributionPart::Calibration => spec.calibration = live.calibration.clone(),
                DistributionPart::Capping => spec.capping = live.capping.clone(),
                DistributionPart::MeetingLimits => {
                    if let (
                        Assignment::Meeting { limits, .. },
                        Assignment::Meeting {
                            limits: live_limits,
                            ..
                        },
                    ) = (&mut spec.assignment, &live.assignment)
                    {
                        limits.clone_from(live_limits);
                    }
                }
            }
        }
        spec
    }
}

fn managed() -> bool {
    true
}

/// A routing rule the manifests declare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiredRule {
    pub name: String,
    /// Former names: a live rule under one of them is renamed by a modify.
    pub previously: Vec<String>,
    pub spec: RuleSpec,
    pub source: Source,
}

/// Kinds of objects the policy can prune or thresholds can count.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum ObjectKind {
    /// Members of the workspace.
    WorkspaceMembers,
    /// Teams of the workspace.
    Teams,
    /// Distributions of the workspace.
    Distributions,
    /// Routing rules of the workspace.
    Rules,
    /// The licenses of users the manifests do not declare (under `*` only: users belong to
    /// the org, not to a workspace).
    Licenses,
    /// Meeting types of the workspace.
    MeetingTypes,
    /// Meeting-type reminders of the workspace.
    Reminders,
    /// Admin scheduling links of the workspace (every kind).
    SchedulingLinks,
}

impl ObjectKind {
    pub const ALL: [ObjectKind; 8] = [
        ObjectKind::WorkspaceMembers,
        ObjectKind::Teams,
        ObjectKind::Distributions,
        ObjectKind::Rules,
        ObjectKind::Licenses,
        ObjectKind::MeetingTypes,
        ObjectKind::Reminders,
        ObjectKind::SchedulingLinks,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
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
}

/// The org-level policy block: pruning, safety thresholds, accepted drift.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Policy {
    /// Per workspace name (`*` for every workspace), the kinds whose unmanaged live objects are
    /// deleted, with where that was enabled.
    pub prune: BTreeMap<String, BTreeMap<ObjectKind, Source>>,
    pub thresholds: Thresholds,
    /// Lets destructive plans past the thresholds, as `--allow-destructive` does.
    pub allow_destructive: bool,
    /// Known, accepted drift.
    pub ignore: Vec<IgnoreEntry>,
    /// Where the policy block is, when there is one.
    pub source: Option<Source>,
}

impl Policy {
    /// Where pruning of `kind` was enabled for `workspace`, if it was.
    pub fn prune_source(&self, workspace: &str, kind: ObjectKind) -> Option<&Source> {
        self.prune
            .get(workspace)
            .and_then(|kinds| kinds.get(&kind))
            .or_else(|| self.prune.get("*").and_then(|kinds| kinds.get(&kind)))
    }
}

/// When deletes and removals are too many to apply without `--allow-destructive`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Refuse when deletes/removals of a kind exceed this percentage of its managed objects...
    pub max_percent: u32,
    /// ...once there are at least this many managed objects of the kind.
    pub min_managed: u32,
    /// Refuse when deletes/removals of a kind exceed this absolute count, if set.
    pub max_count: Option<u32>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            max_percent: 30,
            min_managed: 10,
            max_count: None,
        }
    }
}

/// An accepted difference between the manifests and the live org.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoreEntry {
    /// What is ignored, as an object address (e.g. `team:Sales/inbound-sdr`).
    pub object: String,
    pub reason: String,
    /// `YYYY-MM-DD`; after it the entry is reported as expired and no longer applies.
    pub expires: Option<String>,
    pub source: Source,
}

impl IgnoreEntry {
    /// Whether the entry has expired by `today`: it is good through its expiry day and
    /// expired from the day after (an unreadable date is reported by `validate`).
    pub fn expired_on(&self, today: jiff::civil::Date) -> bool {
        self.expires
            .as_deref()
            .and_then(|day| day.parse::<jiff::civil::Date>().ok())
            .is_some_and(|expires| today > expires)
    }
}
