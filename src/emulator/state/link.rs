//! Admin scheduling links of the four kinds: list with filters, create, patch updates, delete,
//! with slugs unique per workspace across every kind and no link in a personal workspace.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::edge::wire::{
    AdminLinkCreate, DistributionAssignment, DistributionInvitation, DistributionInvitationInput,
    GroupLinkCreate, LinkMember, LinkUpdate, LinksRequest, OwnershipLink, OwnershipLinkCreate,
    PlainLink, RoundRobinLink, RoundRobinLinkCreate, SharedWith,
};
use crate::model::LinkKind;

use super::super::error::ApiError;
use super::{Actor, IdKind, OrgState};

/// A scheduling link as the emulator keeps it, whatever its kind: what its create and updates
/// gave. Each kind uses its own fields; the others stay empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredLink {
    pub kind: LinkKind,
    pub workspace_id: String,
    pub link_id: String,
    pub name: String,
    pub slug: String,
    pub meeting_type_ids: Vec<String>,
    /// Round-robin: the distributions, the first the round-robin host.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distribution_ids: Vec<String>,
    /// Group: the fixed host and the members (never served: the official
    /// `GroupSchedulingLinkDetail` has neither).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_member_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub optional_member_ids: Vec<String>,
    /// Ownership: `OwnershipInvitation`, kept as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<Value>,
    /// Ownership: the fallback distribution routing, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<DistributionInvitationInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_with: Option<SharedWith>,
}

impl StoredLink {
    /// Every distribution the link routes to: a round-robin link's, an ownership link's
    /// fallback assignments, and a distribution named as an ownership host.
    pub fn distributions(&self) -> Vec<String> {
        let mut ids = self.distribution_ids.clone();
        if let Some(distribution) = &self.distribution {
            ids.extend(
                distribution
                    .assignments
                    .iter()
                    .map(|a| a.distribution_id.clone()),
            );
            ids.extend(host_distribution(&distribution.host));
        }
        if let Some(ownership) = &self.ownership {
            ids.extend(ownership.get("host").and_then(host_distribution));
        }
        ids
    }
}

/// The `distributionId` of an `AssigneeFromDistribution` host.
fn host_distribution(host: &Value) -> Option<String> {
    (host.get("type")?.as_str()? == "AssigneeFromDistribution")
        .then(|| host.get("distributionId")?.as_str().map(str::to_string))
        .flatten()
}

/// A create body of any kind with the optional `sharedWith` the wire types leave out.
#[derive(Debug, Clone, Deserialize)]
pub struct WithSharing<T> {
    #[serde(flatten)]
    pub body: T,
    #[serde(default, rename = "sharedWith")]
    pub shared_with: Option<SharedWith>,
}

/// The patch of every `scheduling-link-update-*` with the fields scoville never sends.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkPatch {
    #[serde(flatten)]
    pub base: LinkUpdate,
    #[serde(default)]
    pub shared_with: Option<SharedWith>,
    #[serde(default)]
    pub ownership: Option<Value>,
    #[serde(default)]
    pub page_config: Option<Value>,
}

/// The create of one kind, as the routes decode it.
#[derive(Debug, Clone)]
pub enum LinkCreate {
    RoundRobin(WithSharing<RoundRobinLinkCreate>),
    Group(WithSharing<GroupLinkCreate>),
    AdminOneOnOne(WithSharing<AdminLinkCreate>),
    Ownership(Box<OwnershipLinkCreate>),
}

/// `[-0-9a-z_]+`, the official slug pattern.
pub fn slug_is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn non_empty(list: &[String]) -> Result<(), ApiError> {
    if list.is_empty() {
        Err(ApiError::InvalidBody)
    } else {
        Ok(())
    }
}

impl OrgState {
    /// `https://<tenant subdomain>.chilipiper.com/book/<slug>`: the form of a booking URL is
    /// scoville's assumption (the extracts give only `https://example.com`).
    pub fn booking_url(&self, slug: &str) -> String {
        format!(
            "https://{}.chilipiper.com/book/{slug}",
            self.tenant.tenant_data().subdomain
        )
    }

    /// Whether a workspace is some user's personal workspace.
    pub fn is_personal_workspace(&self, workspace_id: &str) -> bool {
        self.users
            .values()
            .any(|u| u.personal_workspace_id.as_deref() == Some(workspace_id))
    }

    /// A distribution's team members as `SchedulingLinkMemberDetail`s.
    fn distribution_members(&self, distribution_id: &str) -> Vec<LinkMember> {
        let Some(config) = self.distributions.get(distribution_id) else {
            return Vec::new();
        };
        self.teams
            .get(&config.team_ref.id)
            .map(|team| {
                team.members
                    .iter()
                    .filter_map(|id| self.users.get(id))
                    .map(|user| LinkMember {
                        id: user.id.clone(),
                        email: Some(user.email.clone()),
                        name: Some(user.name.clone()),
                        slug: user.slug.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn assignment(&self, distribution_id: &str, required: bool) -> DistributionAssignment {
        DistributionAssignment {
            distribution_id: distribution_id.to_string(),
            required,
            members: Some(self.distribution_members(distribution_id)),
        }
    }

    /// The link as its kind's detail shape serves it.
    pub fn link_view(&self, link: &StoredLink) -> Value {
        let booking_url = self.booking_url(&link.slug);
        let plain = || PlainLink {
            workspace_id: link.workspace_id.clone(),
            link_id: link.link_id.clone(),
            name: link.name.clone(),
            slug: link.slug.clone(),
            meeting_type_ids: link.meeting_type_ids.clone(),
            booking_url: booking_url.clone(),
        };
        let json = match link.kind {
            LinkKind::RoundRobin => serde_json::to_value(RoundRobinLink {
                workspace_id: link.workspace_id.clone(),
                link_id: link.link_id.clone(),
                name: link.name.clone(),
                slug: link.slug.clone(),
                meeting_type_ids: link.meeting_type_ids.clone(),
                // The write form has no attendance: every distribution's assignees are required.
                assignments: link
                    .distribution_ids
                    .iter()
                    .map(|id| self.assignment(id, true))
                    .collect(),
                booking_url,
            }),
            LinkKind::Group | LinkKind::AdminOneOnOne => serde_json::to_value(plain()),
            LinkKind::Ownership => {
                let input = link
                    .distribution
                    .clone()
                    .unwrap_or(DistributionInvitationInput {
                        assignments: Vec::new(),
                        host: serde_json::json!({"type": "BookerIfExists"}),
                        booker_invitation: serde_json::json!({"type": "DoNotInvite"}),
                        always_invited_users: None,
                    });
                serde_json::to_value(OwnershipLink {
                    workspace_id: link.workspace_id.clone(),
                    link_id: link.link_id.clone(),
                    name: link.name.clone(),
                    slug: link.slug.clone(),
                    meeting_type_ids: link.meeting_type_ids.clone(),
                    ownership: link.ownership.clone().unwrap_or(Value::Null),
                    distribution: DistributionInvitation {
                        assignments: input
                            .assignments
                            .iter()
                            .map(|a| self.assignment(&a.distribution_id, a.required))
                            .collect(),
                        host: input.host,
                        booker_invitation: input.booker_invitation,
                        always_invited_users: input.always_invited_users,
                    },
                    page_config: link
                        .page_config
                        .clone()
                        .unwrap_or_else(|| serde_json::json!({})),
                    shared_with: link.shared_with.clone().unwrap_or(SharedWith::Workspace),
                    booking_url,
                })
            }
        };
        json.unwrap_or(Value::Null)
    }

    /// `scheduling-link-list-<kind>`: the links of the kind that pass every filter given
    /// (`filterDistributionIds` applies to round-robin and ownership links, the kinds whose
    /// request has it). Empty filter lists are `400` (`minItems: 1`).
    pub fn list_links(
        &self,
        kind: LinkKind,
        request: &LinksRequest,
    ) -> Result<Vec<&StoredLink>, ApiError> {
        let filters = [
            &request.filter_workspace_ids,
            &request.filter_link_slugs,
            &request.filter_meeting_type_id,
            &request.filter_distribution_ids,
        ];
        if filters
            .iter()
            .any(|f| f.as_ref().is_some_and(Vec::is_empty))
        {
            return Err(ApiError::InvalidBody);
        }
        let by_distribution = matches!(kind, LinkKind::RoundRobin | LinkKind::Ownership);
        Ok(self
            .links
            .values()
            .filter(|link| link.kind == kind)
            .filter(|link| {
                request
                    .filter_workspace_ids
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&link.workspace_id))
                    && request
                        .filter_link_slugs
                        .as_ref()
                        .is_none_or(|slugs| slugs.contains(&link.slug))
                    && request
                        .filter_meeting_type_id
                        .as_ref()
                        .is_none_or(|ids| link.meeting_type_ids.iter().any(|m| ids.contains(m)))
                    && (!by_distribution
                        || request
                            .filter_distribution_ids
                            .as_ref()
                            .is_none_or(|ids| link.distributions().iter().any(|d| ids.contains(d))))
            })
            .collect())
    }

    fn stored_link(&self, kind: LinkKind, link_id: &str) -> Result<&StoredLink, ApiError> {
        self.links
            .get(link_id)
            .filter(|link| link.kind == kind)
            .ok_or_else(|| ApiError::link_not_found(link_id))
    }

    /// The checks every create and update makes on what a link names: a valid slug not taken
    /// in the workspace by another link, a name, at least one meeting type, every meeting type
    /// and distribution existing in the same workspace, every user existing and a member of it.
    #[allow(clippy::too_many_arguments)]
    fn check_link(
        &self,
        workspace_id: &str,
        link_id: Option<&str>,
        name: &str,
        slug: &str,
        meeting_type_ids: &[String],
        distribution_ids: &[String],
        user_ids: &[&String],
        shared_with: Option<&SharedWith>,
    ) -> Result<(), ApiError> {
        if !slug_is_valid(slug) {
            return Err(ApiError::InvalidBody);
        }
        non_empty(meeting_type_ids)?;
        self.workspace(workspace_id)?;
        if name.trim().is_empty() {
            return Err(ApiError::name_required("scheduling link"));
        }
        for id in meeting_type_ids {
            let stored = self.stored_meeting_type(id)?;
            if stored.meeting_type.workspace_id != workspace_id {
                return Err(ApiError::not_in_workspace(
                    "MeetingTypeNotInWorkspace",
                    "meeting type",
                    id,
                    workspace_id,
                ));
            }
        }
        for id in distribution_ids {
            let config = self
                .distributions
                .get(id)
                .ok_or_else(|| ApiError::not_found("distribution", "distributionId", id))?;
            if config.workspace_id != workspace_id {
                return Err(ApiError::not_in_workspace(
                    "DistributionNotInWorkspace",
                    "distribution",
                    id,
                    workspace_id,
                ));
            }
        }
        for id in user_ids {
            self.user_exists(id)?;
            if !self.is_workspace_member(id, workspace_id) {
                return Err(ApiError::user_not_in_workspace(id, workspace_id));
            }
        }
        if let Some(shared_with) = shared_with {
            self.check_shared_with(shared_with, workspace_id)?;
        }
        if self.links.values().any(|other| {
            other.workspace_id == workspace_id
                && other.slug == slug
                && Some(other.link_id.as_str()) != link_id
        }) {
            return Err(ApiError::slug_taken(slug, workspace_id));
        }
        Ok(())
    }

    fn check_stored_link(&self, link: &StoredLink) -> Result<(), ApiError> {
        let users: Vec<&String> = link
            .host_user_id
            .iter()
            .chain(&link.required_member_ids)
            .chain(&link.optional_member_ids)
            .collect();
        if link.kind == LinkKind::RoundRobin {
            non_empty(&link.distribution_ids)?;
        }
        if let Some(distribution) = &link.distribution
            && distribution.assignments.is_empty()
        {
            return Err(ApiError::InvalidBody);
        }
        self.check_link(
            &link.workspace_id,
            Some(&link.link_id),
            &link.name,
            &link.slug,
            &link.meeting_type_ids,
            &link.distributions(),
            &users,
            link.shared_with.as_ref(),
        )
    }

    /// `scheduling-link-create-<kind>`: not in a personal workspace (422
    /// `PersonalWorkspaceNotAllowed`, scoville's assumption of the code).
    pub fn create_link(&mut self, actor: &Actor, create: LinkCreate) -> Result<Value, ApiError> {
        let empty =
            |kind, workspace_id: String, name: String, slug: String, meeting_type_ids| StoredLink {
                kind,
                workspace_id,
                link_id: String::new(),
                name,
                slug,
                meeting_type_ids,
                distribution_ids: Vec::new(),
                host_user_id: None,
                required_member_ids: Vec::new(),
                optional_member_ids: Vec::new(),
                ownership: None,
                distribution: None,
                page_config: None,
                shared_with: None,
            };
        let mut link = match create {
            LinkCreate::RoundRobin(WithSharing { body, shared_with }) => StoredLink {
                distribution_ids: body.distribution_ids,
                shared_with,
                ..empty(
                    LinkKind::RoundRobin,
                    body.workspace_id,
                    body.name,
                    body.slug,
                    body.meeting_type_ids,
                )
            },
            LinkCreate::Group(WithSharing { body, shared_with }) => StoredLink {
                host_user_id: Some(body.host_user_id),
                required_member_ids: body.required_member_ids.unwrap_or_default(),
                optional_member_ids: body.optional_member_ids.unwrap_or_default(),
                shared_with,
                ..empty(
                    LinkKind::Group,
                    body.workspace_id,
                    body.name,
                    body.slug,
                    body.meeting_type_ids,
                )
            },
            LinkCreate::AdminOneOnOne(WithSharing { body, shared_with }) => StoredLink {
                shared_with,
                ..empty(
                    LinkKind::AdminOneOnOne,
                    body.workspace_id,
                    body.name,
                    body.slug,
                    body.meeting_type_ids,
                )
            },
            LinkCreate::Ownership(body) => StoredLink {
                ownership: Some(body.ownership),
                distribution: Some(body.distribution),
                page_config: body.page_config,
                shared_with: body.shared_with,
                ..empty(
                    LinkKind::Ownership,
                    body.workspace_id,
                    body.name,
                    body.slug,
                    body.meeting_type_ids,
                )
            },
        };
        // Shape first (400), then the workspace (404, 422), then what the link names.
        if !slug_is_valid(&link.slug) {
            return Err(ApiError::InvalidBody);
        }
        self.workspace(&link.workspace_id)?;
        if self.is_personal_workspace(&link.workspace_id) {
            return Err(ApiError::personal_workspace(&link.workspace_id));
        }
        self.check_stored_link(&link)?;
        self.stamp(actor);
        link.link_id = self.new_id(IdKind::Link);
        let view = self.link_view(&link);
        self.links.insert(link.link_id.clone(), link);
        Ok(view)
    }

    /// `scheduling-link-update-<kind>`: a patch. A group link's `requiredMemberIds` or
    /// `optionalMemberIds` replace the whole member set (the one not given becomes empty, as
    /// the official description "supplying members replaces the full member set" reads).
    pub fn update_link(
        &mut self,
        actor: &Actor,
        kind: LinkKind,
        link_id: &str,
        patch: LinkPatch,
    ) -> Result<Value, ApiError> {
        let mut link = self.stored_link(kind, link_id)?.clone();
        let base = patch.base;
        if let Some(name) = base.name {
            link.name = name;
        }
        if let Some(slug) = base.slug {
            link.slug = slug;
        }
        if let Some(ids) = base.meeting_type_ids {
            non_empty(&ids)?;
            link.meeting_type_ids = ids;
        }
        if let Some(shared_with) = patch.shared_with {
            link.shared_with = Some(shared_with);
        }
        match kind {
            LinkKind::RoundRobin => {
                if let Some(ids) = base.distribution_ids {
                    link.distribution_ids = ids;
                }
            }
            LinkKind::Group => {
                if let Some(host) = base.host_user_id {
                    link.host_user_id = Some(host);
                }
                if base.required_member_ids.is_some() || base.optional_member_ids.is_some() {
                    link.required_member_ids = base.required_member_ids.unwrap_or_default();
                    link.optional_member_ids = base.optional_member_ids.unwrap_or_default();
                }
            }
            LinkKind::AdminOneOnOne => {}
            LinkKind::Ownership => {
                if let Some(ownership) = patch.ownership {
                    link.ownership = Some(ownership);
                }
                if let Some(distribution) = base.distribution {
                    link.distribution = Some(distribution);
                }
                if let Some(page_config) = patch.page_config {
                    link.page_config = Some(page_config);
                }
            }
        }
        self.check_stored_link(&link)?;
        self.stamp(actor);
        let view = self.link_view(&link);
        self.links.insert(link_id.to_string(), link);
        Ok(view)
    }

    /// `scheduling-link-delete-<kind>`.
    pub fn delete_link(
        &mut self,
        actor: &Actor,
        kind: LinkKind,
        link_id: &str,
    ) -> Result<(), ApiError> {
        self.stored_link(kind, link_id)?;
        self.stamp(actor);
        self.links.remove(link_id);
        Ok(())
    }

    /// The first link that routes to a distribution (a distribution delete is refused while
    /// one does: 409 `DistributionInUse`, scoville's assumption of the API's rule).
    pub fn link_using_distribution(&self, distribution_id: &str) -> Option<&StoredLink> {
        self.links
            .values()
            .find(|link| link.distributions().iter().any(|d| d == distribution_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_official_pattern() {
        for good in ["demo", "book-a-demo", "emea_2", "0"] {
            assert!(slug_is_valid(good), "{good}");
        }
        for bad in ["", "Demo", "book a demo", "démo", "a/b", "a.b"] {
            assert!(!slug_is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn an_ownership_host_from_a_distribution_counts_as_used() {
        let host = serde_json::json!({"type": "AssigneeFromDistribution", "distributionId": "d-1"});
        assert_eq!(host_distribution(&host).as_deref(), Some("d-1"));
        assert_eq!(
            host_distribution(&serde_json::json!({"type": "BookerIfExists"})),
            None
        );
    }
}
