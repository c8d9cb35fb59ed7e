//! Manifest problems as data (`Diagnostic`, `Diagnostics`) and their three renderings: text
//! for people (file:line:column, the source line, carets, a hint), GitHub Actions annotations
//! for pull requests, and JSON for tools.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

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
                file: file.into(),
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

/// Every problem found while loading a manifest set, in file and position order, with the
/// text of the files they point into so they can be shown with their source lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    texts: BTreeMap<String, String>,
}

impl Diagnostics {
    /// Sorts the problems by place and keeps the texts of the files they mention.
    pub fn new(mut items: Vec<Diagnostic>, texts: BTreeMap<String, String>) -> Diagnostics {
        items.sort();
        items.dedup();
        let mentioned = |file: &String| {
            items
                .iter()
                .any(|d| &d.source.file == file || d.related.iter().any(|(s, _)| &s.file == file))
        };
        let texts = texts
            .into_iter()
            .filter(|(file, _)| mentioned(file))
            .collect();
        Diagnostics { items, texts }
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
        let mut out = String::new();
        for (index, diagnostic) in self.items.iter().enumerate() {
            if index > 0 {
                out.push('\n');
            }
            self.render_one_text(diagnostic, &mut out);
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

    fn line_text(&self, source: &Source) -> Option<&str> {
        if source.line == 0 {
            return None;
        }
        let text = self.texts.get(&source.file)?;
        text.lines().nth(usize::try_from(source.line - 1).ok()?)
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
        let line = clean(line);
        let n_chars = line.chars().count();
        let start = usize::try_from(source.column.saturating_sub(1))
            .unwrap_or(0)
            .min(n_chars);
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
        let mut out = String::new();
        for diagnostic in &self.items {
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
        out
    }

    /// A JSON array with one object per problem: `file`, `line`, `column`, `length`,
    /// `message`, `hint` (or null) and `related` (`file`, `line`, `column`, `message`).
    pub fn render_json(&self) -> String {
        let items: Vec<JsonDiagnostic> = self
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
            file: file.to_string(),
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
