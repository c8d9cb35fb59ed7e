//! `scoville completions SHELL` and `scoville man`: shell completion scripts and the manual
//! page, generated from the clap definitions of [`super::Cli`] (clap_complete, clap_mangen), so
//! they never disagree with the parser. The generated files are also committed under
//! `completions/` and `man/` for packagers; a test keeps them up to date.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, ValueEnum};
use clap_complete::Shell;

/// The shells `scoville completions` writes a script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

impl CompletionShell {
    fn shell(self) -> Shell {
        match self {
            CompletionShell::Bash => Shell::Bash,
            CompletionShell::Zsh => Shell::Zsh,
            CompletionShell::Fish => Shell::Fish,
            CompletionShell::Powershell => Shell::PowerShell,
        }
    }
}

/// The completion script for `shell`, as `scoville completions SHELL` prints it.
pub fn completion_script(shell: CompletionShell) -> Vec<u8> {
    let mut command = super::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell.shell(), &mut command, "scoville", &mut out);
    out
}

/// The manual page in roff, as `scoville man` prints it: one page with the global options and
/// a subsection per command (nested commands included) with its usage and options.
pub fn man_page() -> anyhow::Result<Vec<u8>> {
    let mut command = super::Cli::command();
    command.build();
    let man = clap_mangen::Man::new(command.clone());
    let mut out = Vec::new();
    let failed = "cannot render the manual page";
    man.render_title(&mut out).context(failed)?;
    man.render_name_section(&mut out).context(failed)?;
    man.render_synopsis_section(&mut out).context(failed)?;
    man.render_description_section(&mut out).context(failed)?;
    man.render_options_section(&mut out).context(failed)?;
    writeln!(out, ".SH COMMANDS")?;
    for sub in command.get_subcommands() {
        render_subcommand(sub, "scoville", &mut out)?;
    }
    man.render_version_section(&mut out).context(failed)?;
    Ok(out)
}

/// Appends `sub` (and its own subcommands) as a subsection: usage, about, arguments and options.
fn render_subcommand(sub: &clap::Command, parent: &str, out: &mut Vec<u8>) -> anyhow::Result<()> {
    let name = format!("{parent} {}", sub.get_name());
    writeln!(out, ".SS \"{}\"", roff_escape(&name))?;
    if let Some(about) = sub.get_long_about().or(sub.get_about()) {
        writeln!(out, "{}", roff_escape(&about.to_string()))?;
    }
    let usage = sub
        .clone()
        .bin_name(name.clone())
        .render_usage()
        .to_string();
    let usage = usage.trim_start_matches("Usage:").trim();
    writeln!(out, ".PP\n\\fB{}\\fR", roff_escape(usage))?;
    // The global options (`--verbose`, `--help`, `--version`) are described once, at the top.
    let global = |arg: &clap::Arg| matches!(arg.get_id().as_str(), "verbose" | "help" | "version");
    for arg in sub
        .get_arguments()
        .filter(|arg| !arg.is_hide_set() && !global(arg))
    {
        let mut names = Vec::new();
        if let Some(short) = arg.get_short() {
            names.push(format!("\\fB\\-{short}\\fR"));
        }
        if let Some(long) = arg.get_long() {
            let value = match arg.get_value_names() {
                Some([value, ..]) if arg.get_action().takes_values() => {
                    format!(" \\fI<{}>\\fR", roff_escape(value))
                }
                _ => String::new(),
            };
            names.push(format!(
                "\\fB\\-\\-{}\\fR{value}",
                roff_escape(long).replace('-', "\\-")
            ));
        }
        if names.is_empty() {
            names.push(format!(
                "\\fI{}\\fR",
                roff_escape(arg.get_id().as_str()).to_uppercase()
            ));
        }
        writeln!(out, ".TP\n{}", names.join(", "))?;
        let help = arg
            .get_long_help()
            .or(arg.get_help())
            .map(ToString::to_string)
            .unwrap_or_default();
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|value| !value.is_hide_set())
            .map(|value| value.get_name().to_string())
            .collect();
        let mut text = help;
        if !values.is_empty() {
            text.push_str(&format!(" [possible values: {}]", values.join(", ")));
        }
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|value| value.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() && arg.get_action().takes_values() {
            text.push_str(&format!(" [default: {}]", defaults.join(", ")));
        }
        writeln!(out, "{}", roff_escape(text.trim()))?;
    }
    for nested in sub.get_subcommands() {
        render_subcommand(nested, &name, out)?;
    }
    Ok(())
}

/// Escapes text for a roff line: backslashes, and a leading dot or quote.
fn roff_escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('"', "\\(dq");
    match escaped.chars().next() {
        Some('.' | '\'') => format!("\\&{escaped}"),
        _ => escaped,
    }
}

pub fn completions(shell: CompletionShell) -> anyhow::Result<ExitCode> {
    std::io::stdout()
        .lock()
        .write_all(&completion_script(shell))?;
    Ok(ExitCode::SUCCESS)
}

pub fn man() -> anyhow::Result<ExitCode> {
    std::io::stdout().lock().write_all(&man_page()?)?;
    Ok(ExitCode::SUCCESS)
}
