//! What a prospect books, in one workspace: reminders (`reminders`), meeting types and their
//! reminder attachments (`meeting_types`), and scheduling links (`links`), in that order, each
//! only where the live side was read (`LiveWorkspace::meeting_types`, `reminders`, `links` are
//! `Some`). This module holds what they share: the references by name to objects the plan
//! creates or the org has, and the objects the plan deletes, for the links' checks and edges.

use std::collections::{BTreeMap, BTreeSet};

use super::body::Call;
use super::body_booking::{DistributionRef, MeetingTypeRef, ReminderRef};
use super::builder::Planner;
use super::problems::PlanProblem;
use super::types::{Address, StepId};
use super::workspace::WorkspacePlan;
use crate::model::{ObjectKind, OpaqueKind, SharedWith, Source};

/// The plan's booking objects of one workspace, as the later diffs need them.
#[derive(Default)]
pub(super) struct BookingPlan {
    /// Reminders by name: declared ones (live id or create step) and undeclared live ones with
    /// a unique name.
    pub reminders: BTreeMap<String, ReminderRef>,
    /// Live reminder ids the manifests declare.
    pub matched_reminders: BTreeSet<String>,
    /// Declared meeting types by name.
    pub meeting_types: BTreeMap<String, MeetingTypeRef>,
    /// Steps that make a declared meeting type ready to offer (its create, follow-up update
    /// and attachments), by name.
    pub meeting_type_steps: BTreeMap<String, Vec<StepId>>,
    /// Live meeting type ids the manifests declare.
    pub matched_meeting_types: BTreeSet<String>,
    /// Live meeting types the plan deletes: id -> (name, step, why).
    pub deleted_meeting_types: BTreeMap<String, (String, StepId, String)>,
    /// Detach steps, by live reminder id: (the live meeting type's id, the step).
    pub detaches: BTreeMap<String, Vec<(String, StepId)>>,
    /// Live reminder ids whose attachments are known (the meeting types were read).
    pub attachments_known: bool,
}

impl Planner<'_> {
    /// Meeting types, reminders and links of one workspace.
    pub(super) fn plan_booking(&mut self, ws: &mut WorkspacePlan) {
        let mut booking = BookingPlan::default();
        let (desired, live) = (ws.desired, ws.live);
        let unread = [
            (
                ObjectKind::Reminders,
                !desired.reminders.is_empty(),
                live.reminders.is_none(),
            ),
            (
                ObjectKind::MeetingTypes,
                !desired.meeting_types.is_empty(),
                live.meeting_types.is_none(),
            ),
            (
                ObjectKind::SchedulingLinks,
                !desired.links.is_empty(),
                live.links.is_none(),
            ),
        ];
        for (kind, declared, not_read) in unread {
            if declared && not_read {
                self.warn(
                    Some(&Address::Workspace(ws.name.to_string())),
                    format!(
                        "the {} of workspace `{}` were not read, so the plan leaves them as they \
                         are: this is a bug in scoville; please report it",
                        kind.as_str(),
                        ws.name
                    ),
                );
            }
        }
        if let Some(reminders) = &live.reminders {
            self.plan_reminders(ws, &mut booking, reminders);
        }
        if let Some(meeting_types) = &live.meeting_types {
            // A meeting type scoville could not read may have any reminder attached.
            booking.attachments_known = !self
                .live
                .opaque
                .iter()
                .any(|o| o.workspace == ws.name && o.kind == OpaqueKind::MeetingType);
            self.plan_meeting_types(ws, &mut booking, meeting_types);
            self.meeting_type_team_uses(ws, &booking);
        }
        if let Some(reminders) = &live.reminders {
            self.prune_reminders(ws, &booking, reminders);
        }
        if let Some(links) = &live.links {
            self.plan_links(ws, &booking, links);
        }
    }

    /// The teams live meeting types share with, for the team deletes (`link_kinds`): a meeting
    /// type that keeps sharing with a team blocks its delete (`team-still-used`), and one that
    /// stops (its update, or its delete) runs before it.
    fn meeting_type_team_uses(&mut self, ws: &mut WorkspacePlan, booking: &BookingPlan) {
        let team_id = |name: &str| {
            ws.live
                .teams
                .iter()
                .find(|team| team.name == name)
                .map(|team| team.id.clone())
        };
        let mut uses = Vec::new();
        let mut releases = Vec::new();
        for live in ws.live.meeting_types.iter().flatten() {
            let Some(SharedWith::Teams(teams)) = &live.spec.shared_with else {
                continue;
            };
            let teams: Vec<String> = teams.iter().filter_map(|name| team_id(name)).collect();
            if let Some((_, step, _)) = booking.deleted_meeting_types.get(&live.id) {
                releases.extend(teams.into_iter().map(|team| (team, step.clone())));
                continue;
            }
            let declared = booking
                .meeting_types
                .iter()
                .find(|(_, r)| matches!(r, MeetingTypeRef::Id(id) if id == &live.id))
                .map(|(name, _)| name.clone());
            let after: Option<Vec<String>> = declared
                .as_ref()
                .and_then(|name| ws.desired.meeting_types.get(name))
                .and_then(|declared| declared.spec.shared_with.as_ref())
                .map(|shared| match shared {
                    SharedWith::Teams(names) => names.iter().filter_map(|n| team_id(n)).collect(),
                    SharedWith::Workspace => Vec::new(),
                });
            let update = declared.map(|name| {
                StepId::new(
                    "meeting-type-update",
                    &Address::MeetingType(ws.name.to_string(), name),
                )
            });
            for team in teams {
                match (&after, &update) {
                    (Some(after), Some(update))
                        if !after.contains(&team) && self.steps.contains_key(update) =>
                    {
                        releases.push((team, update.clone()));
                    }
                    _ => uses.push((
                        team,
                        format!("meeting type `{}`", live.name),
                        BTreeSet::new(),
                    )),
                }
            }
        }
        ws.unmanaged_uses.extend(uses);
        ws.releases.extend(releases);
    }

    /// The id to send for a meeting type a link offers: a declared one's (live, or created by
    /// the plan), or an undeclared live one's. Reports unknown names and deleted ones.
    pub(super) fn meeting_type_ref(
        &mut self,
        ws: &WorkspacePlan,
        booking: &BookingPlan,
        name: &str,
        used_by: &str,
        source: &Source,
    ) -> Option<MeetingTypeRef> {
        if let Some(found) = booking.meeting_types.get(name) {
            return Some(found.clone());
        }
        self.read(Address::MeetingType(ws.name.to_string(), name.to_string()));
        let live: Vec<_> = ws
            .live
            .meeting_types
            .iter()
            .flatten()
            .filter(|meeting_type| meeting_type.name == name)
            .collect();
        match live.as_slice() {
            // Declared under another name: renamed by the plan, so this name is gone.
            [one] if booking.matched_meeting_types.contains(&one.id) => {
                self.problem(PlanProblem::RenamedReference {
                    workspace: ws.name.to_string(),
                    kind: "meeting type".to_string(),
                    name: name.to_string(),
                    used_by: used_by.to_string(),
                    at: source.clone(),
                });
                None
            }
            [one] if !booking.deleted_meeting_types.contains_key(&one.id) => {
                Some(MeetingTypeRef::Id(one.id.clone()))
            }
            [] if let Some(id) = self.opaque_id(ws, OpaqueKind::MeetingType, name) => {
                Some(MeetingTypeRef::Id(id))
            }
            // A deleted one is refused by `check_links_keep_references`, with every link.
            [_] => None,
            [] => {
                self.problem(PlanProblem::UnknownReference {
                    workspace: ws.name.to_string(),
                    kind: "meeting type".to_string(),
                    name: name.to_string(),
                    used_by: used_by.to_string(),
                    at: source.clone(),
                });
                None
            }
            several => {
                self.problem(PlanProblem::DuplicateName {
                    kind: "meeting type".to_string(),
                    workspace: ws.name.to_string(),
                    name: name.to_string(),
                    ids: several.iter().map(|m| m.id.clone()).collect(),
                    at: source.clone(),
                });
                None
            }
        }
    }

    /// The id to send for a distribution a link uses: the one a `distribution-create` step of
    /// the plan returns, a declared distribution renamed by the plan, or a live one by name.
    pub(super) fn distribution_ref(
        &mut self,
        ws: &WorkspacePlan,
        name: &str,
        used_by: &str,
        source: &Source,
    ) -> Option<DistributionRef> {
        let address = Address::Distribution(ws.name.to_string(), name.to_string());
        self.read(address.clone());
        let create = StepId::new("distribution-create", &address);
        if self.steps.contains_key(&create) {
            return Some(DistributionRef::FromStep {
                id_from_step: create,
                distribution: name.to_string(),
            });
        }
        let update = StepId::new("distribution-update-v3", &address);
        if let Some(draft) = self.steps.get(&update)
            && let Call::DistributionUpdate { params, .. } = &draft.call
        {
            return Some(DistributionRef::Id(params.distribution_id.clone()));
        }
        let live: Vec<_> = ws
            .live
            .distributions
            .iter()
            .filter(|distribution| distribution.name == name)
            .collect();
        match live.as_slice() {
            // Declared under another name: renamed by the plan, so this name is gone.
            [one]
                if ws.matched_distributions.contains(&one.id)
                    && !ws.desired.distributions.contains_key(name) =>
            {
                self.problem(PlanProblem::RenamedReference {
                    workspace: ws.name.to_string(),
                    kind: "distribution".to_string(),
                    name: name.to_string(),
                    used_by: used_by.to_string(),
                    at: source.clone(),
                });
                None
            }
            // A deleted one is refused by `check_links_keep_references`, with every link.
            [one] => Some(DistributionRef::Id(one.id.clone())),
            [] if let Some(id) = self.opaque_id(ws, OpaqueKind::Distribution, name) => {
                Some(DistributionRef::Id(id))
            }
            [] => {
                self.problem(PlanProblem::UnknownReference {
                    workspace: ws.name.to_string(),
                    kind: "distribution".to_string(),
                    name: name.to_string(),
                    used_by: used_by.to_string(),
                    at: source.clone(),
                });
                None
            }
            several => {
                self.problem(PlanProblem::DuplicateName {
                    kind: "distribution".to_string(),
                    workspace: ws.name.to_string(),
                    name: name.to_string(),
                    ids: several.iter().map(|d| d.id.clone()).collect(),
                    at: source.clone(),
                });
                None
            }
        }
    }

    /// The id of the one object of this kind and name that scoville could not read: a link or
    /// meeting type may still name it (its id is all a reference needs).
    pub(super) fn opaque_id(
        &self,
        ws: &WorkspacePlan,
        kind: OpaqueKind,
        name: &str,
    ) -> Option<String> {
        let found: Vec<_> = self
            .live
            .opaque
            .iter()
            .filter(|o| o.workspace == ws.name && o.kind == kind && o.name == name)
            .collect();
        match found.as_slice() {
            [one] => Some(one.id.clone()),
            _ => None,
        }
    }

    /// Live distributions of the workspace the plan deletes: id -> (name, step, why).
    pub(super) fn deleted_distributions(
        &self,
        ws: &WorkspacePlan,
    ) -> BTreeMap<String, (String, StepId, String)> {
        self.steps
            .iter()
            .filter_map(|(id, draft)| match (&draft.call, &draft.target) {
                (Call::DistributionDelete { params }, Address::Distribution(workspace, name))
                    if workspace == ws.name =>
                {
                    Some((
                        params.distribution_id.clone(),
                        (name.clone(), id.clone(), draft.reason.clone()),
                    ))
                }
                _ => None,
            })
            .collect()
    }
}
