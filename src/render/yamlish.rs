//! YAML-ish text of distribution configurations, rule conditions and workspace settings, in
//! the manifests' own syntax (`all:`/`any:`, `field: SF.Lead.Country, isAnyOf: [...]`), so a
//! reviewer reads a diff in the words they wrote. Line diffs of these texts show what changes.

use std::fmt::Write as _;

use serde::Serialize;

use crate::model::{
    Assignment, Condition, DataReference, DistributionSpec, LogicalOperator, Operator, RuleKind,
    RuleSpec, SingleOperator, WorkspaceSettings,
};

/// A distribution's configuration, one fact per line (weights one per member).
pub fn distribution(spec: &DistributionSpec) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "team: {}", scalar(&spec.team));
    match &spec.assignment {
        Assignment::Record { handling } => {
            let _ = writeln!(out, "record:");
            let _ = writeln!(out, "  handling: {}", flow_of(handling));
        }
        Assignment::Meeting { handling, limits } => {
            let _ = writeln!(out, "meeting:");
            let _ = writeln!(out, "  handling: {}", flow_of(handling));
            if let Some(limits) = limits {
                let _ = writeln!(out, "  limits:");
                let _ = writeln!(out, "    caps:");
                for (email, cap) in &limits.caps {
                    let _ = writeln!(out, "      {email}: {cap}");
                }
                let _ = writeln!(out, "    reset: {}", flow_of(&limits.reset));
            }
        }
        Assignment::Conversation => {
            let _ = writeln!(out, "conversation: {{}}");
        }
    }
    let _ = writeln!(out, "weights:");
    for (email, weight) in &spec.weights {
        let _ = writeln!(out, "  {email}: {weight}");
    }
    if !spec.calibration.is_empty() {
        let _ = writeln!(out, "calibration:");
        for (email, calibration) in &spec.calibration {
            let _ = writeln!(out, "  {email}: {calibration}");
        }
    }
    if let Some(capping) = &spec.capping {
        let _ = writeln!(out, "capping:");
        let _ = writeln!(out, "  caps:");
        for (email, cap) in &capping.caps {
            let _ = writeln!(out, "    {email}: {cap}");
        }
        let _ = writeln!(out, "  reset: {}", flow_of(&capping.reset));
    }
    out
}

/// A rule: its type, team and condition tree.
pub fn rule(spec: &RuleSpec) -> String {
    let mut out = String::new();
    if let RuleKind::Ownership { team } = &spec.kind {
        let _ = writeln!(out, "ownership: true");
        if let Some(team) = team {
            let _ = writeln!(out, "team: {}", scalar(team));
        }
    }
    match &spec.conditions {
        Condition::Group {
            operator,
            name,
            conditions,
        } => {
            if let Some(name) = name {
                let _ = writeln!(out, "groupName: {}", scalar(name));
            }
            let _ = writeln!(out, "{}:", group_key(*operator));
            for condition in conditions {
                write_item(&mut out, condition, 1);
            }
        }
        other => {
            let _ = writeln!(out, "condition: {}", inline(other));
        }
    }
    out
}

/// Workspace distribution settings, one setting per line.
pub fn settings(settings: &WorkspaceSettings) -> String {
    let mut out = String::new();
    if let serde_json::Value::Object(fields) = to_value(settings) {
        for (key, value) in fields {
            let _ = writeln!(out, "{key}: {}", flow(&value));
        }
    }
    out
}

fn group_key(operator: LogicalOperator) -> &'static str {
    match operator {
        LogicalOperator::And => "all",
        LogicalOperator::Or => "any",
    }
}

/// One `- ...` list item at `depth` (two spaces per level), nested groups as blocks.
fn write_item(out: &mut String, condition: &Condition, depth: usize) {
    let indent = "  ".repeat(depth);
    match condition {
        Condition::Group {
            operator,
            name,
            conditions,
        } => {
            match name {
                Some(name) => {
                    let _ = writeln!(out, "{indent}- name: {}", scalar(name));
                    let _ = writeln!(out, "{indent}  {}:", group_key(*operator));
                }
                None => {
                    let _ = writeln!(out, "{indent}- {}:", group_key(*operator));
                }
            }
            for child in conditions {
                write_item(out, child, depth + 2);
            }
        }
        other => {
            let _ = writeln!(out, "{indent}- {}", inline(other));
        }
    }
}

fn field(reference: &DataReference) -> String {
    let source = flow(&to_value(&reference.source));
    format!("{source}.{}.{}", reference.object, reference.field)
}

/// The manifests' key for an operator.
fn operator_key(operator: Operator) -> &'static str {
    match operator {
        Operator::Lt => "lessThan",
        Operator::Gt => "greaterThan",
        Operator::Le => "atMost",
        Operator::Ge => "atLeast",
        other => other.as_str(),
    }
}

/// A non-group condition as a flow mapping.
fn inline(condition: &Condition) -> String {
    match condition {
        Condition::Group { .. } => String::new(),
        Condition::Static {
            reference,
            operator,
            value,
        } => format!(
            "{{field: {}, {}: {}}}",
            field(reference),
            operator_key(*operator),
            flow(value)
        ),
        Condition::Single {
            reference,
            operator,
        } => format!(
            "{{field: {}, {}: true}}",
            field(reference),
            match operator {
                SingleOperator::Empty => "empty",
                SingleOperator::NotEmpty => "notEmpty",
            }
        ),
        Condition::Value { lhs, operator, rhs } => format!(
            "{{field: {}, {}: {{field: {}}}}}",
            field(lhs),
            operator_key(*operator),
            field(rhs)
        ),
        Condition::ObjectExists {
            source,
            object,
            exists,
        } => format!(
            "{{object: {}.{object}, exists: {exists}}}",
            flow(&to_value(source))
        ),
        Condition::Evaluable {
            reference,
            operator,
            evaluable,
        } => format!(
            "{{field: {}, {}: {}}}",
            field(reference),
            operator_key(*operator),
            flow_of(evaluable)
        ),
        Condition::Ownership {
            ownership,
            team,
            search_by,
        } => {
            let mut parts = Vec::new();
            if let Some(ownership) = ownership {
                parts.push(format!("field: {}", field(ownership)));
            }
            if let Some(search_by) = search_by {
                parts.push(format!("searchBy: {}", flow(&to_value(search_by))));
            }
            if let Some(team) = team {
                parts.push(format!("team: {}", scalar(team)));
            }
            format!("{{ownership: {{{}}}}}", parts.join(", "))
        }
    }
}

fn to_value<T: Serialize>(value: &T) -> serde_json::Value {
    // Plain model types: serialization cannot fail.
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

pub(super) fn flow_of<T: Serialize>(value: &T) -> String {
    flow(&to_value(value))
}

/// A JSON value as YAML flow syntax: `{a: 1, b: [x, y]}`.
fn flow(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "null".to_string(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => scalar(s),
        serde_json::Value::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(flow).collect::<Vec<_>>().join(", ")
            )
        }
        serde_json::Value::Object(fields) => format!(
            "{{{}}}",
            fields
                .iter()
                .map(|(key, value)| format!("{}: {}", scalar(key), flow(value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A string as a YAML scalar, quoted when plain style would change its meaning.
pub(super) fn scalar(text: &str) -> String {
    let special = text.is_empty()
        || text.starts_with(|c: char| " -?:,[]{}#&*!|>'\"%@`".contains(c))
        || text.ends_with(' ')
        || text.contains(": ")
        || text.contains(" #")
        || text.contains(|c: char| ",[]{}".contains(c) || c.is_control())
        || matches!(
            text.to_lowercase().as_str(),
            "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off"
        )
        || text.parse::<f64>().is_ok()
        || text.contains(':') && text.chars().all(|c| c.is_ascii_digit() || c == ':')
        || looks_like_a_date(text);
    if special {
        serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
    } else {
        text.to_string()
    }
}

/// `2026-01-05...`: YAML 1.1 readers take it for a timestamp, so docs/manifests.md says to quote
/// dates, and the plan shows them quoted too.
fn looks_like_a_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DataSource;

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(scalar("America/New_York"), "America/New_York");
        assert_eq!(scalar("00:00"), "\"00:00\"");
        assert_eq!(
            scalar("2026-01-05"),
            "\"2026-01-05\"",
            "dates are quoted, as the docs say"
        );
        assert_eq!(scalar("2026-01-05T10:00:00Z"), "\"2026-01-05T10:00:00Z\"");
        assert_eq!(scalar("2026-Q1"), "2026-Q1");
        assert_eq!(scalar("100"), "\"100\"");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("a, b"), "\"a, b\"");
        assert_eq!(scalar(""), "\"\"");
    }

    #[test]
    fn rules_read_like_the_manifests() {
        let reference = |object: &str, field: &str| DataReference {
            source: DataSource::SF,
            object: object.into(),
            field: field.into(),
        };
        let spec = RuleSpec {
            kind: RuleKind::Standard,
            conditions: Condition::Group {
                operator: LogicalOperator::And,
                name: None,
                conditions: vec![
                    Condition::Static {
                        reference: reference("Lead", "Country"),
                        operator: Operator::IsAnyOf,
                        value: serde_json::json!(["US", "CA"]),
                    },
                    Condition::Group {
                        operator: LogicalOperator::Or,
                        name: Some("big".into()),
                        conditions: vec![Condition::Static {
                            reference: reference("Account", "NumberOfEmployees"),
                            operator: Operator::Ge,
                            value: serde_json::json!(1000),
                        }],
                    },
                ],
            },
        };
        assert_eq!(
            rule(&spec),
            "all:\n  - {field: SF.Lead.Country, isAnyOf: [US, CA]}\n  - name: big\n    any:\n      - {field: SF.Account.NumberOfEmployees, atLeast: 1000}\n"
        );
    }
}
