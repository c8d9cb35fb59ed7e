//! Names as people read them: two names that print the same are the same name.
//!
//! Names of workspaces, teams, distributions and rules are compared by [`name_key`]: Unicode
//! NFC (canonical composition, so a decomposed `E` + U+0301 equals `É`), invisible format
//! characters (zero-width spaces and joiners, the byte-order mark, direction marks) dropped,
//! leading and trailing whitespace trimmed, and inner runs of whitespace read as one space.
//! Names are still sent and stored exactly as written; the key only decides whether a declared
//! name and a live one are meant to be the same object. [`escaped`] shows a name with what
//! cannot be seen spelled out, for messages that quote two look-alikes.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Characters that take no room on screen: zero-width spaces and joiners, direction marks and
/// embeddings, word joiners and invisible operators, variation selectors, the byte-order mark,
/// the soft hyphen, Hangul fillers and tag characters.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// The comparison key of a name (see the module documentation).
pub fn name_key(name: &str) -> String {
    name_key_cow(name).into_owned()
}

/// [`name_key`] without an allocation when the name is its own key: ASCII (which
/// composition and the invisible characters leave alone) with single inner spaces and no
/// other whitespace, the common case.
pub fn name_key_cow(name: &str) -> Cow<'_, str> {
    if !name.is_ascii() {
        return Cow::Owned(unicode_key(name));
    }
    let bytes = name.as_bytes();
    let is_space = |byte: u8| char::from(byte).is_whitespace();
    let canonical = bytes.first().is_none_or(|first| !is_space(*first))
        && bytes.last().is_none_or(|last| !is_space(*last))
        && bytes.windows(2).all(|pair| match pair {
            [b' ', next] => !is_space(*next),
            [byte, _] => *byte == b' ' || !is_space(*byte),
            _ => true,
        });
    if canonical {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(name.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// The key of any name: NFC, invisible characters dropped, whitespace trimmed and folded.
fn unicode_key(name: &str) -> String {
    let composed: String = name.nfc().filter(|c| !is_invisible(*c)).collect();
    composed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether two names differ as strings but are the same name to a reader.
pub fn look_alike(a: &str, b: &str) -> bool {
    a != b && name_key_cow(a) == name_key_cow(b)
}

/// A name in backticks with what a reader cannot see spelled out: invisible characters,
/// combining marks, whitespace other than an inner space, and leading or trailing spaces, as
/// `\u{...}` escapes. `sdr ` gives `` `sdr\u{20}` `` and a decomposed `É` gives
/// `` `E\u{301}quipe` ``.
pub fn escaped(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::from("`");
    for (index, c) in chars.iter().enumerate() {
        let edge = index == 0 || index + 1 == chars.len();
        let hidden = is_invisible(*c)
            || is_combining(*c)
            || (c.is_whitespace() && (*c != ' ' || edge))
            || c.is_control();
        if hidden {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(*c)));
        } else {
            out.push(*c);
        }
    }
    out.push('`');
    out
}

/// Combining marks that canonical composition may fold into the letter before them.
fn is_combining(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// The writing systems scoville tells apart in emails, enough to catch a Cyrillic `о` or a
/// Greek `ο` among Latin letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Other,
}

fn script(c: char) -> Option<Script> {
    if !c.is_alphabetic() {
        return None;
    }
    Some(match u32::from(c) {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        _ => Script::Other,
    })
}

/// Why an email address would fool a reader, if it would: an invisible character, or letters
/// of more than one writing system in one part (`ivan.petrоv` with a Cyrillic `о`).
pub fn email_look_alike_problem(email: &str) -> Option<String> {
    // ASCII has no invisible character and one writing system (its letters are Latin): nearly
    // every address of an org stops here (test `an_ascii_email_never_looks_alike`).
    if email.is_ascii() {
        return None;
    }
    look_alike_problem_of(email)
}

/// `email_look_alike_problem` without its ASCII shortcut.
fn look_alike_problem_of(email: &str) -> Option<String> {
    if let Some(c) = email.chars().find(|c| is_invisible(*c)) {
        return Some(format!(
            "{} contains the invisible character U+{:04X}",
            escaped(email),
            u32::from(c)
        ));
    }
    for part in email.split(['@', '.']) {
        let mut scripts: Vec<Script> = Vec::new();
        for s in part.chars().filter_map(script) {
            if !scripts.contains(&s) {
                scripts.push(s);
            }
        }
        if scripts.len() > 1 {
            let foreign: String = part
                .chars()
                .filter(|c| !c.is_ascii())
                .map(|c| format!("U+{:04X}", u32::from(c)))
                .collect::<Vec<_>>()
                .join(", ");
            return Some(format!(
                "{} mixes writing systems in `{part}` ({foreign}: letters of another script among Latin ones)",
                escaped(email)
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ascii_email_never_looks_alike() {
        for byte in 0u8..=0x7f {
            let c = char::from(byte);
            assert!(!is_invisible(c), "{byte:#x}");
            assert!(matches!(script(c), None | Some(Script::Latin)), "{byte:#x}");
        }
        assert_eq!(look_alike_problem_of("Ana.Lopez+1@Example.COM"), None);
        assert!(email_look_alike_problem("ivan.petr\u{43e}v@example.com").is_some());
    }

    #[test]
    fn decomposed_and_composed_names_are_the_same_name() {
        assert_eq!(name_key("E\u{301}quipe"), name_key("\u{c9}quipe"));
        assert!(look_alike("E\u{301}quipe", "\u{c9}quipe"));
    }

    #[test]
    fn whitespace_is_trimmed_and_folded_and_invisibles_dropped() {
        assert_eq!(name_key(" sdr "), "sdr");
        assert_eq!(name_key("inbound\u{a0}\u{a0}sdr"), "inbound sdr");
        assert_eq!(name_key("s\u{200b}dr"), "sdr");
        assert!(!look_alike("sdr", "sdr"));
        assert!(!look_alike("sdr", "SDR"));
    }

    proptest::proptest! {
        /// The key without allocation is the key of the full Unicode treatment.
        #[test]
        fn the_fast_key_is_the_unicode_key(name in "\\PC*") {
            proptest::prop_assert_eq!(name_key_cow(&name), unicode_key(&name));
        }

        #[test]
        fn the_fast_key_is_the_unicode_key_for_ascii_and_whitespace(
            name in "[a-zA-Z0-9 \t\n\r\u{b}\u{c}\u{1c}-\u{1f}\u{85}\u{a0}\u{200b}\u{301}_./-]{0,24}"
        ) {
            proptest::prop_assert_eq!(name_key_cow(&name), unicode_key(&name));
        }
    }

    #[test]
    fn canonical_ascii_names_are_borrowed() {
        assert!(matches!(
            name_key_cow("inbound sdr"),
            Cow::Borrowed("inbound sdr")
        ));
        assert!(matches!(name_key_cow(""), Cow::Borrowed("")));
        assert_eq!(name_key_cow(" a  b\u{b}c\t"), "a b c");
        assert_eq!(name_key_cow("a\u{1f}b"), "a\u{1f}b");
    }

    #[test]
    fn escaped_spells_out_what_cannot_be_seen() {
        assert_eq!(escaped("sdr "), "`sdr\\u{20}`");
        assert_eq!(escaped("E\u{301}quipe"), "`E\\u{301}quipe`");
        assert_eq!(escaped("a b"), "`a b`");
        assert_eq!(escaped("a\u{200b}b"), "`a\\u{200b}b`");
    }

    #[test]
    fn emails_with_invisible_or_mixed_script_characters_are_flagged() {
        assert!(email_look_alike_problem("ivan.petrov@example.com").is_none());
        assert!(email_look_alike_problem("jos\u{e9}@example.com").is_none());
        assert!(email_look_alike_problem("\u{438}\u{432}\u{430}\u{43d}@example.com").is_none());
        let cyrillic_o = email_look_alike_problem("ivan.petr\u{43e}v@example.com").unwrap();
        assert!(cyrillic_o.contains("U+043E"), "{cyrillic_o}");
        let zero_width = email_look_alike_problem("bob\u{200b}@example.com").unwrap();
        assert!(zero_width.contains("U+200B"), "{zero_width}");
    }
}
