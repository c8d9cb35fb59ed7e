//! The typed reads of meeting types, reminders and admin scheduling links. Every object goes
//! through `wire::Tolerant`, so one with a location kind, trigger kind or shape scoville does
//! not know is kept as JSON instead of failing the read.

use serde::de::DeserializeOwned;

use super::super::error::EdgeError;
use super::super::ops::{self, Op};
use super::super::wire;
use super::{EdgeClient, Request};

impl EdgeClient {
    /// `meeting-type-list` (a bare array, not paginated): the meeting types of one workspace,
    /// or with `None` of every workspace. Their `reminders` are null: read them with
    /// `meeting_type_get`.
    pub async fn meeting_type_list(
        &self,
        workspace_id: Option<&str>,
    ) -> Result<Vec<wire::Tolerant<wire::MeetingType>>, EdgeError> {
        let mut request = Request::new(ops::MEETING_TYPE_LIST);
        if let Some(id) = workspace_id {
            request = request
                .query("workspaceId", id)
                .about(format!("workspace `{id}`"));
        }
        self.call_json(request).await
    }

    /// `meeting-type-get`: one meeting type with its `reminders`.
    pub async fn meeting_type_get(
        &self,
        meeting_type_id: &str,
    ) -> Result<wire::Tolerant<wire::MeetingType>, EdgeError> {
        let request = Request::new(ops::MEETING_TYPE_GET)
            .path(std::slice::from_ref(&meeting_type_id))
            .about(format!("meeting type `{meeting_type_id}`"));
        self.call_json(request).await
    }

    /// `meeting-type-reminder-list` (a bare array, not paginated): the reminders of one
    /// workspace, or with `None` of every workspace.
    pub async fn meeting_type_reminder_list(
        &self,
        workspace_id: Option<&str>,
    ) -> Result<Vec<wire::Tolerant<wire::Reminder>>, EdgeError> {
        let mut request = Request::new(ops::MEETING_TYPE_REMINDER_LIST);
        if let Some(id) = workspace_id {
            request = request
                .query("workspaceId", id)
                .about(format!("workspace `{id}`"));
        }
        self.call_json(request).await
    }

    /// `scheduling-link-list-round-robin` for these workspaces, in one request.
    pub async fn scheduling_link_list_round_robin(
        &self,
        workspace_ids: &[String],
    ) -> Result<Vec<wire::Tolerant<wire::RoundRobinLink>>, EdgeError> {
        self.link_list(ops::SCHEDULING_LINK_LIST_ROUND_ROBIN, workspace_ids)
            .await
    }

    /// `scheduling-link-list-group` for these workspaces, in one request. The API does not
    /// return a group link's host and members.
    pub async fn scheduling_link_list_group(
        &self,
        workspace_ids: &[String],
    ) -> Result<Vec<wire::Tolerant<wire::PlainLink>>, EdgeError> {
        self.link_list(ops::SCHEDULING_LINK_LIST_GROUP, workspace_ids)
            .await
    }

    /// `scheduling-link-list-admin-one-on-one` for these workspaces, in one request.
    pub async fn scheduling_link_list_admin_one_on_one(
        &self,
        workspace_ids: &[String],
    ) -> Result<Vec<wire::Tolerant<wire::PlainLink>>, EdgeError> {
        self.link_list(ops::SCHEDULING_LINK_LIST_ADMIN_ONE_ON_ONE, workspace_ids)
            .await
    }

    /// `scheduling-link-list-ownership` for these workspaces, in one request.
    pub async fn scheduling_link_list_ownership(
        &self,
        workspace_ids: &[String],
    ) -> Result<Vec<wire::Tolerant<wire::OwnershipLink>>, EdgeError> {
        self.link_list(ops::SCHEDULING_LINK_LIST_OWNERSHIP, workspace_ids)
            .await
    }

    /// One `scheduling-link-list-*` filtered by workspace (`{links: [...]}`, not paginated).
    /// No workspace means no request: `filterWorkspaceIds` takes at least one id, and an
    /// absent filter would list every workspace's links.
    async fn link_list<T>(
        &self,
        op: Op,
        workspace_ids: &[String],
    ) -> Result<Vec<wire::Tolerant<T>>, EdgeError>
    where
        T: DeserializeOwned + serde::Serialize,
    {
        if workspace_ids.is_empty() {
            return Ok(Vec::new());
        }
        let filter = wire::LinksRequest {
            filter_workspace_ids: Some(workspace_ids.to_vec()),
            ..wire::LinksRequest::default()
        };
        let answer: wire::Links<wire::Tolerant<T>> =
            self.call_json(Request::new(op).json(&filter)).await?;
        Ok(answer.links)
    }
}
