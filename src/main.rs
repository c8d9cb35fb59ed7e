//! The `scoville` binary: hands argv to the command-line layer.

fn main() -> std::process::ExitCode {
    scoville::cli::main()
}
