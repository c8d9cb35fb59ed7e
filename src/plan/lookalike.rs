//! Look-alike names: a declared name that matches no live object exactly but reads the same
//! as one (`model::names::name_key`: Unicode NFC, invisible characters dropped, whitespace
//! trimmed and folded) names that object. Without this, `sdr` in the manifests next to `sdr `
//! typed in the UI, or a composed `Équipe` next to a decomposed one, would plan a second
//! object that prints the same as the first.
//!
//! What "names that object" means depends on what the API can do: a workspace or team, which
//! cannot be renamed, is planned under its live spelling (references to a team follow); a
//! distribution or rule is renamed in place to the declared spelling, as `previously` would.
//! Each match is a warning quoting both names with what cannot be seen spelled out; more than
//! one live look-alike is a refusal.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::builder::Planner;
use super::problems::PlanProblem;
use crate::model::names::{escaped, look_alike, name_key};
use crate::model::{Condition, DesiredWorkspace, RuleKind, Source};

/// What a declared name finds among live names.
enum Found<'l> {
    /// The same string, or no look-alike: plan as usual.
    Exact,
    None,
    /// One live name that reads the same.
    One(&'l str),
    /// Several: reported.
    Many,
}

impl Planner<'_> {
    /// The live spelling of a declared workspace name, when it differs only as a look-alike.
    pub(super) fn workspace_name<'n>(&mut self, name: &'n str, source: &Source) -> Cow<'n, str> {
        let live_names: Vec<&str> = self.live.workspaces.keys().map(String::as_str).collect();
        match self.find_look_alike("workspace", name, name, &[], &live_names, source) {
            Found::One(live) => {
                self.warn_look_alike(
                    "workspace",
                    name,
                    name,
                    live,
                    "planned under its live name: the API cannot rename workspaces",
                );
                Cow::Owned(live.to_string())
            }
            _ => Cow::Borrowed(name),
        }
    }

    /// The workspace as planned: teams declared under look-alikes of live team names take the
    /// live names (and so do the distributions and rules that use them); distributions and
    /// rules under look-alikes of live names list the live name as a former name.
    pub(super) fn resolve_look_alikes<'w>(
        &mut self,
        workspace: &str,
        desired: &'w DesiredWorkspace,
    ) -> Cow<'w, DesiredWorkspace> {
        let Some(live) = self.live.workspaces.get(workspace) else {
            return Cow::Borrowed(desired);
        };
        let live_teams: Vec<&str> = live.teams.iter().map(|t| t.name.as_str()).collect();
        let live_distributions: Vec<&str> =
            live.distributions.iter().map(|d| d.name.as_str()).collect();
        let live_rules: Vec<&str> = live.rules.iter().map(|r| r.name.as_str()).collect();

        let mut team_names: BTreeMap<String, String> = BTreeMap::new();
        for (name, team) in &desired.teams {
            if let Found::One(live_name) = self.find_look_alike(
                "team",
                workspace,
                name,
                &team.previously,
                &live_teams,
                &team.source,
            ) && !desired.teams.contains_key(live_name)
            {
                self.warn_look_alike(
                    "team",
                    workspace,
                    name,
                    live_name,
                    "planned under its live name: the API cannot rename teams",
                );
                team_names.insert(name.clone(), live_name.to_string());
            }
        }
        let mut distribution_renames = Vec::new();
        for (name, distribution) in &desired.distributions {
            if let Found::One(live_name) = self.find_look_alike(
                "distribution",
                workspace,
                name,
                &distribution.previously,
                &live_distributions,
                &distribution.source,
            ) && !desired.distributions.contains_key(live_name)
            {
                self.warn_look_alike(
                    "distribution",
                    workspace,
                    name,
                    live_name,
                    "renamed in place to the declared spelling",
                );
                distribution_renames.push((name.clone(), live_name.to_string()));
            }
        }
        let mut rule_renames = Vec::new();
        for (name, rule) in &desired.rules {
            if let Found::One(live_name) = self.find_look_alike(
                "rule",
                workspace,
                name,
                &rule.previously,
                &live_rules,
                &rule.source,
            ) && !desired.rules.contains_key(live_name)
            {
                self.warn_look_alike(
                    "rule",
                    workspace,
                    name,
                    live_name,
                    "renamed in place to the declared spelling",
                );
                rule_renames.push((name.clone(), live_name.to_string()));
            }
        }
        let live_meeting_types: Vec<&str> = live
            .meeting_types
            .iter()
            .flatten()
            .map(|m| m.name.as_str())
            .collect();
        let meeting_type_renames = self.renames_in_place(
            "meeting type",
            workspace,
            desired
                .meeting_types
                .values()
                .map(|m| (&m.name, m.previously.as_slice(), &m.source)),
            &|name| desired.meeting_types.contains_key(name),
            &live_meeting_types,
        );
        let live_reminders: Vec<&str> = live
            .reminders
            .iter()
            .flatten()
            .map(|r| r.name.as_str())
            .collect();
        let reminder_renames = self.renames_in_place(
            "reminder",
            workspace,
            desired
                .reminders
                .values()
                .map(|r| (&r.name, r.previously.as_slice(), &r.source)),
            &|name| desired.reminders.contains_key(name),
            &live_reminders,
        );
        if team_names.is_empty()
            && distribution_renames.is_empty()
            && rule_renames.is_empty()
            && meeting_type_renames.is_empty()
            && reminder_renames.is_empty()
        {
            return Cow::Borrowed(desired);
        }

        let mut resolved = desired.clone();
        for (declared, live_name) in &team_names {
            if let Some(mut team) = resolved.teams.remove(declared) {
                team.name.clone_from(live_name);
                resolved.teams.insert(live_name.clone(), team);
            }
        }
        let rename_team = |team: &mut String| {
            if let Some(live_name) = team_names.get(team.as_str()) {
                team.clone_from(live_name);
            }
        };
        for distribution in resolved.distributions.values_mut() {
            rename_team(&mut distribution.spec.team);
        }
        for rule in resolved.rules.values_mut() {
            if let RuleKind::Ownership { team: Some(team) } = &mut rule.spec.kind {
                rename_team(team);
            }
            rename_condition_teams(&mut rule.spec.conditions, &rename_team);
        }
        for (declared, live_name) in distribution_renames {
            if let Some(distribution) = resolved.distributions.get_mut(&declared) {
                distribution.previously.push(live_name);
            }
        }
        for (declared, live_name) in rule_renames {
            if let Some(rule) = resolved.rules.get_mut(&declared) {
                rule.previously.push(live_name);
            }
        }
        for (declared, live_name) in meeting_type_renames {
            if let Some(meeting_type) = resolved.meeting_types.get_mut(&declared) {
                meeting_type.previously.push(live_name);
            }
        }
        for (declared, live_name) in reminder_renames {
            if let Some(reminder) = resolved.reminders.get_mut(&declared) {
                reminder.previously.push(live_name);
            }
        }
        Cow::Owned(resolved)
    }

    /// Declared objects of a kind the API can rename, under look-alikes of live names: each
    /// (declared name, live name), renamed in place to the declared spelling.
    fn renames_in_place<'d>(
        &mut self,
        kind: &str,
        workspace: &str,
        declared: impl Iterator<Item = (&'d String, &'d [String], &'d Source)>,
        is_declared: &dyn Fn(&str) -> bool,
        live_names: &[&str],
    ) -> Vec<(String, String)> {
        let mut renames = Vec::new();
        for (name, previously, source) in declared {
            if let Found::One(live_name) =
                self.find_look_alike(kind, workspace, name, previously, live_names, source)
                && !is_declared(live_name)
            {
                self.warn_look_alike(
                    kind,
                    workspace,
                    name,
                    live_name,
                    "renamed in place to the declared spelling",
                );
                renames.push((name.clone(), live_name.to_string()));
            }
        }
        renames
    }

    /// Looks a declared name (and its former names) up among live names: an exact match of
    /// either means no look-alike is needed; otherwise the live names that read the same.
    fn find_look_alike<'l>(
        &mut self,
        kind: &str,
        workspace: &str,
        name: &str,
        previously: &[String],
        live_names: &[&'l str],
        source: &Source,
    ) -> Found<'l> {
        if live_names
            .iter()
            .any(|live| *live == name || previously.iter().any(|p| p == live))
        {
            return Found::Exact;
        }
        let mut alike: Vec<&'l str> = live_names
            .iter()
            .copied()
            .filter(|live| look_alike(name, live))
            .collect();
        alike.dedup();
        match alike.as_slice() {
            [] => Found::None,
            [one] => Found::One(one),
            _ => {
                self.problem(PlanProblem::AmbiguousLookAlike {
                    kind: kind.to_string(),
                    workspace: workspace.to_string(),
                    declared: name.to_string(),
                    live: alike.iter().map(|s| s.to_string()).collect(),
                    at: source.clone(),
                });
                Found::Many
            }
        }
    }

    fn warn_look_alike(
        &mut self,
        kind: &str,
        workspace: &str,
        declared: &str,
        live: &str,
        what: &str,
    ) {
        let key = name_key(declared);
        let scope = if kind == "workspace" {
            String::new()
        } else {
            format!(" of workspace `{workspace}`")
        };
        self.warn(
            None,
            format!(
                "{kind} {} in the manifests and live {kind} {}{scope} are the same name `{key}` once Unicode-normalized and trimmed: {what}",
                escaped(declared),
                escaped(live),
            ),
        );
    }
}

/// Renames the teams ownership conditions name.
fn rename_condition_teams(condition: &mut Condition, rename: &impl Fn(&mut String)) {
    match condition {
        Condition::Group { conditions, .. } => {
            for nested in conditions {
                rename_condition_teams(nested, rename);
            }
        }
        Condition::Ownership {
            team: Some(team), ..
        } => rename(team),
        _ => {}
    }
}
