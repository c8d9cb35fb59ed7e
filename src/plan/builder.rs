//! The planner's working state: steps drafted so far with their dependencies, problems,
//! warnings, unmanaged objects and the live objects read, plus the helpers every diff module
//! uses (user references, reasons, ignore entries). `finish` turns it into a `Plan`.

use std::collections::{BTreeMap, BTreeSet};

use super::PlanOptions;
use super::body::{Call, LicenseEntry, LicensesBody, UserRef};
use super::fingerprint::fingerprint;
use super::graph;
use super::problems::{PlanError, PlanProblem};
use super::safety::Counted;
use super::types::{
    Action, Address, Detail, FORMAT_VERSION, LicenseChange, LicenseDirection, Plan, Step, StepId,
    Summary, Unmanaged, Warning,
};
use crate::edge::wire;
use crate::model::{
    Desired, Email, IgnoreEntry, License, Live, ObjectKind, Source, Tier, UnknownFieldsKind,
};

/// A step before ordering.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    pub call: Call,
    pub target: Address,
    pub action: Action,
    pub destructive: bool,
    pub reason: String,
    pub depends_on: BTreeSet<StepId>,
    pub detail: Detail,
}

/// The planner's state while it diffs.
pub(super) struct Planner<'a> {
    pub desired: &'a Desired,
    pub live: &'a Live,
    pub options: &'a PlanOptions,
    pub steps: BTreeMap<StepId, Draft>,
    pub problems: Vec<PlanProblem>,
    pub warnings: Vec<Warning>,
    pub unmanaged: Vec<Unmanaged>,
    /// Live objects the plan depends on, fingerprinted at the end.
    pub reads: BTreeSet<Address>,
    /// Per kind, how many live objects the manifests manage (the thresholds' denominator).
    pub managed: BTreeMap<Counted, usize>,
    /// Per kind, the addresses of objects deleted, memberships removed, weights and licenses
    /// taken away.
    pub removals: BTreeMap<Counted, Vec<String>>,
    /// Steps that empty a live object: what it is left without, and its address.
    pub emptied: Vec<(String, String)>,
    /// Users the plan invites, and the step that does it.
    pub invites: BTreeMap<Email, StepId>,
    /// Entries of the early (upgrades) and late (downgrades) licenses calls.
    pub license_upgrades: Vec<(Email, LicenseChange)>,
    pub license_downgrades: Vec<(Email, LicenseChange)>,
    /// Emails already reported as unknown, so each is reported once.
    reported_users: BTreeSet<Email>,
    /// Live names of the workspaces the manifests declare (look-alikes resolved).
    pub planned_workspaces: BTreeSet<String>,
}

/// `file:line` of a manifest location, as step reasons show it.
pub(super) fn at(source: &Source) -> String {
    format!("{}:{}", source.file, source.line)
}

/// A short list of manifest locations: up to three, then how many more.
pub(super) fn summarize_sources<'s>(sources: impl IntoIterator<Item = &'s Source>) -> String {
    let distinct: BTreeSet<String> = sources.into_iter().map(at).collect();
    let shown: Vec<&str> = distinct.iter().take(3).map(String::as_str).collect();
    let more = distinct.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// The wire license set of a domain license set, with the user's live tier sent back as it is.
pub(super) fn license_set(licenses: &BTreeSet<License>, tier: Option<Tier>) -> wire::LicenseSet {
    wire::LicenseSet {
        tier,
        distro: licenses.contains(&License::Distro),
        chili_cal_org: licenses.contains(&License::ChiliCalOrg),
        concierge: licenses.contains(&License::Concierge),
        concierge_live: licenses.contains(&License::ConciergeLive),
        chat: licenses.contains(&License::Chat),
        handoff: licenses.contains(&License::Handoff),
    }
}

impl Planner<'_> {
    /// The complete new license set of a live or invited user: their live tier goes back
    /// unchanged. `None`, with the problem reported, when that tier is one scoville does not
    /// know (it never echoes an unknown value).
    pub(super) fn license_set_of(
        &mut self,
        email: &Email,
        after: &BTreeSet<License>,
        at: &Source,
    ) -> Option<wire::LicenseSet> {
        let tier = self
            .live
            .users
            .get(email)
            .and_then(|user| user.tier.clone());
        if let Some(user) = self.live.users.get(email)
            && self.refuse_erasing(
                UnknownFieldsKind::Licenses,
                &user.id,
                format!("the license set of user `{email}`"),
                at,
            )
        {
            return None;
        }
        if let Some(Tier::Unknown(text)) = &tier {
            self.problem(PlanProblem::UnknownTier {
                email: email.clone(),
                tier: text.clone(),
                at: at.clone(),
            });
            return None;
        }
        Some(license_set(after, tier))
    }
}

impl Planner<'_> {
    /// Refuses (and says so) a write that would replace an object read with fields scoville
    /// does not know (`Live::unknown_fields`): sending it back without them would erase them.
    /// Returns whether it refused. Creates never get here (nothing to erase), and settings
    /// updates need no such check: the API merges them (only what is sent changes).
    pub(super) fn refuse_erasing(
        &mut self,
        kind: UnknownFieldsKind,
        id: &str,
        object: String,
        at: &Source,
    ) -> bool {
        let Some(unknown) = self.live.unknown_fields_of(kind, id) else {
            return false;
        };
        let (write, replaced) = match kind {
            UnknownFieldsKind::Distribution => ("distribution-update-v3", "configuration"),
            UnknownFieldsKind::Rule => ("rule-modify", "rule"),
            UnknownFieldsKind::Licenses => ("user-update-licenses", "license set"),
        };
        self.problem(PlanProblem::WouldEraseUnknownFields {
            object,
            write: write.to_string(),
            replaced: replaced.to_string(),
            fields: unknown.fields.clone(),
            at: at.clone(),
        });
        true
    }
}

impl<'a> Planner<'a> {
    pub fn new(desired: &'a Desired, live: &'a Live, options: &'a PlanOptions) -> Planner<'a> {
        Planner {
            desired,
            live,
            options,
            steps: BTreeMap::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
            unmanaged: Vec::new(),
            reads: BTreeSet::new(),
            managed: BTreeMap::new(),
            removals: BTreeMap::new(),
            emptied: Vec::new(),
            invites: BTreeMap::new(),
            license_upgrades: Vec::new(),
            license_downgrades: Vec::new(),
            reported_users: BTreeSet::new(),
            planned_workspaces: BTreeSet::new(),
        }
    }

    /// Adds a step and returns its id: `op target`, or `op target#suffix` when two live objects
    /// share an address (duplicate names being pruned). Dependencies on the steps whose created
    /// ids the body uses are added here, so a reference always implies an edge.
    pub fn add_step(&mut self, mut draft: Draft, id_suffix: Option<&str>) -> StepId {
        let mut id = StepId::new(draft.call.op().id, &draft.target);
        if let Some(suffix) = id_suffix {
            id = StepId(format!("{id}#{suffix}"));
        }
        let referenced = draft.call.referenced_steps();
        draft.depends_on.extend(referenced);
        debug_assert!(
            !self.steps.contains_key(&id),
            "two steps with id {id}: one call per target and direction"
        );
        self.steps.insert(id.clone(), draft);
        id
    }

    /// Makes `step` wait for `dependency`.
    pub fn add_edge(&mut self, dependency: &StepId, step: &StepId) {
        if dependency == step {
            return;
        }
        if let Some(draft) = self.steps.get_mut(step) {
            draft.depends_on.insert(dependency.clone());
        }
    }

    pub fn problem(&mut self, problem: PlanProblem) {
        self.problems.push(problem);
    }

    pub fn warn(&mut self, address: Option<&Address>, message: String) {
        self.warnings.push(Warning {
            address: address.map(ToString::to_string),
            message,
        });
    }

    /// Records that the plan depends on the live object at `address` (for its fingerprint);
    /// nothing when the plan records no fingerprints.
    pub fn read(&mut self, address: Address) {
        if !self.options.without_fingerprints {
            self.reads.insert(address);
        }
    }

    pub fn count_managed(&mut self, kind: impl Into<Counted>, n: usize) {
        *self.managed.entry(kind.into()).or_default() += n;
    }

    pub fn count_removal(&mut self, kind: impl Into<Counted>, address: String) {
        self.removals.entry(kind.into()).or_default().push(address);
    }

    /// Records a step that leaves a live object with no `what` (members, weights).
    pub fn count_emptied(&mut self, what: &str, address: String) {
        self.emptied.push((what.to_string(), address));
    }

    /// The id to send for a user: theirs, or the one their invitation step returns. `None` (after
    /// reporting it once) when the user neither exists nor may be invited.
    pub fn user_ref(&mut self, email: &Email, referenced_at: &Source) -> Option<UserRef> {
        self.read(Address::User(email.clone()));
        if let Some(user) = self.live.users.get(email) {
            return Some(UserRef::Id(user.id.clone()));
        }
        if let Some(step) = self.invites.get(email) {
            return Some(UserRef::FromStep {
                id_from_step: step.clone(),
                email: email.clone(),
            });
        }
        if self.reported_users.insert(email.clone()) {
            // Declared users who may not be invited are reported by the users pass.
            if !self.desired.users.contains_key(email) {
                self.problems.push(PlanProblem::UnknownUser {
                    email: email.clone(),
                    at: referenced_at.clone(),
                });
            }
        }
        None
    }

    /// Marks a declared user as already reported (the users pass found them not invitable).
    pub fn mark_reported(&mut self, email: &Email) {
        self.reported_users.insert(email.clone());
    }

    /// The policy ignore entry that covers `address` (or, for a member, the user), if any.
    pub fn ignored(&self, addresses: &[&Address]) -> Option<&'a IgnoreEntry> {
        let texts: Vec<String> = addresses.iter().map(ToString::to_string).collect();
        let today = self.options.today;
        self.options
            .policy
            .ignore
            .iter()
            .filter(|entry| today.is_none_or(|today| !entry.expired_on(today)))
            .find(|entry| texts.contains(&entry.object))
    }

    /// Lists a live object as unmanaged (or ignored by the policy).
    pub fn list_unmanaged(&mut self, address: &Address, kind: &str, detail: String) {
        self.list_unmanaged_also_ignored_as(address, &[], kind, detail);
    }

    /// Lists a live object as unmanaged; an ignore entry may name it by `address` or by one of
    /// `aliases` (a member by `user:<email>`).
    pub fn list_unmanaged_also_ignored_as(
        &mut self,
        address: &Address,
        aliases: &[&Address],
        kind: &str,
        detail: String,
    ) {
        let mut names = vec![address];
        names.extend_from_slice(aliases);
        let ignored = self
            .ignored(&names)
            .map(|entry| format!("{} ({})", entry.reason, at(&entry.source)));
        self.unmanaged.push(Unmanaged {
            address: address.to_string(),
            workspace: address.workspace().map(str::to_string),
            kind: kind.to_string(),
            detail,
            ignored,
        });
    }

    /// The reason of a step that deletes or removes what the manifests do not mention.
    pub fn prune_reason(&self, workspace: &str, kind: ObjectKind) -> Option<String> {
        // A workspace that omits a kind's key leaves that kind alone, prune or not.
        let key = crate::model::names::name_key_cow(workspace);
        let leaves_alone = self
            .desired
            .workspaces
            .values()
            .find(|declared| {
                declared.name == workspace
                    || crate::model::names::name_key_cow(&declared.name) == key
            })
            .is_some_and(|declared| declared.left_alone.contains(&kind));
        if leaves_alone {
            return None;
        }
        self.options
            .policy
            .prune_source(workspace, kind)
            .map(|source| format!("not in manifests (prune enabled in {})", at(source)))
    }

    /// Adds the licenses call that takes licenses away, after every other step.
    fn add_license_downgrades(&mut self) {
        if self.license_downgrades.is_empty() {
            return;
        }
        self.move_seats_early();
        if self.license_downgrades.is_empty() {
            return;
        }
        let downgrades = std::mem::take(&mut self.license_downgrades);
        let sinks: BTreeSet<StepId> = {
            let depended_on: BTreeSet<&StepId> = self
                .steps
                .values()
                .flat_map(|draft| &draft.depends_on)
                .collect();
            self.steps
                .keys()
                .filter(|id| !depended_on.contains(id))
                .cloned()
                .collect()
        };
        let mut entries = Vec::new();
        let mut changes = Vec::new();
        let mut sources = Vec::new();
        for (email, change) in downgrades {
            let Some(user) = self.live.users.get(&email) else {
                continue;
            };
            let user_id = UserRef::Id(user.id.clone());
            let source = self
                .desired
                .users
                .get(&email)
                .map(|declared| declared.source.clone());
            let at_source = source.clone().unwrap_or_default();
            let Some(licenses) = self.license_set_of(&email, &change.after, &at_source) else {
                continue;
            };
            entries.push(LicenseEntry { user_id, licenses });
            if let Some(source) = source {
                sources.push(source);
            }
            changes.push(change);
        }
        let draft = Draft {
            call: Call::UserUpdateLicenses {
                body: LicensesBody { update: entries },
            },
            target: Address::Licenses(LicenseDirection::Downgrades),
            action: Action::Remove,
            destructive: true,
            reason: format!("licenses at {}", summarize_sources(&sources)),
            depends_on: sinks,
            detail: Detail::Licenses { users: changes },
        };
        self.add_step(draft, None);
    }

    /// Seat-neutral moves: a user who loses a license that the early licenses call grants to
    /// someone else, and whom no other step of the plan names (so nobody routes them work that
    /// depends on the change), gets their final set in the early call, which replaces each
    /// listed user's set at once: the seat is released by the call that takes it, so a move at
    /// full seats applies. Users the plan still routes work to keep their downgrade last; when
    /// that leaves the early call needing seats the plan frees only at the end, a warning says
    /// so (the API does not tell how many seats are free).
    fn move_seats_early(&mut self) {
        let upgrades_id = StepId::new(
            "user-update-licenses",
            &Address::Licenses(LicenseDirection::Upgrades),
        );
        let Some(upgrades) = self.steps.get(&upgrades_id) else {
            return;
        };
        let Detail::Licenses { users: granted } = &upgrades.detail else {
            return;
        };
        let mut grants: BTreeMap<License, BTreeSet<Email>> = BTreeMap::new();
        for change in granted {
            for license in change.after.difference(&change.before) {
                grants
                    .entry(*license)
                    .or_default()
                    .insert(change.email.clone());
            }
        }
        // User ids that any step other than a licenses call sends.
        let named: String = self
            .steps
            .iter()
            .filter(|(_, draft)| !matches!(draft.call, Call::UserUpdateLicenses { .. }))
            .filter_map(|(_, draft)| serde_json::to_string(&draft.call).ok())
            .collect::<Vec<_>>()
            .join("\n");
        let mut released_early: BTreeMap<License, usize> = BTreeMap::new();
        let mut released_late: BTreeMap<License, Vec<Email>> = BTreeMap::new();
        let mut late = Vec::new();
        let mut early = Vec::new();
        for (email, change) in std::mem::take(&mut self.license_downgrades) {
            let lost: Vec<License> = change.before.difference(&change.after).copied().collect();
            let frees_a_grant = lost.iter().any(|license| {
                grants
                    .get(license)
                    .is_some_and(|to| to.iter().any(|other| other != &email))
            });
            let routed = self
                .live
                .users
                .get(&email)
                // A tier scoville does not know is never echoed, nor a license set with fields
                // it does not know: such a user stays in the last call, which refuses it with
                // the problem.
                .is_none_or(|user| {
                    matches!(user.tier, Some(Tier::Unknown(_)))
                        || self
                            .live
                            .unknown_fields_of(UnknownFieldsKind::Licenses, &user.id)
                            .is_some()
                        || named.contains(&format!("\"{}\"", user.id))
                });
            if frees_a_grant && !routed {
                for license in &lost {
                    *released_early.entry(*license).or_default() += 1;
                }
                early.push((email, change));
            } else {
                for license in &lost {
                    released_late
                        .entry(*license)
                        .or_default()
                        .push(email.clone());
                }
                late.push((email, change));
            }
        }
        self.license_downgrades = late;
        if let Some(draft) = self.steps.get_mut(&upgrades_id)
            && let Call::UserUpdateLicenses { body } = &mut draft.call
            && let Detail::Licenses { users } = &mut draft.detail
        {
            for (email, change) in early {
                let Some(user) = self.live.users.get(&email) else {
                    continue;
                };
                let id = UserRef::Id(user.id.clone());
                match body.update.iter_mut().find(|entry| entry.user_id == id) {
                    Some(entry) => entry.licenses = license_set(&change.after, user.tier.clone()),
                    None => body.update.push(LicenseEntry {
                        user_id: id,
                        licenses: license_set(&change.after, user.tier.clone()),
                    }),
                }
                match users.iter_mut().find(|known| known.email == email) {
                    Some(known) => known.after.clone_from(&change.after),
                    None => users.push(LicenseChange {
                        before: user.licenses.clone(),
                        ..change
                    }),
                }
                draft.destructive = true;
            }
        }
        for (license, to) in &grants {
            let need = to
                .len()
                .saturating_sub(released_early.get(license).copied().unwrap_or(0));
            if let Some(late_users) = released_late.get(license)
                && need > 0
            {
                let late_list: Vec<String> = late_users.iter().map(ToString::to_string).collect();
                self.warn(
                    Some(&Address::Licenses(LicenseDirection::Upgrades)),
                    format!(
                        "the plan grants {} `{}` license(s) before it takes {} back at the end ({}, still routed work by this plan): the grant needs {need} free `{}` seat(s); if the org has none, it fails and nothing after it runs, so first apply the manifests without the grant (or without the routing change), then add it",
                        to.len(),
                        license.as_str(),
                        late_users.len(),
                        late_list.join(", "),
                        license.as_str(),
                    ),
                );
            }
        }
    }

    /// Orders the steps and assembles the plan; any problem empties it.
    pub fn finish(mut self) -> Plan {
        self.add_license_downgrades();
        let graph_input: BTreeMap<StepId, (usize, BTreeSet<StepId>)> = self
            .steps
            .iter()
            .map(|(id, draft)| {
                (
                    id.clone(),
                    (graph::op_rank(draft.call.op().id), draft.depends_on.clone()),
                )
            })
            .collect();
        let sorted = match graph::sort(&graph_input) {
            Ok(sorted) => Some(sorted),
            Err(cycle) => {
                self.problems.push(PlanProblem::DependencyCycle {
                    steps: cycle.into_iter().map(|id| id.0).collect(),
                });
                None
            }
        };
        let tenant = self.live.tenant.as_ref().map(|t| t.tenant_id.clone());
        let content_hash = self.desired.content_hash.clone();
        let mut unmanaged = self.unmanaged;
        unmanaged.sort_by(|a, b| (&a.address, &a.detail).cmp(&(&b.address, &b.detail)));
        let warnings = self.warnings;
        if !self.problems.is_empty() {
            let errors: Vec<PlanError> = self.problems.into_iter().map(PlanError::new).collect();
            let summary = Summary {
                unmanaged: unmanaged.len(),
                errors: errors.len(),
                warnings: warnings.len(),
                ..Summary::default()
            };
            return Plan {
                format_version: FORMAT_VERSION,
                tenant,
                content_hash,
                summary,
                errors,
                warnings,
                steps: Vec::new(),
                phases: Vec::new(),
                unmanaged,
                fingerprints: Vec::new(),
                inputs: None,
            };
        }
        let sorted = sorted.expect("no cycle when there are no problems");
        let mut drafts = self.steps;
        let steps: Vec<Step> = sorted
            .order
            .into_iter()
            .map(|(id, phase)| {
                let draft = drafts.remove(&id).expect("sorted ids are steps");
                Step {
                    workspace: draft.target.workspace().map(str::to_string),
                    target: draft.target.to_string(),
                    id,
                    call: draft.call,
                    action: draft.action,
                    destructive: draft.destructive,
                    reason: draft.reason,
                    depends_on: draft.depends_on.into_iter().collect(),
                    phase,
                    detail: draft.detail,
                }
            })
            .collect();
        let mut fingerprints: Vec<_> = if self.options.without_fingerprints {
            Vec::new()
        } else {
            self.reads
                .iter()
                .map(|address| fingerprint(self.live, address))
                .collect()
        };
        fingerprints.sort();
        let summary = summarize(&steps, unmanaged.len(), warnings.len());
        Plan {
            format_version: FORMAT_VERSION,
            tenant,
            content_hash,
            summary,
            errors: Vec::new(),
            warnings,
            steps,
            phases: sorted.phases,
            unmanaged,
            fingerprints,
            inputs: None,
        }
    }
}

/// Counts objects, not calls: a team whose members are added and removed is one change; a user
/// invited and licensed is one addition.
fn summarize(steps: &[Step], n_unmanaged: usize, n_warnings: usize) -> Summary {
    let mut to_add = 0;
    let mut to_destroy = 0;
    let mut created: BTreeSet<String> = BTreeSet::new();
    let mut changed: BTreeSet<String> = BTreeSet::new();
    for step in steps {
        match step.action {
            Action::Create => {
                to_add += 1;
                created.insert(step.target.clone());
            }
            // The reminder a meeting-type-create seeds is part of that create.
            Action::Delete
                if matches!(
                    step.detail,
                    Detail::Reminder {
                        seeded_by: Some(_),
                        ..
                    }
                ) => {}
            Action::Delete => to_destroy += 1,
            Action::Update | Action::Rename | Action::Add | Action::Remove => {}
        }
    }
    for step in steps {
        match (&step.detail, step.action) {
            (Detail::Licenses { users }, _) => {
                for change in users {
                    let user = Address::User(change.email.clone()).to_string();
                    if !created.contains(&user) {
                        changed.insert(user);
                    }
                }
            }
            (_, Action::Update | Action::Rename | Action::Add | Action::Remove)
                if !created.contains(&step.target) =>
            {
                changed.insert(step.target.clone());
            }
            _ => {}
        }
    }
    Summary {
        to_add,
        to_change: changed.len(),
        to_destroy,
        api_calls: steps.len(),
        destructive_steps: steps.iter().filter(|step| step.destructive).count(),
        unmanaged: n_unmanaged,
        errors: 0,
        warnings: n_warnings,
    }
}
