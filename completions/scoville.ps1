
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'scoville' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'scoville'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'scoville' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check manifests offline: schema, references, typos (exit 1 on any problem)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the manifests (for editors)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Read the live org, diff it against the manifests and print the plan')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply a plan: plan now and confirm, or apply a saved plan file')
            [CompletionResult]::new('drift', 'drift', [CompletionResultType]::ParameterValue, 'Report where the live org differs from the manifests, who changed it and when (exit 0 no drift, 2 drift, 1 error; the JSON report is in docs/drift.md)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write manifests that describe the live org, to adopt scoville on an existing org')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check a token and an org, read-only: the first thing to run against a real org (exit 0 when scoville can work with it, 1 otherwise)')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'The Edge API emulator: try scoville without a Chili Piper account')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for bash, zsh, fish or powershell')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (roff), e.g. `scoville man > scoville.1`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scoville;validate' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scoville;schema' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scoville;plan' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Also save the plan as JSON to this file, for `scoville apply FILE`')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Edge API base URL (plain http:// only for loopback)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the API token from this file instead of CHILI_PIPER_API_KEY')
            [CompletionResult]::new('--parallelism', '--parallelism', [CompletionResultType]::ParameterName, 'Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out `Retry-After`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)')
            [CompletionResult]::new('--trace-http', '--trace-http', [CompletionResultType]::ParameterName, 'Write every request and answer to FILE as JSON lines, with the token, emails and people''s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply''s clock restarts after the confirmation). See docs/security.md')
            [CompletionResult]::new('--allow-destructive', '--allow-destructive', [CompletionResultType]::ParameterName, 'Allow deletes and removals past the policy''s safety thresholds')
            [CompletionResult]::new('--detailed-exitcode', '--detailed-exitcode', [CompletionResultType]::ParameterName, 'Exit 0 when there are no changes, 2 when there are, 1 on error')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print request counts per operation and bytes transferred at the end')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scoville;apply' {
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Write the apply report as JSON to this file')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'After a fully successful apply, record what was applied (manifests hash, fingerprint of every managed object) to this file, for `scoville drift --last-applied FILE`')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Edge API base URL (plain http:// only for loopback)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the API token from this file instead of CHILI_PIPER_API_KEY')
            [CompletionResult]::new('--parallelism', '--parallelism', [CompletionResultType]::ParameterName, 'Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out `Retry-After`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)')
            [CompletionResult]::new('--trace-http', '--trace-http', [CompletionResultType]::ParameterName, 'Write every request and answer to FILE as JSON lines, with the token, emails and people''s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply''s clock restarts after the confirmation). See docs/security.md')
            [CompletionResult]::new('--auto-approve', '--auto-approve', [CompletionResultType]::ParameterName, 'Apply without asking (for CI)')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop at the first failed step instead of running independent steps')
            [CompletionResult]::new('--allow-destructive', '--allow-destructive', [CompletionResultType]::ParameterName, 'Allow deletes and removals past the policy''s safety thresholds')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print request counts per operation and bytes transferred at the end')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scoville;drift' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--last-applied', '--last-applied', [CompletionResultType]::ParameterName, 'The record of the last apply (`scoville apply --record FILE`), to tell changes made in the org since from changes not applied yet')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Edge API base URL (plain http:// only for loopback)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the API token from this file instead of CHILI_PIPER_API_KEY')
            [CompletionResult]::new('--parallelism', '--parallelism', [CompletionResultType]::ParameterName, 'Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out `Retry-After`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)')
            [CompletionResult]::new('--trace-http', '--trace-http', [CompletionResultType]::ParameterName, 'Write every request and answer to FILE as JSON lines, with the token, emails and people''s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply''s clock restarts after the confirmation). See docs/security.md')
            [CompletionResult]::new('--detailed-exitcode', '--detailed-exitcode', [CompletionResultType]::ParameterName, 'Exit 0 when there is no drift, 2 when there is, 1 on error. drift always exits so; the flag is accepted so that `plan` and `drift` take the same one in scripts')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print request counts per operation and bytes transferred at the end')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scoville;export' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to write the manifests to (must be empty or not exist)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Edge API base URL (plain http:// only for loopback)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the API token from this file instead of CHILI_PIPER_API_KEY')
            [CompletionResult]::new('--parallelism', '--parallelism', [CompletionResultType]::ParameterName, 'Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out `Retry-After`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)')
            [CompletionResult]::new('--trace-http', '--trace-http', [CompletionResultType]::ParameterName, 'Write every request and answer to FILE as JSON lines, with the token, emails and people''s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply''s clock restarts after the confirmation). See docs/security.md')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print request counts per operation and bytes transferred at the end')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scoville;doctor' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Edge API base URL (plain http:// only for loopback)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the API token from this file instead of CHILI_PIPER_API_KEY')
            [CompletionResult]::new('--parallelism', '--parallelism', [CompletionResultType]::ParameterName, 'Ceiling of concurrent requests. scoville starts at 128 in flight (or this, if lower) and adapts: more while answers are clean and prompt, half as many on 429/503/timeouts, waiting out `Retry-After`; it never exceeds this value. For apply, the steps of one phase run at once up to the same limit (see docs/performance.md)')
            [CompletionResult]::new('--trace-http', '--trace-http', [CompletionResultType]::ParameterName, 'Write every request and answer to FILE as JSON lines, with the token, emails and people''s names replaced by placeholders, to attach to a bug report (docs/trace-http.md)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this many seconds of Edge API calls in all (requests, retries and their waits; an apply''s clock restarts after the confirmation). See docs/security.md')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Use the built-in emulator seeded with the demo org; its state is kept in .scoville/ under the current directory')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print request counts per operation and bytes transferred at the end')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scoville;sandbox' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the emulator as an HTTP server on 127.0.0.1')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Forget the sandbox''s saved state (the next --sandbox run starts from the demo org)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scoville;sandbox;serve' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on (0 picks a free one)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Load state from and save it to this JSON file')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed the org from this JSON file instead of the demo org')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scoville;sandbox;reset' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scoville;sandbox;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the emulator as an HTTP server on 127.0.0.1')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Forget the sandbox''s saved state (the next --sandbox run starts from the demo org)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scoville;sandbox;help;serve' {
            break
        }
        'scoville;sandbox;help;reset' {
            break
        }
        'scoville;sandbox;help;help' {
            break
        }
        'scoville;completions' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scoville;man' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: list every unmanaged object in a text plan instead of counting them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scoville;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check manifests offline: schema, references, typos (exit 1 on any problem)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the manifests (for editors)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Read the live org, diff it against the manifests and print the plan')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply a plan: plan now and confirm, or apply a saved plan file')
            [CompletionResult]::new('drift', 'drift', [CompletionResultType]::ParameterValue, 'Report where the live org differs from the manifests, who changed it and when (exit 0 no drift, 2 drift, 1 error; the JSON report is in docs/drift.md)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write manifests that describe the live org, to adopt scoville on an existing org')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check a token and an org, read-only: the first thing to run against a real org (exit 0 when scoville can work with it, 1 otherwise)')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'The Edge API emulator: try scoville without a Chili Piper account')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for bash, zsh, fish or powershell')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (roff), e.g. `scoville man > scoville.1`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scoville;help;validate' {
            break
        }
        'scoville;help;schema' {
            break
        }
        'scoville;help;plan' {
            break
        }
        'scoville;help;apply' {
            break
        }
        'scoville;help;drift' {
            break
        }
        'scoville;help;export' {
            break
        }
        'scoville;help;doctor' {
            break
        }
        'scoville;help;sandbox' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the emulator as an HTTP server on 127.0.0.1')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Forget the sandbox''s saved state (the next --sandbox run starts from the demo org)')
            break
        }
        'scoville;help;sandbox;serve' {
            break
        }
        'scoville;help;sandbox;reset' {
            break
        }
        'scoville;help;completions' {
            break
        }
        'scoville;help;man' {
            break
        }
        'scoville;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
