//! Rule conditions: from the readable manifest form (`all:`/`any:` groups, leaves such as
//! `{field: SF.Lead.Country, isAnyOf: [US, CA]}`) to `model::Condition`, one to one.

use std::collections::{BTreeMap, BTreeSet};

use super::check::problem;
use super::diagnostic::Diagnostic;
use super::format::{self, Operand};
use super::node::{Pos, closest};
use super::wrappers::At;
use crate::model::{
    Condition, DataReference, DataSource, Email, Evaluable, LogicalOperator, Operator,
    SingleOperator,
};

/// The manifest key of each operator that compares a field with a value.
pub const OPERATOR_KEYS: [(&str, Operator); 16] = [
    ("isAnyOf", Operator::IsAnyOf),
    ("isNotAnyOf", Operator::IsNotAnyOf),
    ("startsWithAnyOf", Operator::StartsWithAnyOf),
    ("endsWithAnyOf", Operator::EndsWithAnyOf),
    ("containsAnyOf", Operator::ContainsAnyOf),
    ("containsNoneOf", Operator::ContainsNoneOf),
    ("equal", Operator::Equal),
    ("notEqual", Operator::NotEqual),
    ("contains", Operator::Contains),
    ("doesNotContain", Operator::DoesNotContain),
    ("startsWith", Operator::StartsWith),
    ("endsWith", Operator::EndsWith),
    ("lessThan", Operator::Lt),
    ("greaterThan", Operator::Gt),
    ("atMost", Operator::Le),
    ("atLeast", Operator::Ge),
];

/// The manifest key of an operator.
pub fn operator_key(operator: Operator) -> &'static str {
    OPERATOR_KEYS
        .iter()
        .find(|(_, o)| *o == operator)
        .map(|(key, _)| *key)
        .unwrap_or("equal")
}

/// Whether an operator takes a list of values.
pub fn takes_list(operator: Operator) -> bool {
    matches!(
        operator,
        Operator::IsAnyOf
            | Operator::IsNotAnyOf
            | Operator::StartsWithAnyOf
            | Operator::EndsWithAnyOf
            | Operator::ContainsAnyOf
            | Operator::ContainsNoneOf
    )
}

const SOURCES: [(&str, DataSource); 6] = [
    ("SF", DataSource::SF),
    ("DF", DataSource::DF),
    ("CP", DataSource::CP),
    ("HS", DataSource::HS),
    ("MK", DataSource::MK),
    ("AT", DataSource::AT),
];

/// The manifest spelling of a data source.
pub fn source_name(source: DataSource) -> &'static str {
    SOURCES
        .iter()
        .find(|(_, s)| *s == source)
        .map(|(name, _)| *name)
        .unwrap_or("SF")
}

/// Reads the conditions of one rule, collecting problems.
pub struct ConditionReader<'a> {
    pub file: &'a str,
    /// Whether the rule is an ownership rule (ownership conditions are allowed).
    pub ownership: bool,
    pub teams: &'a BTreeMap<String, BTreeSet<Email>>,
    pub broken_teams: &'a BTreeSet<String>,
    pub workspace: &'a str,
    /// Mappings with an unknown key: "something is missing" is not said about them, as the
    /// unknown key is most likely the missing thing misspelled (and reported).
    pub tainted: &'a BTreeSet<Pos>,
    pub problems: Vec<Diagnostic>,
}

impl ConditionReader<'_> {
    fn push(&mut self, pos: Pos, message: impl Into<String>, hint: impl Into<String>) {
        self.problems
            .push(problem(self.file, pos, message).with_hint(hint));
    }

    /// Like `push`, for "something is missing from `mapping`".
    fn push_missing(
        &mut self,
        mapping: Pos,
        pos: Pos,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        if !self.tainted.contains(&mapping) {
            self.push(pos, message, hint);
        }
    }

    /// The root of a rule: `all`, `any` or `condition`.
    pub fn rule_root(
        &mut self,
        name: &At<String>,
        at: Pos,
        rule: &format::Rule,
    ) -> Option<Condition> {
        let given: Vec<(&str, Pos)> = [
            rule.all.as_ref().map(|_| "all"),
            rule.any.as_ref().map(|_| "any"),
            rule.condition.as_ref().map(|_| "condition"),
        ]
        .into_iter()
        .flatten()
        .map(|key| (key, name.pos))
        .collect();
        match given.len() {
            0 => {
                self.push_missing(
                    at,
                    name.pos,
                    format!("rule `{}` has no conditions", name.value),
                    "add `all:` (every condition must match) or `any:` (one must match)",
                );
                return None;
            }
            1 => {}
            _ => {
                self.push(
                    name.pos,
                    format!(
                        "rule `{}` has more than one of `all`, `any` and `condition`",
                        name.value
                    ),
                    "nest the groups: e.g. `all: [{any: [...]}, ...]`",
                );
                return None;
            }
        }
        if let Some(condition) = &rule.condition {
            if let Some(group_name) = &rule.group_name {
                self.push(
                    group_name.pos,
                    "`groupName` only applies to `all` or `any`",
                    "remove `groupName`",
                );
                return None;
            }
            return self.condition(condition);
        }
        let (operator, list) = match (&rule.all, &rule.any) {
            (Some(all), _) => (LogicalOperator::And, all),
            (_, Some(any)) => (LogicalOperator::Or, any),
            _ => return None,
        };
        self.group(
            name.pos,
            operator,
            rule.group_name.as_ref().map(|n| n.value.clone()),
            list,
        )
    }

    fn group(
        &mut self,
        pos: Pos,
        operator: LogicalOperator,
        name: Option<String>,
        list: &[At<format::Condition>],
    ) -> Option<Condition> {
        if list.is_empty() {
            let key = match operator {
                LogicalOperator::And => "all",
                LogicalOperator::Or => "any",
            };
            self.push(
                pos,
                format!("`{key}` needs at least one condition"),
                "add a condition, or remove the group",
            );
            return None;
        }
        let mut conditions = Vec::with_capacity(list.len());
        let mut ok = true;
        for item in list {
            match self.condition(item) {
                Some(condition) => conditions.push(condition),
                None => ok = false,
            }
        }
        ok.then_some(Condition::Group {
            operator,
            name,
            conditions,
        })
    }

    fn condition(&mut self, at: &At<format::Condition>) -> Option<Condition> {
        let c = &at.value;
        let operators: Vec<(&str, Operator, &At<Operand>)> = [
            (&c.is_any_of, Operator::IsAnyOf),
            (&c.is_not_any_of, Operator::IsNotAnyOf),
            (&c.starts_with_any_of, Operator::StartsWithAnyOf),
            (&c.ends_with_any_of, Operator::EndsWithAnyOf),
            (&c.contains_any_of, Operator::ContainsAnyOf),
            (&c.contains_none_of, Operator::ContainsNoneOf),
            (&c.equal, Operator::Equal),
            (&c.not_equal, Operator::NotEqual),
            (&c.contains, Operator::Contains),
            (&c.does_not_contain, Operator::DoesNotContain),
            (&c.starts_with, Operator::StartsWith),
            (&c.ends_with, Operator::EndsWith),
            (&c.less_than, Operator::Lt),
            (&c.greater_than, Operator::Gt),
            (&c.at_most, Operator::Le),
            (&c.at_least, Operator::Ge),
        ]
        .into_iter()
        .filter_map(|(operand, operator)| {
            operand
                .as_ref()
                .map(|operand| (operator_key(operator), operator, operand))
        })
        .collect();
        let singles: Vec<(&str, SingleOperator, &At<bool>)> = [
            (&c.empty, "empty", SingleOperator::Empty),
            (&c.not_empty, "notEmpty", SingleOperator::NotEmpty),
        ]
        .into_iter()
        .filter_map(|(flag, key, operator)| flag.as_ref().map(|flag| (key, operator, flag)))
        .collect();

        let is_group = c.all.is_some() || c.any.is_some();
        let is_field = c.field.is_some() || !operators.is_empty() || !singles.is_empty();
        let is_object = c.object.is_some() || c.exists.is_some();
        let is_ownership = c.ownership.is_some();
        let shapes: Vec<&str> = [
            (is_group, "a group (`all`/`any`)"),
            (is_field, "a field test (`field`)"),
            (is_object, "an object test (`object`)"),
            (is_ownership, "an ownership lookup (`ownership`)"),
        ]
        .into_iter()
        .filter(|(present, _)| *present)
        .map(|(_, shape)| shape)
        .collect();
        match shapes.len() {
            0 => {
                self.push_missing(
                    at.pos,
                    at.pos,
                    "empty condition",
                    "write `all:`/`any:`, `field:` with an operator, `object:` with `exists:`, or `ownership:`",
                );
                return None;
            }
            1 => {}
            _ => {
                self.push(
                    at.pos,
                    format!(
                        "a condition is one thing, this one mixes {}",
                        shapes.join(" and ")
                    ),
                    "split it into separate conditions of a group",
                );
                return None;
            }
        }
        if c.name.is_some() && !is_group {
            self.push(
                at.pos,
                "`name` only applies to a group (`all` or `any`)",
                "remove `name`",
            );
            return None;
        }

        if is_group {
            return match (&c.all, &c.any) {
                (Some(all), None) => self.group(
                    at.pos,
                    LogicalOperator::And,
                    c.name.as_ref().map(|n| n.value.clone()),
                    all,
                ),
                (None, Some(any)) => self.group(
                    at.pos,
                    LogicalOperator::Or,
                    c.name.as_ref().map(|n| n.value.clone()),
                    any,
                ),
                _ => {
                    self.push(
                        at.pos,
                        "a group has either `all` or `any`, not both",
                        "nest one group in the other",
                    );
                    None
                }
            };
        }
        if is_object {
            return self.object_exists(at.pos, c);
        }
        if let Some(ownership) = &c.ownership {
            return self.ownership(ownership);
        }
        self.field_test(at.pos, c, &operators, &singles)
    }

    fn field_test(
        &mut self,
        pos: Pos,
        c: &format::Condition,
        operators: &[(&str, Operator, &At<Operand>)],
        singles: &[(&str, SingleOperator, &At<bool>)],
    ) -> Option<Condition> {
        let Some(field) = &c.field else {
            self.push_missing(
                pos,
                pos,
                "this condition has an operator but no `field`",
                "add the field tested, e.g. `field: SF.Lead.Country`",
            );
            return None;
        };
        let reference = self.reference(field)?;
        let mut keys: Vec<&str> = operators.iter().map(|(key, _, _)| *key).collect();
        keys.extend(singles.iter().map(|(key, _, _)| *key));
        if keys.len() != 1 {
            let message = if keys.is_empty() {
                format!("condition on `{}` has no operator", field.value)
            } else {
                format!(
                    "condition on `{}` has more than one operator: {}",
                    field.value,
                    keys.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            self.push_missing(
                pos,
                pos,
                message,
                "give one operator, e.g. `isAnyOf: [US, CA]`, `equal: Partner`, `atLeast: 1000` or `notEmpty: true`",
            );
            return None;
        }
        if let Some((key, operator, flag)) = singles.first() {
            if !flag.value {
                let other = match operator {
                    SingleOperator::Empty => "notEmpty",
                    SingleOperator::NotEmpty => "empty",
                };
                self.push(
                    flag.pos,
                    format!("`{key}` only takes `true`"),
                    format!("write `{other}: true` instead"),
                );
                return None;
            }
            return Some(Condition::Single {
                reference,
                operator: *operator,
            });
        }
        let (key, operator, operand) = operators.first()?;
        self.compare(reference, key, *operator, operand)
    }

    fn compare(
        &mut self,
        reference: DataReference,
        key: &str,
        operator: Operator,
        operand: &At<Operand>,
    ) -> Option<Condition> {
        use serde_json::Value;
        let pos = operand.pos;
        match &operand.value.0 {
            Value::Object(object) if object.contains_key("field") => {
                if object.len() != 1 {
                    self.push(
                        pos,
                        "a field to compare with is written `{field: SOURCE.Object.Field}` alone",
                        "remove the other keys",
                    );
                    return None;
                }
                let Some(Value::String(text)) = object.get("field") else {
                    self.push(
                        pos,
                        "`field` must be a string such as `SF.Account.OwnerId`",
                        "write `{field: SOURCE.Object.Field}`",
                    );
                    return None;
                };
                let rhs = self.reference(&At::new(text.clone(), pos))?;
                Some(Condition::Value {
                    lhs: reference,
                    operator,
                    rhs,
                })
            }
            Value::Object(object) if object.contains_key("type") => {
                match serde_json::from_value::<Evaluable>(operand.value.0.clone()) {
                    Ok(evaluable) => Some(Condition::Evaluable {
                        reference,
                        operator,
                        evaluable,
                    }),
                    Err(error) => {
                        self.push(
                            pos,
                            format!("invalid date window: {error}"),
                            "write e.g. `{type: RelativeDay, offset: -7, length: 7}`",
                        );
                        None
                    }
                }
            }
            Value::Object(_) => {
                self.push(
                    pos,
                    format!("`{key}` takes a value, a list, `{{field: ...}}` or a date window"),
                    "compare with another field as `{field: SF.Account.OwnerId}`",
                );
                None
            }
            Value::Null => {
                self.push(
                    pos,
                    format!("`{key}` needs a value"),
                    "write the value after the colon",
                );
                None
            }
            Value::Array(items) => {
                if !takes_list(operator) {
                    self.push(
                        pos,
                        format!("`{key}` takes one value, not a list"),
                        "use `isAnyOf` (or another `...AnyOf` operator) to match a list",
                    );
                    return None;
                }
                if items.is_empty() {
                    self.push(
                        pos,
                        format!("`{key}` needs at least one value"),
                        "add a value",
                    );
                    return None;
                }
                if items
                    .iter()
                    .any(|item| matches!(item, Value::Null | Value::Array(_) | Value::Object(_)))
                {
                    self.push(
                        pos,
                        format!("the values of `{key}` must be strings, numbers or booleans"),
                        "quote values that are not plain words",
                    );
                    return None;
                }
                Some(Condition::Static {
                    reference,
                    operator,
                    value: operand.value.0.clone(),
                })
            }
            scalar => {
                if takes_list(operator) {
                    self.push(
                        pos,
                        format!("`{key}` takes a list of values"),
                        format!("write `{key}: [{}]`", scalar_text(scalar)),
                    );
                    return None;
                }
                Some(Condition::Static {
                    reference,
                    operator,
                    value: scalar.clone(),
                })
            }
        }
    }

    fn object_exists(&mut self, pos: Pos, c: &format::Condition) -> Option<Condition> {
        let (Some(object), Some(exists)) = (&c.object, &c.exists) else {
            self.push_missing(
                pos,
                pos,
                "an object test needs both `object` and `exists`",
                "write e.g. `{object: SF.MatchedAccount, exists: true}`",
            );
            return None;
        };
        let Some((source, name)) = object.value.split_once('.') else {
            self.push(
                object.pos,
                format!("`{}` is not an object reference", object.value),
                "write `SOURCE.Object`, e.g. `SF.MatchedAccount`",
            );
            return None;
        };
        let source = self.data_source(object.pos, source)?;
        if name.is_empty() || name.contains('.') {
            self.push(
                object.pos,
                format!("`{}` is not an object reference", object.value),
                "write `SOURCE.Object`, e.g. `SF.MatchedAccount`",
            );
            return None;
        }
        Some(Condition::ObjectExists {
            source,
            object: name.to_string(),
            exists: exists.value,
        })
    }

    fn ownership(&mut self, at: &At<format::Ownership>) -> Option<Condition> {
        if !self.ownership {
            self.push(
                at.pos,
                "an `ownership` condition needs an ownership rule",
                "add `ownership: true` to the rule",
            );
            return None;
        }
        let lookup = &at.value;
        let ownership = match &lookup.field {
            Some(field) => Some(self.reference(field)?),
            None => {
                self.push(
                    at.pos,
                    "an `ownership` condition needs `field`, the reference that holds the owner: \
                     without it the API answers 400 `OwnershipConditionMissingReference`",
                    "add `field:`, e.g. `field: SF.Account.OwnerId`",
                );
                return None;
            }
        };
        if let Some(team) = &lookup.team
            && !self.teams.contains_key(&team.value)
            && !self.broken_teams.contains(&team.value)
        {
            let hint = match closest(&team.value, self.teams.keys().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("declare the team under `teams:` of `{}`", self.workspace),
            };
            self.push(
                team.pos,
                format!(
                    "ownership lookup refers to team `{}`, which workspace `{}` does not declare",
                    team.value, self.workspace
                ),
                hint,
            );
            return None;
        }
        Some(Condition::Ownership {
            ownership,
            team: lookup.team.as_ref().map(|t| t.value.clone()),
            search_by: lookup.search_by,
        })
    }

    /// `SOURCE.Object.Field` -> a data reference (the field may itself contain dots).
    fn reference(&mut self, at: &At<String>) -> Option<DataReference> {
        let mut parts = at.value.splitn(3, '.');
        let (Some(source), Some(object), Some(field)) = (parts.next(), parts.next(), parts.next())
        else {
            self.push(
                at.pos,
                format!("`{}` is not a field reference", at.value),
                "write `SOURCE.Object.Field`, e.g. `SF.Lead.Country`",
            );
            return None;
        };
        let source = self.data_source(at.pos, source)?;
        if object.is_empty() || field.is_empty() {
            self.push(
                at.pos,
                format!("`{}` is not a field reference", at.value),
                "write `SOURCE.Object.Field`, e.g. `SF.Lead.Country`",
            );
            return None;
        }
        Some(DataReference {
            source,
            object: object.to_string(),
            field: field.to_string(),
        })
    }

    fn data_source(&mut self, pos: Pos, name: &str) -> Option<DataSource> {
        if let Some((_, source)) = SOURCES.iter().find(|(n, _)| *n == name) {
            return Some(*source);
        }
        let names = SOURCES.iter().map(|(n, _)| *n);
        let hint = match SOURCES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some((n, _)) => format!("did you mean `{n}`?"),
            None => match closest(name, names) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "sources are SF (Salesforce), DF (form), CP (Chili Piper), HS (HubSpot) and MK (Marketo)".to_string(),
            },
        };
        self.push(pos, format!("unknown data source `{name}`"), hint);
        None
    }
}

fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
