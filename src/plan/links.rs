//! Admin scheduling links of one workspace, by slug: create per kind (never ownership links,
//! whose routing the manifests do not describe), update (a patch of the changed fields),
//! a slug change via `previously` (destructive: every published booking URL breaks; refused
//! unless destructive changes are allowed), delete when pruned. Then the checks and edges
//! that tie links to what they name: a distribution or meeting type the plan deletes must not
//! stay on a link, and a link drops it before it goes.

use std::collections::{BTreeMap, BTreeSet};

use super::body::{Call, UserRef};
use super::body_booking::{
    AdminLinkBody, DistributionRef, GroupLinkBody, LinkIdParams, LinkUpdateBody, MeetingTypeRef,
    OwnershipAssignmentBody, OwnershipDistributionBody, RoundRobinLinkBody, link_delete,
    link_update,
};
use super::booking::BookingPlan;
use super::builder::{Draft, Planner, at};
use super::problems::PlanProblem;
use super::shares::share_of;
use super::types::{Action, Address, BookingShare, Detail, LinkDetail, StepId};
use super::workspace::{Match, WorkspacePlan, former_names};
use crate::model::{
    DesiredLink, Email, LinkKind, LinkSpec, LinkTarget, LiveLink, ObjectKind, OpaqueKind,
};

/// What a group-link step cannot promise.
const GROUP_NOTE: &str = "a group link's host and members are sent with every create and update \
     of it, but no read of the API returns them, so scoville cannot verify them afterwards";

/// A link after the plan, for the checks against deleted distributions and meeting types.
struct KeptLink {
    /// Why it keeps what it names: declared in the manifests, or left alone.
    why: String,
    distributions: Vec<String>,
    meeting_types: Vec<String>,
}

impl Planner<'_> {
    pub(super) fn plan_links(
        &mut self,
        ws: &WorkspacePlan,
        booking: &BookingPlan,
        live: &[LiveLink],
    ) {
        let desired = ws.desired;
        if ws.live.personal
            && let Some(first) = desired.links.values().next()
        {
            self.problem(PlanProblem::LinkInPersonalWorkspace {
                workspace: ws.name.to_string(),
                at: first.source.clone(),
            });
            return;
        }
        let deleted_distributions = self.deleted_distributions(ws);
        let mut matched: BTreeSet<String> = BTreeSet::new();
        let mut kept: Vec<KeptLink> = Vec::new();
        // Link steps, by live link id, for the edges before deletes.
        let mut link_steps: BTreeMap<String, StepId> = BTreeMap::new();
        for (slug, link) in &desired.links {
            // One scoville could not read is refused by `plan_opaque`, never created again.
            if ws
                .opaque
                .contains(&(OpaqueKind::SchedulingLink, slug.clone()))
            {
                continue;
            }
            let address = Address::Link(ws.name.to_string(), slug.clone());
            self.read(address.clone());
            for previous in &link.previously {
                self.read(Address::Link(ws.name.to_string(), previous.clone()));
            }
            // As every kind: two live links answering one slug (which the API should never
            // give) are refused, not one of them picked.
            let found = match self.match_by_name(
                live,
                |l: &LiveLink| (l.slug.as_str(), l.id.as_str()),
                "scheduling link",
                ws.name,
                slug,
                &former_names(&link.previously, |n| desired.links.contains_key(n)),
                &link.source,
                &matched,
            ) {
                Match::Problem => continue,
                Match::New => None,
                Match::Existing(found) | Match::Renamed(found) => Some(found),
            };
            kept.push(KeptLink {
                why: format!("`{slug}` (declared at {})", at(&link.source)),
                distributions: link
                    .spec
                    .target
                    .distributions()
                    .iter()
                    .map(|d| d.to_string())
                    .collect(),
                meeting_types: link.spec.meeting_types.clone(),
            });
            if let Some(found) = found {
                matched.insert(found.id.clone());
                self.count_managed(ObjectKind::SchedulingLinks, 1);
                if let Some(step) =
                    self.update_link(ws, booking, &deleted_distributions, link, found)
                {
                    link_steps.insert(found.id.clone(), step);
                }
            } else {
                self.create_link(ws, booking, &deleted_distributions, link);
            }
        }

        let prune = self.prune_reason(ws.name, ObjectKind::SchedulingLinks);
        for found in live {
            if matched.contains(&found.id) {
                continue;
            }
            let address = Address::Link(ws.name.to_string(), found.slug.clone());
            let ignored = self.ignored(&[&address]).is_some();
            let kind = found.spec.target.kind();
            match &prune {
                Some(reason) if !ignored => {
                    self.read(address.clone());
                    self.count_managed(ObjectKind::SchedulingLinks, 1);
                    self.count_removal(ObjectKind::SchedulingLinks, address.to_string());
                    let step = self.add_step(
                        Draft {
                            call: link_delete(
                                kind,
                                LinkIdParams {
                                    link_id: found.id.clone(),
                                },
                            ),
                            target: address,
                            action: Action::Delete,
                            destructive: true,
                            reason: reason.clone(),
                            depends_on: BTreeSet::new(),
                            detail: Detail::Link(Box::new(LinkDetail {
                                slug: found.slug.clone(),
                                link_kind: kind,
                                previously: None,
                                before: Some(found.spec.clone()),
                                after: None,
                                changed: Vec::new(),
                                booking_url: Some(found.booking_url.clone()),
                                new_booking_url: None,
                                bookings: bookings(Some(&found.spec), None),
                                notes: Vec::new(),
                            })),
                        },
                        None,
                    );
                    link_steps.insert(found.id.clone(), step);
                }
                _ => {
                    kept.push(KeptLink {
                        why: format!("`{}` (not in the manifests, left alone)", found.slug),
                        distributions: found
                            .spec
                            .target
                            .distributions()
                            .iter()
                            .map(|d| d.to_string())
                            .collect(),
                        meeting_types: found.spec.meeting_types.clone(),
                    });
                    self.list_unmanaged(
                        &address,
                        "scheduling link",
                        format!(
                            "{} link `{}`, {}",
                            kind.as_str(),
                            found.spec.name,
                            found.booking_url
                        ),
                    );
                }
            }
        }
        self.check_links_keep_references(
            ws,
            booking,
            &deleted_distributions,
            live,
            &kept,
            &link_steps,
        );
    }

    fn create_link(
        &mut self,
        ws: &WorkspacePlan,
        booking: &BookingPlan,
        deleted: &BTreeMap<String, (String, StepId, String)>,
        link: &DesiredLink,
    ) {
        let (slug, spec, source) = (&link.slug, &link.spec, &link.source);
        let kind = spec.target.kind();
        if kind == LinkKind::Ownership {
            self.problem(PlanProblem::OwnershipLinkCreate {
                workspace: ws.name.to_string(),
                slug: slug.clone(),
                at: source.clone(),
            });
            return;
        }
        let used_by = format!("scheduling link `{slug}`");
        let Some(meeting_types) = self.meeting_type_refs(ws, booking, spec, &used_by, source)
        else {
            return;
        };
        let workspace_id = ws.live.id.clone();
        let mut notes = Vec::new();
        let call = match &spec.target {
            LinkTarget::RoundRobin { distributions } => {
                let Some(distribution_ids) =
                    self.distribution_refs(ws, deleted, distributions, &used_by, source)
                else {
                    return;
                };
                Call::LinkCreateRoundRobin {
                    body: RoundRobinLinkBody {
                        workspace_id,
                        name: spec.name.clone(),
                        slug: slug.clone(),
                        meeting_type_ids: meeting_types,
                        distribution_ids,
                    },
                }
            }
            LinkTarget::Group {
                host,
                required,
                optional,
            } => {
                notes.push(GROUP_NOTE.to_string());
                let Some((host, required, optional)) =
                    self.group_members(host.as_ref(), required, optional, slug, source)
                else {
                    return;
                };
                Call::LinkCreateGroup {
                    body: GroupLinkBody {
                        workspace_id,
                        name: spec.name.clone(),
                        slug: slug.clone(),
                        meeting_type_ids: meeting_types,
                        host_user_id: host,
                        required_member_ids: required,
                        optional_member_ids: optional,
                    },
                }
            }
            LinkTarget::AdminOneOnOne | LinkTarget::Ownership { .. } => {
                Call::LinkCreateAdminOneOnOne {
                    body: AdminLinkBody {
                        workspace_id,
                        name: spec.name.clone(),
                        slug: slug.clone(),
                        meeting_type_ids: meeting_types,
                    },
                }
            }
        };
        let step = self.add_step(
            Draft {
                call,
                target: Address::Link(ws.name.to_string(), slug.clone()),
                action: Action::Create,
                destructive: false,
                reason: at(source),
                depends_on: BTreeSet::new(),
                detail: Detail::Link(Box::new(LinkDetail {
                    slug: slug.clone(),
                    link_kind: kind,
                    previously: None,
                    before: None,
                    after: Some(spec.clone()),
                    changed: Vec::new(),
                    booking_url: None,
                    new_booking_url: None,
                    bookings: bookings(None, Some(spec)),
                    notes,
                })),
            },
            None,
        );
        self.after_meeting_types_ready(booking, &spec.meeting_types, &step);
    }

    /// The update of a matched link, if anything changes; its step.
    fn update_link(
        &mut self,
        ws: &WorkspacePlan,
        booking: &BookingPlan,
        deleted: &BTreeMap<String, (String, StepId, String)>,
        link: &DesiredLink,
        live: &LiveLink,
    ) -> Option<StepId> {
        let (slug, spec, source) = (&link.slug, &link.spec, &link.source);
        let kind = spec.target.kind();
        let live_kind = live.spec.target.kind();
        if kind != live_kind {
            self.problem(PlanProblem::LinkKindChange {
                workspace: ws.name.to_string(),
                slug: slug.clone(),
                from: live_kind.as_str().to_string(),
                to: kind.as_str().to_string(),
                at: source.clone(),
            });
            return None;
        }
        let used_by = format!("scheduling link `{slug}`");
        let mut patch = LinkUpdateBody::default();
        let mut changed = Vec::new();
        if spec.name != live.spec.name {
            patch.name = Some(spec.name.clone());
            changed.push("name".to_string());
        }
        let slug_change = live.slug != *slug;
        let mut new_booking_url = None;
        if slug_change {
            patch.slug = Some(slug.clone());
            changed.push("slug".to_string());
            let new_url = derived_url(&live.booking_url, slug);
            // Not counted by the thresholds: a slug change is refused unless destructive
            // changes are allowed, which lifts the thresholds too (one refusal, not two).
            let allowed = self.options.allow_destructive || self.options.policy.allow_destructive;
            if !allowed {
                self.problem(PlanProblem::SlugChange {
                    workspace: ws.name.to_string(),
                    from: live.slug.clone(),
                    to: slug.clone(),
                    old_url: live.booking_url.clone(),
                    new_url: new_url.clone(),
                    at: source.clone(),
                });
            }
            new_booking_url = Some(new_url);
        }
        // Every reference is resolved, so a deleted or unknown one is reported even when the
        // link would not change.
        let meeting_types = self.meeting_type_refs(ws, booking, spec, &used_by, source)?;
        // Compared by id: a meeting type the plan renames is still the one the link offers.
        let unchanged = same_by_id(
            meeting_types.iter().map(MeetingTypeRef::id),
            &live.spec.meeting_types,
            ws.live
                .meeting_types
                .iter()
                .flatten()
                .map(|m| (&m.name, &m.id)),
        )
        .unwrap_or(spec.meeting_types == live.spec.meeting_types);
        if !unchanged {
            patch.meeting_type_ids = Some(meeting_types);
            changed.push("meetingTypeIds".to_string());
        }
        let mut notes = Vec::new();
        match (&spec.target, &live.spec.target) {
            (
                LinkTarget::RoundRobin { distributions },
                LinkTarget::RoundRobin { distributions: now },
            ) => {
                let ids = self.distribution_refs(ws, deleted, distributions, &used_by, source)?;
                // Compared by id: a distribution the plan renames is still the one it uses.
                let unchanged = same_by_id(
                    ids.iter().map(DistributionRef::id),
                    now,
                    ws.live.distributions.iter().map(|d| (&d.name, &d.id)),
                )
                .unwrap_or(distributions == now);
                if !unchanged {
                    patch.distribution_ids = Some(ids);
                    changed.push("distributionIds".to_string());
                }
            }
            (
                LinkTarget::Ownership { distributions },
                LinkTarget::Ownership { distributions: now },
            ) => {
                let names: Vec<String> = distributions.iter().map(|(d, _)| d.clone()).collect();
                let ids = self.distribution_refs(ws, deleted, &names, &used_by, source)?;
                // Compared by id and attendance, as for round-robin links.
                let live_names: Vec<String> = now.iter().map(|(d, _)| d.clone()).collect();
                let required = |list: &[(String, bool)]| -> Vec<bool> {
                    list.iter().map(|(_, required)| *required).collect()
                };
                let unchanged = same_by_id(
                    ids.iter().map(DistributionRef::id),
                    &live_names,
                    ws.live.distributions.iter().map(|d| (&d.name, &d.id)),
                )
                .map(|same| same && required(distributions) == required(now))
                .unwrap_or(distributions == now);
                if !unchanged {
                    // An update replaces the whole fallback: its host, booker invitation and
                    // always-invited users go back as they are live.
                    let Some(routing) = &live.fallback_routing else {
                        self.problem(PlanProblem::OwnershipRoutingChange {
                            workspace: ws.name.to_string(),
                            slug: slug.clone(),
                            at: source.clone(),
                        });
                        return None;
                    };
                    patch.distribution = Some(OwnershipDistributionBody {
                        assignments: ids
                            .into_iter()
                            .zip(distributions)
                            .map(|(distribution_id, (_, required))| OwnershipAssignmentBody {
                                distribution_id,
                                required: *required,
                            })
                            .collect(),
                        host: routing.host.clone(),
                        booker_invitation: routing.booker_invitation.clone(),
                        always_invited_users: routing.always_invited_users.clone(),
                    });
                    changed.push("distribution".to_string());
                }
            }
            (
                LinkTarget::Group {
                    host,
                    required,
                    optional,
                },
                _,
            ) => {
                notes.push(GROUP_NOTE.to_string());
                if !changed.is_empty() {
                    let (host, required, optional) =
                        self.group_members(host.as_ref(), required, optional, slug, source)?;
                    patch.host_user_id = Some(host);
                    patch.required_member_ids = Some(required);
                    patch.optional_member_ids = Some(optional);
                    changed.push("host and members (not readable: sent as declared)".to_string());
                }
            }
            _ => {}
        }
        if changed.is_empty() {
            return None;
        }
        let step = self.add_step(
            Draft {
                call: link_update(
                    kind,
                    LinkIdParams {
                        link_id: live.id.clone(),
                    },
                    patch,
                ),
                target: Address::Link(ws.name.to_string(), slug.clone()),
                action: if slug_change {
                    Action::Rename
                } else {
                    Action::Update
                },
                destructive: slug_change,
                reason: at(source),
                depends_on: BTreeSet::new(),
                detail: Detail::Link(Box::new(LinkDetail {
                    slug: slug.clone(),
                    link_kind: kind,
                    previously: slug_change.then(|| live.slug.clone()),
                    before: Some(live.spec.clone()),
                    after: Some(spec.clone()),
                    changed,
                    booking_url: Some(live.booking_url.clone()),
                    new_booking_url,
                    bookings: bookings(Some(&live.spec), Some(spec)),
                    notes,
                })),
            },
            None,
        );
        self.after_meeting_types_ready(booking, &spec.meeting_types, &step);
        Some(step)
    }

    fn meeting_type_refs(
        &mut self,
        ws: &WorkspacePlan,
        booking: &BookingPlan,
        spec: &LinkSpec,
        used_by: &str,
        source: &crate::model::Source,
    ) -> Option<Vec<MeetingTypeRef>> {
        let refs: Vec<Option<MeetingTypeRef>> = spec
            .meeting_types
            .iter()
            .map(|name| self.meeting_type_ref(ws, booking, name, used_by, source))
            .collect();
        refs.into_iter().collect()
    }

    fn distribution_refs(
        &mut self,
        ws: &WorkspacePlan,
        deleted: &BTreeMap<String, (String, StepId, String)>,
        names: &[String],
        used_by: &str,
        source: &crate::model::Source,
    ) -> Option<Vec<DistributionRef>> {
        let refs: Vec<Option<DistributionRef>> = names
            .iter()
            .map(|name| self.distribution_ref(ws, name, used_by, source))
            .collect();
        let refs: Vec<DistributionRef> = refs.into_iter().collect::<Option<_>>()?;
        // One the plan deletes is refused by `check_links_keep_references`, with every link.
        let deletes_one = refs
            .iter()
            .any(|r| matches!(r, DistributionRef::Id(id) if deleted.contains_key(id)));
        (!deletes_one).then_some(refs)
    }

    /// The host and members of a group link as user references.
    fn group_members(
        &mut self,
        host: Option<&Email>,
        required: &BTreeSet<Email>,
        optional: &BTreeSet<Email>,
        slug: &str,
        source: &crate::model::Source,
    ) -> Option<(UserRef, Vec<UserRef>, Vec<UserRef>)> {
        let Some(host) = host else {
            self.problem(PlanProblem::GroupLinkWithoutHost {
                slug: slug.to_string(),
                at: source.clone(),
            });
            return None;
        };
        let host = self.user_ref(host, source);
        let list = |emails: &BTreeSet<Email>, planner: &mut Self| -> Option<Vec<UserRef>> {
            let refs: Vec<Option<UserRef>> = emails
                .iter()
                .map(|email| planner.user_ref(email, source))
                .collect();
            refs.into_iter().collect()
        };
        let required = list(required, self);
        let optional = list(optional, self);
        Some((host?, required?, optional?))
    }

    /// A link that offers a meeting type the plan creates waits for its reminders too.
    fn after_meeting_types_ready(
        &mut self,
        booking: &BookingPlan,
        names: &[String],
        step: &StepId,
    ) {
        for name in names {
            for ready in booking.meeting_type_steps.get(name).into_iter().flatten() {
                self.add_edge(ready, step);
            }
        }
    }

    /// A distribution or meeting type the plan deletes must be on no link after the plan
    /// (refused, naming the links and what to do); a link that drops it or is deleted does so
    /// before it goes.
    fn check_links_keep_references(
        &mut self,
        ws: &WorkspacePlan,
        booking: &BookingPlan,
        deleted_distributions: &BTreeMap<String, (String, StepId, String)>,
        live: &[LiveLink],
        kept: &[KeptLink],
        link_steps: &BTreeMap<String, StepId>,
    ) {
        let checks = [
            ("distribution", deleted_distributions, true),
            ("meeting type", &booking.deleted_meeting_types, false),
        ];
        for (kind, deleted, is_distribution) in checks {
            for (name, delete_step, why) in deleted.values() {
                let users: Vec<String> = kept
                    .iter()
                    .filter(|link| {
                        let named = if is_distribution {
                            &link.distributions
                        } else {
                            &link.meeting_types
                        };
                        named.contains(name)
                    })
                    .map(|link| link.why.clone())
                    .collect();
                if !users.is_empty() {
                    self.problem(PlanProblem::StillUsedByLinks {
                        workspace: ws.name.to_string(),
                        kind: kind.to_string(),
                        name: name.clone(),
                        links: users,
                        why: why.clone(),
                        at: None,
                    });
                }
                // Links that name it live and change (drop it) or go: first.
                for found in live {
                    let named = if is_distribution {
                        found.spec.target.distributions().contains(&name.as_str())
                    } else {
                        found.spec.meeting_types.contains(name)
                    };
                    if named && let Some(step) = link_steps.get(&found.id) {
                        self.add_edge(step, delete_step);
                    }
                }
            }
        }
    }
}

/// Whether the declared references (`declared`: an id, or `None` for an object a step of the
/// plan creates) are the objects a live link names, in order, compared by id: a name the
/// reader gave as `<id>` is that id, any other is looked up among `objects` (name, id). `None`
/// when a live name matches no object or several (an opaque one): the caller compares names.
fn same_by_id<'a>(
    declared: impl Iterator<Item = Option<&'a str>>,
    live_names: &'a [String],
    objects: impl Iterator<Item = (&'a String, &'a String)> + Clone,
) -> Option<bool> {
    let live: Vec<&str> = live_names
        .iter()
        .map(|name| {
            if let Some(id) = name.strip_prefix('<').and_then(|n| n.strip_suffix('>')) {
                return Some(id);
            }
            let mut matching = objects
                .clone()
                .filter(|(n, _)| *n == name)
                .map(|(_, id)| id);
            match (matching.next(), matching.next()) {
                (Some(id), None) => Some(id.as_str()),
                _ => None,
            }
        })
        .collect::<Option<_>>()?;
    Some(declared.collect::<Option<Vec<&str>>>() == Some(live))
}

/// The booking URL after a slug change: the live URL with its last path segment replaced
/// (derived; the API gives the real one only after the change).
fn derived_url(url: &str, slug: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    match trimmed.rsplit_once('/') {
        Some((head, _)) => format!("{head}/{slug}"),
        None => slug.to_string(),
    }
}

/// Each distribution's share of a round-robin link's bookings before and after, assuming an
/// even spread across the link's distributions. Empty for other kinds, and when the link's
/// distributions do not change.
fn bookings(before: Option<&LinkSpec>, after: Option<&LinkSpec>) -> Vec<BookingShare> {
    let list = |spec: Option<&LinkSpec>| match spec.map(|s| &s.target) {
        Some(LinkTarget::RoundRobin { distributions }) => Some(distributions.clone()),
        _ => None,
    };
    let (before, after) = (list(before), list(after));
    if before == after {
        return Vec::new();
    }
    let share = |list: &Option<Vec<String>>, name: &str| {
        list.as_ref().and_then(|list| {
            list.iter()
                .any(|d| d == name)
                .then(|| share_of(1, list.len() as u64))
        })
    };
    let mut names: Vec<String> = after.clone().unwrap_or_default();
    for name in before.iter().flatten() {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
        .into_iter()
        .map(|name| BookingShare {
            before: share(&before, &name),
            after: share(&after, &name),
            distribution: name,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_slug_replaces_the_last_segment_of_the_booking_url() {
        assert_eq!(
            derived_url("https://acme.chilipiper.com/round-robin/demo-sales", "demo"),
            "https://acme.chilipiper.com/round-robin/demo"
        );
        assert_eq!(
            derived_url(
                "https://acme.chilipiper.com/round-robin/demo-sales/",
                "demo"
            ),
            "https://acme.chilipiper.com/round-robin/demo"
        );
    }
}
