# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_scoville_global_optspecs
    string join \n v/verbose h/help V/version
end

function __fish_scoville_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_scoville_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_scoville_using_subcommand
    set -l cmd (__fish_scoville_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c scoville -n "__fish_scoville_needs_command" -s v -l verbose -d 'Say more: list every unmanaged object in a text plan instead of counting them'
complete -c scoville -n "__fish_scoville_needs_command" -s h -l help -d 'Print help'
complete -c scoville -n "__fish_scoville_needs_command" -s V -l version -d 'Print version'
complete -c scoville -n "__fish_scoville_needs_command" -f -a "validate" -d 'Check manifests offline: schema, references, typos (exit 1 on any problem)'
complete -c scoville -n "__fish_scoville_needs_command" -f -a "schema" -d 'Print the JSON Schema of the manifests (for editors)'
complete -c scoville -n "__fish_scoville_needs_command" -f -a "plan" -d 'Read the live org, diff it against the manifests and print the plan'
complete -c scoville -n "__fish_scoville_needs_command" -f -a "apply" -d 'Apply a plan: plan now and confirm, or apply a saved plan file'
complete -c scoville -n "__fish_scoville_needs_command" -f -a "drift" -d 'Report where the live org differs from the manifests, who changed it and when (exit 0 no drift, 2 drift, 1 error; the JSON report is in docs/drift.md)'
complete -c scoville -n "__fish_scoville_needs_command" -f -a "export" -d 'Write manifests that describe the live org, to adopt scoville on an existing org'
complete -c scoville -n "__fish_scoville_needs_command" -f -a "doctor" -d 'Check a token and an org, read-only: the first thing to run against a real org (exit 0 when scoville can work with it, 1 otherwise)'
complete -c scoville -n "__fish_scoville_needs_command" -f -a "sandbox" -d 'The Edge API emulator: try scoville without a Chili Piper account'
complete -c scoville -n "__fish_scoville_needs_command" -f -a "completions" -d 'Print the shell completion script for bash, zsh, fish or powershell'
complete -c scoville -n "__fish_scoville_needs_command" -f -a "man" -d 'Print the manual page (roff), e.g. `scoville man > scoville.1`'
complete -c scoville -n "__fish_scoville_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scoville -n "__fish_scoville_using_subcommand validate" -l format -r -f -a "text\t'Human-readable, with source snippets'
github\t'GitHub Actions annotations (`::error file=...`)'
json\t'JSON array of diagnostics'"
complete -c scoville -n "__fish_scoville_using_subcommand validate" -s v -l verbose -d 'Say more: list every unmanaged object in a text plan instead of counting them'
complete -c scoville -n "__fish_scoville_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scoville -n "__fish_scoville_using_subcommand validate" -s V -l version -d 'Print version'
complete -c scoville -n "__fish_scoville_using_subcommand schema" -s v -l verbose -d 'Say more: list every unmanaged object in a text plan instead of counting them'
complete -c scoville -n "__fish_scoville_using_subcommand schema" -s h -l help -d 'Print help'
complete -c scoville -n "__fish_scoville_using_subcommand schema" -s V -l version -d 'Print version'
complete -c scoville -n "__fish_scoville_using_subcommand plan" -l format -r -f -a "text\t'For people on a terminal (colour when it is one and NO_COLOR is unset)'
json\t'Versioned JSON for programs (plan and apply: docs/plan-json.md; drift: docs/drift.md)'
markdown\t'For a pull-request comment or an issue body (under GitHub\'s size limit)'"
complete -c scoville -n "__fish_scoville_using_subcommand plan" -l out -d 'Also save the plan as JSON to this file, for `scoville apply FILE`' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand plan" -l endpoint -d 'Edge API base URL (plain http:// only for loopback)' -r
complete -c scoville -n "__fish_scoville_using_subcommand plan" -l token-file -d 'Read the API token from this file instead of CHILI_PIPER_API_KEY' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand plan" -l parallelism -d 'Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out `Retry-After`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)' -r
complete -c scoville -n "__fish_scoville_using_subcommand plan" -l trace-http -d 'Write every request and answer to FILE as JSON lines, with the token, emails and people\'s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand plan" -l timeout -d 'Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply\'s clock restarts after the confirmation). See docs/security.md' -r
complete -c scoville -n "__fish_scoville_using_subcommand plan" -l allow-destructive -d 'Allow deletes and removals past the policy\'s safety thresholds'
complete -c scoville -n "__fish_scoville_using_subcommand plan" -l detailed-exitcode -d 'Exit 0 when there are no changes, 2 when there are, 1 on error'
complete -c scoville -n "__fish_scoville_using_subcommand plan" -l sandbox -d 'Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory'
complete -c scoville -n "__fish_scoville_using_subcommand plan" -l stats -d 'Print request counts per operation and bytes transferred at the end'
complete -c scoville -n "__fish_scoville_using_subcommand plan" -s v -l verbose -d 'Say more: list every unmanaged object in a text plan instead of counting them'
complete -c scoville -n "__fish_scoville_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scoville -n "__fish_scoville_using_subcommand plan" -s V -l version -d 'Print version'
complete -c scoville -n "__fish_scoville_using_subcommand apply" -l report -d 'Write the apply report as JSON to this file' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand apply" -l record -d 'After a fully successful apply, record what was applied (manifests hash, fingerprint of every managed object) to this file, for `scoville drift --last-applied FILE`' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand apply" -l endpoint -d 'Edge API base URL (plain http:// only for loopback)' -r
complete -c scoville -n "__fish_scoville_using_subcommand apply" -l token-file -d 'Read the API token from this file instead of CHILI_PIPER_API_KEY' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand apply" -l parallelism -d 'Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out `Retry-After`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)' -r
complete -c scoville -n "__fish_scoville_using_subcommand apply" -l trace-http -d 'Write every request and answer to FILE as JSON lines, with the token, emails and people\'s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand apply" -l timeout -d 'Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply\'s clock restarts after the confirmation). See docs/security.md' -r
complete -c scoville -n "__fish_scoville_using_subcommand apply" -l auto-approve -d 'Apply without asking (for CI)'
complete -c scoville -n "__fish_scoville_using_subcommand apply" -l fail-fast -d 'Stop at the first failed step instead of running independent steps'
complete -c scoville -n "__fish_scoville_using_subcommand apply" -l allow-destructive -d 'Allow deletes and removals past the policy\'s safety thresholds'
complete -c scoville -n "__fish_scoville_using_subcommand apply" -l sandbox -d 'Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory'
complete -c scoville -n "__fish_scoville_using_subcommand apply" -l stats -d 'Print request counts per operation and bytes transferred at the end'
complete -c scoville -n "__fish_scoville_using_subcommand apply" -s v -l verbose -d 'Say more: list every unmanaged object in a text plan instead of counting them'
complete -c scoville -n "__fish_scoville_using_subcommand apply" -s h -l help -d 'Print help'
complete -c scoville -n "__fish_scoville_using_subcommand apply" -s V -l version -d 'Print version'
complete -c scoville -n "__fish_scoville_using_subcommand drift" -l format -r -f -a "text\t'For people on a terminal (colour when it is one and NO_COLOR is unset)'
json\t'Versioned JSON for programs (plan and apply: docs/plan-json.md; drift: docs/drift.md)'
markdown\t'For a pull-request comment or an issue body (under GitHub\'s size limit)'"
complete -c scoville -n "__fish_scoville_using_subcommand drift" -l last-applied -d 'The record of the last apply (`scoville apply --record FILE`), to tell changes made in the org since from changes not applied yet' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand drift" -l endpoint -d 'Edge API base URL (plain http:// only for loopback)' -r
complete -c scoville -n "__fish_scoville_using_subcommand drift" -l token-file -d 'Read the API token from this file instead of CHILI_PIPER_API_KEY' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand drift" -l parallelism -d 'Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out `Retry-After`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)' -r
complete -c scoville -n "__fish_scoville_using_subcommand drift" -l trace-http -d 'Write every request and answer to FILE as JSON lines, with the token, emails and people\'s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand drift" -l timeout -d 'Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply\'s clock restarts after the confirmation). See docs/security.md' -r
complete -c scoville -n "__fish_scoville_using_subcommand drift" -l detailed-exitcode -d 'Exit 0 when there is no drift, 2 when there is, 1 on error. drift always exits so; the flag is accepted so that `plan` and `drift` take the same one in scripts'
complete -c scoville -n "__fish_scoville_using_subcommand drift" -l sandbox -d 'Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory'
complete -c scoville -n "__fish_scoville_using_subcommand drift" -l stats -d 'Print request counts per operation and bytes transferred at the end'
complete -c scoville -n "__fish_scoville_using_subcommand drift" -s v -l verbose -d 'Say more: list every unmanaged object in a text plan instead of counting them'
complete -c scoville -n "__fish_scoville_using_subcommand drift" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scoville -n "__fish_scoville_using_subcommand drift" -s V -l version -d 'Print version'
complete -c scoville -n "__fish_scoville_using_subcommand export" -l out -d 'Directory to write the manifests to (must be empty or not exist)' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand export" -l endpoint -d 'Edge API base URL (plain http:// only for loopback)' -r
complete -c scoville -n "__fish_scoville_using_subcommand export" -l token-file -d 'Read the API token from this file instead of CHILI_PIPER_API_KEY' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand export" -l parallelism -d 'Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out `Retry-After`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)' -r
complete -c scoville -n "__fish_scoville_using_subcommand export" -l trace-http -d 'Write every request and answer to FILE as JSON lines, with the token, emails and people\'s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand export" -l timeout -d 'Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply\'s clock restarts after the confirmation). See docs/security.md' -r
complete -c scoville -n "__fish_scoville_using_subcommand export" -l sandbox -d 'Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory'
complete -c scoville -n "__fish_scoville_using_subcommand export" -l stats -d 'Print request counts per operation and bytes transferred at the end'
complete -c scoville -n "__fish_scoville_using_subcommand export" -s v -l verbose -d 'Say more: list every unmanaged object in a text plan instead of counting them'
complete -c scoville -n "__fish_scoville_using_subcommand export" -s h -l help -d 'Print help'
complete -c scoville -n "__fish_scoville_using_subcommand export" -s V -l version -d 'Print version'
complete -c scoville -n "__fish_scoville_using_subcommand doctor" -l format -r -f -a "text\t'For people on a terminal'
json\t'JSON for programs (the report, `ok` and `blockers`)'"
complete -c scoville -n "__fish_scoville_using_subcommand doctor" -l endpoint -d 'Edge API base URL (plain http:// only for loopback)' -r
complete -c scoville -n "__fish_scoville_using_subcommand doctor" -l token-file -d 'Read the API token from this file instead of CHILI_PIPER_API_KEY' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand doctor" -l parallelism -d 'Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out `Retry-After`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)' -r
complete -c scoville -n "__fish_scoville_using_subcommand doctor" -l trace-http -d 'Write every request and answer to FILE as JSON lines, with the token, emails and people\'s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand doctor" -l timeout -d 'Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply\'s clock restarts after the confirmation). See docs/security.md' -r
complete -c scoville -n "__fish_scoville_using_subcommand doctor" -l sandbox -d 'Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory'
complete -c scoville -n "__fish_scoville_using_subcommand doctor" -l stats -d 'Print request counts per operation and bytes transferred at the end'
complete -c scoville -n "__fish_scoville_using_subcommand doctor" -s v -l verbose -d 'Say more: list every unmanaged object in a text plan instead of counting them'
complete -c scoville -n "__fish_scoville_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scoville -n "__fish_scoville_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and not __fish_seen_subcommand_from serve reset help" -s v -l verbose -d 'Say more: list every unmanaged object in a text plan instead of counting them'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and not __fish_seen_subcommand_from serve reset help" -s h -l help -d 'Print help'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and not __fish_seen_subcommand_from serve reset help" -s V -l version -d 'Print version'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and not __fish_seen_subcommand_from serve reset help" -f -a "serve" -d 'Run the emulator as an HTTP server on 127.0.0.1'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and not __fish_seen_subcommand_from serve reset help" -f -a "reset" -d 'Forget the sandbox\'s saved state (the next --sandbox run starts from the demo org)'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and not __fish_seen_subcommand_from serve reset help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l port -d 'Port to listen on (0 picks a free one)' -r
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l state -d 'Load state from and save it to this JSON file' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l seed -d 'Seed the org from this JSON file instead of the demo org' -r -F
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Say more: list every unmanaged object in a text plan instead of counting them'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and __fish_seen_subcommand_from reset" -s v -l verbose -d 'Say more: list every unmanaged object in a text plan instead of counting them'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and __fish_seen_subcommand_from reset" -s h -l help -d 'Print help'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and __fish_seen_subcommand_from reset" -s V -l version -d 'Print version'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Run the emulator as an HTTP server on 127.0.0.1'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "reset" -d 'Forget the sandbox\'s saved state (the next --sandbox run starts from the demo org)'
complete -c scoville -n "__fish_scoville_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scoville -n "__fish_scoville_using_subcommand completions" -s v -l verbose -d 'Say more: list every unmanaged object in a text plan instead of counting them'
complete -c scoville -n "__fish_scoville_using_subcommand completions" -s h -l help -d 'Print help'
complete -c scoville -n "__fish_scoville_using_subcommand completions" -s V -l version -d 'Print version'
complete -c scoville -n "__fish_scoville_using_subcommand man" -s v -l verbose -d 'Say more: list every unmanaged object in a text plan instead of counting them'
complete -c scoville -n "__fish_scoville_using_subcommand man" -s h -l help -d 'Print help'
complete -c scoville -n "__fish_scoville_using_subcommand man" -s V -l version -d 'Print version'
complete -c scoville -n "__fish_scoville_using_subcommand help; and not __fish_seen_subcommand_from validate schema plan apply drift export doctor sandbox completions man help" -f -a "validate" -d 'Check manifests offline: schema, references, typos (exit 1 on any problem)'
complete -c scoville -n "__fish_scoville_using_subcommand help; and not __fish_seen_subcommand_from validate schema plan apply drift export doctor sandbox completions man help" -f -a "schema" -d 'Print the JSON Schema of the manifests (for editors)'
complete -c scoville -n "__fish_scoville_using_subcommand help; and not __fish_seen_subcommand_from validate schema plan apply drift export doctor sandbox completions man help" -f -a "plan" -d 'Read the live org, diff it against the manifests and print the plan'
complete -c scoville -n "__fish_scoville_using_subcommand help; and not __fish_seen_subcommand_from validate schema plan apply drift export doctor sandbox completions man help" -f -a "apply" -d 'Apply a plan: plan now and confirm, or apply a saved plan file'
complete -c scoville -n "__fish_scoville_using_subcommand help; and not __fish_seen_subcommand_from validate schema plan apply drift export doctor sandbox completions man help" -f -a "drift" -d 'Report where the live org differs from the manifests, who changed it and when (exit 0 no drift, 2 drift, 1 error; the JSON report is in docs/drift.md)'
complete -c scoville -n "__fish_scoville_using_subcommand help; and not __fish_seen_subcommand_from validate schema plan apply drift export doctor sandbox completions man help" -f -a "export" -d 'Write manifests that describe the live org, to adopt scoville on an existing org'
complete -c scoville -n "__fish_scoville_using_subcommand help; and not __fish_seen_subcommand_from validate schema plan apply drift export doctor sandbox completions man help" -f -a "doctor" -d 'Check a token and an org, read-only: the first thing to run against a real org (exit 0 when scoville can work with it, 1 otherwise)'
complete -c scoville -n "__fish_scoville_using_subcommand help; and not __fish_seen_subcommand_from validate schema plan apply drift export doctor sandbox completions man help" -f -a "sandbox" -d 'The Edge API emulator: try scoville without a Chili Piper account'
complete -c scoville -n "__fish_scoville_using_subcommand help; and not __fish_seen_subcommand_from validate schema plan apply drift export doctor sandbox completions man help" -f -a "completions" -d 'Print the shell completion script for bash, zsh, fish or powershell'
complete -c scoville -n "__fish_scoville_using_subcommand help; and not __fish_seen_subcommand_from validate schema plan apply drift export doctor sandbox completions man help" -f -a "man" -d 'Print the manual page (roff), e.g. `scoville man > scoville.1`'
complete -c scoville -n "__fish_scoville_using_subcommand help; and not __fish_seen_subcommand_from validate schema plan apply drift export doctor sandbox completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scoville -n "__fish_scoville_using_subcommand help; and __fish_seen_subcommand_from sandbox" -f -a "serve" -d 'Run the emulator as an HTTP server on 127.0.0.1'
complete -c scoville -n "__fish_scoville_using_subcommand help; and __fish_seen_subcommand_from sandbox" -f -a "reset" -d 'Forget the sandbox\'s saved state (the next --sandbox run starts from the demo org)'
