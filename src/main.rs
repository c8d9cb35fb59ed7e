//! The `scoville` binary: hands argv to the command-line layer.

use std::ffi::c_long;

/// mimalloc instead of the system allocator: loading and planning a large org is mostly
/// allocation (docs/performance.md has the measurements).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc 3's `mi_option_purge_delay` (the 16th entry of `mi_option_e` in its `mimalloc.h`;
/// `libmimalloc-sys` names the options on both sides of it, 14 and 16, but not this one).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long freed memory stays with the process before mimalloc returns it to the system, in
/// milliseconds. mimalloc 3 waits 1,000 ms, which is longer than a `scoville plan` of a
/// 50,000-user org lives, so everything the manifest loader and the reads free still counts
/// at the end: 100 ms gives 12% less peak memory there for 4% more CPU (measured,
/// docs/performance.md). `MIMALLOC_PURGE_DELAY` in the environment still decides
/// (`purge_delay_in`).
const PURGE_DELAY_MS: c_long = 100;

/// Whether the environment already sets mimalloc's purge delay: mimalloc reads
/// `MIMALLOC_PURGE_DELAY` and its former name `MIMALLOC_RESET_DELAY`, in any letter case.
fn purge_delay_in(names: impl IntoIterator<Item = std::ffi::OsString>) -> bool {
    names.into_iter().any(|name| {
        name.to_str().is_some_and(|name| {
            name.eq_ignore_ascii_case("MIMALLOC_PURGE_DELAY")
                || name.eq_ignore_ascii_case("MIMALLOC_RESET_DELAY")
        })
    })
}

fn main() -> std::process::ExitCode {
    if !purge_delay_in(std::env::vars_os().map(|(name, _)| name)) {
        // SAFETY: sets one of mimalloc's options, which it reads atomically; no memory is
        // handed over.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
    scoville::cli::main()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number is mimalloc's purge delay: of all its options, only that one has
    /// mimalloc 3's default of 1,000 (ms). A mimalloc update that renumbers them fails here.
    #[test]
    fn the_option_set_is_the_purge_delay() {
        if purge_delay_in(std::env::vars_os().map(|(name, _)| name)) {
            return;
        }
        // SAFETY: reads one of mimalloc's options.
        let default = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(default, 1000);
    }

    #[test]
    fn every_spelling_mimalloc_reads_is_left_to_the_environment() {
        let set = |names: &[&str]| purge_delay_in(names.iter().map(std::ffi::OsString::from));
        assert!(set(&["PATH", "MIMALLOC_PURGE_DELAY"]));
        assert!(set(&["mimalloc_purge_delay"]));
        assert!(set(&["MIMALLOC_RESET_DELAY"]));
        assert!(!set(&[
            "PATH",
            "MIMALLOC_PURGE_DELAY_X",
            "MIMALLOC_VERBOSE"
        ]));
    }
}
