//! The `Plan` value: ordered steps (concrete Edge API calls with their bodies), refusals,
//! unmanaged objects and the fingerprints of the live objects the plan depends on.
//!
//! A plan is data. The renderers in `render/` display it and the applier executes it; neither
//! makes a decision the plan does not spell out. It serializes to the versioned JSON format
//! documented in `docs/plan-json.md`, which is also the saved plan file `apply` reads back.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::body::Call;
use super::problems::PlanError;
use crate::model::{
    Desired, DistributionSpec, Email, License, LinkKind, LinkSpec, MeetingTypeSpec, ReminderSpec,
    RuleSpec, WorkspaceSettings,
};

/// The version of the plan JSON format. Bump it on any incompatible change of `Plan`'s serde
/// shape; `Plan::from_json` refuses other versions.
pub const FORMAT_VERSION: u32 = 1;

/// A plan: what `apply` will do, in which order, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub format_version: u32,
    /// The live tenant the plan was computed against (`tenant-get`), when known.
    pub tenant: Option<String>,
    /// `Desired::content_hash` of the manifests the plan was computed from.
    pub content_hash: String,
    pub summary: Summary,
    /// Why nothing is planned. When this is not empty, `steps` is empty.
    pub errors: Vec<PlanError>,
    /// Things a reviewer should know that do not stop the plan.
    pub warnings: Vec<Warning>,
    /// Steps in execution order: every step comes after the steps it depends on.
    pub steps: Vec<Step>,
    /// Step ids by phase (dependency level): the steps of one phase do not depend on each
    /// other and may run concurrently once every earlier phase is done.
    pub phases: Vec<Vec<StepId>>,
    /// Live objects the manifests do not mention, left alone.
    pub unmanaged: Vec<Unmanaged>,
    /// The state of every live object the plan read or touches, for stale-plan detection.
    /// Empty when the planner was asked for none (`PlanOptions::without_fingerprints`: the
    /// text and Markdown output of `scoville plan` without `--out`).
    pub fingerprints: Vec<Fingerprint>,
    /// What the plan was computed from, so `apply` can plan again on a fresh read right before
    /// writing and refuse when the result differs (`apply::verify`). Set in saved plan files
    /// (`plan --out`); absent from `plan --format json` and from the planner's own output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<PlanInputs>,
}

/// The planner's inputs besides the live org: the manifests as loaded and `--allow-destructive`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanInputs {
    pub desired: Desired,
    pub allow_destructive: bool,
}

/// Whether a plan changes something, nothing, or was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PlanOutcome {
    /// The live org matches the manifests.
    NoChanges,
    /// Steps to apply.
    Changes,
    /// Nothing is planned: see `Plan::errors`.
    Refused,
}

impl Plan {
    /// True when there is nothing to do and nothing was refused. Destructures every field so
    /// that adding one forces a decision here.
    pub fn is_empty(&self) -> bool {
        let Plan {
            format_version: _,
            tenant: _,
            content_hash: _,
            summary: _,
            errors,
            warnings: _,
            steps,
            phases,
            unmanaged: _,
            fingerprints: _,
            inputs: _,
        } = self;
        errors.is_empty() && steps.is_empty() && phases.is_empty()
    }

    pub fn outcome(&self) -> PlanOutcome {
        if !self.errors.is_empty() {
            PlanOutcome::Refused
        } else if self.steps.is_empty() {
            PlanOutcome::NoChanges
        } else {
            PlanOutcome::Changes
        }
    }

    /// Dependency depth: the number of phases.
    pub fn depth(&self) -> usize {
        self.phases.len()
    }

    pub fn step(&self, id: &StepId) -> Option<&Step> {
        self.steps.iter().find(|step| &step.id == id)
    }

    /// Reads a saved plan file, refusing other format versions.
    pub fn from_json(text: &str) -> Result<Plan, PlanFileError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct VersionOnly {
            format_version: u32,
        }
        let version: VersionOnly =
            serde_json::from_str(text).map_err(|error| PlanFileError::NotAPlan {
                message: error.to_string(),
            })?;
        if version.format_version != FORMAT_VERSION {
            return Err(PlanFileError::UnsupportedVersion {
                found: version.format_version,
                supported: FORMAT_VERSION,
            });
        }
        serde_json::from_str(text).map_err(|error| PlanFileError::NotAPlan {
            message: error.to_string(),
        })
    }
}

/// Why a saved plan file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanFileError {
    #[error(
        "the file is not a scoville plan ({message}): create one with `scoville plan --out FILE`"
    )]
    NotAPlan { message: String },
    #[error(
        "the plan file has format version {found} but this scoville reads version {supported}: re-run `scoville plan --out FILE` with this version"
    )]
    UnsupportedVersion { found: u32, supported: u32 },
}

/// Counts for the summary line `Plan: N to add, N to change, N to destroy (N API calls).`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Objects created: invited users, teams, distributions, rules, reminders, meeting types,
    /// scheduling links.
    pub to_add: usize,
    /// Objects changed: member lists, distributions, rules, settings, users' licenses.
    pub to_change: usize,
    /// Objects deleted: teams, distributions, rules, reminders, meeting types, scheduling links
    /// (not the reminder a create of the plan seeds).
    pub to_destroy: usize,
    /// API calls, one per step.
    pub api_calls: usize,
    /// Steps that delete, remove or take licenses away.
    pub destructive_steps: usize,
    pub unmanaged: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// A step's stable id: its operation id and its target address, e.g.
/// `team-add-users team:Sales/inbound-sdr`. Equal inputs give equal ids, and no plan holds
/// two steps with one id (one call per target and direction).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StepId(pub String);

impl StepId {
    pub fn new(op_id: &str, target: &Address) -> StepId {
        StepId(format!("{op_id} {target}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StepId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One API call of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub id: StepId,
    /// `op` (the operation id of `edge::ops`), `params` (path and query values) and `body`.
    #[serde(flatten)]
    pub call: Call,
    /// The object the call changes, as an address (`team:Sales/inbound-sdr`).
    pub target: String,
    /// The workspace the target belongs to, for grouping; `None` for org-level steps.
    pub workspace: Option<String>,
    pub action: Action,
    /// Deletes, removals and license downgrades.
    pub destructive: bool,
    /// The manifest location that caused the step, or why a live object is pruned.
    pub reason: String,
    /// Steps that must succeed before this one may run.
    pub depends_on: Vec<StepId>,
    /// 1-based phase (dependency level) the step belongs to.
    pub phase: usize,
    /// What the call means in domain terms (emails, names, before and after), for renderers.
    pub detail: Detail,
}

/// What a step does to its target, which decides its marker (`+`, `~`, `-`, `>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    /// A new object (user invitation, team, distribution, rule).
    Create,
    /// A changed object.
    Update,
    /// A changed object under a new name (`previously:` in the manifest).
    Rename,
    /// Members or licenses added to an existing object.
    Add,
    /// Members removed from an existing object.
    Remove,
    /// An object deleted.
    Delete,
}

impl Action {
    /// The marker of the text and Markdown renderings.
    pub fn marker(self) -> char {
        match self {
            Action::Create | Action::Add => '+',
            Action::Update => '~',
            Action::Rename => '>',
            Action::Remove | Action::Delete => '-',
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Rename => "rename",
            Action::Add => "add",
            Action::Remove => "remove",
            Action::Delete => "delete",
        }
    }
}

/// The domain meaning of a step, carried for display (the body carries ids, this carries
/// emails and names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Detail {
    /// A user invited.
    Invite { email: Email, name: Option<String> },
    /// Users whose license sets this call replaces.
    Licenses { users: Vec<LicenseChange> },
    /// Users added to or removed from a workspace or team, or the members of a team created or
    /// deleted.
    Members { users: Vec<MemberChange> },
    /// A distribution created, updated, renamed or deleted.
    Distribution {
        name: String,
        previously: Option<String>,
        before: Option<DistributionSpec>,
        after: Option<DistributionSpec>,
        /// Each rep's share of assignments before and after.
        shares: Vec<ShareChange>,
    },
    /// A rule created, modified, renamed or deleted.
    Rule {
        name: String,
        previously: Option<String>,
        before: Option<RuleSpec>,
        after: Option<RuleSpec>,
    },
    /// Workspace distribution settings replaced.
    Settings {
        before: Option<WorkspaceSettings>,
        after: WorkspaceSettings,
    },
    /// A meeting type created, updated (only `changed` fields are sent), renamed or deleted.
    MeetingType {
        name: String,
        previously: Option<String>,
        before: Option<MeetingTypeSpec>,
        after: Option<MeetingTypeSpec>,
        /// The fields the call sends, in the API's words (`duration`, `status`).
        changed: Vec<String>,
    },
    /// A reminder created, updated, renamed or deleted.
    Reminder {
        name: String,
        previously: Option<String>,
        before: Option<ReminderSpec>,
        after: Option<ReminderSpec>,
        changed: Vec<String>,
        /// Set for the reminder `meeting-type-create` seeds by itself, which this step removes
        /// (its id comes from the create's answer).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seeded_by: Option<String>,
    },
    /// A reminder attached to or detached from a meeting type.
    Attachment {
        meeting_type: String,
        reminder: String,
        /// Set when the reminder is the one `meeting-type-create` seeded by itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seeded_by: Option<String>,
    },
    /// A scheduling link created, updated, given a new slug or deleted.
    Link(Box<LinkDetail>),
}

/// What a scheduling-link step means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkDetail {
    pub slug: String,
    /// `round-robin`, `group`, `admin-one-on-one` or `ownership`.
    pub link_kind: LinkKind,
    /// The former slug, when the step changes it (destructive: every published URL breaks).
    pub previously: Option<String>,
    pub before: Option<LinkSpec>,
    pub after: Option<LinkSpec>,
    /// The fields the call sends.
    pub changed: Vec<String>,
    /// The live public booking URL (`bookingUrl`), for updates and deletes.
    pub booking_url: Option<String>,
    /// On a slug change: the booking URL after it, derived from the live one by replacing its
    /// last path segment with the new slug (the API gives the real one only after the change).
    pub new_booking_url: Option<String>,
    /// Round-robin links: each distribution's share of the link's bookings before and after,
    /// assuming bookings spread evenly across the link's distributions (an assumption: the
    /// API says nothing of how a link splits its bookings).
    pub bookings: Vec<BookingShare>,
    /// Things the step cannot verify (a group link's host and members, which no read returns).
    pub notes: Vec<String>,
}

/// One distribution's share of a round-robin link's bookings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BookingShare {
    pub distribution: String,
    pub before: Option<Share>,
    pub after: Option<Share>,
}

/// One user's license set before and after a licenses call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseChange {
    pub email: Email,
    pub before: BTreeSet<License>,
    pub after: BTreeSet<License>,
    pub reason: String,
}

/// One member added or removed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberChange {
    /// The member's email, or `id <userId>` for a live member id that matches no user.
    pub user: String,
    pub reason: String,
}

/// A share of assignments: weight over the sum of weights, in tenths of a percent, so that
/// arithmetic stays exact and output identical across machines. Serialized as a JSON number
/// with one decimal (`33.3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(pub u32);

impl Serialize for Share {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(f64::from(self.0) / 10.0)
    }
}

impl<'de> Deserialize<'de> for Share {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let percent = f64::deserialize(deserializer)?;
        if !(0.0..=100.0).contains(&percent) {
            return Err(serde::de::Error::custom(
                "a share is a percentage between 0 and 100",
            ));
        }
        // In range by the check above, so the cast cannot truncate.
        Ok(Share((percent * 10.0).round() as u32))
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}%", self.0 / 10, self.0 % 10)
    }
}

/// A rep's weight and share of assignments before and after a distribution change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareChange {
    pub email: Email,
    pub weight_before: Option<u32>,
    pub weight_after: Option<u32>,
    pub before: Option<Share>,
    pub after: Option<Share>,
}

/// A live object the manifests do not mention, left alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unmanaged {
    pub address: String,
    pub workspace: Option<String>,
    /// What kind of object: `workspace`, `member`, `team`, `distribution`, `rule`.
    pub kind: String,
    /// A short description, e.g. `3 members` or the member's email.
    pub detail: String,
    /// Set when a policy `ignore` entry covers the object, with its reason.
    pub ignored: Option<String>,
}

/// Something a reviewer should know that does not stop the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    pub address: Option<String>,
    pub message: String,
}

/// The state of one live object as the plan saw it. `exists: false` records that the object
/// was absent (the plan creates or invites it), so that apply notices one that appeared since.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fingerprint {
    pub address: String,
    pub exists: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
    /// SHA-256 prefix of the object's content as the plan read it, so changes the API's
    /// metadata does not record (workspace membership, licenses) are noticed too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// The address of an object, as plan steps, the policy's ignore list and the drift report
/// spell it: `kind:workspace/name`, `members:Sales`, `settings:Sales`, `user:email`.
/// Workspace names are assumed not to contain `/` (team and other names may).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Address {
    Workspace(String),
    Members(String),
    Settings(String),
    Team(String, String),
    Distribution(String, String),
    Rule(String, String),
    User(Email),
    /// The bulk licenses call, `licenses:upgrades` or `licenses:downgrades`.
    Licenses(LicenseDirection),
    /// `meetingType:Sales/Demo`.
    MeetingType(String, String),
    /// `reminder:Sales/Day before`.
    Reminder(String, String),
    /// An admin scheduling link by slug: `link:Sales/demo-sales`.
    Link(String, String),
}

/// Which of the two bulk licenses calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LicenseDirection {
    Upgrades,
    Downgrades,
}

impl Address {
    /// The workspace the object belongs to, if any.
    pub fn workspace(&self) -> Option<&str> {
        match self {
            Address::Workspace(workspace)
            | Address::Members(workspace)
            | Address::Settings(workspace)
            | Address::Team(workspace, _)
            | Address::Distribution(workspace, _)
            | Address::Rule(workspace, _)
            | Address::MeetingType(workspace, _)
            | Address::Reminder(workspace, _)
            | Address::Link(workspace, _) => Some(workspace),
            Address::User(_) | Address::Licenses(_) => None,
        }
    }

    /// Parses `kind:rest`. Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<Address> {
        let (kind, rest) = text.split_once(':')?;
        let in_workspace = || {
            rest.split_once('/')
                .map(|(workspace, name)| (workspace.to_string(), name.to_string()))
        };
        Some(match kind {
            "workspace" => Address::Workspace(rest.to_string()),
            "members" => Address::Members(rest.to_string()),
            "settings" => Address::Settings(rest.to_string()),
            "team" => {
                let (workspace, name) = in_workspace()?;
                Address::Team(workspace, name)
            }
            "distribution" => {
                let (workspace, name) = in_workspace()?;
                Address::Distribution(workspace, name)
            }
            "rule" => {
                let (workspace, name) = in_workspace()?;
                Address::Rule(workspace, name)
            }
            "meetingType" => {
                let (workspace, name) = in_workspace()?;
                Address::MeetingType(workspace, name)
            }
            "reminder" => {
                let (workspace, name) = in_workspace()?;
                Address::Reminder(workspace, name)
            }
            "link" => {
                let (workspace, slug) = in_workspace()?;
                Address::Link(workspace, slug)
            }
            "user" => Address::User(Email::parse(rest).ok()?),
            "licenses" => match rest {
                "upgrades" => Address::Licenses(LicenseDirection::Upgrades),
                "downgrades" => Address::Licenses(LicenseDirection::Downgrades),
                _ => return None,
            },
            _ => return None,
        })
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Workspace(workspace) => write!(f, "workspace:{workspace}"),
            Address::Members(workspace) => write!(f, "members:{workspace}"),
            Address::Settings(workspace) => write!(f, "settings:{workspace}"),
            Address::Team(workspace, name) => write!(f, "team:{workspace}/{name}"),
            Address::Distribution(workspace, name) => {
                write!(f, "distribution:{workspace}/{name}")
            }
            Address::Rule(workspace, name) => write!(f, "rule:{workspace}/{name}"),
            Address::MeetingType(workspace, name) => write!(f, "meetingType:{workspace}/{name}"),
            Address::Reminder(workspace, name) => write!(f, "reminder:{workspace}/{name}"),
            Address::Link(workspace, slug) => write!(f, "link:{workspace}/{slug}"),
            Address::User(email) => write!(f, "user:{email}"),
            Address::Licenses(LicenseDirection::Upgrades) => f.write_str("licenses:upgrades"),
            Address::Licenses(LicenseDirection::Downgrades) => f.write_str("licenses:downgrades"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_round_trip_through_text() {
        let email = Email::parse("ava.thompson@acme.example").unwrap();
        for address in [
            Address::Workspace("Sales".into()),
            Address::Members("Customer Success".into()),
            Address::Settings("Sales".into()),
            Address::Team("Sales".into(), "inbound-sdr".into()),
            Address::Distribution("Sales".into(), "Inbound Demo Requests".into()),
            Address::Rule("Sales".into(), "a/b rule".into()),
            Address::MeetingType("Sales".into(), "Demo".into()),
            Address::Reminder("Sales".into(), "Day before".into()),
            Address::Link("Sales".into(), "demo-sales".into()),
            Address::User(email),
            Address::Licenses(LicenseDirection::Upgrades),
            Address::Licenses(LicenseDirection::Downgrades),
        ] {
            assert_eq!(Address::parse(&address.to_string()), Some(address));
        }
        assert_eq!(Address::parse("nonsense"), None);
        assert_eq!(Address::parse("team:no-slash"), None);
    }

    #[test]
    fn shares_print_and_serialize_with_one_decimal() {
        assert_eq!(Share(333).to_string(), "33.3%");
        assert_eq!(Share(1000).to_string(), "100.0%");
        assert_eq!(Share(5).to_string(), "0.5%");
        assert_eq!(serde_json::to_string(&Share(333)).unwrap(), "33.3");
        assert_eq!(serde_json::to_string(&Share(1000)).unwrap(), "100.0");
        let back: Share = serde_json::from_str("33.3").unwrap();
        assert_eq!(back, Share(333));
    }
}
