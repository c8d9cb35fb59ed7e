//! One YAML document as a tree of nodes that remember where they are, and a serde `Deserializer`
//! over that tree that puts the place of the offending node on every error.
//!
//! serde-saphyr parses the bytes (syntax, duplicate keys, anchors, budgets) into the tree; the
//! format types in `format.rs` are then deserialized from the tree. Going through a tree instead
//! of deserializing the bytes directly buys three things: every error names the innermost node
//! that caused it, unknown keys are all reported (not just the first), and a broken entry (one
//! team, one rule) is reported and skipped while the rest of the file is still read.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde_saphyr::{MessageFormatter, Spanned};

/// A place in one file: 1-based line and column (in characters), and the length of the marked
/// text in characters (0 for a point). Line 0 means "the whole file".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub length: u32,
}

impl Pos {
    fn from_location(location: &serde_saphyr::Location) -> Pos {
        Pos {
            line: u32::try_from(location.line()).unwrap_or(u32::MAX),
            column: u32::try_from(location.column()).unwrap_or(u32::MAX),
            length: u32::try_from(location.span().len()).unwrap_or(0),
        }
    }

    /// Packs line and column into one integer so a position can travel through serde.
    pub(crate) fn pack(self) -> (u64, u64) {
        (
            (u64::from(self.line) << 32) | u64::from(self.column),
            u64::from(self.length),
        )
    }

    pub(crate) fn unpack(line_column: u64, length: u64) -> Pos {
        Pos {
            line: (line_column >> 32) as u32,
            column: (line_column & 0xffff_ffff) as u32,
            length: u32::try_from(length).unwrap_or(u32::MAX),
        }
    }
}

/// A YAML node and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

/// What a node holds. Scalars keep their source text so that a string field given `2024` or
/// `true` reads the text as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool, String),
    Unsigned(u64, String),
    Signed(i64, String),
    Float(f64, String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// The text of a scalar as a string field would read it.
    fn scalar_text(&self) -> Option<&str> {
        match self {
            Value::Bool(_, raw)
            | Value::Unsigned(_, raw)
            | Value::Signed(_, raw)
            | Value::Float(_, raw) => Some(raw),
            Value::Str(text) => Some(text),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

/// Why a YAML document could not be parsed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    pub message: String,
    pub hint: Option<String>,
    /// `None` when the parser did not say where.
    pub pos: Option<Pos>,
    /// For a duplicate key: where the key was given first.
    pub first: Option<Pos>,
}

/// Nodes (scalars, sequences, mappings) one file may hold. serde-saphyr's default, 250,000,
/// refused the users.yaml of a 50,000-user org (about 7 nodes a user), well under the 8 MiB
/// file cap; a node takes at least two bytes, so this covers any file the cap lets through.
/// The alias limits, which are what stops a YAML bomb, keep their defaults.
pub(super) const BUDGET_NODES: usize = 4_500_000;

/// Events replayed through aliases, in all, per file. serde-saphyr's default (1,000,000) let
/// an alias fan-out (a "billion laughs" of a few hundred bytes) expand into a million nodes,
/// every one then decoded and reported on: tens of seconds. Manifests hardly use aliases;
/// 50,000 events (a 20-line block reused 2,500 times) is still far more than any hand-written
/// reuse, and fails in about a second.
const MAX_REPLAYED_EVENTS: usize = 50_000;

fn alias_limits() -> serde_saphyr::options::AliasLimits {
    serde_saphyr::alias_limits! {
        max_total_replayed_events: MAX_REPLAYED_EVENTS,
    }
}

/// Parses one YAML document into a tree. Duplicate keys, tabs in indentation, more than one
/// document, and documents past serde-saphyr's budgets (nesting depth 64, alias expansion,
/// and the node and event counts of [`BUDGET_NODES`]) are refused here.
///
/// Plain manifests take the fast path of `node_events.rs` (the same tree, built from the
/// parser's events); anything it does not reproduce exactly, errors included, is read here.
pub fn parse(text: &str) -> Result<Node, ParseFailure> {
    if let Some(root) = super::node_events::parse(text) {
        return Ok(root);
    }
    parse_with_serde(text)
}

/// [`parse`] without the fast path: serde-saphyr reads the text into the tree.
pub fn parse_with_serde(text: &str) -> Result<Node, ParseFailure> {
    let options = serde_saphyr::options! {
        // `NO` is Norway and `yes` is a word: only `true` and `false` are booleans.
        strict_booleans: true,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_nodes: BUDGET_NODES,
            max_events: 2 * BUDGET_NODES,
        },
        alias_limits: alias_limits(),
    };
    match serde_saphyr::from_str_with_options::<Spanned<RawNode>>(text, options) {
        Ok(root) => Ok(convert(root, text)),
        Err(error) => {
            let mut failure = describe_parse_error(&error);
            if failure.hint.is_none()
                && let Some(pos) = failure.pos
                && open_flow_before(text, pos)
            {
                failure.hint =
                    Some("a `[` or `{` opened before this point is not closed".to_string());
            }
            if let serde_saphyr::Error::DuplicateMappingKey { key: Some(key), .. } =
                error.without_snippet()
                && let Some(second) = failure.pos
            {
                failure.first = first_occurrence(text, key, second);
            }
            Err(failure)
        }
    }
}

/// How many duplicate keys of one file are reported before the rest are left for later.
const MAX_DUPLICATES: usize = 50;

/// Parses one YAML document like [`parse`], but does not stop at a duplicate key: every
/// duplicate is reported (each with where the key was first given) and the tree is read with
/// the first of each duplicated key, so the rest of the file and the checks across files still
/// run. Other failures give no tree.
pub fn parse_all(text: &str) -> (Option<Node>, Vec<ParseFailure>) {
    let failure = match parse(text) {
        Ok(root) => return (Some(root), Vec::new()),
        Err(failure) if failure.message.starts_with("duplicate key") => failure,
        Err(failure) => return (None, vec![failure]),
    };
    // The parser stops at the first duplicate: to find the next one, the key just reported
    // is disguised as a key of its own (same length, so places do not move) and the text is
    // parsed again.
    let mut failures = vec![failure];
    let mut probe = text.to_string();
    while failures.len() < MAX_DUPLICATES {
        let Some(pos) = failures.last().and_then(|f| f.pos) else {
            break;
        };
        let Some(disguised) = disguise(&probe, pos, failures.len()) else {
            break;
        };
        probe = disguised;
        match parse(&probe) {
            Err(next) if next.message.starts_with("duplicate key") && next.pos != Some(pos) => {
                failures.push(next);
            }
            _ => break,
        }
    }
    let options = serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::FirstWins,
        budget: serde_saphyr::budget! {
            max_nodes: BUDGET_NODES,
            max_events: 2 * BUDGET_NODES,
        },
    };
    let root = serde_saphyr::from_str_with_options::<Spanned<RawNode>>(text, options)
        .ok()
        .map(|root| convert(root, text));
    (root, failures)
}

/// `text` with the key at `pos` replaced by as many private-use characters, the first of
/// which is numbered `n` so that no two disguised keys are equal.
fn disguise(text: &str, pos: Pos, n: usize) -> Option<String> {
    let line_index = (pos.line as usize).checked_sub(1)?;
    let start = (pos.column as usize).checked_sub(1)?;
    let length = (pos.length as usize).max(1);
    let first = char::from_u32(0xE000 + u32::try_from(n).ok()?)?;
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if index != line_index {
            out.push_str(line);
            continue;
        }
        for (column, c) in line.chars().enumerate() {
            if column == start {
                out.push(first);
            } else if column > start && column < start + length && c != '\n' {
                out.push('\u{E000}');
            } else {
                out.push(c);
            }
        }
    }
    Some(out)
}

/// Whether a flow collection (`[` or `{`) is still open at `pos`: the usual cause of a
/// syntax error reported on the line after a forgotten `]`. Quotes and comments are skipped
/// roughly, which is enough for a hint.
fn open_flow_before(text: &str, pos: Pos) -> bool {
    let mut depth: i64 = 0;
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        if line_number > pos.line as usize {
            break;
        }
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for (column, c) in line.chars().enumerate() {
            if line_number == pos.line as usize && column + 1 >= pos.column as usize {
                break;
            }
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' => quote = Some(c),
                    '#' if previous.is_whitespace() => break,
                    '[' | '{' => depth += 1,
                    ']' | '}' => depth -= 1,
                    _ => {}
                },
            }
            previous = c;
        }
    }
    depth > 0
}

/// Where a duplicated key was first given. The parser reports the second occurrence only, so
/// the file is read again keeping first occurrences, and the nearest earlier key of that name
/// (preferably in the same column, as keys of one block mapping are) is taken.
fn first_occurrence(text: &str, key: &str, second: Pos) -> Option<Pos> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::FirstWins,
        budget: serde_saphyr::budget! {
            max_nodes: BUDGET_NODES,
            max_events: 2 * BUDGET_NODES,
        },
        alias_limits: alias_limits(),
    };
    let root = serde_saphyr::from_str_with_options::<Spanned<RawNode>>(text, options).ok()?;
    let root = convert(root, text);
    let mut candidates = Vec::new();
    collect_keys(&root, key, &mut candidates);
    let before = |pos: &&Pos| (pos.line, pos.column) < (second.line, second.column);
    let same_column = candidates
        .iter()
        .filter(before)
        .filter(|pos| pos.column == second.column)
        .max()
        .copied();
    same_column.or_else(|| candidates.iter().filter(before).max().copied())
}

fn collect_keys(node: &Node, key: &str, out: &mut Vec<Pos>) {
    match &node.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                if k.value.scalar_text() == Some(key) {
                    out.push(k.pos);
                }
                collect_keys(v, key, out);
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| collect_keys(item, key, out)),
        _ => {}
    }
}

fn describe_parse_error(error: &serde_saphyr::Error) -> ParseFailure {
    let inner = error.without_snippet();
    let pos = error
        .location()
        .filter(|location| location.line() > 0)
        .map(|location| Pos::from_location(&location));
    let (message, hint) = match inner {
        serde_saphyr::Error::DuplicateMappingKey { key, .. } => (
            match key {
                Some(key) => format!("duplicate key `{key}` in this mapping"),
                None => "duplicate key in this mapping".to_string(),
            },
            Some("a key may appear once per mapping: merge the two entries or remove one".into()),
        ),
        serde_saphyr::Error::MultipleDocuments { .. } => (
            "more than one YAML document in this file".to_string(),
            Some(
                "a manifest file holds one document: move the part after `---` to its own file"
                    .into(),
            ),
        ),
        other => {
            let text = serde_saphyr::DefaultMessageFormatter.format_message(other);
            let hint = if text.contains("tab") {
                Some("indent with spaces: YAML does not allow tabs for indentation".to_string())
            } else {
                None
            };
            (format!("invalid YAML: {text}"), hint)
        }
    };
    ParseFailure {
        message,
        hint,
        pos,
        first: None,
    }
}

/// The tree as serde-saphyr hands it over, with its own span type.
enum RawNode {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<RawNode>, Spanned<RawNode>)>),
}

impl<'de> de::Deserialize<'de> for RawNode {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<RawNode, D::Error> {
        struct RawVisitor;
        impl<'de> Visitor<'de> for RawVisitor {
            type Value = RawNode;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<RawNode, E> {
                Ok(RawNode::Null)
            }
            fn visit_none<E>(self) -> Result<RawNode, E> {
                Ok(RawNode::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
                Ok(RawNode::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
                Ok(RawNode::Signed(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawNode, E> {
                Ok(RawNode::Unsigned(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
                Ok(RawNode::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
                Ok(RawNode::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
                Ok(RawNode::Str(v))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<RawNode>>()? {
                    items.push(item);
                }
                Ok(RawNode::Seq(items))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<RawNode>>()? {
                    let value = map.next_value::<Spanned<RawNode>>()?;
                    entries.push((key, value));
                }
                Ok(RawNode::Map(entries))
            }
        }
        deserializer.deserialize_any(RawVisitor)
    }
}

/// The source text of a scalar, from where it is defined (an alias points at its anchor).
fn raw_text(spanned: &Spanned<RawNode>, text: &str) -> String {
    let span = spanned.defined.span();
    let sliced = span
        .byte_offset()
        .zip(span.byte_len())
        .and_then(|(start, len)| {
            let start = usize::try_from(start).ok()?;
            let end = start.checked_add(usize::try_from(len).ok()?)?;
            text.get(start..end)
        });
    sliced.unwrap_or_default().trim().to_string()
}

fn convert(spanned: Spanned<RawNode>, text: &str) -> Node {
    let pos = Pos::from_location(&spanned.referenced);
    let raw = || raw_text(&spanned, text);
    let value = match &spanned.value {
        RawNode::Null => Value::Null,
        RawNode::Bool(b) => Value::Bool(*b, raw()),
        RawNode::Unsigned(n) => Value::Unsigned(*n, raw()),
        RawNode::Signed(n) => Value::Signed(*n, raw()),
        RawNode::Float(n) => Value::Float(*n, raw()),
        RawNode::Str(_) | RawNode::Seq(_) | RawNode::Map(_) => Value::Null,
    };
    let value = match spanned.value {
        RawNode::Str(s) => Value::Str(s),
        RawNode::Seq(items) => Value::Seq(items.into_iter().map(|i| convert(i, text)).collect()),
        RawNode::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (convert(k, text), convert(v, text)))
                .collect(),
        ),
        _ => value,
    };
    Node { value, pos }
}

/// A problem found while reading a tree into the format types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub message: String,
    pub hint: Option<String>,
    /// The innermost node the error came from; set by the first deserializer it passes.
    pub pos: Option<Pos>,
    /// A key is missing from a mapping that also has an unknown key: most likely the
    /// misspelling of it, which is reported already. The entry is still skipped, quietly.
    pub quiet: bool,
    missing_key: bool,
}

impl DecodeError {
    pub fn new(message: impl Into<String>, hint: Option<String>) -> DecodeError {
        DecodeError {
            message: message.into(),
            hint,
            pos: None,
            quiet: false,
            missing_key: false,
        }
    }

    fn at(mut self, pos: Pos) -> DecodeError {
        if self.pos.is_none() {
            self.pos = Some(pos);
        }
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        DecodeError::new(message.to_string(), None)
    }

    fn invalid_type(unexpected: de::Unexpected, expected: &dyn de::Expected) -> Self {
        let expected = describe_expected(expected);
        let hint = match (&unexpected, expected.as_str()) {
            (de::Unexpected::Str(text), "a list") => Some(format!(
                "write a list: `[{text}]`, or one `- item` per line"
            )),
            (de::Unexpected::Str(text), e)
                if e.contains("number") && text.trim().parse::<f64>().is_ok() =>
            {
                Some("write the number without quotes".to_string())
            }
            (de::Unexpected::Unit, _) => Some("write the value after the colon".to_string()),
            _ => None,
        };
        DecodeError::new(
            format!(
                "expected {expected}, found {}",
                describe_unexpected(&unexpected)
            ),
            hint,
        )
    }

    fn invalid_value(unexpected: de::Unexpected, expected: &dyn de::Expected) -> Self {
        DecodeError::new(
            format!(
                "{} is not allowed here: expected {}",
                describe_unexpected(&unexpected),
                describe_expected(expected)
            ),
            None,
        )
    }

    fn invalid_length(len: usize, expected: &dyn de::Expected) -> Self {
        DecodeError::new(
            format!(
                "expected {}, found {len} items",
                describe_expected(expected)
            ),
            None,
        )
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        DecodeError::new(
            format!("unknown value `{variant}`"),
            Some(suggest(variant, expected)),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DecodeError::new(
            format!("unknown key `{field}`"),
            Some(suggest(field, expected)),
        )
    }

    fn missing_field(field: &'static str) -> Self {
        DecodeError {
            missing_key: true,
            ..DecodeError::new(
                format!("missing key `{field}`"),
                Some(format!("add `{field}:` to this mapping")),
            )
        }
    }

    fn duplicate_field(field: &'static str) -> Self {
        DecodeError::new(format!("key `{field}` is given twice"), None)
    }
}

/// "did you mean `x`?" when one of `candidates` is close to `given`, else the list of them.
pub fn suggest(given: &str, candidates: &[&str]) -> String {
    match closest(given, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if candidates.is_empty() => "remove it".to_string(),
        None => format!(
            "expected one of {}",
            candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Values longer than this get no "did you mean".
const MAX_SUGGESTED_LEN: usize = 200;

/// The candidate most similar to `given`, if any is similar enough to be a likely typo.
pub fn closest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Comparing costs the product of the lengths: a hostile value of 100 KB compared with every
    // declared name took seconds. Nothing that long is a typo of a name.
    if given.len() > MAX_SUGGESTED_LEN {
        return None;
    }
    let lowered = given.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let score = strsim::jaro_winkler(&lowered, &candidate.to_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

/// Reads serde's and the primitive visitors' "expected ..." text the way a manifest author
/// thinks of it.
fn describe_expected(expected: &dyn de::Expected) -> String {
    let text = expected.to_string();
    match text.as_str() {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number (0 or more)".to_string(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_string(),
        "f32" | "f64" => "a number".to_string(),
        "a boolean" => "`true` or `false`".to_string(),
        "a sequence" => "a list".to_string(),
        "a map" => "a mapping".to_string(),
        _ => text,
    }
}

fn describe_unexpected(unexpected: &de::Unexpected) -> String {
    match unexpected {
        de::Unexpected::Bool(b) => format!("`{b}`"),
        de::Unexpected::Unsigned(n) => format!("the number {n}"),
        de::Unexpected::Signed(n) => format!("the number {n}"),
        de::Unexpected::Float(n) => format!("the number {n}"),
        de::Unexpected::Char(c) => format!("`{c}`"),
        de::Unexpected::Str(s) => format!("the string `{s}`"),
        de::Unexpected::Bytes(_) => "bytes".to_string(),
        de::Unexpected::Unit | de::Unexpected::Option => "an empty value".to_string(),
        de::Unexpected::NewtypeStruct | de::Unexpected::NewtypeVariant => "a value".to_string(),
        de::Unexpected::Seq => "a list".to_string(),
        de::Unexpected::Map => "a mapping".to_string(),
        de::Unexpected::Enum => "a choice".to_string(),
        de::Unexpected::UnitVariant
        | de::Unexpected::TupleVariant
        | de::Unexpected::StructVariant => "a choice".to_string(),
        de::Unexpected::Other(other) => other.to_string(),
    }
}

/// How serde would describe the node, for "expected ..., found ..." messages.
fn unexpected(node: &Node) -> de::Unexpected<'_> {
    match &node.value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b, _) => de::Unexpected::Bool(*b),
        Value::Unsigned(n, _) => de::Unexpected::Unsigned(*n),
        Value::Signed(n, _) => de::Unexpected::Signed(*n),
        Value::Float(n, _) => de::Unexpected::Float(*n),
        Value::Str(s) => de::Unexpected::Str(s),
        Value::Seq(_) => de::Unexpected::Seq,
        Value::Map(_) => de::Unexpected::Map,
    }
}

/// Problems reported and skipped over while decoding one file.
#[derive(Debug, Default)]
pub struct Sink {
    problems: RefCell<Vec<DecodeError>>,
    /// Mappings that had an unknown key: a check that finds something missing from one of
    /// them stays quiet, because the unknown key is most likely its misspelling.
    tainted: RefCell<BTreeSet<Pos>>,
}

impl Sink {
    pub fn report(&self, error: DecodeError) {
        if !error.quiet {
            self.problems.borrow_mut().push(error);
        }
    }

    /// The problems, and the positions of the mappings that had unknown keys.
    pub fn into_parts(self) -> (Vec<DecodeError>, BTreeSet<Pos>) {
        (self.problems.into_inner(), self.tainted.into_inner())
    }
}

/// serde newtype names that ask `NodeDeserializer` for a node's position (`At`) or to report
/// and swallow an entry's error (`Checked`). Any other deserializer sees a plain newtype.
pub(crate) const AT_MARKER: &str = "__scoville_manifest_at";
pub(crate) const CHECKED_MARKER: &str = "__scoville_manifest_checked";

/// Deserializes the format types from a node.
#[derive(Clone, Copy)]
pub struct NodeDeserializer<'a> {
    pub node: &'a Node,
    /// The key whose value `node` is, when it is a mapping value.
    key: Option<&'a Node>,
    pub sink: &'a Sink,
}

impl<'a> NodeDeserializer<'a> {
    pub fn new(node: &'a Node, sink: &'a Sink) -> Self {
        NodeDeserializer {
            node,
            key: None,
            sink,
        }
    }

    fn child(&self, node: &'a Node) -> NodeDeserializer<'a> {
        NodeDeserializer {
            node,
            key: None,
            sink: self.sink,
        }
    }

    fn value_of(&self, key: &'a Node, node: &'a Node) -> NodeDeserializer<'a> {
        NodeDeserializer {
            node,
            key: Some(key),
            sink: self.sink,
        }
    }

    /// Where to point at this node: a mapping given as the value of a key is pointed at by
    /// its key (`Inbound Demo Requests:`), as a mapping's own position is only where its
    /// first key starts. Scalars and lists are pointed at directly.
    pub fn anchor(&self) -> Pos {
        match (&self.node.value, self.key) {
            (Value::Map(_), Some(key)) => key.pos,
            _ => self.node.pos,
        }
    }

    fn visit_any<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match &self.node.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b, _) => visitor.visit_bool(*b),
            Value::Unsigned(n, _) => visitor.visit_u64(*n),
            Value::Signed(n, _) => visitor.visit_i64(*n),
            Value::Float(n, _) => visitor.visit_f64(*n),
            Value::Str(s) => visitor.visit_str(s),
            Value::Seq(items) => visitor.visit_seq(NodeSeq {
                items: items.iter(),
                parent: self,
            }),
            Value::Map(entries) => visitor.visit_map(NodeMap {
                entries: entries.iter().collect::<Vec<_>>().into_iter(),
                value: None,
                parent: self,
            }),
        }
    }
}

struct NodeSeq<'a> {
    items: std::slice::Iter<'a, Node>,
    parent: NodeDeserializer<'a>,
}

impl<'de, 'a> de::SeqAccess<'de> for NodeSeq<'a> {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DecodeError> {
        match self.items.next() {
            Some(item) => seed.deserialize(self.parent.child(item)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct NodeMap<'a> {
    entries: std::vec::IntoIter<&'a (Node, Node)>,
    value: Option<(&'a Node, &'a Node)>,
    parent: NodeDeserializer<'a>,
}

impl<'de, 'a> de::MapAccess<'de> for NodeMap<'a> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DecodeError> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some((key, value));
                seed.deserialize(self.parent.child(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DecodeError> {
        match self.value.take() {
            Some((key, value)) => seed.deserialize(self.parent.value_of(key, value)),
            None => Err(DecodeError::new("a mapping value was read twice", None)),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// Hands a node's position to `At`: element 0 is line and column packed, element 1 the length,
/// element 2 the value itself.
struct AtSeq<'a> {
    next: u8,
    inner: NodeDeserializer<'a>,
}

impl<'de, 'a> de::SeqAccess<'de> for AtSeq<'a> {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DecodeError> {
        let (line_column, length) = self.inner.anchor().pack();
        let step = self.next;
        self.next = self.next.saturating_add(1);
        match step {
            0 => seed.deserialize(line_column.into_deserializer()).map(Some),
            1 => seed.deserialize(length.into_deserializer()).map(Some),
            2 => seed.deserialize(self.inner).map(Some),
            _ => Ok(None),
        }
    }
}

/// Hands `Checked` its value, or reports the error and hands it nothing.
struct CheckedSeq<'a> {
    done: bool,
    inner: NodeDeserializer<'a>,
}

impl<'de, 'a> de::SeqAccess<'de> for CheckedSeq<'a> {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DecodeError> {
        if self.done {
            return Ok(None);
        }
        self.done = true;
        match seed.deserialize(self.inner) {
            Ok(value) => Ok(Some(value)),
            Err(error) => {
                self.inner.sink.report(error.at(self.inner.anchor()));
                Ok(None)
            }
        }
    }
}

/// An enum given as a plain string (`distro`) or a one-entry mapping (`Variant: {...}`).
struct NodeEnum<'a> {
    variant: &'a Node,
    content: Option<&'a Node>,
    parent: NodeDeserializer<'a>,
}

impl<'de, 'a> de::EnumAccess<'de> for NodeEnum<'a> {
    type Error = DecodeError;
    type Variant = NodeVariant<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, NodeVariant<'a>), DecodeError> {
        let value = seed.deserialize(self.parent.child(self.variant))?;
        Ok((
            value,
            NodeVariant {
                content: self.content,
                at: self.variant,
                parent: self.parent,
            },
        ))
    }
}

struct NodeVariant<'a> {
    content: Option<&'a Node>,
    at: &'a Node,
    parent: NodeDeserializer<'a>,
}

impl<'a> NodeVariant<'a> {
    fn content(&self) -> Result<NodeDeserializer<'a>, DecodeError> {
        match self.content {
            Some(content) => Ok(self.parent.child(content)),
            None => Err(DecodeError::new("this choice needs a value", None).at(self.at.pos)),
        }
    }
}

impl<'de, 'a> de::VariantAccess<'de> for NodeVariant<'a> {
    type Error = DecodeError;

    fn unit_variant(self) -> Result<(), DecodeError> {
        match self.content {
            None => Ok(()),
            Some(content) if content.value == Value::Null => Ok(()),
            Some(content) => Err(DecodeError::new(
                "this choice takes no value",
                Some("write it as a plain string".into()),
            )
            .at(content.pos)),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, DecodeError> {
        seed.deserialize(self.content()?)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        de::Deserializer::deserialize_seq(self.content()?, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        de::Deserializer::deserialize_struct(self.content()?, "", fields, visitor)
    }
}

impl<'de, 'a> de::Deserializer<'de> for NodeDeserializer<'a> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let pos = self.node.pos;
        self.visit_any(visitor).map_err(|e| e.at(pos))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let pos = self.node.pos;
        match self.node.value.scalar_text() {
            // A string field reads the scalar as written: `2024` is the text "2024".
            Some(text) => visitor.visit_str(text),
            None => self.visit_any(visitor),
        }
        .map_err(|e| e.at(pos))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let pos = self.node.pos;
        match self.node.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| e.at(pos))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let pos = self.node.pos;
        match name {
            AT_MARKER => visitor.visit_seq(AtSeq {
                next: 0,
                inner: self,
            }),
            CHECKED_MARKER => visitor.visit_seq(CheckedSeq {
                done: false,
                inner: self,
            }),
            _ => visitor.visit_newtype_struct(self),
        }
        .map_err(|e| e.at(pos))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let pos = self.node.pos;
        let anchor = self.anchor();
        let Value::Map(entries) = &self.node.value else {
            // A derived struct visitor would also accept a list (as a tuple): refuse it.
            return Err(
                <DecodeError as de::Error>::invalid_type(unexpected(self.node), &visitor).at(pos),
            );
        };
        // Report every unknown key, then read the struct from the known ones, so one typo
        // neither hides the next nor throws away the rest of the mapping.
        let mut known = Vec::with_capacity(entries.len());
        for entry in entries {
            let key = &entry.0;
            match key.value.scalar_text() {
                Some(text) if fields.contains(&text) => known.push(entry),
                Some(text) => self.sink.report(
                    DecodeError::new(format!("unknown key `{text}`"), Some(suggest(text, fields)))
                        .at(key.pos),
                ),
                None => self.sink.report(
                    DecodeError::new(
                        "a key here must be a plain string",
                        Some(suggest("", fields)),
                    )
                    .at(key.pos),
                ),
            }
        }
        let tainted = known.len() < entries.len();
        if tainted {
            self.sink.tainted.borrow_mut().insert(anchor);
        }
        let key_text = self.key.and_then(|key| key.value.scalar_text());
        visitor
            .visit_map(NodeMap {
                entries: known.into_iter(),
                value: None,
                parent: self,
            })
            .map_err(|mut error| {
                if error.missing_key && error.pos.is_none() {
                    error.quiet = tainted;
                    if let Some(key) = key_text {
                        error.message = format!("{} under `{key}`", error.message);
                    }
                }
                error.at(anchor)
            })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let pos = self.node.pos;
        let access = match &self.node.value {
            Value::Map(entries) if entries.len() == 1 => NodeEnum {
                variant: &entries[0].0,
                content: Some(&entries[0].1),
                parent: self,
            },
            value if value.scalar_text().is_some() => NodeEnum {
                variant: self.node,
                content: None,
                parent: self,
            },
            _ => {
                return Err(DecodeError::new(
                    "expected one of the listed choices",
                    Some(suggest("", variants)),
                )
                .at(pos));
            }
        };
        visitor.visit_enum(access).map_err(|e| e.at(pos))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 bytes byte_buf unit unit_struct
        seq tuple tuple_struct map
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::manifest::wrappers::{At, Checked};

    fn decode<T: for<'de> Deserialize<'de>>(
        text: &str,
    ) -> (Result<T, DecodeError>, Vec<DecodeError>) {
        let root = parse(text).expect("parses");
        let sink = Sink::default();
        let result = T::deserialize(NodeDeserializer::new(&root, &sink));
        (result, sink.into_parts().0)
    }

    #[test]
    fn scalars_keep_their_place_and_text() {
        let root = parse("a: 2024\nb: [x, \"y\"]\n").expect("parses");
        let Value::Map(entries) = &root.value else {
            panic!("a mapping")
        };
        assert_eq!(entries[0].1.value, Value::Unsigned(2024, "2024".into()));
        assert_eq!(
            entries[0].1.pos,
            Pos {
                line: 1,
                column: 4,
                length: 4
            }
        );
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("a list")
        };
        assert_eq!(items[1].pos.column, 8);
    }

    #[test]
    fn a_string_field_reads_numbers_and_booleans_as_written() {
        let (names, problems) = decode::<Vec<At<String>>>("[2024, true, 1.50, NO]");
        assert!(problems.is_empty());
        let names: Vec<String> = names
            .expect("decodes")
            .into_iter()
            .map(|n| n.value)
            .collect();
        assert_eq!(names, ["2024", "true", "1.50", "NO"]);
    }

    #[test]
    fn only_true_and_false_are_booleans() {
        let (result, _) = decode::<Vec<bool>>("[yes]");
        let error = result.expect_err("`yes` is a string");
        assert_eq!(
            error.message,
            "expected `true` or `false`, found the string `yes`"
        );
    }

    #[test]
    fn every_duplicate_key_is_reported_and_the_rest_is_read() {
        let (root, failures) = parse_all("a: 1\nb:\n  c: 1\n  c: 2\nd:\n  e: 1\n  e: 2\nf: 3\n");
        let messages: Vec<&str> = failures.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "duplicate key `c` in this mapping",
                "duplicate key `e` in this mapping"
            ]
        );
        assert_eq!(failures[1].first.map(|p| p.line), Some(6));
        let Some(Node {
            value: Value::Map(entries),
            ..
        }) = root
        else {
            panic!("the tree is read past the duplicates");
        };
        assert_eq!(entries.len(), 4, "a, b, d and f are all read");
    }

    #[test]
    fn duplicate_keys_are_refused_naming_the_first() {
        let failure = parse("a: 1\nb:\n  c: 1\n  c: 2\n").expect_err("duplicate");
        assert_eq!(failure.message, "duplicate key `c` in this mapping");
        assert_eq!(failure.pos.map(|p| (p.line, p.column)), Some((4, 3)));
        assert_eq!(failure.first.map(|p| (p.line, p.column)), Some((3, 3)));
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Pair {
        #[allow(dead_code)]
        left: Option<u32>,
        #[allow(dead_code)]
        right: u32,
    }

    #[test]
    fn every_unknown_key_is_reported_and_the_rest_is_read() {
        let (result, problems) = decode::<Pair>("lefft: 1\nright: 2\nrigth: 3\n");
        assert!(result.is_ok());
        let messages: Vec<(&str, Option<&str>)> = problems
            .iter()
            .map(|p| (p.message.as_str(), p.hint.as_deref()))
            .collect();
        assert_eq!(
            messages,
            [
                ("unknown key `lefft`", Some("did you mean `left`?")),
                ("unknown key `rigth`", Some("did you mean `right`?")),
            ]
        );
    }

    #[test]
    fn a_missing_key_next_to_an_unknown_one_is_not_reported_twice() {
        let (result, problems) =
            decode::<Vec<Checked<Pair>>>("- {left: 1, rihgt: 2}\n- {left: 1}\n");
        let entries = result.expect("the list decodes");
        assert!(entries.iter().all(|e| e.valid().is_none()));
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages, ["unknown key `rihgt`", "missing key `right`"]);
    }

    #[test]
    fn a_broken_entry_is_reported_and_skipped() {
        let (result, problems) = decode::<Vec<Checked<u32>>>("[1, two, 3]");
        let entries = result.expect("the list decodes");
        assert_eq!(
            entries,
            [Checked::Valid(1), Checked::Invalid, Checked::Valid(3)]
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].pos.map(|p| p.column), Some(5));
    }
}
