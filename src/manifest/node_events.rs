//! The fast way to a node tree: the parser's events straight into [`Node`]s, for the plain
//! YAML that manifests are made of. serde-saphyr's way (a `Spanned` value per node, through
//! serde's map protocol) cost two thirds of loading a 50,000-user org; this one builds the same
//! tree from the same parser, configured the same way, at about a third of the cost.
//!
//! It is a fast path, not a second YAML implementation: it returns `None` for anything whose
//! meaning it does not reproduce exactly, and [`super::node::parse`] then reads the text the
//! slow way, which also gives every error its message. `None` is returned for: a syntax error;
//! a tag, anchor, alias or directive; a mapping key that is not a string, that is `<<` (a merge
//! key) or that repeats a key of its mapping; more or fewer than one document; nesting deeper
//! than [`MAX_DEPTH`]; more than [`MAX_NODES`] nodes; and a plain scalar whose type it does not
//! decide with certainty (see [`resolve_plain`]). `node_events_tests.rs` holds the two ways
//! equal on every manifest of the repository and on generated documents, and
//! `node_events_fuzz.rs` on random and mutated texts.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle, Span};

use super::node::{Node, Pos, Value};

/// Open collections allowed before falling back: serde-saphyr refuses nesting past 64, and
/// the slow path says so.
const MAX_DEPTH: usize = 48;

/// Nodes allowed before falling back, well under the slow path's budget
/// ([`super::node::BUDGET_NODES`]), which then decides.
const MAX_NODES: usize = super::node::BUDGET_NODES / 2;

/// The parser options serde-saphyr 2.0 uses with scoville's budget: the parser's defaults,
/// with comment events on and at most 32 of them buffered (serde-saphyr's own limit). The same
/// options make the same texts syntax errors.
fn parser_options() -> granit_parser::Options {
    granit_parser::options! {
        emit_comments: true,
        max_buffered_comment_events: 32,
    }
}

/// A collection being built.
enum Open {
    Seq(Pos, Vec<Node>),
    /// Entries, and the key waiting for its value.
    Map(Pos, Vec<(Node, Node)>, Option<Node>),
}

/// The tree of `text`, or `None` when the slow path must decide (see the module's doc).
pub(super) fn parse(text: &str) -> Option<Node> {
    let mut open: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;
    let mut nodes = 0usize;
    for item in Parser::new_from_str_with_options(text, parser_options()) {
        let (event, span) = item.ok()?;
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Comment(..) => {}
            Event::DocumentStart(_, version) => {
                documents += 1;
                if documents > 1 || version.is_some() {
                    return None;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                let is_key = matches!(open.last(), Some(Open::Map(_, _, None)));
                let node = scalar(text, value, style, span, is_key)?;
                nodes += 1;
                place(&mut open, &mut root, node)?;
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                let is_key = matches!(open.last(), Some(Open::Map(_, _, None)));
                if anchor != 0 || tag.is_some() || is_key || open.len() >= MAX_DEPTH {
                    return None;
                }
                nodes += 1;
                let pos = position(span);
                open.push(if matches!(event, Event::SequenceStart(..)) {
                    Open::Seq(pos, Vec::new())
                } else {
                    Open::Map(pos, Vec::new(), None)
                });
            }
            Event::SequenceEnd => match open.pop() {
                Some(Open::Seq(pos, items)) => {
                    let node = Node {
                        value: Value::Seq(items),
                        pos,
                    };
                    place(&mut open, &mut root, node)?;
                }
                _ => return None,
            },
            Event::MappingEnd => match open.pop() {
                Some(Open::Map(pos, entries, None)) if !repeats_a_key(&entries) => {
                    let node = Node {
                        value: Value::Map(entries),
                        pos,
                    };
                    place(&mut open, &mut root, node)?;
                }
                _ => return None,
            },
            // Aliases, anchors, unresolved aliases and anything a later parser adds.
            _ => return None,
        }
        if nodes > MAX_NODES {
            return None;
        }
    }
    if documents != 1 || !open.is_empty() {
        return None;
    }
    root
}

/// Puts a finished node where it belongs: into the open collection, or as the root.
fn place(open: &mut [Open], root: &mut Option<Node>, node: Node) -> Option<()> {
    match open.last_mut() {
        None if root.is_none() => *root = Some(node),
        None => return None,
        Some(Open::Seq(_, items)) => items.push(node),
        Some(Open::Map(_, _, key @ None)) => *key = Some(node),
        Some(Open::Map(_, entries, key)) => {
            let key = key.take()?;
            entries.push((key, node));
        }
    }
    Some(())
}

/// Whether two keys of one mapping are the same string. Keys are strings here (others fall
/// back), so equal text is what serde-saphyr calls a duplicate, and the slow path reports it.
fn repeats_a_key(entries: &[(Node, Node)]) -> bool {
    fn key(entry: &(Node, Node)) -> Option<&str> {
        match &entry.0.value {
            Value::Str(text) => Some(text.as_str()),
            _ => None,
        }
    }
    if entries.len() <= 16 {
        return entries.iter().enumerate().any(|(i, entry)| {
            entries[..i]
                .iter()
                .any(|earlier| key(earlier) == key(entry))
        });
    }
    let mut keys: Vec<Option<&str>> = entries.iter().map(key).collect();
    keys.sort_unstable();
    keys.windows(2).any(|pair| pair[0] == pair[1])
}

/// serde-saphyr's location of an event: 1-based line, 1-based column in characters, length
/// in characters.
fn position(span: Span) -> Pos {
    Pos {
        line: u32::try_from(span.start.line()).unwrap_or(u32::MAX),
        column: u32::try_from(span.start.col() + 1).unwrap_or(u32::MAX),
        length: u32::try_from(span.len()).unwrap_or(0),
    }
}

/// The source text of a scalar, trimmed, as the slow path keeps it beside a typed value.
fn source(text: &str, span: Span) -> Option<String> {
    let start = span.start.byte_offset()?;
    let end = span.end.byte_offset()?;
    Some(text.get(start..end)?.trim().to_string())
}

fn scalar(
    text: &str,
    value: Cow<'_, str>,
    style: ScalarStyle,
    span: Span,
    is_key: bool,
) -> Option<Node> {
    let pos = position(span);
    if is_key && value == "<<" {
        return None;
    }
    if style != ScalarStyle::Plain {
        return Some(Node {
            value: Value::Str(value.into_owned()),
            pos,
        });
    }
    let value = match resolve_plain(&value)? {
        Plain::Null => Value::Null,
        Plain::Bool(b) => Value::Bool(b, source(text, span)?),
        Plain::Unsigned(n) => Value::Unsigned(n, source(text, span)?),
        Plain::Signed(n) => Value::Signed(n, source(text, span)?),
        Plain::Float(n) => Value::Float(n, source(text, span)?),
        Plain::Str => Value::Str(value.into_owned()),
    };
    if is_key && !matches!(value, Value::Str(_)) {
        return None;
    }
    Some(Node { value, pos })
}

/// What an untagged plain scalar is, decided as serde-saphyr 2.0 decides it for an untyped
/// value with `strict_booleans` (its `deserialize_any`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Plain {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str,
}

/// The type of a plain scalar, or `None` when the text is one this path leaves to the slow
/// one: hexadecimal, octal and binary integers, signs, underscores, leading zeros, exponents,
/// `.inf` and `.nan`, integers too long for certain, and any text that starts like a number
/// and is not one of the simple forms below. Decided here:
/// - `~`, `null` in any case, and nothing at all: null;
/// - `true` and `false` in any case: booleans (YAML 1.1's `yes`, `on` stay strings);
/// - up to 18 decimal digits without a leading zero, with an optional `-`: integers;
/// - digits, `.`, digits, the same way: a fraction;
/// - text that no integer or float syntax accepts (one starting with a letter other than
///   `inf…`/`nan…`, or with a character no number has, or with a sign inside that does not
///   follow an exponent's `e`): a string.
fn resolve_plain(value: &str) -> Option<Plain> {
    if value.is_empty() || value == "~" || value.eq_ignore_ascii_case("null") {
        return Some(Plain::Null);
    }
    let t = value.trim_matches([' ', '\t', '\r', '\n']);
    if t.eq_ignore_ascii_case("true") {
        return Some(Plain::Bool(true));
    }
    if t.eq_ignore_ascii_case("false") {
        return Some(Plain::Bool(false));
    }
    let (negative, magnitude) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let no_leading_zero = |s: &str| s == "0" || !s.starts_with('0');
    if is_digits(magnitude) {
        if magnitude.len() > 18 || !no_leading_zero(magnitude) {
            return None;
        }
        let n: i64 = magnitude.parse().ok()?;
        return Some(if negative {
            Plain::Signed(-n)
        } else {
            Plain::Unsigned(n.unsigned_abs())
        });
    }
    if let Some((whole, fraction)) = magnitude.split_once('.')
        && is_digits(whole)
        && is_digits(fraction)
        && no_leading_zero(whole)
        && magnitude.len() <= 40
    {
        return t.parse().ok().map(Plain::Float);
    }
    definitely_text(t).then_some(Plain::Str)
}

/// Whether no integer or float syntax serde-saphyr tries (its own, then Rust's `f64` parser)
/// can accept `t`.
fn definitely_text(t: &str) -> bool {
    let bytes = t.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    let starts_with = |prefix: &str| {
        t.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    if first.is_ascii_alphabetic() {
        return !(starts_with("inf") || starts_with("nan"));
    }
    // Numbers are ASCII letters, digits, `+`, `-`, `.` and `_`: anything else rules them out.
    if bytes
        .iter()
        .any(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.' | b'_')))
    {
        return true;
    }
    // A sign appears first or right after an exponent's `e`, nowhere else.
    bytes
        .windows(2)
        .any(|pair| matches!(pair[1], b'+' | b'-') && !matches!(pair[0], b'e' | b'E'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_are_typed_only_when_certain() {
        assert_eq!(resolve_plain(""), Some(Plain::Null));
        assert_eq!(resolve_plain("NULL"), Some(Plain::Null));
        assert_eq!(resolve_plain("True"), Some(Plain::Bool(true)));
        assert_eq!(resolve_plain("yes"), Some(Plain::Str));
        assert_eq!(resolve_plain("120"), Some(Plain::Unsigned(120)));
        assert_eq!(resolve_plain("-3"), Some(Plain::Signed(-3)));
        assert_eq!(resolve_plain("0.25"), Some(Plain::Float(0.25)));
        assert_eq!(resolve_plain("ana@example.com"), Some(Plain::Str));
        assert_eq!(resolve_plain("2024-01-31"), Some(Plain::Str));
        assert_eq!(resolve_plain("09:30"), Some(Plain::Str));
        // Left to the slow path.
        for unsure in [
            "007",
            "0x1F",
            "+1",
            "1_000",
            "1e3",
            ".inf",
            "-.Inf",
            "NaN",
            "infinity",
            "1.",
            ".5",
            "12345678901234567890",
        ] {
            assert_eq!(resolve_plain(unsure), None, "{unsure}");
        }
    }
}
