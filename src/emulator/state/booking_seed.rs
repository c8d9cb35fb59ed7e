//! Turning the seed's meeting types, reminders, scheduling links and personal workspaces
//! (names, emails, slugs) into state (ids), after the workspaces, teams and distributions.

use std::collections::BTreeMap;

use crate::edge::wire::{
    DistributionAssignmentInput, DistributionInvitationInput, MeetingBuffers, MeetingType,
    Reminder, SharedWith,
};
use crate::model::{LinkKind, MeetingTypeStatus};

use super::super::seed::{Seed, SeedLink, SeedSharedWith, SeedWorkspace};
use super::from_seed::{SeedError, UserIds, user_id};
use super::link::{StoredLink, slug_is_valid};
use super::meeting_type::{StoredMeetingType, check_finite_duration, default_location};
use super::{IdKind, OrgState};

impl OrgState {
    /// Seeds every workspace's reminders, meeting types and links, then users' personal
    /// workspaces. A seeded link is held to the rules of its create (slug, meeting types and
    /// distributions of its workspace, no personal workspace).
    pub(super) fn booking_from_seed(
        &mut self,
        seed: &Seed,
        ids: &UserIds,
    ) -> Result<(), SeedError> {
        for seed_user in &seed.users {
            let Some(name) = &seed_user.personal_workspace else {
                continue;
            };
            let workspace_id =
                self.workspace_id_named(name)
                    .ok_or_else(|| SeedError::UnknownWorkspace {
                        workspace: name.clone(),
                        place: format!("the personal workspace of `{}`", seed_user.email),
                    })?;
            let id = user_id(ids, &seed_user.email, "users")?.to_string();
            let user = self.users.get_mut(&id).expect("seeded user exists");
            user.personal_workspace_id = Some(workspace_id);
        }
        for seed_workspace in &seed.workspaces {
            let workspace_id = self
                .workspace_id_named(&seed_workspace.name)
                .expect("seeded workspace exists");
            self.seed_booking(seed_workspace, &workspace_id, ids)?;
        }
        Ok(())
    }

    fn workspace_id_named(&self, name: &str) -> Option<String> {
        self.workspaces
            .values()
            .find(|w| w.name == name)
            .map(|w| w.id.clone())
    }

    fn seed_booking(
        &mut self,
        seed_workspace: &SeedWorkspace,
        workspace_id: &str,
        ids: &UserIds,
    ) -> Result<(), SeedError> {
        let workspace = seed_workspace.name.as_str();
        let invalid = |place: String, problem: &str| SeedError::InvalidBooking {
            place,
            problem: problem.to_string(),
        };
        let mut reminder_ids = BTreeMap::new();
        for seed_reminder in &seed_workspace.reminders {
            let id = self.new_id(IdKind::Reminder);
            reminder_ids.insert(seed_reminder.name.clone(), id.clone());
            self.reminders.insert(
                id.clone(),
                Reminder {
                    id,
                    workspace_id: workspace_id.to_string(),
                    channel: seed_reminder.channel,
                    trigger: seed_reminder.trigger.clone(),
                    name: seed_reminder.name.clone(),
                    title: seed_reminder.title.clone(),
                    body: seed_reminder.body.clone(),
                    send_to: seed_reminder.send_to,
                    send_from: seed_reminder.send_from,
                    sms_send_from: seed_reminder.sms_send_from,
                },
            );
        }
        let team_id = |state: &OrgState, name: &str, place: &str| {
            state
                .teams
                .values()
                .find(|t| t.workspace_id == workspace_id && t.name == name)
                .map(|t| t.id.clone())
                .ok_or_else(|| SeedError::UnknownTeam {
                    team: name.to_string(),
                    workspace: workspace.to_string(),
                    place: place.to_string(),
                })
        };
        let shared_with = |state: &OrgState, given: &Option<SeedSharedWith>, place: &str| {
            Ok::<_, SeedError>(match given {
                None | Some(SeedSharedWith::Workspace) => SharedWith::Workspace,
                Some(SeedSharedWith::Teams { teams }) => SharedWith::Teams {
                    team_ids: teams
                        .iter()
                        .map(|t| team_id(state, t, place))
                        .collect::<Result<_, _>>()?,
                },
            })
        };
        let mut meeting_type_ids = BTreeMap::new();
        for seed_type in &seed_workspace.meeting_types {
            let place = format!("meeting type `{}`", seed_type.name);
            check_finite_duration(&seed_type.duration)
                .map_err(|_| invalid(place.clone(), "`duration` is not like `30 minutes`"))?;
            let attached = seed_type
                .reminders
                .iter()
                .map(|name| {
                    reminder_ids
                        .get(name)
                        .cloned()
                        .ok_or_else(|| SeedError::UnknownName {
                            kind: "reminder".to_string(),
                            name: name.clone(),
                            workspace: workspace.to_string(),
                            place: place.clone(),
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let shared = shared_with(self, &seed_type.shared_with, &place)?;
            let id = self.new_id(IdKind::MeetingType);
            meeting_type_ids.insert(seed_type.name.clone(), id.clone());
            let meeting_type = MeetingType {
                id: id.clone(),
                workspace_id: workspace_id.to_string(),
                name: seed_type.name.clone(),
                description: seed_type.description.clone(),
                invite_title: seed_type
                    .invite_title
                    .clone()
                    .unwrap_or_else(|| seed_type.name.clone()),
                invite_description: seed_type.invite_description.clone().unwrap_or_default(),
                status: seed_type.status.unwrap_or(MeetingTypeStatus::Active),
                is_active: None,
                duration: seed_type.duration.clone(),
                location: seed_type.location.clone().unwrap_or_else(default_location),
                buffers: seed_type
                    .buffers
                    .clone()
                    .unwrap_or(MeetingBuffers::default()),
                meeting_limit: seed_type.meeting_limit.clone(),
                shared_with: Some(shared),
                reminders: None,
            };
            self.meeting_types.insert(
                id,
                StoredMeetingType {
                    meeting_type,
                    reminder_ids: attached,
                },
            );
        }
        for seed_link in &seed_workspace.scheduling_links {
            let link =
                self.link_from_seed(seed_link, workspace, workspace_id, &meeting_type_ids, ids)?;
            self.links.insert(link.link_id.clone(), link);
        }
        Ok(())
    }

    fn link_from_seed(
        &mut self,
        seed_link: &SeedLink,
        workspace: &str,
        workspace_id: &str,
        meeting_type_ids: &BTreeMap<String, String>,
        ids: &UserIds,
    ) -> Result<StoredLink, SeedError> {
        let place = format!("scheduling link `{}`", seed_link.slug);
        let invalid = |problem: &str| SeedError::InvalidBooking {
            place: place.clone(),
            problem: problem.to_string(),
        };
        if !slug_is_valid(&seed_link.slug) {
            return Err(invalid("the slug must match `[-0-9a-z_]+`"));
        }
        if self.is_personal_workspace(workspace_id) {
            return Err(invalid("links cannot be in a personal workspace"));
        }
        if self
            .links
            .values()
            .any(|l| l.workspace_id == workspace_id && l.slug == seed_link.slug)
        {
            return Err(invalid("the slug is taken in the workspace"));
        }
        if seed_link.meeting_types.is_empty() {
            return Err(invalid("a link offers at least one meeting type"));
        }
        let unknown = |kind: &str, name: &str| SeedError::UnknownName {
            kind: kind.to_string(),
            name: name.to_string(),
            workspace: workspace.to_string(),
            place: place.clone(),
        };
        let meeting_types = seed_link
            .meeting_types
            .iter()
            .map(|name| {
                meeting_type_ids
                    .get(name)
                    .cloned()
                    .ok_or_else(|| unknown("meeting type", name))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let distributions = seed_link
            .distributions
            .iter()
            .map(|name| {
                self.distributions
                    .values()
                    .find(|d| d.workspace_id == workspace_id && d.name.as_deref() == Some(name))
                    .map(|d| d.distribution_id.clone())
                    .ok_or_else(|| unknown("distribution", name))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let users = |emails: &[String]| -> Result<Vec<String>, SeedError> {
            emails
                .iter()
                .map(|email| user_id(ids, email, &place).map(str::to_string))
                .collect()
        };
        let shared_with = match &seed_link.shared_with {
            None => None,
            Some(SeedSharedWith::Workspace) => Some(SharedWith::Workspace),
            Some(SeedSharedWith::Teams { teams }) => Some(SharedWith::Teams {
                team_ids: teams
                    .iter()
                    .map(|name| {
                        self.teams
                            .values()
                            .find(|t| t.workspace_id == workspace_id && t.name == *name)
                            .map(|t| t.id.clone())
                            .ok_or_else(|| unknown("team", name))
                    })
                    .collect::<Result<_, _>>()?,
            }),
        };
        let mut link = StoredLink {
            kind: seed_link.kind,
            workspace_id: workspace_id.to_string(),
            link_id: String::new(),
            name: seed_link.name.clone(),
            slug: seed_link.slug.clone(),
            meeting_type_ids: meeting_types,
            distribution_ids: Vec::new(),
            host_user_id: None,
            required_member_ids: Vec::new(),
            optional_member_ids: Vec::new(),
            ownership: None,
            distribution: None,
            page_config: seed_link.page_config.clone(),
            shared_with,
        };
        match seed_link.kind {
            LinkKind::RoundRobin => {
                if distributions.is_empty() {
                    return Err(invalid("a round-robin link needs `distributions`"));
                }
                link.distribution_ids = distributions;
            }
            LinkKind::Group => {
                let host = seed_link
                    .host
                    .as_ref()
                    .ok_or_else(|| invalid("a group link needs a `host`"))?;
                link.host_user_id = Some(user_id(ids, host, &place)?.to_string());
                link.required_member_ids = users(&seed_link.required)?;
                link.optional_member_ids = users(&seed_link.optional)?;
            }
            LinkKind::AdminOneOnOne => {}
            LinkKind::Ownership => {
                link.ownership = Some(
                    seed_link
                        .ownership
                        .clone()
                        .ok_or_else(|| invalid("an ownership link needs `ownership`"))?,
                );
                if distributions.is_empty() {
                    return Err(invalid("an ownership link needs `distributions`"));
                }
                link.distribution = Some(DistributionInvitationInput {
                    assignments: distributions
                        .into_iter()
                        .map(|distribution_id| DistributionAssignmentInput {
                            distribution_id,
                            required: true,
                        })
                        .collect(),
                    host: seed_link
                        .distribution_host
                        .clone()
                        .unwrap_or_else(|| serde_json::json!({"type": "BookerIfExists"})),
                    booker_invitation: seed_link
                        .booker_invitation
                        .clone()
                        .unwrap_or_else(|| serde_json::json!({"type": "DoNotInvite"})),
                    always_invited_users: None,
                });
            }
        }
        link.link_id = self.new_id(IdKind::Link);
        Ok(link)
    }
}
