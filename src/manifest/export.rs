//! `scoville export`'s writer: manifests that describe a live org in the layout of
//! docs/manifests.md (org.yaml, users.yaml, one file per workspace), which `load` reads back.
//! What the format cannot hold (two teams of one name, members the org does not know) is left
//! out with a YAML comment that says why.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use super::conditions::{operator_key, source_name, takes_list};
use super::yaml_text::{flow, scalar};
use crate::model::{
    Assignment, Condition, DataReference, Email, Live, LiveDistribution, LiveRule, LiveTeam,
    LiveWorkspace, LogicalOperator, MAX_WEIGHT, RuleKind, SingleOperator,
};

/// One file written by `export`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedFile {
    /// Relative to the export directory.
    pub path: PathBuf,
    pub contents: String,
    /// What the file leaves out, one line per object, each also a `# skipped` comment in the
    /// file: `skipped distribution "Stale weights": it has weights ...`. `scoville export`
    /// prints them, so nothing is left out silently.
    pub skipped: Vec<String>,
}

const HEADER: &str = "# Written by `scoville export` from the live org. Edit freely: this is now the source of truth.\n";

/// Manifests describing `live`: org.yaml (the tenant pin), users.yaml (every user and their
/// licenses) and one file per workspace, named after it.
pub fn export(live: &Live) -> Vec<ExportedFile> {
    let mut files = Vec::new();
    if let Some(tenant) = &live.tenant {
        let mut text = String::from(HEADER);
        let _ = writeln!(text, "org:");
        let _ = writeln!(text, "  tenant: {}", scalar(&tenant.tenant_id));
        text.push_str(POLICY_EXAMPLE);
        files.push(ExportedFile {
            path: PathBuf::from("org.yaml"),
            contents: text,
            skipped: Vec::new(),
        });
    }

    let mut users = String::from(HEADER);
    if live.users.is_empty() {
        users.push_str("# The org has no users.\nusers: {}\n");
    } else {
        users.push_str("users:\n");
        for user in live.users.values() {
            let _ = writeln!(users, "  {}:", scalar(user.email.as_str()));
            if !user.name.trim().is_empty() {
                let _ = writeln!(users, "    name: {}", scalar(&user.name));
            }
            let licenses: Vec<&str> = user.licenses.iter().map(|l| l.as_str()).collect();
            let _ = writeln!(users, "    licenses: [{}]", licenses.join(", "));
        }
    }
    files.push(ExportedFile {
        path: PathBuf::from("users.yaml"),
        contents: users,
        skipped: Vec::new(),
    });

    let mut taken: BTreeSet<String> = ["org", "users"].into_iter().map(String::from).collect();
    for workspace in live.workspaces.values() {
        let stem = unique_stem(&workspace.name, &mut taken);
        let mut skipped = Vec::new();
        let contents = workspace_file(live, workspace, &mut skipped);
        files.push(ExportedFile {
            path: PathBuf::from(format!("{stem}.yaml")),
            contents,
            skipped,
        });
    }
    // Every file points the YAML language server at the schema, written alongside, so editors
    // complete and check the exported manifests at once (scoville itself reads only *.yaml).
    for file in &mut files {
        file.contents = format!("{SCHEMA_LINE}{}", file.contents);
    }
    files.push(ExportedFile {
        path: PathBuf::from(SCHEMA_FILE),
        contents: super::json_schema(),
        skipped: Vec::new(),
    });
    files
}

/// The JSON Schema of the manifests, written next to the exported files.
pub const SCHEMA_FILE: &str = "scoville.schema.json";

/// The first line of every exported manifest (the files are all at the top of the directory).
const SCHEMA_LINE: &str = "# yaml-language-server: $schema=scoville.schema.json\n";

/// A commented-out policy, so the option is discoverable where it would go.
const POLICY_EXAMPLE: &str = concat!(
    "  # policy:\n",
    "  #   prune:\n",
    "  #     \"*\": [teams, distributions, rules, meetingTypes, reminders, schedulingLinks]\n",
    "  #   thresholds: {maxPercent: 30, minManaged: 10}\n",
);

/// A file name for a workspace: lowercase words joined by `-`, unique among the files.
fn unique_stem(name: &str, taken: &mut BTreeSet<String>) -> String {
    let mut stem = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            stem.extend(c.to_lowercase());
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem = stem.trim_end_matches('-').to_string();
    let stem = if stem.is_empty() {
        "workspace".to_string()
    } else {
        stem
    };
    let mut candidate = stem.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{stem}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// The file of one workspace; what it leaves out is also added to `skipped`.
fn workspace_file(live: &Live, workspace: &LiveWorkspace, skipped: &mut Vec<String>) -> String {
    let mut out = String::from(HEADER);
    let _ = writeln!(out, "workspaces:");
    let _ = writeln!(out, "  {}:", scalar(&workspace.name));
    let members: Vec<&Email> = workspace
        .members
        .iter()
        .filter(|email| live.users.contains_key(*email))
        .collect();
    if members.is_empty() {
        let _ = writeln!(out, "    members: []");
    } else {
        let _ = writeln!(out, "    members:");
        for email in &members {
            let _ = writeln!(out, "      - {}", scalar(email.as_str()));
        }
    }
    let members: BTreeSet<&Email> = members.into_iter().collect();

    // Teams that can be written, by name, with their members.
    let mut teams: BTreeMap<&str, &BTreeSet<Email>> = BTreeMap::new();
    let mut team_lines = String::new();
    let mut names = BTreeMap::<&str, usize>::new();
    for team in &workspace.teams {
        *names.entry(team.name.as_str()).or_default() += 1;
    }
    for team in &workspace.teams {
        match team_problem(team, names[team.name.as_str()], &members) {
            Some(why) => skip_comment(&mut team_lines, skipped, "team", &team.name, &why),
            None => {
                teams.insert(&team.name, &team.members);
                let list: Vec<String> = team.members.iter().map(|e| scalar(e.as_str())).collect();
                let _ = writeln!(
                    team_lines,
                    "      {}: [{}]",
                    scalar(&team.name),
                    list.join(", ")
                );
            }
        }
    }
    if !team_lines.is_empty() {
        let _ = writeln!(out, "    teams:");
        out.push_str(&team_lines);
    }

    let mut distribution_names = BTreeMap::<&str, usize>::new();
    for distribution in &workspace.distributions {
        *distribution_names
            .entry(distribution.name.as_str())
            .or_default() += 1;
    }
    let mut distribution_lines = String::new();
    let mut distributions_written = BTreeSet::new();
    for distribution in &workspace.distributions {
        let count = distribution_names[distribution.name.as_str()];
        match distribution_problem(distribution, count, &teams) {
            Some(why) => skip_comment(
                &mut distribution_lines,
                skipped,
                "distribution",
                &distribution.name,
                &why,
            ),
            None => {
                write_distribution(&mut distribution_lines, distribution);
                distributions_written.insert(distribution.name.as_str());
            }
        }
    }
    if !distribution_lines.is_empty() {
        let _ = writeln!(out, "    distributions:");
        out.push_str(&distribution_lines);
    }

    let mut rule_names = BTreeMap::<&str, usize>::new();
    for rule in &workspace.rules {
        *rule_names.entry(rule.name.as_str()).or_default() += 1;
    }
    let mut rule_lines = String::new();
    for rule in &workspace.rules {
        match rule_problem(rule, rule_names[rule.name.as_str()], &teams) {
            Some(why) => skip_comment(&mut rule_lines, skipped, "rule", &rule.name, &why),
            None => write_rule(&mut rule_lines, rule),
        }
    }
    if !rule_lines.is_empty() {
        let _ = writeln!(out, "    rules:");
        out.push_str(&rule_lines);
    }

    if let Some(settings) = &workspace.settings
        && let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(settings)
    {
        let _ = writeln!(out, "    settings:");
        for (key, value) in &fields {
            let _ = writeln!(out, "      {}: {}", scalar(key), flow(value));
        }
    }
    let written = super::export_booking::Written {
        teams: teams.keys().copied().collect(),
        distributions: distributions_written,
    };
    out.push_str(&super::export_booking::sections(
        workspace, &written, skipped,
    ));
    out
}

/// Says in the file, where the object would be (inside a workspace's collection), and in
/// `skipped` that the object called `name` is left out, and why.
pub(super) fn skip_comment(
    out: &mut String,
    skipped: &mut Vec<String>,
    kind: &str,
    name: &str,
    why: &str,
) {
    let name = name.replace(['\n', '\r'], " ");
    let line = format!("skipped {kind} {name:?}: {why}");
    let _ = writeln!(out, "      # {line}");
    skipped.push(line);
}

fn team_problem(team: &LiveTeam, same_name: usize, members: &BTreeSet<&Email>) -> Option<String> {
    if team.name.trim().is_empty() {
        return Some(format!("it has no name (id {})", team.id));
    }
    if same_name > 1 {
        return Some(format!(
            "{same_name} teams of this name exist and manifests name teams uniquely; rename one in Chili Piper and export again (this one is id {})",
            team.id
        ));
    }
    if !team.unknown_member_ids.is_empty() {
        let ids: Vec<&str> = team.unknown_member_ids.iter().map(String::as_str).collect();
        return Some(format!(
            "its members include user ids the org does not know ({}); fix the team in Chili Piper and export again",
            ids.join(", ")
        ));
    }
    let outside: Vec<&str> = team
        .members
        .iter()
        .filter(|email| !members.contains(email))
        .map(Email::as_str)
        .collect();
    if !outside.is_empty() {
        return Some(format!(
            "its members {} are not members of the workspace",
            outside.join(", ")
        ));
    }
    None
}

fn distribution_problem(
    distribution: &LiveDistribution,
    same_name: usize,
    teams: &BTreeMap<&str, &BTreeSet<Email>>,
) -> Option<String> {
    if distribution.name.trim().is_empty() {
        return Some(format!("it has no name (id {})", distribution.id));
    }
    if same_name > 1 {
        return Some(format!(
            "{same_name} distributions of this name exist; rename one in Chili Piper and export again (this one is id {})",
            distribution.id
        ));
    }
    let spec = &distribution.spec;
    let Some(team) = teams.get(spec.team.as_str()) else {
        return Some(format!(
            "its team {} is not written to the manifests",
            spec.team
        ));
    };
    let mut people: Vec<&Email> = spec.weights.keys().collect();
    people.extend(spec.calibration.keys());
    if let Some(capping) = &spec.capping {
        people.extend(capping.caps.keys());
    }
    if let Assignment::Meeting {
        limits: Some(limits),
        ..
    } = &spec.assignment
    {
        people.extend(limits.caps.keys());
    }
    let outside: BTreeSet<&str> = people
        .into_iter()
        .filter(|email| !team.contains(*email))
        .map(Email::as_str)
        .collect();
    if !outside.is_empty() {
        return Some(format!(
            "it has weights, caps or calibration for {}, who {} not on its team",
            outside.iter().copied().collect::<Vec<_>>().join(", "),
            if outside.len() == 1 { "is" } else { "are" }
        ));
    }
    if let Some((email, weight)) = spec.weights.iter().find(|(_, w)| **w > MAX_WEIGHT) {
        return Some(format!(
            "the weight {weight} of {email} is above {MAX_WEIGHT}"
        ));
    }
    None
}

fn per_member_flow<T: std::fmt::Display>(values: &BTreeMap<Email, T>) -> String {
    let entries: Vec<String> = values
        .iter()
        .map(|(email, n)| format!("{}: {n}", scalar(email.as_str())))
        .collect();
    format!("{{{}}}", entries.join(", "))
}

fn write_distribution(out: &mut String, distribution: &LiveDistribution) {
    let spec = &distribution.spec;
    let _ = writeln!(out, "      {}:", scalar(&distribution.name));
    let _ = writeln!(out, "        team: {}", scalar(&spec.team));
    let json = |value: &dyn erased::ToJson| flow(&value.to_json());
    match &spec.assignment {
        Assignment::Record { handling } => {
            let _ = writeln!(out, "        record:");
            let _ = writeln!(out, "          handling: {}", json(handling));
        }
        Assignment::Meeting { handling, limits } => {
            let _ = writeln!(out, "        meeting:");
            let _ = writeln!(out, "          handling: {}", json(handling));
            if let Some(limits) = limits {
                let _ = writeln!(out, "          limits:");
                let _ = writeln!(out, "            caps: {}", per_member_flow(&limits.caps));
                let _ = writeln!(out, "            reset: {}", json(&limits.reset));
            }
        }
        Assignment::Conversation => {
            let _ = writeln!(out, "        conversation: {{}}");
        }
    }
    if !spec.weights.is_empty() {
        let _ = writeln!(out, "        weights:");
        for (email, weight) in &spec.weights {
            let _ = writeln!(out, "          {}: {weight}", scalar(email.as_str()));
        }
    }
    if !spec.calibration.is_empty() {
        let _ = writeln!(
            out,
            "        calibration: {}",
            per_member_flow(&spec.calibration)
        );
    }
    if let Some(capping) = &spec.capping {
        let _ = writeln!(out, "        capping:");
        let _ = writeln!(out, "          caps: {}", per_member_flow(&capping.caps));
        let _ = writeln!(out, "          reset: {}", json(&capping.reset));
    }
}

/// Serializing the leaf enums to JSON without naming each type.
mod erased {
    pub trait ToJson {
        fn to_json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> ToJson for T {
        fn to_json(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
        }
    }
}

fn rule_problem(
    rule: &LiveRule,
    same_name: usize,
    teams: &BTreeMap<&str, &BTreeSet<Email>>,
) -> Option<String> {
    if rule.name.trim().is_empty() {
        return Some(format!("it has no name (id {})", rule.id));
    }
    if same_name > 1 {
        return Some(format!(
            "{same_name} rules of this name exist; rename one in Chili Piper and export again (this one is id {})",
            rule.id
        ));
    }
    let ownership = match &rule.spec.kind {
        RuleKind::Standard => false,
        RuleKind::Ownership { team: None } => {
            return Some("it is an ownership rule without a team, which validate refuses".into());
        }
        RuleKind::Ownership { team: Some(team) } => {
            if !teams.contains_key(team.as_str()) {
                return Some(format!("its team {team} is not written to the manifests"));
            }
            true
        }
    };
    condition_problem(&rule.spec.conditions, ownership, teams)
}

fn reference_problem(reference: &DataReference) -> Option<String> {
    if reference.object.is_empty() || reference.object.contains('.') || reference.field.is_empty() {
        return Some(format!(
            "the field reference {}.{}.{} cannot be written as SOURCE.Object.Field",
            source_name(reference.source),
            reference.object,
            reference.field
        ));
    }
    None
}

fn condition_problem(
    condition: &Condition,
    ownership: bool,
    teams: &BTreeMap<&str, &BTreeSet<Email>>,
) -> Option<String> {
    use serde_json::Value;
    match condition {
        Condition::Group { conditions, .. } => {
            if conditions.is_empty() {
                return Some("it has an empty condition group".to_string());
            }
            conditions
                .iter()
                .find_map(|c| condition_problem(c, ownership, teams))
        }
        Condition::Static {
            reference,
            operator,
            value,
        } => {
            let shape_ok = match value {
                Value::Array(items) => {
                    takes_list(*operator)
                        && !items.is_empty()
                        && items.iter().all(|item| {
                            matches!(item, Value::String(_) | Value::Number(_) | Value::Bool(_))
                        })
                }
                Value::String(_) | Value::Number(_) | Value::Bool(_) => !takes_list(*operator),
                Value::Null | Value::Object(_) => false,
            };
            if !shape_ok {
                return Some(format!(
                    "a `{}` condition has the value {value}, which the manifest form cannot hold",
                    operator_key(*operator)
                ));
            }
            reference_problem(reference)
        }
        Condition::Single { reference, .. } | Condition::Evaluable { reference, .. } => {
            reference_problem(reference)
        }
        Condition::Value { lhs, rhs, .. } => {
            reference_problem(lhs).or_else(|| reference_problem(rhs))
        }
        Condition::ObjectExists { object, .. } => {
            if object.is_empty() || object.contains('.') {
                Some(format!(
                    "the object reference {object} cannot be written as SOURCE.Object"
                ))
            } else {
                None
            }
        }
        Condition::Ownership {
            ownership: field,
            team,
            ..
        } => {
            if !ownership {
                return Some("it has an ownership condition but is not an ownership rule".into());
            }
            if let Some(team) = team
                && !teams.contains_key(team.as_str())
            {
                return Some(format!(
                    "its ownership condition names team {team}, which is not written to the manifests"
                ));
            }
            match field {
                Some(field) => reference_problem(field),
                None => Some(
                    "its ownership condition has no reference (`field`), which validate refuses"
                        .into(),
                ),
            }
        }
    }
}

fn write_rule(out: &mut String, rule: &LiveRule) {
    let _ = writeln!(out, "      {}:", scalar(&rule.name));
    if let RuleKind::Ownership { team } = &rule.spec.kind {
        let _ = writeln!(out, "        ownership: true");
        if let Some(team) = team {
            let _ = writeln!(out, "        team: {}", scalar(team));
        }
    }
    match &rule.spec.conditions {
        Condition::Group {
            operator,
            name,
            conditions,
        } => {
            if let Some(name) = name {
                let _ = writeln!(out, "        groupName: {}", scalar(name));
            }
            let _ = writeln!(out, "        {}:", group_key(*operator));
            for condition in conditions {
                write_condition_item(out, 10, condition);
            }
        }
        leaf => {
            let _ = writeln!(out, "        condition: {}", leaf_flow(leaf));
        }
    }
}

fn group_key(operator: LogicalOperator) -> &'static str {
    match operator {
        LogicalOperator::And => "all",
        LogicalOperator::Or => "any",
    }
}

/// One condition as a list item at `indent`: groups in block form, leaves in flow form.
fn write_condition_item(out: &mut String, indent: usize, condition: &Condition) {
    let pad = " ".repeat(indent);
    match condition {
        Condition::Group {
            operator,
            name,
            conditions,
        } => {
            let _ = writeln!(out, "{pad}- {}:", group_key(*operator));
            for nested in conditions {
                write_condition_item(out, indent + 4, nested);
            }
            if let Some(name) = name {
                let _ = writeln!(out, "{pad}  name: {}", scalar(name));
            }
        }
        leaf => {
            let _ = writeln!(out, "{pad}- {}", leaf_flow(leaf));
        }
    }
}

fn reference_text(reference: &DataReference) -> String {
    scalar(&format!(
        "{}.{}.{}",
        source_name(reference.source),
        reference.object,
        reference.field
    ))
}

/// A condition that is not a group, as a flow mapping.
fn leaf_flow(condition: &Condition) -> String {
    match condition {
        Condition::Static {
            reference,
            operator,
            value,
        } => format!(
            "{{field: {}, {}: {}}}",
            reference_text(reference),
            operator_key(*operator),
            flow(value)
        ),
        Condition::Single {
            reference,
            operator,
        } => {
            let key = match operator {
                SingleOperator::Empty => "empty",
                SingleOperator::NotEmpty => "notEmpty",
            };
            format!("{{field: {}, {key}: true}}", reference_text(reference))
        }
        Condition::Value { lhs, operator, rhs } => format!(
            "{{field: {}, {}: {{field: {}}}}}",
            reference_text(lhs),
            operator_key(*operator),
            reference_text(rhs)
        ),
        Condition::ObjectExists {
            source,
            object,
            exists,
        } => format!(
            "{{object: {}, exists: {exists}}}",
            scalar(&format!("{}.{object}", source_name(*source)))
        ),
        Condition::Evaluable {
            reference,
            operator,
            evaluable,
        } => format!(
            "{{field: {}, {}: {}}}",
            reference_text(reference),
            operator_key(*operator),
            flow(&serde_json::to_value(evaluable).unwrap_or_default())
        ),
        Condition::Ownership {
            ownership,
            team,
            search_by,
        } => {
            let mut parts = Vec::new();
            if let Some(field) = ownership {
                parts.push(format!("field: {}", reference_text(field)));
            }
            if let Some(search_by) = search_by {
                parts.push(format!(
                    "searchBy: {}",
                    flow(&serde_json::to_value(search_by).unwrap_or_default())
                ));
            }
            if let Some(team) = team {
                parts.push(format!("team: {}", scalar(team)));
            }
            format!("{{ownership: {{{}}}}}", parts.join(", "))
        }
        Condition::Group { .. } => "{}".to_string(),
    }
}

/// One line per live object the export leaves out because scoville could not read it
/// (`Live::opaque`), saying where it is and what is unknown, sorted; then one per group link
/// written without its host and members, which the API does not return.
pub fn skipped(live: &Live) -> Vec<String> {
    let group_links = live
        .workspaces
        .values()
        .flat_map(super::export_booking::notes);
    live.opaque
        .iter()
        .map(|object| match object.kind {
            crate::model::OpaqueKind::Settings => format!(
                "skipped the distribution settings of workspace `{}`: they have {}",
                object.workspace, object.unknown
            ),
            kind => format!(
                "skipped {} `{}` of workspace `{}`: it has {}",
                kind.as_str(),
                object.name,
                object.workspace,
                object.unknown
            ),
        })
        .chain(group_links)
        .collect()
}
