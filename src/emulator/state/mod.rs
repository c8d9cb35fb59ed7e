//! The emulated org: every object with its id and metadata, and the rules that change it.
//!
//! `OrgState` knows nothing of HTTP: each operation is a method that validates everything first
//! and changes nothing when it refuses, so a refused call leaves the state untouched. The API
//! routes and the control surface's out-of-band edits call the same methods, with a different
//! `Actor`. It serializes to the JSON of `GET /_emulator/state` and of the `--state` file.

mod booking_seed;
mod distribution;
mod from_seed;
mod link;
mod meeting_type;
mod overlay;
mod rule;
mod team;
mod user;
mod workspace;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::edge::wire::{
    Condition, DistributionConfig, Metadata, Reminder, Rule, Team, TenantInfo, User, Workspace,
    WorkspaceSettings,
};
use crate::model::License;

use super::clock::{self, ClockMode};
use super::error::ApiError;
use super::seed::SeedToken;

pub use distribution::DistributionFilter;
pub use from_seed::SeedError;
pub use link::{LinkCreate, LinkPatch, StoredLink, WithSharing};
pub use meeting_type::{IdempotentCreate, StoredMeetingType};
pub use overlay::Overlays;
pub use team::TeamFilter;

/// Who makes a change: an API token, or a person in the Chili Piper UI (control surface).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// `apikey/<token id>`.
    ApiKey(String),
    /// `user/<user id>`.
    User(String),
}

impl Actor {
    /// The caller reference written to `createdBy` / `updatedBy`.
    pub fn caller_ref(&self) -> String {
        match self {
            Actor::ApiKey(id) => format!("apikey/{id}"),
            Actor::User(id) => format!("user/{id}"),
        }
    }
}

/// When and by whom a change is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub at: String,
    pub by: String,
}

/// A soft-deleted rule's deletion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deletion {
    pub deleted_at: String,
    pub deleted_by: String,
}

/// A rule, kept after deletion (rule delete is soft) but no longer listed or fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredRule {
    pub rule: Rule,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Deletion>,
}

/// The whole emulated org. Maps are keyed by id; ids are counter-based and fixed-width, so id
/// order is creation order and every list is stable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgState {
    pub tenant: TenantInfo,
    pub seats: BTreeMap<License, u32>,
    pub tokens: Vec<SeedToken>,
    /// Users; `workspaces` of each is kept sorted and is the source of workspace membership.
    pub users: BTreeMap<String, User>,
    pub workspaces: BTreeMap<String, Workspace>,
    pub workspace_settings: BTreeMap<String, WorkspaceSettings>,
    pub teams: BTreeMap<String, Team>,
    /// Published distribution configurations.
    pub distributions: BTreeMap<String, DistributionConfig>,
    pub rules: BTreeMap<String, StoredRule>,
    /// Meeting types (team ones: personal meeting types are not modelled).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub meeting_types: BTreeMap<String, StoredMeetingType>,
    /// Meeting-type reminders.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reminders: BTreeMap<String, Reminder>,
    /// Admin scheduling links of every kind.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub links: BTreeMap<String, StoredLink>,
    /// The idempotency keys meeting-type-create has seen.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub idempotency_keys: BTreeMap<String, IdempotentCreate>,
    /// JSON written over objects as they are served (see `overlay`), for seeding what the
    /// emulator's types cannot hold.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub overlays: Overlays,
    /// The counter ids are made from.
    pub next_id: u64,
    /// Changes made so far; the deterministic clock's position.
    pub n_changes: u64,
    /// Not saved: each run decides its clock.
    #[serde(skip)]
    pub clock: ClockMode,
}

/// Kinds of object that get ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    User,
    Workspace,
    Team,
    Distribution,
    Rule,
    MeetingType,
    Reminder,
    Link,
}

impl IdKind {
    /// The first UUID group: the kind's name in ASCII hex, so an id says what it names.
    fn code(self) -> u32 {
        match self {
            IdKind::User => u32::from_be_bytes(*b"user"),
            IdKind::Workspace => u32::from_be_bytes(*b"wksp"),
            IdKind::Team => u32::from_be_bytes(*b"team"),
            IdKind::Distribution => u32::from_be_bytes(*b"dist"),
            IdKind::Rule => u32::from_be_bytes(*b"rule"),
            IdKind::MeetingType => u32::from_be_bytes(*b"mtyp"),
            IdKind::Reminder => u32::from_be_bytes(*b"rmnd"),
            IdKind::Link => u32::from_be_bytes(*b"link"),
        }
    }
}

/// `userIds` of membership calls must be non-empty, like the API's `minItems: 1`.
fn require_non_empty(user_ids: &[String]) -> Result<(), ApiError> {
    if user_ids.is_empty() {
        Err(ApiError::InvalidBody)
    } else {
        Ok(())
    }
}

/// Metadata of a new object.
fn created_metadata(stamp: &Stamp) -> Metadata {
    Metadata {
        created_at: stamp.at.clone(),
        created_by: stamp.by.clone(),
        updated_at: stamp.at.clone(),
        updated_by: stamp.by.clone(),
        revision: 1,
    }
}

/// Records a change: who, when, and the next revision.
fn touch(metadata: &mut Metadata, stamp: &Stamp) {
    metadata.updated_at = stamp.at.clone();
    metadata.updated_by = stamp.by.clone();
    metadata.revision += 1;
}

/// The first duplicate in a list of user ids, if any.
fn first_duplicate<'a>(ids: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = BTreeSet::new();
    ids.into_iter().find(|id| !seen.insert(*id))
}

impl OrgState {
    /// A new id of this kind, UUID-shaped: `<kind>-0000-4000-8000-<counter>`.
    pub fn new_id(&mut self, kind: IdKind) -> String {
        self.next_id += 1;
        format!("{:08x}-0000-4000-8000-{:012x}", kind.code(), self.next_id)
    }

    /// Advances the clock for one change made by `actor`.
    pub fn stamp(&mut self, actor: &Actor) -> Stamp {
        self.n_changes += 1;
        Stamp {
            at: clock::timestamp(self.clock, self.n_changes),
            by: actor.caller_ref(),
        }
    }

    /// The token with this secret.
    pub fn token_by_secret(&self, secret: &str) -> Option<&SeedToken> {
        self.tokens.iter().find(|token| token.secret == secret)
    }

    pub fn tenant(&self) -> &TenantInfo {
        &self.tenant
    }

    fn user_exists(&self, user_id: &str) -> Result<(), ApiError> {
        if self.users.contains_key(user_id) {
            Ok(())
        } else {
            Err(ApiError::not_found("user", "userId", user_id))
        }
    }

    fn all_users_exist(&self, user_ids: &[String]) -> Result<(), ApiError> {
        user_ids.iter().try_for_each(|id| self.user_exists(id))
    }

    fn workspace(&self, workspace_id: &str) -> Result<&Workspace, ApiError> {
        self.workspaces
            .get(workspace_id)
            .ok_or_else(|| ApiError::not_found("workspace", "workspaceId", workspace_id))
    }

    fn team(&self, team_id: &str) -> Result<&Team, ApiError> {
        self.teams
            .get(team_id)
            .ok_or_else(|| ApiError::not_found("team", "teamId", team_id))
    }

    fn is_workspace_member(&self, user_id: &str, workspace_id: &str) -> bool {
        self.users
            .get(user_id)
            .is_some_and(|user| user.workspaces.iter().any(|w| w == workspace_id))
    }

    /// Whether a condition tree is well formed: groups are non-empty (`NonEmptyList`) and
    /// ownership conditions appear only in ownership rules.
    /// Whether an ownership condition of the tree lacks its `ownership` reference.
    fn ownership_reference_missing(condition: &Condition) -> bool {
        match condition {
            Condition::ConditionGroup { conditions, .. } => {
                conditions.iter().any(Self::ownership_reference_missing)
            }
            Condition::OwnershipCondition { ownership, .. } => ownership.is_none(),
            _ => false,
        }
    }

    /// The checks rule-create and rule-modify share on the conditions: a valid tree, and every
    /// ownership condition with its reference.
    fn check_conditions(condition: &Condition, ownership_allowed: bool) -> Result<(), ApiError> {
        if !Self::conditions_are_valid(condition, ownership_allowed) {
            return Err(ApiError::InvalidBody);
        }
        if Self::ownership_reference_missing(condition) {
            return Err(ApiError::ownership_condition_missing_reference());
        }
        Ok(())
    }

    fn conditions_are_valid(condition: &Condition, ownership_allowed: bool) -> bool {
        match condition {
            Condition::ConditionGroup { conditions, .. } => {
                !conditions.is_empty()
                    && conditions
                        .iter()
                        .all(|c| Self::conditions_are_valid(c, ownership_allowed))
            }
            Condition::OwnershipCondition { .. } => ownership_allowed,
            _ => true,
        }
    }
}
