//! The live reader: Edge API -> `Live`, in as few round trips as the API allows.
//!
//! `fetch` makes one paginated sweep per collection, all at once:
//!
//! | collection | operation | requests |
//! |---|---|---|
//! | tenant | `tenant-get` | 1 |
//! | users, and workspace membership | `workspace-list-users` without `workspaceId` | ceil(users / page) |
//! | workspaces | `workspace-list` | ceil(workspaces / page) |
//! | teams | `team-list` (no filter) | ceil(teams / page) |
//! | distributions | `distribution-list` (no filter) | ceil(distributions / page) |
//! | rules | `rule-list` (no filter) | ceil(rules / page) |
//! | settings | `distribution-settings-get` | 1 per workspace in `Scope::settings` (default none) |
//! | meeting types | `meeting-type-list` | 1, for the workspaces in `Scope::booking` (default none), filtered by the workspace when there is one |
//! | their reminders | `meeting-type-get` | 1 per meeting type of those workspaces (the list leaves `reminders` null) |
//! | reminders | `meeting-type-reminder-list` | 1, likewise |
//! | scheduling links | `scheduling-link-list-*` | 1 per kind (4), filtered by those workspaces' ids |
//!
//! (an empty collection still costs its one page-0 request). Membership is not read per
//! workspace: every `User` of the org-wide list carries the ids of its workspaces, which is
//! exactly the membership relation, so one sweep gives both. Only `.read` permissions are used,
//! so a read-only token suffices.

mod booking;
mod convert;
pub mod integrity;
mod opaque;

use std::collections::{BTreeMap, BTreeSet};

pub use booking::{BookingParts, with_reminders};
pub use convert::{LiveParts, to_live};

use crate::edge::{EdgeClient, EdgeError, wire};
use crate::model::{Desired, Email, EmailError, Live, ObjectKind};

/// What to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Names of the workspaces `Live` describes; `None` means every workspace. The sweeps are
    /// org-wide either way (a per-workspace filter would cost a request per workspace), so this
    /// narrows the result, not the reading.
    pub workspaces: Option<BTreeSet<String>>,
    /// The workspaces whose distribution settings are read (one request each).
    pub settings: SettingsScope,
    /// The workspaces whose meeting types, reminders and scheduling links are read (all three
    /// kinds together: links name meeting types, meeting types name reminders).
    pub booking: SettingsScope,
    /// Whether a token without the permission to read those kinds still reads the rest (then
    /// `Live::booking_unread` says why they are missing). `export` only: `plan` and `drift`
    /// read them because the manifests manage them, so a refusal is an error there.
    pub booking_optional: bool,
}

/// Which workspaces a per-workspace read covers (distribution settings; meeting types,
/// reminders and scheduling links).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SettingsScope {
    /// The workspaces with these names. Names that match no workspace are skipped: the planner
    /// reports a missing workspace.
    Listed(BTreeSet<String>),
    /// Every workspace in scope (for `export`).
    EveryWorkspace,
    /// None (the default).
    #[default]
    Nothing,
}

impl Scope {
    /// Every workspace, no settings.
    pub fn everything() -> Scope {
        Scope::default()
    }

    /// Every workspace; the settings of the workspaces whose settings the manifests manage;
    /// the meeting types, reminders and links of the workspaces that declare one of those
    /// collections (that do not leave it alone).
    pub fn for_desired(desired: &Desired) -> Scope {
        let booking: BTreeSet<String> = desired
            .workspaces
            .values()
            .filter(|workspace| {
                BOOKING_KINDS
                    .iter()
                    .any(|kind| !workspace.left_alone.contains(kind))
            })
            .map(|workspace| workspace.name.clone())
            .collect();
        let managed: BTreeSet<String> = desired
            .workspaces
            .values()
            .filter(|workspace| workspace.settings.is_some())
            .map(|workspace| workspace.name.clone())
            .collect();
        Scope {
            workspaces: None,
            settings: if managed.is_empty() {
                SettingsScope::Nothing
            } else {
                SettingsScope::Listed(managed)
            },
            booking: if booking.is_empty() {
                SettingsScope::Nothing
            } else {
                SettingsScope::Listed(booking)
            },
            booking_optional: false,
        }
    }

    /// Every workspace with its settings, meeting types, reminders and links: what `export`
    /// writes.
    pub fn everything_with_settings() -> Scope {
        Scope {
            workspaces: None,
            settings: SettingsScope::EveryWorkspace,
            booking: SettingsScope::EveryWorkspace,
            booking_optional: true,
        }
    }

    /// Whether `Live` should describe the workspace called `name`.
    pub fn includes(&self, name: &str) -> bool {
        self.workspaces
            .as_ref()
            .is_none_or(|names| names.contains(name))
    }

    /// Whether `fetch` reads the distribution settings of the workspace called `name`.
    pub fn reads_settings_of(&self, name: &str) -> bool {
        self.includes(name) && self.settings.covers(name)
    }

    /// Whether `fetch` reads the meeting types, reminders and scheduling links of the workspace
    /// called `name`.
    pub fn reads_booking_of(&self, name: &str) -> bool {
        self.includes(name) && self.booking.covers(name)
    }
}

impl SettingsScope {
    /// Whether the workspace called `name` is covered.
    pub fn covers(&self, name: &str) -> bool {
        match self {
            SettingsScope::Listed(names) => names.contains(name),
            SettingsScope::EveryWorkspace => true,
            SettingsScope::Nothing => false,
        }
    }
}

/// The collections read together for a workspace by `Scope::booking`.
const BOOKING_KINDS: [ObjectKind; 3] = [
    ObjectKind::MeetingTypes,
    ObjectKind::Reminders,
    ObjectKind::SchedulingLinks,
];

/// Why the live org could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error(transparent)]
    Edge(#[from] EdgeError),
    #[error(
        "user `{user_id}` has an email scoville cannot use: fix the user's email in Chili Piper"
    )]
    InvalidEmail {
        user_id: String,
        #[source]
        source: EmailError,
    },
    #[error(
        "users `{first_id}` and `{second_id}` share the email `{email}`: scoville addresses users \
         by email, so fix one of them in Chili Piper"
    )]
    DuplicateEmail {
        email: Email,
        first_id: String,
        second_id: String,
    },
    #[error(
        "{used_by} uses team id `{team_id}`, which the team list does not return even when read \
         again: the org changed while it was read, or the API answered part of it; run the \
         command again, and if it persists, check the team in Chili Piper"
    )]
    UnresolvedTeam { used_by: String, team_id: String },
    #[error(
        "{used_by} uses distribution id `{distribution_id}`, which the distribution list does \
         not return even when read again: the org changed while it was read, or the API \
         answered part of it; run the command again, and if it persists, check the link in \
         Chili Piper"
    )]
    UnresolvedDistribution {
        used_by: String,
        distribution_id: String,
    },
    #[error(
        "two workspaces are named `{name}` (ids `{first_id}` and `{second_id}`): scoville \
         addresses workspaces by name, so rename one in Chili Piper"
    )]
    DuplicateWorkspaceName {
        name: String,
        first_id: String,
        second_id: String,
    },
}

/// Reads the live org: every collection concurrently, one paginated sweep each, then checks
/// that every cross-reference resolves, reading what a sweep missed (`integrity`).
pub async fn fetch(client: &EdgeClient, scope: &Scope) -> Result<Live, LiveError> {
    // A sweep whose pages disagree (a `total` that moved, an id on two pages: the org changed
    // between page reads) is read once more; a second disagreement is an error.
    let (mut parts, scope) = match fetch_parts_scoped(client, scope).await {
        Err(EdgeError::InconsistentPages { .. }) => fetch_parts_scoped(client, scope).await?,
        read => read?,
    };
    integrity::resolve_references(client, &mut parts).await?;
    to_live(parts, &scope)
}

/// `fetch` before the scope is known: every read starts at once, and only the settings
/// requests (which depend on the manifests) wait for `scope`. `Ok(None)` when `scope` ends
/// without one (the manifests did not load); the reads in flight are then dropped.
pub async fn fetch_when<S>(client: &EdgeClient, scope: S) -> Result<Option<Live>, LiveError>
where
    S: Future<Output = Option<Scope>>,
{
    // The same checks as `fetch`: a sweep whose pages disagree is read once more (with the
    // scope kept from the first try), and every cross-reference is resolved before `Live`.
    let kept: std::sync::Mutex<Option<Scope>> = std::sync::Mutex::new(None);
    let scope = async {
        let scope = scope.await;
        *kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = scope.clone();
        scope
    };
    let read = fetch_parts_when(client, scope).await;
    let kept = kept
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (mut parts, scope) = match (read, kept) {
        (Err(EdgeError::InconsistentPages { .. }), Some(scope)) => {
            (fetch_parts(client, &scope).await?, scope)
        }
        (read, _) => match read? {
            Some(read) => read,
            None => return Ok(None),
        },
    };
    integrity::resolve_references(client, &mut parts).await?;
    to_live(parts, &scope).map(Some)
}

/// The raw reads of `fetch`, before translation.
pub async fn fetch_parts(client: &EdgeClient, scope: &Scope) -> Result<LiveParts, EdgeError> {
    fetch_parts_scoped(client, scope)
        .await
        .map(|(parts, _)| parts)
}

/// `fetch_parts`, with the scope the reads ended with (narrower than `scope` when optional
/// kinds could not be read).
async fn fetch_parts_scoped(
    client: &EdgeClient,
    scope: &Scope,
) -> Result<(LiveParts, Scope), EdgeError> {
    let scope = std::future::ready(Some(scope.clone()));
    Ok(fetch_parts_when(client, scope)
        .await?
        .expect("a ready scope is always given"))
}

/// The raw reads of `fetch_when`, and the scope they were read for.
async fn fetch_parts_when<S>(
    client: &EdgeClient,
    scope: S,
) -> Result<Option<(LiveParts, Scope)>, EdgeError>
where
    S: Future<Output = Option<Scope>>,
{
    // Settings and the booking kinds need workspace ids and the scope, so they follow both;
    // everything else is independent and starts at once.
    let workspaces_and_settings = async {
        let (workspaces, scope) = tokio::join!(client.workspace_list(), scope);
        let workspaces = workspaces?;
        let Some(mut scope) = scope else {
            return Ok(None);
        };
        let booking_ids: Vec<String> = workspaces
            .iter()
            .filter(|workspace| scope.reads_booking_of(&workspace.name))
            .map(|workspace| workspace.id.clone())
            .collect();
        let (settings, booking) = tokio::join!(
            settings_of(client, &scope, &workspaces),
            booking::read(client, booking_ids),
        );
        let settings = settings?;
        let booking = match booking {
            // Where these kinds are optional (export), a token that may not read them still
            // reads the rest: they are left out, and `Live` says why.
            Err(denied @ EdgeError::Unauthorized { status: 403, .. }) if scope.booking_optional => {
                scope.booking = SettingsScope::Nothing;
                BookingParts {
                    unread: Some(denied.to_string()),
                    ..BookingParts::default()
                }
            }
            booking => booking?,
        };
        Ok::<_, EdgeError>(Some((workspaces, settings, booking, scope)))
    };
    let every_team = wire::TeamListRequest::default();
    let every_distribution = wire::DistributionListRequest::default();
    let (tenant, users, scoped, teams, distributions, rules) = tokio::try_join!(
        client.tenant_get(),
        client.workspace_list_users(None),
        workspaces_and_settings,
        client.team_list(&every_team),
        client.distribution_list(&every_distribution),
        client.rule_list(None, None),
    )?;
    let Some((workspaces, settings, booking, scope)) = scoped else {
        return Ok(None);
    };
    let parts = LiveParts {
        tenant,
        users,
        workspaces,
        teams,
        distributions,
        rules,
        settings,
        booking,
    };
    Ok(Some((parts, scope)))
}

/// `distribution-settings-get` for each scoped workspace, concurrently (the client's limit
/// still applies).
async fn settings_of(
    client: &EdgeClient,
    scope: &Scope,
    workspaces: &[wire::Workspace],
) -> Result<BTreeMap<String, wire::Tolerant<wire::WorkspaceSettingsRead>>, EdgeError> {
    let mut tasks = tokio::task::JoinSet::new();
    for workspace in workspaces
        .iter()
        .filter(|workspace| scope.reads_settings_of(&workspace.name))
    {
        let client = client.clone();
        let workspace_id = workspace.id.clone();
        tasks.spawn(async move {
            let settings = client.distribution_settings_get(&workspace_id).await;
            (workspace_id, settings)
        });
    }
    let mut settings = BTreeMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (workspace_id, result) = match joined {
            Ok(done) => done,
            Err(join_error) if join_error.is_panic() => {
                std::panic::resume_unwind(join_error.into_panic())
            }
            Err(join_error) => unreachable!("settings tasks are never cancelled: {join_error}"),
        };
        settings.insert(workspace_id, result?);
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desired(workspaces: &[(&str, &[&str])]) -> Desired {
        let mut desired = Desired::default();
        for (name, left_alone) in workspaces {
            let workspace = serde_json::json!({
                "name": name,
                "source": {"file": "m.yaml", "line": 1, "column": 1},
                "members": {}, "teams": {}, "distributions": {}, "rules": {},
                "settings": null, "left_alone": left_alone,
            });
            desired
                .workspaces
                .insert(name.to_string(), serde_json::from_value(workspace).unwrap());
        }
        desired
    }

    #[test]
    fn booking_kinds_are_read_where_the_manifests_declare_one() {
        let every = ["meetingTypes", "reminders", "schedulingLinks"];
        let desired = desired(&[
            ("Sales", &["reminders", "schedulingLinks"]),
            ("Support", &every),
        ]);
        let scope = Scope::for_desired(&desired);
        assert!(scope.reads_booking_of("Sales"));
        assert!(!scope.reads_booking_of("Support"));
        assert!(!scope.reads_booking_of("Elsewhere"));
        let none = Scope::for_desired(&self::desired(&[("Support", &every)]));
        assert_eq!(none.booking, SettingsScope::Nothing);
        assert!(Scope::everything_with_settings().reads_booking_of("Anything"));
        assert!(!Scope::everything().reads_booking_of("Anything"));
    }
}
