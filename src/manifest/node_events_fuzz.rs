//! A random-text loop over the fast path of `node_events.rs`: texts assembled from fragments
//! close to the edges of YAML (odd scalars, keys, flow collections, block scalars, comments,
//! document markers, CRLF, tabs, multi-byte characters), each compared with serde-saphyr's
//! tree. Raise [`CASES`] and [`SCALAR_LEN`], or change [`SEED`], for a longer search (the
//! module is pure: no environment is read).

use super::node::parse_with_serde;
use super::node_events;

/// Random texts per run (a quarter as many mutated manifests).
const CASES: usize = 20_000;
/// The random generator's seed.
const SEED: u64 = 0x5eed_1234_abcd_0001;
/// The longest number-like scalar tried with every spelling.
const SCALAR_LEN: u32 = 4;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

#[rustfmt::skip]
const SCALARS: &[&str] = &[
    "0", "7", "-0", "-12", "120", "0.5", "-0.0", "10.25", "123456789012345678",
    "1234567890123456789", "-123456789012345678", "~", "null", "Null", "NULL", "nULL", "true",
    "False", "TRUE", "tRUE", "yes", "off", "y", "2024-01-31", "09:30", "1:30", "a b",
    "ana@example.com", "1-2", "e5", "E", "x_y", "ü", "Zoë", "a.b", "true!", "-e", "1e", "0.1.2",
    "1-e5", "a+b", "007", "0x1F", "0o17", "0b101", "+1", "1_000", "1e3", "1E-3", "1.", ".5",
    "01.5", ".inf", "-.Inf", "NaN", "inf", "Infinity", "nan", "-", "--", "0.1e2", "-.5", "-1.",
    "+.5", "1__0", "_1", "1_", "-_1", "١٢٣", "１２", "12", "−5", "1,5", "1 5", "0.", "00", "-00",
    "-01", "0.0", "00.0", "-00.5", "9999999999999999999.5", "1.7976931348623157e309", "1e999",
    "-1e999", "infinity!", "nano", "info", "Inf", "-inf", "+inf", "-nan", "+", "+-1", "-+1",
    "e+5", "1e+5", "5e-", "1.5e5", "0e0", ".", "..", "-.", "x:y", "a#b", "a #b", "http://x.y/z",
    "\u{a0}", "a\u{a0}", "é\u{301}", "ＡＢ", "😀", "tab\there", "1\t", "a\u{85}b", "\u{2028}", "%x",
    "@x", "`x", "!x", "&x", "*x", "|x", ">x", "'q'", "\"q\"", "''", "\"\"", "'a: b'",
    "\"tab\\there\"", "\"\\u00e9\"", "'it''s'", "\"a\\\nb\"", "\"1\"", "'true'", "[]", "{}",
    "[a, b]", "{a: 1, b: 2}", "[a: b]", "{a, b}", "[1, -2, 0.5]", "[~, null, ]", "{? a : b}",
    "[ 1 , 2 ]", "{a: 1, a: 2}", "[a,b,]", "{a: [1, {b: c}]}", "- a", "&a x", "!!str 1", "!x y",
    "*a", "<<", "? x", "|\n  block\n", "|-\n  a\n  b\n", ">\n  folded\n  text\n\n", "|+\n  k\n\n",
    "|2\n   x\n", ">-\n  a\n\n  b\n", "\n  continued\n  line", "first\n  second", "1\n  2",
    "12\n   34", "true\n  false", "\"multi\n  line\"", "'multi\n\n  line'", "x # comment",
    "1 # c", "  spaced  ", "a\r\n  b", "\u{feff}x", "x\u{0}y",
];

#[rustfmt::skip]
const KEYS: &[&str] = &[
    "a", "b", "A", "name", "Name", "k_1", "ü", "Zoë", "é", "e\u{301}", "'a'", "\"a\"", "'b'",
    "\"1\"", "'01'", "1", "01", "-1", "0x1", "1.5", "true", "yes", "null", "~", "<<", "'<<'",
    "\"<<\"", "a b", "? a", "? 'q'", "? [a]", "? {a: 1}", "[a, b]", "{a: 1}", "''", "\"\"", "😀",
    "ＡＢ", "a\u{a0}", ".inf", "x:y", "-", "- a", "*a", "&a k", "!!str k", "\"a\\u0020\"", "\"b\"",
];

const EXTRAS: &[&str] = &[
    "",
    "",
    "",
    "",
    " # comment",
    "  #c",
    "\t",
    " ",
    "  ",
    "\r",
    "\u{feff}",
];

/// One random line or block of lines; true when it opens a block (a key without a value).
fn line(rng: &mut Rng, indent: usize, out: &mut String) -> bool {
    let mut opens = false;
    let pad = " ".repeat(indent);
    match rng.below(10) {
        0..=4 => {
            out.push_str(&pad);
            out.push_str(rng.pick(KEYS));
            out.push(':');
            if rng.below(4) != 0 {
                out.push(' ');
                out.push_str(rng.pick(SCALARS));
            }
        }
        5 => {
            out.push_str(&pad);
            out.push_str(rng.pick(KEYS));
            out.push(':');
            opens = true;
        }
        6 => {
            out.push_str(&pad);
            out.push_str("- ");
            out.push_str(rng.pick(SCALARS));
        }
        7 => {
            out.push_str(&pad);
            out.push_str("- ");
            out.push_str(rng.pick(KEYS));
            out.push_str(": ");
            out.push_str(rng.pick(SCALARS));
        }
        8 => {
            out.push_str(&pad);
            out.push_str(rng.pick(&["# c", "#", "---", "...", "--- # c", "? ", ": x", "-"]));
        }
        _ => out.push_str(&pad),
    }
    out.push_str(rng.pick(EXTRAS));
    out.push_str(if rng.below(8) == 0 { "\r\n" } else { "\n" });
    opens
}

fn text(rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.below(20) == 0 {
        out.push('\u{feff}');
    }
    if rng.below(10) == 0 {
        out.push_str("---\n");
    }
    let lines = 1 + rng.below(12);
    let mut indent = 0usize;
    let structured = rng.below(2) == 0;
    let mut opened = false;
    for _ in 0..lines {
        indent = if structured {
            match (opened, rng.below(4)) {
                (true, _) => indent + 2,
                (false, 0) => indent.saturating_sub(2),
                _ => indent,
            }
        } else {
            match rng.below(6) {
                0 => indent + 2,
                1 => indent.saturating_sub(2),
                2 => 0,
                3 => indent + 1,
                _ => indent,
            }
        }
        .min(10);
        opened = line(rng, indent, &mut out);
    }
    if rng.below(6) == 0 {
        out.pop();
    }
    out
}

/// Compares the two ways on `text`; true when the fast path took it.
fn same(text: &str) -> bool {
    match node_events::parse(text) {
        Some(fast) => {
            assert_eq!(
                Ok(fast),
                parse_with_serde(text),
                "the fast path differs on:\n{text:?}"
            );
            true
        }
        None => false,
    }
}

#[test]
fn random_texts_read_the_same_both_ways() {
    let cases = CASES;
    let seed = SEED;
    let mut rng = Rng(seed);
    let mut fast = 0;
    for _ in 0..cases {
        let text = text(&mut rng);
        fast += usize::from(same(&text));
    }
    assert!(
        fast * 20 > cases,
        "only {fast} of {cases} took the fast path"
    );
}

#[test]
fn edge_texts_read_the_same_both_ways() {
    let mut texts: Vec<String> = Vec::new();
    // Runs of comments around the parser's comment buffer.
    for n in [30, 31, 32, 33, 34, 40, 100] {
        texts.push(format!("a: 1\n{}b: 2\n", "# c\n".repeat(n)));
        texts.push(format!("a:\n{}  b: 2\n", "  # c\n".repeat(n)));
        texts.push(format!("a: [1,\n{} 2]\n", "  # c\n".repeat(n)));
        texts.push(format!("- 1\n{}- 2\n", "# c\n".repeat(n)));
        texts.push(format!("{}a: 1\n", "# c\n".repeat(n)));
        texts.push(format!("a: 1 {}\n", "# c".repeat(n)));
    }
    // Nesting around the fast path's limit and serde-saphyr's.
    for depth in [46, 47, 48, 49, 50, 63, 64, 65] {
        texts.push(format!("{}1{}", "[".repeat(depth), "]".repeat(depth)));
        let mut block = String::new();
        for level in 0..depth {
            block.push_str(&" ".repeat(level * 2));
            block.push_str("k:\n");
        }
        block.push_str(&" ".repeat(depth * 2));
        block.push_str("v: 1\n");
        texts.push(block);
    }
    // Wide mappings, duplicates early and late, keys differing by case and normalization.
    for width in [15, 16, 17, 18, 40] {
        let keys: Vec<String> = (0..width).map(|i| format!("k{i}")).collect();
        texts.push(keys.iter().map(|k| format!("{k}: 1\n")).collect());
        let mut dup = keys.clone();
        dup.push("k0".into());
        texts.push(dup.iter().map(|k| format!("{k}: 1\n")).collect());
        let mut quoted = keys.clone();
        quoted.push(format!("'k{}'", width - 1));
        texts.push(quoted.iter().map(|k| format!("{k}: 1\n")).collect());
        texts.push(format!(
            "{{{}}}",
            dup.iter()
                .map(|k| format!("{k}: 1"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for text in [
        "K: 1\nk: 2\n",
        "é: 1\ne\u{301}: 2\n",
        "a: 1\n\"a\": 2\n",
        "a: 1\n'a': 2\n",
        "\"a\": 1\n\"\\x61\": 2\n",
        "? a\n: 1\n? a\n: 2\n",
        "? a\n? b\n",
        "a: x  \nb: y\t\n",
        "a: [x  , y\t, z ]\n",
        "a: {x  : 1 , y : 2 }\n",
        "a:\r\n  b: é\r\n  c: 😀 x\r\n  d: 1\r\n",
        "\u{feff}a: 1\n",
        "\u{feff}---\na: 1\n",
        "a: é\nb: 12\n",
        "é😀: 1\nb: 2.5\n",
        "a: 1\n...\n",
        "--- \na: 1\n... \n",
        "---\n...\n",
        "--- 5\n",
        "5",
        "-5\n",
        "- - - 1\n",
        "[]",
        "{}",
        "a:\n- 1\n- 2\n",
        "a: |\n  x\n b: 2\n",
        "a: >+\n\n  x\n\n",
        "a: 1\n# end",
        "a: 1 # c\nb: 1#c\n",
        "a: \"x\" # c\n",
        "a:\n\n\n  b: 1\n",
        "a:    \n  1\n",
        "a: 1.0\nb: 1.50\nc: 0.000000000000000000000001\n",
        "a: 123456789012345678.5\n",
        "a: 0.1234567890123456789012345678901234567\n",
        "a: 1\n  2\n",
        "a: -\n",
        "a: - 1\n",
        "- a: 1\n  b: 2\n- c: 3\n",
        "a: b: c\n",
        "a: 'x\n\n  y'\n",
        "\ta: 1\n",
        "a: 1\t\n",
        "a:\t1\n",
        "a: [1,\t2]\n",
        "a: x\u{0}\n",
        "a: \u{85}\n",
        "a\u{2028}b: 1\n",
        "%TAG ! tag:example.com,2000:\n---\na: 1\n",
        "%FOO bar\n---\na: 1\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\rb: 2\r",
        "a: 1\r\nb: 12\rc: 1.5\n",
        "a: x\r\n  y\r\n  1\r\n",
        "a: \"x\r\n  y\"\r\n",
        "a: |\r\n  x\r\n  y\r\nb: 1\r\n",
        "a: 1\u{85}b: 2\n",
        "a: 1\u{c}\n",
        "\u{c}a: 1\n",
        "a: 1\n\u{feff}b: 2\n",
        "a: \u{feff}1\n",
        "a: 1\n---\n",
        "a: 1\n...\n---\n",
        "a: 1\n...\n# c\n",
        "--- a\n",
        "--- |\n  a\n",
        "--- >\n a\n b\n",
        "---\n- 1\n...\n",
        "a: 99999999999999999999999999999999999999.5\n",
        "a: 0.00000000000000000000000000000000000001\n",
        "a: 999999999999999999\n",
        "a: -999999999999999999\n",
        "a: 1.7976931348623157\n",
        "a:\n  - [1, 2]\n  - {b: 1.5, c: -3}\n",
        "[a, {b: c}, [d]]\n",
        "{a: [], b: {}, c: ''}\n",
        "a: [\n  1,\n  2\n]\n",
        "a: {\n  b: 1\n  }\n",
        "? |\n  block key\n: 1\n",
        "? >\n  k\n: 1\n? k\n: 2\n",
        "\"k\": 1\n\"k\\u0020\": 2\n",
        "a: - b\n",
        "- ? a\n  : b\n",
        "a:\n  - b\n  -\n  - c\n",
        "-\n-\n",
        "a: [,]\n",
        "a: [1 2]\n",
        "a: {b}\n",
        "a: {b: }\n",
        "a: {: b}\n",
        "a: [: b]\n",
    ] {
        texts.push(text.to_string());
    }
    let mut fast = 0;
    for text in &texts {
        fast += usize::from(same(text));
    }
    eprintln!("{fast} of {} edge texts took the fast path", texts.len());
}

/// Pieces inserted into real manifests.
#[rustfmt::skip]
const PIECES: &[&str] = &[
   
    " ", "  ", "\t", "\n", "\r\n", "\r", ":", ": ", "- ", "-", "#", " #", "'", "\"", "[", "]", "{",
    "}", ",", "?", "? ", "&a ", "*a", "!x ", "|", ">", "---\n", "...\n", "~", "0", "1", "-1", ".5",
    "e3", "_", "+", "é", "😀", "\u{feff}", "\u{a0}", "\u{0}", "null", "true", "<<", "x", "\\", "%",
    "@", "`",
];

#[test]
fn mutated_manifests_read_the_same_both_ways() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(root).unwrap().flatten() {
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            texts.push(text);
        }
    }
    texts.sort();
    assert!(!texts.is_empty());
    let cases = CASES / 4;
    let seed = SEED;
    let mut rng = Rng(0x0dd_ba11_cafe_f00d ^ seed);
    let mut fast = 0;
    for _ in 0..cases {
        let mut text = texts[rng.below(texts.len())].clone();
        for _ in 0..1 + rng.below(3) {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match rng.below(4) {
                0 | 1 => text.insert_str(at, rng.pick(PIECES)),
                2 => {
                    let mut end = (at + 1 + rng.below(4)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    text.replace_range(at..end, "");
                }
                _ => {
                    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
                    let line = text[start..end].to_string();
                    text.insert_str(start, &line);
                }
            }
        }
        fast += usize::from(same(&text));
    }
    eprintln!("{fast} of {cases} mutated manifests took the fast path");
}

/// Every short plain scalar over the characters numbers are made of, as a value and as a key.
#[test]
fn every_short_number_like_scalar_reads_the_same_both_ways() {
    const ALPHABET: &[char] = &['0', '1', '9', '.', '-', '+', '_', 'e', 'E', 'x', 'n', 'i'];
    let max_len = SCALAR_LEN;
    let mut fast = 0;
    let mut total = 0;
    for len in 1..=max_len {
        for mut n in 0..ALPHABET.len().pow(len) {
            let mut scalar = String::new();
            for _ in 0..len {
                scalar.push(ALPHABET[n % ALPHABET.len()]);
                n /= ALPHABET.len();
            }
            for text in [format!("a: {scalar}\n"), format!("{scalar}: a\n")] {
                total += 1;
                fast += usize::from(same(&text));
            }
        }
    }
    eprintln!("{fast} of {total} number-like texts took the fast path");
}
