//! Manifest problems as data (`Diagnostic`, `Diagnostics`) and their three renderings: text
//! for people (file:line:column, the source line, carets, a hint), GitHub Actions annotations
//! for pull requests, and JSON for tools.
//!
//! Every rendering is bounded whatever the manifests hold: lines are indexed once per file,
//! a long source line is cut around its caret, and at most [`MAX_SHOWN_PER_FILE`] problems a
//! file and [`MAX_SHOWN`] in all are shown, followed by how many more there are.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use serde::Serialize;

use crate::model::Source;

/// One problem in the manifests.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Where the problem is. Line 0 means the whole file (or directory) `source.file`.
    pub source: Source,
    /// What is wrong: a lowercase phrase.
    pub message: String,
    /// Length in characters of the marked text from `source.column`; 0 marks a point.
    pub length: u32,
    /// What to do about it, when that helps.
    pub hint: Option<String>,
    /// Other places that explain the problem (e.g. the first of two declarations).
    pub related: Vec<(Source, String)>,
}

impl Diagnostic {
    /// A problem with a whole file or directory rather than a place in it.
    pub fn whole_file(file: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            source: Source {
                file: Arc::from(file.into()),
                line: 0,
                column: 0,
            },
            message: message.into(),
            length: 0,
            hint: None,
            related: Vec::new(),
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }
}

/// Problems shown at most per file, in every rendering.
pub const MAX_SHOWN_PER_FILE: usize = 50;
/// Problems shown at most in all, in every rendering.
pub const MAX_SHOWN: usize = 200;
/// Characters of a source line shown at most; a longer line is cut around the caret.
pub const MAX_LINE_CHARS: usize = 120;

/// Every problem found while loading a manifest set, in file and position order, with the
/// text of the files they point into so they can be shown with their source lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    texts: BTreeMap<String, String>,
    /// Byte offset of the start of every line of every text, computed once.
    line_starts: BTreeMap<String, Vec<usize>>,
}

/// Which problems a rendering shows, and how many it leaves out per file.
struct Shown<'a> {
    items: Vec<&'a Diagnostic>,
    /// (file, problems not shown), in file order.
    omitted: Vec<(&'a str, usize)>,
}

impl Shown<'_> {
    /// One line about the problems left out of one file, for every format.
    fn omitted_message(file: &str, n: usize) -> String {
        let file = if file.is_empty() {
            "the manifests"
        } else {
            file
        };
        format!(
            "{n} more problem{} in {file} not shown (at most {MAX_SHOWN_PER_FILE} a file and \
             {MAX_SHOWN} in all are shown): fix these first, then validate again",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl Diagnostics {
    /// Sorts the problems by place and keeps the texts of the files they mention.
    pub fn new(mut items: Vec<Diagnostic>, texts: BTreeMap<String, String>) -> Diagnostics {
        items.sort();
        items.dedup();
        let mentioned = |file: &String| {
            items.iter().any(|d| {
                *d.source.file == **file || d.related.iter().any(|(s, _)| *s.file == **file)
            })
        };
        let texts: BTreeMap<String, String> = texts
            .into_iter()
            .filter(|(file, _)| mentioned(file))
            .collect();
        let line_starts = texts
            .iter()
            .map(|(file, text)| {
                let starts = std::iter::once(0)
                    .chain(text.match_indices('\n').map(|(at, _)| at + 1))
                    .collect();
                (file.clone(), starts)
            })
            .collect();
        Diagnostics {
            items,
            texts,
            line_starts,
        }
    }

    /// The problems every rendering shows: in order, at most [`MAX_SHOWN_PER_FILE`] of one
    /// file and [`MAX_SHOWN`] in all; the rest counted per file.
    fn shown(&self) -> Shown<'_> {
        let mut items = Vec::new();
        let mut omitted: Vec<(&str, usize)> = Vec::new();
        let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
        for diagnostic in &self.items {
            let file = &*diagnostic.source.file;
            let n_of_file = per_file.entry(file).or_default();
            if *n_of_file < MAX_SHOWN_PER_FILE && items.len() < MAX_SHOWN {
                *n_of_file += 1;
                items.push(diagnostic);
                continue;
            }
            match omitted.last_mut() {
                Some((last, n)) if *last == file => *n += 1,
                _ => omitted.push((file, 1)),
            }
        }
        Shown { items, omitted }
    }

    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// For people: each problem with its file:line:column, the source line with carets under
    /// the offending text, related places, and a hint.
    pub fn render_text(&self) -> String {
        let shown = self.shown();
        let mut out = String::new();
        for (index, diagnostic) in shown.items.iter().enumerate() {
            if index > 0 {
                out.push('\n');
            }
            self.render_one_text(diagnostic, &mut out);
        }
        for (file, n) in &shown.omitted {
            let _ = writeln!(out, "\nerror: {}", clean(&Shown::omitted_message(file, *n)));
        }
        out
    }

    fn render_one_text(&self, diagnostic: &Diagnostic, out: &mut String) {
        let lines = std::iter::once(diagnostic.source.line)
            .chain(diagnostic.related.iter().map(|(s, _)| s.line));
        let width = lines.max().unwrap_or(0).to_string().len();
        let pad = " ".repeat(width);
        let _ = writeln!(out, "error: {}", clean(&diagnostic.message));
        let source = &diagnostic.source;
        if source.line == 0 {
            let _ = writeln!(out, "{pad}--> {}", clean(&source.file));
        } else {
            let _ = writeln!(
                out,
                "{pad}--> {source}",
                source = clean(&source.to_string())
            );
            self.snippet(source, diagnostic.length, '^', None, &pad, out);
        }
        for (related, note) in &diagnostic.related {
            match self.line_text(related) {
                Some(_) => {
                    let _ = writeln!(out, "{pad}::: {}", clean(&related.to_string()));
                    self.snippet(related, 0, '-', Some(note), &pad, out);
                }
                None => {
                    let _ = writeln!(
                        out,
                        "{pad} = note: {}: {}",
                        clean(note),
                        clean(&related.to_string())
                    );
                }
            }
        }
        if let Some(hint) = &diagnostic.hint {
            let _ = writeln!(out, "{pad} = help: {}", clean(hint));
        }
    }

    /// The text of `source`'s line (without its line break), from the index: no scan.
    fn line_text(&self, source: &Source) -> Option<&str> {
        if source.line == 0 {
            return None;
        }
        let text = self.texts.get(&*source.file)?;
        let starts = self.line_starts.get(&*source.file)?;
        let index = usize::try_from(source.line - 1).ok()?;
        let start = *starts.get(index)?;
        if start >= text.len() && index > 0 {
            return None;
        }
        let end = starts.get(index + 1).map_or(text.len(), |next| next - 1);
        let line = &text[start..end];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// The source line and a marker row under `source`; a missing file text or line is
    /// shown without the line.
    fn snippet(
        &self,
        source: &Source,
        length: u32,
        mark: char,
        label: Option<&str>,
        pad: &str,
        out: &mut String,
    ) {
        let Some(line) = self.line_text(source) else {
            return;
        };
        let column = usize::try_from(source.column.saturating_sub(1)).unwrap_or(0);
        let (line, column) = cut_around(line, column);
        let line = clean(&line);
        let n_chars = line.chars().count();
        let start = column.min(n_chars);
        // A related place has no length: mark the word (key, name or scalar) that starts
        // there. A zero-length span is marked with one caret; a span ends with its line.
        let length = if length == 0 && label.is_some() {
            token_length(&line, start)
        } else {
            length
        };
        let wanted = usize::try_from(length.max(1)).unwrap_or(1);
        let marked = wanted.min(n_chars.saturating_sub(start)).max(1);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(
            out,
            "{:>width$} | {}",
            source.line,
            line.trim_end(),
            width = pad.len()
        );
        let mut marker = format!(
            "{pad} | {}{}",
            " ".repeat(start),
            mark.to_string().repeat(marked)
        );
        if let Some(label) = label {
            marker.push(' ');
            marker.push_str(&clean(label));
        }
        let _ = writeln!(out, "{marker}");
    }

    /// GitHub Actions workflow commands: one `::error file=...,line=...,col=...::message` line
    /// per problem, which GitHub shows on the pull request's diff.
    pub fn render_github(&self) -> String {
        let shown = self.shown();
        let mut out = String::new();
        for diagnostic in shown.items {
            let source = &diagnostic.source;
            let mut properties = format!("file={}", escape_property(&source.file));
            if source.line > 0 {
                let _ = write!(properties, ",line={},col={}", source.line, source.column);
                if diagnostic.length > 0 {
                    let _ = write!(
                        properties,
                        ",endColumn={}",
                        source.column.saturating_add(diagnostic.length)
                    );
                }
            }
            let mut message = diagnostic.message.clone();
            for (related, note) in &diagnostic.related {
                let _ = write!(message, "\nnote: {note}: {related}");
            }
            if let Some(hint) = &diagnostic.hint {
                let _ = write!(message, "\nhelp: {hint}");
            }
            let _ = writeln!(
                out,
                "::error {properties},title=scoville validate::{}",
                escape_data(&message)
            );
        }
        for (file, n) in &shown.omitted {
            let _ = writeln!(
                out,
                "::error file={},title=scoville validate::{}",
                escape_property(file),
                escape_data(&Shown::omitted_message(file, *n))
            );
        }
        out
    }

    /// A JSON array with one object per problem: `file`, `line`, `column`, `length`,
    /// `message`, `hint` (or null) and `related` (`file`, `line`, `column`, `message`). When
    /// problems are left out, one more object per file says how many (line 0, the whole file).
    pub fn render_json(&self) -> String {
        let shown = self.shown();
        let omitted: Vec<(&str, String)> = shown
            .omitted
            .iter()
            .map(|(file, n)| (*file, Shown::omitted_message(file, *n)))
            .collect();
        let mut items: Vec<JsonDiagnostic> = shown
            .items
            .iter()
            .map(|d| JsonDiagnostic {
                file: &d.source.file,
                line: d.source.line,
                column: d.source.column,
                length: d.length,
                message: &d.message,
                hint: d.hint.as_deref(),
                related: d
                    .related
                    .iter()
                    .map(|(s, note)| JsonRelated {
                        file: &s.file,
                        line: s.line,
                        column: s.column,
                        message: note,
                    })
                    .collect(),
            })
            .collect();
        items.extend(omitted.iter().map(|(file, message)| JsonDiagnostic {
            file,
            line: 0,
            column: 0,
            length: 0,
            message,
            hint: None,
            related: Vec::new(),
        }));
        let mut json = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
        json.push('\n');
        json
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.items.len() {
            1 => write!(f, "1 problem in the manifests"),
            n => write!(f, "{n} problems in the manifests"),
        }
    }
}

impl std::error::Error for Diagnostics {}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    length: u32,
    message: &'a str,
    hint: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
}

/// The length in characters of the YAML token starting at character `start` of `line`: a
/// quoted scalar to its closing quote, else up to `: `, `,`, `]`, `}` or ` #`.
fn token_length(line: &str, start: usize) -> u32 {
    let rest: Vec<char> = line.chars().skip(start).collect();
    let n = match rest.first() {
        Some(quote @ ('"' | '\'')) => rest
            .iter()
            .skip(1)
            .position(|c| c == quote)
            .map_or(rest.len(), |end| end + 2),
        _ => {
            let mut end = rest.len();
            for (i, c) in rest.iter().enumerate() {
                let next = rest.get(i + 1);
                let stop = match c {
                    ',' | ']' | '}' => true,
                    ':' => next.is_none_or(|n| n.is_whitespace()),
                    ' ' => next == Some(&'#'),
                    _ => false,
                };
                if stop {
                    end = i;
                    break;
                }
            }
            rest[..end]
                .iter()
                .rev()
                .skip_while(|c| c.is_whitespace())
                .count()
        }
    };
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// At most [`MAX_LINE_CHARS`] characters of `line` around character `column`, with `…` where
/// it was cut, and the column within what is kept. Only the kept part is ever copied.
fn cut_around(line: &str, column: usize) -> (String, usize) {
    if line.chars().take(MAX_LINE_CHARS + 1).count() <= MAX_LINE_CHARS {
        return (line.to_string(), column);
    }
    let context_before = MAX_LINE_CHARS / 3;
    let first = column.saturating_sub(context_before);
    let mut kept: String = line.chars().skip(first).take(MAX_LINE_CHARS + 1).collect();
    let mut column = column - first;
    let cut_end = kept.chars().count() > MAX_LINE_CHARS;
    if cut_end {
        let keep_bytes = kept
            .char_indices()
            .nth(MAX_LINE_CHARS)
            .map_or(kept.len(), |(at, _)| at);
        kept.truncate(keep_bytes);
        kept.push('…');
    }
    if first > 0 {
        kept.insert(0, '…');
        column += 1;
    }
    (kept, column)
}

/// Text from a manifest may hold control characters; a terminal must not interpret them.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// GitHub's escaping of a workflow command's message.
fn escape_data(text: &str) -> String {
    clean_keep_newlines(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn clean_keep_newlines(text: &str) -> String {
    text.split('\n').map(clean).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(file: &str, line: u32, column: u32) -> Source {
        Source {
            file: Arc::from(file),
            line,
            column,
        }
    }

    #[test]
    fn related_places_mark_the_whole_token() {
        assert_eq!(token_length("  Inbound Demo Requests:", 2), 21);
        assert_eq!(token_length("  \"a: b\": 1", 2), 6);
        assert_eq!(token_length("- {field: x, isAnyOf: [US]}", 3), 5);
        assert_eq!(token_length("tenant: acme #pin", 8), 4);
    }

    #[test]
    fn github_commands_escape_their_data_and_properties() {
        let diagnostics = Diagnostics::new(
            vec![Diagnostic {
                source: at("a,b:c.yaml", 2, 3),
                message: "100% wrong\nreally".into(),
                length: 4,
                hint: Some("fix it".into()),
                related: vec![],
            }],
            BTreeMap::new(),
        );
        assert_eq!(
            diagnostics.render_github(),
            "::error file=a%2Cb%3Ac.yaml,line=2,col=3,endColumn=7,title=scoville validate::100%25 wrong%0Areally%0Ahelp: fix it\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let table = [
            ("short: line", 7, "short: line", 7),
            (
                &*"x".repeat(MAX_LINE_CHARS),
                0,
                &*"x".repeat(MAX_LINE_CHARS),
                0,
            ),
        ];
        for (line, column, kept, kept_column) in table {
            assert_eq!(cut_around(line, column), (kept.to_string(), kept_column));
        }
        let long = format!("{}HERE{}", "a".repeat(5000), "b".repeat(5000));
        let (kept, column) = cut_around(&long, 5000);
        assert!(kept.starts_with('…') && kept.ends_with('…'), "{kept}");
        assert_eq!(kept.chars().count(), MAX_LINE_CHARS + 2);
        assert_eq!(
            kept.chars().skip(column).take(4).collect::<String>(),
            "HERE"
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let diagnostics = Diagnostics::new(
            vec![Diagnostic {
                source: at("x.yaml", 1, 1),
                message: "bad \u{1b}[31mred".into(),
                length: 1,
                hint: None,
                related: vec![],
            }],
            BTreeMap::from([("x.yaml".to_string(), "a\u{7}b: 1\n".to_string())]),
        );
        let text = diagnostics.render_text();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
    }
}
