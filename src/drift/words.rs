//! Plan steps told from the org's side. A plan says what apply would do ("add Noah to the
//! team"); a drift report says how the org differs ("Noah is not in the team; the manifests
//! list him"). Same facts, other direction: the plan's `before` is the org, its `after` the
//! manifests.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use super::booking::readable_spans;
use super::types::Difference;
use crate::model::{Email, License, Live};
use crate::plan::{Action, Address, Detail, LicenseChange, Step};
use crate::render::count;

/// The difference a step stands for, with `detail` (the step's own, or a part of it).
pub(super) fn difference(step: &Step, detail: Detail, address: &str, live: &Live) -> Difference {
    let parsed = Address::parse(address);
    let (summary, facts) = match &detail {
        Detail::Members { users } => {
            let container = match parsed {
                Some(Address::Members(_)) => "the workspace",
                _ => "the team",
            };
            let added_at = |user: &str| -> String {
                let Some(Address::Team(workspace, name)) = &parsed else {
                    return String::new();
                };
                Email::parse(user)
                    .ok()
                    .and_then(|email| {
                        live.workspaces
                            .get(workspace)?
                            .teams
                            .iter()
                            .find(|team| &team.name == name)?
                            .added_at
                            .get(&email)
                            .cloned()
                    })
                    .map(|at| format!(" (added {at})"))
                    .unwrap_or_default()
            };
            let n = users.len();
            match step.action {
                Action::Create => (
                    format!(
                        "not in the org: the manifests declare it with {}",
                        count(n, "member", "members")
                    ),
                    users
                        .iter()
                        .map(|u| format!("{} would be a member ({})", u.user, u.reason))
                        .collect(),
                ),
                Action::Delete => (
                    format!(
                        "in the org with {} but not in the manifests ({})",
                        count(n, "member", "members"),
                        why_removed(&step.reason)
                    ),
                    users
                        .iter()
                        .map(|u| format!("{} is a member{}", u.user, added_at(&u.user)))
                        .collect(),
                ),
                Action::Remove => (
                    format!(
                        "{} in {container} but not in the manifests",
                        count(n, "member is", "members are")
                    ),
                    users
                        .iter()
                        .map(|u| {
                            format!(
                                "{} is in {container}{} but not in the manifests ({})",
                                u.user,
                                added_at(&u.user),
                                why_removed(&u.reason)
                            )
                        })
                        .collect(),
                ),
                _ => (
                    format!(
                        "{} the manifests list {} not in {container}",
                        count(n, "member", "members"),
                        if n == 1 { "is" } else { "are" }
                    ),
                    users
                        .iter()
                        .map(|u| {
                            format!(
                                "{} is not in {container}; the manifests list them ({})",
                                u.user, u.reason
                            )
                        })
                        .collect(),
                ),
            }
        }
        Detail::Invite { email, .. } => (
            format!("{email} is not a user of the org; the manifests invite them"),
            vec![format!("declared at {}", step.reason)],
        ),
        Detail::Licenses { users } => (
            "licenses differ from the manifests".to_string(),
            users.iter().flat_map(license_facts).collect(),
        ),
        Detail::Distribution {
            previously,
            before,
            after,
            ..
        } => configuration_words(
            step,
            previously.as_deref(),
            before.as_ref().map(to_json),
            after.as_ref().map(to_json),
        ),
        Detail::Rule {
            previously,
            before,
            after,
            ..
        } => configuration_words(
            step,
            previously.as_deref(),
            before.as_ref().map(to_json),
            after.as_ref().map(to_json),
        ),
        Detail::MeetingType {
            previously,
            before,
            after,
            ..
        } => configuration_words(
            step,
            previously.as_deref(),
            before.as_ref().map(|spec| readable_spans(to_json(spec))),
            after.as_ref().map(|spec| readable_spans(to_json(spec))),
        ),
        Detail::Reminder {
            previously,
            before,
            after,
            ..
        } => configuration_words(
            step,
            previously.as_deref(),
            before.as_ref().map(|spec| readable_spans(to_json(spec))),
            after.as_ref().map(|spec| readable_spans(to_json(spec))),
        ),
        Detail::Link(link) => configuration_words(
            step,
            link.previously.as_deref(),
            link.before.as_ref().map(to_json),
            link.after.as_ref().map(to_json),
        ),
        Detail::Attachment {
            meeting_type,
            reminder,
            ..
        } => (
            match step.action {
                Action::Remove => format!(
                    "reminder `{reminder}` is attached to meeting type `{meeting_type}` but not in the manifests"
                ),
                _ => format!(
                    "reminder `{reminder}` is not attached to meeting type `{meeting_type}`; the manifests attach it"
                ),
            },
            vec![format!("declared at {}", step.reason)],
        ),
        Detail::Settings { before, after } => (
            "distribution settings differ from the manifests".to_string(),
            match before {
                Some(before) => value_differences(&to_json(before), &to_json(after)),
                None => vec!["the org has no settings for this workspace".to_string()],
            },
        ),
    };
    Difference {
        step: step.id.clone(),
        action: step.action,
        summary,
        facts,
        detail,
    }
}

/// A license set as the org has it (`before`) against the manifests (`after`).
fn license_facts(change: &LicenseChange) -> Vec<String> {
    let extra = change.before.difference(&change.after);
    let missing = change.after.difference(&change.before);
    let name = |license: &License| license.as_str().to_string();
    let mut facts: Vec<String> = extra
        .map(|license| {
            format!(
                "{} holds {}, which the manifests do not grant",
                change.email,
                name(license)
            )
        })
        .collect();
    facts.extend(missing.map(|license| {
        format!(
            "{} lacks {}, which the manifests grant ({})",
            change.email,
            name(license),
            change.reason
        )
    }));
    facts
}

/// Words for a distribution or rule: missing, extra, renamed or configured differently.
fn configuration_words(
    step: &Step,
    previously: Option<&str>,
    live: Option<Value>,
    manifests: Option<Value>,
) -> (String, Vec<String>) {
    match (live, manifests) {
        (None, _) => (
            format!("not in the org; the manifests declare it ({})", step.reason),
            Vec::new(),
        ),
        (Some(_), None) => (
            format!(
                "in the org but not in the manifests ({})",
                why_removed(&step.reason)
            ),
            Vec::new(),
        ),
        (Some(live), Some(manifests)) => {
            let facts = value_differences(&live, &manifests);
            let summary = match previously {
                Some(previous) => format!(
                    "still named `{previous}` in the org; the manifests rename it ({})",
                    step.reason
                ),
                None => format!(
                    "configured differently from the manifests ({})",
                    step.reason
                ),
            };
            (summary, facts)
        }
    }
}

/// The planner's reason for removing something, without the "not in manifests" that the
/// drift sentence already says: `prune enabled in org.yaml:11`, `team \`x\` at sales.yaml:28`.
fn why_removed(reason: &str) -> &str {
    reason
        .strip_prefix("not in manifests (")
        .and_then(|rest| rest.strip_suffix(')'))
        .or_else(|| reason.strip_prefix("not in "))
        .unwrap_or(reason)
}

fn to_json<T: Serialize>(value: &T) -> Value {
    // Domain types hold strings, numbers, sequences and string-keyed maps: this cannot fail.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Every leaf where `live` and `manifests` differ, as "`path` is X in the org, Y in the
/// manifests", in the manifests' key order.
pub(super) fn value_differences(live: &Value, manifests: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(&mut out, "", live, manifests);
    out
}

fn walk(out: &mut Vec<String>, path: &str, live: &Value, manifests: &Value) {
    if live == manifests {
        return;
    }
    match (live, manifests) {
        (Value::Object(live_map), Value::Object(manifests_map)) => {
            let mut keys: Vec<&String> = manifests_map.keys().collect();
            let seen: BTreeSet<&String> = keys.iter().copied().collect();
            keys.extend(live_map.keys().filter(|key| !seen.contains(key)));
            for key in keys {
                let child = join(path, key);
                match (live_map.get(key), manifests_map.get(key)) {
                    (Some(l), Some(m)) => walk(out, &child, l, m),
                    (Some(l), None) => out.push(format!(
                        "`{child}` is {} in the org, not set in the manifests",
                        show(l)
                    )),
                    (None, Some(m)) => out.push(format!(
                        "`{child}` is not set in the org, {} in the manifests",
                        show(m)
                    )),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(live_items), Value::Array(manifests_items))
            if live_items.len() == manifests_items.len() =>
        {
            for (index, (l, m)) in live_items.iter().zip(manifests_items).enumerate() {
                walk(out, &format!("{path}[{index}]"), l, m);
            }
        }
        _ => {
            let (l, m) = (show(live), show(manifests));
            let label = if path.is_empty() { "the value" } else { path };
            if l.len() + m.len() > 120 {
                out.push(format!("`{label}` differs (see the diff)"));
            } else {
                out.push(format!("`{label}` is {l} in the org, {m} in the manifests"));
            }
        }
    }
}

/// `a.b`, or `a[key]` for keys that are not plain words (emails, names with spaces).
fn join(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (true, false) => format!("[{key}]"),
        (false, true) => format!("{path}.{key}"),
        (false, false) => format!("{path}[{key}]"),
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::Null => "not set".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn value_differences_name_each_changed_leaf_from_the_org_side() {
        let live = json!({
            "team": "inbound-sdr",
            "weights": {"mia.johansson@acme.example": 50, "liam.patel@acme.example": 100},
            "conditions": [{"value": ["US", "CA", "MX"]}],
            "capping": {"limit": 3}
        });
        let manifests = json!({
            "team": "inbound-sdr",
            "weights": {"mia.johansson@acme.example": 100, "liam.patel@acme.example": 100,
                        "olivia.reyes@acme.example": 100},
            "conditions": [{"value": ["US", "CA"]}],
            "capping": null
        });
        assert_eq!(
            value_differences(&live, &manifests),
            vec![
                "`weights[mia.johansson@acme.example]` is 50 in the org, 100 in the manifests",
                "`weights[olivia.reyes@acme.example]` is not set in the org, 100 in the manifests",
                "`conditions[0].value` is [\"US\",\"CA\",\"MX\"] in the org, [\"US\",\"CA\"] in the manifests",
                "`capping` is {\"limit\":3} in the org, not set in the manifests",
            ]
        );
        assert!(value_differences(&live, &live).is_empty());
    }

    #[test]
    fn drift_facts_quote_lengths_of_time_as_the_manifests_write_them_not_in_seconds() {
        let live = json!({"duration": 2700, "buffers": {"before": null, "after": 600},
                          "trigger": {"kind": "BeforeMeeting", "offset": 7200}});
        let manifests = json!({"duration": 1800, "buffers": {"before": null, "after": 900},
                               "trigger": {"kind": "BeforeMeeting", "offset": 3600}});
        assert_eq!(
            value_differences(&readable_spans(live), &readable_spans(manifests)),
            vec![
                "`duration` is \"45m\" in the org, \"30m\" in the manifests",
                "`buffers.after` is \"10m\" in the org, \"15m\" in the manifests",
                "`trigger.offset` is \"2h\" in the org, \"1h\" in the manifests",
            ]
        );
    }
}
