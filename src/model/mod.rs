//! The shared vocabulary scoville reasons in: emails, names, sets; `Desired` (from manifests)
//! and `Live` (from the Edge API). No ids appear in `Desired`; `Live` keeps ids and metadata
//! because the applier and the drift report need them.

pub mod booking;
pub mod desired;
pub mod live;
pub mod names;
pub mod vocab;

pub use booking::*;
pub use desired::*;
pub use live::*;
pub use vocab::*;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An email address, compared case-insensitively: stored lowercase.
///
/// Shared, not copied: a clone points at the same text (`Arc<str>`). A large org names each
/// person in a workspace's members, teams and distributions, so one text per person instead of
/// one per mention keeps `Desired` and `Live` about a tenth smaller and skips an allocation and
/// a copy per mention.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct Email(Arc<str>);

/// Why a string is not an email address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("an email address cannot be empty")]
    Empty,
    #[error("`{0}` has no `@`: an email address looks like `name@example.com`")]
    NoAt(String),
    #[error("`{0}` is not an email address: expected `name@domain.tld` with no spaces")]
    Malformed(String),
}

impl Email {
    /// Parses and lowercases an email address. Deliberately simple: one `@`, a non-empty local
    /// part, a domain with a dot, no whitespace. The API is the final judge.
    pub fn parse(raw: &str) -> Result<Email, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        let Some((local, domain)) = trimmed.split_once('@') else {
            return Err(EmailError::NoAt(trimmed.to_string()));
        };
        // ASCII (nearly every address) is checked and lowercased byte by byte: the same
        // answer as the Unicode-aware way below, at a fraction of the cost on a large org.
        let ascii = trimmed.is_ascii();
        let spaced = if ascii {
            trimmed.bytes().any(|b| b == b' ' || b.is_ascii_control())
        } else {
            trimmed.chars().any(|c| c.is_whitespace() || c.is_control())
        };
        let ok = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !spaced;
        if !ok {
            return Err(EmailError::Malformed(trimmed.to_string()));
        }
        Ok(Email(Arc::from(if ascii {
            trimmed.to_ascii_lowercase()
        } else {
            trimmed.to_lowercase()
        })))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An `Email` orders, compares and hashes as its text, so maps keyed by `Email` are searched
/// with a `&str` (a mention written exactly as the address is found without parsing a copy).
impl std::borrow::Borrow<str> for Email {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A place in a manifest file: what a plan step or a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct Source {
    /// Path of the manifest file, as given on the command line (relative where possible).
    /// Shared by every place in the same file (`manifest::check::source` hands out one text per
    /// file), so a clone costs no allocation.
    pub file: Arc<str>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A rule condition tree in domain form: no ids (they are generated on write and ignored on
/// comparison) and teams by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Condition {
    /// All (`and`) or any (`or`) of the nested conditions.
    Group {
        operator: LogicalOperator,
        name: Option<String>,
        conditions: Vec<Condition>,
    },
    /// `reference operator value`, e.g. `SF.Lead.Country isAnyOf [US, CA]`.
    Static {
        reference: DataReference,
        operator: Operator,
        value: serde_json::Value,
    },
    /// `reference empty` / `reference notEmpty`.
    Single {
        reference: DataReference,
        operator: SingleOperator,
    },
    /// Compares two references.
    Value {
        lhs: DataReference,
        operator: Operator,
        rhs: DataReference,
    },
    /// Whether a related object exists.
    ObjectExists {
        source: DataSource,
        object: String,
        exists: bool,
    },
    /// A date field against a relative window.
    Evaluable {
        reference: DataReference,
        operator: Operator,
        evaluable: Evaluable,
    },
    /// Ownership lookup (ownership rules only).
    Ownership {
        ownership: Option<DataReference>,
        team: Option<String>,
        search_by: Option<SearchOwnershipBy>,
    },
}

impl Condition {
    /// Number of nodes in the tree, for summaries.
    pub fn n_nodes(&self) -> usize {
        match self {
            Condition::Group { conditions, .. } => {
                1 + conditions.iter().map(Condition::n_nodes).sum::<usize>()
            }
            _ => 1,
        }
    }

    /// Team names the tree refers to (ownership conditions).
    pub fn teams(&self, out: &mut Vec<String>) {
        match self {
            Condition::Group { conditions, .. } => conditions.iter().for_each(|c| c.teams(out)),
            Condition::Ownership {
                team: Some(team), ..
            } => out.push(team.clone()),
            _ => {}
        }
    }
}

/// How a distribution assigns, in domain form (caps by email).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Assignment {
    Record {
        handling: RecordHandling,
    },
    Meeting {
        handling: MeetingHandling,
        limits: Option<MeetingLimits>,
    },
    Conversation,
}

/// Per-user meeting limits of a Meeting distribution.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingLimits {
    pub caps: BTreeMap<Email, u32>,
    pub reset: MeetingLimitReset,
}

/// Per-user assignment caps of a distribution.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Capping {
    pub caps: BTreeMap<Email, u32>,
    pub reset: CappingReset,
}

/// Everything a distribution's published configuration says, in domain form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionSpec {
    /// Name of the team (in the same workspace) the distribution draws from.
    pub team: String,
    pub assignment: Assignment,
    /// Weight per member, 0..=10000; 0 disables a member without removing them.
    pub weights: BTreeMap<Email, u32>,
    /// Manual calibration per member.
    pub calibration: BTreeMap<Email, i32>,
    pub capping: Option<Capping>,
}

/// The largest weight the API accepts.
pub const MAX_WEIGHT: u32 = 10_000;

/// Whether a routing rule resolves a record owner, and from which team.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RuleKind {
    Standard,
    Ownership { team: Option<String> },
}

/// A routing rule's content in domain form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleSpec {
    pub kind: RuleKind,
    pub conditions: Condition,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The Unicode-aware parse, without the ASCII shortcut: the reference.
    fn parse_unicode(raw: &str) -> Option<String> {
        let trimmed = raw.trim();
        let (local, domain) = trimmed.split_once('@')?;
        let ok = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control());
        ok.then(|| trimmed.to_lowercase())
    }

    proptest! {
        #[test]
        fn the_ascii_shortcut_parses_as_the_unicode_way(
            raw in "[ \\t\\x0b\\x0c\\r\\n\\x00\\x7fA-Za-z0-9@._+-]{0,12}|[ A-Za-zÀ-ÿ\\u{2028}\\u{a0}İ@.]{0,12}|[A-Za-z0-9 İ\\t]{1,5}@[A-ZÀa-z]{1,5}\\.[A-Za-z]{2,3}"
        ) {
            prop_assert_eq!(Email::parse(&raw).ok().map(|email| email.0.to_string()), parse_unicode(&raw));
        }
    }

    #[test]
    fn addresses_are_lowercased_and_refused_with_spaces() {
        assert_eq!(
            Email::parse(" Ana@Example.COM ").unwrap().as_str(),
            "ana@example.com"
        );
        assert!(Email::parse("ana b@example.com").is_err());
        assert!(Email::parse("ana\u{b}@example.com").is_err());
    }
}
