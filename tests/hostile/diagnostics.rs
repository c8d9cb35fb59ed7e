//! Diagnostics stay bounded in time and size, in every output format, whatever the manifests
//! hold: one very long line with thousands of problems, many files with many problems each.

use std::time::{Duration, Instant};

use scoville::manifest::{self, Diagnostics};

const FORMATS: [&str; 3] = ["text", "github", "json"];

fn render(diagnostics: &Diagnostics, format: &str) -> String {
    match format {
        "text" => diagnostics.render_text(),
        "github" => diagnostics.render_github(),
        _ => diagnostics.render_json(),
    }
}

/// One file of `n` users on one line, each with an unknown license: `n` problems on a line of
/// about 40 x `n` bytes.
fn one_long_line(n: usize) -> String {
    let users: Vec<String> = (0..n)
        .map(|i| format!("u{i}@acme.example: {{name: U, licenses: [nope{i}]}}"))
        .collect();
    format!("users: {{{}}}\n", users.join(", "))
}

/// Regression: a 40 KB file of 20,000 list items gave 1.2 GB of output; a 100 KB file aborted
/// allocating 6.5 GB. Problems are capped per file and in all, lines are cut, and the output
/// says how many more there are.
#[test]
fn thousands_of_problems_on_one_line_give_bounded_output() {
    for n in [20_000, 1_000, 51, 50] {
        let started = Instant::now();
        let files = vec![("x.yaml".to_string(), one_long_line(n))];
        let diagnostics = manifest::load_texts(&files).unwrap_err();
        let n_problems = diagnostics.len();
        assert!(n_problems >= n, "{n}: {n_problems} problems");
        for format in FORMATS {
            let out = render(&diagnostics, format);
            assert!(out.len() < 100_000, "{n} {format}: {} bytes", out.len());
            let hidden = n_problems.saturating_sub(manifest::MAX_SHOWN_PER_FILE);
            if hidden > 0 {
                let said = format!("{hidden} more problem");
                assert!(out.contains(&said), "{n} {format}: says {said:?}");
            } else {
                assert!(!out.contains("not shown"), "{n} {format}");
            }
            if format == "json" {
                let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
                let shown = parsed.as_array().unwrap().len();
                assert!(shown <= manifest::MAX_SHOWN_PER_FILE + 1, "{shown}");
            }
            if format == "text" {
                let longest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
                assert!(longest < manifest::MAX_LINE_CHARS + 40, "{longest}");
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{n}: {:?}",
            started.elapsed()
        );
    }
}

/// Many files with many problems: at most `MAX_SHOWN` in all, each file's rest counted.
#[test]
fn many_files_are_capped_in_all() {
    let files: Vec<(String, String)> = (0..12)
        .map(|i| (format!("f{i:02}.yaml"), one_long_line(60)))
        .collect();
    let diagnostics = manifest::load_texts(&files).unwrap_err();
    for format in FORMATS {
        let out = render(&diagnostics, format);
        let n_error_lines = match format {
            "github" => out.lines().filter(|l| l.starts_with("::error")).count(),
            "json" => serde_json::from_str::<serde_json::Value>(&out)
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            _ => out.lines().filter(|l| l.starts_with("error: ")).count(),
        };
        // MAX_SHOWN problems, plus one line per file about those not shown.
        assert!(
            n_error_lines <= manifest::MAX_SHOWN + files.len(),
            "{format}: {n_error_lines}"
        );
        assert!(
            out.contains("f11.yaml"),
            "{format}: the last file's rest is counted"
        );
    }
}
