//! The `DriftReport` value: every object where the live org differs from the manifests, what
//! differs, who changed it last and when, whether that happened after the last apply, and the
//! policy's accepted drift. A report is data; `text`, `json` and `markdown` display it.
//!
//! It serializes to the versioned JSON of `scoville drift --format json` (docs/drift.md).

use serde::{Deserialize, Serialize};

use crate::model::{Email, Source};
use crate::plan::{Action, Detail, PlanError, StepId, Warning};

/// The version of the drift JSON format. Bump it on any incompatible change of the serde shape
/// of `DriftReport`.
pub const DRIFT_FORMAT_VERSION: u32 = 1;

/// Where the live org differs from the manifests, and what is known about why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DriftReport {
    pub format_version: u32,
    /// The live tenant (`tenant-get`), when known.
    pub tenant: Option<String>,
    /// `Desired::content_hash` of the manifests compared.
    pub content_hash: String,
    /// The day (`YYYY-MM-DD`) ignore entries' expiry dates were compared with.
    pub checked_on: String,
    /// The record of the last apply the report was read against, if one was given.
    pub last_applied: Option<LastAppliedInfo>,
    pub summary: DriftSummary,
    /// Why no report could be made (the plan was refused: tenant mismatch, missing workspace,
    /// ...). When this is not empty, `objects` and `accepted` are empty.
    pub errors: Vec<PlanError>,
    /// Drifted objects, counted: org-level objects first, then by workspace, kind and address.
    pub objects: Vec<DriftedObject>,
    /// Drifted objects covered by a current `policy.ignore` entry: accepted, not counted.
    pub accepted: Vec<DriftedObject>,
    /// Every `policy.ignore` entry and what became of it.
    pub ignore_entries: Vec<IgnoreEntryStatus>,
    /// What the planner noted while diffing (e.g. a weight for someone not in the team).
    pub warnings: Vec<Warning>,
}

/// Whether the report found drift, none, or could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DriftOutcome {
    /// The live org matches the manifests (apart from accepted drift).
    NoDrift,
    /// At least one counted object differs.
    Drift,
    /// No report: see `DriftReport::errors`.
    Refused,
}

impl DriftReport {
    pub fn outcome(&self) -> DriftOutcome {
        if !self.errors.is_empty() {
            DriftOutcome::Refused
        } else if self.objects.is_empty() {
            DriftOutcome::NoDrift
        } else {
            DriftOutcome::Drift
        }
    }
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DriftSummary {
    /// Counted drifted objects (`objects.len()`).
    pub drifted: usize,
    /// Of those, changed in the org after the last apply (real drift).
    pub changed_after_apply: usize,
    /// Of those, changed in the manifests since the last apply and not applied yet.
    pub not_applied_yet: usize,
    /// Of those, which of the two could not be told.
    pub cannot_tell: usize,
    /// Drifted objects accepted by the policy's ignore list.
    pub accepted: usize,
    /// Ignore entries past their expiry date (they no longer ignore anything).
    pub expired_ignore_entries: usize,
    /// Current ignore entries that cover no difference.
    pub unused_ignore_entries: usize,
    /// Live objects the manifests do not mention, left alone (not drift; see `scoville plan`).
    pub unmanaged: usize,
}

/// What the report knows of the last apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LastAppliedInfo {
    /// The manifests' content hash the last apply applied.
    pub content_hash: String,
    pub applied_at: Option<String>,
    /// The tenant the record was made against.
    pub tenant: Option<String>,
    /// Whether the manifests changed since (their content hash differs).
    pub manifests_changed: bool,
    /// Why the record could not be used, when it could not (another tenant): every object
    /// is then `cannotTell`.
    pub unusable: Option<String>,
}

/// One object of the org that differs from the manifests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DriftedObject {
    /// The object's address, as plan steps and `policy.ignore` spell it
    /// (`team:Sales/inbound-sdr`, `user:ava@acme.example`).
    pub address: String,
    /// The workspace it belongs to; `None` for users.
    pub workspace: Option<String>,
    /// `team`, `distribution`, `rule`, `members` (workspace membership), `settings`
    /// (workspace distribution settings), `user` (invitation and licenses), `meetingType`,
    /// `reminder` or `link` (a scheduling link).
    pub kind: String,
    /// In words, from the org's side: "1 member the manifests list is not in the team".
    pub summary: String,
    /// Whether the change happened after the last apply or is not applied yet.
    pub origin: Origin,
    /// Who changed the object last and when, as far as the API records it.
    pub provenance: Provenance,
    /// One per plan step on this object (the step that `scoville apply` would run to undo it).
    pub differences: Vec<Difference>,
    /// Set on objects in `DriftReport::accepted`: the ignore entry that accepts the drift.
    pub accepted_by: Option<IgnoreEntryRef>,
}

/// One difference on an object, as the plan sees it, told from the org's side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// The plan step that would undo the difference (`scoville apply`).
    pub step: StepId,
    /// What that step does to the object.
    pub action: Action,
    /// In words, from the org's side.
    pub summary: String,
    /// The facts behind it, one per line: members, licenses, values that differ.
    pub facts: Vec<String>,
    /// The plan's detail of the step, unchanged: its `before` is the live org and its
    /// `after` is the manifests.
    pub detail: Detail,
}

/// Changed in the org after the last apply, or not applied yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Origin {
    /// The object is not as the last apply left it: someone changed the org since (real drift).
    ChangedAfterApply { applied_at: Option<String> },
    /// The object is as the last apply left it, and the manifests changed since: the change
    /// is in git but was not applied yet.
    NotAppliedYet,
    /// Which of the two it is cannot be told, and why.
    CannotTell { why: String },
}

/// Who changed an object last, and when, as far as the API keeps a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Provenance {
    /// The object's `metadata`.
    Metadata {
        /// Whose metadata this is, e.g. "the team" or "workspace `Sales`".
        of: String,
        updated_at: String,
        updated_by: Author,
        created_at: String,
        created_by: Author,
        revision: i64,
    },
    /// No live object: the API keeps no record of who deleted an object, or when.
    Absent {
        /// When a record of the last apply shows the object existed after it.
        existed_after_last_apply: bool,
    },
    /// The API keeps no metadata for this kind of object (users and their licenses).
    NotKept,
    /// The official shapes of this kind carry no metadata (meeting types, reminders and
    /// scheduling links): the API does not tell who changed the object or when.
    NoMetadata {
        /// The kind, in words: "meeting type", "reminder", "scheduling link".
        of: String,
    },
}

/// The caller reference of `updatedBy` / `createdBy`, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Author {
    /// `user/<id>`: a person (in the Chili Piper UI), with their email when the org has them.
    Person {
        reference: String,
        user_id: String,
        email: Option<Email>,
    },
    /// `apikey/<id>`: an API token (scoville itself, or another integration or script).
    ApiKey { reference: String, key_id: String },
    /// Anything else, verbatim (empty when the API gave none).
    Unknown { reference: String },
}

/// The ignore entry that accepts an object's drift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IgnoreEntryRef {
    pub object: String,
    pub reason: String,
    pub expires: Option<String>,
    pub source: Source,
}

/// What became of one `policy.ignore` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IgnoreEntryStatus {
    #[serde(flatten)]
    pub entry: IgnoreEntryRef,
    pub status: IgnoreStatus,
}

/// Whether an ignore entry accepted drift, covered nothing, or has expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum IgnoreStatus {
    /// It accepted the drift of at least one object.
    Applied,
    /// It is current but no object it names differs: the difference it was for is gone.
    Unused,
    /// Its expiry date has passed: it no longer ignores anything, and what it named (if it
    /// differs) is counted as drift again.
    Expired,
}
