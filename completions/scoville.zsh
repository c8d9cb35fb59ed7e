#compdef scoville

autoload -U is-at-least

_scoville() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'-v[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'--verbose[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_scoville_commands" \
"*::: :->scoville" \
&& ret=0
    case $state in
    (scoville)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:scoville-command-$line[1]:"
        case $line[1] in
            (validate)
_arguments "${_arguments_options[@]}" : \
'--format=[]:FORMAT:((text\:"Human-readable, with source snippets"
github\:"GitHub Actions annotations (\`\:\:error file=...\`)"
json\:"JSON array of diagnostics"))' \
'-v[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'--verbose[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Manifest files or directories (default\: the current directory):_files' \
&& ret=0
;;
(schema)
_arguments "${_arguments_options[@]}" : \
'-v[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'--verbose[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(plan)
_arguments "${_arguments_options[@]}" : \
'--format=[]:FORMAT:((text\:"For people on a terminal (colour when it is one and NO_COLOR is unset)"
json\:"Versioned JSON for programs (plan and apply\: docs/plan-json.md; drift\: docs/drift.md)"
markdown\:"For a pull-request comment or an issue body (under GitHub'\''s size limit)"))' \
'--out=[Also save the plan as JSON to this file, for \`scoville apply FILE\`]:FILE:_files' \
'--endpoint=[Edge API base URL (plain http\:// only for loopback)]:URL:_default' \
'--token-file=[Read the API token from this file instead of CHILI_PIPER_API_KEY]:FILE:_files' \
'--parallelism=[Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts\: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out \`Retry-After\`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)]:PARALLELISM:_default' \
'--trace-http=[Write every request and answer to FILE as JSON lines, with the token, emails and people'\''s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)]:FILE:_files' \
'--timeout=[Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply'\''s clock restarts after the confirmation). See docs/security.md]:SECONDS:_default' \
'--allow-destructive[Allow deletes and removals past the policy'\''s safety thresholds]' \
'--detailed-exitcode[Exit 0 when there are no changes, 2 when there are, 1 on error]' \
'--sandbox[Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory]' \
'--stats[Print request counts per operation and bytes transferred at the end]' \
'-v[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'--verbose[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Manifest files or directories (default\: the current directory):_files' \
&& ret=0
;;
(apply)
_arguments "${_arguments_options[@]}" : \
'--report=[Write the apply report as JSON to this file]:FILE:_files' \
'--record=[After a fully successful apply, record what was applied (manifests hash, fingerprint of every managed object) to this file, for \`scoville drift --last-applied FILE\`]:FILE:_files' \
'--endpoint=[Edge API base URL (plain http\:// only for loopback)]:URL:_default' \
'--token-file=[Read the API token from this file instead of CHILI_PIPER_API_KEY]:FILE:_files' \
'--parallelism=[Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts\: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out \`Retry-After\`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)]:PARALLELISM:_default' \
'--trace-http=[Write every request and answer to FILE as JSON lines, with the token, emails and people'\''s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)]:FILE:_files' \
'--timeout=[Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply'\''s clock restarts after the confirmation). See docs/security.md]:SECONDS:_default' \
'--auto-approve[Apply without asking (for CI)]' \
'--fail-fast[Stop at the first failed step instead of running independent steps]' \
'--allow-destructive[Allow deletes and removals past the policy'\''s safety thresholds]' \
'--sandbox[Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory]' \
'--stats[Print request counts per operation and bytes transferred at the end]' \
'-v[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'--verbose[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Manifest files or directories, or one saved plan file (*.json):_files' \
&& ret=0
;;
(drift)
_arguments "${_arguments_options[@]}" : \
'--format=[]:FORMAT:((text\:"For people on a terminal (colour when it is one and NO_COLOR is unset)"
json\:"Versioned JSON for programs (plan and apply\: docs/plan-json.md; drift\: docs/drift.md)"
markdown\:"For a pull-request comment or an issue body (under GitHub'\''s size limit)"))' \
'--last-applied=[The record of the last apply (\`scoville apply --record FILE\`), to tell changes made in the org since from changes not applied yet]:FILE:_files' \
'--endpoint=[Edge API base URL (plain http\:// only for loopback)]:URL:_default' \
'--token-file=[Read the API token from this file instead of CHILI_PIPER_API_KEY]:FILE:_files' \
'--parallelism=[Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts\: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out \`Retry-After\`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)]:PARALLELISM:_default' \
'--trace-http=[Write every request and answer to FILE as JSON lines, with the token, emails and people'\''s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)]:FILE:_files' \
'--timeout=[Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply'\''s clock restarts after the confirmation). See docs/security.md]:SECONDS:_default' \
'--detailed-exitcode[Exit 0 when there is no drift, 2 when there is, 1 on error. drift always exits so; the flag is accepted so that \`plan\` and \`drift\` take the same one in scripts]' \
'--sandbox[Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory]' \
'--stats[Print request counts per operation and bytes transferred at the end]' \
'-v[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'--verbose[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Manifest files or directories (default\: the current directory):_files' \
&& ret=0
;;
(export)
_arguments "${_arguments_options[@]}" : \
'--out=[Directory to write the manifests to (must be empty or not exist)]:DIR:_files' \
'--endpoint=[Edge API base URL (plain http\:// only for loopback)]:URL:_default' \
'--token-file=[Read the API token from this file instead of CHILI_PIPER_API_KEY]:FILE:_files' \
'--parallelism=[Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts\: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out \`Retry-After\`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)]:PARALLELISM:_default' \
'--trace-http=[Write every request and answer to FILE as JSON lines, with the token, emails and people'\''s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)]:FILE:_files' \
'--timeout=[Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply'\''s clock restarts after the confirmation). See docs/security.md]:SECONDS:_default' \
'--sandbox[Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory]' \
'--stats[Print request counts per operation and bytes transferred at the end]' \
'-v[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'--verbose[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(doctor)
_arguments "${_arguments_options[@]}" : \
'--format=[]:FORMAT:((text\:"For people on a terminal"
json\:"JSON for programs (the report, \`ok\` and \`blockers\`)"))' \
'--endpoint=[Edge API base URL (plain http\:// only for loopback)]:URL:_default' \
'--token-file=[Read the API token from this file instead of CHILI_PIPER_API_KEY]:FILE:_files' \
'--parallelism=[Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts\: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out \`Retry-After\`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)]:PARALLELISM:_default' \
'--trace-http=[Write every request and answer to FILE as JSON lines, with the token, emails and people'\''s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)]:FILE:_files' \
'--timeout=[Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply'\''s clock restarts after the confirmation). See docs/security.md]:SECONDS:_default' \
'--sandbox[Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory]' \
'--stats[Print request counts per operation and bytes transferred at the end]' \
'-v[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'--verbose[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Manifest files or directories\: also say which write permissions `apply` would need for their plan (optional; doctor needs no manifests):_files' \
&& ret=0
;;
(sandbox)
_arguments "${_arguments_options[@]}" : \
'-v[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'--verbose[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_scoville__subcmd__sandbox_commands" \
"*::: :->sandbox" \
&& ret=0

    case $state in
    (sandbox)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:scoville-sandbox-command-$line[1]:"
        case $line[1] in
            (serve)
_arguments "${_arguments_options[@]}" : \
'--port=[Port to listen on (0 picks a free one)]:PORT:_default' \
'--state=[Load state from and save it to this JSON file]:FILE:_files' \
'--seed=[Seed the org from this JSON file instead of the demo org]:FILE:_files' \
'-v[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'--verbose[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(reset)
_arguments "${_arguments_options[@]}" : \
'-v[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'--verbose[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_scoville__subcmd__sandbox__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:scoville-sandbox-help-command-$line[1]:"
        case $line[1] in
            (serve)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(reset)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'-v[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'--verbose[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':shell -- The shell to complete in:(bash zsh fish powershell)' \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
'-v[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'--verbose[Say more\: list every unmanaged object in a text plan instead of counting them]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_scoville__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:scoville-help-command-$line[1]:"
        case $line[1] in
            (validate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(schema)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(plan)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(apply)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(drift)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(export)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(doctor)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(sandbox)
_arguments "${_arguments_options[@]}" : \
":: :_scoville__subcmd__help__subcmd__sandbox_commands" \
"*::: :->sandbox" \
&& ret=0

    case $state in
    (sandbox)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:scoville-help-sandbox-command-$line[1]:"
        case $line[1] in
            (serve)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(reset)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_scoville_commands] )) ||
_scoville_commands() {
    local commands; commands=(
'validate:Check manifests offline\: schema, references, typos (exit 1 on any problem)' \
'schema:Print the JSON Schema of the manifests (for editors)' \
'plan:Read the live org, diff it against the manifests and print the plan' \
'apply:Apply a plan\: plan now and confirm, or apply a saved plan file' \
'drift:Report where the live org differs from the manifests, who changed it and when (exit 0 no drift, 2 drift, 1 error; the JSON report is in docs/drift.md)' \
'export:Write manifests that describe the live org, to adopt scoville on an existing org' \
'doctor:Check a token and an org, read-only\: the first thing to run against a real org (exit 0 when scoville can work with it, 1 otherwise)' \
'sandbox:The Edge API emulator\: try scoville without a Chili Piper account' \
'completions:Print the shell completion script for bash, zsh, fish or powershell' \
'man:Print the manual page (roff), e.g. \`scoville man > scoville.1\`' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'scoville commands' commands "$@"
}
(( $+functions[_scoville__subcmd__apply_commands] )) ||
_scoville__subcmd__apply_commands() {
    local commands; commands=()
    _describe -t commands 'scoville apply commands' commands "$@"
}
(( $+functions[_scoville__subcmd__completions_commands] )) ||
_scoville__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'scoville completions commands' commands "$@"
}
(( $+functions[_scoville__subcmd__doctor_commands] )) ||
_scoville__subcmd__doctor_commands() {
    local commands; commands=()
    _describe -t commands 'scoville doctor commands' commands "$@"
}
(( $+functions[_scoville__subcmd__drift_commands] )) ||
_scoville__subcmd__drift_commands() {
    local commands; commands=()
    _describe -t commands 'scoville drift commands' commands "$@"
}
(( $+functions[_scoville__subcmd__export_commands] )) ||
_scoville__subcmd__export_commands() {
    local commands; commands=()
    _describe -t commands 'scoville export commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help_commands] )) ||
_scoville__subcmd__help_commands() {
    local commands; commands=(
'validate:Check manifests offline\: schema, references, typos (exit 1 on any problem)' \
'schema:Print the JSON Schema of the manifests (for editors)' \
'plan:Read the live org, diff it against the manifests and print the plan' \
'apply:Apply a plan\: plan now and confirm, or apply a saved plan file' \
'drift:Report where the live org differs from the manifests, who changed it and when (exit 0 no drift, 2 drift, 1 error; the JSON report is in docs/drift.md)' \
'export:Write manifests that describe the live org, to adopt scoville on an existing org' \
'doctor:Check a token and an org, read-only\: the first thing to run against a real org (exit 0 when scoville can work with it, 1 otherwise)' \
'sandbox:The Edge API emulator\: try scoville without a Chili Piper account' \
'completions:Print the shell completion script for bash, zsh, fish or powershell' \
'man:Print the manual page (roff), e.g. \`scoville man > scoville.1\`' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'scoville help commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help__subcmd__apply_commands] )) ||
_scoville__subcmd__help__subcmd__apply_commands() {
    local commands; commands=()
    _describe -t commands 'scoville help apply commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help__subcmd__completions_commands] )) ||
_scoville__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'scoville help completions commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help__subcmd__doctor_commands] )) ||
_scoville__subcmd__help__subcmd__doctor_commands() {
    local commands; commands=()
    _describe -t commands 'scoville help doctor commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help__subcmd__drift_commands] )) ||
_scoville__subcmd__help__subcmd__drift_commands() {
    local commands; commands=()
    _describe -t commands 'scoville help drift commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help__subcmd__export_commands] )) ||
_scoville__subcmd__help__subcmd__export_commands() {
    local commands; commands=()
    _describe -t commands 'scoville help export commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help__subcmd__help_commands] )) ||
_scoville__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'scoville help help commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help__subcmd__man_commands] )) ||
_scoville__subcmd__help__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'scoville help man commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help__subcmd__plan_commands] )) ||
_scoville__subcmd__help__subcmd__plan_commands() {
    local commands; commands=()
    _describe -t commands 'scoville help plan commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help__subcmd__sandbox_commands] )) ||
_scoville__subcmd__help__subcmd__sandbox_commands() {
    local commands; commands=(
'serve:Run the emulator as an HTTP server on 127.0.0.1' \
'reset:Forget the sandbox'\''s saved state (the next --sandbox run starts from the demo org)' \
    )
    _describe -t commands 'scoville help sandbox commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help__subcmd__sandbox__subcmd__reset_commands] )) ||
_scoville__subcmd__help__subcmd__sandbox__subcmd__reset_commands() {
    local commands; commands=()
    _describe -t commands 'scoville help sandbox reset commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help__subcmd__sandbox__subcmd__serve_commands] )) ||
_scoville__subcmd__help__subcmd__sandbox__subcmd__serve_commands() {
    local commands; commands=()
    _describe -t commands 'scoville help sandbox serve commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help__subcmd__schema_commands] )) ||
_scoville__subcmd__help__subcmd__schema_commands() {
    local commands; commands=()
    _describe -t commands 'scoville help schema commands' commands "$@"
}
(( $+functions[_scoville__subcmd__help__subcmd__validate_commands] )) ||
_scoville__subcmd__help__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'scoville help validate commands' commands "$@"
}
(( $+functions[_scoville__subcmd__man_commands] )) ||
_scoville__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'scoville man commands' commands "$@"
}
(( $+functions[_scoville__subcmd__plan_commands] )) ||
_scoville__subcmd__plan_commands() {
    local commands; commands=()
    _describe -t commands 'scoville plan commands' commands "$@"
}
(( $+functions[_scoville__subcmd__sandbox_commands] )) ||
_scoville__subcmd__sandbox_commands() {
    local commands; commands=(
'serve:Run the emulator as an HTTP server on 127.0.0.1' \
'reset:Forget the sandbox'\''s saved state (the next --sandbox run starts from the demo org)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'scoville sandbox commands' commands "$@"
}
(( $+functions[_scoville__subcmd__sandbox__subcmd__help_commands] )) ||
_scoville__subcmd__sandbox__subcmd__help_commands() {
    local commands; commands=(
'serve:Run the emulator as an HTTP server on 127.0.0.1' \
'reset:Forget the sandbox'\''s saved state (the next --sandbox run starts from the demo org)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'scoville sandbox help commands' commands "$@"
}
(( $+functions[_scoville__subcmd__sandbox__subcmd__help__subcmd__help_commands] )) ||
_scoville__subcmd__sandbox__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'scoville sandbox help help commands' commands "$@"
}
(( $+functions[_scoville__subcmd__sandbox__subcmd__help__subcmd__reset_commands] )) ||
_scoville__subcmd__sandbox__subcmd__help__subcmd__reset_commands() {
    local commands; commands=()
    _describe -t commands 'scoville sandbox help reset commands' commands "$@"
}
(( $+functions[_scoville__subcmd__sandbox__subcmd__help__subcmd__serve_commands] )) ||
_scoville__subcmd__sandbox__subcmd__help__subcmd__serve_commands() {
    local commands; commands=()
    _describe -t commands 'scoville sandbox help serve commands' commands "$@"
}
(( $+functions[_scoville__subcmd__sandbox__subcmd__reset_commands] )) ||
_scoville__subcmd__sandbox__subcmd__reset_commands() {
    local commands; commands=()
    _describe -t commands 'scoville sandbox reset commands' commands "$@"
}
(( $+functions[_scoville__subcmd__sandbox__subcmd__serve_commands] )) ||
_scoville__subcmd__sandbox__subcmd__serve_commands() {
    local commands; commands=()
    _describe -t commands 'scoville sandbox serve commands' commands "$@"
}
(( $+functions[_scoville__subcmd__schema_commands] )) ||
_scoville__subcmd__schema_commands() {
    local commands; commands=()
    _describe -t commands 'scoville schema commands' commands "$@"
}
(( $+functions[_scoville__subcmd__validate_commands] )) ||
_scoville__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'scoville validate commands' commands "$@"
}

if [ "$funcstack[1]" = "_scoville" ]; then
    _scoville "$@"
else
    compdef _scoville scoville
fi
