//! Shell completions and the manual page: the committed files (`completions/`, `man/`, shipped
//! in release archives) are what the binary generates from its clap definitions, they parse in
//! their shells where those shells are installed, and each names every command.

use std::path::Path;
use std::process::Command;

/// Every command and nested command of the binary, as typed after `scoville`.
const COMMANDS: &[&str] = &[
    "validate",
    "schema",
    "plan",
    "apply",
    "drift",
    "export",
    "doctor",
    "sandbox",
    "serve",
    "reset",
    "completions",
    "man",
];

/// Committed file, and the arguments that generate it.
const GENERATED: &[(&str, &[&str])] = &[
    ("completions/scoville.bash", &["completions", "bash"]),
    ("completions/scoville.zsh", &["completions", "zsh"]),
    ("completions/scoville.fish", &["completions", "fish"]),
    ("completions/scoville.ps1", &["completions", "powershell"]),
    ("man/scoville.1", &["man"]),
];

fn generate(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_scoville"))
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "scoville {args:?} fails");
    String::from_utf8(output.stdout).unwrap()
}

fn committed(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap_or_default()
}

#[test]
fn committed_completions_and_man_page_are_up_to_date() {
    for (path, args) in GENERATED {
        assert!(
            committed(path) == generate(args),
            "{path} is stale: regenerate it with `cargo run -- {} > {path}` and commit it",
            args.join(" ")
        );
    }
}

#[test]
fn every_command_is_in_every_completion_script_and_the_man_page() {
    for (path, args) in GENERATED {
        let text = generate(args);
        for command in COMMANDS {
            // How each format names a command it completes or documents.
            let forms = match *path {
                "man/scoville.1" => vec![
                    format!(".SS \"scoville {command}\""),
                    format!(".SS \"scoville sandbox {command}\""),
                ],
                "completions/scoville.bash" => vec![format!(",{command})")],
                "completions/scoville.zsh" => vec![format!("({command})")],
                "completions/scoville.fish" => vec![format!("-a \"{command}\"")],
                _ => vec![format!("[CompletionResult]::new('{command}'")],
            };
            let present = forms.iter().any(|form| text.contains(form.as_str()));
            assert!(present, "`{command}` is missing from {path}");
        }
    }
}

#[test]
fn the_completion_scripts_parse_in_their_shells() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, path, check) in [
        ("bash", "completions/scoville.bash", &["-n"][..]),
        ("zsh", "completions/scoville.zsh", &["-n"][..]),
        ("fish", "completions/scoville.fish", &["--no-execute"][..]),
    ] {
        let script = dir.path().join(format!("scoville.{shell}"));
        std::fs::write(&script, committed(path)).unwrap();
        let Ok(output) = Command::new(shell).args(check).arg(&script).output() else {
            // Not installed here: the staleness test still pins the file's content.
            assert_ne!(
                shell, "bash",
                "bash is needed to check the bash completions"
            );
            continue;
        };
        assert!(
            output.status.success(),
            "{path} does not parse in {shell}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn the_bash_completion_offers_the_commands() {
    // Load the script and ask it to complete `scoville <TAB>`.
    let script = committed("completions/scoville.bash");
    let probe = format!(
        "{script}\nCOMP_WORDS=(scoville '')\nCOMP_CWORD=1\n_scoville scoville '' scoville\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
    );
    let output = Command::new("bash").arg("-c").arg(probe).output().unwrap();
    let offered = String::from_utf8_lossy(&output.stdout);
    for command in ["validate", "plan", "apply", "drift", "completions", "man"] {
        assert!(
            offered.lines().any(|line| line == command),
            "`{command}` is not offered: {offered}"
        );
    }
}

#[test]
fn the_man_page_is_well_formed_roff() {
    let page = generate(&["man"]);
    assert!(page.contains(".TH scoville 1"), "{page}");
    for line in page.lines() {
        // A text line starting with a dot or quote would be read as a roff request.
        if let Some(request) = line.strip_prefix('.') {
            let name: String = request
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(
                [
                    "TH", "SH", "SS", "TP", "PP", "ie", "el", "RS", "RE", "IP", "br", "B", "I"
                ]
                .contains(&name.as_str()),
                "unexpected roff request `{line}`"
            );
        }
    }
}
