//! From the decoded files of a manifest set to `Desired`: merges the files, checks what the
//! YAML types cannot (emails, ranges, names declared twice, references to users, teams and
//! workspaces, membership), and reports every problem with its place.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

#[path = "check_booking.rs"]
mod booking;
#[path = "check_links.rs"]
mod links;
pub(super) use booking::is_slug;

use super::conditions::ConditionReader;
use super::diagnostic::Diagnostic;
use super::format::{self, ManifestFile};
use super::node::{Pos, closest};
use super::values;
use super::wrappers::{At, Checked, Keyed};
use crate::model::{
    Assignment, Capping, Desired, DesiredDistribution, DesiredRule, DesiredTeam, DesiredUser,
    DesiredWorkspace, DistributionPart, DistributionSpec, Email, IgnoreEntry, License, MAX_WEIGHT,
    MeetingLimits, ObjectKind, Policy, RuleKind, RuleSpec, Source, Thresholds,
};

/// One decoded manifest file.
pub struct DecodedFile {
    /// The file's path as shown in diagnostics.
    pub file: Arc<str>,
    pub manifest: ManifestFile,
    /// Mappings of the file that had an unknown key (see `node::Sink`).
    pub tainted: BTreeSet<Pos>,
    /// Whether the file's top-level mapping had an unknown key (`user:` for `users:`?).
    pub root_tainted: bool,
}

/// The place `pos` in `file`: the file's name is shared by every place in it (`Arc::clone`),
/// so the 200,000 places of a large org cost no allocation each.
pub fn source(file: &Arc<str>, pos: Pos) -> Source {
    Source {
        file: Arc::clone(file),
        line: pos.line,
        column: pos.column,
    }
}

/// A problem at `pos` in `file`.
pub fn problem(file: &str, pos: Pos, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        source: Source {
            file: Arc::from(file),
            line: pos.line,
            column: pos.column,
        },
        message: message.into(),
        length: pos.length,
        hint: None,
        related: Vec::new(),
    }
}

/// Builds `Desired` from the decoded files, pushing every problem found to `problems`.
/// `all_decoded` says whether every file of the set could be decoded: if one could not, the
/// users and workspaces it declares are unknown, and references are not reported as
/// undeclared (they would be the same mistake reported many times over).
pub fn assemble(
    files: &mut [DecodedFile],
    all_decoded: bool,
    problems: &mut Vec<Diagnostic>,
) -> Desired {
    let sections_readable = |section: fn(&ManifestFile) -> bool| {
        all_decoded
            && files
                .iter()
                .all(|file| !file.root_tainted && section(&file.manifest))
    };
    let mut checker = Checker {
        users_complete: sections_readable(|m| !matches!(m.users, Some(Checked::Invalid))),
        workspaces_complete: sections_readable(|m| !matches!(m.workspaces, Some(Checked::Invalid))),
        problems,
        users: BTreeMap::new(),
        broken_users: BTreeSet::new(),
        workspace_names: BTreeMap::new(),
        broken_workspaces: BTreeSet::new(),
    };
    let mut desired = Desired::default();

    checker.collect_users(files, &mut desired);
    // Each part of the format types is freed once `desired` holds what it says: on a
    // 50,000-user org they are tens of MB, and the live org is being read meanwhile.
    for file in files.iter_mut() {
        file.manifest.users = None;
    }
    for (file_index, entry_index) in checker.collect_workspace_names(files) {
        let decoded = &files[file_index];
        if let Some(Checked::Valid(workspaces)) = &decoded.manifest.workspaces
            && let Some((name, entry)) = workspaces.0.get(entry_index)
            && let Checked::Valid(workspace) = &entry.value
        {
            let workspace = workspace.as_ref().unwrap_or(&format::EMPTY_WORKSPACE);
            let built = checker.workspace(decoded, name, entry.pos, workspace);
            desired.workspaces.insert(built.name.clone(), built);
        }
        if let Some(Checked::Valid(workspaces)) = &mut files[file_index].manifest.workspaces
            && let Some((_, entry)) = workspaces.0.get_mut(entry_index)
        {
            entry.value = Checked::Valid(None);
        }
    }
    checker.org(files, &mut desired);
    desired
}

/// A workspace declared once and readable: the index of its file and of its entry in that
/// file's `workspaces`.
type WorkspaceDeclaration = (usize, usize);

struct Checker<'p> {
    problems: &'p mut Vec<Diagnostic>,
    /// Whether every `users` section of the set could be read (see `assemble`).
    users_complete: bool,
    /// Whether every `workspaces` section of the set could be read.
    workspaces_complete: bool,
    /// Declared users and where.
    users: BTreeMap<Email, Source>,
    /// Users whose declaration is broken (already reported): references to them are not.
    broken_users: BTreeSet<Email>,
    /// Declared workspaces and where.
    workspace_names: BTreeMap<String, Source>,
    broken_workspaces: BTreeSet<String>,
}

/// What a workspace's objects may refer to while it is being checked.
struct WorkspaceScope<'a> {
    name: &'a str,
    source: Source,
    members: BTreeSet<Email>,
    /// Whether team members must be among `members` (see `Checker::workspace`).
    check_membership: bool,
    /// Teams by name, with every declared user listed on them (even those reported as not
    /// in the workspace, so their weights are not reported a second time).
    teams: BTreeMap<String, BTreeSet<Email>>,
    broken_teams: BTreeSet<String>,
    /// Declared teams without a member list (their members are left alone).
    unlisted_teams: BTreeSet<String>,
    /// Whether the workspace's `teams` could not be read (absent from a mapping with an
    /// unknown key such as `taems`): references to teams are then not reported, because the
    /// fix of that key is what declares them.
    teams_unreadable: bool,
    /// Mappings of the file that had an unknown key (see `node::Sink`).
    tainted: &'a BTreeSet<Pos>,
}

impl Checker<'_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.problems.push(diagnostic);
    }

    fn collect_users(&mut self, files: &[DecodedFile], desired: &mut Desired) {
        for decoded in files {
            let file = &decoded.file;
            let Some(Checked::Valid(users)) = &decoded.manifest.users else {
                continue;
            };
            for (key, entry) in users.iter() {
                let email = match Email::parse(&key.value) {
                    Ok(email) => email,
                    Err(error) => {
                        self.push(
                            problem(file, key.pos, format!("invalid email: {error}"))
                                .with_hint("users are keyed by their email address"),
                        );
                        continue;
                    }
                };
                if let Some(why) = crate::model::names::email_look_alike_problem(&key.value) {
                    // Reported, and still declared, so the references to it add nothing.
                    self.push(problem(file, key.pos, format!("suspicious email: {why}")).with_hint(
                        "retype the address by hand: it would invite someone other than the person it looks like",
                    ));
                }
                let here = source(file, key.pos);
                if let Some(first) = self.users.get(&email) {
                    let mut diagnostic =
                        problem(file, key.pos, format!("user `{email}` is declared twice"))
                            .with_hint("keep one of the two declarations");
                    diagnostic
                        .related
                        .push((first.clone(), "first declared here".to_string()));
                    self.push(diagnostic);
                    continue;
                }
                self.users.insert(email.clone(), here.clone());
                let user = match entry {
                    Checked::Valid(user) => user,
                    Checked::Invalid => {
                        self.broken_users.insert(email);
                        continue;
                    }
                };
                let (name, licenses, invite) = match user {
                    Some(user) => (
                        user.name.as_ref().map(|n| n.value.clone()),
                        user.licenses
                            .as_ref()
                            .map(|list| self.licenses(file, &email, list)),
                        user.invite.unwrap_or(false),
                    ),
                    None => (None, None, false),
                };
                desired.users.insert(
                    email.clone(),
                    DesiredUser {
                        email,
                        name,
                        licenses,
                        invite,
                        source: here,
                    },
                );
            }
        }
    }

    fn licenses(
        &mut self,
        file: &Arc<str>,
        email: &Email,
        list: &[At<License>],
    ) -> BTreeSet<License> {
        let mut set = BTreeSet::new();
        for license in list {
            if !set.insert(license.value) {
                self.push(
                    problem(
                        file,
                        license.pos,
                        format!(
                            "license `{}` is listed twice for `{email}`",
                            license.value.as_str()
                        ),
                    )
                    .with_hint("remove the second one"),
                );
            }
        }
        set
    }

    /// Every workspace declaration that is unique and readable, in file order.
    fn collect_workspace_names(&mut self, files: &[DecodedFile]) -> Vec<WorkspaceDeclaration> {
        let mut out = Vec::new();
        for (file_index, decoded) in files.iter().enumerate() {
            let file = &decoded.file;
            let Some(Checked::Valid(workspaces)) = &decoded.manifest.workspaces else {
                continue;
            };
            for (entry_index, (key, entry)) in workspaces.iter_at().enumerate() {
                if key.value.trim().is_empty() {
                    self.push(problem(file, key.pos, "a workspace name cannot be empty"));
                    continue;
                }
                // Compared by what a reader sees (Unicode NFC, invisible characters,
                // whitespace): `Sales` and `Sales\u{200d}` would be one live workspace.
                let name_key = crate::model::names::name_key(&key.value);
                let twin = self
                    .workspace_names
                    .iter()
                    .find(|(name, _)| crate::model::names::name_key(name) == name_key);
                if let Some((first_name, first)) = twin {
                    let message = if *first_name == key.value {
                        format!("workspace `{}` is declared twice", key.value)
                    } else {
                        format!(
                            "workspace {} reads the same as workspace {}",
                            crate::model::names::escaped(&key.value),
                            crate::model::names::escaped(first_name)
                        )
                    };
                    let mut diagnostic = problem(file, key.pos, message)
                        .with_hint("declare each workspace in one file only, and merge the two");
                    diagnostic
                        .related
                        .push((first.clone(), "first declared here".to_string()));
                    self.push(diagnostic);
                    continue;
                }
                self.workspace_names
                    .insert(key.value.clone(), source(file, key.pos));
                match &entry.value {
                    Checked::Valid(_) => out.push((file_index, entry_index)),
                    Checked::Invalid => {
                        self.broken_workspaces.insert(key.value.clone());
                    }
                }
            }
        }
        out
    }

    /// Reads an email that must name a declared user. `None` when it does not (reported).
    fn declared_user(&mut self, file: &Arc<str>, at: &At<String>) -> Option<Email> {
        // Written exactly as declared (nearly always): found without parsing a copy. Only a
        // valid, lowercased address is ever a key, so the text is that address.
        if let Some((declared, _)) = self.users.get_key_value(at.value.as_str()) {
            let declared = declared.clone();
            return (!self.broken_users.contains(&declared)).then_some(declared);
        }
        let email = match Email::parse(&at.value) {
            Ok(email) => email,
            Err(error) => {
                self.push(problem(file, at.pos, format!("invalid email: {error}")));
                return None;
            }
        };
        if !self.broken_users.is_empty() && self.broken_users.contains(&email) {
            return None;
        }
        if let Some((declared, _)) = self.users.get_key_value(&email) {
            // The declaration's own text, shared by every mention (`Email` is an `Arc<str>`).
            return Some(declared.clone());
        }
        if !self.users_complete {
            return None;
        }
        let candidates: Vec<&str> = self.users.keys().map(Email::as_str).collect();
        let hint = match closest(email.as_str(), candidates) {
            Some(best) => format!("did you mean `{best}`? Otherwise declare it under `users:`"),
            None => {
                "declare the user under `users:` (with `invite: true` to invite them)".to_string()
            }
        };
        self.push(
            problem(file, at.pos, format!("`{email}` is not a declared user")).with_hint(hint),
        );
        None
    }

    fn workspace(
        &mut self,
        decoded: &DecodedFile,
        name: &At<String>,
        at: Pos,
        workspace: &format::Workspace,
    ) -> DesiredWorkspace {
        let file = &decoded.file;
        let mut built = DesiredWorkspace {
            name: name.value.clone(),
            source: source(file, name.pos),
            members: BTreeMap::new(),
            teams: BTreeMap::new(),
            distributions: BTreeMap::new(),
            rules: BTreeMap::new(),
            settings: None,
            meeting_types: BTreeMap::new(),
            reminders: BTreeMap::new(),
            links: BTreeMap::new(),
            left_alone: [
                (ObjectKind::WorkspaceMembers, workspace.members.is_none()),
                (ObjectKind::Teams, workspace.teams.is_none()),
                (ObjectKind::Distributions, workspace.distributions.is_none()),
                (ObjectKind::Rules, workspace.rules.is_none()),
                (ObjectKind::MeetingTypes, workspace.meeting_types.is_none()),
                (ObjectKind::Reminders, workspace.reminders.is_none()),
                (
                    ObjectKind::SchedulingLinks,
                    workspace.scheduling_links.is_none(),
                ),
            ]
            .into_iter()
            .filter_map(|(kind, omitted)| omitted.then_some(kind))
            .collect(),
        };
        let members = match &workspace.members {
            Some(Checked::Valid(members)) => members.as_slice(),
            _ => &[],
        };
        for member in members {
            let Some(email) = self.declared_user(file, member) else {
                continue;
            };
            if built.members.contains_key(&email) {
                self.push(
                    problem(
                        file,
                        member.pos,
                        format!(
                            "`{email}` is listed twice in the members of `{}`",
                            name.value
                        ),
                    )
                    .with_hint("remove the second one"),
                );
                continue;
            }
            built.members.insert(email, source(file, member.pos));
        }
        let mut scope = WorkspaceScope {
            name: &name.value,
            source: built.source.clone(),
            members: built.members.keys().cloned().collect(),
            // Without a readable `members` (broken, or absent from a mapping with an unknown
            // key such as `memebers`), every team member would look like an outsider: that
            // check waits for the fix.
            check_membership: match &workspace.members {
                Some(Checked::Valid(_)) => true,
                Some(Checked::Invalid) => false,
                None => !decoded.tainted.contains(&at),
            },
            teams: BTreeMap::new(),
            broken_teams: BTreeSet::new(),
            unlisted_teams: BTreeSet::new(),
            teams_unreadable: workspace.teams.is_none() && decoded.tainted.contains(&at),
            tainted: &decoded.tainted,
        };

        if let Some(teams) = &workspace.teams {
            built.teams = self.teams(file, &mut scope, teams);
        }
        if let Some(distributions) = &workspace.distributions {
            for (key, entry) in distributions.iter_at() {
                let Checked::Valid(distribution) = &entry.value else {
                    continue;
                };
                if let Some(built_distribution) =
                    self.distribution(file, &scope, key, entry.pos, distribution)
                {
                    built
                        .distributions
                        .insert(key.value.clone(), built_distribution);
                }
            }
            self.check_names(
                file,
                &scope,
                "distribution",
                distributions
                    .iter()
                    .map(|(key, entry)| (key, entry.valid().map(|d| d.previously.as_slice()))),
            );
        }
        if let Some(rules) = &workspace.rules {
            for (key, entry) in rules.iter_at() {
                let Checked::Valid(rule) = &entry.value else {
                    continue;
                };
                if let Some(built_rule) = self.rule(file, &scope, key, entry.pos, rule) {
                    built.rules.insert(key.value.clone(), built_rule);
                }
            }
            self.check_names(
                file,
                &scope,
                "rule",
                rules
                    .iter()
                    .map(|(key, entry)| (key, entry.valid().map(|r| r.previously.as_slice()))),
            );
        }
        if let Some(settings) = &workspace.settings
            && let Checked::Valid(value) = &settings.value
        {
            let what = "the distribution settings".to_string();
            let problems = values::workspace_reset(&value.reset_periodicity);
            self.value_problems(file, settings.pos, &what, problems);
        }
        if let Some(settings) = &workspace.settings
            && let Checked::Valid(value) = &settings.value
        {
            built.settings = Some((value.clone(), source(file, settings.pos)));
        }
        self.booking(file, &scope, workspace, &mut built);
        built
    }

    fn teams(
        &mut self,
        file: &Arc<str>,
        scope: &mut WorkspaceScope<'_>,
        teams: &Keyed<Checked<format::Team>>,
    ) -> BTreeMap<String, DesiredTeam> {
        let mut built = BTreeMap::new();
        for (key, entry) in teams.iter() {
            let Checked::Valid(team) = entry else {
                scope.broken_teams.insert(key.value.clone());
                continue;
            };
            let mut members = BTreeMap::new();
            let mut listed = BTreeSet::new();
            let team_members = team.members();
            if team_members.is_none() {
                // No member list: the team is declared, its live members are left alone, and
                // who is on it is not known offline.
                scope.unlisted_teams.insert(key.value.clone());
            }
            for member in team_members.unwrap_or_default() {
                let Some(email) = self.declared_user(file, member) else {
                    continue;
                };
                listed.insert(email.clone());
                if scope.check_membership && !scope.members.contains(&email) {
                    let mut diagnostic = problem(
                        file,
                        member.pos,
                        format!(
                            "`{email}` is on team `{}` but is not a member of workspace `{}`",
                            key.value, scope.name
                        ),
                    )
                    .with_hint(format!(
                        "add `{email}` to the `members` of `{}`, or remove it from the team",
                        scope.name
                    ));
                    diagnostic.related.push((
                        scope.source.clone(),
                        format!("workspace `{}` is declared here", scope.name),
                    ));
                    self.push(diagnostic);
                    continue;
                }
                if members.contains_key(&email) {
                    self.push(
                        problem(
                            file,
                            member.pos,
                            format!("`{email}` is listed twice on team `{}`", key.value),
                        )
                        .with_hint("remove the second one"),
                    );
                    continue;
                }
                members.insert(email, source(file, member.pos));
            }
            let (previously, recreate) = match team {
                format::Team::Members(_) => (Vec::new(), false),
                format::Team::Details(details) => {
                    let recreate = details.recreate.as_ref().is_some_and(|r| r.value);
                    if let Some(flag) = &details.recreate
                        && flag.value
                        && details.previously.is_empty()
                    {
                        self.push(
                            problem(file, flag.pos, "`recreate` only applies to a renamed team")
                                .with_hint(
                                    "list the team's former names under `previously`, or remove `recreate`",
                                ),
                        );
                    }
                    (
                        details.previously.iter().map(|p| p.value.clone()).collect(),
                        recreate,
                    )
                }
            };
            scope.teams.insert(key.value.clone(), listed);
            built.insert(
                key.value.clone(),
                DesiredTeam {
                    name: key.value.clone(),
                    members,
                    members_managed: team_members.is_some(),
                    previously,
                    recreate,
                    source: source(file, key.pos),
                },
            );
        }
        self.check_names(
            file,
            scope,
            "team",
            teams.iter().map(|(key, entry)| {
                let previously = entry.valid().map(|team| match team {
                    format::Team::Members(_) => &[][..],
                    format::Team::Details(details) => details.previously.as_slice(),
                });
                (key, previously)
            }),
        );
        built
    }

    /// Names must not be empty, and former names must not clash with current ones or with
    /// each other: otherwise which live object is meant is ambiguous.
    fn check_names<'a>(
        &mut self,
        file: &Arc<str>,
        scope: &WorkspaceScope<'_>,
        kind: &str,
        entries: impl Iterator<Item = (&'a At<String>, Option<&'a [At<String>]>)>,
    ) {
        let entries: Vec<_> = entries.collect();
        let current: BTreeSet<&str> = entries.iter().map(|(k, _)| k.value.as_str()).collect();
        let mut claimed: BTreeMap<&str, (&str, Pos)> = BTreeMap::new();
        // Two names that read the same (Unicode NFC, invisible characters, whitespace) would
        // be two objects that print alike.
        let mut by_key: BTreeMap<String, &At<String>> = BTreeMap::new();
        for (key, _) in &entries {
            let name_key = crate::model::names::name_key(&key.value);
            match by_key.get(&name_key) {
                Some(first) => {
                    let mut diagnostic = problem(
                        file,
                        key.pos,
                        format!(
                            "{kind} {} reads the same as {kind} {} of workspace `{}`",
                            crate::model::names::escaped(&key.value),
                            crate::model::names::escaped(&first.value),
                            scope.name
                        ),
                    )
                    .with_hint("keep one spelling: names are compared after Unicode normalization and trimming");
                    diagnostic
                        .related
                        .push((source(file, first.pos), "the other spelling".to_string()));
                    self.push(diagnostic);
                }
                None => {
                    by_key.insert(name_key, key);
                }
            }
        }
        for (key, previously) in &entries {
            if key.value.trim().is_empty() {
                self.push(problem(
                    file,
                    key.pos,
                    format!("a {kind} name cannot be empty"),
                ));
            }
            for former in previously.iter().copied().flatten() {
                if current.contains(former.value.as_str()) {
                    self.push(
                        problem(
                            file,
                            former.pos,
                            format!(
                                "`{}` is a former name of {kind} `{}` but is also declared in workspace `{}`",
                                former.value, key.value, scope.name
                            ),
                        )
                        .with_hint(format!(
                            "remove it from `previously`, or remove the {kind} of that name"
                        )),
                    );
                } else if let Some((other, first)) = claimed.get(former.value.as_str()) {
                    let mut diagnostic = problem(
                        file,
                        former.pos,
                        format!(
                            "`{}` is a former name of both {kind} `{other}` and {kind} `{}`",
                            former.value, key.value
                        ),
                    )
                    .with_hint("a former name can belong to one object only");
                    diagnostic
                        .related
                        .push((source(file, *first), "also listed here".to_string()));
                    self.push(diagnostic);
                } else {
                    claimed.insert(former.value.as_str(), (key.value.as_str(), former.pos));
                }
            }
        }
    }

    /// Looks a team up in the workspace. `Ok(None)` when it is declared but broken (already
    /// reported), `Err` when it is not declared (reported here).
    fn team_of<'s>(
        &mut self,
        file: &Arc<str>,
        scope: &'s WorkspaceScope<'_>,
        team: &At<String>,
        user: &str,
    ) -> Result<Option<&'s BTreeSet<Email>>, ()> {
        if scope.unlisted_teams.contains(&team.value) {
            return Ok(None);
        }
        if let Some(members) = scope.teams.get(&team.value) {
            return Ok(Some(members));
        }
        if scope.broken_teams.contains(&team.value) || scope.teams_unreadable {
            return Ok(None);
        }
        let names = scope.teams.keys().map(String::as_str);
        let hint = match closest(&team.value, names) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("declare the team under `teams:` of `{}`", scope.name),
        };
        self.push(
            problem(
                file,
                team.pos,
                format!(
                    "{user} refers to team `{}`, which workspace `{}` does not declare",
                    team.value, scope.name
                ),
            )
            .with_hint(hint),
        );
        Err(())
    }

    /// `caps` and `reset` of `capping` or `meeting.limits`: both (`Some`), or neither, the
    /// explicit empty value that manages "none" (`None`). One without the other is reported.
    fn both_or_neither<'v, R>(
        &mut self,
        file: &Arc<str>,
        pos: Pos,
        key: &str,
        caps: &'v Option<Keyed<At<i64>>>,
        reset: &'v Option<R>,
    ) -> Option<(&'v Keyed<At<i64>>, &'v R)> {
        match (caps, reset) {
            (Some(caps), Some(reset)) => Some((caps, reset)),
            (None, None) => None,
            (caps, _) => {
                let (given, missing) = if caps.is_some() {
                    ("caps", "reset")
                } else {
                    ("reset", "caps")
                };
                self.push(
                    problem(
                        file,
                        pos,
                        format!("`{key}` has `{given}` but no `{missing}`"),
                    )
                    .with_hint(format!(
                        "give both `caps` and `reset`, or write `{key}: {{}}` for none"
                    )),
                );
                None
            }
        }
    }

    /// Reports each problem `values` found in a value of `what`, at `pos`.
    fn value_problems(
        &mut self,
        file: &Arc<str>,
        pos: Pos,
        what: &str,
        problems: Vec<values::ValueProblem>,
    ) {
        for (message, hint) in problems {
            self.push(problem(file, pos, format!("{what}: {message}")).with_hint(hint));
        }
    }

    fn distribution(
        &mut self,
        file: &Arc<str>,
        scope: &WorkspaceScope<'_>,
        name: &At<String>,
        at: Pos,
        distribution: &format::Distribution,
    ) -> Option<DesiredDistribution> {
        let what = format!("distribution `{}`", name.value);
        // An undeclared team is reported; the rest of the distribution is still checked,
        // without the "on its team" checks.
        let team_found = self.team_of(file, scope, &distribution.team, &what);
        let team_declared = team_found.is_ok();
        let team = team_found.ok().flatten().cloned();

        let mut assignments = Vec::new();
        if let Some(record) = &distribution.record {
            assignments.push((
                record.pos,
                Assignment::Record {
                    handling: record.value.handling.clone(),
                },
            ));
        }
        let mut left_alone = BTreeSet::new();
        if let Some(meeting) = &distribution.meeting {
            let limits = match &meeting.value.limits {
                None => {
                    left_alone.insert(DistributionPart::MeetingLimits);
                    None
                }
                Some(limits) => self
                    .both_or_neither(
                        file,
                        limits.pos,
                        "limits",
                        &limits.value.caps,
                        &limits.value.reset,
                    )
                    .map(|(caps, reset)| MeetingLimits {
                        caps: self.per_member(
                            file,
                            &what,
                            &distribution.team.value,
                            team.as_ref(),
                            caps,
                            "a meeting cap",
                            0,
                            i64::from(u32::MAX),
                        ),
                        reset: reset.clone(),
                    }),
            };
            assignments.push((
                meeting.pos,
                Assignment::Meeting {
                    handling: meeting.value.handling.clone(),
                    limits,
                },
            ));
        }
        if let Some(conversation) = &distribution.conversation {
            assignments.push((conversation.pos, Assignment::Conversation));
        }
        if let Some(meeting) = &distribution.meeting
            && let Some(limits) = &meeting.value.limits
            && let Some(reset) = &limits.value.reset
        {
            self.value_problems(file, meeting.pos, &what, values::meeting_reset(reset));
        }
        if let Some(capping) = &distribution.capping
            && let Some(reset) = &capping.value.reset
        {
            self.value_problems(file, name.pos, &what, values::capping_reset(reset));
        }
        let assignment = match assignments.len() {
            1 => assignments.pop().map(|(_, a)| a),
            0 => {
                if !scope.tainted.contains(&at) {
                    self.push(
                        problem(file, name.pos, format!("{what} has no assignment type"))
                            .with_hint("add one of `record:`, `meeting:` or `conversation: {}`"),
                    );
                }
                None
            }
            _ => {
                self.push(
                    problem(
                        file,
                        assignments[1].0,
                        format!("{what} has more than one assignment type"),
                    )
                    .with_hint("keep only one of `record`, `meeting` and `conversation`"),
                );
                None
            }
        };

        let empty = Keyed::default();
        for (omitted, part) in [
            (distribution.weights.is_none(), DistributionPart::Weights),
            (
                distribution.calibration.is_none(),
                DistributionPart::Calibration,
            ),
            (distribution.capping.is_none(), DistributionPart::Capping),
        ] {
            if omitted {
                left_alone.insert(part);
            }
        }
        let weights = self.per_member::<u32>(
            file,
            &what,
            &distribution.team.value,
            team.as_ref(),
            distribution.weights.as_ref().unwrap_or(&empty),
            "a weight",
            0,
            i64::from(MAX_WEIGHT),
        );
        let calibration = self.per_member::<i32>(
            file,
            &what,
            &distribution.team.value,
            team.as_ref(),
            distribution.calibration.as_ref().unwrap_or(&empty),
            "a calibration",
            i64::from(i32::MIN),
            i64::from(i32::MAX),
        );
        let capping = distribution
            .capping
            .as_ref()
            .and_then(|capping| {
                self.both_or_neither(
                    file,
                    capping.pos,
                    "capping",
                    &capping.value.caps,
                    &capping.value.reset,
                )
            })
            .map(|(caps, reset)| Capping {
                caps: self.per_member(
                    file,
                    &what,
                    &distribution.team.value,
                    team.as_ref(),
                    caps,
                    "a cap",
                    0,
                    i64::from(u32::MAX),
                ),
                reset: reset.clone(),
            });
        if !team_declared {
            return None;
        }
        Some(DesiredDistribution {
            name: name.value.clone(),
            previously: distribution
                .previously
                .iter()
                .map(|p| p.value.clone())
                .collect(),
            spec: DistributionSpec {
                team: distribution.team.value.clone(),
                assignment: assignment?,
                weights,
                calibration,
                capping,
            },
            left_alone,
            source: source(file, name.pos),
        })
    }

    /// Reads a mapping of member email -> number (weights, caps, calibration): each email a
    /// declared user on the distribution's team, each number within `min..=max`.
    #[allow(clippy::too_many_arguments)]
    fn per_member<T: TryFrom<i64>>(
        &mut self,
        file: &Arc<str>,
        what: &str,
        team_name: &str,
        team: Option<&BTreeSet<Email>>,
        entries: &Keyed<At<i64>>,
        noun: &str,
        min: i64,
        max: i64,
    ) -> BTreeMap<Email, T> {
        let mut out = BTreeMap::new();
        for (key, number) in entries.iter() {
            let in_range = (min..=max).contains(&number.value);
            if !in_range {
                let range = if noun == "a weight" {
                    format!("weights go from 0 (disabled) to {MAX_WEIGHT}")
                } else {
                    format!("use a number from {min} to {max}")
                };
                self.push(
                    problem(
                        file,
                        number.pos,
                        format!(
                            "{} {} for `{}` is out of range",
                            noun, number.value, key.value
                        ),
                    )
                    .with_hint(range),
                );
            }
            let Some(email) = self.declared_user(file, key) else {
                continue;
            };
            if let Some(members) = team
                && !members.contains(&email)
            {
                self.push(
                    problem(
                        file,
                        key.pos,
                        format!(
                            "`{email}` has {noun} in {what} but is not on its team `{team_name}`"
                        ),
                    )
                    .with_hint(format!(
                        "add `{email}` to team `{team_name}`, or remove this line"
                    )),
                );
                continue;
            }
            if out.contains_key(&email) {
                self.push(
                    problem(
                        file,
                        key.pos,
                        format!("`{email}` is listed twice in {what}"),
                    )
                    .with_hint("emails are case-insensitive: keep one of the two lines"),
                );
                continue;
            }
            if in_range && let Ok(value) = T::try_from(number.value) {
                out.insert(email, value);
            }
        }
        out
    }

    fn rule(
        &mut self,
        file: &Arc<str>,
        scope: &WorkspaceScope<'_>,
        name: &At<String>,
        at: Pos,
        rule: &format::Rule,
    ) -> Option<DesiredRule> {
        let what = format!("rule `{}`", name.value);
        let ownership = rule.ownership.as_ref().is_some_and(|o| o.value);
        let mut ok = true;
        let team = match (&rule.team, ownership) {
            (Some(team), true) => match self.team_of(file, scope, team, &what) {
                Ok(_) => Some(team.value.clone()),
                Err(()) => {
                    ok = false;
                    None
                }
            },
            (Some(team), false) => {
                self.push(
                    problem(file, team.pos, "`team` only applies to ownership rules")
                        .with_hint("add `ownership: true` to the rule, or remove `team`"),
                );
                ok = false;
                None
            }
            (None, true) => {
                // The API requires `teamId` on an ownership rule.
                let at_key = rule.ownership.as_ref().map_or(name.pos, |o| o.pos);
                self.push(
                    problem(
                        file,
                        at_key,
                        format!(
                            "ownership rule `{}` names no team, and the API refuses an ownership rule without one",
                            name.value
                        ),
                    )
                    .with_hint(format!(
                        "add `team:` with a team of workspace `{}`",
                        scope.name
                    )),
                );
                ok = false;
                None
            }
            (None, false) => None,
        };
        let kind = if ownership {
            RuleKind::Ownership { team }
        } else {
            RuleKind::Standard
        };

        let mut reader = ConditionReader {
            file,
            ownership,
            teams: &scope.teams,
            broken_teams: &scope.broken_teams,
            workspace: scope.name,
            tainted: scope.tainted,
            problems: Vec::new(),
        };
        let conditions = reader.rule_root(name, at, rule);
        self.problems.append(&mut reader.problems);
        let conditions = conditions?;
        if !ok {
            return None;
        }
        Some(DesiredRule {
            name: name.value.clone(),
            previously: rule.previously.iter().map(|p| p.value.clone()).collect(),
            spec: RuleSpec { kind, conditions },
            source: source(file, name.pos),
        })
    }

    fn org(&mut self, files: &[DecodedFile], desired: &mut Desired) {
        let mut tenant_at: Option<Source> = None;
        let mut policy_at: Option<Source> = None;
        for decoded in files {
            let file = &decoded.file;
            let Some(Checked::Valid(org)) = &decoded.manifest.org else {
                continue;
            };
            if let Some(tenant) = &org.tenant {
                let here = source(file, tenant.pos);
                if let Some(first) = &tenant_at {
                    let mut diagnostic = problem(file, tenant.pos, "the tenant is pinned twice")
                        .with_hint("keep one `org.tenant` in the manifest set");
                    diagnostic
                        .related
                        .push((first.clone(), "first pinned here".to_string()));
                    self.push(diagnostic);
                } else if tenant.value.trim().is_empty() {
                    self.push(
                        problem(file, tenant.pos, "the tenant cannot be empty")
                            .with_hint("write the org's `tenantId`, e.g. `acme-corp.app3`"),
                    );
                } else {
                    tenant_at = Some(here.clone());
                    desired.tenant = Some((tenant.value.clone(), here));
                }
            }
            if let Some(policy) = &org.policy {
                let here = source(file, policy.pos);
                if let Some(first) = &policy_at {
                    let mut diagnostic = problem(file, policy.pos, "the policy is declared twice")
                        .with_hint("keep one `org.policy` in the manifest set");
                    diagnostic
                        .related
                        .push((first.clone(), "first declared here".to_string()));
                    self.push(diagnostic);
                    // Its content is still checked, so fixing the duplicate reveals nothing new.
                    if let Checked::Valid(policy) = &policy.value {
                        self.policy(file, here, policy);
                    }
                    continue;
                }
                policy_at = Some(here.clone());
                if let Checked::Valid(policy) = &policy.value {
                    desired.policy = self.policy(file, here, policy);
                }
            }
        }
    }

    fn policy(&mut self, file: &Arc<str>, here: Source, policy: &format::Policy) -> Policy {
        let mut built = Policy {
            source: Some(here),
            ..Policy::default()
        };
        for (workspace, kinds) in policy.prune.iter().flat_map(Keyed::iter) {
            if workspace.value != "*"
                && self.workspaces_complete
                && !self.workspace_names.contains_key(&workspace.value)
                && !self.broken_workspaces.contains(&workspace.value)
            {
                let names = self.workspace_names.keys().map(String::as_str);
                let hint = match closest(&workspace.value, names) {
                    Some(best) => format!("did you mean `{best}`? `*` means every workspace"),
                    None => "name a declared workspace, or `*` for every workspace".to_string(),
                };
                self.push(
                    problem(
                        file,
                        workspace.pos,
                        format!(
                            "`prune` names workspace `{}`, which the manifests do not declare",
                            workspace.value
                        ),
                    )
                    .with_hint(hint),
                );
                continue;
            }
            let entry = built.prune.entry(workspace.value.clone()).or_default();
            for kind in kinds {
                if kind.value == ObjectKind::Licenses && workspace.value != "*" {
                    self.push(
                        problem(file, kind.pos, "`licenses` can be pruned under `*` only")
                            .with_hint("users belong to the org, not to a workspace: write `'*': [licenses]`"),
                    );
                    continue;
                }
                if entry.contains_key(&kind.value) {
                    self.push(
                        problem(
                            file,
                            kind.pos,
                            format!(
                                "`{}` is listed twice for `{}`",
                                kind.value.as_str(),
                                workspace.value
                            ),
                        )
                        .with_hint("remove the second one"),
                    );
                    continue;
                }
                entry.insert(kind.value, source(file, kind.pos));
            }
        }
        if let Some(thresholds) = &policy.thresholds {
            let defaults = Thresholds::default();
            let mut read = |at: &Option<At<i64>>, max: i64, key: &str| -> Option<u32> {
                let at = at.as_ref()?;
                if (0..=max).contains(&at.value) {
                    u32::try_from(at.value).ok()
                } else {
                    self.push(
                        problem(
                            file,
                            at.pos,
                            format!("`{key}` {} is out of range", at.value),
                        )
                        .with_hint(format!("use a number from 0 to {max}")),
                    );
                    None
                }
            };
            built.thresholds = Thresholds {
                max_percent: read(&thresholds.max_percent, 100, "maxPercent")
                    .unwrap_or(defaults.max_percent),
                min_managed: read(&thresholds.min_managed, i64::from(u32::MAX), "minManaged")
                    .unwrap_or(defaults.min_managed),
                max_count: read(&thresholds.max_count, i64::from(u32::MAX), "maxCount"),
            };
        }
        built.allow_destructive = policy.allow_destructive.unwrap_or(false);
        for entry in policy.ignore.iter().flatten() {
            if let Some(ignore) = self.ignore_entry(file, entry) {
                built.ignore.push(ignore);
            }
        }
        built
    }

    fn ignore_entry(&mut self, file: &Arc<str>, entry: &At<format::Ignore>) -> Option<IgnoreEntry> {
        let ignore = &entry.value;
        let mut ok = true;
        if let Err((message, hint)) = check_address(&ignore.object.value) {
            self.push(problem(file, ignore.object.pos, message).with_hint(hint));
            ok = false;
        }
        if ignore.reason.value.trim().is_empty() {
            self.push(
                problem(file, ignore.reason.pos, "the reason cannot be empty")
                    .with_hint("say why this difference is accepted, for the next reader"),
            );
            ok = false;
        }
        if let Some(expires) = &ignore.expires {
            let valid = values::is_date(&expires.value);
            if !valid {
                self.push(
                    problem(
                        file,
                        expires.pos,
                        format!("`{}` is not a date", expires.value),
                    )
                    .with_hint("write the day as YYYY-MM-DD, e.g. 2026-12-31"),
                );
                ok = false;
            }
        }
        ok.then(|| IgnoreEntry {
            object: ignore.object.value.clone(),
            reason: ignore.reason.value.clone(),
            expires: ignore.expires.as_ref().map(|e| e.value.clone()),
            source: source(file, entry.pos),
        })
    }
}

/// The kinds of object addresses, as in `team:Sales/inbound-sdr`.
const ADDRESS_KINDS: [&str; 9] = [
    "team",
    "distribution",
    "rule",
    "members",
    "settings",
    "user",
    "meetingType",
    "reminder",
    "link",
];

/// Checks an object address; on error, the message and a hint.
fn check_address(address: &str) -> Result<(), (String, String)> {
    let example = "e.g. `team:Sales/inbound-sdr`, `members:Sales` or `user:ava@example.com`";
    let Some((kind, rest)) = address.split_once(':') else {
        return Err((
            format!("`{address}` is not an object address"),
            format!("write `kind:workspace/name`, {example}"),
        ));
    };
    match kind {
        "team" | "distribution" | "rule" | "meetingType" | "reminder" => {
            match rest.split_once('/') {
                Some((workspace, name)) if !workspace.is_empty() && !name.is_empty() => Ok(()),
                _ => Err((
                    format!("`{address}` does not name a workspace and a {kind}"),
                    format!("write `{kind}:Workspace/name`"),
                )),
            }
        }
        // A scheduling link is addressed by its slug.
        "link" => match rest.split_once('/') {
            Some((workspace, slug)) if !workspace.is_empty() && booking::is_slug(slug) => Ok(()),
            _ => Err((
                format!("`{address}` does not name a workspace and a link's slug"),
                "write `link:Workspace/slug`, e.g. `link:Sales/demo-sales`".to_string(),
            )),
        },
        "members" | "settings" if !rest.is_empty() => Ok(()),
        "members" | "settings" => Err((
            format!("`{address}` does not name a workspace"),
            format!("write `{kind}:Workspace`"),
        )),
        "user" => Email::parse(rest).map(|_| ()).map_err(|error| {
            (
                format!("`{address}` does not name a user: {error}"),
                "write `user:email`".to_string(),
            )
        }),
        _ => Err((
            format!("unknown object kind `{kind}` in `{address}`"),
            match closest(kind, ADDRESS_KINDS) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("kinds are {}", ADDRESS_KINDS.join(", ")),
            },
        )),
    }
}
