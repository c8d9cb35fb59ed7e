//! Building the report from a plan: group the plan's steps by the object they target, tell
//! each difference from the org's side, attach who changed the object last (live metadata),
//! decide against the record of the last apply whether it is real drift or not applied yet,
//! and sort out what the policy's ignore list accepts.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;

use super::DriftOptions;
use super::booking;
use super::record::LastApplied;
use super::types::{
    Author, DRIFT_FORMAT_VERSION, Difference, DriftReport, DriftSummary, DriftedObject,
    IgnoreEntryRef, IgnoreEntryStatus, IgnoreStatus, LastAppliedInfo, Origin, Provenance,
};
use super::words::difference;
use crate::model::{Desired, IgnoreEntry, Live, Meta};
use crate::plan::{self, Address, Detail, MemberChange, Plan, PlanOptions, fingerprint};

/// See `drift::drift`.
pub(super) fn report(desired: &Desired, live: &Live, options: &DriftOptions<'_>) -> DriftReport {
    // Drift is exactly what `plan` would change, as of the same day: the same policy, ignore
    // list and expiry (so nothing is reported that apply would not undo). A plan the safety
    // thresholds refuse still shows its differences: they are planned past the thresholds,
    // and what apply would refuse is said as a warning, not as a flag nobody passed.
    let plan_options = PlanOptions::new(desired, false).on(options.today);
    let mut plan = plan::plan(desired, live, &plan_options);
    let refused_by_thresholds: Vec<String> = plan
        .errors
        .iter()
        .filter(|error| !error.problem.addresses().is_empty())
        .map(|error| error.message.clone())
        .collect();
    if !plan.errors.is_empty() && refused_by_thresholds.len() == plan.errors.len() {
        let warnings = plan.warnings.clone();
        plan = plan::plan(
            desired,
            live,
            &PlanOptions {
                allow_destructive: true,
                ..plan_options
            },
        );
        plan.warnings = warnings;
        for message in refused_by_thresholds {
            plan.warnings.push(crate::plan::Warning {
                address: None,
                message: format!(
                    "`scoville apply` would refuse to undo this drift as it is: {message}"
                ),
            });
        }
    }
    let record = RecordContext::new(options.last_applied, desired, live);
    let ignore = IgnoreList::new(&desired.policy.ignore, options.today);

    let mut report = DriftReport {
        format_version: DRIFT_FORMAT_VERSION,
        tenant: live
            .tenant
            .as_ref()
            .map(|tenant| tenant.tenant_id.clone())
            .or_else(|| plan.tenant.clone()),
        content_hash: desired.content_hash.clone(),
        checked_on: options.today.to_string(),
        last_applied: record.info.clone(),
        summary: DriftSummary::default(),
        errors: plan.errors.clone(),
        objects: Vec::new(),
        accepted: Vec::new(),
        ignore_entries: Vec::new(),
        warnings: plan.warnings.clone(),
    };
    let mut used = BTreeSet::new();
    if plan.errors.is_empty() {
        for (address, differences) in group_by_object(&plan, live) {
            let (counted, accepted) = ignore.split(&address, differences, &mut used);
            if !counted.is_empty() {
                report
                    .objects
                    .push(object(&address, counted, None, live, &record));
            }
            for (entry, differences) in accepted {
                report.accepted.push(object(
                    &address,
                    differences,
                    Some(entry_ref(entry)),
                    live,
                    &record,
                ));
            }
        }
    }
    // Undeclared objects an entry keeps from being pruned are not drift (apply leaves them),
    // but the entry is in use.
    for unmanaged in plan.unmanaged.iter().filter(|u| u.ignored.is_some()) {
        ignore.mark_used(&unmanaged.address, &unmanaged.detail, &mut used);
    }
    report.ignore_entries = ignore.statuses(&used);

    let summary = &mut report.summary;
    summary.drifted = report.objects.len();
    for object in &report.objects {
        match object.origin {
            Origin::ChangedAfterApply { .. } => summary.changed_after_apply += 1,
            Origin::NotAppliedYet => summary.not_applied_yet += 1,
            Origin::CannotTell { .. } => summary.cannot_tell += 1,
        }
    }
    summary.accepted = report.accepted.len();
    let n_with = |status: IgnoreStatus| {
        report
            .ignore_entries
            .iter()
            .filter(|entry| entry.status == status)
            .count()
    };
    summary.expired_ignore_entries = n_with(IgnoreStatus::Expired);
    summary.unused_ignore_entries = n_with(IgnoreStatus::Unused);
    summary.unmanaged = plan.unmanaged.len();
    report
}

/// The plan's differences by object address, in report order: org-level objects first, then
/// by workspace, kind and address. A licenses call covers many users: each user is an object.
fn group_by_object(plan: &Plan, live: &Live) -> Vec<(String, Vec<Difference>)> {
    let mut objects: BTreeMap<(Option<String>, usize, String), Vec<Difference>> = BTreeMap::new();
    let mut push = |address: String, difference: Difference| {
        let key = (workspace_of(&address), kind_rank(&address), address);
        objects.entry(key).or_default().push(difference);
    };
    for step in &plan.steps {
        match &step.detail {
            Detail::Licenses { users } => {
                for change in users {
                    let address = Address::User(change.email.clone()).to_string();
                    let detail = Detail::Licenses {
                        users: vec![change.clone()],
                    };
                    push(address.clone(), difference(step, detail, &address, live));
                }
            }
            detail => push(
                step.target.clone(),
                difference(step, detail.clone(), &step.target, live),
            ),
        }
    }
    objects
        .into_iter()
        .map(|((_, _, address), differences)| (address, differences))
        .collect()
}

/// The workspace an address belongs to; `None` for users and the licenses calls.
fn workspace_of(address: &str) -> Option<String> {
    if let Some(booking) = booking::parse(address) {
        return Some(booking.workspace.to_string());
    }
    Address::parse(address)
        .as_ref()
        .and_then(Address::workspace)
        .map(str::to_string)
}

/// The drifted objects of `plan`'s steps, without a record of the last apply or an ignore
/// list: for the tests of `booking`, whose kinds no plan step of this version targets yet.
#[cfg(test)]
pub(super) fn objects_of(plan: &Plan, live: &Live) -> Vec<DriftedObject> {
    let desired = Desired::default();
    let record = RecordContext::new(None, &desired, live);
    group_by_object(plan, live)
        .into_iter()
        .map(|(address, differences)| object(&address, differences, None, live, &record))
        .collect()
}

fn kind_rank(address: &str) -> usize {
    match Address::parse(address).as_ref() {
        Some(Address::User(_) | Address::Licenses(_)) | None => 0,
        Some(Address::Workspace(_) | Address::Members(_)) => 1,
        Some(Address::Team(..)) => 2,
        Some(Address::Settings(_)) => 3,
        Some(Address::Distribution(..)) => 4,
        Some(Address::Rule(..)) => 5,
        Some(Address::Reminder(..)) => 6,
        Some(Address::MeetingType(..)) => 7,
        Some(Address::Link(..)) => 8,
    }
}

/// The report's `kind` of an object (its address prefix for the booking kinds).
fn kind_name(address: &str) -> &'static str {
    match Address::parse(address).as_ref() {
        Some(Address::User(_) | Address::Licenses(_)) => "user",
        Some(Address::Workspace(_)) => "workspace",
        Some(Address::Members(_)) => "members",
        Some(Address::Team(..)) => "team",
        Some(Address::Settings(_)) => "settings",
        Some(Address::Distribution(..)) => "distribution",
        Some(Address::Rule(..)) => "rule",
        Some(Address::MeetingType(..)) => "meetingType",
        Some(Address::Reminder(..)) => "reminder",
        Some(Address::Link(..)) => "link",
        None => "object",
    }
}

fn object(
    address: &str,
    differences: Vec<Difference>,
    accepted_by: Option<IgnoreEntryRef>,
    live: &Live,
    record: &RecordContext<'_>,
) -> DriftedObject {
    let parsed = Address::parse(address);
    let recorded = record.recorded(address);
    let provenance = match booking::parse(address) {
        Some(booking) => booking::provenance(
            &booking,
            &differences,
            live,
            recorded.is_some_and(|fingerprint| fingerprint.exists),
        ),
        None => provenance(parsed.as_ref(), live, recorded),
    };
    let summary = differences
        .iter()
        .map(|difference| difference.summary.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    DriftedObject {
        address: address.to_string(),
        workspace: workspace_of(address),
        kind: kind_name(address).to_string(),
        summary,
        origin: record.origin(address, parsed.as_ref(), live, &provenance),
        provenance,
        differences,
        accepted_by,
    }
}

/// Who changed the object last and when, from the live metadata that covers it.
fn provenance(
    address: Option<&Address>,
    live: &Live,
    recorded: Option<&crate::plan::Fingerprint>,
) -> Provenance {
    let absent = || Provenance::Absent {
        existed_after_last_apply: recorded.is_some_and(|fingerprint| fingerprint.exists),
    };
    let from_meta = |of: String, meta: &Meta| Provenance::Metadata {
        of,
        updated_at: meta.updated_at.clone(),
        updated_by: author(&meta.updated_by, live),
        created_at: meta.created_at.clone(),
        created_by: author(&meta.created_by, live),
        revision: meta.revision,
    };
    let workspace = address
        .and_then(Address::workspace)
        .and_then(|name| live.workspaces.get(name));
    match address {
        Some(Address::Team(_, name)) => workspace
            .and_then(|w| w.teams.iter().find(|team| &team.name == name))
            .map_or_else(absent, |team| from_meta("the team".to_string(), &team.meta)),
        Some(Address::Distribution(_, name)) => workspace
            .and_then(|w| w.distributions.iter().find(|d| &d.name == name))
            .map_or_else(absent, |d| {
                from_meta("the distribution".to_string(), &d.meta)
            }),
        Some(Address::Rule(_, name)) => workspace
            .and_then(|w| w.rules.iter().find(|rule| &rule.name == name))
            .map_or_else(absent, |rule| from_meta("the rule".to_string(), &rule.meta)),
        // Membership and settings have no metadata of their own: the workspace's record
        // moves with either.
        Some(Address::Members(name) | Address::Settings(name) | Address::Workspace(name)) => {
            workspace.map_or_else(absent, |w| {
                from_meta(format!("workspace `{name}`"), &w.meta)
            })
        }
        Some(Address::User(email)) if !live.users.contains_key(email) => absent(),
        // Meeting types, reminders and links carry no metadata in the official shapes.
        Some(
            Address::User(_)
            | Address::Licenses(_)
            | Address::MeetingType(..)
            | Address::Reminder(..)
            | Address::Link(..),
        )
        | None => Provenance::NotKept,
    }
}

/// `user/<id>` (a person, with their email), `apikey/<id>`, or anything else as given.
pub(super) fn author(reference: &str, live: &Live) -> Author {
    if let Some(user_id) = reference.strip_prefix("user/") {
        Author::Person {
            reference: reference.to_string(),
            user_id: user_id.to_string(),
            email: live.email_of(user_id).cloned(),
        }
    } else if let Some(key_id) = reference.strip_prefix("apikey/") {
        Author::ApiKey {
            reference: reference.to_string(),
            key_id: key_id.to_string(),
        }
    } else {
        Author::Unknown {
            reference: reference.to_string(),
        }
    }
}

/// The record of the last apply, checked against the org and the manifests.
struct RecordContext<'a> {
    record: Option<&'a LastApplied>,
    info: Option<LastAppliedInfo>,
}

impl<'a> RecordContext<'a> {
    fn new(record: Option<&'a LastApplied>, desired: &Desired, live: &Live) -> RecordContext<'a> {
        let info = record.map(|record| {
            let live_tenant = live.tenant.as_ref().map(|tenant| tenant.tenant_id.as_str());
            let unusable = match (record.tenant.as_deref(), live_tenant) {
                (Some(recorded), Some(now)) if recorded != now => Some(format!(
                    "the record of the last apply is of tenant `{recorded}`, not `{now}`"
                )),
                _ => None,
            };
            LastAppliedInfo {
                content_hash: record.content_hash.clone(),
                applied_at: record.applied_at.clone(),
                tenant: record.tenant.clone(),
                manifests_changed: record.content_hash != desired.content_hash,
                unusable,
            }
        });
        RecordContext { record, info }
    }

    fn usable(&self) -> Option<(&'a LastApplied, &LastAppliedInfo)> {
        match (self.record, &self.info) {
            (Some(record), Some(info)) if info.unusable.is_none() => Some((record, info)),
            _ => None,
        }
    }

    fn recorded(&self, address: &str) -> Option<&'a crate::plan::Fingerprint> {
        self.usable()
            .and_then(|(record, _)| record.fingerprint_of(address))
    }

    /// Real drift, not applied yet, or cannot tell: the object against its fingerprint after
    /// the last apply, and the manifests against the hash that apply applied.
    fn origin(
        &self,
        address: &str,
        parsed: Option<&Address>,
        live: &Live,
        provenance: &Provenance,
    ) -> Origin {
        let Some((record, info)) = self.usable() else {
            let why = match self.info.as_ref().and_then(|info| info.unusable.clone()) {
                Some(unusable) => unusable,
                None => "no record of the last apply was given (`--last-applied FILE`), so a \
                         change made in the org and a change not applied yet look the same"
                    .to_string(),
            };
            return Origin::CannotTell { why };
        };
        let changed_after_apply = Origin::ChangedAfterApply {
            applied_at: record.applied_at.clone(),
        };
        let Some(parsed) = parsed else {
            return Origin::CannotTell {
                why: "scoville cannot read this address".to_string(),
            };
        };
        let now = fingerprint(live, parsed);
        match record.fingerprint_of(address) {
            Some(recorded) if recorded != &now => changed_after_apply,
            Some(_) if info.manifests_changed => Origin::NotAppliedYet,
            Some(_) => Origin::CannotTell {
                why: "the object is as the last apply left it and the manifests have not \
                      changed since: that apply did not finish the job; run `scoville plan`"
                    .to_string(),
            },
            // The last apply did not manage the object, so the record has no fingerprint of
            // it: its metadata says whether it changed after the apply.
            None => match last_change_against_apply(provenance, record.applied_at.as_deref()) {
                Some(true) => changed_after_apply,
                Some(false) if info.manifests_changed => Origin::NotAppliedYet,
                Some(false) => Origin::CannotTell {
                    why: "the object has not changed since the last apply and the manifests \
                          have not either: that apply did not finish the job; run `scoville plan`"
                        .to_string(),
                },
                // With the same manifests, a converged apply would have dealt with it, so it
                // appeared since.
                None if !info.manifests_changed => changed_after_apply,
                // The manifests changed and now declare an object that does not exist.
                None if !now.exists => Origin::NotAppliedYet,
                None => Origin::CannotTell {
                    why: "the last apply did not manage this object, the manifests changed \
                          since, and neither the record nor the API says when the object last \
                          changed"
                        .to_string(),
                },
            },
        }
    }
}

/// Whether the object's last recorded change (`updatedAt`) came after the apply finished
/// (`appliedAt`), when both are known. The two come from different clocks (the API's and the
/// machine that applied), so this is only used for objects the record has no fingerprint of.
fn last_change_against_apply(provenance: &Provenance, applied_at: Option<&str>) -> Option<bool> {
    let Provenance::Metadata { updated_at, .. } = provenance else {
        return None;
    };
    let updated: jiff::Timestamp = updated_at.parse().ok()?;
    let applied: jiff::Timestamp = applied_at?.parse().ok()?;
    Some(updated > applied)
}

/// The policy's ignore entries, split into current and expired on `today`.
struct IgnoreList<'a> {
    entries: &'a [IgnoreEntry],
    today: Date,
}

impl<'a> IgnoreList<'a> {
    fn new(entries: &'a [IgnoreEntry], today: Date) -> IgnoreList<'a> {
        IgnoreList { entries, today }
    }

    /// An entry is good through its expiry day and expired from the day after.
    fn expired(&self, entry: &IgnoreEntry) -> bool {
        entry.expired_on(self.today)
    }

    fn current(&self) -> impl Iterator<Item = (usize, &'a IgnoreEntry)> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, entry)| !self.expired(entry))
    }

    /// Splits an object's differences into counted ones and ones a current entry accepts:
    /// an entry naming the object accepts all of it; on workspace membership, an entry naming
    /// a user (`user:<email>`) accepts that user's membership, as the planner does.
    fn split(
        &self,
        address: &str,
        differences: Vec<Difference>,
        used: &mut BTreeSet<usize>,
    ) -> (Vec<Difference>, Vec<(&'a IgnoreEntry, Vec<Difference>)>) {
        if let Some((index, entry)) = self.current().find(|(_, entry)| entry.object == address) {
            used.insert(index);
            return (Vec::new(), vec![(entry, differences)]);
        }
        if !matches!(Address::parse(address), Some(Address::Members(_))) {
            return (differences, Vec::new());
        }
        let mut counted = Vec::new();
        let mut accepted: BTreeMap<usize, Vec<Difference>> = BTreeMap::new();
        for difference in differences {
            let Detail::Members { users } = &difference.detail else {
                counted.push(difference);
                continue;
            };
            let mut kept: Vec<MemberChange> = Vec::new();
            let mut by_entry: BTreeMap<usize, Vec<MemberChange>> = BTreeMap::new();
            for user in users {
                let user_address = format!("user:{}", user.user);
                match self
                    .current()
                    .find(|(_, entry)| entry.object == user_address)
                {
                    Some((index, _)) => by_entry.entry(index).or_default().push(user.clone()),
                    None => kept.push(user.clone()),
                }
            }
            if by_entry.is_empty() {
                counted.push(difference);
                continue;
            }
            if !kept.is_empty() {
                counted.push(narrowed(&difference, kept));
            }
            for (index, users) in by_entry {
                used.insert(index);
                accepted
                    .entry(index)
                    .or_default()
                    .push(narrowed(&difference, users));
            }
        }
        let accepted = accepted
            .into_iter()
            .map(|(index, differences)| (&self.entries[index], differences))
            .collect();
        (counted, accepted)
    }

    /// Marks the current entry that names an unmanaged object (or, for a member, the user)
    /// as used.
    fn mark_used(&self, address: &str, detail: &str, used: &mut BTreeSet<usize>) {
        let user = format!("user:{detail}");
        if let Some((index, _)) = self
            .current()
            .find(|(_, entry)| entry.object == address || entry.object == user)
        {
            used.insert(index);
        }
    }

    fn statuses(&self, used: &BTreeSet<usize>) -> Vec<IgnoreEntryStatus> {
        self.entries
            .iter()
            .enumerate()
            .map(|(index, entry)| IgnoreEntryStatus {
                entry: entry_ref(entry),
                status: if self.expired(entry) {
                    IgnoreStatus::Expired
                } else if used.contains(&index) {
                    IgnoreStatus::Applied
                } else {
                    IgnoreStatus::Unused
                },
            })
            .collect()
    }
}

/// A members difference limited to some of its users, with its words redone for them.
fn narrowed(difference: &Difference, users: Vec<MemberChange>) -> Difference {
    let keep: BTreeSet<String> = users.iter().map(|user| format!("{} ", user.user)).collect();
    let n = users.len();
    Difference {
        step: difference.step.clone(),
        action: difference.action,
        summary: match difference.action {
            crate::plan::Action::Remove => format!(
                "{} in the workspace but not in the manifests",
                crate::render::count(n, "member is", "members are")
            ),
            _ => format!(
                "{} the manifests list {} not in the workspace",
                crate::render::count(n, "member", "members"),
                if n == 1 { "is" } else { "are" }
            ),
        },
        // Facts start with the member's email and a space.
        facts: difference
            .facts
            .iter()
            .filter(|fact| keep.iter().any(|prefix| fact.starts_with(prefix.as_str())))
            .cloned()
            .collect(),
        detail: Detail::Members { users },
    }
}

fn entry_ref(entry: &IgnoreEntry) -> IgnoreEntryRef {
    IgnoreEntryRef {
        object: entry.object.clone(),
        reason: entry.reason.clone(),
        expires: entry.expires.clone(),
        source: entry.source.clone(),
    }
}
