//! The `scoville` binary: hands argv to the command-line layer.

/// mimalloc instead of the system allocator: loading and planning a large org is mostly
/// allocation (docs/performance.md has the measurements).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    scoville::cli::main()
}
