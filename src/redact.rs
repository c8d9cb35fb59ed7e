//! The one redaction function: every text that can carry server or file content (decode errors,
//! error bodies, URLs, echoed arguments, rendered output) passes [`redact_secrets`] before it is
//! shown, and the command line passes everything it prints through [`redact`].
//!
//! A hostile server or manifest may echo the token in another case (`CP_LIVE_...`), cut into
//! pieces, or inside a longer word; so the match is ASCII case-insensitive and any run of
//! [`MIN_FRAGMENT`] or more consecutive characters of the token is removed, not only the whole.

use std::collections::HashSet;
use std::sync::RwLock;

use secrecy::{ExposeSecret, SecretString};

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// The shortest piece of a secret that is removed on its own. Tokens are long random strings;
/// ten characters of one are already too many to show, and ten is long enough that ordinary
/// words do not match by chance.
pub const MIN_FRAGMENT: usize = 10;

/// Every secret this process knows (the token from the environment or a token file), for
/// [`redact`]. Registered by the command line; never printed.
static SECRETS: RwLock<Vec<SecretString>> = RwLock::new(Vec::new());

/// Adds a secret to those [`redact`] removes. Blank values are ignored.
pub fn register(secret: &str) {
    let secret = secret.trim();
    if secret.is_empty() {
        return;
    }
    let mut secrets = SECRETS
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !secrets.iter().any(|known| known.expose_secret() == secret) {
        secrets.push(SecretString::from(secret));
    }
}

/// `text` without any registered secret, whole or in part.
pub fn redact(text: &str) -> String {
    let secrets = SECRETS
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if secrets.is_empty() {
        return text.to_string();
    }
    let exposed: Vec<&str> = secrets.iter().map(|s| s.expose_secret()).collect();
    redact_secrets(text, &exposed)
}

/// `text` with every occurrence of each secret, in any ASCII case, and every run of at least
/// [`MIN_FRAGMENT`] consecutive characters of one (the whole secret when it is shorter),
/// replaced by [`REDACTED`]. Overlapping and adjacent matches become one replacement.
pub fn redact_secrets(text: &str, secrets: &[&str]) -> String {
    let lower = text.to_ascii_lowercase();
    let haystack = lower.as_bytes();
    let mut marked: Vec<(usize, usize)> = Vec::new();
    for secret in secrets {
        let secret = secret.trim().to_ascii_lowercase();
        if secret.is_empty() {
            continue;
        }
        let width = secret.len().min(MIN_FRAGMENT);
        if haystack.len() < width {
            continue;
        }
        let pieces: HashSet<&[u8]> = secret.as_bytes().windows(width).collect();
        let mut starts = [false; 256];
        for piece in &pieces {
            starts[usize::from(piece[0])] = true;
        }
        for start in 0..=haystack.len() - width {
            if starts[usize::from(haystack[start])]
                && pieces.contains(&haystack[start..start + width])
            {
                marked.push((start, start + width));
            }
        }
    }
    if marked.is_empty() {
        return text.to_string();
    }
    marked.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut shown_up_to = 0;
    let mut current: Option<(usize, usize)> = None;
    let flush = |range: (usize, usize), out: &mut String, shown_up_to: &mut usize| {
        // Matches are runs of ASCII bytes (tokens are visible ASCII), so both ends are char
        // boundaries of `text`.
        out.push_str(&text[*shown_up_to..range.0]);
        out.push_str(REDACTED);
        *shown_up_to = range.1;
    };
    for (start, end) in marked {
        current = match current {
            Some((open, close)) if start <= close => Some((open, close.max(end))),
            Some(range) => {
                flush(range, &mut out, &mut shown_up_to);
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    if let Some(range) = current {
        flush(range, &mut out, &mut shown_up_to);
    }
    out.push_str(&text[shown_up_to..]);
    out
}

/// Removes every registered secret from the strings (keys included) of a JSON value; `true`
/// when one was found. For values written to files, where a secret the server echoed in a name
/// or a body would otherwise be kept.
pub fn redact_json(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::String(text) => {
            let clean = redact(text);
            let changed = clean != *text;
            *text = clean;
            changed
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |any, item| redact_json(item) | any),
        Value::Object(fields) => {
            let mut changed = false;
            let entries = std::mem::take(fields);
            for (key, mut item) in entries {
                let clean = redact(&key);
                changed |= clean != key;
                changed |= redact_json(&mut item);
                fields.insert(clean, item);
            }
            changed
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// `text` as any line of standard error must be shown: without a registered secret
/// ([`redact`]) and safe for a terminal ([`for_terminal`]). Names come from manifests and from
/// the Chili Piper UI, and either may carry an escape sequence or a direction override.
pub fn shown(text: &str) -> String {
    for_terminal(&redact(text))
}

/// `text` made safe to print on a terminal: control characters and the bidirectional
/// formatting characters are written as `\uXXXX` escapes, except newlines, tabs and the colour
/// sequences scoville writes itself (`ESC [ digits ; m`). The escape is JSON's own, so a JSON
/// output keeps its meaning (JSON writers already escape C0 controls; DEL, C1 controls and the
/// bidirectional ones are those left raw). A name typed in the Chili Piper UI, or any server
/// text, must not be able to clear the screen, retitle the window, hide lines or reorder them.
pub fn for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let width = c.len_utf8();
        if c == '\x1b' {
            let sgr = rest[1..].strip_prefix('[').and_then(|after| {
                let digits = after
                    .bytes()
                    .take_while(|b| b.is_ascii_digit() || *b == b';')
                    .count();
                (after.as_bytes().get(digits) == Some(&b'm')).then_some(digits + 3)
            });
            if let Some(length) = sgr {
                out.push_str(&rest[..length]);
                rest = &rest[length..];
                continue;
            }
        }
        if (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
        rest = &rest[width..];
    }
    out
}

/// The Unicode bidirectional formatting characters (embeddings, overrides, isolates and marks):
/// printed raw, they reorder what follows on the line, so `a\u{202e}txt.exe` reads as
/// `aexe.txt`.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a team named with a right-to-left override in the UI was printed raw, so the
    /// rest of the plan line read backwards.
    #[test]
    fn bidi_overrides_in_live_names_are_escaped() {
        assert_eq!(
            for_terminal("team:Sales/a\u{202e}txt \u{2066}x\u{2069} \u{200f}"),
            "team:Sales/a\\u202etxt \\u2066x\\u2069 \\u200f"
        );
        let json = serde_json::to_string(&serde_json::json!({ "name": "a\u{202e}b" })).unwrap();
        let back: serde_json::Value = serde_json::from_str(&for_terminal(&json)).unwrap();
        assert_eq!(back["name"], "a\u{202e}b");
    }

    #[test]
    fn live_names_with_escape_sequences_reached_the_terminal() {
        let text = "team:Sales/evil\x1b[2J\x1b]0;pwned\x07\u{9b}x\r\n\x1b[1;31m!!\x1b[0m\tok";
        assert_eq!(
            for_terminal(text),
            "team:Sales/evil\\u001b[2J\\u001b]0;pwned\\u0007\\u009bx\\u000d\n\x1b[1;31m!!\x1b[0m\tok"
        );
    }

    #[test]
    fn json_output_with_a_c1_control_stayed_json() {
        let name = "evil\u{9b}\u{7f}\\";
        let json = serde_json::to_string(&serde_json::json!({ "name": name })).unwrap();
        let shown = for_terminal(&json);
        assert!(!shown.chars().any(char::is_control), "{shown}");
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back["name"], name);
    }

    const TOKEN: &str = "fake_Redact_Unit_Token_0123456789abcdef";

    #[test]
    fn every_form_of_the_token_is_removed() {
        let lower = TOKEN.to_ascii_lowercase();
        let upper = TOKEN.to_ascii_uppercase();
        let cases = [
            (format!("x {TOKEN} y"), "x [redacted] y".to_string()),
            (lower.clone(), REDACTED.to_string()),
            (format!("\"{upper}\""), format!("\"{REDACTED}\"")),
            (format!("a{}b", &TOKEN[5..20]), format!("a{REDACTED}b")),
            (
                format!("{TOKEN}{TOKEN} and {}", &TOKEN[..12]),
                format!("{REDACTED} and {REDACTED}"),
            ),
            ("nothing here".to_string(), "nothing here".to_string()),
            ("é".repeat(30), "é".repeat(30)),
        ];
        for (text, expected) in cases {
            assert_eq!(redact_secrets(&text, &[TOKEN]), expected, "{text}");
        }
    }

    #[test]
    fn short_fragments_and_short_secrets_are_handled() {
        // Nine characters of a long token are below the fragment size: kept.
        let nine = &TOKEN[..MIN_FRAGMENT - 1];
        assert_eq!(redact_secrets(nine, &[TOKEN]), nine);
        // A short secret is removed only whole.
        assert_eq!(
            redact_secrets("ab abc ABC", &["abc"]),
            "ab [redacted] [redacted]"
        );
    }
}
